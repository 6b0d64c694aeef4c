//! The one error type of the core, and how an HTTP failure becomes one.
//!
//! Every variant maps to one JavaScript error class at the boundary (`bindings::errors`).
//! Nothing here ever holds the access token: requests are described without their headers.

use std::fmt;

/// What went wrong with a call.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// The caller's input was refused before anything was sent.
    Validation {
        /// Path of the offending value, e.g. `body.journey.patterns[0].streamType`.
        field: String,
        /// What was wrong with it.
        message: String,
    },
    /// The server answered with a status that is not a success.
    Api(ApiFailure),
    /// The request never got an HTTP answer (DNS, refused connection, CORS, reset).
    Connection {
        /// Operation that failed.
        operation: &'static str,
        /// What the host's fetch said, without any header values.
        message: String,
    },
    /// An attempt took longer than its timeout.
    Timeout {
        /// Operation that timed out.
        operation: &'static str,
        /// The timeout that was exceeded.
        timeout_ms: u32,
    },
    /// The caller's `AbortSignal` fired.
    Aborted {
        /// Operation that was aborted.
        operation: &'static str,
    },
    /// A success status came with a body that is not the JSON the operation returns.
    Decode {
        /// Operation whose response did not decode.
        operation: &'static str,
        /// The HTTP status of that response.
        status: u16,
        /// Why it did not decode.
        message: String,
    },
}

/// The facts of a non-success HTTP response.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiFailure {
    /// Operation that failed.
    pub operation: &'static str,
    /// HTTP status.
    pub status: u16,
    /// `ErrorBody.code`, when the body had one.
    pub code: Option<String>,
    /// Human message: `"404 Segment not found"`.
    pub message: String,
    /// The `ININ-Correlation-Id` response header.
    pub correlation_id: Option<String>,
    /// How long the server asked to wait, from `Retry-After` or `retry-after-ms`.
    pub retry_after_ms: Option<u64>,
}

/// The class of an API failure, by status; the JS side picks the error subclass from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiErrorKind {
    /// 400.
    BadRequest,
    /// 401.
    Unauthorized,
    /// 403.
    Forbidden,
    /// 404.
    NotFound,
    /// 409.
    Conflict,
    /// 429.
    RateLimited,
    /// 500 and above.
    ServerError,
    /// Any other 4xx.
    ClientError,
    /// A 3xx, or a browser's opaque redirect: redirects are not followed.
    Redirect,
}

impl ApiErrorKind {
    /// The kind of a status code.
    pub fn of(status: u16) -> ApiErrorKind {
        match status {
            400 => ApiErrorKind::BadRequest,
            401 => ApiErrorKind::Unauthorized,
            403 => ApiErrorKind::Forbidden,
            404 => ApiErrorKind::NotFound,
            409 => ApiErrorKind::Conflict,
            429 => ApiErrorKind::RateLimited,
            s if s >= 500 => ApiErrorKind::ServerError,
            s if s < 400 => ApiErrorKind::Redirect,
            _ => ApiErrorKind::ClientError,
        }
    }

    /// The `kind` string JS code sees.
    pub fn as_str(self) -> &'static str {
        match self {
            ApiErrorKind::BadRequest => "bad_request",
            ApiErrorKind::Unauthorized => "unauthorized",
            ApiErrorKind::Forbidden => "forbidden",
            ApiErrorKind::NotFound => "not_found",
            ApiErrorKind::Conflict => "conflict",
            ApiErrorKind::RateLimited => "rate_limited",
            ApiErrorKind::ServerError => "server_error",
            ApiErrorKind::ClientError => "client_error",
            ApiErrorKind::Redirect => "redirect",
        }
    }

    /// Name of the JS error class for this kind.
    pub fn class_name(self) -> &'static str {
        match self {
            ApiErrorKind::BadRequest => "BadRequestError",
            ApiErrorKind::Unauthorized => "AuthenticationError",
            ApiErrorKind::Forbidden => "PermissionDeniedError",
            ApiErrorKind::NotFound => "NotFoundError",
            ApiErrorKind::Conflict => "ConflictError",
            ApiErrorKind::RateLimited => "RateLimitError",
            ApiErrorKind::ServerError => "InternalServerError",
            ApiErrorKind::ClientError | ApiErrorKind::Redirect => "ApiError",
        }
    }
}

/// The reason phrase of a status, for messages when the body says nothing useful.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        0 => "Redirect not followed",
        300..=399 => "Redirect not followed",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "HTTP error",
    }
}

/// What the transport learned from a failed response, for [`api_failure`].
#[derive(Debug, Default, Clone)]
pub struct FailedResponse<'a> {
    /// HTTP status (0 for a browser's opaque redirect).
    pub status: u16,
    /// `ErrorBody.message`, when the body was JSON with one.
    pub body_message: Option<&'a str>,
    /// `ErrorBody.code`, when present.
    pub body_code: Option<&'a str>,
    /// Whether the body was JSON at all.
    pub body_is_json: bool,
    /// Whether the body was empty.
    pub body_is_empty: bool,
    /// The `ININ-Correlation-Id` header.
    pub correlation_id: Option<&'a str>,
    /// Parsed `Retry-After` / `retry-after-ms`.
    pub retry_after_ms: Option<u64>,
}

