//! Error-topic records in the reference's JSON format (`nussknacker-lite.md` §7.5): key
//! `"<scenario>-<nodeId>"`, value a pretty-printed JSON object.

use serde_json::{json, Value as Json};

use crate::config::ExceptionHandlingConfig;

/// What failed, for one input record.
pub struct Failure<'a> {
    pub node_id: Option<&'a str>,
    pub message: &'a str,
    /// The failing expression's text, when an expression failed (`Failure::expression` of the
    /// scenario's failure); the reference's `exceptionInput`.
    pub expression: Option<&'a str>,
    /// Context variables, written when `includeInputEvent` is on.
    pub input_event: Option<Json>,
}

/// The record's key and value bytes.
pub fn error_record(
    scenario: &str,
    failure: &Failure<'_>,
    config: &ExceptionHandlingConfig,
    host: &str,
    now_millis: i64,
) -> (String, Vec<u8>) {
    let node = failure.node_id.unwrap_or("");
    let key = format!("{scenario}-{node}");
    // Cut as the message names it ("Expression [<text>] evaluation failed, ..."): a long
    // expression would otherwise be written whole into every record of its failures.
    let exception_input = failure
        .expression
        .map(scenic_spel::value::truncate_for_message);
    let stack_trace = if config.stack_trace_length_limit == 0 {
        Json::Null
    } else {
        Json::String(
            failure
                .message
                .lines()
                .take(config.stack_trace_length_limit)
                .collect::<Vec<_>>()
                .join("\n"),
        )
    };
    let mut record = json!({
        "processName": scenario,
        "nodeId": failure.node_id,
        "message": failure.message,
        "exceptionInput": exception_input,
        "inputEvent": if config.include_input_event { failure.input_event.clone() } else { None },
        "stackTrace": stack_trace,
        "timestamp": now_millis,
        "host": if config.include_host { Some(host) } else { None },
        "additionalData": config.additional_params,
    });
    let mut bytes = serde_json::to_vec_pretty(&record).unwrap_or_default();
    // Over the cap: drop the input event's variables, largest first, and say so.
    if bytes.len() > config.max_message_bytes {
        if let Some(Json::Object(vars)) = record.get_mut("inputEvent") {
            let mut sizes: Vec<(String, usize)> = vars
                .iter()
                .map(|(k, v)| (k.clone(), v.to_string().len()))
                .collect();
            sizes.sort_by_key(|s| std::cmp::Reverse(s.1));
            let mut over = bytes.len() - config.max_message_bytes;
            let mut dropped = Vec::new();
            for (k, size) in sizes {
                if over == 0 {
                    break;
                }
                vars.remove(&k);
                dropped.push(k);
                over = over.saturating_sub(size);
            }
            vars.insert(
                "!warning".into(),
                Json::String(format!(
                    "variables {} were removed to fit maxMessageBytes",
                    dropped.join(", ")
                )),
            );
        }
        bytes = serde_json::to_vec_pretty(&record).unwrap_or_default();
    }
    (key, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spel_failures_carry_the_expression_as_exception_input() {
        let (key, value) = error_record(
            "test",
            &Failure {
                node_id: Some("throw on 0"),
                message: "Expression [1 / #input.length] evaluation failed, message: / by zero",
                expression: Some("1 / #input.length"),
                input_event: None,
            },
            &ExceptionHandlingConfig::default(),
            "pod-abc",
            1623758738000,
        );
        assert_eq!(key, "test-throw on 0");
        let v: Json = serde_json::from_slice(&value).expect("json");
        assert_eq!(v["processName"], "test");
        assert_eq!(v["nodeId"], "throw on 0");
        assert_eq!(v["exceptionInput"], "1 / #input.length");
        assert_eq!(v["timestamp"], 1623758738000_i64);
        assert_eq!(v["host"], "pod-abc");
        assert_eq!(v["inputEvent"], Json::Null);
        assert_eq!(v["additionalData"], json!({}));
        assert!(
            String::from_utf8_lossy(&value).contains("\n  \"processName\""),
            "pretty-printed with two spaces"
        );
    }

    #[test]
    fn oversized_input_events_lose_their_largest_variables() {
        let config = ExceptionHandlingConfig {
            include_input_event: true,
            max_message_bytes: 600,
            ..Default::default()
        };
        let (_, value) = error_record(
            "s",
            &Failure {
                node_id: None,
                message: "bad",
                expression: None,
                input_event: Some(json!({"input": "x".repeat(2000), "small": 1})),
            },
            &config,
            "h",
            0,
        );
        let v: Json = serde_json::from_slice(&value).expect("json");
        assert!(v["inputEvent"].get("input").is_none());
        assert_eq!(v["inputEvent"]["small"], 1);
        assert!(v["inputEvent"]["!warning"].is_string());
        assert_eq!(v["nodeId"], Json::Null);
    }
}
