use super::error::{LexError, LexResult};
use super::token::{Span, Token, TokenKind};

/// Splits `src` into tokens. Never panics: every byte is either consumed or reported.
pub fn tokenize(src: &str) -> LexResult<Vec<Token>> {
    let b = src.as_bytes();
    let mut out = Vec::with_capacity(src.len() / 2 + 1);
    let mut i = 0usize;
    while i < b.len() {
        let c = b[i];
        let start = i;
        let single = |k: TokenKind, n: usize| (k, n);
        let (kind, len) = match c {
            b' ' | b'\t' | b'\r' | b'\n' => {
                i += 1;
                continue;
            }
            b'0'..=b'9' => {
                let (kind, len) = lex_number(src, i)?;
                (kind, len)
            }
            b'\'' | b'"' => {
                let (s, len) = lex_string(src, i)?;
                (TokenKind::Str(s), len)
            }
            c if c.is_ascii_alphabetic()
                || c == b'_'
                || c == b'$' && !matches!(b.get(i + 1), Some(b'[')) =>
            {
                let mut j = i + 1;
                while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] == b'$')
                {
                    j += 1;
                }
                let word = &src[i..j];
                let kind = match word.to_ascii_lowercase().as_str() {
                    "div" => TokenKind::Div,
                    "mod" => TokenKind::Mod,
                    "not" => TokenKind::Not,
                    "lt" => TokenKind::Lt,
                    "le" => TokenKind::Le,
                    "gt" => TokenKind::Gt,
                    "ge" => TokenKind::Ge,
                    "eq" => TokenKind::Eq,
                    "ne" => TokenKind::Ne,
                    _ => TokenKind::Ident(word.to_string()),
                };
                (kind, j - i)
            }
            c if c >= 0x80 => {
                // Java identifiers may contain letters beyond ASCII.
                let ch = src[i..].chars().next().unwrap_or('\u{fffd}');
                if ch.is_alphabetic() {
                    let mut j = i;
                    for (off, ch) in src[i..].char_indices() {
                        if ch.is_alphanumeric() || ch == '_' {
                            j = i + off + ch.len_utf8();
                        } else {
                            break;
                        }
                    }
                    (TokenKind::Ident(src[i..j].to_string()), j - i)
                } else {
                    return Err(LexError::UnexpectedChar {
                        ch,
                        span: Span::new(i, i + ch.len_utf8()),
                    });
                }
            }
            b'(' => single(TokenKind::LParen, 1),
            b')' => single(TokenKind::RParen, 1),
            b'[' => single(TokenKind::LBracket, 1),
            b']' => single(TokenKind::RBracket, 1),
            b'{' => single(TokenKind::LBrace, 1),
            b'}' => single(TokenKind::RBrace, 1),
            b',' => single(TokenKind::Comma, 1),
            b':' => single(TokenKind::Colon, 1),
            b'.' => single(TokenKind::Dot, 1),
            b'#' => single(TokenKind::Hash, 1),
            b'@' => single(TokenKind::At, 1),
            b'*' => single(TokenKind::Star, 1),
            b'/' => single(TokenKind::Div, 1),
            b'%' => single(TokenKind::Mod, 1),
            b'+' if b.get(i + 1) == Some(&b'+') => single(TokenKind::Inc, 2),
            b'+' => single(TokenKind::Plus, 1),
            b'-' if b.get(i + 1) == Some(&b'-') => single(TokenKind::Dec, 2),
            b'-' => single(TokenKind::Minus, 1),
            b'^' if b.get(i + 1) == Some(&b'[') => single(TokenKind::SelectFirst, 2),
            b'^' => single(TokenKind::Power, 1),
            b'$' => single(TokenKind::SelectLast, 2),
            b'!' if b.get(i + 1) == Some(&b'=') => single(TokenKind::Ne, 2),
            b'!' if b.get(i + 1) == Some(&b'[') => single(TokenKind::Project, 2),
            b'!' => single(TokenKind::Not, 1),
            b'=' if b.get(i + 1) == Some(&b'=') => single(TokenKind::Eq, 2),
            b'=' => single(TokenKind::Assign, 1),
            b'<' if b.get(i + 1) == Some(&b'=') => single(TokenKind::Le, 2),
            b'<' => single(TokenKind::Lt, 1),
            b'>' if b.get(i + 1) == Some(&b'=') => single(TokenKind::Ge, 2),
            b'>' => single(TokenKind::Gt, 1),
            b'&' if b.get(i + 1) == Some(&b'&') => single(TokenKind::And, 2),
            b'&' => single(TokenKind::Amp, 1),
            b'|' if b.get(i + 1) == Some(&b'|') => single(TokenKind::Or, 2),
            b'?' if b.get(i + 1) == Some(&b'.') => single(TokenKind::SafeNav, 2),
            b'?' if b.get(i + 1) == Some(&b':') => single(TokenKind::Elvis, 2),
            b'?' if b.get(i + 1) == Some(&b'[') => single(TokenKind::Select, 2),
            b'?' => single(TokenKind::QMark, 1),
            _ => {
                let ch = src[i..].chars().next().unwrap_or('\u{fffd}');
                return Err(LexError::UnexpectedChar {
                    ch,
                    span: Span::new(i, i + ch.len_utf8()),
                });
            }
        };
        i += len;
        out.push(Token {
            kind,
            span: Span::new(start, i),
        });
    }
    Ok(out)
}