/// Builds the failure for a non-success response, with a message that always says something.
pub fn api_failure(operation: &'static str, r: &FailedResponse<'_>) -> ApiFailure {
    let detail = match r.body_message.map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => m.to_owned(),
        None if ApiErrorKind::of(r.status) == ApiErrorKind::Redirect => {
            "Redirect not followed: the access token is only ever sent to the configured environment".to_owned()
        }
        None if r.body_is_empty => format!("{} (empty body)", reason_phrase(r.status)),
        None if !r.body_is_json => format!("{} (non-JSON body)", reason_phrase(r.status)),
        None => reason_phrase(r.status).to_owned(),
    };
    ApiFailure {
        operation,
        status: r.status,
        code: r.body_code.filter(|c| !c.is_empty()).map(str::to_owned),
        message: format!("{} {}", r.status, detail),
        correlation_id: r.correlation_id.filter(|c| !c.is_empty()).map(str::to_owned),
        retry_after_ms: r.retry_after_ms,
    }
}

impl Error {
    /// A validation error for `field`.
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Validation { field: field.into(), message: message.into() }
    }

    /// Name of the JS error class this becomes.
    pub fn class_name(&self) -> &'static str {
        match self {
            Error::Validation { .. } => "ValidationError",
            Error::Api(f) => ApiErrorKind::of(f.status).class_name(),
            Error::Connection { .. } => "ConnectionError",
            Error::Timeout { .. } => "TimeoutError",
            Error::Aborted { .. } => "AbortError",
            Error::Decode { .. } => "DecodeError",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Validation { field, message } => write!(f, "{field}: {message}"),
            Error::Api(a) => f.write_str(&a.message),
            Error::Connection { operation, message } => {
                write!(f, "{operation}: connection failed: {message}")
            }
            Error::Timeout { operation, timeout_ms } => {
                write!(f, "{operation}: no response within {timeout_ms} ms")
            }
            Error::Aborted { operation } => write!(f, "{operation}: aborted by the caller"),
            Error::Decode { operation, status, message } => {
                write!(f, "{operation}: the {status} response could not be decoded: {message}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(r: FailedResponse<'_>) -> ApiFailure {
        api_failure("getJourneySegment", &r)
    }

    #[test]
    fn message_comes_from_the_error_body() {
        let f = failure(FailedResponse {
            status: 404,
            body_message: Some("Segment not found"),
            body_code: Some("not.found"),
            body_is_json: true,
            correlation_id: Some("abc"),
            ..Default::default()
        });
        assert_eq!(f.message, "404 Segment not found");
        assert_eq!(f.code.as_deref(), Some("not.found"));
        assert_eq!(f.correlation_id.as_deref(), Some("abc"));
        assert_eq!(Error::Api(f).class_name(), "NotFoundError");
    }

    #[test]
    fn html_plain_and_empty_bodies_get_fallback_messages() {
        let html = failure(FailedResponse { status: 502, ..Default::default() });
        assert_eq!(html.message, "502 Bad Gateway (non-JSON body)");
        let empty = failure(FailedResponse { status: 500, body_is_empty: true, ..Default::default() });
        assert_eq!(empty.message, "500 Internal Server Error (empty body)");
        let json_no_message =
            failure(FailedResponse { status: 503, body_is_json: true, ..Default::default() });
        assert_eq!(json_no_message.message, "503 Service Unavailable");
        let blank = failure(FailedResponse {
            status: 418,
            body_message: Some("  "),
            body_is_json: true,
            ..Default::default()
        });
        assert_eq!(blank.message, "418 HTTP error");
    }

    #[test]
    fn redirects_say_why_they_are_not_followed() {
        let r = failure(FailedResponse { status: 302, ..Default::default() });
        assert!(r.message.starts_with("302 Redirect not followed"));
        assert_eq!(ApiErrorKind::of(0), ApiErrorKind::Redirect);
    }

    #[test]
    fn every_status_class_has_its_kind() {
        let cases = [
            (400, "bad_request", "BadRequestError"),
            (401, "unauthorized", "AuthenticationError"),
            (403, "forbidden", "PermissionDeniedError"),
            (404, "not_found", "NotFoundError"),
            (409, "conflict", "ConflictError"),
            (429, "rate_limited", "RateLimitError"),
            (500, "server_error", "InternalServerError"),
            (504, "server_error", "InternalServerError"),
            (413, "client_error", "ApiError"),
        ];
        for (status, kind, class) in cases {
            assert_eq!(ApiErrorKind::of(status).as_str(), kind, "{status}");
            assert_eq!(ApiErrorKind::of(status).class_name(), class, "{status}");
        }
    }

    #[test]
    fn display_names_the_operation() {
        let e = Error::Timeout { operation: "getJourneySegments", timeout_ms: 50 };
        assert_eq!(e.to_string(), "getJourneySegments: no response within 50 ms");
        let d = Error::Decode { operation: "getJourneySegment", status: 200, message: "x".into() };
        assert!(d.to_string().contains("getJourneySegment"));
    }
}
