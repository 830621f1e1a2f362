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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Helper {
    Conv,
    Util,
    Date,
    DateFormat,
    Collection,
    Numeric,
    Base64,
    Random,
    Geo,
}

impl Helper {
    pub const ALL: [Helper; 9] = [
        Helper::Geo,
        Helper::Numeric,
        Helper::Conv,
        Helper::Collection,
        Helper::Date,
        Helper::DateFormat,
        Helper::Util,
        Helper::Random,
        Helper::Base64,
    ];

    /// The variable name it is registered under (`#DATE`).
    pub fn var_name(self) -> &'static str {
        match self {
            Helper::Conv => "CONV",
            Helper::Util => "UTIL",
            Helper::Date => "DATE",
            Helper::DateFormat => "DATE_FORMAT",
            Helper::Collection => "COLLECTION",
            Helper::Numeric => "NUMERIC",
            Helper::Base64 => "BASE64",
            Helper::Random => "RANDOM",
            Helper::Geo => "GEO",
        }
    }

    /// Class name shown in types and errors.
    pub fn class_name(self) -> &'static str {
        match self {
            Helper::Conv => "ConversionUtils",
            Helper::Util => "Util",
            Helper::Date => "DateUtils",
            Helper::DateFormat => "DateFormatUtils",
            Helper::Collection => "CollectionUtils",
            Helper::Numeric => "NumericUtils",
            Helper::Base64 => "Base64Utils",
            Helper::Random => "RandomUtils",
            Helper::Geo => "GeoUtils",
        }
    }

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
