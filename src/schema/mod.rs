//! Request schemas as data, and the walk that checks a value against one.
//!
//! The tables in `generated.rs` come from the spec; this module knows nothing of any particular
//! schema. Rules the spec states only in prose live in `validate`.

mod generated;

pub use generated::*;

use crate::error::Error;
use crate::value::{Value, MAX_DEPTH};

/// What a property holds (for arrays: what each item holds).
#[derive(Debug)]
pub enum Kind {
    /// Any string.
    Str,
    /// An ISO-8601 date-time string.
    DateTime,
    /// `true` or `false`.
    Bool,
    /// An integer that fits in 32 bits.
    Int32,
    /// An integer that JavaScript can hold exactly.
    Int64,
    /// Any finite number.
    Number,
    /// One of these strings.
    Enum(&'static [&'static str]),
    /// An object of this schema.
    Object(&'static Schema),
}

/// One property of a schema.
#[derive(Debug)]
pub struct Prop {
    /// Name on the wire.
    pub name: &'static str,
    /// What it holds.
    pub kind: Kind,
    /// Whether it is a list of `kind`.
    pub array: bool,
    /// Whether a request must carry it.
    pub required: bool,
    /// Whether only the server sets it.
    pub read_only: bool,
}

/// An object schema.
#[derive(Debug)]
pub struct Schema {
    /// Name in the spec.
    pub name: &'static str,
    /// Its properties, in spec order.
    pub props: &'static [Prop],
}

impl Schema {
    /// The property called `name`.
    pub fn prop(&self, name: &str) -> Option<&'static Prop> {
        self.props.iter().find(|p| p.name == name)
    }
}

/// Checks `value` against `schema`; `path` names it in errors (e.g. `body`).
///
/// Unknown members are allowed and sent as given: the API may know fields this table does not.
pub fn check(value: &Value, schema: &'static Schema, path: &str) -> Result<(), Error> {
    check_object(value, schema, path, 0)
}

fn check_object(value: &Value, schema: &'static Schema, path: &str, depth: usize) -> Result<(), Error> {
    if depth > MAX_DEPTH {
        return Err(Error::validation(path, format!("nested deeper than {MAX_DEPTH} levels")));
    }
    let Value::Object(members) = value else {
        return Err(Error::validation(
            path,
            format!("expected an object ({}), got {}", schema.name, value.type_name()),
        ));
    };
    for prop in schema.props {
        let member = members.iter().find(|(k, _)| k == prop.name).map(|(_, v)| v);
        let field = join(path, prop.name);
        match member {
            None | Some(Value::Null) if prop.required => {
                return Err(Error::validation(field, format!("is required by {}", schema.name)));
            }
            None | Some(Value::Null) => {}
            Some(_) if prop.read_only => {
                return Err(Error::validation(field, "is read-only: the server sets it, so leave it out"));
            }
            Some(Value::Array(items)) if prop.array => {
                for (i, item) in items.iter().enumerate() {
                    check_kind(item, &prop.kind, &format!("{field}[{i}]"), depth + 1)?;
                }
            }
            Some(other) if prop.array => {
                return Err(Error::validation(field, format!("expected an array, got {}", other.type_name())));
            }
            // A required name or key that is blank is as missing as an absent one.
            Some(Value::String(text)) if prop.required && text.trim().is_empty() => {
                return Err(Error::validation(field, format!("is required by {} and must not be blank", schema.name)));
            }
            Some(v) => check_kind(v, &prop.kind, &field, depth + 1)?,
        }
    }
    Ok(())
}

fn check_kind(value: &Value, kind: &Kind, path: &str, depth: usize) -> Result<(), Error> {
    let wrong = |expected: &str| {
        Err(Error::validation(path, format!("expected {expected}, got {}", describe(value))))
    };
    match (kind, value) {
        (Kind::Object(schema), _) => check_object(value, schema, path, depth),
        (Kind::Str, Value::String(_)) => Ok(()),
        (Kind::DateTime, Value::String(s)) if is_date_time(s) => Ok(()),
        (Kind::DateTime, _) => wrong("an ISO-8601 date-time such as 2026-01-31T12:00:00Z"),
        (Kind::Bool, Value::Bool(_)) => Ok(()),
        (Kind::Int32, Value::Number(n)) if is_integer(*n) && *n >= i32::MIN as f64 && *n <= i32::MAX as f64 => Ok(()),
        (Kind::Int32, _) => wrong("a 32-bit integer"),
        (Kind::Int64, Value::Number(n)) if is_integer(*n) && n.abs() <= 9_007_199_254_740_991.0 => Ok(()),
        (Kind::Int64, _) => wrong("an integer"),
        (Kind::Number, Value::Number(n)) if n.is_finite() => Ok(()),
        (Kind::Number, _) => wrong("a finite number"),
        (Kind::Enum(allowed), Value::String(s)) if allowed.contains(&s.as_str()) => Ok(()),
        (Kind::Enum(allowed), Value::String(s)) => Err(Error::validation(
            path,
            format!("\"{}\" is not one of {}", clip(s), list(allowed)),
        )),
        (Kind::Enum(allowed), _) => wrong(&format!("one of {}", list(allowed))),
        (Kind::Str, _) => wrong("a string"),
        (Kind::Bool, _) => wrong("a boolean"),
    }
}

