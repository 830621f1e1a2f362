//! Scenario invocation: body → strict JSON → input schema → interpreter → output schema →
//! response, by the engine's one invocation API (`CompiledScenario::invoke` and its stages) (`nussknacker-lite.md` §2.3–2.6, with the status codes of `decisions.md` §2).
//!
//! Where the work runs (`decisions.md` §10): reading the body stays on the actix I/O thread;
//! the rest runs there too with a short evaluation slice, and an invocation still running at
//! its end moves to the compute pool (`compute.rs`). A body over [`BIG_BODY`], or a scenario
//! that was preempted moments ago, starts on the pool at once. Every stage shares one deadline:
//! the request's timeout, counted from its arrival.

use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::http::header::HeaderName;
use actix_web::http::Method;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use scenic_scenario::interp::{Flow, RunOptions};
use scenic_scenario::InvokeError;

use super::body::read_limited;
use crate::compute::PoolError;
use crate::error::{ApiError, ErrorEntry};
use crate::startup::AppState;
use crate::state::Deployed;

/// Bodies at least this big are decoded and run on the compute pool from the start: parsing
/// and validating them takes long enough to be felt by the I/O thread's other connections.
pub const BIG_BODY: usize = 64 * 1024;

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
    handle(&state, d, &req, payload).await
}

/// Invokes a deployed scenario. Every answer, errors included, names the version that gave it.
pub(crate) async fn handle(
    state: &AppState,
    d: Arc<Deployed>,
    req: &HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let mut response = match invoke(state, &d, req, payload).await {
        Ok(r) => r,
        Err(e) => e.error_response(),
    };
    response
        .headers_mut()
        .insert(VERSION_HEADER, d.version_header.clone());
    Ok(response)
}

const VERSION_HEADER: HeaderName = HeaderName::from_static("scenic-scenario-version");
/// A caller's deadline in milliseconds, as `scenic gateway` passes it on.
const TIMEOUT_HEADER: HeaderName = HeaderName::from_static("scenic-timeout-ms");

