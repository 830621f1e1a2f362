//! Reading an OpenAPI document (`enrichers.md` §3.1): from a file path, a `file:` URL or an
//! `http(s)` URL, in JSON or YAML; `$ref`s resolved inside the document.

use std::path::Path;
use std::time::Duration;

use serde_json::Value as Json;

use crate::error_chain as chain;

/// The discovery call's limits, as the reference's (request 5 s, connect 10 s).
const FETCH_TIMEOUT: Duration = Duration::from_secs(5);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest document read: documents are descriptions, not data.
const MAX_DOCUMENT_BYTES: usize = 16 << 20;
/// `$ref` hops followed in one chain (a longer chain is a cycle or an absurd document).
const MAX_REF_HOPS: usize = 64;

/// A document, with the URL relative server URLs resolve against.
#[derive(Debug, Clone)]
pub struct Document {
    pub root: Json,
    /// `file:///…` or `http(s)://…`.
    pub url: reqwest::Url,
}

/// Where the configuration's `url` points; a relative file path is relative to `base_dir`
/// (the configuration file's folder).
pub fn locate(url: &str, base_dir: &Path) -> Result<reqwest::Url, String> {
    if url.starts_with("http://") || url.starts_with("https://") || url.starts_with("file:") {
        return reqwest::Url::parse(url).map_err(|e| format!("'{url}' is not a URL: {e}"));
    }
    let path = base_dir.join(url);
    let path = path
        .canonicalize()
        .map_err(|e| format!("cannot read the OpenAPI document {}: {e}", path.display()))?;
    reqwest::Url::from_file_path(&path)
        .map_err(|()| format!("{} is not an absolute path", path.display()))
}

