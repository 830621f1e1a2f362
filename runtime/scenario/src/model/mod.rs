//! The Designer's export format (`nussknacker-lite.md` §1): a closed set of node kinds, read as
//! exported. Unknown fields are ignored; optional fields default as the reference's decoder does.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// A scenario file: the first root branch, further root branches (extra sources or joins).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ScenarioFile {
    #[serde(rename = "metaData")]
    pub meta: MetaData,
    pub nodes: Vec<Node>,
    #[serde(rename = "additionalBranches", default)]
    pub additional_branches: Vec<Vec<Node>>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct MetaData {
    pub id: String,
    #[serde(rename = "additionalFields", default)]
    pub additional_fields: AdditionalFields,
    /// Legacy format: `{"type": "RequestResponseMetaData", "slug": "..."}`.
    #[serde(
        rename = "typeSpecificData",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub type_specific_data: Option<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct AdditionalFields {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "string_map")]
    pub properties: IndexMap<String, String>,
    #[serde(rename = "metaDataType", default)]
    pub meta_data_type: Option<String>,
}

/// Property values are strings; tolerate numbers and booleans written by hand.
fn string_map<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<IndexMap<String, String>, D::Error> {
    let raw: Option<IndexMap<String, serde_json::Value>> = Option::deserialize(d)?;
    Ok(raw
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(k, v)| match v {
            serde_json::Value::String(s) => Some((k, s)),
            serde_json::Value::Null => None,
            other => Some((k, other.to_string())),
        })
        .collect())
}

/// The kind of scenario, from `metaDataType` (or the legacy `typeSpecificData.type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ScenarioType {
    RequestResponse,
    LiteStream,
    /// Written for Flink; runs in streaming mode when its components are supported.
    Stream,
    Fragment,
}

impl MetaData {
    /// Scenario properties, with the legacy `typeSpecificData` fields merged in.
    pub fn properties(&self) -> IndexMap<String, String> {
        let mut p = self.additional_fields.properties.clone();
        if let Some(legacy) = &self.type_specific_data {
            for (k, v) in legacy {
                if k == "type" {
                    continue;
                }
                let text = match v {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Null => continue,
                    other => other.to_string(),
                };
                p.entry(k.clone()).or_insert(text);
            }
        }
        p
    }

    pub fn scenario_type(&self) -> Result<ScenarioType, String> {
        let name = self.additional_fields.meta_data_type.clone().or_else(|| {
            self.type_specific_data
                .as_ref()
                .and_then(|t| t.get("type"))
                .and_then(|t| t.as_str())
                .map(str::to_string)
        });
        match name.as_deref() {
            Some("RequestResponseMetaData") => Ok(ScenarioType::RequestResponse),
            Some("LiteStreamMetaData") => Ok(ScenarioType::LiteStream),
            Some("StreamMetaData") => Ok(ScenarioType::Stream),
            Some("FragmentSpecificData") => Ok(ScenarioType::Fragment),
            Some(other) => Err(format!("Unknown scenario type (metaDataType) '{other}'")),
            None => Err("The scenario has no metaDataType".into()),
        }
    }
}