/// The request's timeout: the server's, shortened (never lengthened) by a caller's
/// `Scenic-Timeout-Ms`.
fn timeout_of(req: &HttpRequest, limit: Duration) -> Duration {
    req.headers()
        .get(TIMEOUT_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map_or(limit, |ms| limit.min(Duration::from_millis(ms.max(1))))
}

async fn invoke(
    state: &AppState,
    d: &Arc<Deployed>,
    req: &HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    if !state.is_ready() {
        return Err(ApiError::Unavailable("The server is shutting down".into()));
    }
    let timeout = timeout_of(req, state.limits.timeout);
    let started = Instant::now();
    let deadline = started + timeout;
    let body = read_limited(req, payload, state.limits.max_body, timeout).await?;
    let answer = if body.len() >= BIG_BODY || d.recently_preempted() {
        let job = d.clone();
        on_pool(state, d, deadline, async move {
            let d = job;
            let opts = RunOptions {
                deadline: Some(deadline),
                ..RunOptions::default()
            };
            let answer = d.scenario.invoke(&body, &opts).await;
            conclude(&d, answer, started, timeout)
        })
        .await?
    } else {
        // The budget stops evaluation at the deadline; this stops waiting on a service.
        tokio::time::timeout_at(
            tokio::time::Instant::from_std(deadline),
            inline_first(state, d, &body, started, timeout),
        )
        .await
        .map_err(|_| timed_out(d, timeout))??
    };
    let mut response = HttpResponse::Ok();
    response.content_type("application/json");
    if !state.is_ready() {
        // Shutting down: this connection must not stay idle in keep-alive (see `shutdown_when`).
        response.force_close();
    }
    Ok(response.body(answer))
}

/// Runs on the I/O thread for one slice; a run still going at its end continues on the pool.
async fn inline_first(
    state: &AppState,
    d: &Arc<Deployed>,
    body: &[u8],
    started: Instant,
    timeout: Duration,
) -> Result<Vec<u8>, ApiError> {
    let deadline = started + timeout;
    let input = d
        .scenario
        .decode_input(body)
        .map_err(|e| rejected(d, e, timeout))?;
    let graph = d.scenario.graph();
    let opts = RunOptions {
        deadline: Some(deadline),
        slice: Some(state.limits.inline_slice),
        ..RunOptions::default()
    };
    let mut run = graph.begin(graph.context(input), &opts);
    if graph.drive(&mut run, None).await == Flow::Done {
        let answer = d.scenario.encode_response(run.finish());
        return conclude(d, answer, started, timeout);
    }
    d.mark_preempted();
    run.end_slice();
    let job = d.clone();
    on_pool(state, d, deadline, async move {
        let d = job;
        let graph = d.scenario.graph();
        // The slice is over: the run now goes to its end (or its deadline).
        while graph.drive(&mut run, None).await == Flow::Preempted {
            run.end_slice();
        }
        let answer = d.scenario.encode_response(run.finish());
        conclude(&d, answer, started, timeout)
    })
    .await
}

/// Runs `job` (an invocation of `d`) on the compute pool; past the deadline, 504. The job
/// counts its own outcome (see [`conclude`]); what the pool answers instead is counted here.
async fn on_pool(
    state: &AppState,
    d: &Deployed,
    deadline: Instant,
    job: impl std::future::Future<Output = Result<Vec<u8>, ApiError>> + Send + 'static,
) -> Result<Vec<u8>, ApiError> {
    match state.compute.run(deadline, job).await {
        Ok(answer) => answer,
        Err(PoolError::Deadline) => Err(timed_out(d, state.limits.timeout)),
        Err(PoolError::Crashed) => {
            d.metrics.failure.inc();
            Err(ApiError::ScenarioFailed(vec![ErrorEntry::new(
                "The invocation failed unexpectedly; the server logs say more",
                None,
            )]))
        }
    }
}

/// An invocation of `d` stopped waiting at its deadline: a failure of the scenario, 504.
fn timed_out(d: &Deployed, timeout: Duration) -> ApiError {
    d.metrics.failure.inc();
    ApiError::Timeout(timeout.as_secs())
}

/// An input the source refused: counted as rejected, answered 400.
fn rejected(d: &Deployed, e: InvokeError, timeout: Duration) -> ApiError {
    d.metrics.rejected.inc();
    ApiError::from_invoke(e, d.source_id.as_deref(), timeout.as_secs())
}

/// The answer to a finished invocation, its metrics recorded: the response bytes, or its
/// error as the HTTP API answers it.
fn conclude(
    d: &Deployed,
    answer: Result<Vec<u8>, InvokeError>,
    started: Instant,
    timeout: Duration,
) -> Result<Vec<u8>, ApiError> {
    let took = started.elapsed();
    let elapsed = took.as_secs_f64();
    match answer {
        Ok(bytes) => {
            d.metrics.success.inc();
            d.metrics.success_latency.observe(elapsed);
            d.metrics.windows.success.record(took);
            Ok(bytes)
        }
        Err(e) if e.is_rejection() => Err(rejected(d, e, timeout)),
        Err(e) => {
            d.metrics.failure.inc();
            d.metrics.failure_latency.observe(elapsed);
            if let Some(budget) = crate::metrics::exhausted_budget(&e) {
                d.metrics.exhausted.inc_by_label(budget);
            }
            d.metrics.windows.record_failure(&e, took);
            Err(ApiError::from_invoke(
                e,
                d.source_id.as_deref(),
                timeout.as_secs(),
            ))
        }
    }
}

#[cfg(test)]
mod timeout_tests {
    use super::*;

    #[test]
    fn a_callers_deadline_only_shortens_the_timeout() {
        let limit = Duration::from_secs(30);
        let with = |v: &str| {
            let req = actix_web::test::TestRequest::default()
                .insert_header(("Scenic-Timeout-Ms", v))
                .to_http_request();
            timeout_of(&req, limit)
        };
        assert_eq!(with("1500"), Duration::from_millis(1500));
        assert_eq!(with("999999999"), limit);
        assert_eq!(with("soon"), limit);
        assert_eq!(with("0"), Duration::from_millis(1));
        let plain = actix_web::test::TestRequest::default().to_http_request();
        assert_eq!(timeout_of(&plain, limit), limit);
    }
}
