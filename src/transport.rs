//! wasm only: one HTTP attempt through a `fetch`-compatible function (the host's `fetch`, or the
//! one the client was given, such as the package's Node transport), with a per-attempt timeout and
//! the caller's `AbortSignal`; and the retry loop that every operation shares.
//!
//! Timers and abort wiring use bound JS functions (`setTimeout(controller.abort)`), so no Rust
//! closure has to outlive a call.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal};

use crate::error::{api_failure, Error, FailedResponse};
use crate::operations::Success;
use crate::request::Plan;
use crate::retry::{self, Failure};

#[wasm_bindgen]
extern "C" {
    // The global `fetch`, looked up at each call (a test or polyfill may replace it). `catch` and
    // an untyped result: a missing fetch, a throwing one, or one that returns something other than
    // a Promise of a Response all become typed errors instead of a trapped module.
    #[wasm_bindgen(catch)]
    fn fetch(url: &str, init: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
    // `JSON.parse` of the JS string itself: the body never enters wasm memory.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn parse_json(text: &JsValue) -> Result<JsValue, JsValue>;
}

/// What one call needs besides its plan.
pub struct Call {
    /// The full `Authorization` header value, if any.
    pub authorization: Option<String>,
    /// `Content-Type` of `body`.
    pub content_type: &'static str,
    /// The serialized body, sent as is.
    pub body: Option<JsValue>,
    /// The caller's signal.
    pub signal: Option<AbortSignal>,
    /// The client's `fetch`-compatible function; `None` uses the global `fetch`.
    pub fetch: Option<Function>,
    /// The fetch enforces `init.timeout` itself (it declares `handlesTimeout`), rejecting with an
    /// error named `TimeoutError`.
    pub fetch_handles_timeout: bool,
    /// Resolve to `{ status, statusText, headers, body, correlationId, error: null }` (the official
    /// SDK's `setReturnExtendedResponses(true)`) instead of the body alone.
    pub extended: bool,
}

/// How an attempt ended without an HTTP response.
enum Lost {
    Network(String),
    Timeout,
    Aborted,
}

/// What a failed attempt reports if no retry follows.
enum Last {
    /// No HTTP answer: the error says why.
    Failed(Error),
    /// A non-success answer, turned into an API error only when it is the final one.
    Answered(Answer),
}

/// A response: status, the headers the pipeline reads, and its body.
struct Answer {
    status: u16,
    correlation_id: Option<String>,
    retry_after_ms: Option<u64>,
    body: Body,
    /// `statusText` and every header as a plain object: read only for an extended success.
    extended: Option<(JsValue, JsValue)>,
}

/// A response body as read for its purpose.
enum Body {
    /// A success of a JSON operation, parsed by the host (`JSON.parse` of `response.text()`): it never
    /// enters wasm memory.
    Parsed(JsValue),
    /// A success of a JSON operation whose body is not JSON; the parser's message.
    Unparsable(String),
    /// Any other body, as a JS string: failures (for their message) and empty successes.
    Text(JsValue),
}

/// Runs the plan: attempts, retries, decoding. Resolves to the parsed body (or `undefined`).
pub async fn execute(plan: &Plan, call: &Call) -> Result<JsValue, (Error, JsValue)> {
    let name = plan.operation.name;
    let s = &plan.settings;
    let mut retry = 0;
    loop {
        // What failed, the server's requested wait, and what to report if this is the last try.
        let (failure, retry_after, last) = match attempt(plan, call).await {
            Ok(a) if (200..300).contains(&a.status) => return succeed(plan, a),
            Ok(a) => (Failure::Status(a.status), a.retry_after_ms, Last::Answered(a)),
            Err(Lost::Aborted) => return Err((Error::Aborted { operation: name }, JsValue::UNDEFINED)),
            Err(Lost::Timeout) => (Failure::Timeout, None, Last::Failed(Error::Timeout { operation: name, timeout_ms: s.timeout_ms })),
            Err(Lost::Network(message)) => (Failure::Network, None, Last::Failed(Error::Connection { operation: name, message })),
        };
        let jitter = js_sys::Math::random();
        match retry::next_delay(failure, plan.operation.idempotent, retry, s.max_retries, retry_after, s.max_retry_after_ms, jitter) {
            Some(delay) => {
                wait(delay, call.signal.as_ref(), name).await?;
                retry += 1;
            }
            None => {
                return Err(match last {
                    Last::Failed(error) => (error, JsValue::UNDEFINED),
                    Last::Answered(answer) => api_error(plan, answer),
                })
            }
        }
    }
}

/// The value a success resolves to: the decoded body, or the extended response around it.
fn succeed(plan: &Plan, mut a: Answer) -> Result<JsValue, (Error, JsValue)> {
    let extended = a.extended.take();
    let (status, correlation_id) = (a.status, a.correlation_id.take());
    let body = decode(plan, a)?;
    let Some((status_text, headers)) = extended else { return Ok(body) };
    let response = js_sys::Object::new();
    let set = |k: &str, v: &JsValue| {
        let _ = Reflect::set(&response, &JsValue::from_str(k), v);
    };
    set("status", &JsValue::from_f64(f64::from(status)));
    set("statusText", &status_text);
    set("headers", &headers);
    set("body", &body);
    set("correlationId", &correlation_id.map_or(JsValue::NULL, |c| JsValue::from_str(&c)));
    set("error", &JsValue::NULL);
    Ok(response.into())
}

fn decode(plan: &Plan, a: Answer) -> Result<JsValue, (Error, JsValue)> {
    let undecodable = |message: String| {
        Err((Error::Decode { operation: plan.operation.name, status: a.status, message }, JsValue::UNDEFINED))
    };
    match a.body {
        _ if plan.operation.success == Success::Empty => Ok(JsValue::UNDEFINED),
        Body::Parsed(v) if v.is_object() && !js_sys::Array::is_array(&v) => Ok(v),
        Body::Parsed(_) => undecodable("the body is JSON but not an object".into()),
        Body::Unparsable(message) => undecodable(format!("the body is not JSON ({message})")),
        Body::Text(_) => undecodable("the body was not read as JSON".into()),
    }
}

fn api_error(plan: &Plan, a: Answer) -> (Error, JsValue) {
    let text = match &a.body {
        Body::Text(t) => t.as_string().unwrap_or_default(),
        _ => String::new(),
    };
    let parsed = if text.trim().is_empty() { None } else { js_sys::JSON::parse(&text).ok().filter(JsValue::is_object) };
    let field = |k: &str| parsed.as_ref().and_then(|p| Reflect::get(p, &JsValue::from_str(k)).ok()).and_then(|v| v.as_string());
    // ErrorBody has `message`; OAuth errors have `error_description` and `error`.
    let message = field("message").or_else(|| field("error_description"));
    let code = field("code").or_else(|| field("error"));
    let failure = api_failure(
        plan.operation.name,
        &FailedResponse {
            status: a.status,
            body_message: message.as_deref(),
            body_code: code.as_deref(),
            body_is_json: parsed.is_some(),
            body_is_empty: text.trim().is_empty(),
            correlation_id: a.correlation_id.as_deref(),
            retry_after_ms: a.retry_after_ms,
        },
    );
    let body = match parsed {
        Some(p) => p,
        None if text.is_empty() => JsValue::UNDEFINED,
        None => JsValue::from_str(&text),
    };
    (Error::Api(failure), body)
}

async fn attempt(plan: &Plan, call: &Call) -> Result<Answer, Lost> {
    let caller = call.signal.as_ref();
    if caller.is_some_and(AbortSignal::aborted) {
        return Err(Lost::Aborted);
    }
    // A transport that enforces the timeout itself (the package's Node transport) gets
    // `init.timeout` and the caller's own signal, and there is nothing to abort without either:
    // no controller, timer or listener per attempt, which are a measurable part of a call in Node.
    // Otherwise a controller per attempt joins the caller's signal and the timeout.
    let timeout_ms = plan.settings.timeout_ms;
    let own_controller = !call.fetch_handles_timeout && (caller.is_some() || timeout_ms > 0);
    let (result, controller) = if own_controller {
        let controller = AbortController::new().map_err(|e| Lost::Network(js_message(&e)))?;
        let abort: Option<Function> = Reflect::get(&controller, &JsValue::from_str("abort"))
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
            .map(|f| f.bind0(&controller));
        let timer = match &abort {
            Some(f) if timeout_ms > 0 => Some(set_timeout(f, timeout_ms as f64)),
            _ => None,
        };
        if let (Some(signal), Some(f)) = (caller, &abort) {
            let _ = signal.add_event_listener_with_callback("abort", f);
        }
        let result = send(plan, call, Some(&controller.signal())).await;
        if let Some(id) = &timer {
            clear_timeout(id);
        }
        if let (Some(signal), Some(f)) = (caller, &abort) {
            let _ = signal.remove_event_listener_with_callback("abort", f);
        }
        (result, Some(controller))
    } else {
        (send(plan, call, caller).await, None)
    };
    let timed_out = |e: &JsValue| match &controller {
        Some(c) => c.signal().aborted(),
        None => call.fetch_handles_timeout && timeout_ms > 0 && is_timeout(e),
    };
    match result {
        Ok(answer) => Ok(answer),
        Err(_) if caller.is_some_and(AbortSignal::aborted) => Err(Lost::Aborted),
        Err(e) if timed_out(&e) => Err(Lost::Timeout),
        Err(e) => Err(Lost::Network(js_message(&e))),
    }
}

/// Whether a rejection is a timeout reported by the transport (an error named `TimeoutError`).
fn is_timeout(e: &JsValue) -> bool {
    e.is_object() && Reflect::get(e, &JsValue::from_str("name")).ok().and_then(|n| n.as_string()).as_deref() == Some("TimeoutError")
}

async fn send(plan: &Plan, call: &Call, signal: Option<&AbortSignal>) -> Result<Answer, JsValue> {
    // A plain init object, read by `fetch` (which copies it) or by the Node transport; headers
    // as a plain object too, which skips building and validating a `Headers` per call.
    let init = js_sys::Object::new();
    let headers = js_sys::Object::new();
    let set = |target: &js_sys::Object, k: &str, v: &JsValue| Reflect::set(target, &JsValue::from_str(k), v).map(drop);
    let header = |k: &str, v: &str| set(&headers, k, &JsValue::from_str(v));
    set(&init, "method", &JsValue::from_str(plan.operation.method.as_str()))?;
    // Never followed: a redirect would carry the bearer token to wherever it points.
    set(&init, "redirect", &JsValue::from_str("manual"))?;
    if let Some(s) = signal {
        set(&init, "signal", s)?;
    }
    if call.fetch_handles_timeout && plan.settings.timeout_ms > 0 {
        set(&init, "timeout", &JsValue::from_f64(plan.settings.timeout_ms as f64))?;
    }
    header("Accept", "application/json")?;
    if let Some(auth) = &call.authorization {
        header("Authorization", auth)?;
    }
    if let Some(body) = &call.body {
        header("Content-Type", call.content_type)?;
        set(&init, "body", body)?;
    }
    for (k, v) in &plan.headers {
        header(k, v)?;
    }
    set(&init, "headers", &headers)?;
    let returned = match &call.fetch {
        Some(f) => f.call2(&JsValue::UNDEFINED, &JsValue::from_str(&plan.url), &init),
        None => fetch(&plan.url, &init),
    }?;
    // `Promise.resolve` also accepts a fetch that returns a plain value or a thenable.
    let reply = JsFuture::from(Promise::resolve(&returned)).await?;
    let status = status_of(&reply).ok_or_else(|| JsValue::from_str("fetch resolved to something that is not a Response"))?;
    let success = (200..300).contains(&status);
    // Headers matter only for failures and extended responses; a plain success skips reading
    // them (the hot path).
    let extended = (success && call.extended).then(|| {
        let status_text = Reflect::get(&reply, &JsValue::from_str("statusText")).ok().filter(JsValue::is_string);
        (status_text.unwrap_or_else(|| JsValue::from_str("")), headers_object(&reply))
    });
    let (retry_after_ms, correlation_id) = if success {
        (None, call.extended.then(|| header_of(&reply, "inin-correlation-id")).flatten())
    } else {
        let retry_after = header_of(&reply, "retry-after");
        let wait = retry::retry_after_ms(header_of(&reply, "retry-after-ms").as_deref(), retry_after.as_deref(), js_sys::Date::now());
        (wait, header_of(&reply, "inin-correlation-id"))
    };
    // Every body is read as text; a rejected read (abort, timeout, reset) is the attempt's to
    // classify. A JSON success is then parsed by the host's `JSON.parse` rather than read with
    // `json()`: the same work, but Chromium's `json()` stalls a call for ~50 ms now and then
    // where `text()` does not (BENCHMARKS.md).
    let text = JsFuture::from(read_text(&reply)?).await?;
    let body = if success && plan.operation.success == Success::Json {
        match parse_json(&text) {
            Ok(v) => Body::Parsed(v),
            Err(e) => Body::Unparsable(js_message(&e)),
        }
    } else {
        Body::Text(text)
    };
    Ok(Answer { status, correlation_id, retry_after_ms, body, extended })
}

/// Every response header as a plain object with lower-case names (`Object.fromEntries` over
/// `headers`, which a `Response`'s `Headers` and the Node transport's both support); `{}` if the
/// reply's headers cannot be iterated.
fn headers_object(reply: &JsValue) -> JsValue {
    Reflect::get(reply, &JsValue::from_str("headers"))
        .ok()
        .and_then(|h| js_sys::Object::from_entries(&h).ok())
        .map_or_else(|| js_sys::Object::new().into(), JsValue::from)
}

/// The status of what fetch resolved to, if it has one: a `Response`, or any object with the
/// same members (the Node transport's reply, a test double). A browser's opaque redirect is 0.
fn status_of(reply: &JsValue) -> Option<u16> {
    if !reply.is_object() {
        return None;
    }
    let status = Reflect::get(reply, &JsValue::from_str("status")).ok()?.as_f64()?;
    (status.fract() == 0.0 && (0.0..1000.0).contains(&status)).then_some(status as u16)
}

/// One response header, or `None` if it is absent or the reply has no working `headers.get`.
fn header_of(reply: &JsValue, name: &str) -> Option<String> {
    let headers = Reflect::get(reply, &JsValue::from_str("headers")).ok()?;
    let get: Function = Reflect::get(&headers, &JsValue::from_str("get")).ok()?.dyn_into().ok()?;
    get.call1(&headers, &JsValue::from_str(name)).ok()?.as_string()
}

/// Starts reading the body with the reply's `text()`.
fn read_text(reply: &JsValue) -> Result<Promise, JsValue> {
    let missing = || JsValue::from_str("the response has no text() method");
    let f: Function = Reflect::get(reply, &JsValue::from_str("text")).ok().and_then(|f| f.dyn_into().ok()).ok_or_else(missing)?;
    Ok(Promise::resolve(&f.call0(reply)?))
}

/// Waits `ms` before a retry; resolves early and fails with `Aborted` if the caller aborts.
async fn wait(ms: u64, signal: Option<&AbortSignal>, operation: &'static str) -> Result<(), (Error, JsValue)> {
    let aborted = || Err((Error::Aborted { operation }, JsValue::UNDEFINED));
    if signal.is_some_and(AbortSignal::aborted) {
        return aborted();
    }
    let mut timer = JsValue::UNDEFINED;
    let mut wake: Option<Function> = None;
    let promise = Promise::new(&mut |resolve, _reject| {
        timer = set_timeout(&resolve, ms as f64);
        if let Some(s) = signal {
            let _ = s.add_event_listener_with_callback("abort", &resolve);
        }
        wake = Some(resolve);
    });
    let _ = JsFuture::from(promise).await;
    clear_timeout(&timer);
    if let (Some(s), Some(f)) = (signal, &wake) {
        let _ = s.remove_event_listener_with_callback("abort", f);
    }
    if signal.is_some_and(AbortSignal::aborted) {
        return aborted();
    }
    Ok(())
}

/// The message of a thrown JS value, with the `cause` Node's fetch puts the real reason in.
pub fn js_message(e: &JsValue) -> String {
    let get = |v: &JsValue, k: &str| Reflect::get(v, &JsValue::from_str(k)).ok().filter(|x| !x.is_undefined());
    let mut message = get(e, "message").and_then(|m| m.as_string()).or_else(|| e.as_string()).unwrap_or_else(|| "unknown error".into());
    if let Some(cause) = get(e, "cause") {
        let detail = get(&cause, "message").and_then(|m| m.as_string()).or_else(|| get(&cause, "code").and_then(|c| c.as_string()));
        if let Some(d) = detail {
            message = format!("{message}: {d}");
        }
    }
    message
}
