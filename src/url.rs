//! Where requests go: environment resolution, path-segment encoding and query strings.

use crate::error::Error;

/// The 18 Genesys Cloud region hosts, by the region names the official SDK uses.
pub const REGION_HOSTS: [(&str, &str); 18] = [
    ("us_east_1", "mypurecloud.com"),
    ("eu_west_1", "mypurecloud.ie"),
    ("ap_southeast_2", "mypurecloud.com.au"),
    ("ap_northeast_1", "mypurecloud.jp"),
    ("eu_central_1", "mypurecloud.de"),
    ("us_west_2", "usw2.pure.cloud"),
    ("ca_central_1", "cac1.pure.cloud"),
    ("ap_northeast_2", "apne2.pure.cloud"),
    ("eu_west_2", "euw2.pure.cloud"),
    ("ap_south_1", "aps1.pure.cloud"),
    ("us_east_2", "use2.us-gov-pure.cloud"),
    ("sa_east_1", "sae1.pure.cloud"),
    ("me_central_1", "mec1.pure.cloud"),
    ("ap_northeast_3", "apne3.pure.cloud"),
    ("eu_central_2", "euc2.pure.cloud"),
    ("mx_central_1", "mxc1.pure.cloud"),
    ("ap_southeast_1", "apse1.pure.cloud"),
    ("eusc_de_east_1", "edee1.eusc-pure.cloud"),
];

/// The default environment, like the official SDK's.
pub const DEFAULT_ENVIRONMENT: &str = "mypurecloud.com";

/// Resolved base URLs of an environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    /// Base of the API, without a trailing slash: `https://api.mypurecloud.ie`.
    pub api: String,
    /// Base of the OAuth server: `https://login.mypurecloud.ie` (the API base for a custom URL).
    pub login: String,
}

/// Resolves what `setEnvironment` accepts, the forms the official SDK accepts and more:
/// a region host (`mypurecloud.ie`), `api.mypurecloud.ie`, `https://api.mypurecloud.ie`, or a
/// full base URL such as `http://127.0.0.1:8787` (kept as given: no https forced).
pub fn resolve_environment(input: &str) -> Result<Environment, Error> {
    let bad = |why: &str| Err(Error::validation("environment", format!("{why} (got \"{}\")", crate::schema::clip(input))));
    let s = input.trim();
    if s.is_empty() {
        return bad("must be a region host such as mypurecloud.ie or a base URL");
    }
    if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return bad("must not contain spaces or control characters");
    }
    // Found by hand rather than split_once("://"): a string pattern pulls a substring searcher into the wasm.
    let (scheme, rest) = match s.find(':').filter(|&i| s.get(i..).is_some_and(|r| r.starts_with("://"))) {
        Some(i) => (Some(s.get(..i).unwrap_or_default().to_ascii_lowercase()), s.get(i + 3..).unwrap_or_default()),
        None => (None, s),
    };
    if let Some(scheme) = &scheme {
        if scheme != "https" && scheme != "http" {
            return bad("must use http:// or https://");
        }
    }
    let rest = rest.trim_end_matches('/');
    if rest.contains(['?', '#', '@']) {
        return bad("must not contain a query, a fragment or credentials");
    }
    let (authority, base_path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    if authority.is_empty() || !authority.chars().all(|c| c.is_ascii_alphanumeric() || "-.:[]_".contains(c)) {
        return bad("has no valid host");
    }
    let host = authority.to_ascii_lowercase();
    let region = host.strip_prefix("api.").unwrap_or(&host);
    let is_region = REGION_HOSTS.iter().any(|(_, h)| *h == region);
    // A bare host, or any form of a known region, means the Genesys Cloud layout: api. and login.
    if (scheme.is_none() || is_region) && base_path.is_empty() {
        if !region.contains('.') {
            return bad("must be a region host such as mypurecloud.ie or a base URL");
        }
        let scheme = scheme.as_deref().unwrap_or("https");
        return Ok(Environment {
            api: format!("{scheme}://api.{region}"),
            login: format!("{scheme}://login.{region}"),
        });
    }
    let Some(scheme) = scheme else {
        return bad("a base URL with a path needs http:// or https://");
    };
    let api = format!("{scheme}://{authority}{base_path}");
    Ok(Environment { login: api.clone(), api })
}

