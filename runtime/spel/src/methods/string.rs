//! `java.lang.String` whitelist (spel.md §10), with Java's UTF-16 indexing.

use std::sync::Arc;

use super::args;
use super::{ArgError, MethodDef, Prepare, Prepared, P};
use crate::eval::EvalEnv;
use crate::types::Type;
// Java's UTF-16 string length and order are value-level (java.time ordering uses them too).
pub use crate::value::{java_compare_str, java_compare_to, utf16_len};
use crate::value::{new_str, Value};
use crate::{m, mf};

type R = Result<Value, crate::methods::MethodError>;

fn recv(v: &Value) -> Result<&str, String> {
    v.as_str()
        .ok_or_else(|| format!("expected a String receiver, got {}", v.class_name()))
}

/// Byte offset of UTF-16 index `i` (None when out of range or inside a surrogate pair).
fn byte_at(s: &str, i: usize) -> Option<usize> {
    if s.is_ascii() {
        return (i <= s.len()).then_some(i);
    }
    let mut units = 0;
    for (b, c) in s.char_indices() {
        if units == i {
            return Some(b);
        }
        units += c.len_utf16();
        if units > i {
            return None;
        }
    }
    (units == i).then_some(s.len())
}

/// UTF-16 index of byte offset `b`.
fn index_of_byte(s: &str, b: usize) -> i32 {
    if s.is_ascii() {
        return b as i32;
    }
    s[..b].encode_utf16().count() as i32
}

/// Java `String.substring(begin, end)`, indices in UTF-16 units.
// Inlined into the two overloads: the ASCII case in range is a handful of instructions, and a
// call of its own used to cost as much again. Everything else is in `substring_checked`.
#[inline(always)]
fn substring(s: &str, begin: i32, end: i32) -> R {
    // ASCII: UTF-16 indices are byte offsets. A negative `end` wraps to a huge offset, which
    // `get` refuses like one past the end (and like `begin > end`).
    if begin >= 0 && s.is_ascii() {
        if let Some(sub) = s.get(begin as usize..end as usize) {
            return Ok(Value::Str(new_str(sub)));
        }
    }
    substring_checked(s, begin, end)
}

/// `substring` of any text: indices out of range, splitting a surrogate pair, or non-ASCII.
#[inline(never)]
fn substring_checked(s: &str, begin: i32, end: i32) -> R {
    let len = utf16_len(s) as i32;
    if begin < 0 || end > len || begin > end {
        return Err(format!("begin {begin}, end {end}, length {len}").into());
    }
    match (byte_at(s, begin as usize), byte_at(s, end as usize)) {
        (Some(a), Some(b)) => Ok(Value::Str(new_str(&s[a..b]))),
        _ => Err(format!("begin {begin}, end {end}, length {len}: splits a surrogate pair").into()),
    }
}

/// Compiles a Java regex for a whole-string match. Rust's engine runs in linear time; constructs
/// that need backtracking (back-references, look-around) are rejected.
pub fn full_match_regex(pattern: &str) -> Result<Arc<regex::Regex>, String> {
    compile_regex(&format!("^(?:{pattern})$"))
}

/// The one wording of a pattern that does not compile, for the typer's literal patterns
/// (`matches` and the regex methods' compile-time hook alike).
pub fn invalid_regex(message: &str) -> String {
    format!("Invalid regular expression: {message}")
}

/// Compiles a Java regex on the linear-time engine, with bounded program and DFA sizes.
pub fn compile_regex(pattern: &str) -> Result<Arc<regex::Regex>, String> {
    regex::RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .dfa_size_limit(1 << 20)
        .build()
        .map(Arc::new)
        .map_err(|e| e.to_string())
}

/// Java `String.split(regex, limit)`: limit 0 drops trailing empty strings, -1 keeps them.
/// More than `max_parts` parts is an error (the budget's collection limit).
pub fn java_split(
    s: &str,
    pattern: &str,
    keep_trailing: bool,
    env: &EvalEnv,
) -> Result<Vec<Value>, String> {
    if s.is_empty() {
        return Ok(vec![Value::str("")]);
    }
    java_split_with(s, &*compile_regex(pattern)?, keep_trailing, env)
}

