//! The OpenAPI enricher against a real HTTP server on loopback (actix-web, in the test) that
//! serves a document's operations: naming rules, each parameter place, 404 → null, a failing
//! service, a timeout, API-key security, and test runs that make no calls.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use common::*;
use scenic_enrichers::ComponentsConfig;
use scenic_scenario::Registry;
use serde_json::{json, Value as Json};

static CALLS: AtomicUsize = AtomicUsize::new(0);

async fn customer(path: web::Path<i64>) -> HttpResponse {
    let id = path.into_inner();
    if id == 42 {
        // Only the test-run test uses this id: the count is its own.
        CALLS.fetch_add(1, Ordering::Relaxed);
    }
    match id {
        1 => HttpResponse::Ok()
            .json(json!({"id": 1, "name": "Ann", "category": "GOLD", "since": "2020-02-29"})),
        500 => HttpResponse::InternalServerError().body("boom"),
        7 => {
            tokio::time::sleep(Duration::from_secs(3)).await;
            HttpResponse::Ok().json(json!({"id": 7}))
        }
        8 => HttpResponse::Ok().json(json!({"id": "not a number"})),
        409 => HttpResponse::Conflict().finish(),
        _ => HttpResponse::NotFound().finish(),
    }
}

async fn orders(path: web::Path<i64>) -> HttpResponse {
    match path.into_inner() {
        1 => HttpResponse::Ok().json(json!([{"total": 12.5}, {"total": 3}])),
        _ => HttpResponse::NotFound().finish(),
    }
}

async fn search(req: HttpRequest) -> HttpResponse {
    let trace = req
        .headers()
        .get("X-Trace")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("none")
        .to_string();
    HttpResponse::Ok().json(json!({"query": req.query_string(), "trace": trace}))
}

async fn post_order(req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let ct = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body: Json = serde_json::from_slice(&body).unwrap_or(Json::Null);
    HttpResponse::Created().json(json!({"body": body, "contentType": ct}))
}

async fn secure(req: HttpRequest) -> HttpResponse {
    match req.headers().get("X-API-KEY").and_then(|v| v.to_str().ok()) {
        Some("s3cret") => HttpResponse::Ok().json(json!({"ok": true})),
        _ => HttpResponse::Unauthorized().finish(),
    }
}

/// The test server's base URL (one server for the whole test binary).
fn server() -> &'static str {
    static BASE: OnceLock<String> = OnceLock::new();
    BASE.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = HttpServer::new(|| {
                    App::new()
                        .route("/customers/{id}", web::get().to(customer))
                        .route("/customers/{id}/orders", web::get().to(orders))
                        .route("/search", web::get().to(search))
                        .route(
                            "/ping",
                            web::get().to(|| async { HttpResponse::Ok().json("pong") }),
                        )
                        .route("/orders", web::post().to(post_order))
                        .route("/secure", web::get().to(secure))
                        .route(
                            "/doc.yaml",
                            web::get().to(|| async {
                                HttpResponse::Ok().body(include_str!("data/customers.yaml"))
                            }),
                        )
                })
                .workers(1)
                .bind("127.0.0.1:0")
                .expect("bind");
                let port = server.addrs()[0].port();
                tx.send(port).expect("port");
                server.run().await.expect("server runs");
            });
        });
        let port = rx.recv().expect("the server starts");
        format!("http://127.0.0.1:{port}")
    })
}

/// A registry with the customers document's operations; `extra` adds provider keys.
fn registry_with(extra: Json) -> (Registry, Vec<String>) {
    let mut provider = json!({"providerType": "openAPI", "url": format!("{}/doc.yaml", server()),
        "rootUrl": format!("{}/", server())});
    if let (Some(o), Some(e)) = (provider.as_object_mut(), extra.as_object()) {
        o.extend(e.clone());
    }
    let config = ComponentsConfig::from_json(Some(&json!({"customers": provider})), &|_| None)
        .expect("config");
    let mut registry = Registry::builtin();
    let r = scenic_enrichers::register(&config, &mut registry, std::path::Path::new("."))
        .expect("registers");
    (registry, r.warnings)
}

fn registry() -> Registry {
    registry_with(
        json!({"security": {"apiKey": {"type": "apiKey", "apiKeyValue": "s3cret"}},
        "allowedMethods": ["GET", "POST"]}),
    )
    .0
}

fn names(r: &Registry) -> Vec<String> {
    let mut n: Vec<String> = r
        .services
        .keys()
        .filter(|k| !Registry::builtin().services.contains_key(*k))
        .cloned()
        .collect();
    n.sort();
    n
}

