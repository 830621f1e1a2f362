//! Swagger UI pages, served from assets compiled into the binary (no network needed).

use actix_web::{web, HttpRequest, HttpResponse};

use crate::error::ApiError;
use crate::startup::AppState;

fn serve(ui: &scenic_openapi::swagger::SwaggerUi, file: &str) -> Result<HttpResponse, ApiError> {
    let (bytes, content_type) = ui
        .file(file)
        .ok_or_else(|| ApiError::NoSuchPage(file.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .body(bytes.into_owned()))
}

/// `<root>/swagger-ui` redirects to `<root>/swagger-ui/` so relative asset paths resolve.
pub async fn redirect(req: HttpRequest) -> HttpResponse {
    let path = req.path().trim_end_matches('/');
    let last = path.rsplit('/').next().unwrap_or("swagger-ui");
    HttpResponse::Found()
        .insert_header(("Location", format!("{last}/")))
        .finish()
}

/// The single-scenario runtime's UI at `/swagger-ui/`.
pub async fn single(path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let ui = scenic_openapi::swagger::SwaggerUi::new("/", "../definition");
    serve(&ui, &path.into_inner())
}

/// The gateway's UI of every scenario, loading `/openapi.json`.
pub async fn gateway(path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let ui = scenic_openapi::swagger::SwaggerUi::new("/", "../openapi.json");
    serve(&ui, &path.into_inner())
}

/// A file of a scenario's UI (for the `/scenario/...` dispatcher).
pub fn scenario_file(state: &AppState, slug: &str, file: &str) -> Result<HttpResponse, ApiError> {
    state.resolve(Some(slug))?;
    let ui = scenic_openapi::swagger::SwaggerUi::new("/", "../definition");
    serve(&ui, file)
}
