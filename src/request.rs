//! Turns an operation, its arguments and the caller's options into a checked request plan.
//! Everything that can be refused is refused here, before anything is sent.

use crate::error::Error;
use crate::operations::{Body, Operation, ParamKind};
use crate::schema::{self, is_integer};
use crate::url::{path_segment, Query};
use crate::value::Value;

/// Options every method takes besides its own parameters (`signal` is read by the transport).
pub const COMMON_OPTIONS: [&str; 4] = ["signal", "timeout", "maxRetries", "customHeaders"];

/// Longest timeout accepted (what `setTimeout` can hold).
pub const MAX_TIMEOUT_MS: f64 = 2_147_483_647.0;
/// Most retries accepted; more would hammer a struggling server.
pub const MAX_RETRIES: f64 = 10.0;

/// Client-wide settings, each overridable per call where it makes sense.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Per-attempt timeout; 0 means none.
    pub timeout_ms: u32,
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// Longest server-requested wait the client honours.
    pub max_retry_after_ms: u64,
}

impl Default for Settings {
    fn default() -> Self {
        // The official SDK's timeout is 16 s; it does not retry at all.
        Settings { timeout_ms: 16_000, max_retries: 3, max_retry_after_ms: 60_000 }
    }
}

impl Settings {
    /// Applies `ApiClient` options (`maxRetries`, `timeout`, `maxRetryAfterMs`) over `self`.
    pub fn configure(mut self, options: &Value) -> Result<Settings, Error> {
        let Value::Object(members) = options else {
            return Err(Error::validation("options", format!("expected an object, got {}", options.type_name())));
        };
        for (key, value) in members {
            if matches!(value, Value::Null) {
                continue;
            }
            let field = format!("options.{key}");
            match key.as_str() {
                "maxRetries" => self.max_retries = whole(value, &field, MAX_RETRIES)? as u32,
                "timeout" => self.timeout_ms = whole(value, &field, MAX_TIMEOUT_MS)? as u32,
                "maxRetryAfterMs" => self.max_retry_after_ms = whole(value, &field, MAX_TIMEOUT_MS)? as u64,
                _ => return Err(unknown_key(&field, &["maxRetries", "timeout", "maxRetryAfterMs"])),
            }
        }
        Ok(self)
    }
}

/// A checked request, ready for the transport.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The operation.
    pub operation: &'static Operation,
    /// Absolute URL.
    pub url: String,
    /// Whether the caller's body is sent (as `JSON.stringify` makes it).
    pub has_body: bool,
    /// The caller's `customHeaders`, checked.
    pub headers: Vec<(String, String)>,
    /// Effective settings for this call.
    pub settings: Settings,
}

/// Checks the arguments of `operation` and builds its plan.
///
/// `arg` is the path parameter, or the body for operations that take it first; `opts` is the
/// options object (`Value::Null` when absent).
pub fn plan(operation: &'static Operation, api_base: &str, arg: &Value, opts: &Value, client: Settings) -> Result<Plan, Error> {
    let members: &[(String, Value)] = match opts {
        Value::Null => &[],
        Value::Object(m) => m,
        other => return Err(Error::validation("opts", format!("expected an options object, got {}", other.type_name()))),
    };

    let mut url = String::with_capacity(api_base.len() + operation.path.len() + 48);
    url.push_str(api_base);
    url.push_str(operation.path);
    if let Some(name) = operation.path_param {
        let Value::String(id) = arg else {
            return Err(Error::validation(name, format!("expected a string id, got {}", schema::describe(arg))));
        };
        url.push('/');
        url.push_str(&path_segment(name, id)?);
    }

    let body = match operation.body {
        Body::None => None,
        Body::InOptions(_) => Some(opts.get_present("body")),
        Body::Argument(_) => Some(Some(arg).filter(|v| !matches!(v, Value::Null))),
    };
    if let (Body::InOptions(s) | Body::Argument(s), Some(body)) = (&operation.body, body) {
        let Some(body) = body else {
            return Err(Error::validation("body", format!("is required: {} takes a {} body", operation.name, s.name)));
        };
        schema::check(body, s, "body")?;
    }

    let mut settings = client;
    let mut headers = Vec::new();
    let mut query = Query::default();
    for (key, value) in members {
        let field = format!("opts.{key}");
        if matches!(value, Value::Null) {
            continue;
        }
        match key.as_str() {
            "signal" => {}
            "body" if matches!(operation.body, Body::InOptions(_)) => {}
            "timeout" => settings.timeout_ms = whole(value, &field, MAX_TIMEOUT_MS)? as u32,
            "maxRetries" => settings.max_retries = whole(value, &field, MAX_RETRIES)? as u32,
            "customHeaders" => headers = custom_headers(value)?,
            _ => match operation.query.iter().find(|p| p.name == key) {
                Some(param) => query_param(&mut query, param.name, param.kind, value, &field)?,
                None => return Err(unknown_option(operation, &field)),
            },
        }
    }
    (operation.rules)(opts, body.flatten())?;
    url.push_str(query.as_str());
    Ok(Plan { operation, url, has_body: body.is_some(), headers, settings })
}

