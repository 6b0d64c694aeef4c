//! HTTP layer: routes, auth, CORS, correlation ids, fault injection, OAuth, static files.
use crate::aggregates;
use crate::error::{new_correlation_id, ApiError};
use crate::seed::iso_ms;
use crate::store::Store;
use crate::validate;
use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

pub const CORRELATION_HEADER: &str = "inin-correlation-id";
pub const MAX_PAGE_SIZE: i64 = 100;
pub const TOKEN_LIFETIME_SECS: i64 = 86_400;
const SEGMENTS_PATH: &str = "/api/v2/journey/segments";
const TARGETS_PATH: &str = "/api/v2/journey/actiontargets";

#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    pub kind: String,
    pub remaining: u32,
    pub retry_after_seconds: u64,
    pub latency_ms: u64,
    pub path_prefix: Option<String>,
    pub method: Option<String>,
}

pub const FAULT_KINDS: &[&str] = &[
    "rate_limit", "unavailable", "bad_gateway_html", "empty_500", "latency", "malformed_200", "drop_connection",
];

impl Fault {
    fn to_json(&self) -> Value {
        json!({
            "kind": self.kind, "count": self.remaining, "retryAfterSeconds": self.retry_after_seconds,
            "latencyMs": self.latency_ms, "pathPrefix": self.path_prefix, "method": self.method,
        })
    }
}

/// Marker put on a response whose connection the server loop must drop without answering.
#[derive(Clone, Copy, Debug)]
pub struct DropConnection;

pub struct Inner {
    pub store: Store,
    pub faults: Mutex<Vec<Fault>>,
    pub tokens: Mutex<HashMap<String, i64>>,
    pub static_tokens: HashSet<String>,
    pub client_id: String,
    pub client_secret: String,
    pub www: Option<PathBuf>,
    pub pkg: Option<PathBuf>,
}

pub type AppState = Arc<Inner>;

pub struct Options {
    pub client_id: String,
    pub client_secret: String,
    pub tokens: Vec<String>,
    pub www: Option<PathBuf>,
    pub pkg: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options { client_id: "demo-client".into(), client_secret: "demo-secret".into(), tokens: vec![], www: None, pkg: None }
    }
}

pub fn state(store: Store, opts: Options) -> AppState {
    let now = chrono::Utc::now().timestamp();
    let tokens = store.load_tokens().unwrap_or_default().into_iter().filter(|(_, e)| *e > now).collect();
    Arc::new(Inner {
        store,
        faults: Mutex::new(Vec::new()),
        tokens: Mutex::new(tokens),
        static_tokens: opts.tokens.into_iter().collect(),
        client_id: opts.client_id,
        client_secret: opts.client_secret,
        www: opts.www,
        pkg: opts.pkg,
    })
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route(SEGMENTS_PATH, get(list_segments).post(create_segment))
        .route("/api/v2/journey/segments/{id}", get(get_segment).patch(patch_segment).delete(delete_segment))
        .route(TARGETS_PATH, get(list_action_targets))
        .route("/api/v2/journey/actiontargets/{id}", get(get_action_target).patch(patch_action_target))
        .route("/api/v2/analytics/journeys/aggregates/query", post(aggregates_query))
        .route("/oauth/token", post(oauth_token))
        .route("/__emulator/faults", get(list_faults).post(add_fault).delete(clear_faults))
        .route("/__emulator/reset", post(reset))
        .route("/__emulator/health", get(health))
        .fallback(fallback)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(state.clone(), auth))
        .layer(middleware::from_fn_with_state(state.clone(), faults))
        .layer(middleware::from_fn(cors_and_correlation))
        .with_state(state)
}

// ---------------------------------------------------------------- middleware

fn cors_headers(h: &mut HeaderMap) {
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    h.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static("ININ-Correlation-Id, Retry-After"));
}

