//! Any text as a scenario file: parsed, compiled (with fragments, a recursive one among them)
//! and, when it compiles, run on a few inputs under a budget with a deadline. Nothing may
//! panic, overflow the stack or run away.
#![no_main]

#[path = "../harness/scenario.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::run(data));