#[test]
fn operations_become_enrichers_by_operation_id_or_method_and_path() {
    let (r, warnings) = registry_with(json!({}));
    // GET only by default; getSecure has no secret configured; getPrice's format is unsupported.
    assert_eq!(
        names(&r),
        ["GET-ping", "getCustomer", "getOrders", "search"]
    );
    let w = warnings.join("\n");
    assert!(
        w.contains("getPrice (Type 'number' in format 'decimal' is not supported)"),
        "{w}"
    );
    assert!(
        w.contains("getSecure (No security requirement can be met because: there is no security secret configured for scheme name \"apiKey\")"),
        "{w}"
    );
    let (r, _) =
        registry_with(json!({"allowedMethods": ["GET", "POST"], "namePattern": "p.*|getC.*"}));
    assert_eq!(names(&r), ["getCustomer", "postOrder"]);
    let (r, _) = registry_with(json!({"componentPrefix": "crm-", "namePattern": "getCustomer"}));
    assert_eq!(names(&r), ["crm-getCustomer"]);
}

#[test]
fn a_path_parameter_and_a_typed_answer() {
    let r = registry();
    let s = compile(
        &scenario(
            "getCustomer",
            vec![spel("id", "#input.id")],
            "#out == null ? 'none' : #out.name + ' ' + #out.since.year",
        ),
        &r,
    )
    .expect("compiles");
    assert_eq!(run(&s, json!({"id": 1})), Ok(json!("Ann 2020")));
    // 404 is null.
    assert_eq!(run(&s, json!({"id": 2})), Ok(json!("none")));
    // The answer's schema types downstream expressions.
    let errs = compile(
        &scenario(
            "getCustomer",
            vec![spel("id", "#input.id")],
            "#out.nickname",
        ),
        &r,
    )
    .expect_err("no such field");
    assert!(errs[0].message.contains("nickname"), "{errs:?}");
    // An answer that does not fit its schema is an error naming the path.
    let e = run(&s, json!({"id": 8})).expect_err("mistyped answer");
    assert!(
        e[0].contains("JSON returned by service getCustomer has invalid type at /id"),
        "{e:?}"
    );
}

#[test]
fn an_array_answer_is_an_empty_list_on_404() {
    let r = registry();
    let s = compile(
        &scenario(
            "getOrders",
            vec![spel("id", "#input.id")],
            "#out.![#this.total]",
        ),
        &r,
    )
    .expect("compiles");
    assert_eq!(run(&s, json!({"id": 1})), Ok(json!([12.5, 3])));
    assert_eq!(run(&s, json!({"id": 2})), Ok(json!([])));
}

#[test]
fn query_and_header_parameters() {
    let r = registry();
    let s = compile(
        &scenario(
            "search",
            vec![
                spel("q", "#input.name"),
                spel("tag", "{'a b', 'c'}"),
                spel("X-Trace", "'t-1'"),
            ],
            "#out.query + '|' + #out.trace",
        ),
        &r,
    )
    .expect("compiles");
    assert_eq!(
        run(&s, json!({"name": "Ann & co"})),
        Ok(json!("q=Ann+%26+co&tag=a+b&tag=c|t-1"))
    );
    // Null parameters are left out; a missing header is not sent.
    let s = compile(
        &scenario(
            "search",
            vec![spel("q", "null")],
            "#out.query + '|' + #out.trace",
        ),
        &r,
    )
    .expect("compiles");
    assert_eq!(run(&s, json!({})), Ok(json!("|none")));
}

#[test]
fn body_properties_make_the_json_body() {
    let r = registry();
    let s = compile(
        &scenario(
            "postOrder",
            vec![
                spel("customerId", "#input.id"),
                spel("items", "{{sku: 'x'}}"),
            ],
            "#out",
        ),
        &r,
    )
    .expect("compiles");
    assert_eq!(
        run(&s, json!({"id": 3})),
        Ok(
            json!({"body": {"customerId": 3, "items": [{"sku": "x"}], "note": null},
            "contentType": "application/json"})
        )
    );
}

#[test]
fn a_failing_service_and_a_slow_one_fail_the_node_naming_the_operation() {
    let (r, _) = registry_with(json!({"httpClientConfig": {"timeout": "300ms"}}));
    let s = compile(
        &scenario("getCustomer", vec![spel("id", "#input.id")], "#out"),
        &r,
    )
    .expect("compiles");
    let e = run(&s, json!({"id": 500})).expect_err("500");
    assert_eq!(
        e,
        ["Failed to invoke getCustomer: the service answered status 500"]
    );
    let started = std::time::Instant::now();
    let e = run(&s, json!({"id": 7})).expect_err("timeout");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(
        e[0].starts_with("Failed to invoke getCustomer:") && e[0].contains("timed out"),
        "{e:?}"
    );
    // Other codes can count as empty.
    let (r, _) = registry_with(json!({"codesToInterpretAsEmpty": [409]}));
    let s = compile(
        &scenario("getCustomer", vec![spel("id", "#input.id")], "#out"),
        &r,
    )
    .expect("compiles");
    assert_eq!(run(&s, json!({"id": 409})), Ok(json!(null)));
    assert!(
        run(&s, json!({"id": 404})).is_err(),
        "404 is no longer empty"
    );
}

