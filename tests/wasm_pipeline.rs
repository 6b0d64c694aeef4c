//! The wasm pipeline end to end against a scripted `fetch`, in Node and in headless Chromium:
//! the wire request, retries, timeouts, aborts, every error class, and hostile input and
//! responses, each followed by a call that must still work (a panic would have trapped the module).
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Function, Reflect};
use journey_api_wasm::bindings::call_operation;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

const GET_SEGMENTS: u32 = 0;
const GET_SEGMENT: u32 = 1;
const POST_SEGMENTS: u32 = 2;
const DELETE_SEGMENT: u32 = 4;
const AGGREGATES: u32 = 8;

/// Runs JS source as a function body with `a` as its argument.
fn js(body: &str, a: &JsValue) -> JsValue {
    Function::new_with_args("a", body).call1(&JsValue::NULL, a).expect("test JS ran")
}

/// Installs a fake `fetch` answering from `script`, an array-literal source of functions
/// `(req) => Response | Promise<Response>`; records each request in `globalThis.__calls`.
fn script(responses: &str) {
    js(
        &format!(
            "globalThis.__calls = []; const steps = {responses};
             globalThis.fetch = async (input, init) => {{
               const req = new Request(input, init);
               const body = req.method === 'GET' || req.method === 'DELETE' ? null : await req.text();
               globalThis.__calls.push({{ url: req.url, method: req.method, body,
                 auth: req.headers.get('authorization'), type: req.headers.get('content-type'),
                 accept: req.headers.get('accept'), trace: req.headers.get('x-trace'), redirect: req.redirect }});
               const step = steps.length > 1 ? steps.shift() : steps[0];
               return step(req);
             }};"
        ),
        &JsValue::NULL,
    );
}

fn calls() -> Array {
    js("return globalThis.__calls", &JsValue::NULL).into()
}

fn client(token: &str) -> JsValue {
    js("return { environment: 'http://api.test:8080', accessToken: a, options: { maxRetries: 3 } }", &token.into())
}

fn obj(source: &str) -> JsValue {
    js(&format!("return ({source})"), &JsValue::NULL)
}

fn get(v: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(v.clone(), |v, k| Reflect::get(&v, &k.into()).unwrap_or(JsValue::UNDEFINED))
}

fn s(v: &JsValue, path: &str) -> String {
    get(v, path).as_string().unwrap_or_default()
}

async fn ok(op: u32, arg: JsValue, opts: JsValue) -> JsValue {
    call_operation(op, client("tok"), arg, opts).await.expect("call succeeded")
}

async fn fails(op: u32, arg: JsValue, opts: JsValue) -> JsValue {
    call_operation(op, client("tok"), arg, opts).await.expect_err("call failed")
}

/// A normal call after a failure: proves the module was not trapped.
async fn still_works() {
    script("[() => new Response('{\"id\":\"alive\"}', { status: 200 })]");
    let v = ok(GET_SEGMENT, "alive".into(), JsValue::UNDEFINED).await;
    assert_eq!(s(&v, "id"), "alive");
}

#[wasm_bindgen_test]
async fn a_get_sends_the_official_request_and_returns_everything_the_server_sent() {
    script(r#"[() => new Response('{"id":"s/1","scope":"Galaxy","futureField":{"x":[1,2]},"displayName":"VIP"}',
              { status: 200, headers: { 'content-type': 'application/json' } })]"#);
    let v = ok(GET_SEGMENT, "s/1".into(), JsValue::UNDEFINED).await;
    assert_eq!(s(&v, "scope"), "Galaxy");
    assert_eq!(get(&v, "futureField.x").dyn_into::<Array>().unwrap().length(), 2);
    let c = calls().get(0);
    assert_eq!(s(&c, "url"), "http://api.test:8080/api/v2/journey/segments/s%2F1");
    assert_eq!(s(&c, "method"), "GET");
    assert_eq!(s(&c, "auth"), "Bearer tok");
    assert_eq!(s(&c, "accept"), "application/json");
    assert_eq!(s(&c, "redirect"), "manual");
}