/// `a.b`, or `b` when there is no parent path.
pub fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

/// Whether `n` is a whole number.
pub fn is_integer(n: f64) -> bool {
    n.is_finite() && n.fract() == 0.0
}

/// The value as an error message shows it: short, and never a whole object.
pub fn describe(value: &Value) -> String {
    match value {
        Value::String(s) => format!("\"{}\"", clip(s)),
        Value::Number(n) => number(*n),
        Value::Bool(b) => if *b { "true".into() } else { "false".into() },
        other => other.type_name().to_owned(),
    }
}

/// A number as JavaScript would print it, to six decimals. Written out by hand because Rust's
/// float formatting adds about 15 KB to the `.wasm`.
pub fn number(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity".into() } else { "-Infinity".into() };
    }
    if n.abs() >= 1e15 {
        return if n > 0.0 { "a number above 1e15".into() } else { "a number below -1e15".into() };
    }
    let micros = (n.abs() * 1e6).round() as u64;
    let mut out = String::new();
    if n < 0.0 && micros > 0 {
        out.push('-');
    }
    out.push_str(&(micros / 1_000_000).to_string());
    let frac = micros % 1_000_000;
    if frac > 0 {
        let digits = (frac + 1_000_000).to_string();
        out.push('.');
        out.push_str(digits.get(1..).unwrap_or_default().trim_end_matches('0'));
    }
    out
}

/// At most 60 characters of `s`, so a huge input does not become a huge message.
pub fn clip(s: &str) -> String {
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", s.get(..i).unwrap_or_default()),
        None => s.to_owned(),
    }
}

fn list(allowed: &[&str]) -> String {
    if allowed.len() > 12 {
        let head: Vec<&str> = allowed.iter().take(6).copied().collect();
        format!("the {} values {}, … (see the spec)", allowed.len(), head.join(", "))
    } else {
        allowed.join(", ")
    }
}