#[test]
fn an_api_key_is_sent_as_the_scheme_says() {
    let r = registry();
    let s = compile(&scenario("getSecure", vec![], "#out.ok"), &r).expect("compiles");
    assert_eq!(run(&s, json!({})), Ok(json!(true)));
    let (r, _) = registry_with(json!({"secret": {"type": "apiKey", "apiKeyValue": "wrong"}}));
    let s = compile(&scenario("getSecure", vec![], "#out.ok"), &r).expect("compiles");
    assert_eq!(
        run(&s, json!({})),
        Err(vec![
            "Failed to invoke getSecure: the service answered status 401".to_string()
        ])
    );
}

#[test]
fn test_runs_do_not_call_the_service_and_report_the_request() {
    let r = registry();
    let s = compile(
        &scenario("getCustomer", vec![spel("id", "#input.id")], "#out == null"),
        &r,
    )
    .expect("compiles");
    let before = CALLS.load(Ordering::Relaxed);
    let v = s.source().decode(json!({"id": 42})).expect("input");
    let result = futures::executor::block_on(s.graph().run(v, true, None));
    assert!(result.errors.is_empty(), "{:?}", result.errors);
    assert_eq!(
        CALLS.load(Ordering::Relaxed),
        before,
        "no call in a test run"
    );
    // The report says what the call would have sent.
    assert_eq!(result.skipped_calls.len(), 1);
    assert_eq!(&*result.skipped_calls[0].node_id, "e");
    assert_eq!(
        scenic_spel::value::to_json(&result.skipped_calls[0].request),
        json!({"operation": "getCustomer", "method": "GET",
            "url": format!("{}/customers/42", server()), "headers": {}})
    );
    // A real run calls it (the counter can fail).
    assert_eq!(run(&s, json!({"id": 42})), Ok(json!(true)));
    assert_eq!(CALLS.load(Ordering::Relaxed), before + 1);
}

#[test]
fn a_test_run_reports_the_request_with_its_api_key_masked() {
    let r = registry();
    let s = compile(
        &scenario("postOrder", vec![spel("customerId", "5")], "#out"),
        &r,
    )
    .expect("compiles");
    let v = s.source().decode(json!({})).expect("input");
    let result = futures::executor::block_on(s.graph().run(v, true, None));
    assert_eq!(
        scenic_spel::value::to_json(&result.skipped_calls[0].request),
        json!({"operation": "postOrder", "method": "POST", "url": format!("{}/orders", server()),
            "headers": {}, "body": {"customerId": 5, "items": null, "note": null}})
    );
    let s = compile(&scenario("getSecure", vec![], "#out"), &r).expect("compiles");
    let v = s.source().decode(json!({})).expect("input");
    let result = futures::executor::block_on(s.graph().run(v, true, None));
    assert_eq!(
        scenic_spel::value::to_json(&result.skipped_calls[0].request)["headers"],
        json!({"X-API-KEY": "***"})
    );
}

#[test]
fn a_document_that_cannot_be_read_is_named_where_its_components_are_used() {
    let config = ComponentsConfig::from_json(
        Some(
            &json!({"profiles": {"providerType": "openAPI", "url": "http://127.0.0.1:1/doc.json"}}),
        ),
        &|_| None,
    )
    .expect("config");
    let mut registry = Registry::builtin();
    let r = scenic_enrichers::register(&config, &mut registry, std::path::Path::new("."))
        .expect("registers");
    assert!(r.warnings[0].starts_with("components.profiles: OpenAPI service resolution failed: cannot fetch the OpenAPI document http://127.0.0.1:1/doc.json"), "{:?}", r.warnings);
    let errs = compile(&scenario("getProfile", vec![], "#out"), &registry).expect_err("unknown");
    assert!(
        errs[0].message.starts_with("Unknown enricher component 'getProfile' (unavailable: components.profiles: OpenAPI service resolution failed"),
        "{errs:?}"
    );
}

#[test]
fn a_document_from_a_file_next_to_the_configuration() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let config = ComponentsConfig::from_json(
        Some(
            &json!({"customers": {"providerType": "openAPI", "url": "data/customers.yaml",
            "rootUrl": server()}}),
        ),
        &|_| None,
    )
    .expect("config");
    let mut registry = Registry::builtin();
    scenic_enrichers::register(&config, &mut registry, &dir).expect("registers");
    let s = compile(
        &scenario(
            "getCustomer",
            vec![spel("id", "#input.id")],
            "#out.category",
        ),
        &registry,
    )
    .expect("compiles");
    assert_eq!(run(&s, json!({"id": 1})), Ok(json!("GOLD")));
}
