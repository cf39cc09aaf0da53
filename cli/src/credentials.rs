//! Where the API key and password come from: the environment, or a file named by a flag.
//!
//! Never from flags (they end up in shell history and `ps`), and never printed: values are wrapped
//! in the core's `Secret` as soon as they are read, and errors about the file name its line
//! numbers, never its content. The file is read with `dotenvy` (the `.env` syntax people know:
//! `#` comments, `export`, quotes; `$VAR` is expanded outside single quotes, so a password
//! containing `$` goes in single quotes). dotenvy's own parse error quotes the line, which may
//! hold the password, so it is replaced by the line's number.

use std::path::Path;

use cinetpay_transfer::Secret;

use crate::exit::{CliError, Exit};
use crate::i18n::{t, text};

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
            let contents = std::fs::read_to_string(path).map_err(|e| {
                CliError::new(
                    Exit::Error,
                    t!(
                        "credentials-unreadable",
                        path = text(path.display()),
                        reason = text(e)
                    ),
                )
            })?;
            let (key, password) = parse_file(&contents).map_err(|line| {
                CliError::new(
                    Exit::Error,
                    match line {
                        0 => t!("credentials-bad-line", path = text(path.display())),
                        n => t!(
                            "credentials-bad-line-at",
                            path = text(path.display()),
                            line = text(n)
                        ),
                    },
                )
            })?;
            (
                key,
                password,
                t!("credentials-in-file", path = text(path.display())),
            )
        }
        None => (
            std::env::var(API_KEY_VAR).ok(),
            std::env::var(PASSWORD_VAR).ok(),
            t!("credentials-in-env"),
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
            t!(
                "credentials-missing",
                names = text(missing.join(&format!(" {} ", t!("credentials-and")))),
                origin = text(origin)
            ),
        ));
    }
    Ok(Credentials {
        api_key: Secret::new(api_key.unwrap_or_default().trim()),
        password: Secret::new(password.unwrap_or_default()),
    })
}

/// The two values of a credentials file; `Err(line)` names a malformed line (0 when it cannot be
/// told). Other keys are ignored, and nothing is put in the environment.
fn parse_file(text: &str) -> Result<(Option<String>, Option<String>), usize> {
    let mut api_key = None;
    let mut password = None;
    for item in dotenvy::from_read_iter(text.as_bytes()) {
        match item {
            Ok((key, value)) if key == API_KEY_VAR => api_key = Some(value),
            Ok((key, value)) if key == PASSWORD_VAR => password = Some(value),
            Ok(_) => {}
            Err(dotenvy::Error::LineParse(bad, _)) => {
                let at = text
                    .lines()
                    .position(|l| l.trim() == bad.trim() || l.contains(bad.trim()));
                return Err(at.map_or(0, |i| i + 1));
            }
            Err(_) => return Err(0),
        }
    }
    Ok((api_key, password))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_env_style_files() {
        let text = "# merchant\nexport CINETPAY_API_KEY=\"k-1\"\n\nCINETPAY_API_PASSWORD='p=2$x'\nOTHER=x\n";
        assert_eq!(parse_file(text), Ok((Some("k-1".into()), Some("p=2$x".into()))));
        assert_eq!(parse_file("CINETPAY_API_KEY=k\nnonsense here\n"), Err(2));
    }
}
