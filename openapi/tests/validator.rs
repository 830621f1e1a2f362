//! Validates generated documents with the Python package `openapi-spec-validator`.
//!
//! The interpreter is `$SCENIC_PYTHON`, else `<workspace root>/.venv/bin/python`. When it (or the
//! package) is missing the test fails under CI (`$CI` set) and is skipped with a loud warning
//! otherwise. Set up: `python3 -m venv .venv && .venv/bin/pip install openapi-spec-validator`.

use std::path::{Path, PathBuf};
use std::process::Command;

use scenic_openapi::{gateway_document, scenario_document, ScenarioApi};
use serde_json::{json, Value};

fn python() -> Option<PathBuf> {
    let python = match std::env::var_os("SCENIC_PYTHON") {
        Some(path) => PathBuf::from(path),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/python"),
    };
    let usable = Command::new(&python)
        .args(["-c", "import openapi_spec_validator"])
        .output()
        .is_ok_and(|out| out.status.success());
    if usable {
        return Some(python);
    }
    let message = format!(
        "Python with openapi-spec-validator not found at {} (set SCENIC_PYTHON, or run \
         `python3 -m venv .venv && .venv/bin/pip install openapi-spec-validator` in the workspace)",
        python.display()
    );
    if std::env::var_os("CI").is_some() {
        panic!("{message}");
    }
    eprintln!("\n!!!!!!!!!! WARNING: {message}; OpenAPI documents NOT validated !!!!!!!!!!\n");
    None
}

fn api(name: &str, slug: &str, input: Value, output: Value) -> ScenarioApi {
    ScenarioApi {
        name: name.to_owned(),
        slug: slug.to_owned(),
        description: Some(format!("The {name} scenario.")),
        version: "1".to_owned(),
        input_schema: input,
        output_schema: output,
    }
}

fn synthetic() -> Vec<ScenarioApi> {
    let loan_input = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "http://example.com/loan.json",
        "type": "object",
        "properties": {
            "customerId": {"type": "string"},
            "amount": {"type": "integer", "minimum": 0, "default": 100},
            "requestType": {"type": "string", "enum": ["loan", "mortgage", "insurance"]},
            "location": {"$ref": "#/definitions/location"},
            "previous": {"type": "array", "items": {"$ref": "#/definitions/location"}}
        },
        "required": ["customerId", "amount"],
        "additionalProperties": false,
        "definitions": {
            "location": {
                "type": "object",
                "properties": {
                    "city": {"type": "string", "default": "Warsaw"},
                    "street": {"type": ["string", "null"]},
                    "country": {"$ref": "#/definitions/country"}
                }
            },
            "country": {"type": "string", "enum": ["PL", "DE", null]}
        }
    });
    let loan_output = json!({
        "type": "object",
        "properties": {
            "acceptedAmount": {"type": "number"},
            "message": {"type": ["string", "null"]}
        },
        "$defs": {"unused": true}
    });
    let tree = json!({
        "type": "object",
        "properties": {
            "value": {"type": "integer"},
            "children": {"type": "array", "items": {"$ref": "#"}}
        }
    });
    let draft7 = json!({
        "type": "object",
        "properties": {
            "pair": {"type": "array", "items": [{"type": "string"}, {"type": "integer"}], "additionalItems": false},
            "n": {"type": "number", "minimum": 0, "exclusiveMinimum": true},
            "same": {"$ref": "#/properties/pair/items/0"},
            "if": {"if": {"type": "string"}, "then": {"minLength": 1}, "else": {"type": "null"}}
        },
        "dependencies": {"a": ["b"], "c": {"required": ["d"]}}
    });
    vec![
        api("LoanRequest", "loan", loan_input.clone(), loan_output),
        api("Loan request", "loan2", loan_input, json!({})),
        api("empty", "empty", json!({}), json!({})),
        api("true schemas", "true", json!(true), json!(false)),
        api(
            "list in list out",
            "lists",
            json!({"type": "array", "items": {"type": "object", "properties": {"id": {"type": "integer"}}}}),
            json!({"type": "array", "items": {"type": "string"}}),
        ),
        api(
            "union with null",
            "union",
            json!({"anyOf": [{"type": "string"}, {"type": "null"}, {"type": "object", "properties": {"x": {"type": "string"}}}]}),
            json!({"type": ["string", "null"], "oneOf": [{"maxLength": 3}, {"type": "null"}]}),
        ),
        api("tree", "tree", tree.clone(), tree),
        api(
            "draft 7 keywords",
            "draft7",
            draft7,
            json!({"type": "boolean"}),
        ),
        api(
            "123 numbers first",
            "numbers",
            json!({"type": "number"}),
            json!({"type": "integer"}),
        ),
    ]
}

