//! Routes from Kubernetes (`scenic gateway --kubernetes`): the scenario versions' Services
//! (`scenic.io/slug`, `scenic.io/version`), their EndpointSlices, and the weights that
//! `scenic k8s traffic` writes into the `scenic-gateway-routes` ConfigMap. The gateway routes to
//! the pods themselves: only endpoints that are ready and not terminating, so a pod that starts
//! to shut down gets no new request the moment its slice says so, before kube-proxy would
//! know. [`routes_of`] is the pure part, tested on recorded objects; [`KubernetesSource`]
//! watches the three kinds and publishes a new table on every change.

use std::collections::BTreeMap;
use std::sync::Arc;

use k8s_openapi::api::core::v1::{ConfigMap, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use serde_json::Value as Json;

use super::source::RouteSource;
use super::table::{BackendSpec, RoutesFile};
use super::Gateway;

const LABEL_SLUG: &str = "scenic.io/slug";
const LABEL_VERSION: &str = "scenic.io/version";
const SERVICE_NAME: &str = "kubernetes.io/service-name";
/// Weights are shares of a version; a version's share is split among its ready endpoints, so
/// each endpoint's weight is scaled up to keep the split exact enough.
const SCALE: u64 = 1000;

/// The routes of the cluster's current state: for each slug, the ready endpoints of its
/// versions' Services, weighted by the routes ConfigMap (`routes.json`, as `scenic k8s traffic`
/// writes it: `{"url": "http://<service>", "weight": …, "version": …}` per version). A slug the
/// ConfigMap does not name shares its traffic equally among its versions.
pub fn routes_of(
    services: &[Service],
    slices: &[EndpointSlice],
    routes: Option<&ConfigMap>,
) -> RoutesFile {
    // Weights by slug and Service name.
    let mut weights: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    let configured: Json = routes
        .and_then(|c| c.data.as_ref()?.get("routes.json"))
        .and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or(Json::Null);
    for (slug, entries) in configured["routes"].as_object().into_iter().flatten() {
        for e in entries.as_array().into_iter().flatten() {
            let host = e["url"]
                .as_str()
                .and_then(|u| u.strip_prefix("http://"))
                .map(|h| h.split(['/', ':', '.']).next().unwrap_or(h).to_string());
            if let Some(service) = host {
                weights
                    .entry(slug.clone())
                    .or_default()
                    .insert(service, e["weight"].as_u64().unwrap_or(1));
            }
        }
    }
    let mut out: BTreeMap<String, Vec<BackendSpec>> = BTreeMap::new();
    for svc in services {
        let labels = svc.metadata.labels.clone().unwrap_or_default();
        let (Some(slug), Some(name)) = (labels.get(LABEL_SLUG), svc.metadata.name.as_ref()) else {
            continue;
        };
        let version = labels.get(LABEL_VERSION).cloned();
        let weight = match weights.get(slug) {
            Some(w) => w.get(name).copied().unwrap_or(0),
            None => 1,
        };
        let mut endpoints: Vec<String> = Vec::new();
        for slice in slices
            .iter()
            .filter(|s| s.metadata.labels.as_ref().and_then(|l| l.get(SERVICE_NAME)) == Some(name))
        {
            let port = slice
                .ports
                .as_deref()
                .unwrap_or_default()
                .iter()
                .find(|p| p.name.as_deref() == Some("http"))
                .or_else(|| slice.ports.as_deref().unwrap_or_default().first())
                .and_then(|p| p.port);
            let Some(port) = port else {
                continue;
            };
            for ep in &slice.endpoints {
                let c = ep.conditions.as_ref();
                // Unset `ready` means ready (the API's rule); terminating ones get nothing new.
                let ready = c.and_then(|c| c.ready).unwrap_or(true);
                let terminating = c.and_then(|c| c.terminating).unwrap_or(false);
                if !ready || terminating {
                    continue;
                }
                for address in &ep.addresses {
                    let host = if address.contains(':') {
                        format!("[{address}]")
                    } else {
                        address.clone()
                    };
                    endpoints.push(format!("http://{host}:{port}"));
                }
            }
        }
        endpoints.sort();
        endpoints.dedup();
        let n = endpoints.len() as u64;
        for url in endpoints {
            out.entry(slug.clone()).or_default().push(BackendSpec {
                url,
                weight: u32::try_from(weight.saturating_mul(SCALE) / n.max(1)).unwrap_or(u32::MAX),
                version: version.clone(),
            });
        }
        out.entry(slug.clone()).or_default();
    }
    RoutesFile { routes: out }
}

/// Watches Services and EndpointSlices managed by Scenic and the routes ConfigMap in a
/// namespace, and publishes [`routes_of`] on every change.
pub struct KubernetesSource {
    pub namespace: Option<String>,
}

impl RouteSource for KubernetesSource {
    fn start(self: Box<Self>, gateway: Arc<Gateway>) -> Result<(), String> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the discovery runtime: {e}"))?;
        // Connect first, so that missing credentials are a start-up error.
        let client = rt
            .block_on(kube::Client::try_default())
            .map_err(|e| format!("Kubernetes: {e}"))?;
        let namespace = self
            .namespace
            .unwrap_or_else(|| client.default_namespace().to_string());
        std::thread::Builder::new()
            .name("scenic-discovery".into())
            .spawn(move || rt.block_on(watch(client, namespace, gateway)))
            .map_err(|e| format!("cannot start the discovery: {e}"))?;
        Ok(())
    }
}

