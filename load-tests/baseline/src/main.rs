//! The HTTP benchmark's baseline: parses the same JSON body as `load-tests/http-bench.json`,
//! checks the same input schema by hand, makes the same decision and answers the same JSON.
//!
//! `scenic-baseline [PORT] [WORKERS]` (defaults 8081 and 1).

use actix_web::{web, App, HttpResponse, HttpServer};
use serde_json::{json, Value};

async fn decide(body: web::Bytes) -> HttpResponse {
    let input: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            return HttpResponse::BadRequest()
                .json(json!([{"message": e.to_string(), "nodeId": "request"}]))
        }
    };
    let (Some(amount), Some(city)) = (
        input.get("amount").and_then(Value::as_i64),
        input.get("city").and_then(Value::as_str),
    ) else {
        return HttpResponse::BadRequest().json(json!([{"message": "amount (integer) and city (string) are required", "nodeId": "request"}]));
    };
    let approved = amount > 30 && city == "Warszawa";
    HttpResponse::Ok().json(json!({"approved": approved, "city": city}))
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let port: u16 = args.next().and_then(|a| a.parse().ok()).unwrap_or(8081);
    let workers: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    actix_web::rt::System::new().block_on(async move {
        HttpServer::new(|| App::new().route("/", web::post().to(decide)))
            .workers(workers)
            .bind(("127.0.0.1", port))?
            .run()
            .await
    })
}
