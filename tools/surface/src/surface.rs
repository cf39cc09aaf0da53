//! Reading the surface out of the core's source with `syn` (see the crate docs for what counts).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use syn::{Fields, FnArg, ImplItem, Item, Pat, ReturnType, Type, UseTree, Visibility};

/// The core's public surface, in the core's own names (snake_case fields, methods and options).
#[derive(Debug, Serialize)]
pub struct Surface {
    /// Re-exported structs with named `pub` fields, by name.
    pub records: BTreeMap<String, Vec<String>>,
    /// Re-exported enums, by name, with their variants.
    pub enums: BTreeMap<String, Vec<String>>,
    /// The `pub` methods of `impl Client` that take `self`, in source order.
    pub client_methods: Vec<Method>,
    /// The `ClientBuilder` setters, in source order.
    pub client_options: Vec<ClientOption>,
}

/// One client method.
#[derive(Debug, Serialize)]
pub struct Method {
    /// Its name (`look_up`).
    pub name: String,
    /// Whether it is an `async fn`.
    #[serde(rename = "async")]
    pub is_async: bool,
}

/// One client option: a `ClientBuilder` setter.
#[derive(Debug, Serialize)]
pub struct ClientOption {
    /// Its name (`connect_timeout`).
    pub name: String,
    /// Its parameters' names (`credentials` takes `api_key` and `password`).
    pub params: Vec<String>,
    /// Whether a parameter is a `Duration` (JavaScript spells those with a unit: `connectTimeoutMs`).
    pub duration: bool,
}

impl Surface {
    /// Reads the surface of the crate whose source directory is `src` (it holds `lib.rs`).
    pub fn read(src: &Path) -> Result<Surface, String> {
        let root = parse(&src.join("lib.rs"))?;
        let mut surface = Surface {
            records: BTreeMap::new(),
            enums: BTreeMap::new(),
            client_methods: vec![],
            client_options: vec![],
        };
        let mut modules: BTreeMap<String, syn::File> = BTreeMap::new();
        for (module, name) in reexports(&root)? {
            if !modules.contains_key(&module) {
                modules.insert(module.clone(), parse(&module_file(src, &module))?);
            }
            let file = &modules[&module];
            if !declares(file, &name) {
                return Err(format!(
                    "`pub use {module}::{name}` in lib.rs: no `{name}` declared in {module}"
                ));
            }
            for item in &file.items {
                match item {
                    Item::Struct(s) if s.ident == name && is_pub(&s.vis) => {
                        let fields = pub_fields(&s.fields);
                        if !fields.is_empty() {
                            surface.records.insert(name.clone(), fields);
                        }
                    }
                    Item::Enum(e) if e.ident == name && is_pub(&e.vis) => {
                        surface.enums.insert(
                            name.clone(),
                            e.variants.iter().map(|v| v.ident.to_string()).collect(),
                        );
                    }
                    Item::Impl(i)
                        if i.trait_.is_none() && name == "Client" && is_type(&i.self_ty, "Client") =>
                    {
                        surface
                            .client_methods
                            .extend(pub_methods(&i.items).filter_map(|f| {
                                f.sig.receiver().map(|_| Method {
                                    name: f.sig.ident.to_string(),
                                    is_async: f.sig.asyncness.is_some(),
                                })
                            }));
                    }
                    Item::Impl(i)
                        if i.trait_.is_none()
                            && name == "ClientBuilder"
                            && is_type(&i.self_ty, "ClientBuilder") =>
                    {
                        surface
                            .client_options
                            .extend(pub_methods(&i.items).filter(|f| is_setter(f)).map(setter));
                    }
                    _ => {}
                }
            }
        }
        Ok(surface)
    }
}

fn parse(path: &Path) -> Result<syn::File, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    syn::parse_file(&text).map_err(|e| format!("cannot parse {}: {e}", path.display()))
}

fn module_file(src: &Path, module: &str) -> PathBuf {
    let flat = src.join(format!("{module}.rs"));
    if flat.exists() {
        flat
    } else {
        src.join(module).join("mod.rs")
    }
}

/// `(module, name)` of every `pub use module::{Name, ..}` of the crate root (renames keep the
/// declared name; deeper paths and globs are refused so that nothing is re-exported unseen).
fn reexports(root: &syn::File) -> Result<Vec<(String, String)>, String> {
    fn walk(module: &str, tree: &UseTree, out: &mut Vec<(String, String)>) -> Result<(), String> {
        match tree {
            UseTree::Name(n) => out.push((module.to_owned(), n.ident.to_string())),
            UseTree::Rename(r) => out.push((module.to_owned(), r.ident.to_string())),
            UseTree::Group(g) => g.items.iter().try_for_each(|t| walk(module, t, out))?,
            UseTree::Path(p) if module.is_empty() => walk(&p.ident.to_string(), &p.tree, out)?,
            UseTree::Path(_) | UseTree::Glob(_) => {
                return Err(format!(
                    "lib.rs: `pub use {module}::` a deeper path or a glob: not read by this tool"
                ))
            }
        }
        Ok(())
    }
    let mut out = vec![];
    for item in &root.items {
        if let Item::Use(u) = item {
            if is_pub(&u.vis) {
                walk("", &u.tree, &mut out)?;
            }
        }
    }
    Ok(out)
}

