//! The embedding example loads a real example scenario and answers in-process.

use std::process::Command;

fn scenario() -> String {
    format!("{}/../loan-request.json", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn it_answers_a_request_and_names_a_bad_one() {
    let ok = Command::new(env!("CARGO_BIN_EXE_embed"))
        .arg(scenario())
        .arg(r#"{"customerId": "c-1", "location": {"city": "Warszawa", "street": "Zielna"}, "requestType": "loan", "requestedAmount": 1500}"#)
        .output()
        .expect("runs");
    assert!(ok.status.success(), "{ok:?}");
    assert_eq!(
        String::from_utf8_lossy(&ok.stdout).trim(),
        r#"{"acceptedAmount":1500,"message":"Loan accepted"}"#
    );

    let bad = Command::new(env!("CARGO_BIN_EXE_embed"))
        .arg(scenario())
        .arg(r#"{"customerId": 7}"#)
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(1));
    let out = String::from_utf8_lossy(&bad.stdout);
    assert!(out.starts_with("error: "), "{out}");
    assert!(out.contains("/customerId"), "{out}");
}
