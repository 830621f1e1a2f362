//! `scenic-stream --check`: compiles a streaming scenario against its configuration without a
//! broker, and reports every problem with its node.

use std::path::PathBuf;
use std::process::Command;

fn examples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/streaming")
}

fn check(scenario: &std::path::Path, config: Option<&std::path::Path>) -> (i32, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_scenic-stream"));
    cmd.arg(scenario).arg("--check");
    if let Some(c) = config {
        cmd.arg("--config").arg(c);
    }
    let out = cmd.output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn the_example_checks_ok_and_a_typo_is_reported_with_its_node() {
    let config = examples().join("config.json");
    let (code, out) = check(&examples().join("transaction-alerts.json"), Some(&config));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(": ok"));

    let text = std::fs::read_to_string(examples().join("transaction-alerts.json")).expect("read");
    let dir = std::env::temp_dir().join(format!("scenic-stream-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        text.replace("#input.amount >= 1000", "#input.amout >= 1000"),
    )
    .expect("write");
    // Schemas are found relative to the configuration, which stays in examples/.
    let (code, out) = check(&bad, Some(&config));
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "node 'large only', parameter 'expression', 1:8: There is no property 'amout'"
        ),
        "{out}"
    );

    // Without the configuration's schemas, #input is Unknown: said, with a hint.
    let (code, out) = check(&examples().join("transaction-alerts.json"), None);
    assert_eq!(code, 1);
    assert!(out.contains("hint:"), "{out}");
}

#[test]
fn a_request_response_scenario_is_refused_by_name() {
    let rr = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/loan-request.json");
    let (code, out) = check(&rr, None);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("request-response") || out.contains("Unknown source"),
        "{out}"
    );
}