/// Request-response scenarios in `../../shared/scenarios` (relative to this crate).
fn shared_scenarios() -> Vec<ScenarioApi> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/scenarios");
    if !dir.is_dir() {
        eprintln!(
            "\n!!!!!!!!!! NOTE: {} is absent; the real scenarios' schemas are NOT validated !!!!!!!!!!\n",
            dir.display()
        );
        return Vec::new();
    }
    let mut files = Vec::new();
    collect_json_files(&dir, &mut files);
    files.sort();
    let mut apis = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable scenario");
        let Ok(scenario) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        let meta = &scenario["metaData"];
        let fields = &meta["additionalFields"];
        let properties = &fields["properties"];
        let (Some(input), Some(output)) = (
            properties["inputSchema"].as_str(),
            properties["outputSchema"].as_str(),
        ) else {
            continue;
        };
        let name = meta["id"].as_str().unwrap_or("scenario").to_owned();
        let slug = properties["slug"]
            .as_str()
            .or(meta["typeSpecificData"]["slug"].as_str())
            .unwrap_or(&name)
            .to_owned();
        apis.push(ScenarioApi {
            description: fields["description"].as_str().map(str::to_owned),
            version: "1".to_owned(),
            input_schema: serde_json::from_str(input)
                .unwrap_or_else(|e| panic!("{}: inputSchema: {e}", file.display())),
            output_schema: serde_json::from_str(output)
                .unwrap_or_else(|e| panic!("{}: outputSchema: {e}", file.display())),
            name,
            slug,
        });
    }
    assert!(
        !apis.is_empty(),
        "no request-response scenario found in {}",
        dir.display()
    );
    apis
}

fn collect_json_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable directory") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            collect_json_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "json") {
            files.push(path);
        }
    }
}

#[test]
fn documents_are_valid_openapi_3_1() {
    let Some(python) = python() else {
        return;
    };
    // `SCENIC_OPENAPI_OUT=DIR` keeps the documents there (e.g. to try client generators on them).
    let keep = std::env::var_os("SCENIC_OPENAPI_OUT").map(PathBuf::from);
    let dir = keep.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("scenic-openapi-validator-{}", std::process::id()))
    });
    std::fs::create_dir_all(&dir).expect("temp dir");

    let synthetic = synthetic();
    let shared = shared_scenarios();
    let mut documents: Vec<(String, Value)> = Vec::new();
    for (i, api) in synthetic.iter().chain(&shared).enumerate() {
        documents.push((format!("{i:02}-{}.json", api.slug), scenario_document(api)));
    }
    documents.push((
        "gateway-synthetic.json".to_owned(),
        gateway_document(&synthetic),
    ));
    let all: Vec<ScenarioApi> = synthetic.iter().chain(&shared).cloned().collect();
    documents.push(("gateway-all.json".to_owned(), gateway_document(&all)));
    documents.push(("gateway-empty.json".to_owned(), gateway_document(&[])));

    let mut paths = Vec::new();
    for (file, document) in &documents {
        let path = dir.join(file);
        let text = serde_json::to_string_pretty(document).expect("serialisable");
        std::fs::write(&path, text).expect("written document");
        paths.push(path);
    }

    let output = Command::new(&python)
        .args(["-m", "openapi_spec_validator", "--validation-errors", "all"])
        .args(&paths)
        .output()
        .expect("validator runs");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "openapi-spec-validator rejected a document (files kept in {}):\n{report}",
        dir.display()
    );
    let ok_lines = report
        .lines()
        .filter(|l| l.trim_end().ends_with("OK"))
        .count();
    assert_eq!(ok_lines, paths.len(), "{report}");
    if keep.is_none() {
        std::fs::remove_dir_all(&dir).ok();
    }
}
