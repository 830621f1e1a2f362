//! Scenario compilation: every problem reported at once with its place; the export format's
//! structure rules; disabled nodes and fragments; interpreter semantics of the node kinds.

use scenic_scenario::compile::DirFragments;
use scenic_scenario::{load_scenario, CompileError, Failure, NoFragments, Registry};
use scenic_spel::Value;
use serde_json::{json, Value as Json};

fn scenario(nodes: Json, extra: Json) -> String {
    let mut all = vec![
        json!({"id": "request", "type": "Source", "ref": {"typ": "request", "parameters": []}}),
    ];
    all.extend(nodes.as_array().cloned().unwrap_or_default());
    json!({
        "metaData": {"id": "t", "additionalFields": {"properties": {
            "inputSchema": json!({"type": "object", "properties": {"n": {"type": "integer"}, "s": {"type": "string"}, "items": {"type": "array", "items": {"type": "integer"}}}}).to_string(),
            "outputSchema": "{}", "slug": "t"}, "metaDataType": "RequestResponseMetaData"}},
        "nodes": all,
        "additionalBranches": extra
    })
    .to_string()
}

fn raw(id: &str, value: &str) -> Json {
    json!({"id": id, "type": "Sink", "ref": {"typ": "response", "parameters": [
        {"name": "Raw editor", "expression": {"language": "spel", "expression": "true"}},
        {"name": "Value", "expression": {"language": "spel", "expression": value}}]}})
}

fn errors(text: &str) -> Vec<CompileError> {
    load_scenario(text, &Registry::builtin(), &NoFragments)
        .expect_err("should not compile")
        .errors()
}

/// Sink outputs (node, value) and errors (node, message) of one run.
type Outcome = (Vec<(String, Json)>, Vec<(String, String)>);

fn run(text: &str, input: Json) -> Outcome {
    let s = load_scenario(text, &Registry::builtin(), &NoFragments)
        .unwrap_or_else(|e| panic!("compiles: {e}"));
    let v = s.source().decode(input).expect("valid input");
    let r = futures::executor::block_on(s.run(v));
    (
        r.outputs
            .iter()
            .map(|o| {
                (
                    o.node_id.to_string(),
                    scenic_spel::value::to_json(&o.value()),
                )
            })
            .collect(),
        r.errors
            .iter()
            .map(|e| (e.node_id.to_string(), e.message()))
            .collect(),
    )
}

#[test]
fn every_problem_is_reported_with_node_parameter_and_position() {
    let text = scenario(
        json!([
            {"id": "v", "type": "Variable", "varName": "x", "value": {"language": "spel", "expression": "#input.nope + 1"}},
            {"id": "f", "type": "Filter", "expression": {"language": "spel", "expression": "#x"}, "nextFalse": []},
            {"id": "e", "type": "Enricher", "service": {"id": "no-such-service", "parameters": []}, "output": "o"},
            raw("out", "#undefined")
        ]),
        json!([]),
    );
    let errs = errors(&text);
    let find = |node: &str| {
        errs.iter()
            .find(|e| e.node_id.as_deref() == Some(node))
            .unwrap_or_else(|| panic!("error at {node}: {errs:?}"))
    };
    let v = find("v");
    assert_eq!(v.parameter.as_deref(), Some("value"));
    assert_eq!((v.line, v.column), (Some(1), Some(8)));
    assert!(
        v.message.contains("There is no property 'nope'"),
        "{}",
        v.message
    );
    assert!(find("e")
        .message
        .contains("Unknown enricher component 'no-such-service'"));
    assert!(find("out")
        .message
        .contains("Unresolved reference 'undefined'"));
    assert!(errs.len() >= 3, "{errs:?}");
}

#[test]
fn structure_rules() {
    let dup = scenario(
        json!([{"id": "request", "type": "Variable", "varName": "x", "value": {"language": "spel", "expression": "1"}}, raw("out", "1")]),
        json!([]),
    );
    assert!(errors(&dup)
        .iter()
        .any(|e| e.message.contains("Duplicate node id 'request'")));
    let tail = scenario(
        json!([{"id": "v", "type": "Variable", "varName": "x", "value": {"language": "spel", "expression": "1"}}]),
        json!([]),
    );
    assert!(errors(&tail).iter().any(
        |e| e.node_id.as_deref() == Some("v") && e.message.contains("cannot be the last node")
    ));
    let bad_slug =
        scenario(json!([raw("out", "1")]), json!([])).replace("\"slug\":\"t\"", "\"slug\":\"a b\"");
    assert!(errors(&bad_slug)
        .iter()
        .any(|e| e.message.contains("Illegal slug")));
    let no_join = scenario(
        json!([{"definition": {"id": "b1", "joinId": "nowhere"}, "type": "BranchEndData"}]),
        json!([]),
    );
    assert!(errors(&no_join)
        .iter()
        .any(|e| e.message.contains("join 'nowhere'")));
}

