//! OpenAPI 3.1 documents for request-response scenarios.
//!
//! - [`scenario_document`]: the document of one scenario (served at `<root>/definition`), with the
//!   scenario at path `/` and a relative server `./`.
//! - [`gateway_document`]: one document with every scenario at `/scenario/{slug}`.
//! - [`swagger`]: an offline Swagger UI for actix-web.
//!
//! The structure is built with utoipa's OpenAPI model; the scenarios' JSON Schemas (draft 7) are
//! converted to JSON Schema 2020-12 and spliced in as raw JSON (see `convert`), because utoipa's
//! `Schema` type cannot represent every keyword.

mod convert;
mod ident;
mod merge;
pub mod swagger;

use std::collections::HashSet;

use serde_json::{Map, Value};
use utoipa::openapi::path::{HttpMethod, Operation, OperationBuilder};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::SchemaType;
use utoipa::openapi::{
    ArrayBuilder, ComponentsBuilder, ContentBuilder, InfoBuilder, ObjectBuilder, OpenApiBuilder,
    OpenApiVersion, PathItem, PathsBuilder, Ref, Required, ResponseBuilder, ServerBuilder, Type,
};

use convert::{Components, COMPONENTS_PREFIX};

pub use ident::operation_id;
pub use merge::merge_documents;

/// What the OpenAPI documents need to know about a deployed request-response scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioApi {
    /// The scenario name (`metaData.id`).
    pub name: String,
    /// The URL slug (`/scenario/{slug}` in the gateway).
    pub slug: String,
    /// The scenario description, if any.
    pub description: Option<String>,
    /// The deployed version (content hash or version id), as the `Scenic-Scenario-Version`
    /// header names it; the document's `info.version` is [`document_version`] of it.
    pub version: String,
    /// The `inputSchema` property parsed as JSON (a draft-7 JSON Schema).
    pub input_schema: Value,
    /// The `outputSchema` property parsed as JSON (a draft-7 JSON Schema).
    pub output_schema: Value,
}

/// Name of the component schema of one error entry.
pub const ERROR_SCHEMA: &str = "ScenarioError";
/// Name of the component schema of an error response body (an array of [`ERROR_SCHEMA`]).
pub const ERRORS_SCHEMA: &str = "ScenarioErrors";
/// The tag of every scenario operation.
pub const TAG: &str = "Nussknacker";

/// The OpenAPI 3.1 document of one scenario, served by the scenario's own routes: the scenario
/// is `POST /` relative to the server `./`, so the document works behind any path prefix.
pub fn scenario_document(api: &ScenarioApi) -> Value {
    let info = InfoBuilder::new()
        .title(api.name.clone())
        .version(document_version(&api.version))
        .description(non_empty(api.description.as_deref()))
        .build();
    let operation = ScenarioOperation::new(api, ident::operation_id(&api.name));
    document(info, vec![("/".to_owned(), operation)])
}

/// One OpenAPI 3.1 document with every scenario at `POST /scenario/{slug}` (relative to the server
/// `./`, so it is meant to be served from the gateway's root, e.g. `/openapi.json`).
///
/// `operationId`s and component names are unique across scenarios (a number is appended to
/// repeated ones). When two scenarios share a slug, only the first is listed.
pub fn gateway_document(apis: &[ScenarioApi]) -> Value {
    let mut slugs = HashSet::new();
    let mut operation_ids = HashSet::new();
    let mut operations = Vec::new();
    for api in apis {
        if !slugs.insert(api.slug.as_str()) {
            continue;
        }
        let base = ident::operation_id(&api.name);
        let mut id = base.clone();
        let mut n = 2u64;
        while !operation_ids.insert(id.clone()) {
            id = format!("{base}{n}");
            n += 1;
        }
        let path = format!("/scenario/{}", encode_path_segment(&api.slug));
        operations.push((path, ScenarioOperation::new(api, id)));
    }
    let info = InfoBuilder::new()
        .title("Scenic scenarios")
        .version(document_version(&gateway_version(apis)))
        .description(Some(
            "Every request-response scenario deployed to this gateway, each at `/scenario/<slug>`.",
        ))
        .build();
    document(info, operations)
}

