//! Backend health: a backend gets traffic only while it is ready. A prober asks every backend's
//! `/ready` every [`PROBE_EVERY`]; the first 200 makes it ready, and any other answer, or none
//! within [`PROBE_TIMEOUT`], makes it unready at once. Forwarding marks a backend unready too,
//! the moment a connection to it is refused or it answers that it is draining, so that no
//! request waits for the next probe to learn it. A ready backend's OpenAPI document
//! (`/definition`) is fetched once, for its version (`info.version`) and the gateway's merged
//! `/openapi.json`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use serde_json::Value as Json;

/// How often every backend is probed.
pub const PROBE_EVERY: Duration = Duration::from_millis(250);
/// How long a probe may take.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(1);
/// Largest OpenAPI document read from a backend.
const MAX_DOCUMENT_BYTES: usize = 8 * 1024 * 1024;

/// One backend's health, shared by every table that routes to its URL.
#[derive(Debug)]
pub struct BackendState {
    pub url: Arc<str>,
    ready: AtomicBool,
    /// The version its document names (`info.version` is `1.0.0+<version>`).
    version: Mutex<Option<Arc<str>>>,
    document: Mutex<Option<Arc<Json>>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A poisoned lock only means a panic elsewhere mid-update: the value is still usable.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl BackendState {
    fn new(url: Arc<str>) -> BackendState {
        BackendState {
            url,
            ready: AtomicBool::new(false),
            version: Mutex::new(None),
            document: Mutex::new(None),
        }
    }

    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Relaxed)
    }

    pub fn set_ready(&self, ready: bool) {
        let was = self.ready.swap(ready, Ordering::Relaxed);
        if was != ready {
            tracing::info!(
                backend = %self.url,
                "backend {}",
                if ready { "ready" } else { "not ready" }
            );
        }
    }

    pub fn version(&self) -> Option<Arc<str>> {
        lock(&self.version).clone()
    }

    pub fn document(&self) -> Option<Arc<Json>> {
        lock(&self.document).clone()
    }

    /// An answer named another version than the one known (the backend was redeployed at
    /// the same URL): the version is taken from the answer, and the document fetched again.
    pub fn saw_version(&self, version: &str) {
        let mut v = lock(&self.version);
        if v.as_deref() != Some(version) {
            *v = Some(version.into());
            *lock(&self.document) = None;
        }
    }

    fn learn(&self, document: Json) {
        let version = document["info"]["version"]
            .as_str()
            .map(|v| v.split_once('+').map_or(v, |(_, hash)| hash).to_string());
        if let Some(v) = version {
            *lock(&self.version) = Some(v.into());
        }
        *lock(&self.document) = Some(Arc::new(document));
    }
}

/// Every backend the current tables route to, by URL. The tables hold the states; a state
/// no table holds is dropped, and the prober forgets it.
#[derive(Debug, Default)]
pub struct Backends {
    known: Mutex<HashMap<Arc<str>, Weak<BackendState>>>,
}

impl Backends {
    /// The state of `url`, shared with every table that routes to it.
    pub fn get_or_add(&self, url: &Arc<str>) -> Arc<BackendState> {
        let mut known = lock(&self.known);
        if let Some(s) = known.get(url).and_then(Weak::upgrade) {
            return s;
        }
        let s = Arc::new(BackendState::new(url.clone()));
        known.insert(url.clone(), Arc::downgrade(&s));
        s
    }

    /// The states still routed to (forgetting the others).
    pub fn live(&self) -> Vec<Arc<BackendState>> {
        let mut known = lock(&self.known);
        known.retain(|_, w| w.strong_count() > 0);
        known.values().filter_map(Weak::upgrade).collect()
    }
}

/// Probes `backend` once: its readiness, and its document when it is ready and the document
/// is not known yet.
pub async fn probe(client: &awc::Client, backend: &BackendState) {
    let ready = match client
        .get(format!("{}/ready", backend.url))
        .timeout(PROBE_TIMEOUT)
        .send()
        .await
    {
        Ok(mut r) => {
            // Drain the small body so the connection can be reused.
            let _ = r.body().limit(64 * 1024).await;
            r.status().is_success()
        }
        Err(_) => false,
    };
    if ready && backend.document().is_none() {
        match fetch_document(client, &backend.url).await {
            Ok(doc) => backend.learn(doc),
            Err(e) => {
                tracing::warn!(backend = %backend.url, "cannot read the backend's /definition: {e}");
                // Without its version a pinned request cannot find it; it still takes its
                // weighted share.
            }
        }
    }
    backend.set_ready(ready);
}

async fn fetch_document(client: &awc::Client, url: &str) -> Result<Json, String> {
    let mut r = client
        .get(format!("{url}/definition"))
        .timeout(PROBE_TIMEOUT)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !r.status().is_success() {
        return Err(format!("status {}", r.status()));
    }
    let body = r
        .body()
        .limit(MAX_DOCUMENT_BYTES)
        .await
        .map_err(|e| e.to_string())?;
    serde_json::from_slice(&body).map_err(|e| format!("not JSON: {e}"))
}

/// Probes every live backend every [`PROBE_EVERY`], until the process ends.
pub async fn prober(backends: Arc<Backends>) {
    let client = awc::Client::builder().disable_redirects().finish();
    loop {
        let live = backends.live();
        futures::future::join_all(live.iter().map(|b| probe(&client, b))).await;
        actix_web::rt::time::sleep(PROBE_EVERY).await;
    }
}
