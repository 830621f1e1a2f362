//! The gateway's `/openapi.json`: the documents of the live versions, merged. Each scenario is
//! listed at `/scenario/{slug}` with the document of its ready version of the largest weight
//! (what most requests get); the path item's `x-scenic-versions` lists every version the
//! gateway routes to, with its weight and readiness.

use actix_web::{web, HttpResponse};
use serde_json::json;

use super::Gateway;

pub async fn openapi(gateway: web::Data<Gateway>) -> HttpResponse {
    let table = gateway.table();
    let mut parts = Vec::new();
    let mut listed = Vec::new();
    for (slug, route) in &table.routes {
        let mut best: Option<(u32, std::sync::Arc<serde_json::Value>)> = None;
        for b in &route.backends {
            if !b.state.is_ready() {
                continue;
            }
            if let Some(doc) = b.state.document() {
                if best.as_ref().is_none_or(|(w, _)| b.weight > *w) {
                    best = Some((b.weight, doc));
                }
            }
        }
        let Some((_, doc)) = best else {
            continue;
        };
        parts.push((slug.clone(), (*doc).clone()));
        let versions: Vec<serde_json::Value> = route
            .backends
            .iter()
            .map(|b| {
                json!({"version": b.version().as_deref(), "weight": b.weight,
                    "ready": b.state.is_ready()})
            })
            .collect();
        listed.push((slug.clone(), versions));
    }
    // The merged document's version changes with any routed slug's version.
    let mut key = String::new();
    for (slug, versions) in &listed {
        key.push_str(slug);
        for v in versions {
            key.push(' ');
            key.push_str(v["version"].as_str().unwrap_or("?"));
        }
        key.push('\n');
    }
    // FNV-1a: a short fingerprint, the same on every gateway for the same routes.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in key.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let version = scenic_openapi::document_version(&format!("{hash:016x}"));
    let mut doc = scenic_openapi::merge_documents("Scenic scenarios", &version, &parts);
    scenic_openapi::set_servers(&mut doc, &gateway.servers);
    for (slug, versions) in listed {
        if let Some(item) = doc["paths"].get_mut(format!("/scenario/{slug}")) {
            item["x-scenic-versions"] = json!(versions);
        }
    }
    HttpResponse::Ok()
        .content_type("application/json")
        .body(doc.to_string())
}