/// One scenario's operation, before its schemas are spliced in.
struct ScenarioOperation<'a> {
    api: &'a ScenarioApi,
    operation_id: String,
}

impl<'a> ScenarioOperation<'a> {
    fn new(api: &'a ScenarioApi, operation_id: String) -> Self {
        Self { api, operation_id }
    }

    fn build(&self) -> Operation {
        let api = self.api;
        let mut operation = OperationBuilder::new()
            .operation_id(Some(self.operation_id.clone()))
            .summary(Some(api.name.clone()))
            .description(Some(match non_empty(api.description.as_deref()) {
                Some(description) => format!("**scenario name**: {}\n\n{description}", api.name),
                None => format!("**scenario name**: {}", api.name),
            }))
            .tag(TAG)
            .request_body(Some(
                RequestBodyBuilder::new()
                    .description(Some("The scenario input (`#input`)."))
                    .required(Some(Required::True))
                    .content("application/json", ContentBuilder::new().build())
                    .build(),
            ))
            .response(
                "200",
                ResponseBuilder::new()
                    .description("The scenario's response.")
                    .header(VERSION_HEADER, version_header())
                    .content("application/json", ContentBuilder::new().build()),
            );
        for (status, description) in ERROR_RESPONSES {
            let mut response = ResponseBuilder::new().description(*description).content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name(ERRORS_SCHEMA)))
                    .build(),
            );
            // A 404 comes before any deployment is found: no version answers it.
            if *status != "404" {
                response = response.header(VERSION_HEADER, version_header());
            }
            operation = operation.response(*status, response);
        }
        operation.build()
    }
}

/// The response header naming the deployed version that answered (`decisions.md` §3).
pub const VERSION_HEADER: &str = "Scenic-Scenario-Version";

fn version_header() -> utoipa::openapi::header::Header {
    utoipa::openapi::header::HeaderBuilder::new()
        .schema(ObjectBuilder::new().schema_type(Type::String))
        .description(Some(
            "The deployed version (content hash) of the scenario that answered.",
        ))
        .build()
}

/// Every error status an invocation can answer (`decisions.md` §2 and §3), each with the
/// shared error body.
const ERROR_RESPONSES: &[(&str, &str)] = &[
    (
        "400",
        "The body is not JSON or does not match the input schema \
         (one entry per violation, with its JSON pointer in `path`).",
    ),
    (
        "404",
        "No scenario is deployed at this path (it was cancelled or never deployed).",
    ),
    (
        "408",
        "The request body did not arrive within the request timeout.",
    ),
    (
        "413",
        "The request body is larger than the server's limit (1 MiB unless configured).",
    ),
    (
        "500",
        "The scenario failed: a node failed at run time (`nodeId`), the output \
         does not match the output schema, or no response was produced.",
    ),
    (
        "503",
        "The scenario is being deployed or the server is shutting down: retry later or elsewhere.",
    ),
    (
        "504",
        "The scenario did not answer within the request timeout (30 s unless configured).",
    ),
];

/// The whole document: utoipa builds the structure, then the converted schemas are spliced in.
fn document(info: utoipa::openapi::Info, operations: Vec<(String, ScenarioOperation)>) -> Value {
    let mut paths = PathsBuilder::new();
    for (path, operation) in &operations {
        paths = paths.path(
            path.clone(),
            PathItem::new(HttpMethod::Post, operation.build()),
        );
    }
    let mut openapi = OpenApiBuilder::new()
        .info(info)
        .servers(Some([ServerBuilder::new().url("./").build()]))
        .paths(paths.build())
        .components(Some(error_components()))
        .build();
    // The only (and default) variant; set explicitly so the document states 3.1.0 on purpose.
    openapi.openapi = OpenApiVersion::Version31;
    let mut doc = serde_json::to_value(&openapi).unwrap_or_else(|_| Value::Object(Map::new()));
    require_version_headers(&mut doc);

    let mut components = Components::default();
    components.reserve_external(ERROR_SCHEMA);
    components.reserve_external(ERRORS_SCHEMA);
    for (path, operation) in &operations {
        let prefix = ident::pascal(&operation.operation_id);
        let api = operation.api;
        let input = convert::embed(&api.input_schema, &prefix, "Input", true, &mut components);
        let output = convert::embed(
            &api.output_schema,
            &prefix,
            "Output",
            false,
            &mut components,
        );
        let post = format!(
            "/paths/{}/post",
            scenic_spel::types::json_ref::escape_segment(path)
        );
        set_schema(
            &mut doc,
            &format!("{post}/requestBody/content/application~1json"),
            input,
        );
        set_schema(
            &mut doc,
            &format!("{post}/responses/200/content/application~1json"),
            output,
        );
    }
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        schemas.extend(components.into_schemas());
    }
    doc
}

