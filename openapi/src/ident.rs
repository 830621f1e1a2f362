//! Identifiers derived from free text: `operationId`s and component names.

/// The `operationId` for a scenario name: lower camel case, ASCII letters and digits only.
///
/// Words are split at every character that is not an ASCII letter or digit (common Latin letters
/// with diacritics are transliterated first). The result is never empty and never starts with a
/// digit: `LoanRequest` -> `loanRequest`, `my scenario-1` -> `myScenario1`, `1st` -> `scenario1st`.
pub fn operation_id(name: &str) -> String {
    let mut words = words(name);
    let needs_prefix = !matches!(
        words.first().and_then(|w| w.chars().next()),
        Some(c) if c.is_ascii_alphabetic()
    );
    if needs_prefix {
        words.insert(0, "scenario".to_owned());
    }
    let mut out = String::new();
    for (i, word) in words.iter().enumerate() {
        if i == 0 {
            out.push_str(&lower_first_word(word));
        } else {
            out.push_str(&upper_first(word));
        }
    }
    out
}

/// Upper camel case of an `operationId` (or any identifier): its first letter uppercased.
pub fn pascal(ident: &str) -> String {
    upper_first(ident)
}

/// A component-name fragment in upper camel case, made of ASCII letters and digits; `Schema`
/// when the text has none.
pub fn component_fragment(text: &str) -> String {
    let out: String = words(text).iter().map(|w| upper_first(w)).collect();
    if out.is_empty() {
        "Schema".to_owned()
    } else {
        out
    }
}

fn words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            current.push(c);
        } else if let Some(t) = transliterate(c) {
            current.push_str(t);
        } else if !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

fn upper_first(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// Lowercases the leading run of capitals, keeping the last one when it starts the next word:
/// `LoanRequest` -> `loanRequest`, `HTTPRequest` -> `httpRequest`, `URL` -> `url`.
fn lower_first_word(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let run = chars.iter().take_while(|c| c.is_ascii_uppercase()).count();
    let lower_until = if run > 1 && run < chars.len() && chars[run].is_ascii_lowercase() {
        run - 1
    } else {
        run.max(1)
    };
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i < lower_until {
                c.to_ascii_lowercase()
            } else {
                *c
            }
        })
        .collect()
}

fn transliterate(c: char) -> Option<&'static str> {
    Some(match c {
        'ą' | 'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ă' | 'ā' => "a",
        'Ą' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ă' | 'Ā' => "A",
        'ć' | 'ç' | 'č' => "c",
        'Ć' | 'Ç' | 'Č' => "C",
        'ď' => "d",
        'Ď' => "D",
        'ę' | 'è' | 'é' | 'ê' | 'ë' | 'ě' | 'ē' => "e",
        'Ę' | 'È' | 'É' | 'Ê' | 'Ë' | 'Ě' | 'Ē' => "E",
        'ì' | 'í' | 'î' | 'ï' | 'ī' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' => "I",
        'ł' | 'ľ' | 'ĺ' => "l",
        'Ł' | 'Ľ' | 'Ĺ' => "L",
        'ń' | 'ñ' | 'ň' => "n",
        'Ń' | 'Ñ' | 'Ň' => "N",
        'ó' | 'ò' | 'ô' | 'õ' | 'ö' | 'ø' | 'ő' | 'ō' => "o",
        'Ó' | 'Ò' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ő' | 'Ō' => "O",
        'ř' => "r",
        'Ř' => "R",
        'ś' | 'š' | 'ş' => "s",
        'Ś' | 'Š' | 'Ş' => "S",
        'ß' => "ss",
        'ť' | 'ţ' => "t",
        'Ť' | 'Ţ' => "T",
        'ù' | 'ú' | 'û' | 'ü' | 'ů' | 'ű' | 'ū' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ů' | 'Ű' | 'Ū' => "U",
        'ý' | 'ÿ' => "y",
        'Ý' => "Y",
        'ź' | 'ż' | 'ž' => "z",
        'Ź' | 'Ż' | 'Ž' => "Z",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_ids() {
        let cases = [
            ("LoanRequest", "loanRequest"),
            ("my scenario-1", "myScenario1"),
            ("loan", "loan"),
            ("HTTPRequest", "httpRequest"),
            ("URL", "url"),
            ("A", "a"),
            ("rr_test", "rrTest"),
            ("1st scenario", "scenario1stScenario"),
            ("123", "scenario123"),
            ("", "scenario"),
            ("  --  ", "scenario"),
            ("Wniosek o kredyt (zażółć)", "wniosekOKredytZazolc"),
            ("日本", "scenario"),
            ("a日b", "aB"),
        ];
        for (name, expected) in cases {
            assert_eq!(operation_id(name), expected, "for {name:?}");
        }
    }

    #[test]
    fn operation_ids_are_identifiers() {
        for name in ["", "9", "-x-", "ÄÖÜ", "x y z", "\u{0}", "🙂 ok"] {
            let id = operation_id(name);
            let first = id.chars().next().expect("never empty");
            assert!(first.is_ascii_alphabetic(), "{id:?}");
            assert!(id.chars().all(|c| c.is_ascii_alphanumeric()), "{id:?}");
        }
    }

    #[test]
    fn fragments() {
        assert_eq!(component_fragment("address"), "Address");
        assert_eq!(component_fragment("post-code_v2"), "PostCodeV2");
        assert_eq!(component_fragment("???"), "Schema");
        assert_eq!(pascal("loanRequest"), "LoanRequest");
    }
}
