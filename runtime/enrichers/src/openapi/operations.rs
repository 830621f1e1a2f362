//! A document's operations as enrichers (`enrichers.md` §3.3–§3.6): which become components and
//! under what names, their parameters and output types, the base URL and the credentials.

use scenic_spel::Type;
use serde_json::Value as Json;

use super::doc::Document;
use super::typing::type_of;
use crate::config::{OpenApiConfig, Secret};

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Where a parameter goes in the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    Header,
}

/// A node parameter of the operation.
#[derive(Debug, Clone)]
pub struct OpParam {
    pub name: String,
    pub location: Location,
    pub ty: Type,
}

/// The request body.
#[derive(Debug, Clone)]
pub enum Body {
    /// An object schema: each property is a node parameter; the body is the object of them.
    Object {
        media_type: String,
        properties: Vec<(String, Type)>,
    },
    /// Any other schema: one node parameter, `body`.
    Single { media_type: String, ty: Type },
}

/// Where an API key goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    Header { name: String, value: String },
    Query { name: String, value: String },
    Cookie { name: String, value: String },
}

/// An operation that became an enricher.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `operationId`, else `<METHOD><path>` with `/` as `-` (`GET-customer-{id}`).
    pub name: String,
    pub method: reqwest::Method,
    /// The path template (`/customer/{id}`).
    pub path: String,
    pub params: Vec<OpParam>,
    pub body: Option<Body>,
    /// The 200/201 answer's type, or `None` when it declares no content.
    pub output: Option<Type>,
    /// Whether that answer is an array (an empty answer is then an empty list).
    pub output_is_array: bool,
    pub credentials: Vec<Credential>,
}

/// Every operation the configuration admits, and the reasons the others that it admits by
/// method and name could not be used (`name (reason)`).
pub fn operations(doc: &Document, config: &OpenApiConfig) -> (Vec<Operation>, Vec<String>) {
    let pattern = match regex_full(&config.name_pattern) {
        Ok(p) => p,
        Err(e) => return (Vec::new(), vec![format!("namePattern: {e}")]),
    };
    let allowed: Vec<String> = config
        .allowed_methods
        .iter()
        .map(|m| m.to_ascii_uppercase())
        .collect();
    let mut ops = Vec::new();
    let mut failed = Vec::new();
    let Some(paths) = doc.root.get("paths").and_then(Json::as_object) else {
        return (ops, failed);
    };
    for (path, item) in paths {
        let Some(item) = doc.deref(item) else {
            continue;
        };
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let upper = method.to_ascii_uppercase();
            let name = match op.get("operationId").and_then(Json::as_str) {
                Some(id) => id.to_string(),
                None => format!("{upper}{}", path.replace('/', "-")),
            };
            if !allowed.contains(&upper) || !pattern.is_match(&name) {
                continue;
            }
            match operation(doc, config, path, item, op, &upper, &name) {
                Ok(o) => ops.push(o),
                Err(e) => failed.push(format!("{name} ({e})")),
            }
        }
    }
    (ops, failed)
}

/// `namePattern` must match the whole name (Java's `String.matches`).
fn regex_full(pattern: &str) -> Result<regex::Regex, String> {
    regex::Regex::new(&format!("^(?:{pattern})$")).map_err(|e| e.to_string())
}

fn operation(
    doc: &Document,
    config: &OpenApiConfig,
    path: &str,
    item: &Json,
    op: &Json,
    method: &str,
    name: &str,
) -> Result<Operation, String> {
    let mut params: Vec<OpParam> = Vec::new();
    let declared = item
        .get("parameters")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .chain(
            op.get("parameters")
                .and_then(Json::as_array)
                .into_iter()
                .flatten(),
        );
    for p in declared {
        let p = doc.deref(p).ok_or("a parameter's $ref names nothing")?;
        let pname = p
            .get("name")
            .and_then(Json::as_str)
            .ok_or("a parameter has no name")?;
        let location = match p.get("in").and_then(Json::as_str) {
            Some("path") => Location::Path,
            Some("query") => Location::Query,
            Some("header") => Location::Header,
            other => {
                return Err(format!(
                    "Unsupported parameter type: {}",
                    other.unwrap_or("none")
                ))
            }
        };
        let schema = p.get("schema").cloned().unwrap_or(Json::Null);
        let ty = type_of(doc, &schema, false)?;
        // An operation's parameter replaces the path item's of the same name and place.
        params.retain(|q| !(q.name == pname && q.location == location));
        params.push(OpParam {
            name: pname.to_string(),
            location,
            ty,
        });
    }
    let body = match op.get("requestBody") {
        None => None,
        Some(b) => {
            let b = doc.deref(b).ok_or("the requestBody's $ref names nothing")?;
            match json_media(b.get("content")) {
                None => None,
                Some((media_type, content)) => {
                    let schema = content.get("schema").cloned().unwrap_or(Json::Null);
                    let resolved = doc.deref(&schema).cloned().unwrap_or(Json::Null);
                    match resolved.get("properties").and_then(Json::as_object) {
                        Some(props) => {
                            let mut properties = Vec::new();
                            for (p, s) in props {
                                properties.push((p.clone(), type_of(doc, s, false)?));
                            }
                            Some(Body::Object {
                                media_type,
                                properties,
                            })
                        }
                        None => Some(Body::Single {
                            media_type,
                            ty: type_of(doc, &schema, false)?,
                        }),
                    }
                }
            }
        }
    };
    let responses = op.get("responses").and_then(Json::as_object);
    let ok: Vec<&Json> = ["200", "201"]
        .iter()
        .filter_map(|c| responses.and_then(|r| r.get(*c)))
        .collect();
    let [response] = ok.as_slice() else {
        return Err(
            "The definition should contain exactly one response with one of the codes: 200, 201"
                .into(),
        );
    };
    let response = doc
        .deref(response)
        .ok_or("the response's $ref names nothing")?;
    let (output, output_is_array) = match response.get("content") {
        None => (None, false),
        Some(content) if content.as_object().is_some_and(|c| c.is_empty()) => (None, false),
        Some(content) => {
            let (_, media) = json_media(Some(content))
                .ok_or("No response with application/json or */* media types found")?;
            let schema = media.get("schema").cloned().unwrap_or(Json::Null);
            let resolved = doc.deref(&schema).cloned().unwrap_or(Json::Null);
            let is_array = resolved.get("type").and_then(Json::as_str) == Some("array");
            (Some(type_of(doc, &schema, true)?), is_array)
        }
    };
    let credentials = security(doc, config, op)?;
    let method = reqwest::Method::from_bytes(method.as_bytes()).map_err(|e| e.to_string())?;
    Ok(Operation {
        name: name.to_string(),
        method,
        path: path.to_string(),
        params,
        body,
        output,
        output_is_array,
        credentials,
    })
}