/// Percent-encodes like JavaScript's `encodeURIComponent`.
pub fn encode_component(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
}

/// Checks and encodes one path parameter: never empty, never `.` or `..` (which would climb the path).
pub fn path_segment(name: &str, value: &str) -> Result<String, Error> {
    if value.trim().is_empty() {
        return Err(Error::validation(name, "is required and must not be empty"));
    }
    if value == "." || value == ".." {
        return Err(Error::validation(name, "must not be \".\" or \"..\""));
    }
    let mut out = String::with_capacity(value.len());
    encode_component(value, &mut out);
    Ok(out)
}

/// A query string under construction.
#[derive(Debug, Default)]
pub struct Query(String);

impl Query {
    /// Appends `name=value`, both encoded.
    pub fn push(&mut self, name: &str, value: &str) {
        self.0.push(if self.0.is_empty() { '?' } else { '&' });
        encode_component(name, &mut self.0);
        self.0.push('=');
        encode_component(value, &mut self.0);
    }

    /// The string, with its leading `?` (empty when there are no parameters).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(input: &str) -> String {
        resolve_environment(input).unwrap().api
    }

    #[test]
    fn region_forms_resolve_like_the_official_sdk() {
        for input in ["mypurecloud.ie", "api.mypurecloud.ie", "https://api.mypurecloud.ie", "https://mypurecloud.ie/", " MyPureCloud.ie "] {
            assert_eq!(api(input), "https://api.mypurecloud.ie", "{input}");
        }
        let env = resolve_environment("usw2.pure.cloud").unwrap();
        assert_eq!(env.login, "https://login.usw2.pure.cloud");
    }

    #[test]
    fn every_region_host_resolves() {
        for (_, host) in REGION_HOSTS {
            assert_eq!(api(host), format!("https://api.{host}"));
        }
    }

    #[test]
    fn full_base_urls_are_kept_without_forcing_https() {
        let env = resolve_environment("http://127.0.0.1:8787").unwrap();
        assert_eq!(env.api, "http://127.0.0.1:8787");
        assert_eq!(env.login, "http://127.0.0.1:8787");
        assert_eq!(api("http://localhost:8080/gateway/"), "http://localhost:8080/gateway");
        assert_eq!(api("https://gateway.example.com"), "https://gateway.example.com");
        assert_eq!(api("http://[::1]:9000"), "http://[::1]:9000");
    }

    #[test]
    fn nonsense_environments_are_refused() {
        for bad in ["", "   ", "ftp://x.com", "https://", "mypurecloud", "https://a.com?x=1", "https://u:p@a.com", "my host.com", "a.com/path", "http://a b"] {
            match resolve_environment(bad) {
                Err(Error::Validation { field, .. }) => assert_eq!(field, "environment"),
                other => panic!("{bad:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn components_encode_like_encode_uri_component() {
        let mut out = String::new();
        encode_component("a b/c?d#e&f=g%h+i~j'k(l)*m!n.o_p-q:r,s;tü😀", &mut out);
        assert_eq!(out, "a%20b%2Fc%3Fd%23e%26f%3Dg%25h%2Bi~j'k(l)*m!n.o_p-q%3Ar%2Cs%3Bt%C3%BC%F0%9F%98%80");
    }

    #[test]
    fn path_segments_are_checked_and_encoded() {
        assert_eq!(path_segment("segmentId", "a/b").unwrap(), "a%2Fb");
        for bad in ["", " ", ".", ".."] {
            assert!(path_segment("segmentId", bad).is_err(), "{bad:?}");
        }
        assert_eq!(path_segment("segmentId", "...").unwrap(), "...");
    }

    #[test]
    fn queries_join_and_encode() {
        let mut q = Query::default();
        assert_eq!(q.as_str(), "");
        q.push("segmentIds", "a,b");
        q.push("queryValue", "New York");
        assert_eq!(q.as_str(), "?segmentIds=a%2Cb&queryValue=New%20York");
    }
}
