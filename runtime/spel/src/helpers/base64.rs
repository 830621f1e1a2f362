//! `#BASE64` helper (spel.md §13.7): `base64.scala`. All methods are `String -> String` over
//! UTF-8; decoding follows `java.util.Base64` (padding optional, nothing outside the alphabet).

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;

use crate::m;
use crate::methods::{args, MethodDef, P};
use crate::value::Value;

const fn decoder_config() -> GeneralPurposeConfig {
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true)
}

const STANDARD: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_encode_padding(true),
);
const URL_SAFE_NO_PAD: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_encode_padding(false),
);
const STANDARD_DECODER: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, decoder_config());
const URL_SAFE_DECODER: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, decoder_config());

fn decode(engine: &GeneralPurpose, s: &str) -> Result<Value, String> {
    let bytes = engine
        .decode(s.as_bytes())
        .map_err(|e| format!("Illegal base64 input: {e}"))?;
    // `new String(bytes)`: malformed UTF-8 becomes U+FFFD.
    Ok(Value::str(String::from_utf8_lossy(&bytes)))
}

pub static METHODS: &[MethodDef] = &[
    m!("encode", [P::Str], P::Str, |_, a, _| Ok(Value::str(
        STANDARD.encode(args::str(a, 0)?.as_bytes())
    ))),
    m!("decode", [P::Str], P::Str, |_, a, _| Ok(decode(
        &STANDARD_DECODER,
        args::str(a, 0)?
    )?)),
    m!("urlSafeEncode", [P::Str], P::Str, |_, a, _| Ok(Value::str(
        URL_SAFE_NO_PAD.encode(args::str(a, 0)?.as_bytes())
    ))),
    m!("urlSafeDecode", [P::Str], P::Str, |_, a, _| Ok(decode(
        &URL_SAFE_DECODER,
        args::str(a, 0)?
    )?)),
];

#[cfg(test)]
mod tests {
    use crate::{compile, CompileOptions, EvalEnv, Scope, Value};

    fn run(src: &str) -> Result<Value, String> {
        let e = compile(src, &Scope::with_helpers(), &CompileOptions::default()).expect(src);
        assert_eq!(e.static_type().to_string(), "String");
        e.eval(&[], &EvalEnv::default()).map_err(|e| e.to_string())
    }

    #[test]
    fn round_trips() {
        assert_eq!(
            run("#BASE64.encode('{\"foo\": 1}')"),
            Ok(Value::str("eyJmb28iOiAxfQ=="))
        );
        assert_eq!(
            run("#BASE64.decode('eyJmb28iOiAxfQ==')"),
            Ok(Value::str("{\"foo\": 1}"))
        );
        assert_eq!(
            run("#BASE64.decode('eyJmb28iOiAxfQ')"),
            Ok(Value::str("{\"foo\": 1}"))
        );
        assert_eq!(run("#BASE64.decode('')"), Ok(Value::str("")));
        assert_eq!(
            run("#BASE64.urlSafeEncode('{\"foo\": 1}')"),
            Ok(Value::str("eyJmb28iOiAxfQ"))
        );
        assert_eq!(run("#BASE64.urlSafeEncode('??>')"), Ok(Value::str("Pz8-")));
        assert_eq!(run("#BASE64.urlSafeDecode('Pz8-')"), Ok(Value::str("??>")));
        assert_eq!(
            run("#BASE64.encode('zażółć')"),
            Ok(Value::str("emHFvMOzxYLEhw=="))
        );
        assert!(run("#BASE64.decode('!!')").is_err());
        assert!(run("#BASE64.decode('Pz8-')").is_err());
    }
}