fn query_param(query: &mut Query, name: &str, kind: ParamKind, value: &Value, field: &str) -> Result<(), Error> {
    let wrong = |what: &str| Err(Error::validation(field, format!("expected {what}, got {}", schema::describe(value))));
    match (kind, value) {
        (ParamKind::PositiveInt, Value::Number(n)) if is_integer(*n) && *n >= 1.0 && *n <= i32::MAX as f64 => {
            query.push(name, &(*n as i64).to_string());
        }
        (ParamKind::PositiveInt, _) => return wrong("a positive integer"),
        (ParamKind::Bool, Value::Bool(b)) => query.push(name, if *b { "true" } else { "false" }),
        (ParamKind::Bool, _) => return wrong("a boolean"),
        (ParamKind::Str, Value::String(s)) if !s.is_empty() => query.push(name, s),
        (ParamKind::Str, _) => return wrong("a non-empty string"),
        (ParamKind::StrList, Value::Array(items)) => {
            if items.is_empty() {
                return Err(Error::validation(field, "must not be an empty list"));
            }
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::String(s) if !s.trim().is_empty() => query.push(name, s),
                    other => {
                        return Err(Error::validation(
                            format!("{field}[{i}]"),
                            format!("expected a non-empty string, got {}", schema::describe(other)),
                        ))
                    }
                }
            }
        }
        // A single string is accepted as a one-item list, as the official SDK does.
        (ParamKind::StrList, Value::String(s)) if !s.trim().is_empty() => query.push(name, s),
        (ParamKind::StrList, _) => return wrong("a list of strings"),
    }
    Ok(())
}

fn whole(value: &Value, field: &str, max: f64) -> Result<f64, Error> {
    match value {
        Value::Number(n) if is_integer(*n) && *n >= 0.0 && *n <= max => Ok(*n),
        other => Err(Error::validation(
            field,
            format!("expected a whole number from 0 to {}, got {}", max as u64, schema::describe(other)),
        )),
    }
}

/// Header names are RFC 9110 tokens; values have no line breaks or NULs and fit in Latin-1,
/// which is what `fetch` accepts (checked here so `fetch` never throws on them).
fn custom_headers(value: &Value) -> Result<Vec<(String, String)>, Error> {
    let Value::Object(members) = value else {
        return Err(Error::validation("opts.customHeaders", format!("expected an object of header names to values, got {}", value.type_name())));
    };
    let mut out = Vec::with_capacity(members.len());
    for (name, v) in members {
        let field = format!("opts.customHeaders.{name}");
        let token = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        if !token {
            return Err(Error::validation(field, "is not a valid header name"));
        }
        let Value::String(text) = v else {
            return Err(Error::validation(field, format!("expected a string, got {}", v.type_name())));
        };
        if text.chars().any(|c| c == '\r' || c == '\n' || c == '\0' || c as u32 > 0xFF) {
            return Err(Error::validation(field, "must not contain line breaks, NUL or characters beyond Latin-1"));
        }
        out.push((name.clone(), text.clone()));
    }
    Ok(out)
}