/// `java_split` with the pattern already compiled (a literal pattern, compiled by the typer).
pub fn java_split_with(
    s: &str,
    re: &regex::Regex,
    keep_trailing: bool,
    env: &EvalEnv,
) -> Result<Vec<Value>, String> {
    if s.is_empty() {
        return Ok(vec![Value::str("")]);
    }
    let mut parts: Vec<&str> = Vec::new();
    let mut last = 0;
    for m in re.find_iter(s) {
        if m.end() == 0 {
            continue; // a zero-width match at the start never yields a leading empty string
        }
        if m.start() == m.end() && m.start() >= s.len() {
            continue;
        }
        if parts.len().is_multiple_of(1024) {
            // Charged in steps of 1024 parts, so a huge split stops early.
            env.budget
                .limits()
                .check_collection_len(parts.len() + 1)
                .and_then(|_| env.budget.charge(1024 * crate::value::SLOT_BYTES))
                .map_err(|e| e.to_string())?;
        }
        parts.push(&s[last..m.start()]);
        last = m.end();
    }
    parts.push(&s[last..]);
    if !keep_trailing {
        while parts.last().is_some_and(|p| p.is_empty()) {
            parts.pop();
        }
    }
    Ok(parts.into_iter().map(Value::str).collect())
}

/// `s.replace(target, replacement)`, with the result's length checked before it is built:
/// an empty target inserts the replacement at every character boundary.
fn replace_literal(s: &str, target: &str, replacement: &str, env: &EvalEnv) -> R {
    let count = if target.is_empty() {
        s.chars().count() + 1
    } else {
        s.matches(target).count()
    };
    let len = s.len() - count.saturating_mul(target.len()).min(s.len())
        + count.saturating_mul(replacement.len());
    env.budget.reserve_string(len)?;
    Ok(Value::from(s.replace(target, replacement)))
}

/// `replaceAll`/`replaceFirst`: each match is expanded only after checking that the result stays
/// within the string limit (a replacement of `$0$0$0...` multiplies the text).
fn replace_regex(s: &str, pattern: &str, replacement: &str, all: bool, env: &EvalEnv) -> R {
    replace_regex_with(s, &*compile_regex(pattern)?, replacement, all, env)
}

/// `replace_regex` with the pattern already compiled.
fn replace_regex_with(
    s: &str,
    re: &regex::Regex,
    replacement: &str,
    all: bool,
    env: &EvalEnv,
) -> R {
    let rep = java_replacement(replacement);
    let refs = rep.matches('$').count();
    let limits = env.budget.limits();
    let mut out = String::new();
    let mut last = 0;
    for caps in re.captures_iter(s) {
        let Some(m) = caps.get(0) else { continue };
        // Every group lies inside the match, so one expansion is at most this long.
        let worst = out.len() + (m.start() - last) + rep.len() + refs.saturating_mul(m.len());
        if worst > limits.max_string_bytes {
            // The bound is loose; expand and measure before failing.
            let mut probe = String::new();
            caps.expand(&rep, &mut probe);
            limits.check_string_len(out.len() + (m.start() - last) + probe.len())?;
        }
        out.push_str(&s[last..m.start()]);
        caps.expand(&rep, &mut out);
        last = m.end();
        if !all {
            break;
        }
    }
    out.push_str(&s[last..]);
    env.budget.reserve_string(out.len())?;
    Ok(Value::from(out))
}

fn java_replacement(r: &str) -> String {
    // Java: `$1` groups, `\x` escapes. Rust: `${1}`, `$$` for a literal dollar.
    let mut out = String::with_capacity(r.len());
    let mut chars = r.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    if n == '$' {
                        out.push_str("$$");
                    } else {
                        out.push(n);
                    }
                }
            }
            '$' => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                out.push_str(&format!("${{{digits}}}"));
            }
            c => out.push(c),
        }
    }
    out
}