/// utoipa's `Header` has no `required`: every answer but a 404 carries the version header.
fn require_version_headers(doc: &mut Value) {
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return;
    };
    for item in paths.values_mut() {
        let Some(Value::Object(responses)) = item.pointer_mut("/post/responses") else {
            continue;
        };
        for response in responses.values_mut() {
            if let Some(Value::Object(header)) = response
                .get_mut("headers")
                .and_then(|h| h.get_mut(VERSION_HEADER))
            {
                header.insert("required".to_owned(), Value::Bool(true));
            }
        }
    }
}

fn set_schema(doc: &mut Value, content_pointer: &str, schema: Value) {
    if let Some(Value::Object(content)) = doc.pointer_mut(content_pointer) {
        content.insert("schema".to_owned(), schema);
    }
}

/// `ScenarioError` (one entry) and `ScenarioErrors` (the response body).
fn error_components() -> utoipa::openapi::Components {
    let nullable_string = |description: &str| {
        ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
            .description(Some(description))
    };
    let string = |description: &str| {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(description))
    };
    let error = ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some("One problem found while handling the request."))
        .property("message", nullable_string("What went wrong."))
        .required("message")
        .property(
            "nodeId",
            nullable_string("The id of the scenario node that failed, if any."),
        )
        .required("nodeId")
        .property(
            "path",
            string("JSON pointer to the offending part of the request body."),
        )
        .property("expression", string("The expression that failed."));
    let errors = ArrayBuilder::new()
        .items(Ref::new(format!("{COMPONENTS_PREFIX}{ERROR_SCHEMA}")))
        .description(Some("Every problem found while handling the request."));
    ComponentsBuilder::new()
        .schema(ERROR_SCHEMA, error)
        .schema(ERRORS_SCHEMA, errors)
        .build()
}

fn non_empty(text: Option<&str>) -> Option<&str> {
    text.filter(|t| !t.trim().is_empty())
}

/// Percent-encodes everything but URL path "unreserved" characters, so that no slug can add
/// path segments or template braces.
fn encode_path_segment(slug: &str) -> String {
    let mut out = String::new();
    for byte in slug.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    if out.is_empty() {
        out.push('-');
    }
    out
}

/// Replaces a document's `servers` by the configured ones (the reference's
/// `definitionMetadata.servers`: `{"url": …, "description": …}` each, in order); none
/// configured keeps the relative default.
pub fn set_servers(doc: &mut Value, servers: &[Value]) {
    if !servers.is_empty() {
        doc["servers"] = Value::Array(servers.to_vec());
    }
}

/// `info.version` for a deployed version: `1.0.0+<version>`, the version as build metadata
/// (semver 2.0) and as a local version label (PEP 440), so that both kinds of tools accept it
/// (`decisions.md` §6, Versions). A bare hash like `9f3a…` is neither: the package of a client
/// generated by openapi-python-client would not install (`InvalidVersionError`). Characters
/// other than ASCII letters and digits separate identifiers (`v1_2` → `1.0.0+v1.2`); without
/// any, the version is `1.0.0`.
pub fn document_version(version: &str) -> String {
    let label: Vec<&str> = version
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .collect();
    if label.is_empty() {
        "1.0.0".to_owned()
    } else {
        format!("1.0.0+{}", label.join("."))
    }
}

