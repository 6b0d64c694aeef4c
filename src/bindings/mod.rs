//! wasm only: the functions the JS façade calls. Each takes loosely typed JS values, so that a
//! wrong argument becomes a `ValidationError` rather than a wasm-bindgen type panic.

mod convert;
mod errors;

use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::AbortSignal;

use crate::auth;
use crate::error::Error;
use crate::operations::{Body, OPERATIONS};
use crate::request::{plan, Settings};
use crate::transport::{execute, js_message, Call};
use crate::url::{resolve_environment, Environment, DEFAULT_ENVIRONMENT};
use convert::to_value;

/// Resolves an environment string to its API base URL, or throws a `ValidationError`.
#[wasm_bindgen(js_name = resolveEnvironment)]
pub fn resolve_environment_js(environment: JsValue) -> Result<String, JsValue> {
    environment_of(&environment).map(|e| e.api).map_err(|e| errors::to_js(&e, JsValue::UNDEFINED))
}

/// Checks `ApiClient` options and returns nothing, or throws a `ValidationError`.
#[wasm_bindgen(js_name = checkClientOptions)]
pub fn check_client_options(options: JsValue) -> Result<(), JsValue> {
    to_value(&options, "options")
        .and_then(|v| Settings::default().configure(&v))
        .map(|_| ())
        .map_err(|e| errors::to_js(&e, JsValue::UNDEFINED))
}

/// Runs operation number `op` (an index into the operation table) for `client`
/// (`{ environment, accessToken, options, fetch, returnExtendedResponses }`), with its first argument and options.
#[wasm_bindgen(js_name = callOperation)]
pub async fn call_operation(op: u32, client: JsValue, arg: JsValue, opts: JsValue) -> Result<JsValue, JsValue> {
    let prepared = prepare(op, &client, &arg, &opts);
    let (plan, call) = prepared.map_err(|e| errors::to_js(&e, JsValue::UNDEFINED))?;
    execute(&plan, &call).await.map_err(|(e, body)| errors::to_js(&e, body))
}

/// OAuth client-credentials grant against the client's environment; resolves to the token response.
#[wasm_bindgen(js_name = requestClientCredentialsToken)]
pub async fn request_client_credentials_token(client: JsValue, client_id: JsValue, client_secret: JsValue) -> Result<JsValue, JsValue> {
    let fail = |e: Error| errors::to_js(&e, JsValue::UNDEFINED);
    let text = |v: &JsValue, field: &str| v.as_string().ok_or_else(|| Error::validation(field, "expected a string"));
    let env = environment_of(&prop(&client, "environment")).map_err(fail)?;
    let settings = settings_of(&client).map_err(fail)?;
    let authorization = text(&client_id, "clientId")
        .and_then(|id| text(&client_secret, "clientSecret").and_then(|secret| auth::basic(&id, &secret)))
        .map_err(fail)?;
    let (fetch, fetch_handles_timeout) = fetch_of(&client).map_err(fail)?;
    let call = Call {
        authorization: Some(authorization),
        content_type: "application/x-www-form-urlencoded",
        body: Some(JsValue::from_str(auth::TOKEN_REQUEST_BODY)),
        signal: None,
        fetch,
        fetch_handles_timeout,
        extended: false,
    };
    execute(&auth::token_plan(&env, settings), &call).await.map_err(|(e, body)| errors::to_js(&e, body))
}

fn prepare(op: u32, client: &JsValue, arg: &JsValue, opts: &JsValue) -> Result<(crate::request::Plan, Call), Error> {
    let operation = OPERATIONS.get(op as usize).ok_or_else(|| Error::validation("operation", format!("no operation number {op}")))?;
    let env = environment_of(&prop(client, "environment"))?;
    let settings = settings_of(client)?;
    let signal = match prop(opts, "signal") {
        s if s.is_undefined() || s.is_null() => None,
        s => Some(s.dyn_into::<AbortSignal>().map_err(|_| Error::validation("opts.signal", "expected an AbortSignal"))?),
    };
    let opts_value = to_value(opts, "opts")?;
    let arg_value = to_value(arg, if matches!(operation.body, Body::Argument(_)) { "body" } else { "arg" })?;
    let plan = plan(operation, &env.api, &arg_value, &opts_value, settings)?;
    let body = match operation.body {
        Body::None => None,
        Body::InOptions(_) => Some(stringify(&prop(opts, "body"))?),
        Body::Argument(_) => Some(stringify(arg)?),
    };
    let token = prop(client, "accessToken");
    let authorization = match token.as_string() {
        Some(t) if !t.is_empty() => Some(auth::bearer(&t)?),
        _ => None,
    };
    let (fetch, fetch_handles_timeout) = fetch_of(client)?;
    let extended = prop(client, "returnExtendedResponses").as_bool() == Some(true);
    Ok((plan, Call { authorization, content_type: "application/json", body, signal, fetch, fetch_handles_timeout, extended }))
}

/// The client's own `fetch`, if it has one, and whether it declares that it enforces
/// `init.timeout` itself (`handlesTimeout`).
fn fetch_of(client: &JsValue) -> Result<(Option<Function>, bool), Error> {
    let fetch = match prop(client, "fetch") {
        f if f.is_undefined() || f.is_null() => return Ok((None, false)),
        f => f.dyn_into::<Function>().map_err(|_| Error::validation("fetch", "expected a function like globalThis.fetch"))?,
    };
    let handles_timeout = Reflect::get(&fetch, &JsValue::from_str("handlesTimeout")).ok().and_then(|v| v.as_bool()) == Some(true);
    Ok((Some(fetch), handles_timeout))
}

fn environment_of(v: &JsValue) -> Result<Environment, Error> {
    if v.is_undefined() || v.is_null() {
        return resolve_environment(DEFAULT_ENVIRONMENT);
    }
    match v.as_string() {
        Some(s) => resolve_environment(&s),
        None => Err(Error::validation("environment", "expected a string")),
    }
}

fn settings_of(client: &JsValue) -> Result<Settings, Error> {
    let options = prop(client, "options");
    if options.is_undefined() || options.is_null() {
        return Ok(Settings::default());
    }
    Settings::default().configure(&to_value(&options, "options")?)
}

fn stringify(body: &JsValue) -> Result<JsValue, Error> {
    js_sys::JSON::stringify(body)
        .map(JsValue::from)
        .map_err(|e| Error::validation("body", format!("cannot be serialized to JSON: {}", js_message(&e))))
}

fn prop(target: &JsValue, key: &str) -> JsValue {
    if !target.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}
