//! The documents a live server publishes: valid under a standard validator, and usable by a
//! generated client (`openapi-python-client`) that calls the live endpoint and gets typed
//! results (`decisions.md` §3).
//!
//! Python comes from `$SCENIC_PYTHON`, else `<workspace>/.venv/bin/python` (`scripts/test`
//! creates it, with openapi-spec-validator, openapi-python-client and poetry-core, the build
//! backend of the generated packages). Without it the tests fail under CI and warn loudly
//! elsewhere.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{rr_scenario, spawn_app};
use serde_json::json;

fn python() -> Option<PathBuf> {
    let p = match std::env::var_os("SCENIC_PYTHON") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python"),
    };
    if p.exists() {
        return Some(p);
    }
    let msg = format!(
        "Python with the OpenAPI tools not found at {} (run scripts/test, or set SCENIC_PYTHON)",
        p.display()
    );
    if std::env::var_os("CI").is_some() {
        panic!("{msg}");
    }
    eprintln!("\n!!!!!!!! WARNING: {msg}: skipping this test !!!!!!!!\n");
    None
}

fn loan() -> String {
    rr_scenario(
        "Loan Request",
        json!({"type": "object", "properties": {
            "customerId": {"type": "string"},
            "requestType": {"type": "string", "enum": ["loan", "mortgage", "insurance"]},
            "requestedAmount": {"type": "integer", "minimum": 0},
            "location": {"$ref": "#/definitions/location"}
        }, "required": ["customerId", "requestType", "requestedAmount"],
        "definitions": {"location": {"type": "object", "properties": {"city": {"type": "string"}, "street": {"type": ["string", "null"]}}}}}),
        json!({"type": "object", "properties": {"acceptedAmount": {"type": "integer"}, "message": {"type": "string"}}, "required": ["acceptedAmount", "message"]}),
        json!([
            {"id": "decision", "type": "Switch", "nexts": [
                {"expression": {"language": "spel", "expression": "#input.requestType == 'loan' && #input.requestedAmount <= 50000"},
                 "nodes": [{"id": "accept", "type": "Sink", "ref": {"typ": "response", "parameters": [
                    {"name": "acceptedAmount", "expression": {"language": "spel", "expression": "#input.requestedAmount"}},
                    {"name": "message", "expression": {"language": "spel", "expression": "'accepted'"}}]}}]},
                {"expression": {"language": "spel", "expression": "true"},
                 "nodes": [{"id": "reject", "type": "Sink", "ref": {"typ": "response", "parameters": [
                    {"name": "acceptedAmount", "expression": {"language": "spel", "expression": "0"}},
                    {"name": "message", "expression": {"language": "spel", "expression": "'rejected'"}}]}}]}
            ], "defaultNext": []}
        ]),
    )
}

fn arrays() -> String {
    rr_scenario(
        "tags",
        json!({"type": "array", "items": {"type": "string"}}),
        json!({"type": "array", "items": {"type": "string"}}),
        json!([{"id": "out", "type": "Sink", "ref": {"typ": "response", "parameters": [
            {"name": "Raw editor", "expression": {"language": "spel", "expression": "true"}},
            {"name": "Value", "expression": {"language": "spel", "expression": "#input.![#this.toUpperCase()]"}}]}}]),
    )
}

#[actix_web::test]
async fn published_documents_pass_the_openapi_validator() {
    let Some(py) = python() else { return };
    let app = spawn_app(&[loan(), arrays()]).await;
    let dir = std::env::temp_dir().join(format!("scenic-openapi-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    for path in [
        "/scenario/Loan-Request/definition",
        "/scenario/tags/definition",
        "/openapi.json",
    ] {
        let r = app.client.get(app.url(path)).send().await.expect("send");
        assert_eq!(r.status(), 200, "{path}");
        let text = r.text().await.expect("text");
        let doc: serde_json::Value = serde_json::from_str(&text).expect("json document");
        assert_eq!(doc["openapi"], "3.1.0");
        let file = dir.join(format!("{}.json", path.replace('/', "_")));
        std::fs::write(&file, text).expect("write");
        let out = Command::new(&py)
            .args(["-m", "openapi_spec_validator"])
            .arg(&file)
            .output()
            .expect("validator runs");
        assert!(
            out.status.success(),
            "{path} is invalid:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[actix_web::test]
async fn a_generated_python_client_calls_the_live_endpoint() {
    let Some(py) = python() else { return };
    let app = spawn_app(&[loan()]).await;
    let doc = app
        .client
        .get(app.url("/scenario/Loan-Request/definition"))
        .send()
        .await
        .expect("send")
        .text()
        .await
        .expect("text");
    let info_version = serde_json::from_str::<serde_json::Value>(&doc).expect("json")["info"]
        ["version"]
        .as_str()
        .expect("info.version")
        .to_string();
    let dir = std::env::temp_dir().join(format!("scenic-client-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let spec = dir.join("loan.json");
    std::fs::write(&spec, doc).expect("write");
    // A whole package (the generator's default `--meta poetry`, `pyproject.toml` with
    // `info.version` as the package version), as a user would generate it.
    let generator = py.with_file_name("openapi-python-client");
    let project = dir.join("loan-client");
    let out = Command::new(&generator)
        .args(["generate", "--output-path"])
        .arg(&project)
        .arg("--path")
        .arg(&spec)
        .output()
        .expect("generator runs");
    assert!(
        out.status.success(),
        "generation failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // The package installs (a bare hash as its version did not: InvalidVersionError). Offline
    // with the build backend of `scripts/test`'s venv, else pip fetches it.
    let site = dir.join("site");
    let offline = Command::new(&py)
        .args(["-c", "import poetry.core"])
        .status()
        .is_ok_and(|s| s.success());
    let mut pip = Command::new(&py);
    pip.args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-deps",
        "--target",
    ])
    .arg(&site);
    if offline {
        pip.arg("--no-build-isolation");
    }
    let out = pip.arg(&project).output().expect("pip runs");
    assert!(
        out.status.success(),
        "the generated package does not install (info.version {info_version}):\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // The installed package imports, has the document's version and calls the endpoint. The
    // generated package exposes one module per operation; find it rather than guess.
    let script = r#"
import importlib, importlib.metadata, pkgutil, sys
sys.path.insert(0, sys.argv[1])
from pip._vendor.packaging.version import Version
assert str(Version(sys.argv[3])) == sys.argv[3], Version(sys.argv[3])
installed = importlib.metadata.version('loan-request-client')
assert installed == sys.argv[3], (installed, sys.argv[3])
import loan_request_client, loan_request_client.api
assert loan_request_client.__file__.startswith(sys.argv[1]), loan_request_client.__file__
from loan_request_client.client import Client
ops = [m.name for m in pkgutil.walk_packages(loan_request_client.api.__path__, 'loan_request_client.api.')]
op = importlib.import_module([o for o in ops if o.count('.') == 3][0])
models = importlib.import_module('loan_request_client.models')
body_cls = [getattr(models, n) for n in dir(models) if 'Request' in n and 'Body' in n][0]
client = Client(base_url=sys.argv[2])
body = body_cls.from_dict({'customerId': 'c1', 'requestType': 'loan', 'requestedAmount': 1000})
res = op.sync(client=client, body=body)
print(type(res).__name__, res.accepted_amount, res.message)
"#;
    let out = Command::new(&py)
        .arg("-c")
        .arg(script)
        .arg(&site)
        .arg(app.url("/scenario/Loan-Request"))
        .arg(&info_version)
        .output()
        .expect("client runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "client failed:\n{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("1000 accepted"),
        "typed result expected, got: {stdout}"
    );
}
