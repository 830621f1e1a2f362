//! Forwarding one scenario request to a backend, and the only retries that are safe: a request
//! is sent again, to another backend, only when it provably never reached a scenario (the
//! connection was refused, or the backend answered 503 with `Scenic-Unprocessed`, which a
//! draining runtime sets before reading the body), and only within the retry budget. The
//! client's deadline (`Scenic-Timeout-Ms`, else the gateway's `--timeout`) covers every
//! attempt, and the time left is passed on to the backend in the same header.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use futures::StreamExt;

use super::error::GatewayError;
use super::Gateway;

/// The request header pinning a version, and the response header naming the one that served.
pub const VERSION_HEADER: &str = "scenic-scenario-version";
/// The client's deadline in milliseconds; passed on with the time left.
pub const TIMEOUT_HEADER: &str = "scenic-timeout-ms";
/// Set by a runtime on a 503 it answered without processing the request (it is draining).
pub const UNPROCESSED_HEADER: &str = "scenic-unprocessed";
/// Attempts of one request at most: the first and two retries.
const MAX_ATTEMPTS: usize = 3;

/// Hop-by-hop headers (RFC 9110 §7.6.1), which a proxy does not pass on, and `Host`, which
/// names the backend.
fn hop_by_hop(name: &HeaderName) -> bool {
    matches!(
        name.as_str(),
        "connection"
            | "keep-alive"
            | "proxy-authenticate"
            | "proxy-authorization"
            | "proxy-connection"
            | "te"
            | "trailer"
            | "transfer-encoding"
            | "upgrade"
            | "host"
            | "content-length"
    )
}

/// Retries allowed over a 10 s window: 20 % of the requests plus 10 per second (Linkerd's
/// defaults), so that a failing fleet is not sent a multiple of its load.
#[derive(Debug)]
pub struct RetryBudget {
    window: Mutex<(Instant, u64, u64)>,
}

const BUDGET_WINDOW: Duration = Duration::from_secs(10);

impl Default for RetryBudget {
    fn default() -> Self {
        RetryBudget {
            window: Mutex::new((Instant::now(), 0, 0)),
        }
    }
}

impl RetryBudget {
    fn with<T>(&self, f: impl FnOnce(&mut u64, &mut u64) -> T) -> T {
        let mut w = self.window.lock().unwrap_or_else(|p| p.into_inner());
        if w.0.elapsed() > BUDGET_WINDOW {
            *w = (Instant::now(), 0, 0);
        }
        let (_, requests, retries) = &mut *w;
        f(requests, retries)
    }

    pub fn request(&self) {
        self.with(|requests, _| *requests += 1);
    }

    /// Takes one retry from the budget, if there is one left.
    pub fn try_retry(&self) -> bool {
        self.with(|requests, retries| {
            let allowed = 10 * BUDGET_WINDOW.as_secs() + *requests / 5;
            if *retries < allowed {
                *retries += 1;
                true
            } else {
                false
            }
        })
    }
}

/// The deadline of a request: the client's `Scenic-Timeout-Ms` when it is shorter than the
/// gateway's timeout.
fn deadline(headers: &HeaderMap, timeout: Duration, started: Instant) -> Instant {
    let asked = headers
        .get(TIMEOUT_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_millis);
    started + asked.map_or(timeout, |a| a.min(timeout))
}

