//! In-process tests: the axum Router over an in-memory (or temp-file) SQLite store.
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use journey_emulator::app::{self, Options};
use journey_emulator::store::Store;
use serde_json::{json, Value};
use tower::ServiceExt;

const TOKEN: &str = "test-token";

fn app_with(store: Store, www: Option<std::path::PathBuf>) -> Router {
    app::router(app::state(store, Options { tokens: vec![TOKEN.into()], www, ..Default::default() }))
}

fn new_app() -> Router {
    app_with(Store::open(None, 42).unwrap(), None)
}

struct Resp {
    status: StatusCode,
    headers: HeaderMap,
    bytes: Vec<u8>,
}

impl Resp {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.bytes)))
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

async fn send(app: &Router, req: Request<Body>) -> Resp {
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes().to_vec();
    Resp { status, headers, bytes }
}

async fn call(app: &Router, method: &str, uri: &str, body: Option<Value>) -> Resp {
    let mut b = Request::builder().method(method).uri(uri).header("authorization", format!("Bearer {TOKEN}"));
    let body = match body {
        Some(v) => {
            b = b.header("content-type", "application/json");
            Body::from(v.to_string())
        }
        None => Body::empty(),
    };
    send(app, b.body(body).unwrap()).await
}

async fn get(app: &Router, uri: &str) -> Resp {
    call(app, "GET", uri, None).await
}

fn assert_error(r: &Resp, status: u16, needle: &str) {
    assert_eq!(r.status.as_u16(), status, "body: {}", String::from_utf8_lossy(&r.bytes));
    let b = r.json();
    for k in ["message", "code", "status", "messageParams", "contextId", "details", "errors"] {
        assert!(b.get(k).is_some(), "ErrorBody lacks {k}: {b}");
    }
    assert_eq!(b["status"], status);
    assert!(b["message"].as_str().unwrap().contains(needle), "message {:?} lacks {needle:?}", b["message"]);
    assert_eq!(r.header("inin-correlation-id"), b["contextId"].as_str());
}

fn names(list: &Value) -> Vec<String> {
    list["entities"].as_array().unwrap().iter().map(|e| e["displayName"].as_str().unwrap().to_string()).collect()
}

fn new_segment() -> Value {
    json!({
        "displayName": "Emulator test segment",
        "description": "created by a test",
        "color": "#12ab9F",
        "context": {"patterns": [{"criteria": [{"key": "device.category", "values": ["mobile"], "entityType": "visit", "operator": "equal"}]}]},
        "journey": {"patterns": [{"criteria": [{"key": "page.url", "values": ["/pricing"]}], "count": 2, "streamType": "Web", "sessionType": "web"}]},
        "someUnknownField": 1,
        "selfUri": "/ignored"
    })
}

// ------------------------------------------------------------------ seed

#[test]
fn same_seed_same_data() {
    use journey_emulator::seed::{generate_documents, generate_events};
    let a = generate_documents(42);
    let b = generate_documents(42);
    assert_eq!(a.segments, b.segments);
    assert_eq!(a.action_targets, b.action_targets);
    assert_eq!(generate_events(42, 1_700_000_000_000, &a), generate_events(42, 1_700_000_000_000, &b));
    assert_ne!(generate_documents(7).segments, a.segments);
    assert_eq!(a.segments.len(), 40);
    assert_eq!(a.action_targets.len(), 8);
    assert!(a.segments.iter().any(|s| s.get("externalSegment").is_some()));
    assert!(a.segments.iter().any(|s| s["scope"] == "Customer"));
    assert!(a.segments.iter().any(|s| s["isActive"] == false));
    let ev = generate_events(42, 1_700_000_000_000, &a);
    assert!(ev.len() > 5000, "{} events", ev.len());
    assert!(ev.iter().all(|e| e.ts < 1_700_000_000_000 && e.ts >= 1_700_000_000_000 - 31 * 86_400_000));
}

#[test]
fn seeding_is_fast() {
    let t = std::time::Instant::now();
    let s = Store::open(None, 42).unwrap();
    assert!(s.event_count().unwrap() > 5000);
    // debug build; release is several times faster
    assert!(t.elapsed().as_millis() < 3000, "{:?}", t.elapsed());
}

// ------------------------------------------------------------------ auth & routing

#[tokio::test]
async fn auth_required_and_unknown_paths() {
    let app = new_app();
    let r = send(&app, Request::get("/api/v2/journey/segments").body(Body::empty()).unwrap()).await;
    assert_error(&r, 401, "No authentication bearer token");
    let r = send(&app, Request::get("/api/v2/journey/segments").header("authorization", "Bearer nope").body(Body::empty()).unwrap()).await;
    assert_error(&r, 401, "Invalid login credentials");
    let r = get(&app, "/api/v2/journey/nothing").await;
    assert_error(&r, 404, "No resource");
    let r = get(&app, "/api/v2/journey/segments/does-not-exist").await;
    assert_error(&r, 404, "does-not-exist");
    let r = get(&app, "/__emulator/health").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), json!({"status": "ok"}));
    assert!(r.header("inin-correlation-id").unwrap().len() >= 32);
}

