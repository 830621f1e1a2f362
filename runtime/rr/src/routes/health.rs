//! `/alive`, `/ready` and `/metrics`.

use actix_web::{web, HttpResponse};

use crate::startup::AppState;

pub async fn alive() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("OK")
}

pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    if state.is_ready() {
        HttpResponse::Ok().content_type("text/plain").body("OK")
    } else {
        HttpResponse::ServiceUnavailable()
            .content_type("text/plain")
            .body("NOT READY")
    }
}

pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(state.metrics.render())
}
