//! Reading a request body, bounded in size and in time (`decisions.md` §10): the invocation
//! API and the management API read theirs here.

use std::time::Duration;

use actix_web::http::header;
use actix_web::{web, HttpRequest};
use futures::StreamExt;

use crate::error::{ApiError, ErrorEntry};

/// The body of `req`: at most `limit` bytes (a larger declared `Content-Length` is refused
/// before anything is read), all of it within `timeout` (a body that trickles in, a byte a
/// second, must not hold its connection for ever).
pub async fn read_limited(
    req: &HttpRequest,
    payload: web::Payload,
    limit: usize,
    timeout: Duration,
) -> Result<Vec<u8>, ApiError> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(ApiError::TooLarge(limit));
    }
    tokio::time::timeout(timeout, collect(payload, limit))
        .await
        .map_err(|_| ApiError::BodyTimeout(timeout.as_secs()))?
}

async fn collect(mut payload: web::Payload, limit: usize) -> Result<Vec<u8>, ApiError> {
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| {
            ApiError::MalformedJson(Box::new(ErrorEntry::new(
                format!("Could not read the request body: {e}"),
                None,
            )))
        })?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::TooLarge(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