fn is_java_whitespace(c: char) -> bool {
    c.is_whitespace()
}

fn t_list_string(_: &Type, _: &[Type]) -> Result<Type, crate::methods::MethodError> {
    Ok(Type::array(Type::string()))
}

pub static METHODS: &[MethodDef] = &[
    m!("length", [], P::Int, |r, _, _| Ok(Value::Int(
        utf16_len(recv(r)?) as i32
    ))),
    m!("substring", [P::Int], P::Str, |r, a, _| {
        let s = recv(r)?;
        substring(s, args::int(a, 0)?, utf16_len(s) as i32)
    }),
    m!("substring", [P::Int, P::Int], P::Str, |r, a, _| substring(
        recv(r)?,
        args::int(a, 0)?,
        args::int(a, 1)?
    )),
    m!(
        "charAt",
        [P::Int],
        P::Class(crate::types::Class::Character),
        |r, a, _| {
            let s = recv(r)?;
            let i = args::int(a, 0)?;
            // No copy of the text: ASCII indexes bytes, the rest walks the UTF-16 units once.
            let unit = match usize::try_from(i) {
                Ok(i) if s.is_ascii() => s.as_bytes().get(i).map(|b| *b as u16),
                Ok(i) => s.encode_utf16().nth(i),
                Err(_) => None,
            };
            match unit {
                Some(u) => Ok(Value::Char(char::from_u32(u as u32).unwrap_or('\u{fffd}'))),
                None => Err(format!("Index {i} out of bounds for length {}", utf16_len(s)).into()),
            }
        }
    ),
    m!("concat", [P::Str], P::Str, |r, a, env| {
        let (x, y) = (recv(r)?, args::str(a, 0)?);
        env.budget.reserve_string(x.len() + y.len())?;
        Ok(Value::from(format!("{x}{y}")))
    }),
    m!("contains", [P::Str], P::Bool, |r, a, _| Ok(Value::Bool(
        recv(r)?.contains(args::str(a, 0)?)
    ))),
    m!("startsWith", [P::Str], P::Bool, |r, a, _| Ok(Value::Bool(
        recv(r)?.starts_with(args::str(a, 0)?)
    ))),
    m!("startsWith", [P::Str, P::Int], P::Bool, |r, a, _| {
        let s = recv(r)?;
        let off = args::int(a, 1)?;
        Ok(Value::Bool(
            usize::try_from(off)
                .ok()
                .and_then(|o| byte_at(s, o))
                .is_some_and(|b| s[b..].starts_with(args::str(a, 0).unwrap_or("\u{0}"))),
        ))
    }),
    m!("endsWith", [P::Str], P::Bool, |r, a, _| Ok(Value::Bool(
        recv(r)?.ends_with(args::str(a, 0)?)
    ))),
    m!("equalsIgnoreCase", [P::Str], P::Bool, |r, a, _| {
        let other = match args::get(a, 0)? {
            Value::Str(s) => s.as_str(),
            _ => return Ok(Value::Bool(false)),
        };
        Ok(Value::Bool(recv(r)?.to_lowercase() == other.to_lowercase()))
    }),
    m!("compareTo", [P::Str], P::Int, |r, a, _| Ok(Value::Int(
        java_compare_to(recv(r)?, args::str(a, 0)?)
    ))),
    m!("compareToIgnoreCase", [P::Str], P::Int, |r, a, _| Ok(
        Value::Int(java_compare_to(
            &recv(r)?.to_lowercase(),
            &args::str(a, 0)?.to_lowercase()
        ))
    )),
    m!("indexOf", [P::Str], P::Int, |r, a, _| {
        let s = recv(r)?;
        Ok(Value::Int(
            s.find(args::str(a, 0)?)
                .map(|b| index_of_byte(s, b))
                .unwrap_or(-1),
        ))
    }),
    m!("indexOf", [P::Str, P::Int], P::Int, |r, a, _| {
        let s = recv(r)?;
        let from = args::int(a, 1)?.max(0) as usize;
        let start = match byte_at(s, from.min(utf16_len(s))) {
            Some(b) => b,
            None => return Ok(Value::Int(-1)),
        };
        Ok(Value::Int(
            s[start..]
                .find(args::str(a, 0)?)
                .map(|b| index_of_byte(s, start + b))
                .unwrap_or(-1),
        ))
    }),
    m!("lastIndexOf", [P::Str], P::Int, |r, a, _| {
        let s = recv(r)?;
        Ok(Value::Int(
            s.rfind(args::str(a, 0)?)
                .map(|b| index_of_byte(s, b))
                .unwrap_or(-1),
        ))
    }),
    m!("isBlank", [], P::Bool, |r, _, _| Ok(Value::Bool(
        recv(r)?.chars().all(is_java_whitespace)
    ))),
    m!("isEmpty", [], P::Bool, |r, _, _| Ok(Value::Bool(
        recv(r)?.is_empty()
    ))),
    m!("trim", [], P::Str, |r, _, _| Ok(Value::str(
        recv(r)?.trim_matches(|c: char| c <= ' ')
    ))),
    m!("strip", [], P::Str, |r, _, _| Ok(Value::str(
        recv(r)?.trim_matches(is_java_whitespace)
    ))),
    m!("stripLeading", [], P::Str, |r, _, _| Ok(Value::str(
        recv(r)?.trim_start_matches(is_java_whitespace)
    ))),
    m!("stripTrailing", [], P::Str, |r, _, _| Ok(Value::str(
        recv(r)?.trim_end_matches(is_java_whitespace)
    ))),
    m!("toLowerCase", [], P::Str, |r, _, _| Ok(Value::from(
        recv(r)?.to_lowercase()
    ))),
    m!("toUpperCase", [], P::Str, |r, _, _| Ok(Value::from(
        recv(r)?.to_uppercase()
    ))),
    m!(
        "toLowerCase",
        [P::Class(crate::types::Class::Locale)],
        P::Str,
        |r, _, _| Ok(Value::from(recv(r)?.to_lowercase()))
    ),
    m!(
        "toUpperCase",
        [P::Class(crate::types::Class::Locale)],
        P::Str,
        |r, _, _| Ok(Value::from(recv(r)?.to_uppercase()))
    ),
    m!("replace", [P::Str, P::Str], P::Str, |r, a, env| {
        replace_literal(recv(r)?, args::str(a, 0)?, args::str(a, 1)?, env)
    }),
    m!("replaceAll", [P::Str, P::Str], P::Str, |r, a, env| {
        replace_regex(recv(r)?, args::str(a, 0)?, args::str(a, 1)?, true, env)
    })
    .with_prepare(Prepare {
        prepare: prepare_pattern,
        call: |p, r, a, env| replace_regex_with(recv(r)?, regex_of(p), args::str(a, 1)?, true, env),
    }),
    m!("replaceFirst", [P::Str, P::Str], P::Str, |r, a, env| {
        replace_regex(recv(r)?, args::str(a, 0)?, args::str(a, 1)?, false, env)
    })
    .with_prepare(Prepare {
        prepare: prepare_pattern,
        call: |p, r, a, env| {
            replace_regex_with(recv(r)?, regex_of(p), args::str(a, 1)?, false, env)
        },
    }),
    m!("matches", [P::Str], P::Bool, |r, a, _| Ok(Value::Bool(
        full_match_regex(args::str(a, 0)?)?.is_match(recv(r)?)
    )))
    .with_prepare(Prepare {
        prepare: prepare_full_pattern,
        call: |p, r, _, _| Ok(Value::Bool(regex_of(p).is_match(recv(r)?))),
    }),
    mf!("split", [P::Str], t_list_string, |r, a, env| Ok(
        Value::list(java_split(recv(r)?, args::str(a, 0)?, false, env)?)
    ))
    .with_prepare(Prepare {
        prepare: prepare_pattern,
        call: |p, r, _, env| {
            Ok(Value::list(java_split_with(
                recv(r)?,
                regex_of(p),
                false,
                env,
            )?))
        },
    }),
    mf!("split", [P::Str, P::Int], t_list_string, |r, a, env| {
        let limit = args::int(a, 1)?;
        let parts = java_split(recv(r)?, args::str(a, 0)?, limit != 0, env)?;
        Ok(split_limited(parts, limit))
    })
    .with_prepare(Prepare {
        prepare: prepare_pattern,
        call: |p, r, a, env| {
            let limit = args::int(a, 1)?;
            let parts = java_split_with(recv(r)?, regex_of(p), limit != 0, env)?;
            Ok(split_limited(parts, limit))
        },
    }),
    m!("toString", [], P::Str, |r, _, _| Ok(r.clone())),
];