#[test]
fn expected_types_are_checked() {
    let text = scenario(
        json!([{"id": "f", "type": "Filter", "expression": {"language": "spel", "expression": "#input.s"}, "nextFalse": []}, raw("out", "1")]),
        json!([]),
    );
    let e = errors(&text);
    assert!(
        e.iter().any(|e| e.node_id.as_deref() == Some("f")
            && e.message
                .contains("Bad expression type, expected: Boolean, found: String")),
        "{e:?}"
    );
}

#[test]
fn variables_are_typed_along_each_path() {
    // `#big` exists only on the true path of the filter.
    let text = scenario(
        json!([
            {"id": "f", "type": "Filter", "expression": {"language": "spel", "expression": "#input.n > 5"},
             "nextFalse": [raw("small", "#big")]},
            {"id": "v", "type": "Variable", "varName": "big", "value": {"language": "spel", "expression": "#input.n * 2"}},
            raw("large", "#big")
        ]),
        json!([]),
    );
    let e = errors(&text);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].node_id.as_deref(), Some("small"));
}

#[test]
fn choice_split_record_and_for_each() {
    let text = scenario(
        json!([
            {"id": "rec", "type": "VariableBuilder", "varName": "r", "fields": [
                {"name": "a", "expression": {"language": "spel", "expression": "#input.n"}},
                {"name": "b", "expression": {"language": "spel", "expression": "#r.a + 1"}}]},
            {"id": "split", "type": "Split", "nexts": [
                [{"id": "choice", "type": "Switch", "defaultNext": [raw("other", "'other'")], "nexts": [
                    {"expression": {"language": "spel", "expression": "#r.b > 10"}, "nodes": [raw("big", "#r")]}]}],
                [{"id": "each", "type": "CustomNode", "nodeType": "for-each", "outputVar": "el",
                  "parameters": [{"name": "Elements", "expression": {"language": "spel", "expression": "#input.items"}}]},
                 raw("element", "#el * 10")]
            ]}
        ]),
        json!([]),
    );
    let (out, errs) = run(&text, json!({"n": 20, "items": [1, 2]}));
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(
        out,
        vec![
            ("big".to_string(), json!({"a": 20, "b": 21})),
            ("element".to_string(), json!(10)),
            ("element".to_string(), json!(20)),
        ]
    );
    let (out, _) = run(&text, json!({"n": 1, "items": []}));
    assert_eq!(out, vec![("other".to_string(), json!("other"))]);
}

#[test]
fn errors_drop_only_their_context() {
    let text = scenario(
        json!([
            {"id": "each", "type": "CustomNode", "nodeType": "for-each", "outputVar": "el",
             "parameters": [{"name": "Elements", "expression": {"language": "spel", "expression": "#input.items"}}]},
            {"id": "div", "type": "Variable", "varName": "q", "value": {"language": "spel", "expression": "10 / #el"}},
            raw("out", "#q")
        ]),
        json!([]),
    );
    let (out, errs) = run(&text, json!({"items": [5, 0, 2]}));
    assert_eq!(
        out.iter().map(|o| o.1.clone()).collect::<Vec<_>>(),
        vec![json!(2), json!(5)]
    );
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].0, "div");
    assert!(errs[0].1.contains("/ by zero"));
}

#[test]
fn a_failing_expression_is_typed_with_its_parameter_and_text() {
    let text = scenario(
        json!([
            {"id": "div", "type": "Variable", "varName": "q", "value": {"language": "spel", "expression": "10 / #input.n"}},
            raw("out", "#q")
        ]),
        json!([]),
    );
    let s = load_scenario(&text, &Registry::builtin(), &NoFragments).expect("compiles");
    let v = s.source().decode(json!({"n": 0})).expect("valid input");
    let r = futures::executor::block_on(s.run(v));
    assert_eq!(r.errors.len(), 1, "{:?}", r.errors);
    let e = &r.errors[0];
    assert_eq!(&*e.node_id, "div");
    assert_eq!(e.failure.expression(), Some("10 / #input.n"));
    assert!(
        matches!(&e.failure, Failure::Expression { parameter, .. } if !parameter.is_empty()),
        "{:?}",
        e.failure
    );
    // The message is SpEL's, as it always was; the typed error keeps it as its source.
    assert_eq!(
        e.message(),
        "Expression [10 / #input.n] evaluation failed, message: / by zero"
    );
    assert!(std::error::Error::source(&e.failure).is_some());
}

