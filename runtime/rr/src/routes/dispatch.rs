//! `/scenario/...` routing by hand: slugs are matched with a string split instead of the
//! router's regular expressions, which cost a third of a request's CPU under load.

use actix_web::http::Method;
use actix_web::{web, HttpRequest, HttpResponse};

use crate::error::ApiError;
use crate::routes::{definition, invoke, swagger};
use crate::startup::AppState;

/// Everything under `/scenario/`: `{slug}` (POST), `{slug}/definition` (GET),
/// `{slug}/swagger-ui[/{file}]` (GET).
pub async fn scenario(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let rest = req.path().strip_prefix("/scenario/").unwrap_or("");
    let (slug, tail) = match rest.split_once('/') {
        Some((s, t)) => (s, t),
        None => (rest, ""),
    };
    if slug.is_empty() {
        return Err(ApiError::NotFound(String::new()));
    }
    let get_only = |m: &Method| {
        if m == Method::GET {
            Ok(())
        } else {
            Err(ApiError::MethodNotAllowed("GET"))
        }
    };
    match tail {
        "" => {
            if req.method() != Method::POST {
                return Err(ApiError::MethodNotAllowed("POST"));
            }
            let d = state.resolve(Some(slug))?;
            invoke::handle(&state, d, &req, payload).await
        }
        "definition" => {
            get_only(req.method())?;
            definition::for_slug(&state, slug)
        }
        "swagger-ui" => {
            get_only(req.method())?;
            state.resolve(Some(slug))?;
            Ok(swagger::redirect(req).await)
        }
        t => match t.strip_prefix("swagger-ui/") {
            Some(file) => {
                get_only(req.method())?;
                swagger::scenario_file(&state, slug, file)
            }
            None => Err(ApiError::NotFound(format!("{slug}/{t}"))),
        },
    }
}
