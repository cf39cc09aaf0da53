//! Where the API key and password come from: the environment, or a file named by a flag.
//!
//! Never from flags (they end up in shell history and `ps`), and never printed: values are wrapped
//! in the core's `Secret` as soon as they are read, and errors about the file name its line
//! numbers, never its content.

use std::path::Path;

use cinetpay_transfer::Secret;

use crate::exit::{CliError, Exit};

pub const API_KEY_VAR: &str = "CINETPAY_API_KEY";
pub const PASSWORD_VAR: &str = "CINETPAY_API_PASSWORD";

/// The merchant's API key and API password.
pub struct Credentials {
    pub api_key: Secret,
    pub password: Secret,
}

/// Reads the credentials from `file` when given, else from the environment.
pub fn load(file: Option<&Path>) -> Result<Credentials, CliError> {
    let (api_key, password, origin) = match file {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                CliError::new(
                    Exit::Error,
                    format!("cannot read credentials file {}: {e}", path.display()),
                )
            })?;
            let (key, password) = parse_file(&text).map_err(|line| {
                CliError::new(
                    Exit::Error,
                    format!("{}:{line}: not a KEY=VALUE line", path.display()),
                )
            })?;
            (key, password, format!("in {}", path.display()))
        }
        None => (
            std::env::var(API_KEY_VAR).ok(),
            std::env::var(PASSWORD_VAR).ok(),
            "in the environment".to_owned(),
        ),
    };
    let missing: Vec<&str> = [(API_KEY_VAR, &api_key), (PASSWORD_VAR, &password)]
        .into_iter()
        .filter(|(_, value)| value.as_deref().is_none_or(|v| v.trim().is_empty()))
        .map(|(name, _)| name)
        .collect();
    if !missing.is_empty() {
        return Err(CliError::new(
            Exit::Error,
            format!(
                "{} not set {origin}: set them in the environment or use --credentials-file \
                 (or --sandbox to try without an account)",
                missing.join(" and ")
            ),
        ));
    }
    Ok(Credentials {
        api_key: Secret::new(api_key.unwrap_or_default().trim()),
        password: Secret::new(password.unwrap_or_default()),
    })
}

/// The two values of a credentials file; `Err(line)` names a malformed line. Blank lines,
/// `#` comments, `export ` prefixes and surrounding quotes are accepted; other keys are ignored.
fn parse_file(text: &str) -> Result<(Option<String>, Option<String>), usize> {
    let mut api_key = None;
    let mut password = None;
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let (key, value) = line.split_once('=').ok_or(index + 1)?;
        let value = value.trim();
        let value = ['"', '\'']
            .iter()
            .find_map(|q| value.strip_prefix(*q).and_then(|v| v.strip_suffix(*q)))
            .unwrap_or(value)
            .to_owned();
        match key.trim() {
            API_KEY_VAR => api_key = Some(value),
            PASSWORD_VAR => password = Some(value),
            _ => {}
        }
    }
    Ok((api_key, password))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_env_style_files() {
        let text = "# merchant\nexport CINETPAY_API_KEY=\"k-1\"\n\nCINETPAY_API_PASSWORD='p=2'\nOTHER=x\n";
        assert_eq!(parse_file(text), Ok((Some("k-1".into()), Some("p=2".into()))));
        assert_eq!(parse_file("CINETPAY_API_KEY=k\nnonsense\n"), Err(2));
    }
}
