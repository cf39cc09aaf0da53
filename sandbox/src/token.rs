//! Tokens: JWT-shaped strings the sandbox remembers.
//!
//! Clients read `exp` from the payload to refresh ahead of time, so the shape must be a real JWT
//! (base64url header, payload with `iat`/`exp` in Unix seconds of the sandbox clock, signature). The
//! sandbox never verifies the signature: it looks the whole string up, which makes a garbage or forged
//! token 706 and a known one past its `exp` 705.

use std::collections::HashMap;
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::clock::millis;
use crate::codes::ApiCode;

#[derive(Debug, Clone)]
struct Issued {
    api_key: String,
    exp_ms: u64,
}

/// Every token issued since the last reset.
#[derive(Debug, Default)]
pub struct TokenBook {
    issued: HashMap<String, Issued>,
}

impl TokenBook {
    /// Issues a token for the merchant `api_key`, valid for `lifetime` from `now_ms`.
    pub fn issue(&mut self, api_key: &str, now_ms: u64, lifetime: Duration) -> String {
        let exp_ms = now_ms.saturating_add(millis(lifetime));
        let header = URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT","alg":"HS256"}"#);
        let payload = serde_json::json!({
            "iss": "cinetpay-sandbox",
            "jti": uuid::Uuid::new_v4().to_string(),
            "iat": now_ms / 1000,
            "exp": exp_ms / 1000,
        });
        let payload = URL_SAFE_NO_PAD.encode(payload.to_string());
        let signature: Vec<u8> = (0..32).map(|_| fastrand::u8(..)).collect();
        let token = format!("{header}.{payload}.{}", URL_SAFE_NO_PAD.encode(signature));
        self.issued.insert(
            token.clone(),
            Issued {
                api_key: api_key.to_string(),
                exp_ms,
            },
        );
        token
    }

    /// The merchant a token belongs to, or 706 (unknown) / 705 (expired).
    pub fn verify(&self, token: &str, now_ms: u64) -> Result<String, ApiCode> {
        let issued = self.issued.get(token).ok_or(ApiCode::InvalidToken)?;
        if now_ms >= issued.exp_ms {
            return Err(ApiCode::ExpiredToken);
        }
        Ok(issued.api_key.clone())
    }

    /// Makes every token expired as of `now_ms`; returns how many were still valid.
    pub fn expire_all(&mut self, now_ms: u64) -> usize {
        let mut expired = 0;
        for issued in self.issued.values_mut() {
            if issued.exp_ms > now_ms {
                issued.exp_ms = now_ms;
                expired += 1;
            }
        }
        expired
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_is_jwt_shaped_and_expires() {
        let mut book = TokenBook::default();
        let token = book.issue("k", 1_000_000, Duration::from_secs(300));
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        let payload: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        assert_eq!(payload["iat"], 1000);
        assert_eq!(payload["exp"], 1300);
        assert_eq!(book.verify(&token, 1_000_000).unwrap(), "k");
        assert_eq!(book.verify(&token, 1_300_000), Err(ApiCode::ExpiredToken));
        assert_eq!(book.verify("garbage", 0), Err(ApiCode::InvalidToken));
        assert_eq!(book.expire_all(1_000_001), 1);
        assert_eq!(book.verify(&token, 1_000_001), Err(ApiCode::ExpiredToken));
    }
}
