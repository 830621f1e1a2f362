//! One operation as an enricher: its node parameters compiled, and the HTTP call per input
//! (`enrichers.md` §3.6, §3.7, §3.9).

use std::sync::Arc;
use std::time::Instant;

use futures::future::BoxFuture;
use scenic_scenario::graph::{Ctx, Failure, Param, ParamCompiler, Service, ServiceFactory};
use scenic_spel::{EvalEnv, Type, Value};
use serde_json::Value as Json;

use super::operations::{Body, Credential, Location, Operation};
use crate::error_chain as chain;
use crate::metrics::ServiceMetrics;

/// The largest answer read (the default largest value an evaluation may hold).
const MAX_ANSWER_BYTES: usize = 32 << 20;

/// What every operation of one provider instance shares.
#[derive(Debug)]
pub struct Provider {
    pub client: reqwest::Client,
    pub base: reqwest::Url,
    pub codes_as_empty: Vec<u16>,
}

/// The factory of one operation's nodes.
pub struct OperationFactory {
    pub provider: Arc<Provider>,
    pub operation: Arc<Operation>,
}

/// Where a compiled parameter's value goes.
#[derive(Debug)]
enum Target {
    Path(String),
    Query(String),
    Header(String),
    /// A property of an object body.
    Property(String),
    /// The whole body.
    Body,
}

impl ServiceFactory for OperationFactory {
    fn create(&self, pc: &mut dyn ParamCompiler) -> Option<(Arc<dyn Service>, Type)> {
        let op = &self.operation;
        // Every parameter is optional, as in the reference; a missing one is null.
        let mut params = Vec::new();
        for p in &op.params {
            let target = match p.location {
                Location::Path => Target::Path(p.name.clone()),
                Location::Query => Target::Query(p.name.clone()),
                Location::Header => Target::Header(p.name.clone()),
            };
            if let Some(c) = pc.compile(&p.name, Some(&p.ty)) {
                params.push((target, c));
            }
        }
        match &op.body {
            Some(Body::Object { properties, .. }) => {
                for (name, ty) in properties {
                    if let Some(c) = pc.compile(name, Some(ty)) {
                        params.push((Target::Property(name.clone()), c));
                    }
                }
            }
            Some(Body::Single { ty, .. }) => {
                if let Some(c) = pc.compile("body", Some(ty)) {
                    params.push((Target::Body, c));
                }
            }
            None => {}
        }
        let output = op.output.clone().unwrap_or(Type::Null);
        Some((
            Arc::new(OperationService {
                scenario: pc.scenario_name().to_string(),
                provider: self.provider.clone(),
                operation: op.clone(),
                params,
                output: output.clone(),
            }),
            output,
        ))
    }
}

/// One node calling the operation.
pub struct OperationService {
    /// The scenario's name, for the metrics.
    scenario: String,
    provider: Arc<Provider>,
    operation: Arc<Operation>,
    params: Vec<(Target, Param)>,
    output: Type,
}

impl std::fmt::Debug for OperationService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "OperationService({})", self.operation.name)
    }
}

/// A value as the reference puts it in a path, query or header: its `toString`.
fn text(v: &Value) -> String {
    match v {
        Value::Str(s) => s.to_string(),
        other => other.to_java_string(),
    }
}

/// Query parameters of one value: null omitted, a list repeated, a map as `name.key`.
fn query_pairs(name: &str, v: &Value, out: &mut Vec<(String, String)>, depth: usize) {
    match v {
        Value::Null => {}
        Value::List(items) if depth < 32 => {
            for i in items.iter() {
                query_pairs(name, i, out, depth + 1);
            }
        }
        Value::Map(m) if depth < 32 => {
            for (k, i) in m.iter() {
                query_pairs(&format!("{name}.{}", text(k)), i, out, depth + 1);
            }
        }
        other => out.push((name.to_string(), text(other))),
    }
}

/// The request, built from the evaluated parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub method: reqwest::Method,
    pub url: reqwest::Url,
    pub headers: Vec<(String, String)>,
    pub body: Option<(String, Vec<u8>)>,
}

