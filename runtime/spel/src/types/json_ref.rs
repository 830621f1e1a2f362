//! Same-document JSON Schema `$ref`s (`#/json/pointer`, `#anchor`): the one reading of a
//! reference that typing, validation defaults, output checks and the OpenAPI converter share,
//! so that they agree on which schema a reference names. The fragment is percent-decoded
//! (RFC 3986) and each pointer segment unescaped (RFC 6901: `~1` is `/`, `~0` is `~`).

use serde_json::Value as Json;

/// What a `$ref` names inside its own document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocalRef {
    /// A JSON pointer, as its decoded segments (empty: the whole document).
    Pointer(Vec<String>),
    /// A plain-name fragment (`#name`), resolved through `$anchor`s.
    Anchor(String),
}

/// Reads a reference. `None`: it points into another document, or its percent-encoding is
/// invalid (such a reference names nothing).
pub fn parse_local_ref(reference: &str) -> Option<LocalRef> {
    let fragment = percent_decode(reference.strip_prefix('#')?)?;
    if fragment.is_empty() {
        return Some(LocalRef::Pointer(Vec::new()));
    }
    Some(match fragment.strip_prefix('/') {
        Some(pointer) => LocalRef::Pointer(pointer.split('/').map(unescape_segment).collect()),
        None => LocalRef::Anchor(fragment),
    })
}

/// The schema a JSON-pointer reference names in `root`, with its pointer written out again
/// (escaped, not percent-encoded). `None` for anchors, other documents and missing targets.
pub fn resolve_ref<'a>(root: &'a Json, reference: &str) -> Option<(&'a Json, String)> {
    let LocalRef::Pointer(segments) = parse_local_ref(reference)? else {
        return None;
    };
    let mut at = root;
    let mut pointer = String::new();
    for segment in &segments {
        at = match at {
            Json::Object(m) => m.get(segment)?,
            // RFC 6901: an index is digits without a leading zero.
            Json::Array(a) if segment == "0" || !segment.starts_with('0') => {
                a.get(segment.parse::<usize>().ok()?)?
            }
            _ => return None,
        };
        push_segment(&mut pointer, segment);
    }
    Some((at, pointer))
}

/// One pointer segment, escaped for a JSON pointer (RFC 6901).
pub fn escape_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    push_escaped(&mut out, segment);
    out
}

/// Appends `/` and `segment`, escaped, to a JSON pointer: no string in between, for the
/// decoders and encoders that extend a pointer at every field.
pub fn push_segment(pointer: &mut String, segment: &str) {
    pointer.push('/');
    push_escaped(pointer, segment);
}

fn push_escaped(out: &mut String, segment: &str) {
    for c in segment.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

fn unescape_segment(segment: &str) -> String {
    // `~01` is `~1` literally: `~1` first, then `~0` (RFC 6901 §4).
    segment.replace("~1", "/").replace("~0", "~")
}

fn percent_decode(text: &str) -> Option<String> {
    if !text.contains('%') {
        return Some(text.to_owned());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        if byte == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(byte);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn doc() -> Json {
        json!({
            "$defs": {"a b": {"type": "string"}, "a/b": {"type": "integer"}, "t~x": {"type": "boolean"}},
            "definitions": {"list": [{"type": "null"}, {"type": "number"}]}
        })
    }

    #[test]
    fn pointers_are_percent_decoded_then_unescaped() {
        let d = doc();
        let (s, p) = resolve_ref(&d, "#/$defs/a%20b").expect("resolves");
        assert_eq!(s["type"], "string");
        assert_eq!(p, "/$defs/a b");
        let (s, p) = resolve_ref(&d, "#/$defs/a~1b").expect("resolves");
        assert_eq!(s["type"], "integer");
        assert_eq!(p, "/$defs/a~1b");
        let (s, _) = resolve_ref(&d, "#/$defs/t~0x").expect("resolves");
        assert_eq!(s["type"], "boolean");
        let (s, _) = resolve_ref(&d, "#/definitions/list/1").expect("resolves");
        assert_eq!(s["type"], "number");
        assert_eq!(resolve_ref(&d, "#").map(|(_, p)| p), Some(String::new()));
    }

    #[test]
    fn segments_are_escaped_one_way_everywhere() {
        assert_eq!(escape_segment("a/b~c"), "a~1b~0c");
        let mut p = String::from("/x");
        push_segment(&mut p, "~1/");
        assert_eq!(p, "/x/~01~1");
        let d = json!({"~1/": 1});
        assert_eq!(
            resolve_ref(&d, "#/~01~1").map(|(_, p)| p),
            Some("/~01~1".into())
        );
    }

    #[test]
    fn what_names_nothing_resolves_to_nothing() {
        let d = doc();
        assert_eq!(resolve_ref(&d, "#/$defs/missing"), None);
        assert_eq!(resolve_ref(&d, "#/definitions/list/01"), None);
        assert_eq!(resolve_ref(&d, "#/$defs/a%2"), None);
        assert_eq!(resolve_ref(&d, "other.json#/$defs/a"), None);
        assert_eq!(resolve_ref(&d, "#anchor"), None);
        assert_eq!(
            parse_local_ref("#anchor"),
            Some(LocalRef::Anchor("anchor".into()))
        );
    }

    #[test]
    fn typing_follows_a_percent_encoded_reference_as_validation_does() {
        // Typing used to read the fragment without percent-decoding it, so such a field was
        // `Unknown` while the validator checked it as a string.
        let schema = json!({
            "type": "object",
            "properties": {"name": {"$ref": "#/$defs/a%20b"}},
            "$defs": {"a b": {"type": "string"}}
        });
        let t = crate::types::type_of_schema(&schema);
        assert_eq!(t.to_string(), "Record{name: String}");
    }
}
