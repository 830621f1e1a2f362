//! The gateway's own failures, typed, and the one place that turns them into HTTP answers (in
//! the runtime's error format: a list of `{"message": …}`).

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};

#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    /// No route for the slug.
    #[error("No scenario is routed at '{0}'")]
    NotRouted(String),
    /// A page of the gateway that does not exist.
    #[error("No such page: scenarios are at /scenario/{{slug}}")]
    NoSuchPage,
    #[error("Request body is larger than the limit of {0} bytes")]
    TooLarge(usize),
    #[error("The request body could not be read: {0}")]
    BadBody(String),
    /// No backend could take the request: none ready, none of the pinned version, or every
    /// one tried refused it unprocessed (then `refusal` says how).
    #[error("{}", no_backend(.slug, .pin.as_deref(), .refusal.as_deref()))]
    NoBackend {
        slug: String,
        pin: Option<String>,
        refusal: Option<String>,
    },
    /// The deadline passed before an attempt, or while a backend was answering.
    #[error("{0}")]
    Deadline(String),
    /// A backend failed after the request may have reached it: never sent again.
    #[error("{0}")]
    Upstream(String),
}

fn no_backend(slug: &str, pin: Option<&str>, refusal: Option<&str>) -> String {
    match (pin, refusal) {
        (_, Some(r)) => format!("No backend of '{slug}' took the request ({r})"),
        (Some(v), None) => format!("No ready backend of '{slug}' serves version '{v}'"),
        (None, None) => format!("No ready backend of '{slug}' with a weight above 0"),
    }
}

impl ResponseError for GatewayError {
    fn status_code(&self) -> StatusCode {
        match self {
            GatewayError::NotRouted(_) | GatewayError::NoSuchPage => StatusCode::NOT_FOUND,
            GatewayError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            GatewayError::BadBody(_) => StatusCode::BAD_REQUEST,
            GatewayError::NoBackend { .. } => StatusCode::SERVICE_UNAVAILABLE,
            GatewayError::Deadline(_) => StatusCode::GATEWAY_TIMEOUT,
            GatewayError::Upstream(_) => StatusCode::BAD_GATEWAY,
        }
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status_code())
            .insert_header((header::CONTENT_TYPE, "application/json"))
            .body(serde_json::json!([{"message": self.to_string()}]).to_string())
    }
}