/// The first `application/json…` or `*/*` media type of a `content` object.
fn json_media(content: Option<&Json>) -> Option<(String, &Json)> {
    let content = content?.as_object()?;
    content
        .iter()
        .find(|(m, _)| m.starts_with("application/json") || m.contains("*/*"))
        .map(|(m, c)| (m.clone(), c))
}

/// The credentials of the first security requirement the configuration can meet (§3.6).
fn security(doc: &Document, config: &OpenApiConfig, op: &Json) -> Result<Vec<Credential>, String> {
    let requirements = op
        .get("security")
        .or_else(|| doc.root.get("security"))
        .and_then(Json::as_array);
    let Some(requirements) = requirements.filter(|r| !r.is_empty()) else {
        return Ok(Vec::new());
    };
    let schemes = doc
        .root
        .pointer("/components/securitySchemes")
        .and_then(Json::as_object);
    let mut reasons = Vec::new();
    'alternatives: for alternative in requirements {
        let Some(alternative) = alternative.as_object() else {
            continue;
        };
        let mut credentials = Vec::new();
        for scheme_name in alternative.keys() {
            let Some(schemes) = schemes else {
                return Err(
                    "There is no security scheme definition in the openAPI definition".into(),
                );
            };
            let Some(scheme) = schemes.get(scheme_name).and_then(|s| doc.deref(s)) else {
                reasons.push(format!(
                    "there is no security scheme definition for scheme name \"{scheme_name}\""
                ));
                continue 'alternatives;
            };
            let Some(Secret::ApiKey { api_key_value }) =
                config.security.get(scheme_name).or(config.secret.as_ref())
            else {
                reasons.push(format!(
                    "there is no security secret configured for scheme name \"{scheme_name}\""
                ));
                continue 'alternatives;
            };
            let kind = scheme.get("type").and_then(Json::as_str).unwrap_or("");
            let key_name = scheme
                .get("name")
                .and_then(Json::as_str)
                .unwrap_or("")
                .to_string();
            let value = api_key_value.clone();
            let credential = match (kind, scheme.get("in").and_then(Json::as_str)) {
                ("apiKey", Some("header")) => Credential::Header {
                    name: key_name,
                    value,
                },
                ("apiKey", Some("query")) => Credential::Query {
                    name: key_name,
                    value,
                },
                ("apiKey", Some("cookie")) => Credential::Cookie {
                    name: key_name,
                    value,
                },
                (t, _) => {
                    reasons.push(format!(
                        "Security type {t} is not supported yet or ({t}, ApiKeySecret) is a mismatch security scheme type and security config pair"
                    ));
                    continue 'alternatives;
                }
            };
            credentials.push(credential);
        }
        return Ok(credentials);
    }
    Err(format!(
        "No security requirement can be met because: {}",
        reasons.join(", ")
    ))
}

/// The base URL of the calls (§3.4): `rootUrl`, else the first server relative to the
/// document's URL, else the document's root.
pub fn base_url(doc: &Document, config: &OpenApiConfig) -> Result<reqwest::Url, String> {
    if let Some(root) = &config.root_url {
        return reqwest::Url::parse(root).map_err(|e| format!("rootUrl '{root}': {e}"));
    }
    let server = doc.root.pointer("/servers/0/url").and_then(Json::as_str);
    match server {
        Some(s) => doc
            .url
            .join(s)
            .or_else(|_| reqwest::Url::parse(s))
            .map_err(|e| format!("servers[0].url '{s}': {e}")),
        None => doc.url.join("/").map_err(|e| e.to_string()),
    }
}
