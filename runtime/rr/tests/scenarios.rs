//! Every example scenario and every request-response scenario of `../shared/scenarios`, served
//! over real HTTP. Examples are checked against their recorded answers
//! (`examples/<name>.expected.jsonl`, one per line of `<name>.samples.jsonl`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use scenic_rr::compute::ComputePool;
use scenic_rr::metrics::Metrics;
use scenic_rr::startup::AppState;
use scenic_rr::{Application, Deployed, Limits, Scenarios, Settings};
use scenic_scenario::compile::DirFragments;
use scenic_scenario::model::ScenarioType;
use scenic_scenario::{load_scenario, NoFragments, Registry};
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

async fn serve(files: &[PathBuf], fragments: Option<&Path>) -> (String, Vec<(PathBuf, String)>) {
    let registry = Registry::builtin();
    let table = Arc::new(Scenarios::new());
    let metrics = Arc::new(Metrics::new(table.clone()));
    let mut slugs = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(f).expect("readable");
        let s = match fragments {
            Some(d) => load_scenario(&text, &registry, &DirFragments(d.to_path_buf())),
            None => load_scenario(&text, &registry, &NoFragments),
        }
        .unwrap_or_else(|e| panic!("{} compiles: {e}", f.display()));
        if s.scenario_type() != ScenarioType::RequestResponse {
            continue;
        }
        slugs.push((f.clone(), s.slug().to_string()));
        table
            .deploy(Deployed::new(Arc::new(s), &metrics))
            .expect("deployed");
    }
    let settings = Settings {
        host: "127.0.0.1".into(),
        port: 0,
        workers: 1,
        limits: Limits::default(),
        single: None,
        extra_routes: None,
    };
    let pool = Arc::new(ComputePool::new(Default::default()).expect("compute pool"));
    let state = Arc::new(AppState::new(table, metrics, Limits::default(), None, pool));
    let app = Application::build(&settings, state).expect("builds");
    let base = format!("http://127.0.0.1:{}", app.port());
    actix_web::rt::spawn(app.run_until_stopped());
    (base, slugs)
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[actix_web::test]
async fn examples_give_their_recorded_answers() {
    let dir = root().join("examples");
    let files = json_files(&dir);
    assert!(files.len() >= 5, "examples are missing");
    let (base, slugs) = serve(&files, Some(&dir.join("fragments"))).await;
    let client = reqwest::Client::new();
    let mut checked = 0;
    for (file, slug) in slugs {
        let stem = file
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("name")
            .to_string();
        let samples =
            std::fs::read_to_string(dir.join(format!("{stem}.samples.jsonl"))).expect("samples");
        let expected = std::fs::read_to_string(dir.join(format!("{stem}.expected.jsonl")))
            .expect("expected answers");
        let samples: Vec<&str> = samples.lines().filter(|l| !l.trim().is_empty()).collect();
        let expected: Vec<Value> = expected
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).expect("expected line"))
            .collect();
        assert_eq!(
            samples.len(),
            expected.len(),
            "{stem}: one expected answer per sample"
        );
        for (sample, want) in samples.iter().zip(expected) {
            let r = client
                .post(format!("{base}/scenario/{slug}"))
                .body(sample.to_string())
                .send()
                .await
                .expect("send");
            let status = r.status().as_u16();
            let body: Value = r.json().await.expect("json body");
            assert_eq!(
                status as u64,
                want["status"].as_u64().unwrap_or(0),
                "{stem}: {sample}\n{body}"
            );
            assert_eq!(body, want["body"], "{stem}: {sample}");
            checked += 1;
        }
    }
    assert!(checked >= 15, "only {checked} samples checked");
}

#[actix_web::test]
async fn shared_request_response_scenarios_are_served() {
    let dir = root().join("../shared/scenarios");
    if !dir.is_dir() {
        let msg = format!(
            "{} is absent: the shared scenario tests cannot run",
            dir.display()
        );
        if std::env::var_os("CI").is_some() {
            panic!("{msg}");
        }
        eprintln!("\n!!!!!!!! WARNING: {msg} !!!!!!!!\n");
        return;
    }
    let files = json_files(&dir);
    let (base, slugs) = serve(&files, None).await;
    let client = reqwest::Client::new();
    let find = |name: &str| {
        slugs
            .iter()
            .find(|(f, _)| f.ends_with(name))
            .map(|(_, s)| s.clone())
            .unwrap_or_else(|| panic!("{name} served"))
    };
    // rr.json (legacy metaData, schema without a type: anything goes, no response value).
    let r = client
        .post(format!("{base}/scenario/{}", find("rr.json")))
        .body(r#"{"a": 1, "b": "x"}"#)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.expect("text"), "null");
    let r = client
        .post(format!("{base}/scenario/{}", find("stickyNotes.json")))
        .body("{}")
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
    // rrEmpty.json ends in a dead end: no response at all.
    let r = client
        .post(format!("{base}/scenario/{}", find("rrEmpty.json")))
        .body("{}")
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 500);
    let body: Value = r.json().await.expect("json");
    assert_eq!(
        body,
        serde_json::json!([{"message": "Scenario did not return any result", "nodeId": "request"}])
    );
    for (_, slug) in &slugs {
        let r = client
            .get(format!("{base}/scenario/{slug}/definition"))
            .send()
            .await
            .expect("send");
        assert_eq!(r.status(), 200, "{slug} definition");
    }
}
