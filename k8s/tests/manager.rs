//! The deployment manager's calls, through `kube`'s real client over a mock service (a
//! `tower::service_fn` playing the API server with real Kubernetes JSON): the exact calls of
//! deploy, status, traffic and cancel, owner references, and conflicts (409) retried.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use http::{Request, Response};
use http_body_util::BodyExt;
use kube::client::Body;
use scenic_k8s::manager::{Manager, ROUTES_CONFIG_MAP};
use scenic_k8s::status::State;
use serde_json::{json, Value as Json};

/// An in-memory API server: objects by (resource, name), every call recorded, and a number
/// of conflicts to answer to the next replaces.
#[derive(Default)]
struct Fake {
    calls: Mutex<Vec<String>>,
    objects: Mutex<BTreeMap<(String, String), Json>>,
    conflicts: Mutex<usize>,
    uid: Mutex<u64>,
}

fn status(code: u16, reason: &str, message: &str) -> Response<Body> {
    Response::builder()
        .status(code)
        .header("content-type", "application/json")
        .body(Body::from(
            serde_json::to_vec(
                &json!({"kind": "Status", "apiVersion": "v1", "metadata": {},
                "status": "Failure", "message": message, "reason": reason, "code": code}),
            )
            .expect("json"),
        ))
        .expect("response")
}

fn ok(v: &Json) -> Response<Body> {
    Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(Body::from(serde_json::to_vec(v).expect("json")))
        .expect("response")
}