/// Reads and parses the document at `url`.
pub async fn fetch(url: reqwest::Url) -> Result<Document, String> {
    let text = if url.scheme() == "file" {
        let path = url
            .to_file_path()
            .map_err(|()| format!("'{url}' is not a file path"))?;
        let meta = std::fs::metadata(&path)
            .map_err(|e| format!("cannot read the OpenAPI document {}: {e}", path.display()))?;
        if meta.len() > MAX_DOCUMENT_BYTES as u64 {
            return Err(format!(
                "the OpenAPI document {} is over 16 MiB",
                path.display()
            ));
        }
        std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read the OpenAPI document {}: {e}", path.display()))?
    } else {
        let client = reqwest::Client::builder()
            .timeout(FETCH_TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            .build()
            .map_err(|e| e.to_string())?;
        let r = client
            .get(url.clone())
            .send()
            .await
            .map_err(|e| format!("cannot fetch the OpenAPI document {url}: {}", chain(&e)))?;
        if !r.status().is_success() {
            return Err(format!(
                "Invalid response from discovery API: {url} answered {}",
                r.status()
            ));
        }
        let bytes = r
            .bytes()
            .await
            .map_err(|e| format!("cannot fetch the OpenAPI document {url}: {}", chain(&e)))?;
        if bytes.len() > MAX_DOCUMENT_BYTES {
            return Err(format!("the OpenAPI document {url} is over 16 MiB"));
        }
        String::from_utf8_lossy(&bytes).into_owned()
    };
    // Parsing is CPU work: off the I/O runtime's thread, which serves every call.
    let parsed = tokio::task::spawn_blocking(move || parse(&text))
        .await
        .map_err(|e| format!("the document's parser failed: {e}"))?;
    let root = parsed.map_err(|e| format!("Failed to parse OpenAPI specification {url}: {e}"))?;
    if !root.get("openapi").is_some_and(Json::is_string) {
        return Err(format!(
            "{url} is not an OpenAPI 3 document (no `openapi` version); Swagger 2.0 is not supported"
        ));
    }
    Ok(Document { root, url })
}

/// Deepest bracket nesting a document may have: far beyond any real schema, and what keeps
/// the YAML parser (quadratic in flow nesting: 100,000 levels took minutes) fast.
const MAX_FLOW_DEPTH: usize = 256;

/// JSON, else YAML.
fn parse(text: &str) -> Result<Json, String> {
    match serde_json::from_str(text) {
        Ok(j) => Ok(j),
        Err(json_error) => {
            if text.trim_start().starts_with('{') {
                return Err(json_error.to_string());
            }
            if flow_depth(text) > MAX_FLOW_DEPTH {
                return Err(format!(
                    "the document nests deeper than {MAX_FLOW_DEPTH} levels"
                ));
            }
            serde_norway::from_str::<Json>(text).map_err(|e| e.to_string())
        }
    }
}

/// The deepest nesting of `[`/`{` outside quoted strings: an upper bound of YAML's flow
/// nesting (comments and block scalars count too, which only makes it stricter). A quote opens
/// a string only where YAML starts a scalar (after `:`, `-`, `?`, `[`, `{`, `,` or at a line's
/// start), so an apostrophe inside plain text cannot hide brackets from the count.
fn flow_depth(text: &str) -> usize {
    let (mut depth, mut most) = (0usize, 0usize);
    let mut quote: Option<u8> = None;
    let mut escaped = false;
    // The last byte that was not a space or tab on this line (`\n` at its start).
    let mut prev = b'\n';
    for &b in text.as_bytes() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if b == b'\\' && q == b'"' {
                escaped = true;
            } else if b == q {
                quote = None;
                prev = b;
            }
            continue;
        }
        match b {
            b'"' | b'\'' if matches!(prev, b':' | b'-' | b'?' | b'[' | b'{' | b',' | b'\n') => {
                quote = Some(b)
            }
            b'[' | b'{' => {
                depth += 1;
                most = most.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if !matches!(b, b' ' | b'\t') {
            prev = b;
        }
    }
    most
}

impl Document {
    /// `node` with its `$ref` followed (to a node of this document), or `None` for a
    /// dangling, external or cyclic reference.
    pub fn deref<'a>(&'a self, mut node: &'a Json) -> Option<&'a Json> {
        for _ in 0..MAX_REF_HOPS {
            match node.get("$ref").and_then(Json::as_str) {
                Some(r) => node = self.pointer(r)?,
                None => return Some(node),
            }
        }
        None
    }

    /// The node a local reference (`#/components/schemas/X`) names.
    pub fn pointer(&self, reference: &str) -> Option<&Json> {
        let pointer = reference.strip_prefix('#')?;
        self.root.pointer(pointer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_yaml_alias_bomb_is_refused_not_expanded() {
        // Nine levels of nine aliases each: 9^9 (387 million) strings if expanded.
        let mut doc = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for w in names.windows(2) {
            let (prev, next) = (w[0], w[1]);
            let refs = vec![format!("*{prev}"); 9].join(",");
            doc.push_str(&format!("{next}: &{next} [{refs}]\n"));
        }
        let started = std::time::Instant::now();
        assert!(parse(&doc).is_err(), "refused");
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn deeply_nested_documents_are_refused_without_overflowing_the_stack() {
        let deep = format!("x: {}1{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse(&deep).is_err(), "YAML");
        let deep = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse(&deep).is_err(), "JSON");
        // An apostrophe in plain text opens no string: the brackets after it still count.
        let hidden = format!("x: it's {}1{}", "[".repeat(300), "]".repeat(300));
        assert!(flow_depth(&hidden) > MAX_FLOW_DEPTH);
        assert_eq!(flow_depth("a: '[[[' \nb: \"{{\"\nc: [1, {d: 2}]\n"), 2);
    }

    #[test]
    fn json_and_yaml_documents_parse_and_refs_resolve() {
        let yaml = "openapi: 3.0.0\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {type: string}\n    C: {$ref: '#/components/schemas/C'}\n";
        let root = parse(yaml).expect("yaml");
        let doc = Document {
            root,
            url: reqwest::Url::parse("file:///x.yaml").expect("url"),
        };
        let a = doc.pointer("#/components/schemas/A").expect("A");
        assert_eq!(doc.deref(a), Some(&serde_json::json!({"type": "string"})));
        let c = doc.pointer("#/components/schemas/C").expect("C");
        assert_eq!(doc.deref(c), None, "a cycle is not followed forever");
        assert!(parse("{ nope").is_err());
    }
}