/// The three watches, merged; every event rebuilds the table from the stores.
async fn watch(client: kube::Client, namespace: String, gateway: Arc<Gateway>) {
    use futures::StreamExt;
    use kube::runtime::{reflector, watcher, WatchStreamExt};
    let managed = watcher::Config::default().labels("app.kubernetes.io/managed-by=scenic");
    let (services, s_writer) = reflector::store::<Service>();
    let (slices, e_writer) = reflector::store::<EndpointSlice>();
    let (maps, c_writer) = reflector::store::<ConfigMap>();
    let s = reflector(
        s_writer,
        watcher(
            kube::Api::namespaced(client.clone(), &namespace),
            managed.clone(),
        ),
    )
    .default_backoff()
    .map(|_| ());
    // EndpointSlices carry the Service's labels only as `kubernetes.io/service-name`.
    let e = reflector(
        e_writer,
        watcher(
            kube::Api::namespaced(client.clone(), &namespace),
            watcher::Config::default(),
        ),
    )
    .default_backoff()
    .map(|_| ());
    let c = reflector(
        c_writer,
        watcher(
            kube::Api::namespaced(client, &namespace),
            watcher::Config::default().fields(&format!(
                "metadata.name={}",
                scenic_k8s::manager::ROUTES_CONFIG_MAP
            )),
        ),
    )
    .default_backoff()
    .map(|_| ());
    let mut events = std::pin::pin!(futures::stream::select(futures::stream::select(s, e), c));
    tracing::info!("watching Services, EndpointSlices and the routes in {namespace}");
    let mut last: Option<RoutesFile> = None;
    while events.next().await.is_some() {
        let svc: Vec<Service> = services.state().iter().map(|s| (**s).clone()).collect();
        let eps: Vec<EndpointSlice> = slices.state().iter().map(|s| (**s).clone()).collect();
        let cm = maps.state().first().map(|c| (**c).clone());
        let file = routes_of(&svc, &eps, cm.as_ref());
        if last.as_ref() != Some(&file) {
            gateway.publish(&file);
            last = Some(file);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn service(name: &str, slug: &str, version: &str) -> Service {
        serde_json::from_value(json!({"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": name, "labels": {"app.kubernetes.io/managed-by": "scenic",
                "scenic.io/slug": slug, "scenic.io/version": version}},
            "spec": {"ports": [{"name": "http", "port": 80, "targetPort": "http"}]}}))
        .expect("a Service")
    }

    /// An EndpointSlice as the endpoint-slice controller writes it.
    fn slice(service: &str, endpoints: Json) -> EndpointSlice {
        serde_json::from_value(json!({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": {"name": format!("{service}-abcde"), "labels": {"kubernetes.io/service-name": service}},
            "addressType": "IPv4",
            "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}],
            "endpoints": endpoints}))
        .expect("an EndpointSlice")
    }

    fn routes(text: Json) -> ConfigMap {
        serde_json::from_value(json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "scenic-gateway-routes"}, "data": {"routes.json": text.to_string()}}))
        .expect("a ConfigMap")
    }

    fn urls(file: &RoutesFile, slug: &str) -> Vec<(String, u32)> {
        file.routes
            .get(slug)
            .map(|b| b.iter().map(|b| (b.url.clone(), b.weight)).collect())
            .unwrap_or_default()
    }

    #[test]
    fn endpoints_route_only_while_ready_and_not_terminating() {
        let svc = [service("scenic-loan-aaaa", "loan", "aaaa")];
        // Added, not ready yet: no traffic.
        let added = slice(
            "scenic-loan-aaaa",
            json!([{"addresses": ["10.0.0.1"], "conditions": {"ready": false}}]),
        );
        assert_eq!(urls(&routes_of(&svc, &[added], None), "loan"), []);
        // Ready.
        let ready = slice(
            "scenic-loan-aaaa",
            json!([
            {"addresses": ["10.0.0.1"], "conditions": {"ready": true, "serving": true, "terminating": false}},
            {"addresses": ["10.0.0.2"], "conditions": {"ready": true}}]),
        );
        assert_eq!(
            urls(&routes_of(&svc, &[ready], None), "loan"),
            [
                ("http://10.0.0.1:8080".to_string(), 500),
                ("http://10.0.0.2:8080".to_string(), 500)
            ]
        );
        // Terminating (still serving what it has): dropped at once.
        let terminating = slice(
            "scenic-loan-aaaa",
            json!([
            {"addresses": ["10.0.0.1"], "conditions": {"ready": false, "serving": true, "terminating": true}},
            {"addresses": ["10.0.0.2"], "conditions": {"ready": true}}]),
        );
        assert_eq!(
            urls(&routes_of(&svc, &[terminating], None), "loan"),
            [("http://10.0.0.2:8080".to_string(), 1000)]
        );
        // Deleted: the slice is gone, and so are its endpoints.
        let file = routes_of(&svc, &[], None);
        assert!(file.routes["loan"].is_empty());
    }

    #[test]
    fn weights_come_from_the_routes_and_split_among_a_versions_pods() {
        let svcs = [
            service("scenic-loan-aaaa", "loan", "aaaa"),
            service("scenic-loan-bbbb", "loan", "bbbb"),
        ];
        let slices = [
            slice(
                "scenic-loan-aaaa",
                json!([{"addresses": ["10.0.0.1"]}, {"addresses": ["10.0.0.2"]}]),
            ),
            slice("scenic-loan-bbbb", json!([{"addresses": ["10.0.1.1"]}])),
        ];
        let cm = routes(json!({"routes": {"loan": [
            {"url": "http://scenic-loan-aaaa", "weight": 90, "version": "aaaa"},
            {"url": "http://scenic-loan-bbbb", "weight": 10, "version": "bbbb"}]}}));
        let file = routes_of(&svcs, &slices, Some(&cm));
        assert_eq!(
            urls(&file, "loan"),
            [
                ("http://10.0.0.1:8080".to_string(), 45_000),
                ("http://10.0.0.2:8080".to_string(), 45_000),
                ("http://10.0.1.1:8080".to_string(), 10_000),
            ]
        );
        assert_eq!(file.routes["loan"][2].version.as_deref(), Some("bbbb"));
        // Without routes, the versions share equally; a version the routes leave out gets 0.
        let file = routes_of(&svcs, &slices, None);
        let total: Vec<u32> = file.routes["loan"].iter().map(|b| b.weight).collect();
        assert_eq!(total, [500, 500, 1000]);
        let only_a =
            routes(json!({"routes": {"loan": [{"url": "http://scenic-loan-aaaa", "weight": 1}]}}));
        let file = routes_of(&svcs, &slices, Some(&only_a));
        assert_eq!(file.routes["loan"][2].weight, 0);
    }
}