#[tokio::test]
async fn oauth_client_credentials() {
    let app = new_app();
    let form = |auth: &str, body: &str| {
        Request::post("/oauth/token")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("authorization", auth)
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    use base64::Engine;
    let enc = |s: &str| format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(s));
    let r = send(&app, form(&enc("demo-client:wrong"), "grant_type=client_credentials")).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["error"], "invalid_client");
    let r = send(&app, form(&enc("demo-client:demo-secret"), "grant_type=password")).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"], "unsupported_grant_type");
    let r = send(&app, form(&enc("demo-client:demo-secret"), "grant_type=client_credentials")).await;
    assert_eq!(r.status, 200);
    let tok = r.json();
    assert_eq!(tok["token_type"], "bearer");
    assert!(tok["expires_in"].as_i64().unwrap() > 0);
    let access = tok["access_token"].as_str().unwrap();
    let r = send(&app, Request::get("/api/v2/journey/actiontargets").header("authorization", format!("Bearer {access}")).body(Body::empty()).unwrap()).await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn cors_preflight_and_headers() {
    let app = new_app();
    let r = send(
        &app,
        Request::builder()
            .method("OPTIONS")
            .uri("/api/v2/journey/segments")
            .header("origin", "http://localhost:3000")
            .header("access-control-request-method", "PATCH")
            .header("access-control-request-headers", "authorization, content-type, x-custom")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, 204);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert!(r.header("access-control-allow-methods").unwrap().contains("PATCH"));
    let allow = r.header("access-control-allow-headers").unwrap().to_lowercase();
    assert!(allow.contains("authorization") && allow.contains("content-type") && allow.contains("x-custom"));
    assert!(r.header("inin-correlation-id").is_some());
    let r = get(&app, "/api/v2/journey/segments").await;
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert!(r.header("access-control-expose-headers").unwrap().contains("ININ-Correlation-Id"));
    assert!(r.header("access-control-expose-headers").unwrap().contains("Retry-After"));
}

// ------------------------------------------------------------------ listings

#[tokio::test]
async fn segment_pagination_edges() {
    let app = new_app();
    let p1 = get(&app, "/api/v2/journey/segments").await.json();
    assert_eq!(p1["total"], 40);
    assert_eq!(p1["pageSize"], 25);
    assert_eq!(p1["pageNumber"], 1);
    assert_eq!(p1["pageCount"], 2);
    assert_eq!(p1["entities"].as_array().unwrap().len(), 25);
    assert_eq!(p1["nextUri"], "/api/v2/journey/segments?pageSize=25&pageNumber=2");
    assert_eq!(p1["selfUri"], "/api/v2/journey/segments?pageSize=25&pageNumber=1");
    assert_eq!(p1["firstUri"], "/api/v2/journey/segments?pageSize=25&pageNumber=1");
    assert_eq!(p1["lastUri"], "/api/v2/journey/segments?pageSize=25&pageNumber=2");
    assert!(p1.get("previousUri").is_none());
    let p2 = get(&app, &p1["nextUri"].as_str().unwrap().to_string()).await.json();
    assert_eq!(p2["entities"].as_array().unwrap().len(), 15);
    assert!(p2.get("nextUri").is_none());
    assert_eq!(p2["previousUri"], "/api/v2/journey/segments?pageSize=25&pageNumber=1");
    let p3 = get(&app, "/api/v2/journey/segments?pageNumber=3").await.json();
    assert_eq!(p3["entities"].as_array().unwrap().len(), 0);
    assert_eq!(p3["total"], 40);
    assert!(p3.get("nextUri").is_none());
    let one = get(&app, "/api/v2/journey/segments?pageSize=1&pageNumber=40").await.json();
    assert_eq!(one["pageCount"], 40);
    assert_eq!(one["entities"].as_array().unwrap().len(), 1);
    assert!(one.get("nextUri").is_none());
    assert_eq!(one["previousUri"], "/api/v2/journey/segments?pageSize=1&pageNumber=39");
    // pages are disjoint and cover everything
    let mut ids = std::collections::HashSet::new();
    for p in [&p1, &p2] {
        for e in p["entities"].as_array().unwrap() {
            assert!(ids.insert(e["id"].as_str().unwrap().to_string()));
        }
    }
    assert_eq!(ids.len(), 40);
    for bad in ["pageSize=0", "pageSize=abc", "pageNumber=0", "pageNumber=-1", "pageSize=101"] {
        let r = get(&app, &format!("/api/v2/journey/segments?{bad}")).await;
        assert_error(&r, 400, bad.split('=').next().unwrap());
    }
    assert_eq!(get(&app, "/api/v2/journey/segments?pageSize=100").await.status, 200);
}

