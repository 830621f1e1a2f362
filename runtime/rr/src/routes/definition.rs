//! OpenAPI documents: one per scenario, and the gateway's document of every scenario.

use actix_web::{web, HttpResponse};

use crate::error::ApiError;
use crate::startup::AppState;

pub async fn scenario(
    state: web::Data<AppState>,
    slug: Option<web::Path<String>>,
) -> Result<HttpResponse, ApiError> {
    let d = state.resolve(slug.as_deref().map(|s| s.as_str()))?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(d.definition.clone()))
}

pub async fn gateway(state: web::Data<AppState>) -> HttpResponse {
    let apis: Vec<_> = state
        .scenarios
        .all()
        .iter()
        .map(|d| d.api.clone())
        .collect();
    let doc = scenic_openapi::gateway_document(&apis);
    let body = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    HttpResponse::Ok()
        .content_type("application/json")
        .body(body)
}

/// The document of one slug (for the `/scenario/...` dispatcher).
pub fn for_slug(state: &AppState, slug: &str) -> Result<HttpResponse, ApiError> {
    let d = state.resolve(Some(slug))?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(d.definition.clone()))
}
