//! Runs a corpus in the format of `spel-corpus.json`.