#[tokio::test]
async fn segment_sorting_and_filters() {
    let app = new_app();
    let asc = names(&get(&app, "/api/v2/journey/segments?sortBy=displayName&pageSize=100").await.json());
    let mut sorted = asc.clone();
    sorted.sort_by_key(|s| s.to_lowercase());
    assert_eq!(asc, sorted);
    let desc = names(&get(&app, "/api/v2/journey/segments?sortBy=-displayName&pageSize=100").await.json());
    let mut rev = asc.clone();
    rev.reverse();
    assert_eq!(desc, rev);
    let multi = get(&app, "/api/v2/journey/segments?sortBy=isActive,-version&pageSize=100").await.json();
    let keys: Vec<(bool, i64)> = multi["entities"].as_array().unwrap().iter().map(|e| (e["isActive"].as_bool().unwrap(), -e["version"].as_i64().unwrap())).collect();
    let mut k2 = keys.clone();
    k2.sort();
    assert_eq!(keys, k2);
    assert!(get(&app, "/api/v2/journey/segments?sortBy=displayName&pageSize=5").await.json()["nextUri"]
        .as_str().unwrap().contains("sortBy=displayName"));
    assert_error(&get(&app, "/api/v2/journey/segments?sortBy=bogus").await, 400, "sortBy");

    let active = get(&app, "/api/v2/journey/segments?isActive=true&pageSize=100").await.json();
    let inactive = get(&app, "/api/v2/journey/segments?isActive=false&pageSize=100").await.json();
    assert!(active["entities"].as_array().unwrap().iter().all(|e| e["isActive"] == true));
    assert!(inactive["entities"].as_array().unwrap().iter().all(|e| e["isActive"] == false));
    assert_eq!(active["total"].as_i64().unwrap() + inactive["total"].as_i64().unwrap(), 40);
    assert_error(&get(&app, "/api/v2/journey/segments?isActive=maybe").await, 400, "isActive");

    let q = get(&app, "/api/v2/journey/segments?queryFields=displayName&queryValue=CART&pageSize=100").await.json();
    assert!(q["total"].as_i64().unwrap() >= 1);
    assert!(names(&q).iter().all(|n| n.to_lowercase().contains("cart")));
    let q = get(&app, "/api/v2/journey/segments?queryFields=displayName,description&queryValue=queue%20nothing").await.json();
    assert_eq!(q["total"], 0);
    let q = get(&app, "/api/v2/journey/segments?queryFields=description&queryFields=displayName&queryValue=app%20users").await.json();
    assert!(q["total"].as_i64().unwrap() >= 2, "{q}");
    assert_error(&get(&app, "/api/v2/journey/segments?queryValue=x").await, 400, "queryFields");
    assert_error(&get(&app, "/api/v2/journey/segments?queryFields=displayName").await, 400, "queryValue");
    assert_error(&get(&app, "/api/v2/journey/segments?queryFields=color&queryValue=x").await, 400, "queryFields");
}

#[tokio::test]
async fn segment_ids_parameter() {
    let app = new_app();
    let all = get(&app, "/api/v2/journey/segments?pageSize=3").await.json();
    let ids: Vec<String> = all["entities"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap().to_string()).collect();
    let repeated = get(&app, &format!("/api/v2/journey/segments?segmentIds={}&segmentIds={}&segmentIds=unknown", ids[0], ids[1])).await.json();
    assert_eq!(repeated["total"], 2);
    let joined = get(&app, &format!("/api/v2/journey/segments?segmentIds={},{},{}", ids[0], ids[1], ids[2])).await.json();
    assert_eq!(joined["total"], 3);
    let got: Vec<&str> = joined["entities"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(got, ids.iter().map(String::as_str).collect::<Vec<_>>());
    let many: Vec<String> = (0..101).map(|i| format!("id{i}")).collect();
    assert_error(&get(&app, &format!("/api/v2/journey/segments?segmentIds={}", many.join(","))).await, 400, "maximum of 100");
    assert_eq!(get(&app, &format!("/api/v2/journey/segments?segmentIds={}", many[..100].join(","))).await.status, 200);
    for extra in ["pageSize=2", "pageNumber=1", "sortBy=displayName", "queryFields=displayName&queryValue=x"] {
        assert_error(&get(&app, &format!("/api/v2/journey/segments?segmentIds={}&{extra}", ids[0])).await, 400, "segmentIds");
    }
}

// ------------------------------------------------------------------ segment CRUD

#[tokio::test]
async fn create_get_patch_delete_segment() {
    let app = new_app();
    let r = call(&app, "POST", "/api/v2/journey/segments", Some(new_segment())).await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.bytes));
    let s = r.json();
    let id = s["id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 36);
    assert_eq!(s["version"], 1);
    assert_eq!(s["isActive"], true);
    assert_eq!(s["shouldDisplayToAgent"], false);
    assert_eq!(s["scope"], "Session");
    assert_eq!(s["selfUri"], format!("/api/v2/journey/segments/{id}"));
    assert_eq!(s["createdDate"], s["modifiedDate"]);
    assert!(s.get("someUnknownField").is_none());
    assert_eq!(s["journey"]["patterns"][0]["criteria"][0]["operator"], "equal");
    assert_eq!(s["journey"]["patterns"][0]["criteria"][0]["shouldIgnoreCase"], false);
    assert_eq!(get(&app, &format!("/api/v2/journey/segments/{id}")).await.json(), s);
    assert_eq!(get(&app, "/api/v2/journey/segments").await.json()["total"], 41);

    let minimal = call(&app, "POST", "/api/v2/journey/segments", Some(json!({"displayName": "Only a name"}))).await.json();
    assert_eq!(minimal["color"], journey_emulator::validate::DEFAULT_COLOR);
    assert_eq!(minimal["context"], json!({"patterns": []}));
    assert_eq!(minimal["journey"], json!({"patterns": []}));

    // PATCH: merge + version + 409 on stale version
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let r = call(&app, "PATCH", &format!("/api/v2/journey/segments/{id}"), Some(json!({"version": 1, "description": "changed"}))).await;
    assert_eq!(r.status, 200);
    let p = r.json();
    assert_eq!(p["version"], 2);
    assert_eq!(p["description"], "changed");
    assert_eq!(p["displayName"], "Emulator test segment");
    assert_ne!(p["modifiedDate"], s["modifiedDate"]);
    assert_eq!(p["createdDate"], s["createdDate"]);
    let p = call(&app, "PATCH", &format!("/api/v2/journey/segments/{id}"), Some(json!({"isActive": false}))).await.json();
    assert_eq!(p["version"], 3);
    let r = call(&app, "PATCH", &format!("/api/v2/journey/segments/{id}"), Some(json!({"version": 1, "displayName": "stale"}))).await;
    assert_error(&r, 409, "The version 1 does not match the current version 3");
    assert_eq!(get(&app, &format!("/api/v2/journey/segments/{id}")).await.json()["displayName"], "Emulator test segment");
    let r = call(&app, "PATCH", &format!("/api/v2/journey/segments/{id}"), Some(json!({"color": "red"}))).await;
    assert_error(&r, 400, "color");
    let r = call(&app, "PATCH", "/api/v2/journey/segments/nope", Some(json!({"description": "x"}))).await;
    assert_error(&r, 404, "nope");

    // DELETE
    let r = call(&app, "DELETE", &format!("/api/v2/journey/segments/{id}"), None).await;
    assert_eq!(r.status, 204);
    assert!(r.bytes.is_empty());
    assert_error(&get(&app, &format!("/api/v2/journey/segments/{id}")).await, 404, &id);
    assert_error(&call(&app, "DELETE", &format!("/api/v2/journey/segments/{id}"), None).await, 404, &id);
}