#[test]
fn union_and_collect_gather_every_branch() {
    let text = scenario(
        json!([{"id": "split", "type": "Split", "nexts": [
            [{"id": "a", "type": "Variable", "varName": "x", "value": {"language": "spel", "expression": "1"}}, {"definition": {"id": "a", "joinId": "u"}, "type": "BranchEndData"}],
            [{"id": "b", "type": "Variable", "varName": "y", "value": {"language": "spel", "expression": "2"}}, {"definition": {"id": "b", "joinId": "u"}, "type": "BranchEndData"}]
        ]}]),
        json!([[
            {"id": "u", "type": "Join", "nodeType": "union", "outputVar": "v", "parameters": [], "branchParameters": [
                {"branchId": "a", "parameters": [{"name": "Output expression", "expression": {"language": "spel", "expression": "#x"}}]},
                {"branchId": "b", "parameters": [{"name": "Output expression", "expression": {"language": "spel", "expression": "#y * 10"}}]}]},
            {"id": "all", "type": "CustomNode", "nodeType": "collect", "outputVar": "list",
             "parameters": [{"name": "Input expression", "expression": {"language": "spel", "expression": "#v"}}]},
            raw("out", "#list")
        ]]),
    );
    let (out, errs) = run(&text, json!({}));
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(out, vec![("out".to_string(), json!([1, 20]))]);
}

#[test]
fn disabled_nodes_are_removed() {
    let text = scenario(
        json!([
            {"id": "off", "type": "Filter", "isDisabled": true, "expression": {"language": "spel", "expression": "false"}, "nextFalse": [raw("never", "'no'")]},
            {"id": "log", "type": "Processor", "isDisabled": true, "service": {"id": "no-such", "parameters": []}},
            raw("out", "'passed'")
        ]),
        json!([]),
    );
    let (out, errs) = run(&text, json!({}));
    assert!(errs.is_empty());
    assert_eq!(out, vec![("out".to_string(), json!("passed"))]);
}

#[test]
fn fragments_are_inlined_with_their_own_scope() {
    let dir = std::env::temp_dir().join(format!("scenic-fragments-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let fragment = json!({
        "metaData": {"id": "double", "additionalFields": {"properties": {}, "metaDataType": "FragmentSpecificData"}},
        "nodes": [
            {"id": "in", "type": "FragmentInputDefinition", "parameters": [{"name": "value", "typ": {"refClazzName": "java.lang.Long"}}]},
            {"id": "pos", "type": "Filter", "expression": {"language": "spel", "expression": "#value > 0"},
             "nextFalse": [{"id": "neg", "type": "FragmentOutputDefinition", "outputName": "negative", "fields": []}]},
            {"id": "out", "type": "FragmentOutputDefinition", "outputName": "output", "fields": [{"name": "doubled", "expression": {"language": "spel", "expression": "#value * 2"}}]}
        ],
        "additionalBranches": []
    });
    std::fs::write(dir.join("double.json"), fragment.to_string()).expect("write");
    let text = scenario(
        json!([{"id": "frag", "type": "FragmentInput", "ref": {"id": "double", "parameters": [{"name": "value", "expression": {"language": "spel", "expression": "#input.n"}}], "outputVariableNames": {"output": "res"}},
                "outputs": {"output": [raw("ok", "#res.doubled + #input.n")], "negative": [raw("no", "'negative'")]}}]),
        json!([]),
    );
    let s = load_scenario(&text, &Registry::builtin(), &DirFragments(dir.clone()))
        .unwrap_or_else(|e| panic!("compiles: {e}"));
    let ids: Vec<String> = s.graph().node_ids().map(str::to_string).collect();
    assert!(
        ids.contains(&"frag-pos".to_string()),
        "fragment node ids are prefixed: {ids:?}"
    );
    let go = |n: i64| {
        let v = s.source().decode(json!({"n": n})).expect("valid");
        let r = futures::executor::block_on(s.run(v));
        r.outputs
            .iter()
            .map(|o| scenic_spel::value::to_json(&o.value()))
            .collect::<Vec<_>>()
    };
    assert_eq!(go(5), vec![json!(15)]);
    assert_eq!(go(-1), vec![json!("negative")]);
    // Inside the fragment, the parent's variables are not visible.
    let leaky = json!({"metaData": {"id": "leaky", "additionalFields": {"properties": {}, "metaDataType": "FragmentSpecificData"}},
        "nodes": [{"id": "in", "type": "FragmentInputDefinition", "parameters": []},
                  {"id": "out", "type": "FragmentOutputDefinition", "outputName": "output", "fields": [{"name": "x", "expression": {"language": "spel", "expression": "#input"}}]}],
        "additionalBranches": []});
    std::fs::write(dir.join("leaky.json"), leaky.to_string()).expect("write");
    let text = scenario(
        json!([{"id": "frag", "type": "FragmentInput", "ref": {"id": "leaky", "parameters": []}, "outputs": {"output": [raw("ok", "1")]}}]),
        json!([]),
    );
    let e = load_scenario(&text, &Registry::builtin(), &DirFragments(dir.clone()))
        .expect_err("input not visible")
        .errors();
    assert!(
        e.iter().any(|e| e.node_id.as_deref() == Some("frag-out")
            && e.message.contains("Unresolved reference 'input'")),
        "{e:?}"
    );
    let missing = scenario(
        json!([{"id": "frag", "type": "FragmentInput", "ref": {"id": "nope", "parameters": []}, "outputs": {}}]),
        json!([]),
    );
    let e = load_scenario(&missing, &Registry::builtin(), &DirFragments(dir))
        .expect_err("missing fragment")
        .errors();
    assert!(
        e.iter()
            .any(|e| e.message.contains("Fragment 'nope' not found")),
        "{e:?}"
    );
    let _ = Value::Null;
}

