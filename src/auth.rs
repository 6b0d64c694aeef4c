//! Credentials: the bearer header, and the OAuth client-credentials grant request.

use crate::error::Error;
use crate::operations::{Body, Method, Operation, Success};
use crate::request::{Plan, Settings};
use crate::url::Environment;
use crate::validate;

/// The token request, described like any other operation so it shares the pipeline.
/// Only 429 is retried: a token request is not idempotent enough to repeat on a gateway error.
pub static TOKEN_REQUEST: Operation = Operation {
    name: "loginClientCredentialsGrant",
    method: Method::Post,
    path: "/oauth/token",
    path_param: None,
    query: &[],
    body: Body::None,
    idempotent: false,
    success: Success::Json,
    rules: validate::none,
};

/// The body of a client-credentials token request.
pub const TOKEN_REQUEST_BODY: &str = "grant_type=client_credentials";

/// `Bearer <token>`, after checking the token can travel in a header.
/// The error never repeats the token.
pub fn bearer(token: &str) -> Result<String, Error> {
    header_safe("accessToken", token)?;
    Ok(format!("Bearer {token}"))
}

/// `Basic base64(id:secret)` for the token request.
pub fn basic(client_id: &str, client_secret: &str) -> Result<String, Error> {
    if client_id.is_empty() {
        return Err(Error::validation("clientId", "is required"));
    }
    if client_secret.is_empty() {
        return Err(Error::validation("clientSecret", "is required"));
    }
    if client_id.contains(':') {
        return Err(Error::validation("clientId", "must not contain ':'"));
    }
    header_safe("clientId", client_id)?;
    header_safe("clientSecret", client_secret)?;
    Ok(format!("Basic {}", base64(format!("{client_id}:{client_secret}").as_bytes())))
}

/// The plan of a token request against `env`.
pub fn token_plan(env: &Environment, settings: Settings) -> Plan {
    Plan {
        operation: &TOKEN_REQUEST,
        url: format!("{}{}", env.login, TOKEN_REQUEST.path),
        has_body: true,
        headers: Vec::new(),
        settings,
    }
}

fn header_safe(field: &str, secret: &str) -> Result<(), Error> {
    if secret.trim().is_empty() {
        return Err(Error::validation(field, "is empty"));
    }
    if secret.chars().any(|c| c.is_control() || c as u32 > 0x7E) {
        return Err(Error::validation(field, "contains characters that cannot be sent in an HTTP header (value not shown)"));
    }
    Ok(())
}

/// Standard base64 with padding.
pub fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url::resolve_environment;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        let cases = [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")];
        for (i, o) in cases {
            assert_eq!(base64(i.as_bytes()), o);
        }
    }

    #[test]
    fn basic_header() {
        assert_eq!(basic("demo-client", "demo-secret").unwrap(), "Basic ZGVtby1jbGllbnQ6ZGVtby1zZWNyZXQ=");
        assert!(basic("", "s").is_err());
        assert!(basic("a:b", "s").is_err());
        assert!(basic("a", "").is_err());
    }

    #[test]
    fn bearer_refuses_unsendable_tokens_without_echoing_them() {
        assert_eq!(bearer("abc.def").unwrap(), "Bearer abc.def");
        for bad in ["secret\nInjected: 1", "sécret", "  "] {
            let e = bearer(bad).unwrap_err();
            assert!(!e.to_string().contains("ecret"), "{e}");
        }
    }

    #[test]
    fn token_request_goes_to_the_login_host() {
        let env = resolve_environment("mypurecloud.ie").unwrap();
        assert_eq!(token_plan(&env, Settings::default()).url, "https://login.mypurecloud.ie/oauth/token");
        let local = resolve_environment("http://127.0.0.1:8787").unwrap();
        assert_eq!(token_plan(&local, Settings::default()).url, "http://127.0.0.1:8787/oauth/token");
    }
}
