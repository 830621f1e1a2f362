//! OpenAPI documents: one per scenario, and the gateway's document of every scenario.

use actix_web::{web, HttpResponse};

use crate::error::ApiError;
use crate::startup::AppState;

pub async fn scenario(
    state: web::Data<AppState>,
    slug: Option<web::Path<String>>,
) -> Result<HttpResponse, ApiError> {
    let d = state.resolve(slug.as_deref().map(|s| s.as_str()))?;
    Ok(document(&state, &d.definition))
}

/// A scenario's pre-rendered document, with the configured servers when there are some.
fn document(state: &AppState, definition: &str) -> HttpResponse {
    let body = if state.servers.is_empty() {
        definition.to_string()
    } else {
        match serde_json::from_str::<serde_json::Value>(definition) {
            Ok(mut doc) => {
                scenic_openapi::set_servers(&mut doc, &state.servers);
                serde_json::to_string_pretty(&doc).unwrap_or_else(|_| definition.to_string())
            }
            Err(_) => definition.to_string(),
        }
    };
    HttpResponse::Ok()
        .content_type("application/json")
        .body(body)
}

pub async fn gateway(state: web::Data<AppState>) -> HttpResponse {
    let apis: Vec<_> = state
        .scenarios
        .all()
        .iter()
        .map(|d| d.api.clone())
        .collect();
    let mut doc = scenic_openapi::gateway_document(&apis);
    scenic_openapi::set_servers(&mut doc, &state.servers);
    let body = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    HttpResponse::Ok()
        .content_type("application/json")
        .body(body)
}

/// The document of one slug (for the `/scenario/...` dispatcher).
pub fn for_slug(state: &AppState, slug: &str) -> Result<HttpResponse, ApiError> {
    let d = state.resolve(Some(slug))?;
    Ok(document(state, &d.definition))
}