#[tokio::test]
async fn segment_validation_names_fields() {
    let app = new_app();
    let cases: Vec<(Value, &str)> = vec![
        (json!({}), "displayName"),
        (json!({"displayName": ""}), "displayName"),
        (json!({"displayName": 5}), "displayName"),
        (json!({"displayName": "x", "color": "#12345"}), "color"),
        (json!({"displayName": "x", "color": "#GGGGGG"}), "color"),
        (json!({"displayName": "x", "context": {"patterns": [{}]}}), "context.patterns[0].criteria"),
        (json!({"displayName": "x", "context": {"patterns": [{"criteria": [{"key": "k", "values": ["v"]}]}]}}), "context.patterns[0].criteria[0].entityType"),
        (json!({"displayName": "x", "context": {"patterns": [{"criteria": [{"key": "k", "values": ["v"], "entityType": "session"}]}]}}), "entityType"),
        (json!({"displayName": "x", "context": {"patterns": [{"criteria": [{"values": ["v"], "entityType": "visit"}]}]}}), "criteria[0].key"),
        (json!({"displayName": "x", "journey": {"patterns": [{"criteria": [], "count": 1, "streamType": "Web"}]}}), "journey.patterns[0].sessionType"),
        (json!({"displayName": "x", "journey": {"patterns": [{"criteria": [], "count": 1, "sessionType": "web"}]}}), "journey.patterns[0].streamType"),
        (json!({"displayName": "x", "journey": {"patterns": [{"criteria": [], "streamType": "Web", "sessionType": "web"}]}}), "journey.patterns[0].count"),
        (json!({"displayName": "x", "journey": {"patterns": [{"count": 1, "streamType": "Web", "sessionType": "web"}]}}), "journey.patterns[0].criteria"),
        (json!({"displayName": "x", "journey": {"patterns": [{"criteria": [], "count": 1, "streamType": "Email", "sessionType": "web"}]}}), "streamType"),
        (json!({"displayName": "x", "journey": {"patterns": [{"criteria": [{"key": "page.url"}], "count": 1, "streamType": "Web", "sessionType": "web"}]}}), "journey.patterns[0].criteria[0].values"),
        (json!({"displayName": "x", "journey": {"patterns": [{"criteria": [{"key": "page.url", "values": ["a"], "operator": "like"}], "count": 1, "streamType": "Web", "sessionType": "web"}]}}), "operator"),
        (json!({"displayName": "x", "externalSegment": {"name": "n"}}), "externalSegment.id"),
        (json!({"displayName": "x", "externalSegment": {"id": "i"}}), "externalSegment.name"),
        (json!({"displayName": "x", "externalSegment": {"id": "i", "name": "n", "source": "Bogus"}}), "externalSegment.source"),
        (json!({"displayName": "x", "assignmentExpirationDays": -1}), "assignmentExpirationDays"),
    ];
    for (body, field) in cases {
        let r = call(&app, "POST", "/api/v2/journey/segments", Some(body.clone())).await;
        assert_error(&r, 400, field);
    }
    // malformed JSON and wrong content type
    let req = |ct: &str, body: &str| {
        Request::post("/api/v2/journey/segments")
            .header("authorization", format!("Bearer {TOKEN}"))
            .header("content-type", ct)
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    assert_error(&send(&app, req("application/json", "{\"displayName\": ")).await, 400, "not valid JSON");
    assert_error(&send(&app, req("text/plain", "{\"displayName\": \"x\"}")).await, 415, "Content-Type");
    assert_eq!(send(&app, req("application/json; charset=utf-8", "{\"displayName\": \"x\"}")).await.status, 201);
    assert_eq!(get(&app, "/api/v2/journey/segments").await.json()["total"], 41);
}

// ------------------------------------------------------------------ action targets

#[tokio::test]
async fn action_targets() {
    let app = new_app();
    let l = get(&app, "/api/v2/journey/actiontargets?pageSize=3&pageNumber=2").await.json();
    assert_eq!(l["total"], 8);
    assert_eq!(l["pageCount"], 3);
    assert_eq!(l["selfUri"], "/api/v2/journey/actiontargets?pageSize=3&pageNumber=2");
    let t = &l["entities"][0];
    for k in ["id", "name", "supportedMediaTypes", "state", "serviceLevel", "shortAbandonThreshold", "selfUri", "createdDate", "modifiedDate"] {
        assert!(t.get(k).is_some(), "action target lacks {k}");
    }
    let id = t["id"].as_str().unwrap();
    assert_eq!(get(&app, &format!("/api/v2/journey/actiontargets/{id}")).await.json(), *t);
    let p = call(&app, "PATCH", &format!("/api/v2/journey/actiontargets/{id}"), Some(json!({"name": "Renamed", "serviceLevel": {"percentage": 0.5}, "id": "ignored"}))).await;
    assert_eq!(p.status, 200);
    let p = p.json();
    assert_eq!(p["name"], "Renamed");
    assert_eq!(p["id"], id);
    assert_eq!(p["serviceLevel"]["percentage"], 0.5);
    assert_eq!(p["serviceLevel"]["durationMs"], t["serviceLevel"]["durationMs"]);
    assert_error(&call(&app, "PATCH", &format!("/api/v2/journey/actiontargets/{id}"), Some(json!({"serviceLevel": {"percentage": 2}}))).await, 400, "serviceLevel.percentage");
    assert_error(&call(&app, "PATCH", "/api/v2/journey/actiontargets/nope", Some(json!({"name": "x"}))).await, 404, "nope");
    assert_error(&get(&app, "/api/v2/journey/actiontargets/nope").await, 404, "nope");
}

// ------------------------------------------------------------------ persistence & atomicity

#[tokio::test]
async fn persists_across_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("emu.db");
    let id;
    {
        let app = app_with(Store::open(Some(&path), 42).unwrap(), None);
        let s = call(&app, "POST", "/api/v2/journey/segments", Some(new_segment())).await.json();
        id = s["id"].as_str().unwrap().to_string();
        call(&app, "PATCH", &format!("/api/v2/journey/segments/{id}"), Some(json!({"displayName": "renamed"}))).await;
        let seeded = get(&app, "/api/v2/journey/segments?pageSize=1").await.json()["entities"][0]["id"].as_str().unwrap().to_string();
        assert_eq!(call(&app, "DELETE", &format!("/api/v2/journey/segments/{seeded}"), None).await.status, 204);
    }
    let app = app_with(Store::open(Some(&path), 99).unwrap(), None);
    let s = get(&app, &format!("/api/v2/journey/segments/{id}")).await.json();
    assert_eq!(s["displayName"], "renamed");
    assert_eq!(s["version"], 2);
    // not re-seeded: 40 + 1 created - 1 deleted
    assert_eq!(get(&app, "/api/v2/journey/segments").await.json()["total"], 40);
}