#[test]
fn malformed_files_name_the_place() {
    let e = load_scenario(
        "{\"metaData\": {\"id\": 1",
        &Registry::builtin(),
        &NoFragments,
    )
    .expect_err("bad json")
    .errors();
    assert!(e[0].message.contains("line 1 column"), "{e:?}");
    let e = load_scenario(
        r#"{"metaData": {"id": "x", "additionalFields": {"metaDataType": "Nope"}}, "nodes": []}"#,
        &Registry::builtin(),
        &NoFragments,
    )
    .expect_err("bad type")
    .errors();
    assert!(e[0].message.contains("Nope"));
}

/// Issue #9: a second source of a streaming scenario was silently ignored; it is refused with
/// the node named, until several sources are supported.
#[test]
fn a_second_source_is_refused_in_streaming_scenarios_too() {
    let branch = |source: &str, sink: &str| {
        json!([
            {"id": source, "type": "Source", "ref": {"typ": "request", "parameters": []}},
            {"id": sink, "type": "Sink", "ref": {"typ": "dead-end", "parameters": []}}
        ])
    };
    let text = json!({
        "metaData": {"id": "two", "additionalFields": {"properties": {"inputSchema": "{}", "outputSchema": "{}"}, "metaDataType": "LiteStreamMetaData"}},
        "nodes": branch("first", "end1"),
        "additionalBranches": [branch("second", "end2")]
    })
    .to_string();
    let errs = errors(&text);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].node_id.as_deref(), Some("second"));
    assert!(
        errs[0].message.contains("one source only"),
        "{}",
        errs[0].message
    );
}

/// Fragments that use themselves, directly or through others, are a compile error naming the
/// cycle (issue #9: they overflowed the stack), and nesting is bounded.
#[test]
fn recursive_fragments_are_named_and_nesting_is_bounded() {
    let dir = std::env::temp_dir().join(format!("scenic-frag-cycle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let fragment = |inner: &str| {
        json!({
            "metaData": {"id": "f", "additionalFields": {"properties": {}, "metaDataType": "FragmentSpecificData"}},
            "nodes": [
                {"id": "input", "type": "FragmentInputDefinition", "parameters": []},
                {"id": "again", "type": "FragmentInput", "ref": {"id": inner, "parameters": [], "outputVariableNames": {}},
                 "outputs": {"output": [{"id": "done", "type": "FragmentOutputDefinition", "outputName": "output", "fields": []}]}}
            ],
            "additionalBranches": []
        })
        .to_string()
    };
    std::fs::write(dir.join("a.json"), fragment("b")).expect("write");
    std::fs::write(dir.join("b.json"), fragment("c")).expect("write");
    std::fs::write(dir.join("c.json"), fragment("a")).expect("write");
    // A chain of 20 distinct fragments: deeper than the nesting limit.
    for i in 0..20 {
        std::fs::write(
            dir.join(format!("n{i}.json")),
            fragment(&format!("n{}", i + 1)),
        )
        .expect("write");
    }
    let using = |f: &str| {
        scenario(
            json!([{"id": "frag", "type": "FragmentInput", "ref": {"id": f, "parameters": [], "outputVariableNames": {}},
                "outputs": {"output": [raw("out", "1")]}}]),
            json!([]),
        )
    };
    let frags = DirFragments(dir.clone());
    let errs = load_scenario(&using("a"), &Registry::builtin(), &frags)
        .expect_err("cycle")
        .errors();
    assert!(
        errs.iter()
            .any(|e| e.message == "Fragment cycle: a -> b -> c -> a"),
        "{errs:?}"
    );
    let errs = load_scenario(&using("n0"), &Registry::builtin(), &frags)
        .expect_err("too deep")
        .errors();
    assert!(
        errs.iter()
            .any(|e| e.message.contains("nested more than 16 deep")),
        "{errs:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
