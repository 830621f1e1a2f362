//! Schemathesis (pinned in `scripts/test`) against the live `scenic serve` of the example
//! scenarios: every document the server publishes must describe what the server answers
//! (`decisions.md` §3) — every status code, the content type, the headers, the bodies — and no
//! request may get a server error, except the documented scenario failure (a 500 naming the
//! node that failed: a scenario can genuinely fail on some schema-valid input).
//!
//! Three passes, one after the other:
//! 1. each example scenario's own document (`/scenario/{slug}/definition`);
//! 2. the gateway's document of all of them (`/openapi.json`);
//! 3. the management API's document (`/api/openapi.json`), with the admin token, on a server of
//!    its own: schemathesis PUTs random scenarios and DELETEs the examples, which must not
//!    disturb the scenario passes.
//!
//! The checks are in `tests/schemathesis/{scenarios,management}.toml`; Scenic's own check
//! (`scenic_not_a_server_error`, instead of `not_a_server_error`) is in
//! `tests/schemathesis/scenic_checks.py`. A failure prints each failing pass's command line and
//! schemathesis' report of what it found (with its seed); the exact commands work by hand
//! against `scenic serve examples/` (with `SCHEMATHESIS_HOOKS` set to the checks file).
//!
//! Schemathesis is `st` next to `$SCENIC_PYTHON` (else `<workspace>/.venv/bin/python`, which
//! `scripts/test` creates). Without it the test fails under CI and warns loudly elsewhere.
//! `SCENIC_SCHEMATHESIS_EXAMPLES` (default 50) sets `--max-examples`, `SCENIC_SCHEMATHESIS_SEED`
//! a seed to reproduce a run.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const TOKEN: &str = "schemathesis-t0ken";
/// Test cases per operation and phase, unless `SCENIC_SCHEMATHESIS_EXAMPLES` says otherwise.
const MAX_EXAMPLES: u32 = 50;
/// One schemathesis run that takes longer than this is stopped and fails.
const RUN_LIMIT: Duration = Duration::from_secs(240);
/// How much of schemathesis' report a failure shows, per run.
const REPORT_CHARS: usize = 8000;
const LINE_CHARS: usize = 600;

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn here() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/schemathesis")
}

/// The `st` executable of the Python environment, or `None` (after a loud warning) outside CI.
fn schemathesis() -> Option<PathBuf> {
    let python = match std::env::var_os("SCENIC_PYTHON") {
        Some(p) => PathBuf::from(p),
        None => workspace().join(".venv/bin/python"),
    };
    // Not canonicalized: the venv's `python` is a symlink out of the venv.
    let st = python.parent().map(|bin| bin.join("st"));
    if let Some(st) = st.filter(|st| st.is_file()) {
        return Some(st);
    }
    let msg = format!(
        "schemathesis (`st`) not found next to {} (run scripts/test, or set SCENIC_PYTHON to a \
         Python with schemathesis installed)",
        python.display()
    );
    if std::env::var_os("CI").is_some() {
        panic!("{msg}");
    }
    eprintln!("\n!!!!!!!! WARNING: {msg}: the server was NOT fuzzed with schemathesis !!!!!!!!\n");
    None
}

/// Copies the example scenarios (and their fragments) into `dir`; the request-response ones'
/// names (`metaData.id`).
fn copy_examples(dir: &Path) -> Vec<String> {
    let examples = workspace().join("examples");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&examples).expect("examples/") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") || !path.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read example");
        let json: Value = serde_json::from_str(&text).expect("example is JSON");
        if json["metaData"]["additionalFields"]["metaDataType"] == "RequestResponseMetaData" {
            names.push(
                json["metaData"]["id"]
                    .as_str()
                    .expect("metaData.id")
                    .to_owned(),
            );
        }
        std::fs::copy(&path, dir.join(path.file_name().expect("name"))).expect("copy");
    }
    let fragments = examples.join("fragments");
    if fragments.is_dir() {
        std::fs::create_dir_all(dir.join("fragments")).expect("fragments/");
        for entry in std::fs::read_dir(&fragments).expect("fragments/") {
            let path = entry.expect("entry").path();
            if path.is_file() {
                std::fs::copy(
                    &path,
                    dir.join("fragments").join(path.file_name().expect("name")),
                )
                .expect("copy fragment");
            }
        }
    }
    names.sort();
    names
}