/// `{"language": "spel", "expression": "..."}`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct Expression {
    pub language: String,
    pub expression: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Parameter {
    pub name: String,
    pub expression: Expression,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ComponentRef {
    pub typ: String,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ServiceRef {
    pub id: String,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct FragmentRef {
    pub id: String,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    #[serde(rename = "outputVariableNames", default)]
    pub output_variable_names: IndexMap<String, String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Field {
    pub name: String,
    pub expression: Expression,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Case {
    pub expression: Expression,
    #[serde(default)]
    pub nodes: Vec<Node>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct BranchParameters {
    #[serde(rename = "branchId")]
    pub branch_id: String,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct BranchEndDefinition {
    pub id: String,
    #[serde(rename = "joinId")]
    pub join_id: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct FragmentParameter {
    pub name: String,
    #[serde(default)]
    pub typ: Option<FragmentParameterType>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct FragmentParameterType {
    #[serde(rename = "refClazzName")]
    pub ref_clazz_name: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct OutputVar {
    pub name: String,
    #[serde(default)]
    pub fields: Vec<Field>,
}

/// One node. The kinds are closed: they are fixed by the Designer's JSON.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(tag = "type")]
pub enum Node {
    Source {
        id: String,
        #[serde(rename = "ref")]
        component: ComponentRef,
    },
    Sink {
        id: String,
        #[serde(rename = "ref")]
        component: ComponentRef,
        #[serde(rename = "isDisabled", default)]
        is_disabled: Option<bool>,
    },
    Filter {
        id: String,
        expression: Expression,
        #[serde(rename = "nextFalse", default)]
        next_false: Vec<Node>,
        #[serde(rename = "isDisabled", default)]
        is_disabled: Option<bool>,
    },
    /// "choice"
    Switch {
        id: String,
        #[serde(default)]
        expression: Option<Expression>,
        #[serde(rename = "exprVal", default)]
        expr_val: Option<String>,
        #[serde(default)]
        nexts: Vec<Case>,
        #[serde(rename = "defaultNext", default)]
        default_next: Vec<Node>,
    },
    Split {
        id: String,
        #[serde(default)]
        nexts: Vec<Vec<Node>>,
    },
    Variable {
        id: String,
        #[serde(rename = "varName")]
        var_name: String,
        value: Expression,
    },
    /// "record-variable" (formerly `mapVariable`).
    VariableBuilder {
        id: String,
        #[serde(rename = "varName")]
        var_name: String,
        #[serde(default)]
        fields: Vec<Field>,
    },
    Enricher {
        id: String,
        service: ServiceRef,
        output: String,
    },
    Processor {
        id: String,
        service: ServiceRef,
        #[serde(rename = "isDisabled", default)]
        is_disabled: Option<bool>,
    },
    CustomNode {
        id: String,
        #[serde(rename = "outputVar", default)]
        output_var: Option<String>,
        #[serde(rename = "nodeType")]
        node_type: String,
        #[serde(default)]
        parameters: Vec<Parameter>,
    },
    Join {
        id: String,
        #[serde(rename = "outputVar", default)]
        output_var: Option<String>,
        #[serde(rename = "nodeType")]
        node_type: String,
        #[serde(default)]
        parameters: Vec<Parameter>,
        #[serde(rename = "branchParameters", default)]
        branch_parameters: Vec<BranchParameters>,
    },
    BranchEndData {
        definition: BranchEndDefinition,
    },
    FragmentInput {
        id: String,
        #[serde(rename = "ref")]
        fragment: FragmentRef,
        #[serde(rename = "isDisabled", default)]
        is_disabled: Option<bool>,
        #[serde(default)]
        outputs: IndexMap<String, Vec<Node>>,
    },
    FragmentInputDefinition {
        id: String,
        #[serde(default)]
        parameters: Vec<FragmentParameter>,
    },
    FragmentOutputDefinition {
        id: String,
        #[serde(rename = "outputName")]
        output_name: String,
        #[serde(default)]
        fields: Vec<Field>,
    },
    FragmentUsageOutput {
        id: String,
        #[serde(rename = "outputName")]
        output_name: String,
        #[serde(rename = "outputVar", default)]
        output_var: Option<OutputVar>,
    },
}

impl Node {
    /// The node id (a branch end is named by its definition).
    pub fn id(&self) -> &str {
        match self {
            Node::Source { id, .. }
            | Node::Sink { id, .. }
            | Node::Filter { id, .. }
            | Node::Switch { id, .. }
            | Node::Split { id, .. }
            | Node::Variable { id, .. }
            | Node::VariableBuilder { id, .. }
            | Node::Enricher { id, .. }
            | Node::Processor { id, .. }
            | Node::CustomNode { id, .. }
            | Node::Join { id, .. }
            | Node::FragmentInput { id, .. }
            | Node::FragmentInputDefinition { id, .. }
            | Node::FragmentOutputDefinition { id, .. }
            | Node::FragmentUsageOutput { id, .. } => id,
            Node::BranchEndData { definition } => &definition.id,
        }
    }

    /// The Designer's name for the kind (errors use it).
    pub fn kind(&self) -> &'static str {
        match self {
            Node::Source { .. } => "Source",
            Node::Sink { .. } => "Sink",
            Node::Filter { .. } => "Filter",
            Node::Switch { .. } => "Switch",
            Node::Split { .. } => "Split",
            Node::Variable { .. } => "Variable",
            Node::VariableBuilder { .. } => "VariableBuilder",
            Node::Enricher { .. } => "Enricher",
            Node::Processor { .. } => "Processor",
            Node::CustomNode { .. } => "CustomNode",
            Node::Join { .. } => "Join",
            Node::BranchEndData { .. } => "BranchEndData",
            Node::FragmentInput { .. } => "FragmentInput",
            Node::FragmentInputDefinition { .. } => "FragmentInputDefinition",
            Node::FragmentOutputDefinition { .. } => "FragmentOutputDefinition",
            Node::FragmentUsageOutput { .. } => "FragmentUsageOutput",
        }
    }

    pub fn is_disabled(&self) -> bool {
        match self {
            Node::Sink { is_disabled, .. }
            | Node::Filter { is_disabled, .. }
            | Node::Processor { is_disabled, .. }
            | Node::FragmentInput { is_disabled, .. } => is_disabled.unwrap_or(false),
            _ => false,
        }
    }
}

/// Parses a scenario file; the error names line and column.
pub fn parse_scenario(text: &str) -> Result<ScenarioFile, String> {
    serde_json::from_str(text).map_err(|e| {
        format!(
            "Invalid scenario JSON at line {} column {}: {e}",
            e.line(),
            e.column()
        )
    })
}