/// Reads the body up to `limit` bytes (the gateway buffers it, so that a request that never
/// reached a backend can be sent to another).
async fn read_body(mut payload: web::Payload, limit: usize) -> Result<web::Bytes, GatewayError> {
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| GatewayError::BadBody(e.to_string()))?;
        if body.len() + chunk.len() > limit {
            return Err(GatewayError::TooLarge(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// `/scenario/{slug}[/{rest}]` → the backend's `/{rest}`; every answer counted.
pub async fn scenario(
    req: HttpRequest,
    payload: web::Payload,
    gateway: web::Data<Gateway>,
    client: web::Data<awc::Client>,
) -> Result<HttpResponse, GatewayError> {
    let answer = forward(&req, payload, &gateway, &client).await;
    if let Err(e) = &answer {
        let slug = match e {
            // Not routed: no series per random path.
            GatewayError::NotRouted(_) => "",
            _ => slug_of(req.path()).0,
        };
        gateway.metrics.answered(slug, "", e.status_code());
    }
    answer
}

/// The slug and the rest of a `/scenario/{slug}[/{rest}]` path.
fn slug_of(path: &str) -> (&str, &str) {
    let rest = path.strip_prefix("/scenario/").unwrap_or_default();
    rest.split_once('/').unwrap_or((rest, ""))
}

async fn forward(
    req: &HttpRequest,
    payload: web::Payload,
    gateway: &Gateway,
    client: &awc::Client,
) -> Result<HttpResponse, GatewayError> {
    let started = Instant::now();
    let (slug, tail) = slug_of(req.path());
    let table = gateway.table();
    let Some(route) = table.routes.get(slug) else {
        return Err(GatewayError::NotRouted(slug.to_string()));
    };
    // A scenario's pages are below it: no `..` climbs out to the backend's other routes.
    if tail
        .split('/')
        .any(|seg| seg == ".." || seg.eq_ignore_ascii_case("%2e%2e"))
    {
        return Err(GatewayError::NoSuchPage);
    }
    let body = read_body(payload, gateway.max_body).await?;
    let pin = req
        .headers()
        .get(VERSION_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty());
    let deadline = deadline(req.headers(), gateway.timeout, started);
    let target = match req.uri().query() {
        Some(q) => format!("/{tail}?{q}"),
        None => format!("/{tail}"),
    };
    gateway.budget.request();
    let mut tried: Vec<usize> = Vec::with_capacity(MAX_ATTEMPTS);
    let mut last_refusal: Option<String> = None;
    for attempt in 0..MAX_ATTEMPTS {
        let Some(i) = route.pick(pin, &tried) else {
            break;
        };
        if attempt > 0 && !gateway.budget.try_retry() {
            break;
        }
        tried.push(i);
        let backend = &route.backends[i];
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(GatewayError::Deadline(
                "The deadline passed before a backend could be tried".into(),
            ));
        }
        let mut upstream = client
            .request(req.method().clone(), format!("{}{target}", backend.url))
            .timeout(left);
        for (name, value) in req.headers() {
            if !hop_by_hop(name) && name.as_str() != TIMEOUT_HEADER {
                upstream = upstream.append_header((name.clone(), value.clone()));
            }
        }
        upstream = upstream.insert_header((TIMEOUT_HEADER, left.as_millis().max(1).to_string()));
        if let Some(peer) = req.peer_addr() {
            // Appended to what earlier proxies said, as X-Forwarded-For is.
            let chain = match req
                .headers()
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
            {
                Some(earlier) => format!("{earlier}, {}", peer.ip()),
                None => peer.ip().to_string(),
            };
            upstream = upstream.insert_header(("x-forwarded-for", chain));
        }
        if let Some(host) = req.headers().get("host") {
            upstream = upstream.insert_header(("x-forwarded-host", host.clone()));
        }
        let sent = Instant::now();
        match upstream.send_body(body.clone()).await {
            Ok(resp)
                if resp.status().as_u16() == 503
                    && resp.headers().contains_key(UNPROCESSED_HEADER) =>
            {
                // Draining: it did not process the request; no new ones until it is ready.
                backend.state.set_ready(false);
                gateway.metrics.retry("draining");
                last_refusal = Some(format!("{} is draining", backend.url));
            }
            Ok(resp) => {
                let version = resp
                    .headers()
                    .get(VERSION_HEADER)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                if let Some(v) = &version {
                    if backend.configured_version.is_none() {
                        backend.state.saw_version(v);
                    }
                }
                gateway.metrics.upstream(slug, sent.elapsed());
                gateway.metrics.answered(
                    slug,
                    version.as_deref().unwrap_or_default(),
                    resp.status(),
                );
                let left = deadline.saturating_duration_since(Instant::now());
                return pass_on(resp, attempt, left).await;
            }
            Err(awc::error::SendRequestError::Connect(e)) => {
                // Refused or unreachable: the request never left; another backend may take it.
                backend.state.set_ready(false);
                gateway.metrics.retry("connect");
                last_refusal = Some(format!("cannot connect to {}: {e}", backend.url));
            }
            Err(awc::error::SendRequestError::Timeout) => {
                return Err(GatewayError::Deadline(format!(
                    "{} did not answer within the deadline ({} ms)",
                    backend.url,
                    left.as_millis()
                )));
            }
            Err(e) => {
                // It may have reached the scenario: never sent again.
                return Err(GatewayError::Upstream(format!(
                    "{} failed to answer: {e}",
                    backend.url
                )));
            }
        }
    }
    Err(GatewayError::NoBackend {
        slug: slug.to_string(),
        pin: pin.map(str::to_string),
        refusal: last_refusal,
    })
}

/// Largest backend answer passed on (the Swagger UI's files are the largest, at about 1.5 MB).
const MAX_ANSWER_BYTES: usize = 16 * 1024 * 1024;

/// The backend's answer as the gateway's: status, end-to-end headers and the body.
async fn pass_on<S>(
    resp: awc::ClientResponse<S>,
    attempt: usize,
    left: Duration,
) -> Result<HttpResponse, GatewayError>
where
    S: futures::Stream<Item = Result<web::Bytes, awc::error::PayloadError>> + Unpin,
{
    let mut resp = resp.timeout(left);
    let body: web::Bytes = resp.body().limit(MAX_ANSWER_BYTES).await.map_err(|e| {
        GatewayError::Upstream(format!("the backend's answer could not be read: {e}"))
    })?;
    let mut out = HttpResponse::build(resp.status());
    for (name, value) in resp.headers() {
        if !hop_by_hop(name) {
            out.append_header((name.clone(), value.clone()));
        }
    }
    if attempt > 0 {
        out.insert_header((
            "scenic-gateway-attempts",
            HeaderValue::from(attempt as u64 + 1),
        ));
    }
    Ok(out.body(body))
}