impl OperationService {
    /// The parameters' values for one context (index into `params`, value).
    fn values(&self, ctx: &Ctx, env: &EvalEnv) -> Result<Vec<(usize, Value)>, Failure> {
        self.params
            .iter()
            .enumerate()
            .map(|(i, (_, p))| p.eval(ctx, env).map(|v| (i, v)))
            .collect()
    }

    fn request(&self, values: Vec<(usize, Value)>) -> Result<Request, String> {
        let op = &self.operation;
        let mut url = self.provider.base.clone();
        let value_of = |target: &dyn Fn(&Target) -> bool| -> Option<&Value> {
            values
                .iter()
                .find(|(i, _)| target(&self.params[*i].0))
                .map(|(_, v)| v)
        };
        {
            let mut segments = url
                .path_segments_mut()
                .map_err(|()| format!("the base URL {} cannot take a path", self.provider.base))?;
            // No `//` when the base ends with `/`.
            segments.pop_if_empty();
            for seg in op.path.split('/').filter(|s| !s.is_empty()) {
                match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(name) => {
                        let v = value_of(&|t| matches!(t, Target::Path(n) if n == name));
                        // A null value gives an empty segment, as in the reference.
                        segments.push(
                            &v.filter(|v| !matches!(v, Value::Null))
                                .map(text)
                                .unwrap_or_default(),
                        );
                    }
                    None => {
                        segments.push(seg);
                    }
                }
            }
        }
        let mut pairs = Vec::new();
        let mut headers = Vec::new();
        let mut properties = serde_json::Map::new();
        let mut whole_body = None;
        for (i, v) in &values {
            match &self.params[*i].0 {
                Target::Path(_) => {}
                Target::Query(n) => query_pairs(n, v, &mut pairs, 0),
                Target::Header(n) if !matches!(v, Value::Null) => {
                    headers.push((n.clone(), text(v)))
                }
                Target::Header(_) => {}
                Target::Property(n) => {
                    properties.insert(n.clone(), scenic_spel::value::to_json(v));
                }
                Target::Body => whole_body = Some(scenic_spel::value::to_json(v)),
            }
        }
        let mut cookies = Vec::new();
        for c in &op.credentials {
            match c {
                Credential::Header { name, value } => headers.push((name.clone(), value.clone())),
                Credential::Query { name, value } => pairs.push((name.clone(), value.clone())),
                Credential::Cookie { name, value } => cookies.push(format!("{name}={value}")),
            }
        }
        if !cookies.is_empty() {
            headers.push(("Cookie".into(), cookies.join("; ")));
        }
        if !pairs.is_empty() {
            url.query_pairs_mut().extend_pairs(pairs);
        }
        let body = match &op.body {
            None => None,
            Some(Body::Object {
                media_type,
                properties: declared,
            }) => {
                // Every declared property, null when not given.
                let mut o = serde_json::Map::new();
                for (name, _) in declared {
                    o.insert(name.clone(), properties.remove(name).unwrap_or(Json::Null));
                }
                Some((
                    media_type.clone(),
                    serde_json::to_vec(&Json::Object(o)).map_err(|e| e.to_string())?,
                ))
            }
            Some(Body::Single { media_type, .. }) => Some((
                media_type.clone(),
                serde_json::to_vec(&whole_body.unwrap_or(Json::Null)).map_err(|e| e.to_string())?,
            )),
        };
        Ok(Request {
            method: op.method.clone(),
            url,
            headers,
            body,
        })
    }

    /// Sends the request and reads the answer as the output value.
    async fn call(
        provider: Arc<Provider>,
        operation: Arc<Operation>,
        output: Type,
        request: Request,
    ) -> Result<Value, String> {
        let name = &operation.name;
        let mut rb = provider.client.request(request.method, request.url);
        for (k, v) in &request.headers {
            rb = rb.header(k.as_str(), v.as_str());
        }
        if let Some((media, bytes)) = request.body {
            rb = rb.header(reqwest::header::CONTENT_TYPE, media).body(bytes);
        }
        let response = rb
            .send()
            .await
            .map_err(|e| format!("Failed to invoke {name}: {}", chain(&e)))?;
        let status = response.status();
        let empty = || {
            if operation.output_is_array {
                Value::list(Vec::new())
            } else {
                Value::Null
            }
        };
        if !status.is_success() {
            if provider.codes_as_empty.contains(&status.as_u16()) {
                return Ok(empty());
            }
            return Err(format!(
                "Failed to invoke {name}: the service answered status {}",
                status.as_u16()
            ));
        }
        let mut response = response;
        let mut bytes = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| format!("Failed to invoke {name}: {}", chain(&e)))?
        {
            if bytes.len() + chunk.len() > MAX_ANSWER_BYTES {
                return Err(format!(
                    "Failed to invoke {name}: the answer is over {} MiB",
                    MAX_ANSWER_BYTES >> 20
                ));
            }
            bytes.extend_from_slice(&chunk);
        }
        if operation.output.is_none() || bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(if operation.output.is_none() {
                Value::Null
            } else {
                empty()
            });
        }
        let json: Json = serde_json::from_slice(&bytes)
            .map_err(|e| format!("Failed to invoke {name}: the answer is not JSON: {e}"))?;
        if json.is_null() {
            return Ok(empty());
        }
        scenic_spel::value::from_json_typed(&json, &output).map_err(|e| {
            let mut shown = json.to_string();
            if shown.len() > 200 {
                let mut cut = 200;
                while !shown.is_char_boundary(cut) {
                    cut -= 1;
                }
                shown.truncate(cut);
                shown.push('…');
            }
            format!(
                "JSON returned by service {name} has invalid type at {}: {}. Returned json: {shown}",
                e.path, e.message
            )
        })
    }
}

