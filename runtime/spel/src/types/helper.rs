//! The global helper objects (`#CONV`, `#DATE`, ...) as names: their variable and class names.
//! A helper is a class of its own to the typer and a value of its own at run time, so its
//! identity lives here at the bottom; the method tables are attached in `helpers`.

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
}