/// `split(regex, limit)` with a positive limit keeps at most `limit` parts.
fn split_limited(mut parts: Vec<Value>, limit: i32) -> Value {
    if limit > 0 && parts.len() > limit as usize {
        // Rejoin the tail: re-split lazily is not worth it; limit is rare.
        parts.truncate(limit as usize);
    }
    Value::list(parts)
}

/// The compile-time hook of the methods whose argument 0 is a regex: a literal pattern is
/// compiled once, and an invalid one is a compile error instead of a failure of every call.
fn prepare_pattern(a: &[Option<&Value>]) -> Result<Option<Prepared>, ArgError> {
    prepare_regex(a, compile_regex)
}

/// `prepare_pattern` for `matches`, which matches the whole string.
fn prepare_full_pattern(a: &[Option<&Value>]) -> Result<Option<Prepared>, ArgError> {
    prepare_regex(a, full_match_regex)
}

fn prepare_regex(
    a: &[Option<&Value>],
    compile: fn(&str) -> Result<Arc<regex::Regex>, String>,
) -> Result<Option<Prepared>, ArgError> {
    match a.first().copied().flatten() {
        Some(Value::Str(pattern)) => compile(pattern)
            .map(|re| Some(Prepared::Regex(re)))
            .map_err(|message| ArgError {
                arg: 0,
                message: invalid_regex(&message),
            }),
        _ => Ok(None),
    }
}