#[test]
fn failed_write_leaves_no_trace() {
    let store = Store::open(None, 42).unwrap();
    let id = store.list_segments(None, None).unwrap()[0]["id"].as_str().unwrap().to_string();
    let before = store.get_segment(&id).unwrap().unwrap();
    let r = store.update_segment(&id, |doc| {
        doc["displayName"] = json!("half-written");
        Err(journey_emulator::error::ApiError::internal("simulated failure mid-write"))
    });
    assert!(r.is_err());
    assert_eq!(store.get_segment(&id).unwrap().unwrap(), before);
}

#[tokio::test]
async fn reset_restores_seed() {
    let app = new_app();
    let before = get(&app, "/api/v2/journey/segments?pageSize=100").await.json()["entities"].clone();
    call(&app, "POST", "/api/v2/journey/segments", Some(new_segment())).await;
    let id = before[0]["id"].as_str().unwrap();
    call(&app, "DELETE", &format!("/api/v2/journey/segments/{id}"), None).await;
    assert_eq!(call(&app, "POST", "/__emulator/reset", None).await.status, 200);
    assert_eq!(get(&app, "/api/v2/journey/segments?pageSize=100").await.json()["entities"], before);
}

// ------------------------------------------------------------------ aggregates

fn last_days(days: i64) -> String {
    let end = chrono::Utc::now() + chrono::Duration::hours(1);
    let start = end - chrono::Duration::days(days);
    format!("{}/{}", start.format("%Y-%m-%dT%H:00:00.000Z"), end.format("%Y-%m-%dT%H:00:00.000Z"))
}

async fn agg(app: &Router, q: Value) -> Resp {
    call(app, "POST", "/api/v2/analytics/journeys/aggregates/query", Some(q)).await
}

fn metric_total(resp: &Value, metric: &str) -> u64 {
    resp["results"].as_array().map(|r| r.iter().flat_map(|g| g["data"].as_array().unwrap().iter())
        .flat_map(|d| d["metrics"].as_array().unwrap().iter())
        .filter(|m| m["metric"] == metric)
        .map(|m| m["stats"]["count"].as_u64().unwrap()).sum()).unwrap_or(0)
}

#[tokio::test]
async fn aggregates_group_sum_equals_total() {
    let app = new_app();
    let interval = last_days(31);
    let metrics = json!(["nJourneySessions", "nDistinctJourneySessions", "nJourneySegmentsAssigned", "nWebActionsOffered", "oJourneyOutcomeValue"]);
    let total = agg(&app, json!({"interval": interval, "metrics": metrics})).await.json();
    assert_eq!(total["results"].as_array().unwrap().len(), 1);
    assert!(total["results"][0].get("group").is_none());
    let sessions = metric_total(&total, "nJourneySessions");
    assert!(sessions >= 2500, "{sessions}");
    assert_eq!(metric_total(&total, "nDistinctJourneySessions"), sessions);
    for dim in ["journeyDeviceCategory", "journeySessionType", "journeyDeviceType", "journeyIpGeolocationCountry"] {
        let g = agg(&app, json!({"interval": interval, "metrics": metrics, "groupBy": [dim]})).await.json();
        assert!(g["results"].as_array().unwrap().len() >= 2, "{dim}");
        for m in ["nJourneySessions", "nDistinctJourneySessions", "nWebActionsOffered", "oJourneyOutcomeValue"] {
            assert_eq!(metric_total(&g, m), metric_total(&total, m), "{dim} {m}");
        }
    }
    let g = agg(&app, json!({"interval": interval, "metrics": ["nJourneySegmentsAssigned"], "groupBy": ["journeySegmentId"]})).await.json();
    assert_eq!(metric_total(&g, "nJourneySegmentsAssigned"), metric_total(&total, "nJourneySegmentsAssigned"));
    assert!(g["results"].as_array().unwrap().len() > 10);
    let g = agg(&app, json!({"interval": interval, "metrics": ["nWebActionsOffered"], "groupBy": ["journeyActionTargetId", "journeyActionMediaType"]})).await.json();
    assert_eq!(metric_total(&g, "nWebActionsOffered"), metric_total(&total, "nWebActionsOffered"));
    assert!(g["results"][0]["group"]["journeyActionMediaType"].is_string());
    // value metrics carry sum/min/max
    let o = &total["results"][0]["data"][0]["metrics"].as_array().unwrap().iter().find(|m| m["metric"] == "oJourneyOutcomeValue").unwrap()["stats"];
    assert!(o["sum"].as_f64().unwrap() > 0.0 && o["max"].as_f64().unwrap() >= o["min"].as_f64().unwrap());
}