/// `YYYY-MM-DDThh:mm[:ss[.fff]]` with an optional `Z` or `±hh:mm` offset.
pub fn is_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if b.len() < 16 || !digits(0..4) || b[4] != b'-' || !digits(5..7) || b[7] != b'-' || !digits(8..10) {
        return false;
    }
    if !(b[10] == b'T' || b[10] == b't') || !digits(11..13) || b[13] != b':' || !digits(14..16) {
        return false;
    }
    let month = (b[5] - b'0') * 10 + (b[6] - b'0');
    let day = (b[8] - b'0') * 10 + (b[9] - b'0');
    let hour = (b[11] - b'0') * 10 + (b[12] - b'0');
    let minute = (b[14] - b'0') * 10 + (b[15] - b'0');
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return false;
    }
    let Some(mut rest) = s.get(16..) else { return false };
    if let Some(sec) = rest.strip_prefix(':') {
        let sb = sec.as_bytes();
        if sb.len() < 2 || !sb[..2].iter().all(u8::is_ascii_digit) || (sb[0] - b'0') * 10 + (sb[1] - b'0') > 60 {
            return false;
        }
        rest = sec.get(2..).unwrap_or_default();
        if let Some(frac) = rest.strip_prefix('.') {
            let n = frac.bytes().take_while(u8::is_ascii_digit).count();
            if n == 0 {
                return false;
            }
            rest = frac.get(n..).unwrap_or_default();
        }
    }
    match rest.as_bytes() {
        [] | [b'Z'] | [b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit()),
        [b'+' | b'-', h1, h2, m1, m2] => [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(json: &str) -> Value {
        serde_json::from_str(json).unwrap()
    }

    fn err(json: &str, schema: &'static Schema) -> (String, String) {
        match check(&v(json), schema, "body") {
            Err(Error::Validation { field, message }) => (field, message),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn minimal_segment_request_passes() {
        check(&v(r#"{"displayName":"VIPs"}"#), &JOURNEY_SEGMENT_REQUEST, "body").unwrap();
    }

    #[test]
    fn unknown_members_pass() {
        check(&v(r#"{"displayName":"x","someFutureField":{"a":1}}"#), &JOURNEY_SEGMENT_REQUEST, "body").unwrap();
    }

    #[test]
    fn missing_required_field_is_named() {
        let (field, message) = err(r#"{"description":"no name"}"#, &JOURNEY_SEGMENT_REQUEST);
        assert_eq!(field, "body.displayName");
        assert!(message.contains("required"), "{message}");
        let (field, _) = err(r#"{"displayName":null}"#, &JOURNEY_SEGMENT_REQUEST);
        assert_eq!(field, "body.displayName");
    }

    #[test]
    fn nested_enum_errors_carry_the_full_path() {
        let body = r#"{"displayName":"x","journey":{"patterns":[
            {"criteria":[{"key":"page.url","values":["a"]}],"count":1,"streamType":"Web","sessionType":"web"},
            {"criteria":[],"count":1,"streamType":"Fax","sessionType":"web"}]}}"#;
        let (field, message) = err(body, &JOURNEY_SEGMENT_REQUEST);
        assert_eq!(field, "body.journey.patterns[1].streamType");
        assert!(message.contains("\"Fax\" is not one of Web, Custom, Conversation, App"), "{message}");
    }

    #[test]
    fn blank_required_strings_are_refused() {
        let (field, message) = err(r#"{"displayName":"  "}"#, &JOURNEY_SEGMENT_REQUEST);
        assert_eq!(field, "body.displayName");
        assert!(message.contains("blank"), "{message}");
        let body = r#"{"displayName":"x","journey":{"patterns":[{"criteria":[{"key":"","values":["a"]}],"count":1,"streamType":"Web","sessionType":"web"}]}}"#;
        assert_eq!(err(body, &JOURNEY_SEGMENT_REQUEST).0, "body.journey.patterns[0].criteria[0].key");
        // Optional strings may be empty: clearing a description is a real edit.
        check(&v(r#"{"displayName":"x","description":""}"#), &JOURNEY_SEGMENT_REQUEST, "body").unwrap();
    }

    #[test]
    fn nested_required_fields_are_checked() {
        let body = r#"{"displayName":"x","context":{"patterns":[{"criteria":[{"key":"device.category","values":["desktop"]}]}]}}"#;
        let (field, _) = err(body, &JOURNEY_SEGMENT_REQUEST);
        assert_eq!(field, "body.context.patterns[0].criteria[0].entityType");
        let (field, _) = err(r#"{"displayName":"x","externalSegment":{"id":"e"}}"#, &JOURNEY_SEGMENT_REQUEST);
        assert_eq!(field, "body.externalSegment.name");
    }

    #[test]
    fn wrong_types_are_described() {
        let (field, message) = err(r#"{"displayName":5}"#, &JOURNEY_SEGMENT_REQUEST);
        assert_eq!((field.as_str(), message.as_str()), ("body.displayName", "expected a string, got 5"));
        let (_, message) = err(r#"{"displayName":"x","assignmentExpirationDays":1.5}"#, &JOURNEY_SEGMENT_REQUEST);
        assert_eq!(message, "expected a 32-bit integer, got 1.5");
        let (_, message) = err(r#"{"displayName":"x","assignmentExpirationDays":3000000000}"#, &JOURNEY_SEGMENT_REQUEST);
        assert!(message.contains("32-bit"));
        let (field, message) = err(r#"{"displayName":"x","journey":{"patterns":{}}}"#, &JOURNEY_SEGMENT_REQUEST);
        assert_eq!(field, "body.journey.patterns");
        assert_eq!(message, "expected an array, got an object");
        let (field, message) = err("[1]", &JOURNEY_SEGMENT_REQUEST);
        assert_eq!(field, "body");
        assert!(message.contains("expected an object (JourneySegmentRequest), got an array"));
    }

    #[test]
    fn read_only_fields_are_refused() {
        let (field, message) = err(r#"{"selfUri":"/x"}"#, &PATCH_ACTION_TARGET);
        assert_eq!(field, "body.selfUri");
        assert!(message.contains("read-only"));
    }

    #[test]
    fn long_enum_lists_are_abbreviated() {
        let (field, message) = err(r#"{"interval":"x","metrics":["nBogus"]}"#, &JOURNEY_AGGREGATION_QUERY);
        assert_eq!(field, "body.metrics[0]");
        assert!(message.starts_with("\"nBogus\" is not one of the 22 values"), "{message}");
    }

    #[test]
    fn date_times() {
        for ok in ["2026-01-31T12:00:00Z", "2026-01-31T12:00", "2026-01-31T12:00:00.123+01:00", "2026-01-31T12:00:00-0500"] {
            assert!(is_date_time(ok), "{ok}");
        }
        for bad in ["2026-13-01T00:00:00Z", "2026-01-31", "yesterday", "2026-01-31T24:00:00Z", "2026-01-31T12:00:00.Z", "2026-01-31T12:00:00Zjunk"] {
            assert!(!is_date_time(bad), "{bad}");
        }
    }

    #[test]
    fn numbers_print_like_javascript() {
        for (n, s) in [(0.0, "0"), (-0.0, "0"), (5.0, "5"), (-1.5, "-1.5"), (0.25, "0.25"), (1234567.125, "1234567.125"), (1e-9, "0"), (3e9, "3000000000")] {
            assert_eq!(number(n), s, "{n}");
        }
        assert_eq!(number(f64::NAN), "NaN");
        assert_eq!(number(f64::NEG_INFINITY), "-Infinity");
        assert_eq!(number(1e300), "a number above 1e15");
    }

    #[test]
    fn clip_keeps_messages_short() {
        let long = "é".repeat(500);
        assert_eq!(clip(&long).chars().count(), 61);
    }
}