/// A version for the gateway document that changes whenever a scenario is added, removed or
/// redeployed: a hash (FNV-1a, 64 bits) of the slugs and versions.
fn gateway_version(apis: &[ScenarioApi]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for api in apis {
        for part in [api.slug.as_bytes(), b"\0", api.version.as_bytes(), b"\0"] {
            for &byte in part {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn api(name: &str, slug: &str, input: Value, output: Value) -> ScenarioApi {
        ScenarioApi {
            name: name.to_owned(),
            slug: slug.to_owned(),
            description: None,
            version: "1".to_owned(),
            input_schema: input,
            output_schema: output,
        }
    }

    #[test]
    fn scenario_document_shape() {
        let mut loan = api(
            "LoanRequest",
            "loan",
            json!({"type": "object", "properties": {"amount": {"type": "integer"}}}),
            json!({"type": "object", "properties": {"acceptedAmount": {"type": "integer"}}}),
        );
        loan.description = Some("Decides on loans.".to_owned());
        loan.version = "abc123".to_owned();
        let doc = scenario_document(&loan);
        assert_eq!(doc["openapi"], "3.1.0");
        assert_eq!(
            doc["info"],
            json!({"title": "LoanRequest", "description": "Decides on loans.", "version": "1.0.0+abc123"})
        );
        assert_eq!(doc["servers"], json!([{"url": "./"}]));
        let paths = doc["paths"].as_object().expect("paths");
        assert_eq!(paths.keys().collect::<Vec<_>>(), ["/"]);
        let post = &doc["paths"]["/"]["post"];
        assert_eq!(post["operationId"], "loanRequest");
        assert_eq!(post["summary"], "LoanRequest");
        assert_eq!(post["tags"], json!(["Nussknacker"]));
        assert_eq!(post["requestBody"]["required"], true);
        // The server decodes an integer without a format as a 64-bit `Long`.
        assert_eq!(
            post["requestBody"]["content"]["application/json"]["schema"],
            json!({"type": "object", "properties": {"amount": {"type": "integer", "format": "int64"}}})
        );
        assert_eq!(
            post["responses"]["200"]["content"]["application/json"]["schema"],
            loan.output_schema
        );
        let statuses: Vec<&String> = post["responses"]
            .as_object()
            .expect("responses")
            .keys()
            .collect();
        assert_eq!(
            statuses,
            ["200", "400", "404", "408", "413", "500", "503", "504"]
        );
        let version = json!({
            "description": "The deployed version (content hash) of the scenario that answered.",
            "required": true,
            "schema": {"type": "string"}
        });
        for status in statuses {
            let description = post["responses"][status]["description"].as_str();
            assert!(description.is_some_and(|d| !d.is_empty()), "{status}");
            if status != "200" {
                assert_eq!(
                    post["responses"][status]["content"]["application/json"]["schema"],
                    json!({"$ref": "#/components/schemas/ScenarioErrors"}),
                    "{status}"
                );
            }
            // A 404 names no deployment; every other answer names the version that gave it.
            let header = &post["responses"][status]["headers"][VERSION_HEADER];
            if status == "404" {
                assert!(header.is_null(), "{status}");
            } else {
                assert_eq!(header, &version, "{status}");
            }
        }
        assert_eq!(
            doc["components"]["schemas"]["ScenarioErrors"]["items"],
            json!({"$ref": "#/components/schemas/ScenarioError"})
        );
        assert_eq!(
            doc["components"]["schemas"]["ScenarioError"]["required"],
            json!(["message", "nodeId"])
        );
        assert!(doc["info"].get("license").is_none());
    }

    #[test]
    fn no_description_when_absent() {
        let doc = scenario_document(&api("x", "x", json!({}), json!(true)));
        assert!(doc["info"].get("description").is_none());
        let post = &doc["paths"]["/"]["post"];
        assert_eq!(post["operationId"], "x");
        assert_eq!(
            post["responses"]["200"]["content"]["application/json"]["schema"],
            json!({})
        );
    }

    #[test]
    fn scenario_definitions_become_components() {
        let schema = json!({
            "$schema": "http://json-schema.org/draft-07/schema#",
            "type": "object",
            "properties": {"address": {"$ref": "#/definitions/Address"}},
            "definitions": {"Address": {"type": "object", "properties": {"city": {"type": "string"}}}}
        });
        let doc = scenario_document(&api("loan request", "loan", schema.clone(), schema));
        let schemas = doc["components"]["schemas"].as_object().expect("schemas");
        let names: Vec<&String> = schemas.keys().collect();
        assert_eq!(
            names,
            [
                "ScenarioError",
                "ScenarioErrors",
                "LoanRequestAddress",
                "LoanRequestOutputAddress"
            ]
        );
        let post = &doc["paths"]["/"]["post"];
        assert_eq!(
            post["requestBody"]["content"]["application/json"]["schema"],
            json!({"type": "object", "properties": {"address": {"$ref": "#/components/schemas/LoanRequestAddress"}}})
        );
        assert_eq!(
            post["responses"]["200"]["content"]["application/json"]["schema"]["properties"]
                ["address"],
            json!({"$ref": "#/components/schemas/LoanRequestOutputAddress"})
        );
    }

    #[test]
    fn gateway_names_are_unique() {
        let schema = json!({
            "properties": {"a": {"$ref": "#/definitions/A"}},
            "definitions": {"A": {"type": "string"}}
        });
        let apis = [
            api("loan", "loan", schema.clone(), json!({})),
            api("Loan", "loan-2", schema.clone(), json!({})),
            api("loan", "loan", json!({}), json!({})),
            api("7 days", "week/ly", json!({}), json!({})),
        ];
        let doc = gateway_document(&apis);
        assert_eq!(doc["servers"], json!([{"url": "./"}]));
        let paths: Vec<&String> = doc["paths"].as_object().expect("paths").keys().collect();
        assert_eq!(
            paths,
            ["/scenario/loan", "/scenario/loan-2", "/scenario/week%2Fly"]
        );
        let ids: Vec<&Value> = paths
            .iter()
            .map(|p| &doc["paths"][p.as_str()]["post"]["operationId"])
            .collect();
        assert_eq!(
            ids,
            [&json!("loan"), &json!("loan2"), &json!("scenario7Days")]
        );
        assert_eq!(
            doc["paths"]["/scenario/loan-2"]["post"]["requestBody"]["content"]["application/json"]
                ["schema"]["properties"]["a"],
            json!({"$ref": "#/components/schemas/Loan2A"})
        );
        let schemas = doc["components"]["schemas"].as_object().expect("schemas");
        assert!(schemas.contains_key("LoanA") && schemas.contains_key("Loan2A"));
        assert_eq!(schemas.len(), 4);
        let version = doc["info"]["version"].as_str().expect("version");
        assert!(version.starts_with("1.0.0+"), "{version}");
        assert_eq!(version.len(), "1.0.0+".len() + 16);
        assert_ne!(
            doc["info"]["version"],
            gateway_document(&apis[..1])["info"]["version"]
        );
    }

    #[test]
    fn empty_gateway() {
        let doc = gateway_document(&[]);
        assert_eq!(doc["paths"], json!({}));
        assert_eq!(doc["openapi"], "3.1.0");
    }

    #[test]
    fn document_versions_are_semver_with_the_hash_as_build_metadata() {
        let hash = "9f3a0c1d2e3f4a5b";
        let v = document_version(hash);
        assert_eq!(v, "1.0.0+9f3a0c1d2e3f4a5b");
        let parsed = semver::Version::parse(&v).expect("semver 2.0");
        assert_eq!(parsed.build.as_str(), hash);
        assert!(parsed.pre.is_empty());
        // Only ASCII letters and digits survive, as dot-separated identifiers.
        for (raw, want) in [
            ("v1_2", "1.0.0+v1.2"),
            ("release/2024-01 ü", "1.0.0+release.2024.01"),
            ("", "1.0.0"),
            ("--", "1.0.0"),
        ] {
            assert_eq!(document_version(raw), want, "{raw}");
            semver::Version::parse(want).expect("semver 2.0");
        }
        let mut loan = api("LoanRequest", "loan", json!({}), json!({}));
        loan.version = hash.to_owned();
        let doc = scenario_document(&loan);
        assert_eq!(doc["info"]["version"], json!(v));
        // The deployed version itself is unchanged (it is the `Scenic-Scenario-Version` header).
        assert_eq!(loan.version, hash);
        let gateway = gateway_document(&[loan]);
        let version = gateway["info"]["version"].as_str().expect("version");
        semver::Version::parse(version).expect("semver 2.0");
    }
}
