//! `java.time.format.DateTimeFormatter`, after `DateTimeFormatter.ofPattern(pattern, locale)`
//! (resolver style SMART): Java pattern letters, optional sections `[...]`, quoted literals,
//! padding `p`, locale-aware month/day/AM-PM/era names (en, pl, de, fr, es, it; other languages
//! fall back to English). The lenient variant (`lenientFormatter`) parses case-insensitively and
//! accepts 1..9 digits for fixed-width numeric fields, like
//! `parseCaseInsensitive().parseLenient()`.

pub mod formatter;
pub mod locale;
pub mod parser;
pub mod pattern;
pub mod resolve;
pub mod text;
pub mod week;

pub use formatter::*;
pub(crate) use locale::*;
pub(crate) use parser::*;
pub(crate) use pattern::*;
pub use resolve::*;
pub(crate) use text::*;
pub(crate) use week::*;
