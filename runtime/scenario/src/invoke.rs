//! One invocation, bytes to bytes: the call that the HTTP runtime, `scenic test`, the
//! management API's `/test` and programs that embed Scenic all make.
//!
//! It has three stages, each public so that a caller can put work between them (the HTTP
//! runtime moves a long run to its compute pool; the test tools trace the run and report every
//! sink): [`CompiledScenario::decode_input`] (request bytes → `#input`, in one pass over the
//! bytes where the input schema allows), a run ([`CompiledScenario::run_with`] or the
//! interpreter's `Graph::begin`/`drive`), and [`CompiledScenario::encode_response`] (the run's
//! answer → response bytes, from a plan compiled from the output schema).
//! [`CompiledScenario::invoke`] is the three in a row.
//!
//! Errors are typed ([`InvokeError`]); each runtime maps them to its answer in one place (the
//! HTTP status and error body in `scenic-rr`'s `error.rs`).

use std::sync::Arc;

use scenic_spel::eval::Exhausted;
use scenic_spel::Value;

use crate::graph::NodeError;
use crate::interp::{RunOptions, RunResult, Tracer, MAX_ERRORS};
use crate::schema::{DecodeError, Violation};
use crate::CompiledScenario;

/// Why an invocation gave no response. `Display` is the message the HTTP API answers with.
#[derive(Debug, thiserror::Error)]
pub enum InvokeError {
    /// The request is not JSON (or has trailing text, or nests deeper than 128 levels).
    #[error("Malformed JSON at line {} column {}: {}", .0.line(), .0.column(), .0)]
    MalformedJson(serde_json::Error),
    /// The request violates the input schema (or does not convert to `#input`'s type): each
    /// violation with its JSON pointer, at most
    /// [`MAX_VIOLATIONS`](crate::schema::MAX_VIOLATIONS) and then their count.
    #[error("{}", Violation::describe_all(.0))]
    InvalidInput(Vec<Violation>),
    /// The run passed its deadline.
    #[error("The invocation did not finish before its deadline")]
    Timeout,
    /// Nodes failed: the first [`MAX_ERRORS`] errors, each naming its node, and how many more
    /// there were.
    #[error("{}", describe_failed(.errors, *.omitted))]
    Failed {
        errors: Vec<NodeError>,
        omitted: usize,
    },
    /// No sink produced a response (every path ended in a filter or a dead end).
    #[error("Scenario did not return any result")]
    NoResult,
    /// The response is bigger than the scenario's value limits allow.
    #[error("The response is over a limit: {message}")]
    ResponseOverLimit { node_id: Arc<str>, message: String },
    /// The response does not match the output schema.
    #[error("Response does not match the output schema: {}", Violation::describe_all(.0))]
    ResponseMismatch(Vec<Violation>),
}

impl InvokeError {
    /// Is it the request's fault (the input), rather than the scenario's?
    pub fn is_rejection(&self) -> bool {
        matches!(
            self,
            InvokeError::MalformedJson(_) | InvokeError::InvalidInput(_)
        )
    }
}

impl From<DecodeError> for InvokeError {
    fn from(e: DecodeError) -> InvokeError {
        match e {
            DecodeError::Malformed(e) => InvokeError::MalformedJson(e),
            DecodeError::Invalid(v) => InvokeError::InvalidInput(v),
        }
    }
}

/// What a failed invocation says of the errors it did not keep (`None` when it kept all).
pub fn omitted_errors(omitted: usize) -> Option<String> {
    (omitted > 0)
        .then(|| format!("... and {omitted} more errors (the first {MAX_ERRORS} are listed)"))
}

fn describe_failed(errors: &[NodeError], omitted: usize) -> String {
    let mut text = errors
        .iter()
        .map(|e| format!("node '{}': {}", e.node_id, e.message()))
        .collect::<Vec<_>>()
        .join("; ");
    if let Some(more) = omitted_errors(omitted) {
        text.push_str("; ");
        text.push_str(&more);
    }
    text
}