/// The watch itself, through `kube`'s client and reflectors over a mock API server that
/// lists, then streams scripted watch events (real Kubernetes JSON, one event per line).
#[cfg(test)]
mod watch_tests {
    use std::collections::VecDeque;
    use std::convert::Infallible;
    use std::sync::Mutex;
    use std::time::Duration;

    use http::{Request, Response};
    use kube::client::Body;
    use serde_json::json;

    use super::*;

    /// Scripted watch answers by resource: each a batch of events, answered in turn; once
    /// a resource's batches are used up its watches wait (as a quiet API server's do).
    struct Script {
        lists: BTreeMap<&'static str, Json>,
        watches: Mutex<BTreeMap<&'static str, VecDeque<Vec<Json>>>>,
        /// Batches the test has let out so far (the others wait for it).
        released: std::sync::atomic::AtomicUsize,
        served: std::sync::atomic::AtomicUsize,
    }

    fn resource(path: &str) -> &'static str {
        ["services", "endpointslices", "configmaps"]
            .into_iter()
            .find(|r| path.ends_with(r))
            .unwrap_or("other")
    }

    async fn answer(script: Arc<Script>, req: Request<Body>) -> Response<Body> {
        let path = req.uri().path().to_string();
        let query = req.uri().query().unwrap_or_default().to_string();
        let r = resource(&path);
        let body = if query.contains("watch=true") {
            use std::sync::atomic::Ordering;
            loop {
                let batch = if script.served.load(Ordering::SeqCst)
                    < script.released.load(Ordering::SeqCst)
                {
                    script
                        .watches
                        .lock()
                        .expect("lock")
                        .get_mut(r)
                        .and_then(VecDeque::pop_front)
                } else {
                    None
                };
                if let Some(events) = batch {
                    script.served.fetch_add(1, Ordering::SeqCst);
                    break events.iter().map(|e| format!("{e}\n")).collect::<String>();
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        } else {
            script
                .lists
                .get(r)
                .cloned()
                .unwrap_or(json!({}))
                .to_string()
        };
        Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(Body::from(body.into_bytes()))
            .expect("response")
    }

    fn endpoint(ip: &str, ready: bool, terminating: bool) -> Json {
        json!({"addresses": [ip], "conditions": {"ready": ready, "serving": true, "terminating": terminating}})
    }

    fn slice(rv: &str, endpoints: Json) -> Json {
        json!({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": {"name": "scenic-loan-aaaa-x1", "namespace": "scenarios", "resourceVersion": rv,
                "labels": {"kubernetes.io/service-name": "scenic-loan-aaaa"}},
            "addressType": "IPv4", "ports": [{"name": "http", "port": 8080}], "endpoints": endpoints})
    }

    async fn wait_for(gateway: &Gateway, want: &[&str]) {
        // Up to 10 s: the reflectors' backoff after a hiccup is below a second.
        for _ in 0..1000 {
            let table = gateway.table();
            let now: Vec<String> = table
                .routes
                .get("loan")
                .map(|r| r.backends.iter().map(|b| b.url.to_string()).collect())
                .unwrap_or_default();
            if now == want {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("the table never routed loan to {want:?}");
    }

    #[tokio::test]
    async fn watch_events_move_traffic_to_ready_pods_and_off_terminating_ones() {
        let list = |kind: &str, items: Json| {
            json!({"kind": kind, "apiVersion": "v1",
            "metadata": {"resourceVersion": "1"}, "items": items})
        };
        let svc = json!({"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "scenic-loan-aaaa", "namespace": "scenarios", "resourceVersion": "1",
                "labels": {"app.kubernetes.io/managed-by": "scenic", "scenic.io/slug": "loan", "scenic.io/version": "aaaa"}},
            "spec": {"ports": [{"name": "http", "port": 80}]}});
        let script = Arc::new(Script {
            lists: BTreeMap::from([
                ("services", list("ServiceList", json!([svc]))),
                ("endpointslices", list("EndpointSliceList", json!([]))),
                ("configmaps", list("ConfigMapList", json!([]))),
            ]),
            watches: Mutex::new(BTreeMap::from([(
                "endpointslices",
                VecDeque::from([
                    // A pod starting, then ready, and a second one ready.
                    vec![
                        json!({"type": "ADDED", "object": slice("2", json!([endpoint("10.0.0.1", false, false)]))}),
                        json!({"type": "MODIFIED", "object": slice("3", json!([endpoint("10.0.0.1", true, false),
                            endpoint("10.0.0.2", true, false)]))}),
                    ],
                    // The first starts to terminate: still serving, but no new requests.
                    vec![
                        json!({"type": "MODIFIED", "object": slice("4", json!([endpoint("10.0.0.1", false, true),
                        endpoint("10.0.0.2", true, false)]))}),
                    ],
                    // The slice goes.
                    vec![
                        json!({"type": "DELETED", "object": slice("5", json!([endpoint("10.0.0.2", true, false)]))}),
                    ],
                ]),
            )])),
            released: std::sync::atomic::AtomicUsize::new(1),
            served: std::sync::atomic::AtomicUsize::new(0),
        });
        let s = script.clone();
        let service = tower::service_fn(move |req: Request<Body>| {
            let s = s.clone();
            async move { Ok::<_, Infallible>(answer(s, req).await) }
        });
        let client = kube::Client::new(service, "scenarios");
        let gateway = Arc::new(Gateway::new(Duration::from_secs(30), 1024));
        let watching = tokio::spawn(watch(client, "scenarios".into(), gateway.clone()));
        let release = || {
            script
                .released
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst)
        };
        wait_for(&gateway, &["http://10.0.0.1:8080", "http://10.0.0.2:8080"]).await;
        release();
        wait_for(&gateway, &["http://10.0.0.2:8080"]).await;
        release();
        wait_for(&gateway, &[]).await;
        watching.abort();
    }
}
