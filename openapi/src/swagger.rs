//! Swagger UI for actix-web, served from assets compiled into the binary (no CDN, works offline).
//!
//! ```no_run
//! use actix_web::{web, App};
//! use scenic_openapi::swagger;
//!
//! App::new()
//!     // Gateway: the UI of every scenario; its page loads the scenario's `definition`.
//!     .service(web::scope("/scenario/{slug}").service(swagger::service("/swagger-ui", "../definition")))
//!     // Gateway: the UI of the whole gateway.
//!     .service(swagger::service("/swagger-ui", "../openapi.json"));
//! ```
//!
//! `GET <path>` redirects (relatively) to `<path>/`, which serves the page; the page's assets are
//! `<path>/<file>`. A relative `spec_url` is resolved by the browser against `<path>/`, so it
//! keeps working behind any path prefix. Nothing in here depends on the route's other match
//! parameters, so the service can be mounted inside a scope with parameters such as `{slug}`.

use std::borrow::Cow;
use std::sync::Arc;

use actix_web::dev::{AppService, HttpServiceFactory};
use actix_web::http::header;
use actix_web::{guard, web, HttpRequest, HttpResponse, Resource};
use utoipa_swagger_ui::Config;

/// The match parameter holding the requested file; unusual so it cannot clash with the scope's.
const FILE_PARAM: &str = "__scenic_swagger_file";

/// An actix-web service serving Swagger UI at `path` (e.g. `/swagger-ui`), showing the OpenAPI
/// document at `spec_url` (e.g. `../definition`, relative to `<path>/`, or absolute).
pub fn service(path: &str, spec_url: &str) -> SwaggerUi {
    SwaggerUi::new(path, spec_url)
}

/// Swagger UI as an actix-web service (see [`service`]); register it with `App::service` or
/// `Scope::service`.
#[derive(Clone)]
pub struct SwaggerUi {
    path: String,
    config: Arc<Config<'static>>,
}

impl SwaggerUi {
    /// See [`service`].
    pub fn new(path: &str, spec_url: &str) -> Self {
        let trimmed = path.trim_matches('/');
        let path = if trimmed.is_empty() {
            String::new()
        } else {
            format!("/{trimmed}")
        };
        let config = Config::new([spec_url.to_owned()])
            .try_it_out_enabled(true)
            .display_operation_id(true)
            // The default validator badge calls validator.swagger.io.
            .validator_url("none");
        Self {
            path,
            config: Arc::new(config),
        }
    }

    /// The page (or asset) for `file` (`""` is the page), with its content type; `None` when
    /// there is no such file.
    pub fn file(&self, file: &str) -> Option<(Cow<'static, [u8]>, String)> {
        let served = utoipa_swagger_ui::serve(file, Arc::clone(&self.config)).ok()??;
        Some((served.bytes, served.content_type))
    }
}

impl HttpServiceFactory for SwaggerUi {
    fn register(self, config: &mut AppService) {
        if let Some(last) = self.path.rsplit('/').next().filter(|s| !s.is_empty()) {
            // `<path>` -> `<path>/`, relative so that it works behind a path prefix.
            let location = format!("{last}/");
            let redirect = Resource::new(self.path.as_str())
                .guard(guard::Get())
                .to(move || {
                    let location = location.clone();
                    async move {
                        HttpResponse::MovedPermanently()
                            .insert_header((header::LOCATION, location))
                            .finish()
                    }
                });
            HttpServiceFactory::register(redirect, config);
        }
        let files_path = format!("{}/{{{FILE_PARAM}:.*}}", self.path);
        let ui = self;
        let files =
            Resource::new(files_path)
                .guard(guard::Get())
                .to(move |request: HttpRequest| {
                    let ui = ui.clone();
                    async move { serve_file(&ui, &request) }
                });
        HttpServiceFactory::register(files, config);
    }
}

fn serve_file(ui: &SwaggerUi, request: &HttpRequest) -> HttpResponse {
    let file = request.match_info().get(FILE_PARAM).unwrap_or("");
    match ui.file(file) {
        Some((bytes, content_type)) => HttpResponse::Ok()
            .content_type(content_type)
            .insert_header((header::CACHE_CONTROL, "no-cache"))
            .body(web::Bytes::from(bytes.into_owned())),
        None => HttpResponse::NotFound().finish(),
    }
}

#[cfg(test)]
mod tests {
    use actix_web::http::StatusCode;
    use actix_web::{test, App};

    use super::*;

    #[actix_web::test]
    async fn serves_the_ui_inside_a_scope_with_parameters() {
        let app = test::init_service(
            App::new()
                .service(
                    web::scope("/scenario/{slug}").service(service("/swagger-ui", "../definition")),
                )
                .service(service("swagger-ui/", "/openapi.json")),
        )
        .await;

        let get = |uri: &str| test::TestRequest::get().uri(uri).to_request();

        let response = test::call_service(&app, get("/scenario/loan/swagger-ui")).await;
        assert_eq!(response.status(), StatusCode::MOVED_PERMANENTLY);
        assert_eq!(
            response
                .headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok()),
            Some("swagger-ui/")
        );

        let response = test::call_service(&app, get("/scenario/loan/swagger-ui/")).await;
        assert_eq!(response.status(), StatusCode::OK);
        let body = test::read_body(response).await;
        let page = String::from_utf8_lossy(&body);
        assert!(page.contains("swagger-initializer.js"), "{page}");

        let response = test::call_service(
            &app,
            get("/scenario/loan/swagger-ui/swagger-initializer.js"),
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK);
        let body = test::read_body(response).await;
        let script = String::from_utf8_lossy(&body);
        assert!(script.contains("\"url\": \"../definition\""), "{script}");
        assert!(script.contains("\"validatorUrl\": \"none\""), "{script}");

        for asset in [
            "swagger-ui.css",
            "swagger-ui-bundle.js",
            "swagger-ui-standalone-preset.js",
        ] {
            let response =
                test::call_service(&app, get(&format!("/scenario/loan/swagger-ui/{asset}"))).await;
            assert_eq!(response.status(), StatusCode::OK, "{asset}");
        }

        let response = test::call_service(&app, get("/scenario/loan/swagger-ui/nope.js")).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);

        let response = test::call_service(&app, get("/swagger-ui/swagger-initializer.js")).await;
        let body = test::read_body(response).await;
        assert!(String::from_utf8_lossy(&body).contains("\"url\": \"/openapi.json\""));

        let post = test::TestRequest::post().uri("/swagger-ui/").to_request();
        let response = test::call_service(&app, post).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
}