#[tokio::test]
async fn aggregates_granularity_buckets() {
    let app = new_app();
    let interval = last_days(30);
    let total = metric_total(&agg(&app, json!({"interval": interval, "metrics": ["nJourneySessions"]})).await.json(), "nJourneySessions");
    let daily = agg(&app, json!({"interval": interval, "granularity": "P1D", "metrics": ["nJourneySessions"]})).await.json();
    let data = daily["results"][0]["data"].as_array().unwrap();
    assert!(data.len() >= 28 && data.len() <= 30, "{}", data.len());
    assert_eq!(metric_total(&daily, "nJourneySessions"), total);
    let intervals: Vec<&str> = data.iter().map(|d| d["interval"].as_str().unwrap()).collect();
    for w in intervals.windows(2) {
        assert!(w[0] < w[1]);
    }
    let (a, b) = intervals[0].split_once('/').unwrap();
    let span = chrono::DateTime::parse_from_rfc3339(b).unwrap() - chrono::DateTime::parse_from_rfc3339(a).unwrap();
    assert_eq!(span.num_hours(), 24);
    let hourly = agg(&app, json!({"interval": interval, "granularity": "PT1H", "metrics": ["nJourneySessions"]})).await.json();
    assert!(hourly["results"][0]["data"].as_array().unwrap().len() > 200);
    assert_eq!(metric_total(&hourly, "nJourneySessions"), total);
    let weekly = agg(&app, json!({"interval": interval, "granularity": "P7D", "timeZone": "Europe/Berlin", "metrics": ["nJourneySessions"]})).await.json();
    assert!(weekly["results"][0]["data"].as_array().unwrap().len() <= 5);
    assert_eq!(metric_total(&weekly, "nJourneySessions"), total);
    let off = agg(&app, json!({"interval": interval, "granularity": "P1D", "timeZone": "+05:30", "metrics": ["nJourneySessions"]})).await.json();
    assert_eq!(metric_total(&off, "nJourneySessions"), total);
    // empty interval: no results
    let empty = agg(&app, json!({"interval": "2001-01-01T00:00:00Z/2001-01-02T00:00:00Z", "metrics": ["nJourneySessions"]})).await;
    assert_eq!(empty.status, 200);
    assert_eq!(empty.json(), json!({}));
}

#[tokio::test]
async fn aggregates_filters() {
    let app = new_app();
    let interval = last_days(31);
    let m = json!(["nJourneySessions", "nJourneySegmentsAssigned"]);
    let total = metric_total(&agg(&app, json!({"interval": interval, "metrics": m})).await.json(), "nJourneySessions");
    let q = |filter: Value| json!({"interval": interval, "metrics": m, "filter": filter});
    let mobile = metric_total(&agg(&app, q(json!({"type": "and", "predicates": [{"dimension": "journeyDeviceCategory", "value": "mobile"}]}))).await.json(), "nJourneySessions");
    let desktop = metric_total(&agg(&app, q(json!({"type": "and", "predicates": [{"type": "dimension", "dimension": "journeyDeviceCategory", "operator": "matches", "value": "desktop"}]}))).await.json(), "nJourneySessions");
    let either = metric_total(&agg(&app, q(json!({"type": "or", "predicates": [
        {"dimension": "journeyDeviceCategory", "value": "mobile"}, {"dimension": "journeyDeviceCategory", "value": "desktop"}]}))).await.json(), "nJourneySessions");
    assert!(mobile > 0 && desktop > 0);
    assert_eq!(either, mobile + desktop);
    let none = metric_total(&agg(&app, q(json!({"type": "and", "predicates": [
        {"dimension": "journeyDeviceCategory", "value": "mobile"}, {"dimension": "journeyDeviceCategory", "value": "desktop"}]}))).await.json(), "nJourneySessions");
    assert_eq!(none, 0);
    // nested: web AND (mobile OR tablet)
    let nested = metric_total(&agg(&app, q(json!({"type": "and",
        "predicates": [{"dimension": "journeySessionType", "value": "web"}],
        "clauses": [{"type": "or", "predicates": [{"dimension": "journeyDeviceCategory", "value": "mobile"}, {"dimension": "journeyDeviceCategory", "value": "tablet"}]}]}))).await.json(), "nJourneySessions");
    let web = metric_total(&agg(&app, q(json!({"type": "and", "predicates": [{"dimension": "journeySessionType", "value": "web"}]}))).await.json(), "nJourneySessions");
    let web_desktop = metric_total(&agg(&app, q(json!({"type": "and", "clauses": [
        {"type": "and", "predicates": [{"dimension": "journeySessionType", "value": "web"}]},
        {"type": "and", "predicates": [{"dimension": "journeyDeviceCategory", "value": "desktop"}]}]}))).await.json(), "nJourneySessions");
    assert_eq!(nested + web_desktop, web);
    // exists / notExists on a dimension only some events have
    let all = agg(&app, json!({"interval": interval, "metrics": m})).await.json();
    let with_seg = agg(&app, q(json!({"type": "and", "predicates": [{"dimension": "journeySegmentId", "operator": "exists"}]}))).await.json();
    let without_seg = agg(&app, q(json!({"type": "and", "predicates": [{"dimension": "journeySegmentId", "operator": "notExists"}]}))).await.json();
    assert_eq!(metric_total(&with_seg, "nJourneySegmentsAssigned"), metric_total(&all, "nJourneySegmentsAssigned"));
    assert_eq!(metric_total(&with_seg, "nJourneySessions"), 0);
    assert_eq!(metric_total(&without_seg, "nJourneySessions"), total);
    assert_eq!(metric_total(&without_seg, "nJourneySegmentsAssigned"), 0);
}

