//! Global helper objects (`#CONV`, `#DATE`, ...), `spel.md` §13. Each helper is a table of
//! `MethodDef`s: one definition serves the typer and the evaluator.

pub mod base64;
pub mod collection;
pub mod conv;
pub mod date;
pub mod date_format;
pub mod geo;
pub mod numeric;
pub mod random;
pub mod util;

#[cfg(test)]
mod test_support;

use crate::methods::MethodDef;

/// The helper objects are named in `types` (a helper is a class of its own there); their method
/// tables are attached here, above the types.
pub use crate::types::Helper;

impl Helper {
    pub fn methods(self) -> &'static [MethodDef] {
        match self {
            Helper::Conv => conv::METHODS,
            Helper::Util => util::METHODS,
            Helper::Date => date::METHODS,
            Helper::DateFormat => date_format::METHODS,
            Helper::Collection => collection::METHODS,
            Helper::Numeric => numeric::METHODS,
            Helper::Base64 => base64::METHODS,
            Helper::Random => random::METHODS,
            Helper::Geo => geo::METHODS,
        }
    }
}
