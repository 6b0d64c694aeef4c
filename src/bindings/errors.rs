//! Core errors out: each becomes an instance of the package's JS error classes, with its fields.

use std::cell::RefCell;

use js_sys::{Array, Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::error::{ApiErrorKind, Error};

thread_local! {
    /// Constructors by class name, handed over by the JS façade.
    static CLASSES: RefCell<JsValue> = const { RefCell::new(JsValue::UNDEFINED) };
}

/// Receives the façade's error classes (an object of constructors keyed by class name).
#[wasm_bindgen(js_name = installErrorClasses)]
pub fn install_error_classes(classes: JsValue) {
    CLASSES.with(|c| *c.borrow_mut() = classes);
}

/// The JS error for `error`; `body` is the parsed or raw response body, `cause` the thrown value.
pub fn to_js(error: &Error, body: JsValue) -> JsValue {
    let js = construct(error.class_name(), &error.to_string());
    let set = |k: &str, v: JsValue| {
        let _ = Reflect::set(&js, &JsValue::from_str(k), &v);
    };
    let opt = |v: &Option<String>| v.as_deref().map(JsValue::from_str).unwrap_or(JsValue::UNDEFINED);
    match error {
        Error::Validation { field, .. } => set("field", field.as_str().into()),
        Error::Api(f) => {
            set("status", f.status.into());
            set("kind", ApiErrorKind::of(f.status).as_str().into());
            set("code", opt(&f.code));
            set("correlationId", opt(&f.correlation_id));
            set("body", body);
            set("retryAfterMs", f.retry_after_ms.map(|ms| JsValue::from_f64(ms as f64)).unwrap_or(JsValue::UNDEFINED));
            set("operation", f.operation.into());
        }
        Error::Connection { operation, .. } | Error::Aborted { operation } => set("operation", (*operation).into()),
        Error::Timeout { operation, timeout_ms } => {
            set("operation", (*operation).into());
            set("timeoutMs", (*timeout_ms).into());
        }
        Error::Decode { operation, status, .. } => {
            set("operation", (*operation).into());
            set("status", (*status).into());
        }
    }
    js
}

fn construct(class: &str, message: &str) -> JsValue {
    let ctor = CLASSES.with(|c| Reflect::get(&c.borrow(), &JsValue::from_str(class)).ok());
    if let Some(ctor) = ctor.and_then(|f| f.dyn_into::<Function>().ok()) {
        if let Ok(e) = Reflect::construct(&ctor, &Array::of1(&JsValue::from_str(message))) {
            return e;
        }
    }
    // No façade (e.g. wasm tests): a plain Error that still carries the class name.
    let e = js_sys::Error::new(message);
    e.set_name(class);
    e.into()
}
