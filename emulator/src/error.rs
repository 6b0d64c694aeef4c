//! ErrorBody responses in the Genesys Cloud shape.
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError { status, code, message: message.into(), field: None, retry_after: None }
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad.request", message)
    }
    /// 400 for one field; the message names the field.
    pub fn invalid(field: &str, problem: impl std::fmt::Display) -> Self {
        let mut e = Self::new(StatusCode::BAD_REQUEST, "invalid.value", format!("{field}: {problem}"));
        e.field = Some(field.to_string());
        e
    }
    pub fn missing(field: &str) -> Self {
        let mut e = Self::new(
            StatusCode::BAD_REQUEST,
            "missing.required.field",
            format!("{field}: required field is missing"),
        );
        e.field = Some(field.to_string());
        e
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not.found", message)
    }
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", message)
    }
    pub fn unsupported_media_type(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported.media.type", message)
    }
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal.server.error", message)
    }

    pub fn body(&self, context_id: &str) -> Value {
        let details: Vec<Value> = match &self.field {
            Some(f) => vec![json!({"errorCode": self.code, "fieldName": f})],
            None => vec![],
        };
        let mut params = serde_json::Map::new();
        if let Some(s) = self.retry_after {
            params.insert("retryAfter".into(), Value::String(s.to_string()));
        }
        json!({
            "message": self.message,
            "code": self.code,
            "status": self.status.as_u16(),
            "messageParams": params,
            "contextId": context_id,
            "details": details,
            "errors": [],
        })
    }
}

pub fn new_correlation_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let cid = new_correlation_id();
        let body = self.body(&cid);
        let mut resp = (self.status, axum::Json(body)).into_response();
        if let Ok(v) = HeaderValue::from_str(&cid) {
            resp.headers_mut().insert(crate::app::CORRELATION_HEADER, v);
        }
        if let Some(s) = self.retry_after {
            resp.headers_mut().insert("retry-after", HeaderValue::from(s));
        }
        resp
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        ApiError::internal(format!("storage error: {e}"))
    }
}
