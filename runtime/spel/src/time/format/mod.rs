//! `java.time.format.DateTimeFormatter`, after `DateTimeFormatter.ofPattern(pattern, locale)`
//! (resolver style SMART): Java pattern letters, optional sections `[...]`, quoted literals,
//! padding `p`, locale-aware month/day/AM-PM/era names (en, pl, de, fr, es, it; other languages
//! fall back to English). The lenient variant (`lenientFormatter`) parses case-insensitively and
//! accepts 1..9 digits for fixed-width numeric fields, like
//! `parseCaseInsensitive().parseLenient()`.

pub mod formatter;
mod locale;
mod parser;
mod pattern;
pub mod resolve;
mod text;
mod week;

pub use formatter::*;
pub use resolve::*;