/// `labelSelector` of a query: `k=v` pairs (the only form the manager sends).
fn selector(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .find_map(|p| p.strip_prefix("labelSelector="))
        .map(|s| {
            let s = s
                .replace("%2C", ",")
                .replace("%3D", "=")
                .replace("%2F", "/");
            s.split(',')
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .unwrap_or_default()
}

impl Fake {
    fn put(&self, resource: &str, obj: Json) {
        let name = obj["metadata"]["name"].as_str().expect("name").to_string();
        self.objects
            .lock()
            .expect("lock")
            .insert((resource.to_string(), name), obj);
    }

    fn calls(&self) -> Vec<String> {
        self.calls.lock().expect("lock").clone()
    }

    async fn handle(&self, req: Request<Body>) -> Response<Body> {
        let method = req.method().to_string();
        let path = req.uri().path().to_string();
        let query = req.uri().query().unwrap_or_default().to_string();
        let body = req
            .into_body()
            .collect()
            .await
            .map(|b| b.to_bytes())
            .unwrap_or_default();
        self.calls.lock().expect("lock").push(if query.is_empty() {
            format!("{method} {path}")
        } else {
            format!("{method} {path}?{query}")
        });
        // /api/v1/namespaces/scenarios/<resource>[/<name>] or /apis/apps/v1/…
        let parts: Vec<&str> = path.split('/').collect();
        let Some(ns_at) = parts.iter().position(|p| *p == "namespaces") else {
            return status(404, "NotFound", "no such path");
        };
        let resource = parts
            .get(ns_at + 2)
            .copied()
            .unwrap_or_default()
            .to_string();
        let name = parts.get(ns_at + 3).map(|n| n.to_string());
        let mut objects = self.objects.lock().expect("lock");
        match (method.as_str(), name) {
            ("GET", None) => {
                let want = selector(&query);
                let items: Vec<Json> = objects
                    .iter()
                    .filter(|((r, _), o)| {
                        *r == resource
                            && want
                                .iter()
                                .all(|(k, v)| o["metadata"]["labels"][k].as_str() == Some(v))
                    })
                    .map(|(_, o)| o.clone())
                    .collect();
                ok(
                    &json!({"kind": "List", "apiVersion": "v1", "metadata": {"resourceVersion": "1"}, "items": items}),
                )
            }
            ("GET", Some(n)) => match objects.get(&(resource, n.clone())) {
                Some(o) => ok(o),
                None => status(404, "NotFound", &format!("\"{n}\" not found")),
            },
            ("PATCH", Some(n)) => {
                let mut patch: Json = serde_json::from_slice(&body).expect("an apply body");
                let key = (resource, n);
                let mut uid = self.uid.lock().expect("lock");
                let live = objects.entry(key).or_insert_with(|| {
                    *uid += 1;
                    json!({"metadata": {"uid": format!("uid-{}", *uid), "resourceVersion": "1"}})
                });
                // Server-side apply, simply: the applied fields replace the live ones.
                let meta = live["metadata"].clone();
                if let Some(p) = patch.as_object_mut() {
                    for (k, v) in p.iter() {
                        if k != "metadata" {
                            live[k] = v.clone();
                        }
                    }
                    for (k, v) in p["metadata"].as_object().into_iter().flatten() {
                        live["metadata"][k] = v.clone();
                    }
                }
                live["metadata"]["uid"] = meta["uid"].clone();
                ok(live)
            }
            ("PUT", Some(n)) => {
                let mut conflicts = self.conflicts.lock().expect("lock");
                if *conflicts > 0 {
                    *conflicts -= 1;
                    return status(409, "Conflict", "the object has been modified; please apply your changes to the latest version and try again");
                }
                let mut obj: Json = serde_json::from_slice(&body).expect("a body");
                let rv = obj["metadata"]["resourceVersion"]
                    .as_str()
                    .and_then(|v| v.parse::<u64>().ok())
                    .unwrap_or(0);
                obj["metadata"]["resourceVersion"] = json!((rv + 1).to_string());
                objects.insert((resource, n), obj.clone());
                ok(&obj)
            }
            ("DELETE", Some(n)) => match objects.remove(&(resource, n.clone())) {
                Some(o) => ok(&o),
                None => status(404, "NotFound", &format!("\"{n}\" not found")),
            },
            _ => status(405, "MethodNotAllowed", "not played by the fake"),
        }
    }
}

fn manager(fake: &Arc<Fake>) -> Manager {
    let fake = fake.clone();
    let service = tower::service_fn(move |req: Request<Body>| {
        let fake = fake.clone();
        async move { Ok::<_, Infallible>(fake.handle(req).await) }
    });
    Manager::new(kube::Client::new(service, "scenarios"), None)
}

fn loan_objects() -> Vec<scenic_k8s::Object> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let text = std::fs::read_to_string(root.join("examples/loan-request.json")).expect("read");
    let file = scenic_scenario::model::parse_scenario(&text).expect("parses");
    let info = scenic_k8s::ScenarioInfo::of_file(&file).expect("info");
    scenic_k8s::objects(&info, &text, &scenic_k8s::Options::default()).expect("objects")
}

#[tokio::test]
async fn deploy_applies_configmap_deployment_service_and_names_the_owner() {
    let fake = Arc::new(Fake::default());
    let m = manager(&fake);
    let objects = loan_objects();
    let applied = m.deploy(&objects).await.expect("deploy");
    let name = applied[0].trim_start_matches("configmap/").to_string();
    assert_eq!(
        applied,
        [
            format!("configmap/{name}"),
            format!("deployment/{name}"),
            format!("service/{name}")
        ]
    );
    // Server-side apply, forced, as field manager `scenic` (kube writes the query so).
    let apply = "&force=true&fieldManager=scenic";
    assert_eq!(
        fake.calls(),
        [
            format!("PATCH /api/v1/namespaces/scenarios/configmaps/{name}?{apply}"),
            format!("PATCH /apis/apps/v1/namespaces/scenarios/deployments/{name}?{apply}"),
            format!("PATCH /api/v1/namespaces/scenarios/services/{name}?{apply}"),
            format!("PATCH /api/v1/namespaces/scenarios/configmaps/{name}?{apply}"),
        ],
        "the exact calls"
    );
    let objects = fake.objects.lock().expect("lock").clone();
    let uid = objects[&("deployments".to_string(), name.clone())]["metadata"]["uid"].clone();
    for resource in ["services", "configmaps"] {
        let owner =
            &objects[&(resource.to_string(), name.clone())]["metadata"]["ownerReferences"][0];
        assert_eq!(owner["kind"], "Deployment", "{resource}");
        assert_eq!(owner["uid"], uid, "{resource}");
    }
}

#[tokio::test]
async fn status_reports_each_version_as_kubectl_rollout_status_would() {
    let fake = Arc::new(Fake::default());
    let labels = |v: &str| {
        json!({"app.kubernetes.io/managed-by": "scenic", "scenic.io/scenario": "loan",
        "scenic.io/version": v, "scenic.io/slug": "loan"})
    };
    let deployment = |v: &str, generation: i64, st: Json| {
        json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": format!("scenic-loan-{v}"), "namespace": "scenarios", "generation": generation, "labels": labels(v)},
        "spec": {"replicas": 2, "selector": {"matchLabels": labels(v)}, "template": {}},
        "status": st})
    };
    fake.put(
        "deployments",
        deployment(
            "aaaa",
            1,
            json!({"observedGeneration": 1, "replicas": 2,
        "updatedReplicas": 2, "availableReplicas": 2}),
        ),
    );
    // A new spec not observed yet, whatever the old status says.
    fake.put(
        "deployments",
        deployment(
            "bbbb",
            2,
            json!({"observedGeneration": 1, "replicas": 2,
        "updatedReplicas": 2, "availableReplicas": 2}),
        ),
    );
    let m = manager(&fake);
    let all = m.status(Some("loan")).await.expect("status");
    let states: Vec<(String, State)> = all
        .iter()
        .map(|s| (s.version.clone(), s.status.state))
        .collect();
    assert_eq!(
        states,
        [
            ("aaaa".to_string(), State::Running),
            ("bbbb".to_string(), State::DuringDeploy)
        ]
    );
    assert_eq!(all[0].slug.as_deref(), Some("loan"));
    let calls = fake.calls();
    assert!(
        calls[0].starts_with("GET /apis/apps/v1/namespaces/scenarios/deployments?"),
        "{calls:?}"
    );
    assert!(calls[0].contains("labelSelector="), "{calls:?}");
    assert!(
        calls[1].starts_with("GET /api/v1/namespaces/scenarios/pods?"),
        "{calls:?}"
    );
}

