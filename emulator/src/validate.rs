//! Validation of request bodies against the spec's required fields, enums and the documented
//! constraints (NOTES.md section c). Errors name the offending field with a JSON path.
use crate::error::ApiError;
use serde_json::{json, Map, Value};

pub const OPERATORS: &[&str] = &[
    "containsAll", "containsAny", "notContainsAll", "notContainsAny", "equal", "notEqual", "greaterThan",
    "greaterThanOrEqual", "lessThan", "lessThanOrEqual", "startsWith", "endsWith",
];
pub const STREAM_TYPES: &[&str] = &["Web", "Custom", "Conversation", "App"];
pub const ENTITY_TYPES: &[&str] = &["visit"];
pub const EXTERNAL_SOURCES: &[&str] = &["AdobeExperiencePlatform", "Custom"];
pub const DEFAULT_COLOR: &str = "#008080";

pub type Obj = Map<String, Value>;

pub fn as_object<'a>(v: &'a Value, path: &str) -> Result<&'a Obj, ApiError> {
    v.as_object().ok_or_else(|| ApiError::invalid(path, "must be a JSON object"))
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_string() } else { format!("{path}.{key}") }
}

/// Present and not null.
pub fn get<'a>(o: &'a Obj, key: &str) -> Option<&'a Value> {
    o.get(key).filter(|v| !v.is_null())
}

pub fn opt_str<'a>(o: &'a Obj, key: &str, path: &str) -> Result<Option<&'a str>, ApiError> {
    match get(o, key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(ApiError::invalid(&join(path, key), "must be a string")),
    }
}
pub fn req_str<'a>(o: &'a Obj, key: &str, path: &str) -> Result<&'a str, ApiError> {
    opt_str(o, key, path)?.ok_or_else(|| ApiError::missing(&join(path, key)))
}
pub fn opt_bool(o: &Obj, key: &str, path: &str) -> Result<Option<bool>, ApiError> {
    match get(o, key) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(ApiError::invalid(&join(path, key), "must be a boolean")),
    }
}
pub fn opt_int(o: &Obj, key: &str, path: &str) -> Result<Option<i64>, ApiError> {
    match get(o, key) {
        None => Ok(None),
        Some(v) => match v.as_i64() {
            Some(i) if i >= i32::MIN as i64 && i <= i32::MAX as i64 => Ok(Some(i)),
            _ => Err(ApiError::invalid(&join(path, key), "must be a 32-bit integer")),
        },
    }
}
pub fn opt_num(o: &Obj, key: &str, path: &str) -> Result<Option<f64>, ApiError> {
    match get(o, key) {
        None => Ok(None),
        Some(v) => v.as_f64().map(Some).ok_or_else(|| ApiError::invalid(&join(path, key), "must be a number")),
    }
}
pub fn check_enum(value: &str, allowed: &[&str], path: &str) -> Result<(), ApiError> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(ApiError::invalid(path, format!("'{value}' is not one of [{}]", allowed.join(", "))))
    }
}
pub fn opt_enum<'a>(o: &'a Obj, key: &str, path: &str, allowed: &[&str]) -> Result<Option<&'a str>, ApiError> {
    let v = opt_str(o, key, path)?;
    if let Some(s) = v {
        check_enum(s, allowed, &join(path, key))?;
    }
    Ok(v)
}
pub fn opt_array<'a>(o: &'a Obj, key: &str, path: &str) -> Result<Option<&'a Vec<Value>>, ApiError> {
    match get(o, key) {
        None => Ok(None),
        Some(Value::Array(a)) => Ok(Some(a)),
        Some(_) => Err(ApiError::invalid(&join(path, key), "must be an array")),
    }
}
pub fn req_array<'a>(o: &'a Obj, key: &str, path: &str) -> Result<&'a Vec<Value>, ApiError> {
    opt_array(o, key, path)?.ok_or_else(|| ApiError::missing(&join(path, key)))
}
fn string_array(o: &Obj, key: &str, path: &str) -> Result<Vec<Value>, ApiError> {
    let a = req_array(o, key, path)?;
    for (i, v) in a.iter().enumerate() {
        if !v.is_string() {
            return Err(ApiError::invalid(&format!("{}[{i}]", join(path, key)), "must be a string"));
        }
    }
    Ok(a.clone())
}

