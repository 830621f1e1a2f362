//! Any text as an expression (and as a template): compiled against typed and untyped
//! variables, then evaluated under a budget with a deadline. Nothing may panic, overflow the
//! stack or run away (libFuzzer's `-timeout` and `-rss_limit_mb` catch those).
#![no_main]

#[path = "../harness/expression.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::run(data));