#[tokio::test]
async fn traffic_rewrites_the_routes_and_retries_conflicts() {
    let fake = Arc::new(Fake::default());
    for v in ["aaaa1111", "bbbb2222"] {
        fake.put("services", json!({"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": format!("scenic-loan-{v}"), "labels": {
                "app.kubernetes.io/managed-by": "scenic", "scenic.io/slug": "loan", "scenic.io/version": v}}}));
    }
    fake.put("configmaps", json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": ROUTES_CONFIG_MAP, "resourceVersion": "7"},
        "data": {"routes.json": "{\"routes\": {\"other\": [{\"url\": \"http://o\", \"weight\": 1}]}}"}}));
    *fake.conflicts.lock().expect("lock") = 2;
    let m = manager(&fake);
    let routes = m
        .traffic(
            "loan",
            &[("aaaa".to_string(), 90), ("bbbb2222".to_string(), 10)],
        )
        .await
        .expect("traffic");
    assert_eq!(
        routes["routes"]["loan"],
        json!([{"url": "http://scenic-loan-aaaa1111", "weight": 90, "version": "aaaa1111"},
               {"url": "http://scenic-loan-bbbb2222", "weight": 10, "version": "bbbb2222"}])
    );
    // Other scenarios' routes are kept.
    assert_eq!(routes["routes"]["other"][0]["url"], "http://o");
    let calls: Vec<String> = fake
        .calls()
        .iter()
        .map(|c| c.split('?').next().unwrap_or_default().to_string())
        .collect();
    let cm = format!("/api/v1/namespaces/scenarios/configmaps/{ROUTES_CONFIG_MAP}");
    assert_eq!(
        calls,
        [
            "GET /api/v1/namespaces/scenarios/services".to_string(),
            format!("GET {cm}"),
            format!("PUT {cm}"),
            format!("GET {cm}"),
            format!("PUT {cm}"),
            format!("GET {cm}"),
            format!("PUT {cm}"),
        ],
        "read, replace (409), read again …"
    );
    // A version that is not deployed is refused before anything changes.
    let e = m
        .traffic("loan", &[("cccc".to_string(), 100)])
        .await
        .expect_err("unknown");
    assert!(e.to_string().contains("no version cccc"), "{e}");
}

#[tokio::test]
async fn cancel_deletes_services_then_deployments_then_configmaps() {
    let fake = Arc::new(Fake::default());
    let m = manager(&fake);
    m.deploy(&loan_objects()).await.expect("deploy");
    let before = fake.calls().len();
    let scenario = fake
        .objects
        .lock()
        .expect("lock")
        .values()
        .next()
        .expect("an object")["metadata"]["labels"]["scenic.io/scenario"]
        .as_str()
        .expect("label")
        .to_string();
    let deleted = m.cancel(&scenario, None).await.expect("cancel");
    assert_eq!(deleted, 3);
    let deletes: Vec<String> = fake.calls()[before..]
        .iter()
        .filter(|c| c.starts_with("DELETE"))
        .map(|c| {
            c.split('/')
                .nth(c.split('/').count() - 2)
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(deletes, ["services", "deployments", "configmaps"]);
    assert!(fake.objects.lock().expect("lock").is_empty());
}

#[tokio::test]
async fn prune_keeps_the_newest_and_every_routed_version() {
    let fake = Arc::new(Fake::default());
    // Five versions, oldest first; v1 still has traffic.
    for (i, v) in ["v1", "v2", "v3", "v4", "v5"].iter().enumerate() {
        let labels = json!({"app.kubernetes.io/managed-by": "scenic", "scenic.io/scenario": "loan",
            "scenic.io/version": v, "scenic.io/slug": "loan"});
        for resource in ["deployments", "services", "configmaps"] {
            fake.put(
                resource,
                json!({"metadata": {"name": format!("scenic-loan-{v}"), "labels": labels,
                "creationTimestamp": format!("2026-12-0{}T10:00:00Z", i + 1)}}),
            );
        }
    }
    fake.put("configmaps", json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": ROUTES_CONFIG_MAP},
        "data": {"routes.json": "{\"routes\": {\"loan\": [{\"url\": \"http://scenic-loan-v1\", \"weight\": 100, \"version\": \"v1\"}, {\"url\": \"http://scenic-loan-v2\", \"weight\": 0, \"version\": \"v2\"}]}}"}}));
    let m = manager(&fake);
    let deleted = m.prune("loan", 2).await.expect("prune");
    // v5 and v4 are the newest two; v1 has traffic; v3 and v2 (weight 0) go.
    assert_eq!(deleted, ["v3", "v2"]);
    let left: Vec<String> = fake
        .objects
        .lock()
        .expect("lock")
        .keys()
        .filter(|(r, _)| r == "deployments")
        .map(|(_, n)| n.clone())
        .collect();
    assert_eq!(left, ["scenic-loan-v1", "scenic-loan-v4", "scenic-loan-v5"]);
}
