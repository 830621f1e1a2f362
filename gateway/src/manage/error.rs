//! Every failure of a management API call and its status code, in one place (as
//! `scenic-rr`'s `error.rs` is for invocations). The body is the invocation API's: a JSON
//! array of `{message, nodeId, ...}` entries (`ErrorEntry`).

use std::time::Duration;

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use scenic_rr::error::{ApiError, ErrorEntry};
use scenic_scenario::CompileError;

use super::{DeployError, MAX_TEST_INPUTS};

#[derive(Debug, thiserror::Error)]
pub enum ManageError {
    /// No token is configured: write calls are off.
    #[error("The management API is disabled: set SCENIC_ADMIN_TOKEN or pass --admin-token to enable write calls")]
    Disabled,
    #[error("Missing or wrong bearer token")]
    Unauthorized,
    /// Reading the body failed (too large, too slow): the invocation API's answer.
    #[error("{0}")]
    Body(ApiError),
    #[error("The scenario is not UTF-8")]
    NotUtf8,
    #[error("Malformed JSON at line {} column {}: {}", .0.line(), .0.column(), .0)]
    MalformedJson(serde_json::Error),
    #[error("The body must be a JSON array of inputs")]
    NotAnArray,
    /// The scenario does not compile: every error.
    #[error("{} compile error(s)", .0.len())]
    Invalid(Vec<CompileError>),
    #[error("Only request-response scenarios are served by the gateway")]
    NotRequestResponse,
    /// The slug or scenario name belongs to another management name (the message names it).
    #[error("{0}")]
    Conflict(String),
    #[error("No scenario named '{0}'")]
    NoSuchName(String),
    #[error("No scenario named '{0}' is deployed")]
    NotDeployed(String),
    /// A scenario name that does not decode (bad percent-encoding).
    #[error("No such scenario: {0}")]
    BadName(String),
    #[error("{0} inputs: a test runs at most {MAX_TEST_INPUTS}")]
    TooManyInputs(usize),
    #[error("The test did not finish within {} s (all inputs together)", .0.as_secs())]
    TestTimeout(Duration),
    #[error("The deployment was interrupted")]
    Interrupted,
    #[error("Method not allowed here; use {0}")]
    MethodNotAllowed(&'static str),
}

impl From<DeployError> for ManageError {
    fn from(e: DeployError) -> ManageError {
        match e {
            DeployError::Invalid(errors) => ManageError::Invalid(errors),
            DeployError::NotRequestResponse => ManageError::NotRequestResponse,
            DeployError::Conflict(c) => ManageError::Conflict(c),
        }
    }
}

impl ResponseError for ManageError {
    fn status_code(&self) -> StatusCode {
        match self {
            ManageError::Disabled => StatusCode::FORBIDDEN,
            ManageError::Unauthorized => StatusCode::UNAUTHORIZED,
            ManageError::Body(e) => e.status_code(),
            ManageError::NotUtf8
            | ManageError::MalformedJson(_)
            | ManageError::NotAnArray
            | ManageError::Invalid(_)
            | ManageError::NotRequestResponse
            | ManageError::TooManyInputs(_) => StatusCode::BAD_REQUEST,
            ManageError::Conflict(_) => StatusCode::CONFLICT,
            ManageError::NoSuchName(_) | ManageError::NotDeployed(_) | ManageError::BadName(_) => {
                StatusCode::NOT_FOUND
            }
            ManageError::TestTimeout(_) => StatusCode::GATEWAY_TIMEOUT,
            ManageError::Interrupted => StatusCode::INTERNAL_SERVER_ERROR,
            ManageError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let entries: Vec<ErrorEntry> = match self {
            ManageError::Body(e) => return e.error_response(),
            ManageError::Invalid(errors) => errors.iter().map(ErrorEntry::from).collect(),
            other => vec![ErrorEntry::new(other.to_string(), None)],
        };
        let mut r = super::json(self.status_code(), &entries);
        match self {
            ManageError::Unauthorized => {
                r.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    header::HeaderValue::from_static("Bearer"),
                );
            }
            ManageError::MethodNotAllowed(allow) => {
                r.headers_mut()
                    .insert(header::ALLOW, header::HeaderValue::from_static(allow));
            }
            _ => {}
        }
        r
    }
}