async fn cors_and_correlation(req: Request, next: Next) -> Response {
    let mut resp = if req.method() == Method::OPTIONS {
        let mut r = StatusCode::NO_CONTENT.into_response();
        let h = r.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, POST, PATCH, DELETE, OPTIONS"));
        let mut allow = String::from("Authorization, Content-Type");
        if let Some(req_h) = req.headers().get(header::ACCESS_CONTROL_REQUEST_HEADERS).and_then(|v| v.to_str().ok()) {
            for name in req_h.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                let lower = name.to_ascii_lowercase();
                if lower != "authorization" && lower != "content-type" {
                    allow.push_str(", ");
                    allow.push_str(name);
                }
            }
        }
        if let Ok(v) = HeaderValue::from_str(&allow) {
            h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, v);
        }
        h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
        h.insert(header::ALLOW, HeaderValue::from_static("GET, POST, PATCH, DELETE, OPTIONS"));
        r
    } else {
        next.run(req).await
    };
    let h = resp.headers_mut();
    cors_headers(h);
    if !h.contains_key(CORRELATION_HEADER) {
        if let Ok(v) = HeaderValue::from_str(&new_correlation_id()) {
            h.insert(CORRELATION_HEADER, v);
        }
    }
    resp
}

fn take_fault(state: &Inner, method: &Method, path: &str) -> Option<Fault> {
    let mut faults = state.faults.lock().unwrap();
    let idx = faults.iter().position(|f| {
        f.remaining > 0
            && f.path_prefix.as_deref().map(|p| path.starts_with(p)).unwrap_or(true)
            && f.method.as_deref().map(|m| m.eq_ignore_ascii_case(method.as_str())).unwrap_or(true)
    })?;
    let f = faults[idx].clone();
    faults[idx].remaining -= 1;
    if faults[idx].remaining == 0 {
        faults.remove(idx);
    }
    Some(f)
}

async fn faults(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if path.starts_with("/__emulator/") {
        return next.run(req).await;
    }
    let Some(f) = take_fault(&state, req.method(), &path) else {
        return next.run(req).await;
    };
    match f.kind.as_str() {
        "rate_limit" => {
            let s = f.retry_after_seconds;
            let mut e = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too.many.requests.retry.after",
                format!("Rate limit exceeded the maximum. Retry the request in [{s}] seconds"),
            );
            e.retry_after = Some(s);
            e.into_response()
        }
        "unavailable" => ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "service.unavailable", "Service Unavailable").into_response(),
        "bad_gateway_html" => (
            StatusCode::BAD_GATEWAY,
            [(header::CONTENT_TYPE, "text/html")],
            "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n",
        )
            .into_response(),
        "empty_500" => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        "latency" => {
            tokio::time::sleep(std::time::Duration::from_millis(f.latency_ms)).await;
            next.run(req).await
        }
        "malformed_200" => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            "{\"entities\": [{\"id\": \"3f1c9d0e-",
        )
            .into_response(),
        _ => {
            let mut r = StatusCode::INTERNAL_SERVER_ERROR.into_response();
            r.extensions_mut().insert(DropConnection);
            r
        }
    }
}

async fn auth(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let header = req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or("");
    let token = match header.split_once(' ') {
        Some((scheme, t)) if scheme.eq_ignore_ascii_case("bearer") && !t.trim().is_empty() => t.trim(),
        _ => {
            return ApiError::new(
                StatusCode::UNAUTHORIZED,
                "authentication.required",
                "No authentication bearer token specified in authorization header.",
            )
            .into_response()
        }
    };
    let ok = state.static_tokens.contains(token) || {
        let now = chrono::Utc::now().timestamp();
        state.tokens.lock().unwrap().get(token).map(|exp| *exp > now).unwrap_or(false)
    };
    if !ok {
        return ApiError::new(StatusCode::UNAUTHORIZED, "bad.credentials", "Invalid login credentials.").into_response();
    }
    next.run(req).await
}

// ---------------------------------------------------------------- helpers

fn now_iso() -> String {
    iso_ms(chrono::Utc::now().timestamp_millis())
}

/// JSON body or None when empty. Wrong Content-Type -> 415, malformed JSON -> 400.
fn json_body(headers: &HeaderMap, body: &Bytes) -> Result<Value, ApiError> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(json!({}));
    }
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let mime = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if mime != "application/json" && !mime.ends_with("+json") {
        let shown = if ct.is_empty() { "none".to_string() } else { format!("'{ct}'") };
        return Err(ApiError::unsupported_media_type(format!(
            "Content-Type {shown} is not supported; send the body as application/json"
        )));
    }
    let v: Value = serde_json::from_slice(body).map_err(|e| ApiError::bad_request(format!("The request body is not valid JSON: {e}")))?;
    if !v.is_object() {
        return Err(ApiError::bad_request("The request body must be a JSON object"));
    }
    Ok(v)
}

fn query_pairs(q: &Option<String>) -> Vec<(String, String)> {
    q.as_deref().map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect()).unwrap_or_default()
}

