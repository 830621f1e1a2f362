//! JSON Schema handling for scenario inputs and outputs (`inputSchema`, `outputSchema`):
//! parsing and compiling a schema ([`JsonSchema::parse`]), turning request JSON into a typed
//! value (defaults, validation, typing: [`JsonSchema::decode_input`]), turning a result into
//! response JSON ([`JsonSchema::encode_output`]), the same two in one pass over the bytes
//! ([`Decoder`], [`EncodePlan`]), the compile-time output checks
//! ([`JsonSchema::check_output_type`]), the field-editor parameters of the `response` sink
//! ([`JsonSchema::response_fields`]) and sample values ([`JsonSchema::sample`]).

mod check;
mod compiled;
mod decode;
mod encode;
mod error;
mod fields;
mod plan;
mod sample;
mod walk;

#[cfg(test)]
mod equivalence;
#[cfg(test)]
mod tests;

pub use check::{describe_problems, OutputProblem, ValidationMode};
pub use compiled::JsonSchema;
pub use decode::{DecodeError, Decoder};
pub use error::{
    cap_violations, SchemaError, Violation, MAX_ECHOED_VALUE, MAX_MESSAGE, MAX_VIOLATIONS,
};
pub use fields::{assemble_fields, FieldParam};
pub use plan::EncodePlan;