/// Whether `file` declares an item called `name` (any kind: records are only some of them).
fn declares(file: &syn::File, name: &str) -> bool {
    file.items.iter().any(|item| match item {
        Item::Struct(i) => i.ident == name,
        Item::Enum(i) => i.ident == name,
        Item::Trait(i) => i.ident == name,
        Item::Fn(i) => i.sig.ident == name,
        Item::Const(i) => i.ident == name,
        Item::Type(i) => i.ident == name,
        Item::Use(u) => is_pub(&u.vis) && use_names(&u.tree).iter().any(|n| n == name),
        _ => false,
    })
}

fn use_names(tree: &UseTree) -> Vec<String> {
    match tree {
        UseTree::Name(n) => vec![n.ident.to_string()],
        UseTree::Rename(r) => vec![r.rename.to_string()],
        UseTree::Path(p) => use_names(&p.tree),
        UseTree::Group(g) => g.items.iter().flat_map(use_names).collect(),
        UseTree::Glob(_) => vec![],
    }
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

fn is_type(ty: &Type, name: &str) -> bool {
    matches!(ty, Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == name))
}

fn pub_fields(fields: &Fields) -> Vec<String> {
    match fields {
        Fields::Named(named) => named
            .named
            .iter()
            .filter(|f| is_pub(&f.vis))
            .filter_map(|f| f.ident.as_ref().map(ToString::to_string))
            .collect(),
        Fields::Unnamed(_) | Fields::Unit => vec![],
    }
}

fn pub_methods(items: &[ImplItem]) -> impl Iterator<Item = &syn::ImplItemFn> {
    items.iter().filter_map(|i| match i {
        ImplItem::Fn(f) if is_pub(&f.vis) => Some(f),
        _ => None,
    })
}

/// A builder setter: takes `self` and returns `Self` (`build` returns the client, so it is not one).
fn is_setter(f: &syn::ImplItemFn) -> bool {
    f.sig.receiver().is_some()
        && matches!(&f.sig.output, ReturnType::Type(_, ty) if is_type(ty, "Self") || is_type(ty, "ClientBuilder"))
}

fn setter(f: &syn::ImplItemFn) -> ClientOption {
    let typed: Vec<&syn::PatType> = f
        .sig
        .inputs
        .iter()
        .filter_map(|a| match a {
            FnArg::Typed(t) => Some(t),
            FnArg::Receiver(_) => None,
        })
        .collect();
    ClientOption {
        name: f.sig.ident.to_string(),
        params: typed
            .iter()
            .filter_map(|t| match &*t.pat {
                Pat::Ident(i) => Some(i.ident.to_string()),
                _ => None,
            })
            .collect(),
        duration: typed.iter().any(|t| is_type(&t.ty, "Duration")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn core() -> Surface {
        Surface::read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../core/src")).unwrap()
    }

    #[test]
    fn reads_the_records_of_the_core_with_their_pub_fields() {
        let surface = core();
        let transfer = &surface.records["Transfer"];
        assert!(
            transfer.contains(&"client_transaction_id".to_owned()),
            "{transfer:?}"
        );
        assert!(transfer.contains(&"notify_url".to_owned()), "{transfer:?}");
        assert!(surface.records.contains_key("TransferInfo"));
        assert!(surface.records.contains_key("Limits"));
        // Types without named pub fields are not records: Client, Secret (a newtype), Error.
        for not_a_record in ["Client", "ClientBuilder", "Secret", "Error"] {
            assert!(!surface.records.contains_key(not_a_record), "{not_a_record}");
        }
        assert!(surface.enums["SendOutcome"].contains(&"Accepted".to_owned()));
        assert!(surface.records.len() >= 10, "{:?}", surface.records.keys());
    }

    #[test]
    fn reads_the_client_methods_and_the_builder_options() {
        let surface = core();
        let method = |n: &str| surface.client_methods.iter().find(|m| m.name == n);
        assert!(method("pay").is_some_and(|m| m.is_async));
        assert!(method("look_up").is_some());
        assert!(
            method("builder").is_none(),
            "an associated function is not a method"
        );
        let option = |n: &str| surface.client_options.iter().find(|o| o.name == n);
        assert!(option("base_url").is_some_and(|o| !o.duration));
        assert!(option("connect_timeout").is_some_and(|o| o.duration));
        assert_eq!(option("credentials").unwrap().params, ["api_key", "password"]);
        assert!(
            option("build").is_none(),
            "build returns the client, it is not an option"
        );
    }

    #[test]
    fn a_reexport_of_nothing_is_an_error_naming_it() {
        let dir = std::env::temp_dir().join(format!("cinetpay-surface-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("lib.rs"),
            "mod model;\npub use model::{Transfer, Gone};\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("model.rs"),
            "pub struct Transfer { pub amount: i64, secret: u8 }\n",
        )
        .unwrap();
        let err = Surface::read(&dir).unwrap_err();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(err.contains("no `Gone` declared in model"), "{err}");
    }
}