impl Service for OperationService {
    fn invoke<'a>(
        &'a self,
        ctx: &'a Ctx,
        env: &'a EvalEnv,
    ) -> BoxFuture<'a, Result<Value, Failure>> {
        let values = self.values(ctx, env);
        Box::pin(async move {
            let request = self.request(values?).map_err(Failure::Component)?;
            let started = Instant::now();
            let (provider, operation, output) = (
                self.provider.clone(),
                self.operation.clone(),
                self.output.clone(),
            );
            let result = crate::io::call(
                Self::call(provider, operation, output, request),
                env.budget.deadline(),
                "the service",
            )
            .await;
            ServiceMetrics::get().observe(
                &self.scenario,
                &self.operation.name,
                result.is_ok(),
                started.elapsed(),
            );
            let v = result.map_err(Failure::Component)?;
            env.budget.check_value(&v)?;
            env.budget.charge(v.size())?;
            Ok(v)
        })
    }

    /// A remote call: test runs do not make it.
    fn has_side_effects(&self) -> bool {
        true
    }

    /// The request the call would send: method, URL, headers and body, with the API keys
    /// masked (a test report is not a place for secrets).
    fn dry_run(&self, ctx: &Ctx, env: &EvalEnv) -> Option<Value> {
        let mut m = Value::map_with_capacity(5);
        m.insert(Value::str("operation"), Value::str(&self.operation.name));
        let values = self.values(ctx, env);
        let request = values
            .map_err(|f| f.to_string())
            .and_then(|v| self.request(v));
        match request {
            Err(e) => {
                m.insert(Value::str("error"), Value::str(e));
            }
            Ok(r) => {
                let secrets: Vec<&str> = self
                    .operation
                    .credentials
                    .iter()
                    .map(|c| match c {
                        Credential::Header { value, .. }
                        | Credential::Query { value, .. }
                        | Credential::Cookie { value, .. } => value.as_str(),
                    })
                    .collect();
                let mask = |s: &str| {
                    secrets
                        .iter()
                        .filter(|k| !k.is_empty())
                        .fold(s.to_string(), |acc, k| acc.replace(*k, "***"))
                };
                m.insert(Value::str("method"), Value::str(r.method.as_str()));
                m.insert(Value::str("url"), Value::str(mask(r.url.as_str())));
                let mut headers = Value::map_with_capacity(r.headers.len());
                for (k, v) in &r.headers {
                    headers.insert(Value::str(k), Value::str(mask(v)));
                }
                m.insert(Value::str("headers"), Value::map(headers));
                if let Some((_, body)) = &r.body {
                    let json: Json = serde_json::from_slice(body).unwrap_or(Json::Null);
                    m.insert(
                        Value::str("body"),
                        scenic_spel::value::from_json_untyped(&json),
                    );
                }
            }
        }
        Some(Value::map(m))
    }
}