#[tokio::test]
async fn aggregates_views_and_validation() {
    let app = new_app();
    let interval = last_days(31);
    let v = agg(&app, json!({"interval": interval, "metrics": ["oJourneyOutcomeValue"], "views": [
        {"target": "oJourneyOutcomeValue", "name": "small", "function": "rangeBound", "range": {"lt": 100}},
        {"target": "oJourneyOutcomeValue", "name": "large", "function": "rangeBound", "range": {"gte": 100}}]})).await.json();
    let d = &v["results"][0]["data"][0];
    let count = d["metrics"][0]["stats"]["count"].as_u64().unwrap();
    let views = d["views"].as_array().unwrap();
    let vc: u64 = views.iter().map(|x| x["stats"]["count"].as_u64().unwrap()).sum();
    assert_eq!(vc, count);
    // every metric of the enum is accepted
    let r = agg(&app, json!({"interval": interval, "metrics": journey_emulator::aggregates::METRICS})).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["results"][0]["data"][0]["metrics"].as_array().unwrap().len(), 22);
    let bad: Vec<(Value, &str)> = vec![
        (json!({"metrics": ["nJourneySessions"]}), "interval"),
        (json!({"interval": interval}), "metrics"),
        (json!({"interval": "yesterday", "metrics": ["nJourneySessions"]}), "interval"),
        (json!({"interval": "2024-01-02T00:00:00Z/2024-01-01T00:00:00Z", "metrics": ["nJourneySessions"]}), "interval"),
        (json!({"interval": interval, "metrics": ["nBogus"]}), "metrics[0]"),
        (json!({"interval": interval, "metrics": ["nJourneySessions"], "granularity": "1 day"}), "granularity"),
        (json!({"interval": interval, "metrics": ["nJourneySessions"], "timeZone": "Mars/Olympus"}), "timeZone"),
        (json!({"interval": interval, "metrics": ["nJourneySessions"], "groupBy": ["bogus"]}), "groupBy[0]"),
        (json!({"interval": interval, "metrics": ["nJourneySessions"], "groupBy": ["touchpointAgentId"]}), "not supported by the emulator"),
        (json!({"interval": interval, "metrics": ["nJourneySessions"], "filter": {"predicates": []}}), "filter.type"),
        (json!({"interval": interval, "metrics": ["nJourneySessions"], "filter": {"type": "xor", "predicates": []}}), "filter.type"),
        (json!({"interval": interval, "metrics": ["nJourneySessions"], "filter": {"type": "and", "predicates": [{"dimension": "journeySessionType", "operator": "like", "value": "x"}]}}), "operator"),
        (json!({"interval": interval, "metrics": ["nJourneySessions"], "filter": {"type": "and", "predicates": [{"type": "other", "dimension": "journeySessionType", "value": "x"}]}}), "type"),
        (json!({"interval": interval, "metrics": ["nJourneySessions"], "filter": {"type": "and", "clauses": [{"type": "and"}]}}), "filter.clauses[0].predicates"),
        (json!({"interval": interval, "metrics": ["nJourneySessions"], "filter": {"type": "and", "predicates": [{"dimension": "journeyBlockingReason", "value": "x"}]}}), "not supported by the emulator"),
        (json!({"interval": interval, "metrics": ["nJourneySessions"], "views": [{"target": "nJourneySessions", "name": "v", "function": "sum"}]}), "function"),
        (json!({"interval": interval, "metrics": ["nJourneySessions"], "views": [{"target": "nJourneySessions", "name": "nJourneySessions", "function": "rangeBound"}]}), "name"),
    ];
    for (body, needle) in bad {
        assert_error(&agg(&app, body.clone()).await, 400, needle);
    }
}

// ------------------------------------------------------------------ faults

async fn add_fault(app: &Router, f: Value) {
    let r = send(app, Request::post("/__emulator/faults").header("content-type", "application/json").body(Body::from(f.to_string())).unwrap()).await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.bytes));
}

