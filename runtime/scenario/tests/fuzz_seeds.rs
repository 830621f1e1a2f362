//! The scenario fuzz target's committed inputs, replayed (see `runtime/fuzz/harness/replay.rs`).

#[path = "../../fuzz/harness/scenario.rs"]
mod harness;
#[path = "../../fuzz/harness/replay.rs"]
mod replay;

#[test]
fn every_committed_fuzz_input_runs_cleanly() {
    replay::replay("scenario", harness::run);
}
