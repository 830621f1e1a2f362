//! Object names and label values (`nussknacker-lite.md` §6.5, with `scenic.io/` labels):
//! DNS-1123 names of at most 63 characters, the same on every machine for the same file.

use sha2::Digest;

/// Longest object name and label value.
pub const MAX_LEN: usize = 63;

/// The first `n` hex digits of the SHA-256 of `s` (the reference's `shortHash` takes 10).
pub fn short_hash(s: &str, n: usize) -> String {
    let digest = sha2::Sha256::digest(s.as_bytes());
    digest
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>()
        .chars()
        .take(n)
        .collect()
}

/// `s` as a DNS-1123 label: lower case; each run of other characters than `[a-z0-9-]`
/// becomes `-`; at most `max` characters, starting and ending alphanumeric (an `x` is added
/// where the name would start or end otherwise).
pub fn sanitize(s: &str, max: usize) -> String {
    let mut out = String::with_capacity(s.len());
    let mut dash = false;
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' {
            out.push(c);
            dash = false;
        } else if !dash {
            out.push('-');
            dash = true;
        }
    }
    let alnum = |c: char| c.is_ascii_alphanumeric();
    if !out.starts_with(alnum) {
        out.insert(0, 'x');
    }
    // As the reference: a name ending otherwise gets an `x`, within the length.
    let suffix = !out.ends_with(alnum);
    out.truncate(max.max(2) - usize::from(suffix));
    if suffix {
        out.push('x');
    } else if out.ends_with('-') {
        // Cut at a dash: the last character becomes the `x`.
        out.pop();
        out.push('x');
    }
    out
}

/// The `scenic.io/scenario` label of a scenario name: the name itself when it is a valid
/// label already, else its sanitized form with a hash of the exact name (so that two names
/// sanitizing alike stay apart).
pub fn scenario_label(name: &str) -> String {
    let clean = sanitize(name, MAX_LEN);
    if clean == name {
        return clean;
    }
    format!("{}-{}", sanitize(name, MAX_LEN - 11), short_hash(name, 10))
}

/// The name of a scenario version's objects: `scenic-<name>-<version's first 10>`, at most
/// 63 characters, starting with a letter (as Service names must).
pub fn object_name(scenario_name: &str, version: &str) -> String {
    let v: String = version.chars().take(10).collect();
    let room = MAX_LEN - "scenic-".len() - 1 - v.len();
    format!("scenic-{}-{v}", sanitize(scenario_name, room))
}

/// Whether `s` is a DNS-1123 label (what the API server requires of these names).
pub fn is_dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_LEN
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.ends_with(|c: char| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_dns_labels_whatever_the_scenario_name() {
        assert_eq!(sanitize("LoanRequest", 63), "loanrequest");
        assert_eq!(sanitize("a żółć", 63), "a-x");
        assert_eq!(sanitize("-x_y-", 63), "x-x-y-x");
        assert_eq!(sanitize(&"a".repeat(73), 63), "a".repeat(63));
        for name in [
            "LoanRequest",
            "a żółć",
            "---",
            "",
            "Ünïcödé only",
            &"é".repeat(100),
        ] {
            let n = object_name(name, "eb43c914fce9bd84");
            assert!(is_dns_label(&n), "{name:?} → {n}");
            assert!(
                n.starts_with("scenic-") && n.ends_with("-eb43c914fc"),
                "{n}"
            );
            let l = scenario_label(name);
            assert!(is_dns_label(&l), "{name:?} → {l}");
        }
        assert_eq!(scenario_label("loan"), "loan");
        assert_ne!(scenario_label("Loan"), scenario_label("loan"));
    }

    #[test]
    fn the_hash_is_sha256() {
        // Pinned: names must not change between builds or machines.
        assert_eq!(short_hash("abc", 10), "ba7816bf8f");
    }
}