/// All values of a multi-valued parameter, accepting repeated keys and comma-joined values.
fn multi(pairs: &[(String, String)], key: &str) -> Option<Vec<String>> {
    let vals: Vec<&String> = pairs.iter().filter(|(k, _)| k == key).map(|(_, v)| v).collect();
    if vals.is_empty() {
        return None;
    }
    Some(vals.iter().flat_map(|v| v.split(',')).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect())
}

fn single<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

fn positive_int(pairs: &[(String, String)], key: &str, default: i64) -> Result<i64, ApiError> {
    match single(pairs, key) {
        None => Ok(default),
        Some(v) => match v.trim().parse::<i64>() {
            Ok(n) if n >= 1 => Ok(n),
            _ => Err(ApiError::invalid(key, format!("'{v}' is not a positive integer"))),
        },
    }
}

struct Paging {
    page_size: i64,
    page_number: i64,
}

fn paging(pairs: &[(String, String)]) -> Result<Paging, ApiError> {
    let page_size = positive_int(pairs, "pageSize", 25)?;
    if page_size > MAX_PAGE_SIZE {
        return Err(ApiError::invalid("pageSize", format!("{page_size} is above the maximum page size of {MAX_PAGE_SIZE}")));
    }
    let page_number = positive_int(pairs, "pageNumber", 1)?;
    Ok(Paging { page_size, page_number })
}

/// A SegmentListing/ActionTargetListing page with the real service's URI fields.
fn listing(path: &str, extra: &[(String, String)], all: Vec<Value>, p: &Paging) -> Value {
    let total = all.len() as i64;
    let page_count = (total + p.page_size - 1) / p.page_size;
    let uri = |n: i64| {
        let mut s = form_urlencoded::Serializer::new(String::new());
        s.append_pair("pageSize", &p.page_size.to_string());
        s.append_pair("pageNumber", &n.to_string());
        for (k, v) in extra {
            s.append_pair(k, v);
        }
        format!("{path}?{}", s.finish())
    };
    let start = ((p.page_number - 1) * p.page_size).min(total) as usize;
    let end = (start + p.page_size as usize).min(total as usize);
    let entities: Vec<Value> = all[start..end].to_vec();
    let mut out = json!({
        "entities": entities,
        "pageSize": p.page_size,
        "pageNumber": p.page_number,
        "total": total,
        "pageCount": page_count,
        "firstUri": uri(1),
        "selfUri": uri(p.page_number),
        "lastUri": uri(page_count.max(1)),
    });
    if p.page_number < page_count {
        out["nextUri"] = json!(uri(p.page_number + 1));
    }
    if p.page_number > 1 {
        out["previousUri"] = json!(uri((p.page_number - 1).min(page_count.max(1))));
    }
    out
}

pub const SEGMENT_SORT_FIELDS: &[&str] = &[
    "id", "displayName", "description", "color", "scope", "version", "isActive", "shouldDisplayToAgent",
    "createdDate", "modifiedDate", "assignmentExpirationDays",
];
pub const SEGMENT_QUERY_FIELDS: &[&str] = &["displayName", "description"];

fn cmp_values(a: &Value, b: &Value) -> std::cmp::Ordering {
    use std::cmp::Ordering::*;
    match (a, b) {
        (Value::Null, Value::Null) => Equal,
        (Value::Null, _) => Greater, // missing values last
        (_, Value::Null) => Less,
        (Value::String(x), Value::String(y)) => x.to_lowercase().cmp(&y.to_lowercase()).then_with(|| x.cmp(y)),
        (Value::Number(x), Value::Number(y)) => x.as_f64().unwrap_or(0.0).total_cmp(&y.as_f64().unwrap_or(0.0)),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        _ => a.to_string().cmp(&b.to_string()),
    }
}

fn fuzzy_match(doc: &Value, fields: &[String], query: &str) -> bool {
    let tokens: Vec<String> = query.to_lowercase().split_whitespace().map(String::from).collect();
    if tokens.is_empty() {
        return true;
    }
    let hay: Vec<String> = fields.iter().filter_map(|f| doc.get(f).and_then(Value::as_str)).map(str::to_lowercase).collect();
    tokens.iter().all(|t| hay.iter().any(|h| h.contains(t.as_str())))
}

// ---------------------------------------------------------------- segments