impl CompiledScenario {
    /// Request bytes → response bytes: decodes the body by the source (for request-response
    /// scenarios: the input schema, defaults applied), runs the scenario under `opts` (its
    /// deadline), and encodes the first sink's result by the output schema.
    ///
    /// ```
    /// use scenic_scenario::{interp::RunOptions, load_scenario, NoFragments, Registry};
    ///
    /// let text = std::fs::read_to_string(concat!(
    ///     env!("CARGO_MANIFEST_DIR"),
    ///     "/../../examples/loan-request.json"
    /// ))?;
    /// let scenario = load_scenario(&text, &Registry::builtin(), &NoFragments)?;
    /// let request = br#"{"customerId": "c-001", "location": {"city": "Warszawa", "street": "Zielna"},
    ///                    "requestType": "loan", "requestedAmount": 1500}"#;
    /// let answer = futures::executor::block_on(scenario.invoke(request, &RunOptions::default()))?;
    /// assert_eq!(answer, br#"{"acceptedAmount":1500,"message":"Loan accepted"}"#);
    ///
    /// // Errors are typed, and name where the problem is.
    /// let err = futures::executor::block_on(scenario.invoke(b"{", &RunOptions::default()));
    /// assert!(matches!(err, Err(scenic_scenario::InvokeError::MalformedJson(_))));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn invoke(&self, body: &[u8], opts: &RunOptions) -> Result<Vec<u8>, InvokeError> {
        let input = self.decode_input(body)?;
        let run = self
            .graph()
            .run_ctx(self.graph().context(input), opts, None)
            .await;
        self.encode_response(run)
    }

    /// Stage one: request bytes → `#input` (schema defaults applied, validated, typed).
    pub fn decode_input(&self, body: &[u8]) -> Result<Value, InvokeError> {
        Ok(self.source().decode_bytes(body)?)
    }

    /// Stage three: a finished run → the response bytes, or why there is none: its deadline
    /// passed, nodes failed, no sink answered, or the first sink's result is over the value
    /// limits or does not match the output schema.
    pub fn encode_response(&self, run: RunResult) -> Result<Vec<u8>, InvokeError> {
        if run.exhausted == Some(Exhausted::Deadline) {
            return Err(InvokeError::Timeout);
        }
        if !run.errors.is_empty() {
            return Err(InvokeError::Failed {
                errors: run.errors,
                omitted: run.omitted_errors,
            });
        }
        let first = run.outputs.first().ok_or(InvokeError::NoResult)?;
        // The response record is assembled from bounded values; bounded itself before it is
        // written out (a record of many big fields could still spell out gigabytes).
        if let Err(e) = self.graph().limits().check(&first.value()) {
            return Err(InvokeError::ResponseOverLimit {
                node_id: first.node_id.clone(),
                message: e.to_string(),
            });
        }
        let mut out = Vec::with_capacity(128);
        match &self.encoder {
            Some(plan) => plan
                .encode(&first.value(), &mut out)
                .map_err(InvokeError::ResponseMismatch)?,
            // No output schema (not a request-response source): the value's JSON.
            None => {
                let json = scenic_spel::value::to_json(&first.value());
                // Writing JSON to a Vec cannot fail.
                let _ = serde_json::to_writer(&mut out, &json);
            }
        }
        Ok(out)
    }

    /// A test run of request bytes: decoded as [`invoke`](Self::invoke) decodes them, run with
    /// effects outside the process skipped (the `log` processor, real enrichers), each node
    /// traced when `tracer` is given, past `deadline` stopped (`RunResult::exhausted`). The
    /// result has every sink's output and every error, for the test tools to report.
    pub async fn invoke_test(
        &self,
        body: &[u8],
        deadline: Option<std::time::Instant>,
        tracer: Option<&mut dyn Tracer>,
    ) -> Result<RunResult, InvokeError> {
        let input = self.decode_input(body)?;
        let opts = RunOptions {
            deadline,
            skip_side_effects: true,
            ..RunOptions::default()
        };
        Ok(self
            .graph()
            .run_ctx(self.graph().context(input), &opts, tracer)
            .await)
    }
}
