//! Every failure of an HTTP call and its status code, in one place (`decisions.md` §2). The
//! body keeps the reference's shape: a JSON array of `{"message", "nodeId"}`, with `path`
//! (a JSON pointer) where it applies.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

/// One entry of an error body, of the invocation API and the management API alike: the
/// reference's `{"message", "nodeId"}`, with a compile error's parameter and line:column, or an
/// input violation's JSON pointer, where they apply.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct ErrorEntry {
    pub message: String,
    /// The node the problem is in; null when it is in none.
    #[serde(rename = "nodeId")]
    #[schema(required)]
    pub node_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    /// 1-based line and column inside the expression.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// A JSON pointer into the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

impl ErrorEntry {
    pub fn new(message: impl Into<String>, node_id: Option<&str>) -> ErrorEntry {
        ErrorEntry {
            message: message.into(),
            node_id: node_id.map(str::to_string),
            parameter: None,
            line: None,
            column: None,
            path: None,
        }
    }

    /// An input violation: its message, the source node, its JSON pointer.
    pub fn at(message: impl Into<String>, node_id: Option<&str>, path: String) -> ErrorEntry {
        ErrorEntry {
            path: Some(path),
            ..ErrorEntry::new(message, node_id)
        }
    }
}

impl From<&scenic_scenario::CompileError> for ErrorEntry {
    fn from(e: &scenic_scenario::CompileError) -> ErrorEntry {
        ErrorEntry {
            message: e.message.clone(),
            node_id: e.node_id.clone(),
            parameter: e.parameter.clone(),
            line: e.line,
            column: e.column,
            path: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The body is not JSON (the message names line and column), or is nested too deeply.
    #[error("malformed request body")]
    MalformedJson(Box<ErrorEntry>),
    /// The body violates `inputSchema`: one entry per violation.
    #[error("input does not match the input schema")]
    InvalidInput(Vec<ErrorEntry>),
    #[error("unknown scenario")]
    NotFound(String),
    /// A Swagger UI file that does not exist.
    #[error("unknown page")]
    NoSuchPage(String),
    #[error("method not allowed")]
    MethodNotAllowed(&'static str),
    #[error("request body too large")]
    TooLarge(usize),
    /// Expressions or components failed, or the output violated `outputSchema`.
    #[error("scenario failed")]
    ScenarioFailed(Vec<ErrorEntry>),
    #[error("scenario unavailable")]
    Unavailable(String),
    #[error("request timed out")]
    Timeout(u64),
    /// The body did not arrive within the request's timeout.
    #[error("request body timed out")]
    BodyTimeout(u64),
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::MalformedJson(_) | ApiError::InvalidInput(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) | ApiError::NoSuchPage(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::ScenarioFailed(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Timeout(_) => StatusCode::GATEWAY_TIMEOUT,
            ApiError::BodyTimeout(_) => StatusCode::REQUEST_TIMEOUT,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let entries = match self {
            ApiError::MalformedJson(e) => vec![(**e).clone()],
            ApiError::InvalidInput(v) | ApiError::ScenarioFailed(v) => v.clone(),
            ApiError::NotFound(slug) => vec![ErrorEntry::new(
                format!("No scenario is deployed at '{slug}'"),
                None,
            )],
            ApiError::NoSuchPage(file) => {
                vec![ErrorEntry::new(format!("No such page: '{file}'"), None)]
            }
            ApiError::MethodNotAllowed(allow) => vec![ErrorEntry::new(
                format!("Method not allowed here; use {allow}"),
                None,
            )],
            ApiError::TooLarge(limit) => vec![ErrorEntry::new(
                format!("Request body is larger than the limit of {limit} bytes"),
                None,
            )],
            ApiError::Unavailable(why) => vec![ErrorEntry::new(why.clone(), None)],
            ApiError::Timeout(secs) => vec![ErrorEntry::new(
                format!("The scenario did not answer within {secs} s"),
                None,
            )],
            ApiError::BodyTimeout(secs) => vec![ErrorEntry::new(
                format!("The request body did not arrive within {secs} s"),
                None,
            )],
        };
        let body = serde_json::to_vec(&entries).unwrap_or_else(|_| b"[]".to_vec());
        let mut r = HttpResponse::build(self.status_code());
        r.insert_header((header::CONTENT_TYPE, "application/json"));
        match self {
            ApiError::MethodNotAllowed(allow) => {
                r.insert_header((header::ALLOW, *allow));
            }
            // Shutting down: the client must reconnect elsewhere, not reuse this connection.
            // The body was not read, and `Scenic-Unprocessed` says so, so that a gateway may
            // send the request to another backend (`scenic gateway`).
            ApiError::Unavailable(_) => {
                r.insert_header(("scenic-unprocessed", "draining"));
                r.force_close();
            }
            // A body that timed out may still be arriving: the connection cannot be reused.
            ApiError::BodyTimeout(_) => {
                r.force_close();
            }
            _ => {}
        }
        r.body(body)
    }
}

impl ApiError {
    /// An invocation's typed error as the HTTP API answers it: input errors name the source
    /// node (`source_id`) and, for violations, their JSON pointer; node failures name their
    /// node; a passed deadline is the request's `timeout_secs`.
    pub fn from_invoke(
        e: scenic_scenario::InvokeError,
        source_id: Option<&str>,
        timeout_secs: u64,
    ) -> ApiError {
        use scenic_scenario::InvokeError as E;
        match e {
            E::MalformedJson(_) => {
                ApiError::MalformedJson(Box::new(ErrorEntry::new(e.to_string(), source_id)))
            }
            E::InvalidInput(violations) => ApiError::InvalidInput(
                violations
                    .into_iter()
                    .map(|v| ErrorEntry::at(v.located(), source_id, v.pointer))
                    .collect(),
            ),
            E::Timeout => ApiError::Timeout(timeout_secs),
            E::Failed { errors, omitted } => {
                let mut entries: Vec<ErrorEntry> = errors
                    .iter()
                    .map(|e| ErrorEntry::new(e.message(), Some(&e.node_id)))
                    .collect();
                if let Some(more) = scenic_scenario::omitted_errors(omitted) {
                    entries.push(ErrorEntry::new(more, None));
                }
                ApiError::ScenarioFailed(entries)
            }
            E::ResponseOverLimit { ref node_id, .. } => {
                ApiError::ScenarioFailed(vec![ErrorEntry::new(e.to_string(), Some(node_id))])
            }
            E::NoResult | E::ResponseMismatch(_) => {
                ApiError::ScenarioFailed(vec![ErrorEntry::new(e.to_string(), source_id)])
            }
        }
    }
}
