//! A compiled scenario: what the HTTP runtime and the streaming worker deploy.

use std::sync::Arc;

use indexmap::IndexMap;
use scenic_spel::{EvalEnv, Value};

use crate::compile::{
    compile_scenario, CompileError, CompileOptions, FragmentSource, ScenarioLimits,
};
use crate::graph::{Graph, NodeCounters, Registry, Source, SourceKind};
use crate::interp::{RunOptions, RunResult};
use crate::model::{parse_scenario, ScenarioFile, ScenarioType};
use crate::schema::{EncodePlan, JsonSchema};

#[derive(Debug)]
pub struct CompiledScenario {
    name: String,
    slug: String,
    description: Option<String>,
    scenario_type: ScenarioType,
    properties: IndexMap<String, String>,
    /// Content hash of the scenario file (see [`version_of`]).
    version: String,
    graph: Graph,
    /// The output schema compiled for encoding responses (request-response sources).
    pub(crate) encoder: Option<EncodePlan>,
}

/// Why a scenario could not be loaded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LoadError {
    #[error("{0}")]
    Parse(String),
    #[error("{} compile error(s): {}", .0.len(), .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "))]
    Compile(Vec<CompileError>),
}

impl LoadError {
    pub fn errors(&self) -> Vec<CompileError> {
        match self {
            LoadError::Parse(m) => vec![CompileError::scenario(m.clone())],
            LoadError::Compile(e) => e.clone(),
        }
    }
}

/// Parses and compiles a scenario file's text, with the default limits.
pub fn load_scenario(
    text: &str,
    registry: &Registry,
    fragments: &dyn FragmentSource,
) -> Result<CompiledScenario, LoadError> {
    load_scenario_with(text, registry, fragments, &ScenarioLimits::default())
}

/// Parses and compiles a scenario file's text under `limits`.
pub fn load_scenario_with(
    text: &str,
    registry: &Registry,
    fragments: &dyn FragmentSource,
    limits: &ScenarioLimits,
) -> Result<CompiledScenario, LoadError> {
    let file = parse_scenario(text).map_err(LoadError::Parse)?;
    let opts = CompileOptions {
        registry,
        fragments,
        env: EvalEnv::default(),
        limits: *limits,
    };
    compile_scenario(&file, &opts).map_err(LoadError::Compile)
}

/// Slug of a name: every character outside `[a-zA-Z0-9-._~]` becomes `-`.
pub fn default_slug(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-._~".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect()
}

impl CompiledScenario {
    pub(crate) fn new(
        file: &ScenarioFile,
        scenario_type: ScenarioType,
        properties: IndexMap<String, String>,
        graph: Graph,
    ) -> CompiledScenario {
        let name = file.meta.id.clone();
        let slug = properties
            .get("slug")
            .filter(|s| !s.is_empty())
            .cloned()
            .unwrap_or_else(|| default_slug(&name));
        let encoder = match graph.source.kind() {
            SourceKind::Request {
                output: Some(schema),
                ..
            } => Some(EncodePlan::compile(schema)),
            _ => None,
        };
        CompiledScenario {
            description: file
                .meta
                .additional_fields
                .description
                .clone()
                .filter(|d| !d.is_empty()),
            name,
            slug,
            scenario_type,
            properties,
            version: version_of(file),
            graph,
            encoder,
        }
    }

    /// Takes over the node counters of the version this one replaces, node by node id, so that
    /// a redeploy keeps counting (counters are monotonic across redeploys, `decisions.md` §7).
    pub fn adopt_counters(&mut self, previous: &CompiledScenario) {
        let old: std::collections::HashMap<&str, &Arc<NodeCounters>> = previous
            .graph
            .nodes
            .iter()
            .map(|n| (&*n.id, &n.counters))
            .collect();
        for node in &mut self.graph.nodes {
            if let Some(c) = old.get(&*node.id) {
                node.counters = Arc::clone(c);
            }
        }
    }

    /// The scenario's name (`metaData.id`), the `scenario` label of its metrics.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The path segment it is served under (`/scenario/{slug}`).
    pub fn slug(&self) -> &str {
        &self.slug
    }

    /// Content hash of the scenario file.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The description from its metadata, when it has a non-empty one.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    pub fn scenario_type(&self) -> ScenarioType {
        self.scenario_type
    }

    /// The scenario's properties (`inputSchema`, `slug`, `parallelism`, ...).
    pub fn properties(&self) -> &IndexMap<String, String> {
        &self.properties
    }

    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    pub fn source(&self) -> &Arc<dyn Source> {
        &self.graph.source
    }

    /// The request schema, when the source is a request-response one.
    pub fn input_schema(&self) -> Option<&Arc<JsonSchema>> {
        match self.graph.source.kind() {
            SourceKind::Request { input, .. } => Some(input),
            SourceKind::Topic { .. } => None,
        }
    }

    /// The response schema, when the source is a request-response one with an `outputSchema`.
    pub fn output_schema(&self) -> Option<&Arc<JsonSchema>> {
        match self.graph.source.kind() {
            SourceKind::Request { output, .. } => output,
            SourceKind::Topic { .. } => None,
        }
    }

    /// Runs the scenario for one decoded input.
    pub async fn run(&self, input: Value) -> RunResult {
        self.graph.run(input, false, None).await
    }

    /// Runs the scenario for one decoded input and the values of the source's other variables
    /// (`Source::variables`), under `opts` (its deadline).
    pub async fn run_with(&self, input: Value, vars: Vec<Value>, opts: &RunOptions) -> RunResult {
        self.graph
            .run_ctx(self.graph.context_with(input, vars), opts, None)
            .await
    }
}

/// A scenario's version: the first 16 hex digits of the SHA-256 of its file, as parsed and
/// written back out (so whitespace and key order of the text do not count). The same file has
/// the same version on every machine, build and Rust release.
pub fn version_of(file: &ScenarioFile) -> String {
    use sha2::Digest;
    // Serializing the parsed model cannot fail (plain data, string keys).
    let canonical = serde_json::to_vec(file).unwrap_or_default();
    let digest = sha2::Sha256::digest(&canonical);
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"{"metaData": {"id": "v", "additionalFields": {"properties": {}, "metaDataType": "RequestResponseMetaData"}}, "nodes": []}"#;

    #[test]
    fn the_version_is_a_stable_content_hash() {
        let file = parse_scenario(FILE).expect("parses");
        // Pinned: a SHA-256, the same on every machine, build and Rust release (issue 13 puts
        // it in Kubernetes object names).
        let v = version_of(&file);
        assert_eq!(v.len(), 16);
        assert!(v.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(v, PINNED, "the version of a file must never change");
        // Layout does not count; content does.
        let spaced = FILE.replace(", ", ",\n    ");
        assert_eq!(version_of(&parse_scenario(&spaced).expect("parses")), v);
        let other = FILE.replace("\"v\"", "\"w\"");
        assert_ne!(version_of(&parse_scenario(&other).expect("parses")), v);
    }

    const PINNED: &str = "c08881f36cbb04e2";
}
