//! The routing table: for each scenario slug, its backends (one per deployed version) with
//! their weights. A table is immutable; a change of the routes builds a new one, and the
//! backends' health (`health.rs`) carries over by URL.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use serde::Deserialize;

use super::health::{BackendState, Backends};

/// Most backends of one scenario: versions side by side are a handful, not hundreds.
pub const MAX_BACKENDS: usize = 64;
/// Largest weight: weights are relative shares, and large ones only risk overflow.
pub const MAX_WEIGHT: u32 = 1_000_000;
/// Largest routes file.
pub const MAX_ROUTES_BYTES: usize = 1024 * 1024;

/// The routes file: `{"routes": {"<slug>": [{"url": "http://…", "weight": 90}, …]}}`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RoutesFile {
    pub routes: BTreeMap<String, Vec<BackendSpec>>,
}

/// One backend of a scenario: a single-scenario runtime (`scenic run`) at `url`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BackendSpec {
    /// Base URL of the runtime (`http://host:port`); the scenario is its `POST /`.
    pub url: String,
    /// Relative share of the scenario's traffic (default 1); 0 takes none, but a request pinned
    /// to this backend's version still reaches it.
    #[serde(default = "one")]
    pub weight: u32,
    /// The version it serves, if known in advance; otherwise the gateway reads it from the
    /// backend's `/definition` (`info.version`).
    #[serde(default)]
    pub version: Option<String>,
}

fn one() -> u32 {
    1
}

/// What is wrong with a routes file, at a JSON pointer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{pointer}: {message}")]
pub struct RoutesError {
    pub pointer: String,
    pub message: String,
}

fn error(pointer: impl Into<String>, message: impl Into<String>) -> RoutesError {
    RoutesError {
        pointer: pointer.into(),
        message: message.into(),
    }
}

/// A slug as `/scenario/{slug}` takes it: one path segment of unreserved characters.
fn valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 253
        && slug
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// Parses and checks a routes file; every problem is reported, each at its JSON pointer.
pub fn parse(text: &str) -> Result<RoutesFile, Vec<RoutesError>> {
    if text.len() > MAX_ROUTES_BYTES {
        return Err(vec![error(
            "",
            format!("the routes file is larger than {MAX_ROUTES_BYTES} bytes"),
        )]);
    }
    let file: RoutesFile = serde_json::from_str(text).map_err(|e| {
        vec![error(
            "",
            format!(
                "{e} (expected {{\"routes\": {{\"<slug>\": [{{\"url\": …, \"weight\": …}}]}}}})"
            ),
        )]
    })?;
    let mut errors = Vec::new();
    for (slug, backends) in &file.routes {
        let at = format!("/routes/{}", slug.replace('~', "~0").replace('/', "~1"));
        if !valid_slug(slug) {
            errors.push(error(
                &at,
                "a slug is one path segment of letters, digits, '-', '.', '_' or '~'",
            ));
        }
        if backends.len() > MAX_BACKENDS {
            errors.push(error(
                &at,
                format!("{} backends; at most {MAX_BACKENDS}", backends.len()),
            ));
        }
        for (i, b) in backends.iter().enumerate() {
            let at = format!("{at}/{i}");
            match check_url(&b.url) {
                Ok(()) => {}
                Err(m) => errors.push(error(format!("{at}/url"), m)),
            }
            if b.weight > MAX_WEIGHT {
                errors.push(error(
                    format!("{at}/weight"),
                    format!("{} is over the largest weight, {MAX_WEIGHT}", b.weight),
                ));
            }
            if b.version.as_deref().is_some_and(str::is_empty) {
                errors.push(error(format!("{at}/version"), "an empty version"));
            }
        }
    }
    if errors.is_empty() {
        Ok(file)
    } else {
        Err(errors)
    }
}

/// An `http://host[:port][/prefix]` URL without query or fragment.
fn check_url(url: &str) -> Result<(), String> {
    let uri: actix_web::http::Uri = url
        .parse()
        .map_err(|e| format!("'{url}' is not a URL: {e}"))?;
    if uri.scheme_str() != Some("http") {
        return Err(format!(
            "'{url}': backends are plain http:// URLs (TLS ends at the gateway or the mesh)"
        ));
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err(format!("'{url}' has no host"));
    }
    if uri.query().is_some() || url.contains('#') {
        return Err(format!("'{url}': a base URL has no query or fragment"));
    }
    Ok(())
}

/// One backend in a table: its spec and its shared health.
#[derive(Debug, Clone)]
pub struct Backend {
    /// The base URL without a trailing `/`.
    pub url: Arc<str>,
    pub weight: u32,
    /// The configured version; the learned one is in `state`.
    pub configured_version: Option<Arc<str>>,
    pub state: Arc<BackendState>,
}

impl Backend {
    /// The version this backend serves: configured, or learned from its document.
    pub fn version(&self) -> Option<Arc<str>> {
        self.configured_version
            .clone()
            .or_else(|| self.state.version())
    }
}

