//! The worker's small HTTP port: `/alive`, `/ready` (every worker processing) and `/metrics`.

use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::{web, App, HttpResponse, HttpServer};

use crate::worker::Shared;

async fn alive() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("OK")
}

async fn ready(shared: web::Data<Shared>) -> HttpResponse {
    if shared.ready() {
        HttpResponse::Ok().content_type("text/plain").body("OK")
    } else {
        let statuses: Vec<String> = (0..shared.workers())
            .map(|w| format!("worker {w}: {:?}", shared.status(w)))
            .collect();
        HttpResponse::ServiceUnavailable()
            .content_type("text/plain")
            .body(statuses.join("\n"))
    }
}

async fn metrics(shared: web::Data<Shared>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(shared.metrics.render())
}

/// Binds the port and builds the server (run it by awaiting).
pub fn server(shared: Arc<Shared>, host: &str, port: u16) -> std::io::Result<(Server, u16)> {
    let listener = std::net::TcpListener::bind((host, port))?;
    let port = listener.local_addr()?.port();
    let data = web::Data::from(shared);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .route("/alive", web::get().to(alive))
            .route("/ready", web::get().to(ready))
            .route("/metrics", web::get().to(metrics))
    })
    .workers(1)
    .disable_signals()
    .listen(listener)?
    .run();
    Ok((server, port))
}
