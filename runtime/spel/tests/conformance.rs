//! Runs every case of the SpEL conformance corpus (a copy of the reference corpus kept in
//! `tests/data/`), and holds the list of allowed deviations to its rules.

use std::collections::BTreeMap;

const CORE_AREAS: &[&str] = &[
    "literals",
    "grammar",
    "variables",
    "property",
    "indexer",
    "arith",
    "compare",
    "logic",
    "typing",
    "ternary",
    "elvis",
    "safenav",
    "collection",
    "regex",
    "between",
    "forbidden",
    "template",
];

fn allowed() -> BTreeMap<String, String> {
    let text = include_str!("data/conformance-allowed.txt");
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (id, reason) = l.split_once(char::is_whitespace).unwrap_or((l, ""));
            assert!(
                !reason.trim().is_empty(),
                "allowed failure {id} has no reason"
            );
            (id.to_string(), reason.trim().to_string())
        })
        .collect()
}

#[test]
fn corpus_passes_except_listed_deviations() {
    let text = include_str!("data/spel-corpus.json");
    let report = scenic_spel::conformance::run_corpus(text).expect("corpus parses");
    let allowed = allowed();
    let total = report.outcomes.len();
    assert!(total >= 600, "corpus unexpectedly small: {total}");
    assert!(
        allowed.len() * 50 <= total,
        "{} allowed failures exceed 2% of {total} cases",
        allowed.len()
    );
    let mut unexpected = Vec::new();
    let mut stale = Vec::new();
    for o in &report.outcomes {
        match (&o.failure, allowed.contains_key(&o.id)) {
            (Some(why), false) => {
                unexpected.push(format!("{} [{}] {} :: {why}", o.id, o.area, o.expr))
            }
            (None, true) => stale.push(o.id.clone()),
            (Some(_), true) => {
                assert!(
                    !CORE_AREAS.contains(&o.area.as_str()),
                    "{} is in a core area ({}) and may not be allowed to fail",
                    o.id,
                    o.area
                );
            }
            (None, false) => {}
        }
    }
    assert!(
        stale.is_empty(),
        "listed as allowed but passing now (remove them): {stale:?}"
    );
    assert!(
        unexpected.is_empty(),
        "{} unexpected failures:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
    println!(
        "{} passed, {} failed (all listed)",
        report.passed(),
        report.failed_count()
    );
}

#[test]
fn repository_copy_matches_shared_corpus_when_present() {
    // The corpus is our own data; this only tells us when the reference copy has moved on.
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/conformance/spel-corpus.json");
    match std::fs::read_to_string(&shared) {
        Ok(text) => {
            let ours: serde_json::Value =
                serde_json::from_str(include_str!("data/spel-corpus.json"))
                    .expect("our copy parses");
            let theirs: serde_json::Value =
                serde_json::from_str(&text).expect("shared corpus parses");
            assert_eq!(
                ours,
                theirs,
                "tests/data/spel-corpus.json differs from {}: copy it again",
                shared.display()
            );
        }
        Err(_) => eprintln!(
            "NOTE: {} is absent; only the repository copy of the corpus was run",
            shared.display()
        ),
    }
}