/// A scenario's backends and the state of its weighted round robin.
#[derive(Debug)]
pub struct Route {
    pub backends: Vec<Backend>,
    /// Smooth weighted round robin's current weights, by backend (nginx's algorithm: exact
    /// shares over every sum-of-weights requests, interleaved).
    current: Mutex<Vec<i64>>,
}

impl Route {
    fn new(backends: Vec<Backend>) -> Route {
        let n = backends.len();
        Route {
            backends,
            current: Mutex::new(vec![0; n]),
        }
    }

    /// The backend for the next request: with `pin`, any ready backend serving that version
    /// (its weight does not matter); otherwise a ready backend of weight > 0 by smooth weighted
    /// round robin. `skip` holds backends already tried for this request.
    pub fn pick(&self, pin: Option<&str>, skip: &[usize]) -> Option<usize> {
        let eligible = |i: usize, b: &Backend| {
            !skip.contains(&i)
                && b.state.is_ready()
                && match pin {
                    Some(v) => b.version().as_deref() == Some(v),
                    None => b.weight > 0,
                }
        };
        // A poisoned lock only means a panic mid-update elsewhere; the weights stay usable.
        let mut current = self.current.lock().unwrap_or_else(|p| p.into_inner());
        let mut total: i64 = 0;
        let mut best: Option<usize> = None;
        for (i, b) in self.backends.iter().enumerate() {
            if !eligible(i, b) {
                continue;
            }
            // A pinned request shares the pinned backends equally.
            let w = if pin.is_some() {
                1
            } else {
                i64::from(b.weight)
            };
            current[i] += w;
            total += w;
            if best.is_none_or(|j| current[i] > current[j]) {
                best = Some(i);
            }
        }
        if let Some(i) = best {
            current[i] -= total;
        }
        best
    }
}

/// Every scenario's route.
#[derive(Debug, Default)]
pub struct RouteTable {
    pub routes: BTreeMap<String, Route>,
}

impl RouteTable {
    /// The table of a routes file, with the backends' health taken from (or added to)
    /// `backends`.
    pub fn build(file: &RoutesFile, backends: &Backends) -> RouteTable {
        let routes = file
            .routes
            .iter()
            .map(|(slug, specs)| {
                let list = specs
                    .iter()
                    .map(|s| {
                        let url: Arc<str> = s.url.trim_end_matches('/').into();
                        Backend {
                            state: backends.get_or_add(&url),
                            url,
                            weight: s.weight,
                            configured_version: s.version.as_deref().map(Arc::from),
                        }
                    })
                    .collect();
                (slug.clone(), Route::new(list))
            })
            .collect();
        RouteTable { routes }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> RouteTable {
        let file = parse(text).expect("valid");
        let backends = Backends::default();
        let t = RouteTable::build(&file, &backends);
        for r in t.routes.values() {
            for b in &r.backends {
                b.state.set_ready(true);
            }
        }
        t
    }

    #[test]
    fn weights_split_exactly_and_weight_zero_gets_nothing() {
        let t = table(
            r#"{"routes": {"loan": [{"url": "http://127.0.0.1:9001", "weight": 90},
                {"url": "http://127.0.0.1:9002/", "weight": 10},
                {"url": "http://127.0.0.1:9003", "weight": 0}]}}"#,
        );
        let r = &t.routes["loan"];
        let mut hits = [0; 3];
        for _ in 0..1000 {
            hits[r.pick(None, &[]).expect("a backend")] += 1;
        }
        assert_eq!(hits, [900, 100, 0]);
        assert_eq!(&*r.backends[1].url, "http://127.0.0.1:9002");
    }

    #[test]
    fn unready_and_tried_backends_are_skipped() {
        let t = table(
            r#"{"routes": {"s": [{"url": "http://a", "weight": 1}, {"url": "http://b", "weight": 1}]}}"#,
        );
        let r = &t.routes["s"];
        r.backends[0].state.set_ready(false);
        for _ in 0..10 {
            assert_eq!(r.pick(None, &[]), Some(1));
        }
        assert_eq!(r.pick(None, &[1]), None);
    }

    #[test]
    fn a_pin_picks_its_version_whatever_the_weight() {
        let t = table(
            r#"{"routes": {"s": [{"url": "http://a", "weight": 100, "version": "v1"},
                {"url": "http://b", "weight": 0, "version": "v2"}]}}"#,
        );
        let r = &t.routes["s"];
        for _ in 0..5 {
            assert_eq!(r.pick(Some("v2"), &[]), Some(1));
        }
        assert_eq!(r.pick(Some("v3"), &[]), None);
    }

    #[test]
    fn bad_routes_are_reported_at_their_pointers() {
        let errors = parse(
            r#"{"routes": {"a/b": [{"url": "https://x", "weight": 2000000}], "ok": [{"url": "nope"}]}}"#,
        )
        .expect_err("invalid");
        let at: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(
            at,
            [
                "/routes/a~1b",
                "/routes/a~1b/0/url",
                "/routes/a~1b/0/weight",
                "/routes/ok/0/url"
            ],
            "{errors:?}"
        );
        let e = parse(r#"{"routez": {}}"#).expect_err("unknown key");
        assert!(e[0].message.contains("routez"), "{e:?}");
    }
}
