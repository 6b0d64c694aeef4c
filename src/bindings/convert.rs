//! JS values in: a caller's argument walked into a [`Value`], refusing what JSON cannot carry.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::error::Error;
use crate::value::{Value, MAX_DEPTH};

/// Walks `v` into a [`Value`]; `path` names it in errors. Depth is bounded, so a cyclic or
/// absurdly deep object is refused instead of overflowing the stack.
pub fn to_value(v: &JsValue, path: &str) -> Result<Value, Error> {
    walk(v, path, 0)
}

/// Path of member `name` of the value at `path`. The options' `body` is named `body`, as the
/// schema checks name it, so one request body is never called two things in errors.
fn member_path(path: &str, name: &str) -> String {
    if path == "opts" && name == "body" {
        "body".to_owned()
    } else {
        format!("{path}.{name}")
    }
}

fn walk(v: &JsValue, path: &str, depth: usize) -> Result<Value, Error> {
    if depth > MAX_DEPTH {
        return Err(Error::validation(path, format!("nested deeper than {MAX_DEPTH} levels (or refers to itself)")));
    }
    if v.is_null() || v.is_undefined() {
        return Ok(Value::Null);
    }
    if let Some(b) = v.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Some(n) = v.as_f64() {
        return Ok(Value::Number(n));
    }
    if let Some(s) = v.as_string() {
        return Ok(Value::String(s));
    }
    if v.is_bigint() || v.is_function() || v.is_symbol() || !v.is_object() {
        let kind = v.js_typeof().as_string().unwrap_or_default();
        return Err(Error::validation(path, format!("a {kind} cannot be sent as JSON")));
    }
    if Array::is_array(v) {
        let array: &Array = v.unchecked_ref();
        let mut items = Vec::with_capacity(array.length() as usize);
        for (i, item) in array.iter().enumerate() {
            items.push(walk(&item, &format!("{path}[{i}]"), depth + 1)?);
        }
        return Ok(Value::Array(items));
    }
    let object: &Object = v.unchecked_ref();
    let keys = Object::keys(object);
    let mut members = Vec::with_capacity(keys.length() as usize);
    for key in keys.iter() {
        let name = key.as_string().unwrap_or_default();
        let member = Reflect::get(object, &key).map_err(|_| Error::validation(path, format!("member {name} could not be read")))?;
        if member.is_undefined() {
            continue; // JSON.stringify drops it too
        }
        let value = walk(&member, &member_path(path, &name), depth + 1)?;
        members.push((name, value));
    }
    Ok(Value::Object(members))
}