#[tokio::test]
async fn fault_kinds() {
    let app = new_app();
    let url = "/api/v2/journey/actiontargets";
    add_fault(&app, json!({"kind": "rate_limit", "count": 2, "retryAfterSeconds": 7})).await;
    for _ in 0..2 {
        let r = get(&app, url).await;
        assert_error(&r, 429, "Retry the request in [7] seconds");
        assert_eq!(r.json()["code"], "too.many.requests.retry.after");
        assert_eq!(r.header("retry-after"), Some("7"));
        assert!(r.header("inin-correlation-id").is_some());
    }
    assert_eq!(get(&app, url).await.status, 200);

    add_fault(&app, json!({"kind": "unavailable"})).await;
    assert_error(&get(&app, url).await, 503, "Service Unavailable");

    add_fault(&app, json!({"kind": "bad_gateway_html"})).await;
    let r = get(&app, url).await;
    assert_eq!(r.status, 502);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(String::from_utf8_lossy(&r.bytes).contains("<html>"));

    add_fault(&app, json!({"kind": "empty_500"})).await;
    let r = get(&app, url).await;
    assert_eq!(r.status, 500);
    assert!(r.bytes.is_empty());

    add_fault(&app, json!({"kind": "malformed_200"})).await;
    let r = get(&app, url).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert!(serde_json::from_slice::<Value>(&r.bytes).is_err());

    add_fault(&app, json!({"kind": "latency", "latencyMs": 300})).await;
    let t = std::time::Instant::now();
    assert_eq!(get(&app, url).await.status, 200);
    assert!(t.elapsed().as_millis() >= 300);

    // filters: method and path prefix; GET lists pending faults; DELETE clears
    add_fault(&app, json!({"kind": "unavailable", "method": "post", "pathPrefix": "/api/v2/journey/segments"})).await;
    add_fault(&app, json!({"kind": "empty_500", "count": 5, "pathPrefix": "/api/v2/analytics"})).await;
    assert_eq!(get(&app, "/api/v2/journey/segments").await.status, 200);
    assert_eq!(get(&app, url).await.status, 200);
    let listed = get(&app, "/__emulator/faults").await.json();
    assert_eq!(listed["faults"].as_array().unwrap().len(), 2);
    assert_eq!(listed["faults"][1]["count"], 5);
    assert_eq!(call(&app, "POST", "/api/v2/journey/segments", Some(json!({"displayName": "x"}))).await.status, 503);
    assert_eq!(call(&app, "DELETE", "/__emulator/faults", None).await.status, 204);
    assert_eq!(get(&app, "/__emulator/faults").await.json()["faults"], json!([]));
    let r = send(&app, Request::post("/__emulator/faults").header("content-type", "application/json").body(Body::from(r#"{"kind":"explode"}"#)).unwrap()).await;
    assert_error(&r, 400, "kind");
}

/// drop_connection needs a real socket: the server closes it without writing a response.
#[tokio::test]
async fn fault_drop_connection_over_tcp() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = new_app();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(journey_emulator::server::serve(listener, app.clone()));
    add_fault(&app, json!({"kind": "drop_connection"})).await;
    let raw = |path: &str| format!("GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nConnection: close\r\n\r\n");
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(raw("/api/v2/journey/actiontargets").as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf).await;
    assert!(buf.is_empty(), "got a response: {}", String::from_utf8_lossy(&buf));
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(raw("/api/v2/journey/actiontargets").as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await.unwrap();
    let text = String::from_utf8_lossy(&buf);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    assert!(text.to_lowercase().contains("inin-correlation-id"));
}

// ------------------------------------------------------------------ static files & CLI

#[tokio::test]
async fn static_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), "<h1>hi</h1>").unwrap();
    std::fs::write(dir.path().join("app.mjs"), "export {}").unwrap();
    std::fs::write(dir.path().join("a.js"), "1").unwrap();
    std::fs::write(dir.path().join("m.wasm"), [0u8, 97, 115, 109]).unwrap();
    let app = app_with(Store::open(None, 1).unwrap(), Some(dir.path().to_path_buf()));
    let r = send(&app, Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    for (p, ct) in [("/app.mjs", "text/javascript"), ("/a.js", "text/javascript"), ("/m.wasm", "application/wasm")] {
        let r = send(&app, Request::get(p).body(Body::empty()).unwrap()).await;
        assert_eq!(r.status, 200, "{p}");
        assert!(r.header("content-type").unwrap().starts_with(ct), "{p}");
    }
    let r = send(&app, Request::get("/../etc/passwd").body(Body::empty()).unwrap()).await;
    assert_eq!(r.status, 404);
    let r = send(&app, Request::get("/missing.js").body(Body::empty()).unwrap()).await;
    assert_eq!(r.status, 404);
}

#[test]
fn cli_parsing() {
    use journey_emulator::server::parse_args;
    let a = |s: &str| s.split_whitespace().map(String::from).collect::<Vec<_>>();
    let c = parse_args(&a("--memory --port 0 --token a --token b --seed 7 --host 0.0.0.0")).unwrap().unwrap();
    assert!(c.memory);
    assert_eq!(c.port, 0);
    assert_eq!(c.tokens, vec!["a", "b"]);
    assert_eq!(c.seed, 7);
    assert_eq!(c.host, "0.0.0.0");
    let d = parse_args(&[]).unwrap().unwrap();
    assert_eq!((d.port, d.seed, d.client_id.as_str(), d.client_secret.as_str()), (8787, 42, "demo-client", "demo-secret"));
    assert!(parse_args(&a("--help")).unwrap().is_none());
    assert!(parse_args(&a("--bogus 1")).is_err());
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("c.toml");
    std::fs::write(&f, "port = 9000\nclient-id = \"x\"\ntokens = [\"t1\"]\n").unwrap();
    let c = parse_args(&[String::from("--config"), f.display().to_string(), "--token".into(), "t2".into()]).unwrap().unwrap();
    assert_eq!((c.port, c.client_id.as_str()), (9000, "x"));
    assert_eq!(c.tokens, vec!["t1", "t2"]);
    let j = dir.path().join("c.json");
    std::fs::write(&j, r#"{"port": 9001, "memory": true}"#).unwrap();
    let c = parse_args(&[String::from("--config"), j.display().to_string()]).unwrap().unwrap();
    assert_eq!(c.port, 9001);
    assert!(c.memory);
}