async fn list_segments(State(state): State<AppState>, RawQuery(q): RawQuery) -> Result<Json<Value>, ApiError> {
    let pairs = query_pairs(&q);
    let is_active = match single(&pairs, "isActive") {
        None => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(v) => return Err(ApiError::invalid("isActive", format!("'{v}' is not a boolean (true or false)"))),
    };
    let query_fields = multi(&pairs, "queryFields");
    let query_value = single(&pairs, "queryValue");
    if let Some(ids) = multi(&pairs, "segmentIds") {
        for other in ["pageSize", "pageNumber", "sortBy", "queryFields", "queryValue"] {
            if single(&pairs, other).is_some() {
                return Err(ApiError::invalid("segmentIds", format!("cannot be combined with {other} (segmentIds is not compatible with pagination, sorting or querying)")));
            }
        }
        if ids.len() > 100 {
            return Err(ApiError::invalid("segmentIds", format!("{} ids given; a maximum of 100 segments are allowed per request", ids.len())));
        }
        let entities = state.store.list_segments(is_active, Some(&ids))?;
        let n = entities.len() as i64;
        let mut s = form_urlencoded::Serializer::new(String::new());
        for id in &ids {
            s.append_pair("segmentIds", id);
        }
        if let Some(a) = is_active {
            s.append_pair("isActive", &a.to_string());
        }
        let uri = format!("{SEGMENTS_PATH}?{}", s.finish());
        return Ok(Json(json!({
            "entities": entities, "pageSize": n.max(1), "pageNumber": 1, "total": n, "pageCount": 1,
            "firstUri": uri, "selfUri": uri, "lastUri": uri,
        })));
    }
    let p = paging(&pairs)?;
    match (&query_fields, query_value) {
        (Some(_), None) => return Err(ApiError::invalid("queryValue", "is required when queryFields is set")),
        (None, Some(_)) => return Err(ApiError::invalid("queryFields", "is required when queryValue is set")),
        (Some(f), _) if f.is_empty() => return Err(ApiError::invalid("queryFields", "must name at least one field")),
        _ => {}
    }
    if let Some(fields) = &query_fields {
        for f in fields {
            validate::check_enum(f, SEGMENT_QUERY_FIELDS, "queryFields")?;
        }
    }
    let mut sort: Vec<(String, bool)> = Vec::new();
    if let Some(s) = single(&pairs, "sortBy") {
        for part in s.split(',').map(str::trim).filter(|x| !x.is_empty()) {
            let (field, desc) = match part.strip_prefix('-') {
                Some(f) => (f, true),
                None => (part.strip_prefix('+').unwrap_or(part), false),
            };
            validate::check_enum(field, SEGMENT_SORT_FIELDS, "sortBy")?;
            sort.push((field.to_string(), desc));
        }
    }
    let mut all = state.store.list_segments(is_active, None)?;
    if let (Some(fields), Some(v)) = (&query_fields, query_value) {
        all.retain(|d| fuzzy_match(d, fields, v));
    }
    if !sort.is_empty() {
        all.sort_by(|a, b| {
            for (f, desc) in &sort {
                let o = cmp_values(a.get(f).unwrap_or(&Value::Null), b.get(f).unwrap_or(&Value::Null));
                let o = if *desc { o.reverse() } else { o };
                if o != std::cmp::Ordering::Equal {
                    return o;
                }
            }
            std::cmp::Ordering::Equal
        });
    }
    let mut extra = Vec::new();
    for key in ["sortBy", "isActive", "queryValue"] {
        if let Some(v) = single(&pairs, key) {
            extra.push((key.to_string(), v.to_string()));
        }
    }
    for f in query_fields.iter().flatten() {
        extra.push(("queryFields".to_string(), f.clone()));
    }
    Ok(Json(listing(SEGMENTS_PATH, &extra, all, &p)))
}

fn segment_not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("Journey segment {id} not found"))
}

async fn get_segment(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    state.store.get_segment(&id)?.map(Json).ok_or_else(|| segment_not_found(&id))
}

async fn create_segment(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Result<Response, ApiError> {
    let body = json_body(&headers, &body)?;
    let fields = validate::segment_fields(&body, false)?;
    let id = uuid::Uuid::new_v4().to_string();
    let now = now_iso();
    let mut doc = json!({
        "id": id,
        "isActive": true,
        "displayName": "",
        "version": 1,
        "color": validate::DEFAULT_COLOR,
        "scope": "Session",
        "shouldDisplayToAgent": false,
        "context": {"patterns": []},
        "journey": {"patterns": []},
        "selfUri": format!("{SEGMENTS_PATH}/{id}"),
        "createdDate": now,
        "modifiedDate": now,
    });
    for (k, v) in fields {
        doc[k.as_str()] = v;
    }
    state.store.insert_segment(&doc)?;
    let mut resp = (StatusCode::CREATED, Json(doc)).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("{SEGMENTS_PATH}/{id}")) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    Ok(resp)
}