fn lex_string(src: &str, start: usize) -> LexResult<(String, usize)> {
    let b = src.as_bytes();
    let q = b[start];
    let mut s = String::new();
    let mut i = start + 1;
    let mut seg = i;
    loop {
        match b.get(i) {
            None => {
                return Err(LexError::UnterminatedString {
                    span: Span::new(start, src.len()),
                })
            }
            Some(&c) if c == q => {
                s.push_str(&src[seg..i]);
                if b.get(i + 1) == Some(&q) {
                    s.push(q as char);
                    i += 2;
                    seg = i;
                } else {
                    return Ok((s, i + 1 - start));
                }
            }
            Some(_) => i += 1,
        }
    }
}

fn lex_number(src: &str, start: usize) -> LexResult<(TokenKind, usize)> {
    let b = src.as_bytes();
    let mut i = start;
    let invalid = |text: &str, kind: &'static str, end: usize| LexError::InvalidNumber {
        text: text.to_string(),
        kind,
        span: Span::new(start, end),
    };
    // Hexadecimal.
    if b[i] == b'0' && matches!(b.get(i + 1), Some(b'x' | b'X')) {
        i += 2;
        let ds = i;
        while i < b.len() && b[i].is_ascii_hexdigit() {
            i += 1;
        }
        let digits = &src[ds..i];
        if digits.is_empty() {
            return Err(invalid(&src[start..i], "a hexadecimal number", i));
        }
        if matches!(b.get(i), Some(b'L' | b'l')) {
            let v = u64::from_str_radix(digits, 16)
                .map_err(|_| invalid(&src[start..i], "a long", i))?;
            return Ok((TokenKind::Long(v as i64), i + 1 - start));
        }
        let v =
            u32::from_str_radix(digits, 16).map_err(|_| invalid(&src[start..i], "an int", i))?;
        return Ok((TokenKind::Int(v as i32), i - start));
    }
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut real = false;
    if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(|c| c.is_ascii_digit()) {
        real = true;
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        if b.get(j).is_some_and(|c| c.is_ascii_digit()) {
            real = true;
            i = j;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
        }
    }
    let text = &src[start..i];
    match b.get(i) {
        Some(b'L' | b'l') if !real => {
            let v: i64 = text.parse().map_err(|_| invalid(text, "a long", i + 1))?;
            Ok((TokenKind::Long(v), i + 1 - start))
        }
        Some(b'f' | b'F') => {
            let v: f32 = text.parse().map_err(|_| invalid(text, "a float", i + 1))?;
            Ok((TokenKind::Float(v), i + 1 - start))
        }
        Some(b'd' | b'D') => {
            let v: f64 = text.parse().map_err(|_| invalid(text, "a double", i + 1))?;
            Ok((TokenKind::Double(v), i + 1 - start))
        }
        _ if real => {
            let v: f64 = text.parse().map_err(|_| invalid(text, "a double", i))?;
            Ok((TokenKind::Double(v), i - start))
        }
        _ => {
            let v: i32 = text.parse().map_err(|_| invalid(text, "an int", i))?;
            Ok((TokenKind::Int(v), i - start))
        }
    }
}
