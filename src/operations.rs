//! The nine operations as data. Adding an endpoint is one entry here, nothing else.

use crate::schema::{self, Schema};
use crate::validate;

/// HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
}

impl Method {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// How a query parameter is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// A positive 32-bit integer (paging).
    PositiveInt,
    /// `true` / `false`.
    Bool,
    /// A string.
    Str,
    /// A list of strings, one `name=value` pair per item (`collectionFormat: multi`).
    StrList,
}

/// A query parameter of an operation.
#[derive(Debug)]
pub struct QueryParam {
    /// Name on the wire and in the options object.
    pub name: &'static str,
    /// How it is written.
    pub kind: ParamKind,
}

/// Where the request body comes from.
#[derive(Debug)]
pub enum Body {
    /// No body.
    None,
    /// `opts.body`, like the official SDK's `{ body }` argument.
    InOptions(&'static Schema),
    /// The first argument (the aggregates query).
    Argument(&'static Schema),
}

/// What a success carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Success {
    /// A JSON document.
    Json,
    /// Nothing (204): the call resolves to `undefined`.
    Empty,
}

/// Operation-specific rules beyond the schema: `(options, body)`.
pub type Rules = fn(&crate::value::Value, Option<&crate::value::Value>) -> Result<(), crate::error::Error>;

/// One API operation.
#[derive(Debug)]
pub struct Operation {
    /// The official SDK's method name, used in errors.
    pub name: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path up to the optional path parameter.
    pub path: &'static str,
    /// Name of the path parameter appended as the last segment, if any.
    pub path_param: Option<&'static str>,
    /// Query parameters taken from the options object.
    pub query: &'static [QueryParam],
    /// Request body.
    pub body: Body,
    /// Whether repeating the request is harmless, so gateway errors and timeouts are retried.
    pub idempotent: bool,
    /// What a success carries.
    pub success: Success,
    /// Extra rules.
    pub rules: Rules,
}

const PAGING: [QueryParam; 2] = [
    QueryParam { name: "pageNumber", kind: ParamKind::PositiveInt },
    QueryParam { name: "pageSize", kind: ParamKind::PositiveInt },
];

const SEGMENTS: &str = "/api/v2/journey/segments";
const ACTION_TARGETS: &str = "/api/v2/journey/actiontargets";

/// Every operation, indexed by the number the JS façade passes.
pub static OPERATIONS: [Operation; 9] = [
    Operation {
        name: "getJourneySegments",
        method: Method::Get,
        path: SEGMENTS,
        path_param: None,
        query: &[
            QueryParam { name: "sortBy", kind: ParamKind::Str },
            QueryParam { name: "pageSize", kind: ParamKind::PositiveInt },
            QueryParam { name: "pageNumber", kind: ParamKind::PositiveInt },
            QueryParam { name: "isActive", kind: ParamKind::Bool },
            QueryParam { name: "segmentIds", kind: ParamKind::StrList },
            QueryParam { name: "queryFields", kind: ParamKind::StrList },
            QueryParam { name: "queryValue", kind: ParamKind::Str },
        ],
        body: Body::None,
        idempotent: true,
        success: Success::Json,
        rules: validate::segment_listing,
    },
    Operation {
        name: "getJourneySegment",
        method: Method::Get,
        path: SEGMENTS,
        path_param: Some("segmentId"),
        query: &[],
        body: Body::None,
        idempotent: true,
        success: Success::Json,
        rules: validate::none,
    },
    Operation {
        name: "postJourneySegments",
        method: Method::Post,
        path: SEGMENTS,
        path_param: None,
        query: &[],
        body: Body::InOptions(&schema::JOURNEY_SEGMENT_REQUEST),
        idempotent: false,
        success: Success::Json,
        rules: validate::segment_body,
    },
    Operation {
        name: "patchJourneySegment",
        method: Method::Patch,
        path: SEGMENTS,
        path_param: Some("segmentId"),
        query: &[],
        body: Body::InOptions(&schema::PATCH_SEGMENT),
        idempotent: false,
        success: Success::Json,
        rules: validate::segment_body,
    },
    Operation {
        name: "deleteJourneySegment",
        method: Method::Delete,
        path: SEGMENTS,
        path_param: Some("segmentId"),
        query: &[],
        body: Body::None,
        idempotent: true,
        success: Success::Empty,
        rules: validate::none,
    },
    Operation {
        name: "getJourneyActiontargets",
        method: Method::Get,
        path: ACTION_TARGETS,
        path_param: None,
        query: &PAGING,
        body: Body::None,
        idempotent: true,
        success: Success::Json,
        rules: validate::none,
    },
    Operation {
        name: "getJourneyActiontarget",
        method: Method::Get,
        path: ACTION_TARGETS,
        path_param: Some("actionTargetId"),
        query: &[],
        body: Body::None,
        idempotent: true,
        success: Success::Json,
        rules: validate::none,
    },
    Operation {
        name: "patchJourneyActiontarget",
        method: Method::Patch,
        path: ACTION_TARGETS,
        path_param: Some("actionTargetId"),
        query: &[],
        body: Body::InOptions(&schema::PATCH_ACTION_TARGET),
        idempotent: false,
        success: Success::Json,
        rules: validate::action_target_body,
    },
    Operation {
        name: "postAnalyticsJourneysAggregatesQuery",
        method: Method::Post,
        path: "/api/v2/analytics/journeys/aggregates/query",
        path_param: None,
        query: &[],
        body: Body::Argument(&schema::JOURNEY_AGGREGATION_QUERY),
        // A query reads and changes nothing, so repeating it is safe.
        idempotent: true,
        success: Success::Json,
        rules: validate::aggregation_query,
    },
];

/// The operation with this SDK method name.
pub fn by_name(name: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().find(|op| op.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_match_the_spec_operation_ids() {
        let spec_ids = [
            "getJourneySegments", "getJourneySegment", "postJourneySegments", "patchJourneySegment",
            "deleteJourneySegment", "getJourneyActiontargets", "getJourneyActiontarget",
            "patchJourneyActiontarget", "postAnalyticsJourneysAggregatesQuery",
        ];
        for id in spec_ids {
            assert!(by_name(id).is_some(), "{id}");
        }
        assert_eq!(OPERATIONS.len(), spec_ids.len());
        assert!(by_name("nope").is_none());
    }

    #[test]
    fn writes_are_not_idempotent() {
        for op in &OPERATIONS {
            let write = matches!(op.method, Method::Post | Method::Patch) && op.name != "postAnalyticsJourneysAggregatesQuery";
            assert_eq!(op.idempotent, !write, "{}", op.name);
        }
    }
}
