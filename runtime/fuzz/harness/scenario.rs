//! Any text as a scenario file: parsed, compiled (with fragments, a recursive one among them)
//! and, when it compiles, run on a few inputs under a budget with a deadline. Nothing may
//! panic, overflow the stack or run away.
//!
//! Shared by the cargo-fuzz target and by the test that replays the committed seeds and
//! every input the fuzzer ever found (`runtime/fuzz/seeds/`).

use std::time::{Duration, Instant};

use scenic_scenario::compile::FragmentSource;
use scenic_scenario::interp::RunOptions;
use scenic_scenario::model::{parse_scenario, ScenarioFile};
use scenic_scenario::{load_scenario_with, Registry, ScenarioLimits};

/// `loop` uses itself; `plain` passes its input on through output `output`.
struct Fragments;

impl FragmentSource for Fragments {
    fn fragment(&self, id: &str) -> Result<ScenarioFile, String> {
        let inner = match id {
            "loop" => {
                serde_json::json!([{"id": "again", "type": "FragmentInput", "ref": {"id": "loop", "parameters": [], "outputVariableNames": {}},
                "outputs": {"output": [{"id": "done", "type": "FragmentOutputDefinition", "outputName": "output", "fields": []}]}}])
            }
            "plain" => {
                serde_json::json!([{"id": "done", "type": "FragmentOutputDefinition", "outputName": "output",
                "fields": [{"name": "x", "expression": {"language": "spel", "expression": "1"}}]}])
            }
            _ => return Err(format!("no fragment {id}")),
        };
        let mut nodes = vec![
            serde_json::json!({"id": "input", "type": "FragmentInputDefinition", "parameters": []}),
        ];
        nodes.extend(inner.as_array().cloned().unwrap_or_default());
        let text = serde_json::json!({
            "metaData": {"id": id, "additionalFields": {"properties": {}, "metaDataType": "FragmentSpecificData"}},
            "nodes": nodes, "additionalBranches": []
        })
        .to_string();
        parse_scenario(&text)
    }
}

/// One fuzz input: must not panic, overflow the stack or run away.
pub fn run(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let limits = ScenarioLimits {
        compile_timeout: Duration::from_secs(2),
        ..ScenarioLimits::default()
    };
    let Ok(s) = load_scenario_with(text, &Registry::builtin(), &Fragments, &limits) else {
        return;
    };
    for input in [
        serde_json::json!({}),
        serde_json::json!({"a": 1, "b": "x", "items": [1, 2, 3]}),
        serde_json::json!([null]),
    ] {
        let Ok(value) = s.source().decode(input) else {
            continue;
        };
        let opts = RunOptions {
            deadline: Some(Instant::now() + Duration::from_secs(2)),
            ..RunOptions::default()
        };
        let graph = s.graph();
        let _ = futures::executor::block_on(graph.run_ctx(graph.context(value), &opts, None));
    }
}
