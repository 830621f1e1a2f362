//! Replays a fuzz target's committed inputs (`runtime/fuzz/seeds/<target>/`: the seeds and every
//! input the fuzzer found a defect with) in the normal test run, so a fixed defect stays fixed
//! without libFuzzer. Included by each crate's `tests/fuzz_seeds.rs`.

use std::path::Path;

/// Runs `run` on every file in `seeds/<target>/`; fails if there is none.
pub fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/seeds")
        .join(target);
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("seeds folder") {
        let path = entry.expect("entry").path();
        let data = std::fs::read(&path).expect("seed");
        run(&data);
        n += 1;
    }
    assert!(n > 0, "no seeds in {}", dir.display());
}