async fn patch_segment(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let body = json_body(&headers, &body)?;
    let fields = validate::segment_fields(&body, true)?;
    let want_version = body.get("version").and_then(Value::as_i64);
    let doc = state.store.update_segment(&id, |doc| {
        let current = doc["version"].as_i64().unwrap_or(1);
        if let Some(v) = want_version {
            if v != current {
                return Err(ApiError::conflict(format!("The version {v} does not match the current version {current}")));
            }
        }
        let before = doc.clone();
        for (k, v) in fields {
            if k == "externalSegment" {
                match doc.get_mut("externalSegment").and_then(Value::as_object_mut) {
                    Some(ext) => {
                        for (ek, ev) in v.as_object().cloned().unwrap_or_default() {
                            ext.insert(ek, ev);
                        }
                    }
                    None => return Err(ApiError::invalid("externalSegment", "the segment has no external segment to update")),
                }
            } else {
                doc[k.as_str()] = v;
            }
        }
        if *doc != before {
            doc["version"] = json!(current + 1);
            doc["modifiedDate"] = json!(now_iso());
        }
        Ok(())
    })?;
    Ok(Json(doc))
}

async fn delete_segment(State(state): State<AppState>, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    if state.store.delete_segment(&id)? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(segment_not_found(&id))
    }
}

// ---------------------------------------------------------------- action targets

async fn list_action_targets(State(state): State<AppState>, RawQuery(q): RawQuery) -> Result<Json<Value>, ApiError> {
    let pairs = query_pairs(&q);
    let p = paging(&pairs)?;
    let all = state.store.list_action_targets()?;
    Ok(Json(listing(TARGETS_PATH, &[], all, &p)))
}

async fn get_action_target(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    state
        .store
        .get_action_target(&id)?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("Action target {id} not found")))
}

async fn patch_action_target(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let body = json_body(&headers, &body)?;
    let fields = validate::action_target_fields(&body)?;
    let doc = state.store.update_action_target(&id, |doc| {
        let before = doc.clone();
        for (k, v) in fields {
            if k == "serviceLevel" {
                if !doc["serviceLevel"].is_object() {
                    doc["serviceLevel"] = json!({});
                }
                for (sk, sv) in v.as_object().cloned().unwrap_or_default() {
                    doc["serviceLevel"][sk.as_str()] = sv;
                }
            } else {
                doc[k.as_str()] = v;
            }
        }
        if *doc != before {
            doc["modifiedDate"] = json!(now_iso());
        }
        Ok(())
    })?;
    Ok(Json(doc))
}

// ---------------------------------------------------------------- aggregates

async fn aggregates_query(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Result<Json<Value>, ApiError> {
    let body = json_body(&headers, &body)?;
    let q = aggregates::parse_query(&body)?;
    let (start, end) = aggregates::interval_bounds(&q);
    let events = state.store.events_between(start, end)?;
    Ok(Json(aggregates::run(&q, &events)))
}

// ---------------------------------------------------------------- OAuth

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    let mut r = (status, Json(json!({"error": error, "description": description, "error_description": description}))).into_response();
    if status == StatusCode::UNAUTHORIZED {
        r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"oauth\""));
    }
    r
}

async fn oauth_token(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let form: HashMap<String, String> = form_urlencoded::parse(&body).into_owned().collect();
    let (mut id, mut secret) = (form.get("client_id").cloned(), form.get("client_secret").cloned());
    if let Some(basic) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|h| h.split_once(' '))
        .filter(|(s, _)| s.eq_ignore_ascii_case("basic"))
        .map(|(_, c)| c.trim().to_string())
    {
        use base64::Engine;
        let decoded = base64::engine::general_purpose::STANDARD.decode(basic).ok().and_then(|b| String::from_utf8(b).ok());
        match decoded.as_deref().and_then(|d| d.split_once(':')) {
            Some((i, s)) => {
                id = Some(i.to_string());
                secret = Some(s.to_string());
            }
            None => return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "malformed Basic credentials"),
        }
    }
    match form.get("grant_type").map(String::as_str) {
        Some("client_credentials") => {}
        Some(_) => return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", "only grant_type=client_credentials is emulated"),
        None => return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "grant_type is required"),
    }
    if id.as_deref() != Some(state.client_id.as_str()) || secret.as_deref() != Some(state.client_secret.as_str()) {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "client not found or bad client secret");
    }
    let token = format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple());
    let expires_at = chrono::Utc::now().timestamp() + TOKEN_LIFETIME_SECS;
    if let Err(e) = state.store.save_token(&token, expires_at) {
        return ApiError::from(e).into_response();
    }
    state.tokens.lock().unwrap().insert(token.clone(), expires_at);
    let mut r = Json(json!({"access_token": token, "token_type": "bearer", "expires_in": TOKEN_LIFETIME_SECS})).into_response();
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

