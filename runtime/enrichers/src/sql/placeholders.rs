//! JDBC's `?` placeholders to PostgreSQL's `$1…$N`.
//!
//! Scenarios written for the reference use JDBC placeholders; PostgreSQL's protocol numbers
//! them. A `?` inside a string literal, a quoted identifier, a dollar-quoted string or a
//! comment is text, not a placeholder, and `??` is a literal `?` (pgjdbc's escape, for
//! PostgreSQL's `?` operators), as pgjdbc's own parser decides.

/// The query with each placeholder numbered, and how many there were.
pub fn number_placeholders(sql: &str) -> (String, usize) {
    let b = sql.as_bytes();
    let mut out = String::with_capacity(sql.len() + 8);
    let mut n = 0;
    let mut i = 0;
    // Copies `sql[from..to]`; the indices are always on ASCII bytes, so on char boundaries.
    let copy = |out: &mut String, from: usize, to: usize| out.push_str(&sql[from..to]);
    while i < b.len() {
        match b[i] {
            b'\'' => {
                // E'...' strings take backslash escapes; '' is a quote in both kinds.
                let escapes = i > 0 && matches!(b[i - 1], b'e' | b'E');
                let end = quoted_end(b, i, b'\'', escapes);
                copy(&mut out, i, end);
                i = end;
            }
            b'"' => {
                let end = quoted_end(b, i, b'"', false);
                copy(&mut out, i, end);
                i = end;
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                let end = b[i..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(b.len(), |p| i + p + 1);
                copy(&mut out, i, end);
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = block_comment_end(b, i);
                copy(&mut out, i, end);
                i = end;
            }
            b'$' => match dollar_tag(b, i) {
                Some(tag_len) => {
                    let tag = &b[i..i + tag_len];
                    let body = i + tag_len;
                    let end = b[body..]
                        .windows(tag_len)
                        .position(|w| w == tag)
                        .map_or(b.len(), |p| body + p + tag_len);
                    copy(&mut out, i, end);
                    i = end;
                }
                None => {
                    out.push('$');
                    i += 1;
                }
            },
            b'?' if b.get(i + 1) == Some(&b'?') => {
                out.push('?');
                i += 2;
            }
            b'?' => {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
                i += 1;
            }
            _ => {
                // Runs of ordinary text in one copy (multi-byte characters stay whole: the
                // special bytes above are ASCII, never part of a UTF-8 sequence).
                let end = b[i..]
                    .iter()
                    .position(|c| matches!(c, b'\'' | b'"' | b'-' | b'/' | b'$' | b'?'))
                    .map_or(b.len(), |p| i + p.max(1));
                copy(&mut out, i, end);
                i = end;
            }
        }
    }
    (out, n)
}

/// The index just past the quoted text starting at `start` (unterminated: the end).
fn quoted_end(b: &[u8], start: usize, q: u8, escapes: bool) -> usize {
    let mut i = start + 1;
    while i < b.len() {
        if escapes && b[i] == b'\\' {
            i += 2;
            continue;
        }
        if b[i] == q {
            if b.get(i + 1) == Some(&q) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    b.len()
}

/// PostgreSQL's block comments nest.
fn block_comment_end(b: &[u8], start: usize) -> usize {
    let mut depth = 0usize;
    let mut i = start;
    while i + 1 < b.len() {
        if b[i] == b'/' && b[i + 1] == b'*' {
            depth += 1;
            i += 2;
        } else if b[i] == b'*' && b[i + 1] == b'/' {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    b.len()
}

/// The length of a dollar-quote tag (`$$`, `$body$`) starting at `i`, if one starts there.
/// `$1` (a numbered parameter already) is not a tag.
fn dollar_tag(b: &[u8], i: usize) -> Option<usize> {
    // A tag cannot follow an identifier character (`a$b` is an identifier).
    if i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_') {
        return None;
    }
    let mut j = i + 1;
    if b.get(j).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
        j += 1;
    }
    (b.get(j) == Some(&b'$')).then_some(j + 1 - i)
}

#[cfg(test)]
mod tests {
    use super::number_placeholders as n;

    #[test]
    fn placeholders_are_numbered_in_order() {
        assert_eq!(
            n("select * from t where a = ? and b > ?"),
            ("select * from t where a = $1 and b > $2".into(), 2)
        );
        assert_eq!(n("select 1"), ("select 1".into(), 0));
    }

    #[test]
    fn question_marks_in_text_are_text() {
        let q = "select '?', \"a?\", E'\\'?', $$ ? $$, $x$ ? $x$ -- ?\n /* ? /* ? */ ? */ from t where c = ?";
        let (out, count) = n(q);
        assert_eq!(count, 1, "{out}");
        assert!(out.ends_with("where c = $1"), "{out}");
        assert!(out.starts_with("select '?', \"a?\", E'\\'?', $$ ? $$, $x$ ? $x$"));
    }

    #[test]
    fn a_doubled_question_mark_is_an_operator_and_numbered_ones_stay() {
        assert_eq!(n("select j ?? 'k', ?"), ("select j ? 'k', $1".into(), 1));
        assert_eq!(n("select $1, a$b"), ("select $1, a$b".into(), 0));
    }

    #[test]
    fn unterminated_text_and_multibyte_characters_do_not_break_it() {
        assert_eq!(n("select 'żółw ?"), ("select 'żółw ?".into(), 0));
        assert_eq!(n("select ż, ?"), ("select ż, $1".into(), 1));
        assert_eq!(n("/* ?"), ("/* ?".into(), 0));
        assert_eq!(n("-"), ("-".into(), 0));
    }
}