fn unknown_option(operation: &Operation, field: &str) -> Error {
    let mut known: Vec<&str> = operation.query.iter().map(|p| p.name).collect();
    if matches!(operation.body, Body::InOptions(_)) {
        known.push("body");
    }
    known.extend(COMMON_OPTIONS);
    let mut e = unknown_key(field, &known);
    if let Error::Validation { message, .. } = &mut e {
        message.insert_str(0, &format!("{} ", operation.name));
    }
    e
}

fn unknown_key(field: &str, known: &[&str]) -> Error {
    let key = field.rsplit('.').next().unwrap_or(field);
    let near = known.iter().find(|k| k.eq_ignore_ascii_case(key));
    let hint = match near {
        Some(k) => format!(" (did you mean {k}?)"),
        None => String::new(),
    };
    Error::validation(field, format!("takes no such option{hint}; known: {}", known.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operations::by_name;

    const BASE: &str = "https://api.mypurecloud.com";

    fn v(json: &str) -> Value {
        serde_json::from_str(json).unwrap()
    }

    fn plan_of(op: &str, arg: &str, opts: &str) -> Result<Plan, Error> {
        plan(by_name(op).unwrap(), BASE, &v(arg), &v(opts), Settings::default())
    }

    fn refused(op: &str, arg: &str, opts: &str) -> (String, String) {
        match plan_of(op, arg, opts) {
            Err(Error::Validation { field, message }) => (field, message),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn listing_query_is_built_in_option_order_and_encoded() {
        let p = plan_of("getJourneySegments", "null", r#"{"sortBy":"-createdDate","pageSize":100,"pageNumber":2,"isActive":false}"#).unwrap();
        assert_eq!(p.url, "https://api.mypurecloud.com/api/v2/journey/segments?sortBy=-createdDate&pageSize=100&pageNumber=2&isActive=false");
        assert!(!p.has_body);
        let q = plan_of("getJourneySegments", "null", r#"{"queryFields":["displayName","description"],"queryValue":"New York"}"#).unwrap();
        assert!(q.url.ends_with("?queryFields=displayName&queryFields=description&queryValue=New%20York"), "{}", q.url);
        let ids = plan_of("getJourneySegments", "null", r#"{"segmentIds":["a b","c"]}"#).unwrap();
        assert!(ids.url.ends_with("?segmentIds=a%20b&segmentIds=c"));
        let one = plan_of("getJourneySegments", "null", r#"{"segmentIds":"a"}"#).unwrap();
        assert!(one.url.ends_with("?segmentIds=a"));
    }

    #[test]
    fn path_parameters_are_encoded_and_required() {
        let p = plan_of("getJourneySegment", r#""a/b?c""#, "null").unwrap();
        assert_eq!(p.url, "https://api.mypurecloud.com/api/v2/journey/segments/a%2Fb%3Fc");
        assert_eq!(refused("getJourneySegment", r#""""#, "null").0, "segmentId");
        assert_eq!(refused("deleteJourneySegment", "null", "null").0, "segmentId");
        assert_eq!(refused("getJourneyActiontarget", "42", "null"), ("actionTargetId".into(), "expected a string id, got 42".into()));
        assert_eq!(refused("patchJourneySegment", r#""..""#, r#"{"body":{}}"#).0, "segmentId");
    }

    #[test]
    fn bodies_are_required_and_checked() {
        assert_eq!(refused("postJourneySegments", "null", "null").0, "body");
        assert_eq!(refused("postJourneySegments", "null", r#"{"body":{}}"#).0, "body.displayName");
        assert_eq!(refused("postJourneySegments", "null", r##"{"body":{"displayName":"x","color":"red"}}"##).0, "body.color");
        assert_eq!(refused("postAnalyticsJourneysAggregatesQuery", "null", "null").0, "body");
        assert_eq!(refused("postAnalyticsJourneysAggregatesQuery", r#"{"interval":"x"}"#, "null").0, "body.metrics");
        let p = plan_of("postJourneySegments", "null", r##"{"body":{"displayName":"x","color":"#ffffff"}}"##).unwrap();
        assert!(p.has_body);
        assert_eq!(p.url, "https://api.mypurecloud.com/api/v2/journey/segments");
        let p = plan_of("patchJourneySegment", r#""id1""#, r#"{"body":{"version":3}}"#).unwrap();
        assert!(p.has_body);
    }

    #[test]
    fn options_are_typed() {
        assert_eq!(refused("getJourneySegments", "null", r#"{"pageSize":0}"#).0, "opts.pageSize");
        assert_eq!(refused("getJourneySegments", "null", r#"{"pageSize":2.5}"#).0, "opts.pageSize");
        assert_eq!(refused("getJourneySegments", "null", r#"{"pageNumber":"2"}"#).0, "opts.pageNumber");
        assert_eq!(refused("getJourneySegments", "null", r#"{"isActive":"yes"}"#).0, "opts.isActive");
        assert_eq!(refused("getJourneySegments", "null", r#"{"segmentIds":[]}"#).0, "opts.segmentIds");
        assert_eq!(refused("getJourneySegments", "null", r#"{"segmentIds":["a",1]}"#).0, "opts.segmentIds[1]");
        assert_eq!(refused("getJourneySegments", "null", "[]").0, "opts");
        assert_eq!(refused("getJourneySegment", r#""x""#, r#"{"timeout":-1}"#).0, "opts.timeout");
        assert_eq!(refused("getJourneySegment", r#""x""#, r#"{"maxRetries":11}"#).0, "opts.maxRetries");
    }

    #[test]
    fn unknown_options_are_refused_with_a_hint() {
        let (field, message) = refused("getJourneySegments", "null", r#"{"pagesize":5}"#);
        assert_eq!(field, "opts.pagesize");
        assert!(message.contains("did you mean pageSize?"), "{message}");
        assert!(message.starts_with("getJourneySegments takes no such option"), "{message}");
        let (_, message) = refused("getJourneySegment", r#""x""#, r#"{"body":{}}"#);
        assert!(message.contains("known: signal, timeout, maxRetries, customHeaders"), "{message}");
    }

    #[test]
    fn null_options_mean_absent() {
        let p = plan_of("getJourneySegments", "null", r#"{"pageSize":null,"isActive":null,"signal":null}"#).unwrap();
        assert_eq!(p.url, "https://api.mypurecloud.com/api/v2/journey/segments");
    }

    #[test]
    fn per_call_settings_override_the_client() {
        let p = plan_of("getJourneySegment", r#""x""#, r#"{"timeout":50,"maxRetries":0,"customHeaders":{"X-Trace":"1"}}"#).unwrap();
        assert_eq!(p.settings.timeout_ms, 50);
        assert_eq!(p.settings.max_retries, 0);
        assert_eq!(p.settings.max_retry_after_ms, 60_000);
        assert_eq!(p.headers, vec![("X-Trace".to_owned(), "1".to_owned())]);
    }

    #[test]
    fn custom_headers_are_checked() {
        assert_eq!(refused("getJourneySegment", r#""x""#, r#"{"customHeaders":{"Bad Name":"v"}}"#).0, "opts.customHeaders.Bad Name");
        assert_eq!(refused("getJourneySegment", r#""x""#, r#"{"customHeaders":{"X":"a\nb"}}"#).0, "opts.customHeaders.X");
        assert_eq!(refused("getJourneySegment", r#""x""#, r#"{"customHeaders":{"X":"😀"}}"#).0, "opts.customHeaders.X");
        assert_eq!(refused("getJourneySegment", r#""x""#, r#"{"customHeaders":{"X":1}}"#).0, "opts.customHeaders.X");
        assert_eq!(refused("getJourneySegment", r#""x""#, r#"{"customHeaders":"X: 1"}"#).0, "opts.customHeaders");
    }

    #[test]
    fn client_settings() {
        let s = Settings::default().configure(&v(r#"{"maxRetries":0,"timeout":100,"maxRetryAfterMs":5}"#)).unwrap();
        assert_eq!(s, Settings { timeout_ms: 100, max_retries: 0, max_retry_after_ms: 5 });
        assert!(Settings::default().configure(&v(r#"{"retries":1}"#)).is_err());
        assert!(Settings::default().configure(&v(r#"{"timeout":"1s"}"#)).is_err());
        assert!(Settings::default().configure(&v("7")).is_err());
    }
}