// ---------------------------------------------------------------- emulator control

async fn list_faults(State(state): State<AppState>) -> Json<Value> {
    let f: Vec<Value> = state.faults.lock().unwrap().iter().map(Fault::to_json).collect();
    Json(json!({"faults": f}))
}

async fn add_fault(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Result<Response, ApiError> {
    let body = json_body(&headers, &body)?;
    let o = body.as_object().cloned().unwrap_or_default();
    let kind = validate::req_str(&o, "kind", "")?;
    validate::check_enum(kind, FAULT_KINDS, "kind")?;
    let uint = |k: &str, d: u64| -> Result<u64, ApiError> {
        match validate::get(&o, k) {
            None => Ok(d),
            Some(v) => v.as_u64().ok_or_else(|| ApiError::invalid(k, "must be a non-negative integer")),
        }
    };
    let count = uint("count", 1)?;
    let fault = Fault {
        kind: kind.to_string(),
        remaining: count.clamp(1, u32::MAX as u64) as u32,
        retry_after_seconds: uint("retryAfterSeconds", 1)?,
        latency_ms: uint("latencyMs", 1000)?.min(120_000),
        path_prefix: validate::opt_str(&o, "pathPrefix", "")?.map(String::from),
        method: validate::opt_str(&o, "method", "")?.map(|m| m.to_ascii_uppercase()),
    };
    let out = fault.to_json();
    state.faults.lock().unwrap().push(fault);
    Ok((StatusCode::CREATED, Json(out)).into_response())
}

async fn clear_faults(State(state): State<AppState>) -> StatusCode {
    state.faults.lock().unwrap().clear();
    StatusCode::NO_CONTENT
}

async fn reset(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    state.store.reset()?;
    state.faults.lock().unwrap().clear();
    Ok(Json(json!({"status": "reset", "seed": state.store.seed})))
}

async fn health() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

// ---------------------------------------------------------------- fallbacks & static files

async fn method_not_allowed(req: Request) -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method.not.allowed", format!("Method {} is not allowed on {}", req.method(), req.uri().path()))
}

pub fn content_type(path: &std::path::Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("html") | Some("htm") => "text/html; charset=utf-8",
        Some("js") | Some("mjs") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("json") | Some("map") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg") | Some("jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("ico") => "image/x-icon",
        Some("txt") | Some("md") => "text/plain; charset=utf-8",
        Some("ts") => "text/plain; charset=utf-8",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

async fn fallback(State(state): State<AppState>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    let not_found = || ApiError::not_found(format!("No resource at {path}")).into_response();
    if path.starts_with("/api/") || path.starts_with("/__emulator") || path.starts_with("/oauth") {
        return not_found();
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return not_found();
    }
    let (root, rel) = match path.strip_prefix("/pkg/") {
        Some(rest) => (state.pkg.clone(), rest.to_string()),
        None => (state.www.clone(), path.trim_start_matches('/').to_string()),
    };
    let Some(root) = root else { return not_found() };
    let decoded: String = percent_decode(&rel);
    let mut file = root.clone();
    for part in decoded.split('/') {
        if part.is_empty() || part == "." {
            continue;
        }
        if part == ".." || part.contains('\\') || part.contains('\0') {
            return not_found();
        }
        file.push(part);
    }
    if file.is_dir() {
        file.push("index.html");
    }
    match tokio::fs::read(&file).await {
        Ok(bytes) => {
            let body = if req.method() == Method::HEAD { Body::empty() } else { Body::from(bytes) };
            let mut r = Response::new(body);
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(&file)));
            r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            r
        }
        Err(_) => not_found(),
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
