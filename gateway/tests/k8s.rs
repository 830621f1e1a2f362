//! `scenic k8s manifests` and `k8s/manifests/`: the objects pass `kubernetes-validate --strict`
//! (PyPI, offline, with the schemas of Kubernetes 1.34 and 1.37; `scripts/test` installs it in
//! `.venv`), and what it does not check is checked here: DNS-1123 names, selectors that match
//! their pod templates, the labels, probes, drain and rollout settings, stable output, and a
//! scenario that does not compile refused with its errors and nothing printed.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value as Json;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn scenic(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_scenic"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("scenic runs")
}

/// The YAML documents of a stream, as JSON.
fn documents(yaml: &str) -> Vec<Json> {
    yaml.split("\n---")
        .map(|d| d.trim_start_matches("---").trim())
        .filter(|d| !d.is_empty() && !d.lines().all(|l| l.trim_start().starts_with('#')))
        .map(|d| serde_norway::from_str::<Json>(d).unwrap_or_else(|e| panic!("{e}: {d}")))
        .collect()
}

/// `kubernetes-validate`: next to the test command's Python, in the repository's `.venv`, or
/// on the PATH. Missing in CI is a failure; elsewhere a loud warning.
fn validator() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("SCENIC_PYTHON")
            .map(PathBuf::from)
            .and_then(|p| p.parent().map(|d| d.join("kubernetes-validate"))),
        Some(root().join(".venv/bin/kubernetes-validate")),
    ];
    if let Some(found) = candidates.into_iter().flatten().find(|p| p.is_file()) {
        return Some(found);
    }
    if Command::new("kubernetes-validate")
        .arg("--version")
        .output()
        .is_ok()
    {
        return Some(PathBuf::from("kubernetes-validate"));
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "kubernetes-validate is missing in CI (scripts/test installs it in .venv)"
    );
    eprintln!("WARNING: kubernetes-validate not found: the manifests' schemas were not checked");
    None
}

fn validate(file: &Path) {
    let Some(v) = validator() else {
        return;
    };
    for version in ["1.34.0", "1.37.0"] {
        let out = Command::new(&v)
            .args(["--strict", "-k", version])
            .arg(file)
            .output()
            .expect("kubernetes-validate runs");
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.status.success() && !said.contains("ERROR") && !said.contains("WARN"),
            "{} against {version}:\n{said}",
            file.display()
        );
    }
}

fn is_dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.ends_with(|c: char| c.is_ascii_alphanumeric())
}

/// Checks `kubernetes-validate` leaves out: names, selectors ⊆ template labels, Service
/// selectors matching a Deployment's pods, labels.
fn check_objects(docs: &[Json]) {
    let templates: Vec<&Json> = docs
        .iter()
        .filter(|d| d["kind"] == "Deployment")
        .map(|d| &d["spec"]["template"]["metadata"]["labels"])
        .collect();
    for d in docs {
        let name = d["metadata"]["name"].as_str().expect("a name");
        assert!(is_dns_label(name), "{name} is not a DNS-1123 label");
        for (k, v) in d["metadata"]["labels"].as_object().into_iter().flatten() {
            let v = v.as_str().expect("label values are strings");
            assert!(v.len() <= 63, "{k}={v}");
            assert!(!k.is_empty());
        }
        match d["kind"].as_str() {
            Some("Deployment") => {
                let selector = d["spec"]["selector"]["matchLabels"]
                    .as_object()
                    .expect("selector");
                let labels = &d["spec"]["template"]["metadata"]["labels"];
                for (k, v) in selector {
                    assert_eq!(
                        &labels[k], v,
                        "{name}: selector {k} not on the pod template"
                    );
                }
            }
            Some("Service") => {
                let selector = d["spec"]["selector"].as_object().expect("selector");
                assert!(
                    templates
                        .iter()
                        .any(|t| selector.iter().all(|(k, v)| &t[k] == v)),
                    "{name}: the Service selects no Deployment's pods"
                );
            }
            _ => {}
        }
    }
}

