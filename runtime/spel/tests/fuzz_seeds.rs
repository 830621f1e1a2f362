//! Replays the expression fuzz target's committed inputs (`runtime/fuzz/seeds/expression/`: the seeds and
//! every input the fuzzer found a defect with) in the normal test run, so a fixed defect stays
//! fixed without libFuzzer.

#[path = "../../fuzz/harness/expression.rs"]
mod harness;

#[test]
fn every_committed_fuzz_input_runs_cleanly() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/seeds/expression");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("seeds folder") {
        let path = entry.expect("entry").path();
        let data = std::fs::read(&path).expect("seed");
        harness::run(&data);
        n += 1;
    }
    assert!(n > 0, "no seeds in {}", dir.display());
}
