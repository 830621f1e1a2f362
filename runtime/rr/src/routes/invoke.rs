//! Scenario invocation: body → strict JSON → input schema → interpreter → output schema →
//! response (`nussknacker-lite.md` §2.3–2.6, with the status codes of `decisions.md` §2).

use std::sync::Arc;
use std::time::Instant;

use actix_web::http::header::HeaderName;
use actix_web::http::Method;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use futures::StreamExt;

use crate::error::{ApiError, ErrorEntry};
use crate::startup::AppState;
use crate::state::Deployed;
use scenic_scenario::schema::Violation;

/// `POST /` of the single-scenario runtime.
pub async fn single(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    if req.method() != Method::POST {
        return Err(ApiError::MethodNotAllowed("POST"));
    }
    let d = state.resolve(None)?;
    handle(&state, d, payload).await
}

async fn read_limited(mut payload: web::Payload, limit: usize) -> Result<Vec<u8>, ApiError> {
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| {
            ApiError::MalformedJson(ErrorEntry::new(
                format!("Could not read the request body: {e}"),
                None,
            ))
        })?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::TooLarge(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Invokes a deployed scenario. Every answer, errors included, names the version that gave it.
pub(crate) async fn handle(
    state: &AppState,
    d: Arc<Deployed>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let mut response = match invoke(state, &d, payload).await {
        Ok(r) => r,
        Err(e) => e.error_response(),
    };
    response
        .headers_mut()
        .insert(VERSION_HEADER, d.version_header.clone());
    Ok(response)
}

const VERSION_HEADER: HeaderName = HeaderName::from_static("scenic-scenario-version");

async fn invoke(
    state: &AppState,
    d: &Deployed,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    if !state.is_ready() {
        return Err(ApiError::Unavailable("The server is shutting down".into()));
    }
    let scenario = &d.scenario;
    let source_id = scenario
        .graph
        .nodes
        .get(scenario.graph.start)
        .map(|n| n.id.to_string());
    let body = read_limited(payload, state.limits.max_body).await?;
    // serde_json is strict and stops at 128 levels of nesting.
    let json: serde_json::Value = serde_json::from_slice(&body).map_err(|e| {
        d.metrics.rejected.inc();
        let mut entry = ErrorEntry::new(
            format!(
                "Malformed JSON at line {} column {}: {e}",
                e.line(),
                e.column()
            ),
            source_id.as_deref(),
        );
        entry.path = None;
        ApiError::MalformedJson(entry)
    })?;
    let input = scenario.source().decode(json).map_err(|violations| {
        d.metrics.rejected.inc();
        ApiError::InvalidInput(
            violations
                .into_iter()
                .map(|v| ErrorEntry {
                    message: v.located(),
                    node_id: source_id.clone(),
                    path: Some(v.pointer),
                })
                .collect(),
        )
    })?;
    let started = Instant::now();
    let run = match tokio::time::timeout(state.limits.timeout, scenario.run(input)).await {
        Ok(r) => r,
        Err(_) => {
            d.metrics.failure.inc();
            return Err(ApiError::Timeout(state.limits.timeout.as_secs()));
        }
    };
    let elapsed = started.elapsed().as_secs_f64();
    if !run.errors.is_empty() {
        d.metrics.failure.inc();
        d.metrics.failure_latency.observe(elapsed);
        return Err(ApiError::ScenarioFailed(
            run.errors
                .iter()
                .map(|e| ErrorEntry::new(e.message.clone(), Some(&e.node_id)))
                .collect(),
        ));
    }
    let Some(first) = run.outputs.first() else {
        d.metrics.failure.inc();
        d.metrics.failure_latency.observe(elapsed);
        return Err(ApiError::ScenarioFailed(vec![ErrorEntry::new(
            "Scenario did not return any result",
            source_id.as_deref(),
        )]));
    };
    let encoded = match scenario.source().output_schema() {
        Some(schema) => schema.encode_output(&first.value).map_err(|violations| {
            let message = Violation::describe_all(&violations);
            ApiError::ScenarioFailed(vec![ErrorEntry::new(
                format!("Response does not match the output schema: {message}"),
                source_id.as_deref(),
            )])
        }),
        None => Ok(scenic_spel::value::to_json(&first.value)),
    };
    let encoded = match encoded {
        Ok(j) => j,
        Err(e) => {
            d.metrics.failure.inc();
            d.metrics.failure_latency.observe(elapsed);
            return Err(e);
        }
    };
    d.metrics.success.inc();
    d.metrics.success_latency.observe(elapsed);
    let body = serde_json::to_vec(&encoded).unwrap_or_else(|_| b"null".to_vec());
    let mut response = HttpResponse::Ok();
    response.content_type("application/json");
    if !state.is_ready() {
        // Shutting down: this connection must not stay idle in keep-alive (see `shutdown_when`).
        response.force_close();
    }
    Ok(response.body(body))
}
