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
    let root =
        parse(&text).map_err(|e| format!("Failed to parse OpenAPI specification {url}: {e}"))?;
    if !root.get("openapi").is_some_and(Json::is_string) {
        return Err(format!(
            "{url} is not an OpenAPI 3 document (no `openapi` version); Swagger 2.0 is not supported"
        ));
    }
    Ok(Document { root, url })
}

/// JSON, else YAML.
fn parse(text: &str) -> Result<Json, String> {
    match serde_json::from_str(text) {
        Ok(j) => Ok(j),
        Err(json_error) => {
            if text.trim_start().starts_with('{') {
                return Err(json_error.to_string());
            }
            serde_norway::from_str::<Json>(text).map_err(|e| e.to_string())
        }
    }
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