pub fn check_color(c: &str, path: &str) -> Result<(), ApiError> {
    let ok = c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|ch| ch.is_ascii_hexdigit());
    if ok { Ok(()) } else { Err(ApiError::invalid(path, format!("'{c}' is not a hexadecimal color like #1A2B3C"))) }
}

/// Criteria of a context pattern (RequestEntityTypeCriteria) or a journey pattern (RequestCriteria).
fn criterion(v: &Value, path: &str, with_entity_type: bool) -> Result<Value, ApiError> {
    let o = as_object(v, path)?;
    let key = req_str(o, "key", path)?;
    if key.is_empty() {
        return Err(ApiError::invalid(&join(path, "key"), "must not be empty"));
    }
    let values = string_array(o, "values", path)?;
    let ignore = opt_bool(o, "shouldIgnoreCase", path)?.unwrap_or(false);
    let op = opt_enum(o, "operator", path, OPERATORS)?.unwrap_or("equal");
    let mut out = json!({"key": key, "values": values, "shouldIgnoreCase": ignore, "operator": op});
    if with_entity_type {
        let et = req_str(o, "entityType", path)?;
        check_enum(et, ENTITY_TYPES, &join(path, "entityType"))?;
        out["entityType"] = json!(et);
    }
    Ok(out)
}

pub fn context(v: &Value, path: &str) -> Result<Value, ApiError> {
    let o = as_object(v, path)?;
    let mut patterns = Vec::new();
    for (i, p) in opt_array(o, "patterns", path)?.into_iter().flatten().enumerate() {
        let pp = format!("{path}.patterns[{i}]");
        let po = as_object(p, &pp)?;
        let crit = req_array(po, "criteria", &pp)?;
        let crit = crit
            .iter()
            .enumerate()
            .map(|(j, c)| criterion(c, &format!("{pp}.criteria[{j}]"), true))
            .collect::<Result<Vec<_>, _>>()?;
        patterns.push(json!({"criteria": crit}));
    }
    Ok(json!({"patterns": patterns}))
}

pub fn journey(v: &Value, path: &str) -> Result<Value, ApiError> {
    let o = as_object(v, path)?;
    let mut patterns = Vec::new();
    for (i, p) in opt_array(o, "patterns", path)?.into_iter().flatten().enumerate() {
        let pp = format!("{path}.patterns[{i}]");
        let po = as_object(p, &pp)?;
        let crit = req_array(po, "criteria", &pp)?
            .iter()
            .enumerate()
            .map(|(j, c)| criterion(c, &format!("{pp}.criteria[{j}]"), false))
            .collect::<Result<Vec<_>, _>>()?;
        let count = opt_int(po, "count", &pp)?.ok_or_else(|| ApiError::missing(&format!("{pp}.count")))?;
        if count < 1 {
            return Err(ApiError::invalid(&format!("{pp}.count"), "must be at least 1"));
        }
        let stream = req_str(po, "streamType", &pp)?;
        check_enum(stream, STREAM_TYPES, &format!("{pp}.streamType"))?;
        let session_type = req_str(po, "sessionType", &pp)?;
        let mut out = json!({"criteria": crit, "count": count, "streamType": stream, "sessionType": session_type});
        if let Some(e) = opt_str(po, "eventName", &pp)? {
            out["eventName"] = json!(e);
        }
        patterns.push(out);
    }
    Ok(json!({"patterns": patterns}))
}

fn external_segment(v: &Value) -> Result<Value, ApiError> {
    let path = "externalSegment";
    let o = as_object(v, path)?;
    let id = req_str(o, "id", path)?;
    let name = req_str(o, "name", path)?;
    let source = opt_enum(o, "source", path, EXTERNAL_SOURCES)?.unwrap_or("Custom");
    Ok(json!({"id": id, "name": name, "source": source}))
}