#[wasm_bindgen_test]
async fn a_create_sends_the_body_exactly_as_given() {
    script(r#"[() => new Response('{"id":"new"}', { status: 201 })]"#);
    let body = obj(r##"{ body: { zeta: 1, displayName: "VIP", color: "#00ff00", nested: { b: [1, "x", null], a: true } } }"##);
    let v = ok(POST_SEGMENTS, JsValue::UNDEFINED, body).await;
    assert_eq!(s(&v, "id"), "new");
    let c = calls().get(0);
    assert_eq!(s(&c, "body"), r##"{"zeta":1,"displayName":"VIP","color":"#00ff00","nested":{"b":[1,"x",null],"a":true}}"##);
    assert_eq!(s(&c, "type"), "application/json");
    assert_eq!(s(&c, "method"), "POST");
}

#[wasm_bindgen_test]
async fn listing_options_become_the_query_and_custom_headers_are_sent() {
    script(r#"[() => new Response('{"entities":[]}', { status: 200 })]"#);
    let opts = obj(r#"{ pageSize: 5, isActive: false, sortBy: "-displayName", customHeaders: { "X-Trace": "t1" } }"#);
    ok(GET_SEGMENTS, JsValue::UNDEFINED, opts).await;
    let c = calls().get(0);
    assert_eq!(s(&c, "url"), "http://api.test:8080/api/v2/journey/segments?pageSize=5&isActive=false&sortBy=-displayName");
    assert_eq!(s(&c, "trace"), "t1");
}

#[wasm_bindgen_test]
async fn invalid_input_is_refused_before_any_request() {
    script(r#"[() => new Response('{}', { status: 200 })]"#);
    let e = fails(POST_SEGMENTS, JsValue::UNDEFINED, obj(r#"{ body: { displayName: "x", journey: { patterns: [{ criteria: [], count: 1, streamType: "Fax", sessionType: "web" }] } } }"#)).await;
    assert_eq!(s(&e, "name"), "ValidationError");
    assert_eq!(s(&e, "field"), "body.journey.patterns[0].streamType");
    assert!(s(&e, "message").contains("\"Fax\" is not one of Web, Custom, Conversation, App"));
    assert_eq!(calls().length(), 0);
    still_works().await;
}

#[wasm_bindgen_test]
async fn hostile_arguments_become_validation_errors() {
    script(r#"[() => new Response('{}', { status: 200 })]"#);
    let cases: [(u32, &str, &str, &str); 10] = [
        (GET_SEGMENTS, "undefined", "42", "opts"),
        (GET_SEGMENTS, "undefined", "'pageSize=5'", "opts"),
        (GET_SEGMENT, "({ id: 1 })", "undefined", "segmentId"),
        (GET_SEGMENT, "Symbol('x')", "undefined", "arg"),
        (POST_SEGMENTS, "undefined", "({ body: { displayName: 10n } })", "body.displayName"),
        (POST_SEGMENTS, "undefined", "(() => { const b = { displayName: 'x' }; b.self = b; return { body: b }; })()", ""),
        (POST_SEGMENTS, "undefined", "(() => { let o = {}; const top = o; for (let i = 0; i < 5000; i++) { o.n = {}; o = o.n; } return { body: { displayName: 'x', deep: top } }; })()", ""),
        (POST_SEGMENTS, "undefined", "({ body: { displayName: 'x', assignmentExpirationDays: 1e308 } })", "body.assignmentExpirationDays"),
        (AGGREGATES, "[]", "undefined", "body"),
        (GET_SEGMENTS, "undefined", "({ signal: 'stop' })", "opts.signal"),
    ];
    for (op, arg, opts, field) in cases {
        let e = fails(op, obj(arg), obj(opts)).await;
        assert_eq!(s(&e, "name"), "ValidationError", "{arg} {opts}: {}", s(&e, "message"));
        if !field.is_empty() {
            assert_eq!(s(&e, "field"), field, "{arg} {opts}");
        }
    }
    let e = call_operation(99, client("tok"), JsValue::UNDEFINED, JsValue::UNDEFINED).await.unwrap_err();
    assert_eq!(s(&e, "name"), "ValidationError");
    let e = call_operation(GET_SEGMENTS, obj("({ environment: 'ftp://x' })"), JsValue::UNDEFINED, JsValue::UNDEFINED).await.unwrap_err();
    assert_eq!(s(&e, "field"), "environment");
    let e = call_operation(GET_SEGMENTS, obj("({ environment: 'http://a.test', options: { timeout: -5 } })"), JsValue::UNDEFINED, JsValue::UNDEFINED).await.unwrap_err();
    assert_eq!(s(&e, "field"), "options.timeout");
    assert_eq!(calls().length(), 0);
    still_works().await;
}

#[wasm_bindgen_test]
async fn rate_limits_are_retried_after_the_servers_wait() {
    script(r#"[() => new Response('{"message":"Rate limit exceeded","code":"too.many.requests.retry.after","status":429}', { status: 429, headers: { 'retry-after': '0' } }),
              () => new Response('{"id":"later"}', { status: 200 })]"#);
    // A create is not idempotent, but a 429 means the server did not act on it.
    let v = ok(POST_SEGMENTS, JsValue::UNDEFINED, obj("{ body: { displayName: 'x' } }")).await;
    assert_eq!(s(&v, "id"), "later");
    assert_eq!(calls().length(), 2);
}

#[wasm_bindgen_test]
async fn gateway_errors_are_retried_only_where_safe() {
    script(r#"[() => new Response('busy', { status: 503, headers: { 'retry-after-ms': '1' } }),
              () => new Response('busy', { status: 503, headers: { 'retry-after-ms': '1' } }),
              () => new Response('{"entities":[]}', { status: 200 })]"#);
    ok(GET_SEGMENTS, JsValue::UNDEFINED, JsValue::UNDEFINED).await;
    assert_eq!(calls().length(), 3);
    script(r#"[() => new Response('{"message":"down"}', { status: 503, headers: { 'retry-after-ms': '1' } })]"#);
    let e = fails(POST_SEGMENTS, JsValue::UNDEFINED, obj("{ body: { displayName: 'x' } }")).await;
    assert_eq!(s(&e, "name"), "InternalServerError");
    assert_eq!(calls().length(), 1);
    script(r#"[() => new Response('', { status: 503, headers: { 'retry-after-ms': '1' } })]"#);
    let e = fails(DELETE_SEGMENT, "s1".into(), JsValue::UNDEFINED).await;
    assert_eq!(calls().length(), 4, "1 attempt + 3 retries");
    assert_eq!(get(&e, "status").as_f64(), Some(503.0));
}

#[wasm_bindgen_test]
async fn a_retry_after_beyond_the_cap_is_not_waited_for() {
    script(r#"[() => new Response('{"message":"slow down"}', { status: 429, headers: { 'retry-after': '3600' } })]"#);
    let e = fails(GET_SEGMENT, "a".into(), JsValue::UNDEFINED).await;
    assert_eq!(s(&e, "name"), "RateLimitError");
    assert_eq!(get(&e, "retryAfterMs").as_f64(), Some(3_600_000.0));
    assert_eq!(calls().length(), 1);
}

#[wasm_bindgen_test]
async fn error_responses_of_every_shape_become_api_errors() {
    script(r#"[() => new Response('{"message":"Segment not found","code":"not.found","status":404}', { status: 404, headers: { 'ININ-Correlation-Id': 'corr-1' } })]"#);
    let e = fails(GET_SEGMENT, "nope".into(), JsValue::UNDEFINED).await;
    assert_eq!(s(&e, "name"), "NotFoundError");
    assert_eq!(s(&e, "message"), "404 Segment not found");
    assert_eq!(s(&e, "code"), "not.found");
    assert_eq!(s(&e, "kind"), "not_found");
    assert_eq!(s(&e, "correlationId"), "corr-1");
    assert_eq!(s(&e, "body.code"), "not.found");
    assert_eq!(s(&e, "operation"), "getJourneySegment");

    script(r#"[() => new Response('<html><body>Bad Gateway</body></html>', { status: 502, headers: { 'content-type': 'text/html' } })]"#);
    let e = fails(GET_SEGMENT, "a".into(), obj("{ maxRetries: 0 }")).await;
    assert_eq!(s(&e, "message"), "502 Bad Gateway (non-JSON body)");
    assert!(s(&e, "body").starts_with("<html>"));

    script(r#"[() => new Response(null, { status: 500 })]"#);
    let e = fails(GET_SEGMENT, "a".into(), JsValue::UNDEFINED).await;
    assert_eq!(s(&e, "message"), "500 Internal Server Error (empty body)");
    assert!(get(&e, "body").is_undefined());

    script(r#"[() => new Response('plain words', { status: 409 })]"#);
    let e = fails(GET_SEGMENT, "a".into(), JsValue::UNDEFINED).await;
    assert_eq!(s(&e, "name"), "ConflictError");
    assert_eq!(s(&e, "body"), "plain words");

    for (status, class, kind) in [(400, "BadRequestError", "bad_request"), (401, "AuthenticationError", "unauthorized"), (403, "PermissionDeniedError", "forbidden"), (413, "ApiError", "client_error"), (504, "InternalServerError", "server_error")] {
        script(&format!(r#"[() => new Response('{{"message":"m"}}', {{ status: {status} }})]"#));
        let e = fails(GET_SEGMENT, "a".into(), obj("{ maxRetries: 0 }")).await;
        assert_eq!((s(&e, "name").as_str(), s(&e, "kind").as_str()), (class, kind), "{status}");
        assert_eq!(s(&e, "message"), format!("{status} m"));
    }

    script(r#"[() => new Response(null, { status: 302, headers: { location: 'https://elsewhere.test/' } })]"#);
    let e = fails(GET_SEGMENT, "a".into(), JsValue::UNDEFINED).await;
    assert_eq!(s(&e, "kind"), "redirect");
    assert_eq!(calls().length(), 1, "redirects are never followed");
    still_works().await;
}

#[wasm_bindgen_test]
async fn malformed_success_bodies_are_decode_errors() {
    for body in ["'{\"id\": '", "''", "'[1,2]'", "'\"text\"'"] {
        script(&format!("[() => new Response({body}, {{ status: 200 }})]"));
        let e = fails(GET_SEGMENT, "a".into(), JsValue::UNDEFINED).await;
        assert_eq!(s(&e, "name"), "DecodeError", "{body}");
        assert_eq!(s(&e, "operation"), "getJourneySegment");
        assert!(s(&e, "message").contains("getJourneySegment"));
    }
    // A 204 with no body is what a delete returns.
    script(r#"[() => new Response(null, { status: 204 })]"#);
    assert!(ok(DELETE_SEGMENT, "a".into(), JsValue::UNDEFINED).await.is_undefined());
    still_works().await;
}

#[wasm_bindgen_test]
async fn broken_fetch_implementations_become_connection_errors() {
    for step in [
        "() => 'not a response'",
        "() => { throw 'a bare string'; }",
        "() => Promise.reject(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') }))",
        "() => Promise.reject(undefined)",
    ] {
        script(&format!("[{step}]"));
        let e = fails(GET_SEGMENT, "a".into(), obj("{ maxRetries: 0 }")).await;
        assert_eq!(s(&e, "name"), "ConnectionError", "{step}");
    }
    let e = fails(GET_SEGMENT, "a".into(), obj("{ maxRetries: 0 }")).await;
    assert!(s(&e, "message").contains("a bare string") || s(&e, "message").contains("unknown error"));
    js("globalThis.__savedFetch = globalThis.fetch; globalThis.fetch = undefined;", &JsValue::NULL);
    let e = fails(GET_SEGMENT, "a".into(), obj("{ maxRetries: 0 }")).await;
    assert_eq!(s(&e, "name"), "ConnectionError");
    js("globalThis.fetch = globalThis.__savedFetch;", &JsValue::NULL);
    still_works().await;
}

/// A fetch that answers only when aborted, like a server that never replies.
const HANGS: &str = "[(req) => new Promise((_, reject) => req.signal.addEventListener('abort', () => reject(req.signal.reason)))]";

#[wasm_bindgen_test]
async fn each_attempt_has_its_own_timeout() {
    script(HANGS);
    let e = fails(GET_SEGMENT, "a".into(), obj("{ timeout: 20, maxRetries: 0 }")).await;
    assert_eq!(s(&e, "name"), "TimeoutError");
    assert_eq!(get(&e, "timeoutMs").as_f64(), Some(20.0));
    // A timed-out read is retried (here: 1 retry after a backoff of at most 500 ms).
    let e = fails(GET_SEGMENT, "a".into(), obj("{ timeout: 20, maxRetries: 1 }")).await;
    assert_eq!(s(&e, "name"), "TimeoutError");
    assert_eq!(calls().length(), 3);
    still_works().await;
}

#[wasm_bindgen_test]
async fn the_callers_signal_aborts_at_once() {
    script(HANGS);
    let already = obj("(() => { const c = new AbortController(); c.abort(); return { signal: c.signal }; })()");
    let e = fails(GET_SEGMENT, "a".into(), already).await;
    assert_eq!(s(&e, "name"), "AbortError");
    assert_eq!(calls().length(), 0);

    let soon = obj("(() => { const c = new AbortController(); setTimeout(() => c.abort('user left'), 15); return { signal: c.signal }; })()");
    let e = fails(GET_SEGMENT, "a".into(), soon).await;
    assert_eq!(s(&e, "name"), "AbortError");

    // During a back-off wait too: the server asks for 30 s, the caller gives up after 15 ms.
    script(r#"[() => new Response('{}', { status: 429, headers: { 'retry-after': '30' } })]"#);
    let started = js_sys::Date::now();
    let soon = obj("(() => { const c = new AbortController(); setTimeout(() => c.abort(), 15); return { signal: c.signal }; })()");
    let e = fails(GET_SEGMENT, "a".into(), soon).await;
    assert_eq!(s(&e, "name"), "AbortError");
    assert!(js_sys::Date::now() - started < 5_000.0);
    still_works().await;
}

#[wasm_bindgen_test]
async fn the_token_never_appears_in_an_error() {
    let secret = "sk-very-secret-token";
    script(r#"[() => new Response('{"message":"Invalid login credentials."}', { status: 401 })]"#);
    let e = call_operation(GET_SEGMENT, client(secret), "a".into(), JsValue::UNDEFINED).await.unwrap_err();
    assert_eq!(s(&e, "name"), "AuthenticationError");
    let everything = js("return JSON.stringify(a) + String(a) + a.stack + JSON.stringify(a.body)", &e).as_string().unwrap();
    assert!(!everything.contains(secret));
    let e = call_operation(GET_SEGMENT, client("bad\ntoken-secret"), "a".into(), JsValue::UNDEFINED).await.unwrap_err();
    assert_eq!(s(&e, "field"), "accessToken");
    assert!(!s(&e, "message").contains("token-secret"));
}

#[wasm_bindgen_test]
async fn many_concurrent_calls_complete() {
    script(r#"[(req) => new Promise((resolve) => setTimeout(() => resolve(new Response(JSON.stringify({ url: req.url }), { status: 200 })), 5))]"#);
    let promises = Array::new();
    for i in 0..50 {
        let id = format!("id{i}");
        promises.push(&wasm_bindgen_futures::future_to_promise(async move {
            call_operation(GET_SEGMENT, client("tok"), id.into(), JsValue::UNDEFINED).await
        }));
    }
    let all = JsFuture::from(js_sys::Promise::all(&promises)).await.unwrap();
    let all: Array = all.into();
    assert_eq!(all.length(), 50);
    assert!(s(&all.get(49), "url").ends_with("/id49"));
}

/// A client with its own `fetch`: source of the `fetch` property of a client object.
fn client_with_fetch(fetch: &str) -> JsValue {
    js(&format!("return {{ environment: 'http://api.test:8080', accessToken: 'tok', fetch: {fetch} }}"), &JsValue::NULL)
}

#[wasm_bindgen_test]
async fn a_clients_own_fetch_is_used_and_may_answer_with_any_response_shaped_object() {
    script("[() => { throw new Error('the global fetch must not be called'); }]");
    // The shape the Node transport resolves to: no Response, just its members.
    let client = client_with_fetch(
        "(url, init) => { (globalThis.__own ??= []).push({ url, init });
           return { status: 200, headers: { get: () => null }, text: async () => '{\"id\":\"own\",\"extra\":[1]}',
                    json: () => { throw new Error('json() is not read: text() and JSON.parse are'); } }; }",
    );
    let v = call_operation(GET_SEGMENT, client, "a b".into(), JsValue::UNDEFINED).await.expect("own fetch answered");
    assert_eq!(s(&v, "id"), "own");
    let sent = js("return globalThis.__own[0]", &JsValue::NULL);
    assert_eq!(s(&sent, "url"), "http://api.test:8080/api/v2/journey/segments/a%20b");
    assert_eq!(s(&sent, "init.method"), "GET");
    assert_eq!(s(&sent, "init.redirect"), "manual");
    assert_eq!(s(&sent, "init.headers.Authorization"), "Bearer tok");
    assert_eq!(calls().length(), 0, "the global fetch was not used");

    // Failures of an own fetch, or of what it returns, are typed errors; headers that cannot be
    // read on an error response only cost the error its details.
    for (fetch, expected) in [
        ("() => ({})", "ConnectionError"),
        ("() => ({ status: 200, headers: {}, text: () => { throw new TypeError('no body'); } })", "ConnectionError"),
        ("() => ({ status: 200, text: () => Promise.reject(new TypeError('terminated')) })", "ConnectionError"),
        ("() => ({ status: 200, text: async () => '{\"id\": 1,' })", "DecodeError"),
        ("() => ({ status: 200, text: async () => undefined })", "DecodeError"),
        ("() => ({ status: 200.5 })", "ConnectionError"),
        ("() => Promise.resolve({ status: 404, headers: { get() { throw new Error('no'); } }, text: async () => '{\"message\":\"gone\"}' })", "NotFoundError"),
        ("42", "ValidationError"),
    ] {
        let e = call_operation(GET_SEGMENT, client_with_fetch(fetch), "a".into(), obj("{ maxRetries: 0 }")).await.expect_err(fetch);
        assert_eq!(s(&e, "name"), expected, "{fetch}: {}", s(&e, "message"));
    }
    let e = call_operation(GET_SEGMENT, client_with_fetch("42"), "a".into(), JsValue::UNDEFINED).await.expect_err("not a function");
    assert_eq!(s(&e, "field"), "fetch");
    still_works().await;
}

#[wasm_bindgen_test]
async fn a_fetch_that_handles_timeouts_gets_the_timeout_instead_of_a_signal() {
    let handles = "Object.assign((url, init) => { globalThis.__init = init;
         return Promise.reject(Object.assign(new Error('slow'), { name: 'TimeoutError' })); }, { handlesTimeout: true })";
    let e = call_operation(GET_SEGMENT, client_with_fetch(handles), "a".into(), obj("{ maxRetries: 0, timeout: 250 }")).await.expect_err("timed out");
    assert_eq!(s(&e, "name"), "TimeoutError", "{}", s(&e, "message"));
    assert_eq!(get(&e, "timeoutMs").as_f64(), Some(250.0));
    let init = js("return globalThis.__init", &JsValue::NULL);
    assert_eq!(get(&init, "timeout").as_f64(), Some(250.0));
    assert!(get(&init, "signal").is_undefined(), "no controller of the core's own");
    // Without the declaration the core brings its own controller, and a rejection named
    // TimeoutError is not taken for the core's timeout.
    let plain = "(url, init) => { globalThis.__init = init; return Promise.reject(Object.assign(new Error('x'), { name: 'TimeoutError' })); }";
    let e = call_operation(GET_SEGMENT, client_with_fetch(plain), "a".into(), obj("{ maxRetries: 0, timeout: 250 }")).await.expect_err("failed");
    assert_eq!(s(&e, "name"), "ConnectionError");
    let init = js("return globalThis.__init", &JsValue::NULL);
    assert!(get(&init, "timeout").is_undefined());
    assert!(!get(&init, "signal").is_undefined());
    still_works().await;
}

#[wasm_bindgen_test]
async fn extended_responses_carry_status_headers_and_correlation_id() {
    let client = js(
        "return { environment: 'http://api.test:8080', accessToken: 'tok', returnExtendedResponses: true }",
        &JsValue::NULL,
    );
    script(
        r#"[() => new Response('{"id":"s1","later":1}', { status: 200, statusText: 'OK',
            headers: { 'content-type': 'application/json', 'ININ-Correlation-Id': 'corr-1', 'X-Extra': 'y' } }),
           () => new Response(null, { status: 204, statusText: 'No Content' }),
           () => new Response('{"message":"gone","code":"not.found","status":404}', { status: 404, headers: { 'ININ-Correlation-Id': 'corr-2' } })]"#,
    );
    let r = call_operation(GET_SEGMENT, client.clone(), "s1".into(), JsValue::UNDEFINED).await.expect("extended");
    assert_eq!(get(&r, "status").as_f64(), Some(200.0));
    assert_eq!(s(&r, "statusText"), "OK");
    assert_eq!(s(&r, "body.id"), "s1");
    assert_eq!(get(&r, "body.later").as_f64(), Some(1.0), "unknown fields pass through");
    assert_eq!(s(&r, "correlationId"), "corr-1");
    assert_eq!(s(&r, "headers.inin-correlation-id"), "corr-1");
    assert_eq!(s(&r, "headers.x-extra"), "y");
    assert!(get(&r, "error").is_null());
    let r = call_operation(DELETE_SEGMENT, client.clone(), "s1".into(), JsValue::UNDEFINED).await.expect("deleted");
    assert_eq!(get(&r, "status").as_f64(), Some(204.0));
    assert!(get(&r, "body").is_undefined());
    assert!(get(&r, "correlationId").is_null());
    // Failures are the same typed errors as without extended responses.
    let e = call_operation(GET_SEGMENT, client, "s1".into(), JsValue::UNDEFINED).await.expect_err("404");
    assert_eq!(s(&e, "name"), "NotFoundError");
    assert_eq!(s(&e, "correlationId"), "corr-2");
    still_works().await;
}