#[test]
fn manifests_of_every_example_are_valid_objects() {
    let dir = std::env::temp_dir().join(format!("scenic-k8s-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let examples = [
        "examples/loan-request.json",
        "examples/product-pricing.json",
        "examples/order-summary.json",
        "examples/fraud-check.json",
        "examples/customer-onboarding.json",
    ];
    let mut args = vec!["k8s", "manifests"];
    args.extend(examples);
    args.extend([
        "--namespace",
        "scenarios",
        "--image",
        "registry.example.com/scenic:0.1.0",
    ]);
    let out = scenic(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let yaml = String::from_utf8(out.stdout).expect("utf-8");
    let again = scenic(&args);
    assert_eq!(
        yaml,
        String::from_utf8_lossy(&again.stdout),
        "the same objects every time"
    );
    let file = dir.join("examples.yaml");
    std::fs::write(&file, &yaml).expect("write");
    validate(&file);
    let docs = documents(&yaml);
    assert_eq!(
        docs.len(),
        3 * examples.len(),
        "ConfigMap, Deployment, Service each"
    );
    check_objects(&docs);

    // The loan example's objects in detail.
    let loan: Vec<&Json> = docs
        .iter()
        .filter(|d| d["metadata"]["annotations"]["scenic.io/scenario-name"] == "LoanRequest")
        .collect();
    assert_eq!(loan.len(), 3);
    let version = loan[0]["metadata"]["labels"]["scenic.io/version"]
        .as_str()
        .expect("version")
        .to_string();
    assert_eq!(version.len(), 16);
    let name = format!("scenic-loanrequest-{}", &version[..10]);
    for d in &loan {
        assert_eq!(d["metadata"]["name"], name.as_str());
        assert_eq!(d["metadata"]["namespace"], "scenarios");
        let l = &d["metadata"]["labels"];
        // Not a valid label as it is (upper case): sanitized, with a hash of the exact name.
        let scenario = l["scenic.io/scenario"].as_str().expect("label");
        assert!(
            scenario.starts_with("loanrequest-") && scenario.len() == 22,
            "{scenario}"
        );
        assert_eq!(l["scenic.io/slug"], "loan");
        assert_eq!(l["scenic.io/mode"], "request-response");
        assert_eq!(l["app.kubernetes.io/managed-by"], "scenic");
    }
    let cm = loan
        .iter()
        .find(|d| d["kind"] == "ConfigMap")
        .expect("ConfigMap");
    let text = cm["data"]["scenario.json"].as_str().expect("scenario.json");
    assert_eq!(
        text,
        std::fs::read_to_string(root().join("examples/loan-request.json")).expect("read")
    );
    let dep = loan
        .iter()
        .find(|d| d["kind"] == "Deployment")
        .expect("Deployment");
    let spec = &dep["spec"];
    assert_eq!(spec["replicas"], 2);
    assert_eq!(spec["strategy"]["rollingUpdate"]["maxUnavailable"], 0);
    let pod = &spec["template"]["spec"];
    let c = &pod["containers"][0];
    assert_eq!(c["image"], "registry.example.com/scenic:0.1.0");
    assert_eq!(c["command"][0], "scenic");
    assert_eq!(c["command"][1], "run");
    assert_eq!(c["readinessProbe"]["httpGet"]["path"], "/ready");
    assert_eq!(c["livenessProbe"]["httpGet"]["path"], "/alive");
    assert_eq!(c["startupProbe"]["httpGet"]["path"], "/alive");
    assert_eq!(c["lifecycle"]["preStop"]["sleep"]["seconds"], 5);
    assert!(c["resources"]["requests"]["cpu"].is_string());
    assert_eq!(pod["securityContext"]["runAsNonRoot"], true);
    let annotations = &spec["template"]["metadata"]["annotations"];
    assert_eq!(annotations["prometheus.io/scrape"], "true");
    assert_eq!(annotations["prometheus.io/port"], "8080");
    let svc = loan
        .iter()
        .find(|d| d["kind"] == "Service")
        .expect("Service");
    assert_eq!(svc["spec"]["ports"][0]["port"], 80);
    assert_eq!(svc["spec"]["ports"][0]["targetPort"], "http");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_streaming_scenario_gets_replicas_and_workers_from_its_parallelism_and_its_schemas() {
    let dir = std::env::temp_dir().join(format!("scenic-k8s-stream-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let text = std::fs::read_to_string(root().join("examples/streaming/transaction-alerts.json"))
        .expect("read");
    let mut scenario: Json = serde_json::from_str(&text).expect("JSON");
    scenario["metaData"]["additionalFields"]["properties"]["parallelism"] = "10".into();
    let file = dir.join("alerts.json");
    std::fs::write(&file, scenario.to_string()).expect("write");
    let out = scenic(&[
        "k8s",
        "manifests",
        file.to_str().expect("path"),
        "--config",
        "examples/streaming/config.json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let yaml = String::from_utf8(out.stdout).expect("utf-8");
    let manifest = dir.join("stream.yaml");
    std::fs::write(&manifest, &yaml).expect("write");
    validate(&manifest);
    let docs = documents(&yaml);
    check_objects(&docs);
    let kinds: Vec<&str> = docs.iter().filter_map(|d| d["kind"].as_str()).collect();
    assert_eq!(
        kinds,
        ["ConfigMap", "Deployment"],
        "no Service for streaming"
    );
    // parallelism 10, 4 per replica: 3 replicas of 4 workers.
    assert_eq!(docs[1]["spec"]["replicas"], 3);
    assert_eq!(docs[1]["spec"]["strategy"]["type"], "Recreate");
    assert_eq!(
        docs[1]["spec"]["template"]["spec"]["containers"][0]["command"][0],
        "scenic-stream"
    );
    let config: Json =
        serde_json::from_str(docs[0]["data"]["config.json"].as_str().expect("config"))
            .expect("JSON");
    assert_eq!(config["parallelism"], 4);
    // The topic schemas travel in the ConfigMap, and the configuration names them there.
    assert_eq!(
        config["schemas"]["transactions"],
        "/etc/scenic/schema.transactions.json"
    );
    assert!(docs[0]["data"]["schema.transactions.json"].is_string());
    // Without the Kafka settings there is nothing to deploy.
    let out = scenic(&["k8s", "manifests", file.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs --config"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_scenario_that_does_not_compile_is_refused_with_every_error() {
    let dir = std::env::temp_dir().join(format!("scenic-k8s-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let bad = dir.join("bad.json");
    std::fs::write(&bad, common::scenario("bad", "bad", "#nope + 1")).expect("write");
    let out = scenic(&[
        "k8s",
        "manifests",
        "examples/loan-request.json",
        bad.to_str().expect("path"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stdout.is_empty(),
        "nothing printed: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("bad.json") && said.contains("nope"), "{said}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_shipped_manifests_are_valid_and_consistent() {
    let dir = root().join("k8s/manifests");
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).expect("k8s/manifests") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
            continue;
        }
        validate(&path);
        let docs = documents(&std::fs::read_to_string(&path).expect("read"));
        assert!(!docs.is_empty(), "{}", path.display());
        check_objects(&docs);
        files += 1;
    }
    assert!(files >= 3, "gateway, RBAC and ingress manifests");
}

/// Plays the kubelet for each request-response Deployment of the examples: its ConfigMap
/// written out as the volume's items say, its command run with `/etc/scenic` at that folder.
/// Each pod becomes ready and answers its example's first sample: the objects run as printed,
/// fragments included.
#[tokio::test]
async fn the_printed_pods_run() {
    let dir = std::env::temp_dir().join(format!("scenic-k8s-pods-{}", std::process::id()));
    let examples = [
        ("examples/loan-request.json", "loan"),
        ("examples/customer-onboarding.json", "onboarding"),
    ];
    for (file, slug) in examples {
        let out = scenic(&["k8s", "manifests", file]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let docs = documents(&String::from_utf8_lossy(&out.stdout));
        let dep = docs
            .iter()
            .find(|d| d["kind"] == "Deployment")
            .expect("Deployment");
        let volume = &dep["spec"]["template"]["spec"]["volumes"][0]["configMap"];
        let cm = docs
            .iter()
            .find(|d| d["kind"] == "ConfigMap" && d["metadata"]["name"] == volume["name"])
            .expect("its ConfigMap");
        let mount = dir.join(slug);
        for item in volume["items"].as_array().expect("items") {
            let key = item["key"].as_str().expect("key");
            let path = mount.join(item["path"].as_str().expect("path"));
            std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
            std::fs::write(&path, cm["data"][key].as_str().expect("data")).expect("write");
        }
        let command: Vec<String> = dep["spec"]["template"]["spec"]["containers"][0]["command"]
            .as_array()
            .expect("command")
            .iter()
            .map(|a| {
                a.as_str()
                    .expect("string")
                    .replace("/etc/scenic", mount.to_str().expect("path"))
            })
            .collect();
        assert_eq!(command[0], "scenic");
        if slug == "onboarding" {
            assert!(command.iter().any(|a| a == "--fragments"), "{command:?}");
            assert!(mount.join("fragments/customer-segmentation.json").is_file());
        }
        let port = common::free_port().to_string();
        let args: Vec<String> = command[1..]
            .iter()
            .map(|a| match a.as_str() {
                "0.0.0.0" => "127.0.0.1".to_string(),
                "8080" => port.clone(),
                other => other.to_string(),
            })
            .collect();
        let mut pod = Command::new(env!("CARGO_BIN_EXE_scenic"))
            .args(&args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the pod's command starts");
        let base = format!("http://127.0.0.1:{port}");
        let c = reqwest::Client::new();
        let started = std::time::Instant::now();
        loop {
            if c.get(format!("{base}/ready"))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                break;
            }
            if started.elapsed() > std::time::Duration::from_secs(20) {
                let _ = pod.kill();
                let out = pod.wait_with_output().expect("output");
                panic!(
                    "{file}: the pod never became ready: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let samples = root().join(file.replace(".json", ".samples.jsonl"));
        let first = std::fs::read_to_string(samples).expect("samples");
        let sample = first.lines().next().expect("a sample");
        let r = c
            .post(&base)
            .header("Content-Type", "application/json")
            .body(sample.to_string())
            .send()
            .await
            .expect("send");
        assert_eq!(
            r.status(),
            200,
            "{file}: {}",
            r.text().await.unwrap_or_default()
        );
        let _ = pod.kill();
        let _ = pod.wait();
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Without a cluster, the commands that need one say so and exit 1; nothing hangs.
#[test]
fn cluster_commands_without_a_cluster_fail_clearly() {
    for args in [
        vec!["k8s", "status"],
        vec!["k8s", "traffic", "loan", "abc=100"],
        vec!["k8s", "deploy", "examples/loan-request.json"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_scenic"))
            .args(&args)
            .current_dir(root())
            .env("KUBECONFIG", "/nonexistent/kubeconfig")
            .env("HOME", "/nonexistent")
            .env_remove("KUBERNETES_SERVICE_HOST")
            .output()
            .expect("scenic runs");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains("error: Kubernetes"), "{args:?}: {said}");
    }
    // The gateway's Kubernetes discovery needs credentials at start: exit 2, saying why.
    let out = Command::new(env!("CARGO_BIN_EXE_scenic"))
        .args(["gateway", "--kubernetes", "--port", "0"])
        .env("KUBECONFIG", "/nonexistent/kubeconfig")
        .env("HOME", "/nonexistent")
        .env_remove("KUBERNETES_SERVICE_HOST")
        .output()
        .expect("scenic runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Kubernetes"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // One source of routes: a file or the cluster.
    let out = scenic(&["gateway"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--routes"));
    // A malformed weight is refused before any cluster is asked.
    let out = scenic(&["k8s", "traffic", "loan", "abc"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("VERSION=WEIGHT"));
}