/// What one schemathesis run did.
struct Run {
    label: String,
    command: String,
    elapsed: Duration,
    /// The exit code; `None` when it was stopped at [`RUN_LIMIT`] or killed by a signal.
    code: Option<i32>,
    output: String,
    /// The documented scenario failures `scenic_not_a_server_error` let through.
    tolerated: Vec<String>,
}

impl Run {
    fn passed(&self) -> bool {
        self.code == Some(0) && self.generated() > 0
    }

    /// "Test cases: N generated, ..." of the summary.
    fn generated(&self) -> u64 {
        self.summary_after("Test cases:")
            .and_then(|l| l.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    }

    fn summary_after(&self, heading: &str) -> Option<&str> {
        let mut lines = self.output.lines();
        lines.find(|l| l.trim() == heading)?;
        lines.next().map(str::trim)
    }

    fn describe(&self) -> String {
        let operations = self
            .output
            .lines()
            .find(|l| l.trim_start().starts_with("Operations:"))
            .map(|l| l.trim().trim_start_matches("Operations:").trim())
            .unwrap_or("?");
        let cases = self.summary_after("Test cases:").unwrap_or("?");
        let mut text = format!(
            "{}: {:.1} s, operations {operations}, test cases: {cases}",
            self.label,
            self.elapsed.as_secs_f64()
        );
        if !self.tolerated.is_empty() {
            text.push_str(&format!(
                "; {} documented scenario failures (500 naming the node), e.g. {}",
                self.tolerated.len(),
                clip(&self.tolerated[0], 240)
            ));
        }
        text
    }

    /// The failure report: the command and what schemathesis found, trimmed to a readable size.
    fn report(&self) -> String {
        let verdict = match self.code {
            Some(0) => "exit 0 but no test case ran".to_owned(),
            Some(c) => format!("exit {c}"),
            None => format!("stopped after {} s, or killed", self.elapsed.as_secs()),
        };
        // From the failures on (they are followed by the summary, with the seed); all of it when
        // schemathesis found none (it could not load the document, say).
        let start = self
            .output
            .find("= FAILURES =")
            .map_or(0, |i| self.output[..i].rfind('\n').map_or(0, |n| n + 1));
        let mut body = String::new();
        for line in self.output[start..].lines() {
            body.push_str(&clip(line, LINE_CHARS));
            body.push('\n');
        }
        if body.len() > REPORT_CHARS {
            let head = clip(&body, REPORT_CHARS * 3 / 4);
            let tail_from = body.len() - REPORT_CHARS / 4;
            let tail_from = (tail_from..body.len())
                .find(|&i| body.is_char_boundary(i))
                .unwrap_or(body.len());
            body = format!("{head}\n[... trimmed ...]\n{}", &body[tail_from..]);
        }
        format!(
            "---- {} ({verdict}) ----\n$ {}\n{body}",
            self.label, self.command
        )
    }
}

fn clip(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// Runs `st --config-file CONFIG run ARGS…` in `work`, with Scenic's checks loaded.
fn run_st(st: &Path, work: &Path, label: &str, config: &str, args: &[String]) -> Run {
    let n = std::fs::read_dir(work).map(|d| d.count()).unwrap_or(0);
    let out_path = work.join(format!("run-{n}.out"));
    let tolerated_path = work.join(format!("run-{n}.tolerated"));
    let config = here().join(config);
    let hooks = here().join("scenic_checks.py");
    let examples = std::env::var("SCENIC_SCHEMATHESIS_EXAMPLES")
        .ok()
        .and_then(|n| n.parse::<u32>().ok())
        .unwrap_or(MAX_EXAMPLES);
    let mut all: Vec<String> = vec![
        "--config-file".into(),
        config.display().to_string(),
        "run".into(),
    ];
    all.extend(args.iter().cloned());
    all.extend([
        "--max-examples".into(),
        examples.to_string(),
        "--generation-database".into(),
        "none".into(),
        "--no-color".into(),
    ]);
    if let Ok(seed) = std::env::var("SCENIC_SCHEMATHESIS_SEED") {
        all.extend(["--seed".into(), seed]);
    }
    let command = format!(
        "SCHEMATHESIS_HOOKS={} {} {}",
        hooks.display(),
        st.display(),
        all.iter()
            .map(|a| {
                if a.contains(' ') {
                    format!("'{a}'")
                } else {
                    a.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    );
    let out = std::fs::File::create(&out_path).expect("output file");
    let err = out.try_clone().expect("output file");
    let started = Instant::now();
    let mut child = Command::new(st)
        .args(&all)
        .current_dir(work)
        .env("SCHEMATHESIS_HOOKS", &hooks)
        .env("SCENIC_ST_TOLERATED", &tolerated_path)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "120")
        .stdin(Stdio::null())
        .stdout(Stdio::from(out))
        .stderr(Stdio::from(err))
        .spawn()
        .expect("schemathesis starts");
    let code = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status.code();
        }
        if started.elapsed() > RUN_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let elapsed = started.elapsed();
    let output = String::from_utf8_lossy(&std::fs::read(&out_path).unwrap_or_default()).into();
    let tolerated = std::fs::read_to_string(&tolerated_path)
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect();
    let run = Run {
        label: label.to_owned(),
        command,
        elapsed,
        code,
        output,
        tolerated,
    };
    println!("{}", run.describe());
    run
}

/// The slugs the server deployed, checked against the example files.
async fn deployed_slugs(base: &str, names: &[String]) -> Vec<String> {
    let list: Value = reqwest::get(format!("{base}/api/scenarios"))
        .await
        .expect("GET /api/scenarios")
        .json()
        .await
        .expect("JSON");
    let list = list.as_array().expect("an array");
    let mut deployed: Vec<(String, String)> = list
        .iter()
        .filter(|s| s["status"] == "RUNNING")
        .filter_map(|s| {
            let slug = s["slug"].as_str()?;
            Some((s["name"].as_str()?.to_owned(), slug.to_owned()))
        })
        .collect();
    deployed.sort();
    assert_eq!(
        deployed.len(),
        names.len(),
        "every request-response example is served: {list:?}"
    );
    deployed.into_iter().map(|(_, slug)| slug).collect()
}

#[tokio::test]
async fn schemathesis_finds_nothing_in_the_published_documents() {
    let Some(st) = schemathesis() else {
        return;
    };
    let work = std::env::temp_dir().join(format!("scenic-schemathesis-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).expect("work dir");
    let mut names = Vec::new();
    let mut runs = Vec::new();
    let started = Instant::now();

    // Passes 1 and 2: the scenario documents.
    {
        let server = common::start_with(Some(TOKEN), |dir| names = copy_examples(dir)).await;
        assert!(
            !names.is_empty(),
            "examples/ has request-response scenarios"
        );
        let base = server.base.clone();
        for slug in deployed_slugs(&base, &names).await {
            let root = format!("{base}/scenario/{slug}");
            // The document's server is `./`, relative to the document (OpenAPI 3.1 §4.8.5);
            // schemathesis would take it relative to the host, hence `--url`.
            runs.push(run_st(
                &st,
                &work,
                &format!("scenario {slug}"),
                "scenarios.toml",
                &[format!("{root}/definition"), "--url".into(), root.clone()],
            ));
        }
        runs.push(run_st(
            &st,
            &work,
            "gateway /openapi.json",
            "scenarios.toml",
            &[format!("{base}/openapi.json"), "--url".into(), base.clone()],
        ));
        assert!(
            !server.log().contains("panicked"),
            "the server panicked:\n{}",
            server.log()
        );
    }

    // Pass 3: the management API, on a server of its own.
    {
        let server = common::start_with(Some(TOKEN), |dir| {
            copy_examples(dir);
        })
        .await;
        let base = server.base.clone();
        runs.push(run_st(
            &st,
            &work,
            "management /api/openapi.json",
            "management.toml",
            &[
                format!("{base}/api/openapi.json"),
                "--url".into(),
                base.clone(),
                "--header".into(),
                format!("Authorization: Bearer {TOKEN}"),
            ],
        ));
        assert!(
            !server.log().contains("panicked"),
            "the server panicked:\n{}",
            server.log()
        );
    }
    println!(
        "schemathesis: {} runs in {:.1} s",
        runs.len(),
        started.elapsed().as_secs_f64()
    );

    let failed: Vec<String> = runs
        .iter()
        .filter(|r| !r.passed())
        .map(Run::report)
        .collect();
    let _ = std::fs::remove_dir_all(&work);
    assert!(
        failed.is_empty(),
        "schemathesis found problems in {} of {} runs:\n\n{}",
        failed.len(),
        runs.len(),
        failed.join("\n\n")
    );
}