/// Fields shared by JourneySegmentRequest and PatchSegment, validated and normalised.
/// Returns the fields to set on the stored document.
pub fn segment_fields(body: &Value, is_patch: bool) -> Result<Obj, ApiError> {
    let o = as_object(body, "body")?;
    let mut out = Obj::new();
    match opt_str(o, "displayName", "")? {
        Some(n) if n.trim().is_empty() => return Err(ApiError::invalid("displayName", "must not be empty")),
        Some(n) => {
            out.insert("displayName".into(), json!(n));
        }
        None if !is_patch => return Err(ApiError::missing("displayName")),
        None => {}
    }
    if let Some(b) = opt_bool(o, "isActive", "")? {
        out.insert("isActive".into(), json!(b));
    }
    if let Some(d) = opt_str(o, "description", "")? {
        out.insert("description".into(), json!(d));
    }
    if let Some(c) = opt_str(o, "color", "")? {
        check_color(c, "color")?;
        out.insert("color".into(), json!(c));
    }
    if let Some(b) = opt_bool(o, "shouldDisplayToAgent", "")? {
        out.insert("shouldDisplayToAgent".into(), json!(b));
    }
    if let Some(d) = opt_int(o, "assignmentExpirationDays", "")? {
        if d < 0 {
            return Err(ApiError::invalid("assignmentExpirationDays", "must be 0 or more"));
        }
        out.insert("assignmentExpirationDays".into(), json!(d));
    }
    opt_int(o, "version", "")?;
    if let Some(c) = get(o, "context") {
        out.insert("context".into(), context(c, "context")?);
    }
    if let Some(j) = get(o, "journey") {
        out.insert("journey".into(), journey(j, "journey")?);
    }
    if let Some(e) = get(o, "externalSegment") {
        if is_patch {
            let eo = as_object(e, "externalSegment")?;
            let mut m = Obj::new();
            if let Some(n) = opt_str(eo, "name", "externalSegment")? {
                m.insert("name".into(), json!(n));
            }
            out.insert("externalSegment".into(), Value::Object(m));
        } else {
            out.insert("externalSegment".into(), external_segment(e)?);
        }
    }
    Ok(out)
}

/// PatchActionTarget: name, serviceLevel, shortAbandonThreshold. id/selfUri are readOnly and ignored.
pub fn action_target_fields(body: &Value) -> Result<Obj, ApiError> {
    let o = as_object(body, "body")?;
    let mut out = Obj::new();
    if let Some(n) = opt_str(o, "name", "")? {
        if n.trim().is_empty() {
            return Err(ApiError::invalid("name", "must not be empty"));
        }
        out.insert("name".into(), json!(n));
    }
    if let Some(sl) = get(o, "serviceLevel") {
        let so = as_object(sl, "serviceLevel")?;
        let mut m = Obj::new();
        if let Some(p) = opt_num(so, "percentage", "serviceLevel")? {
            if !(0.0..=1.0).contains(&p) {
                return Err(ApiError::invalid("serviceLevel.percentage", "must be a value between 0 and 1"));
            }
            m.insert("percentage".into(), json!(p));
        }
        if let Some(d) = get(so, "durationMs") {
            match d.as_i64() {
                Some(ms) if ms >= 0 => {
                    m.insert("durationMs".into(), json!(ms));
                }
                _ => return Err(ApiError::invalid("serviceLevel.durationMs", "must be a non-negative integer")),
            }
        }
        out.insert("serviceLevel".into(), Value::Object(m));
    }
    if let Some(t) = opt_int(o, "shortAbandonThreshold", "")? {
        if t < 0 {
            return Err(ApiError::invalid("shortAbandonThreshold", "must be 0 or more"));
        }
        out.insert("shortAbandonThreshold".into(), json!(t));
    }
    Ok(out)
}
