//! The sample bodies `scenic serve` prints in its `curl` lines: for every example and every
//! request-response scenario of `../shared/scenarios`, the sample fits the input schema
//! (checked by an independent validator and by decoding through the scenario's source), and
//! an example's sample runs through the scenario without an error.

use std::path::{Path, PathBuf};

use scenic_scenario::compile::DirFragments;
use scenic_scenario::model::ScenarioType;
use scenic_scenario::{load_scenario, CompiledScenario, NoFragments, Registry};
use serde_json::Value as Json;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

/// The request-response scenarios among `files` (others, fragments and streaming scenarios,
/// are skipped), compiled.
fn request_response(
    files: &[PathBuf],
    fragments: Option<&Path>,
) -> Vec<(PathBuf, CompiledScenario)> {
    let registry = Registry::builtin();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(f).expect("readable");
        let json: Json = serde_json::from_str(&text).expect("JSON");
        let meta = &json["metaData"];
        let kind = [
            &meta["additionalFields"]["metaDataType"],
            &meta["typeSpecificData"]["type"],
        ];
        if !kind.iter().any(|k| *k == "RequestResponseMetaData") {
            continue;
        }
        let s = match fragments {
            Some(d) => load_scenario(&text, &registry, &DirFragments(d.to_path_buf())),
            None => load_scenario(&text, &registry, &NoFragments),
        }
        .unwrap_or_else(|e| panic!("{} compiles: {e}", f.display()));
        if s.scenario_type() == ScenarioType::RequestResponse {
            out.push((f.clone(), s));
        }
    }
    out
}

/// The sample of the scenario's input schema, checked; `None` when the scenario has no schema.
fn checked_sample(file: &Path, s: &CompiledScenario) -> Option<Json> {
    let schema = s.input_schema()?;
    let sample = schema
        .sample()
        .unwrap_or_else(|| panic!("{}: no sample for {}", file.display(), schema.raw()));
    let mut options = jsonschema::options();
    if schema.raw().get("$schema").is_none() {
        options = options.with_draft(jsonschema::Draft::Draft7);
    }
    let validator = options
        .should_validate_formats(true)
        .build(schema.raw())
        .expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&sample)
        .map(|e| e.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "{}: {sample} violates the schema: {errors:?}",
        file.display()
    );
    if let Err(v) = s.source().decode(sample.clone()) {
        panic!("{}: the source rejects {sample}: {v:?}", file.display());
    }
    Some(sample)
}

#[test]
fn every_example_has_a_sample_that_fits_and_runs() {
    let dir = root().join("examples");
    let mut files = Vec::new();
    json_files(&dir, &mut files);
    // Fragments are not scenarios; the enricher examples need their configuration and a
    // database (gateway/tests/enrichers.rs serves them).
    files
        .retain(|f| !f.starts_with(dir.join("fragments")) && !f.starts_with(dir.join("enrichers")));
    let scenarios = request_response(&files, Some(&dir.join("fragments")));
    assert!(scenarios.len() >= 5, "examples are missing");
    for (file, s) in &scenarios {
        let sample = checked_sample(file, s).expect("examples have an input schema");
        let body = serde_json::to_vec(&sample).expect("bytes");
        let run = futures::executor::block_on(s.invoke_test(&body, None, None)).expect("decodes");
        assert!(
            run.errors.is_empty(),
            "{}: {sample} fails: {:?}",
            file.display(),
            run.errors
        );
        assert!(!run.outputs.is_empty(), "{}: no response", file.display());
    }
}

#[test]
fn every_shared_request_response_scenario_has_a_sample_that_fits() {
    let dir = root().join("../shared/scenarios");
    if !dir.is_dir() {
        let msg = format!(
            "{} is absent: the samples of the shared scenarios were not checked",
            dir.display()
        );
        if std::env::var_os("CI").is_some() {
            panic!("{msg}");
        }
        eprintln!("\n!!!!!!!! WARNING: {msg} !!!!!!!!\n");
        return;
    }
    let mut files = Vec::new();
    json_files(&dir, &mut files);
    let scenarios = request_response(&files, None);
    assert!(
        !scenarios.is_empty(),
        "no request-response scenarios in {}",
        dir.display()
    );
    for (file, s) in &scenarios {
        checked_sample(file, s);
    }
}