fn regex_of(p: &Prepared) -> &regex::Regex {
    match p {
        Prepared::Regex(re) => re,
    }
}

/// Statics of `T(String)`.
pub fn join(_: &Value, a: &[Value], env: &EvalEnv) -> R {
    let sep = args::str(a, 0)?;
    let parts: &[Value] = match a.get(1) {
        Some(Value::List(l)) if a.len() == 2 => l,
        _ => a.get(1..).unwrap_or(&[]),
    };
    join_checked(parts, sep, env)
}

/// The elements' `toString`s joined by `sep`; the length is bounded before anything is built
/// (a long separator between many elements multiplies).
pub fn join_checked(parts: &[Value], sep: &str, env: &EvalEnv) -> R {
    let seps = parts.len().saturating_sub(1).saturating_mul(sep.len());
    env.budget.reserve_string(seps)?;
    let mut out = String::new();
    for (i, v) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        v.write_java(&mut out);
        env.budget.limits().check_string_len(out.len())?;
    }
    Ok(Value::from(out))
}

#[cfg(test)]
mod tests {
    use crate::{compile, CompileOptions, Scope, Type};

    /// The compiled tree of an expression over a String variable `#s`.
    fn tree(src: &str) -> String {
        let mut scope = Scope::new();
        scope.declare("s", Type::string());
        let e = compile(src, &scope, &CompileOptions::default()).expect("compiles");
        format!("{e:?}")
    }

    #[test]
    fn literal_patterns_are_compiled_once_into_the_call() {
        for src in [
            "#s.split(',')",
            "#s.split(',', 2)",
            "#s.replaceAll('[0-9]', '')",
            "#s.replaceFirst('[0-9]', #s)",
            "#s.matches('a+')",
        ] {
            assert!(tree(src).contains("PreparedCall"), "{src}");
        }
        assert!(!tree("#s.split(#s)").contains("PreparedCall"));
    }
}
