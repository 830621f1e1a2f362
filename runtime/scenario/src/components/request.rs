//! `request`: the request-response source. `#input` is typed from the `inputSchema` property;
//! input is validated against it with defaults applied (`nussknacker-lite.md` §2.4).

use std::sync::Arc;

use scenic_spel::{Type, Value};

use crate::graph::{ParamCompiler, Source, SourceFactory, SourceKind};
use crate::schema::{DecodeError, Decoder, JsonSchema, Violation};

pub struct Factory;

#[derive(Debug)]
pub struct RequestSource {
    pub input: Arc<JsonSchema>,
    pub output: Option<Arc<JsonSchema>>,
    /// The input schema compiled for one-pass decoding, at deploy time.
    decoder: Decoder,
}

impl SourceFactory for Factory {
    fn create(&self, pc: &mut dyn ParamCompiler) -> Option<Arc<dyn Source>> {
        let input = match pc.property("inputSchema") {
            Some(text) => match JsonSchema::parse("inputSchema", &text) {
                Ok(s) => Arc::new(s),
                Err(e) => {
                    pc.error(None, e.to_string());
                    return None;
                }
            },
            None => {
                pc.error(None, "Missing \"inputSchema\" property.".into());
                return None;
            }
        };
        if pc.property("outputSchema").is_none() {
            pc.error(None, "Missing \"outputSchema\" property.".into());
            return None;
        }
        let output = pc.output_schema();
        Some(Arc::new(RequestSource {
            decoder: Decoder::compile(&input),
            input,
            output,
        }))
    }
}

impl Source for RequestSource {
    fn kind(&self) -> SourceKind<'_> {
        SourceKind::Request {
            input: &self.input,
            output: self.output.as_ref(),
        }
    }
    fn output_type(&self) -> Type {
        self.input.static_type().clone()
    }
    fn decode(&self, json: serde_json::Value) -> Result<Value, Vec<Violation>> {
        self.input.decode_input(json)
    }
    fn decode_bytes(&self, bytes: &[u8]) -> Result<Value, DecodeError> {
        self.decoder.decode(bytes)
    }
}
