//! The SQL enricher against a real PostgreSQL (each test in a database of its own): result
//! strategies, lookups, deploy-time typing from the prepared statement, errors on their
//! parameter, the cache, the statement timeout and pool exhaustion.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::json;

const SEED: &str = "
    CREATE TYPE tier AS ENUM ('GOLD', 'SILVER');
    CREATE TABLE customer (id int PRIMARY KEY, name varchar(50), score numeric(6,2), joined date,
        seen timestamptz, tier tier, tags text[], vip boolean, balance bigint);
    INSERT INTO customer VALUES
        (1, 'Ann', 12.50, '2024-02-29', '2024-03-01T10:00:00Z', 'GOLD', '{a,b}', true, 10000000000),
        (2, 'Bob', NULL, NULL, NULL, 'SILVER', '{}', false, 0),
        (3, 'Cid', 1.00, '2020-01-01', NULL, NULL, NULL, NULL, NULL);
";

fn query(strategy: &str, sql: &str, args: &[&str]) -> Vec<serde_json::Value> {
    let mut p = vec![
        spel("Result strategy", &format!("'{strategy}'")),
        template("Query", sql),
    ];
    for (i, a) in args.iter().enumerate() {
        p.push(spel(&format!("arg{}", i + 1), a));
    }
    p
}

#[test]
fn result_set_gives_every_row_typed_by_its_columns() {
    let db = TestDb::new(SEED);
    let r = db.registry(json!({}));
    let s = compile(
        &scenario(
            "db-query",
            query(
                "Result set",
                "select id, name, score from customer where id >= ? order by id",
                &["#input.id"],
            ),
            "#out.![#this.name + ':' + #this.id]",
        ),
        &r,
    )
    .expect("compiles");
    assert_eq!(run(&s, json!({"id": 2})), Ok(json!(["Bob:2", "Cid:3"])));
    assert_eq!(run(&s, json!({"id": 9})), Ok(json!([])));
}

#[test]
fn single_result_gives_the_first_row_or_null_and_maps_column_types() {
    let db = TestDb::new(SEED);
    let r = db.registry(json!({}));
    let s = compile(
        &scenario(
            "db-query",
            query(
                "Single result",
                "select * from customer where id = ?",
                &["#input.id"],
            ),
            "#out",
        ),
        &r,
    )
    .expect("compiles");
    assert_eq!(
        run(&s, json!({"id": 1})),
        Ok(
            json!({"id": 1, "name": "Ann", "score": 12.50, "joined": "2024-02-29",
            "seen": "2024-03-01T10:00:00Z", "tier": "GOLD", "tags": ["a", "b"], "vip": true,
            "balance": 10000000000i64})
        )
    );
    assert_eq!(
        run(&s, json!({"id": 2})),
        Ok(
            json!({"id": 2, "name": "Bob", "score": null, "joined": null, "seen": null,
            "tier": "SILVER", "tags": [], "vip": false, "balance": 0})
        )
    );
    assert_eq!(run(&s, json!({"id": 42})), Ok(json!(null)));
    // Downstream expressions are typed by the columns: an enum is a String, bigint a Long,
    // numeric a BigDecimal.
    let typed = compile(
        &scenario(
            "db-query",
            query(
                "Single result",
                "select * from customer where id = ?",
                &["#input.id"],
            ),
            "#out.tier.toLowerCase() + (#out.balance + 1) + #out.score.scale() + #out.joined.year",
        ),
        &r,
    )
    .expect("compiles");
    assert_eq!(
        run(&typed, json!({"id": 1})),
        Ok(json!("gold1000000000122024"))
    );
}

#[test]
fn updates_count_gives_the_number_of_rows_changed() {
    let db = TestDb::new(SEED);
    let r = db.registry(json!({}));
    let s = compile(
        &scenario(
            "db-query",
            query(
                "Updates count",
                "update customer set vip = true where id <= ?",
                &["#input.id"],
            ),
            "#out",
        ),
        &r,
    )
    .expect("compiles");
    assert_eq!(run(&s, json!({"id": 2})), Ok(json!(2)));
    assert_eq!(run(&s, json!({"id": 0})), Ok(json!(0)));
}

#[test]
fn a_query_without_placeholders_and_question_marks_in_literals() {
    let db = TestDb::new(SEED);
    let r = db.registry(json!({}));
    let s = compile(
        &scenario(
            "db-query",
            query(
                "Single result",
                "select count(*) as n, '?' as q from customer",
                &[],
            ),
            "#out.n + #out.q",
        ),
        &r,
    )
    .expect("compiles");
    assert_eq!(run(&s, json!({})), Ok(json!("3?")));
}

#[test]
fn lookup_finds_a_row_by_its_key_column_or_gives_null() {
    let db = TestDb::new(SEED);
    let r = db.registry(json!({}));
    let params = |key: &str| {
        vec![
            spel("Table", "'customer'"),
            spel("Cache TTL", ""),
            spel("Key column", &format!("'{key}'")),
            spel("Key value", "#input.name"),
        ]
    };
    let s = compile(
        &scenario(
            "db-lookup",
            params("name"),
            "#out == null ? 'none' : #out.id",
        ),
        &r,
    )
    .expect("compiles");
    assert_eq!(run(&s, json!({"name": "Cid"})), Ok(json!(3)));
    assert_eq!(run(&s, json!({"name": "Zed"})), Ok(json!("none")));
    let errs = compile(&scenario("db-lookup", params("nope"), "#out"), &r).expect_err("bad key");
    assert_eq!(errs[0].parameter.as_deref(), Some("Key column"));
    assert_eq!(
        errs[0].message,
        "Invalid key column: nope. Available columns: id, name, score, joined, seen, tier, tags, vip, balance"
    );
    // The key value is typed as the key column: a String for an integer column is an error.
    let errs = compile(
        &scenario(
            "db-lookup",
            vec![
                spel("Table", "'customer'"),
                spel("Key column", "'id'"),
                spel("Key value", "#input.name"),
            ],
            "#out",
        ),
        &r,
    )
    .expect_err("mistyped key");
    assert_eq!(errs[0].parameter.as_deref(), Some("Key value"), "{errs:?}");
}

#[test]
fn an_unknown_column_used_downstream_is_a_compile_error_with_its_position() {
    let db = TestDb::new(SEED);
    let r = db.registry(json!({}));
    let errs = compile(
        &scenario(
            "db-query",
            query(
                "Single result",
                "select id, name from customer where id = ?",
                &["#input.id"],
            ),
            "#out.name + #out.nickname",
        ),
        &r,
    )
    .expect_err("unknown column");
    let e = errs
        .iter()
        .find(|e| e.node_id.as_deref() == Some("response"))
        .expect("at the sink");
    assert!(e.message.contains("nickname"), "{e:?}");
    assert_eq!((e.line, e.column), (Some(1), Some(18)), "{e:?}");
}

#[test]
fn a_query_the_database_refuses_is_an_error_on_query() {
    let db = TestDb::new(SEED);
    let r = db.registry(json!({}));
    let errs = compile(
        &scenario(
            "db-query",
            query("Result set", "select id frm customer", &[]),
            "#out",
        ),
        &r,
    )
    .expect_err("syntax error");
    assert_eq!(errs[0].node_id.as_deref(), Some("e"));
    assert_eq!(errs[0].parameter.as_deref(), Some("Query"));
    assert!(
        errs[0]
            .message
            .contains("syntax error at or near \"customer\""),
        "{errs:?}"
    );
    let errs = compile(
        &scenario(
            "db-query",
            query("Result set", "select * from no_such_table", &[]),
            "#out",
        ),
        &r,
    )
    .expect_err("unknown table");
    assert!(
        errs[0]
            .message
            .contains("relation \"no_such_table\" does not exist"),
        "{errs:?}"
    );
    let errs = compile(
        &scenario("db-query", query("Result set", "  ", &[]), "#out"),
        &r,
    )
    .expect_err("empty");
    assert_eq!(errs[0].message, "Query is missing");
    let errs = compile(
        &scenario(
            "db-query",
            query("Result set", "update customer set vip = false", &[]),
            "#out",
        ),
        &r,
    )
    .expect_err("no columns");
    assert_eq!(errs[0].message, "Prepared query returns no columns");
    let errs = compile(
        &scenario("db-query", query("Every row", "select 1", &[]), "#out"),
        &r,
    )
    .expect_err("strategy");
    assert_eq!(errs[0].parameter.as_deref(), Some("Result strategy"));
}

#[test]
fn an_unreachable_database_names_the_component_and_the_node_at_deploy() {
    let r = registry_for(&json!({"databaseEnricher": {"config": {
        "databaseQueryEnricher": {"name": "db-query", "dbPool": {
            "url": "jdbc:postgresql://127.0.0.1:1/nowhere", "username": "postgres", "password": "",
            "timeout": "2s"}}}}}));
    let errs = compile(
        &scenario("db-query", query("Result set", "select 1", &[]), "#out"),
        &r,
    )
    .expect_err("unreachable");
    assert_eq!(errs[0].node_id.as_deref(), Some("e"));
    assert!(
        errs[0].message.starts_with(
            "Could not create db-query: cannot connect to the database 127.0.0.1:1/nowhere"
        ),
        "{errs:?}"
    );
}

#[test]
fn the_cache_keeps_a_result_for_its_ttl_then_queries_again() {
    let db = TestDb::new(SEED);
    let r = db.registry(json!({}));
    let mut params = query(
        "Single result",
        "select name from customer where id = ?",
        &["#input.id"],
    );
    params.push(spel("Cache TTL", "T(java.time.Duration).parse('PT1S')"));
    let s = compile(&scenario("db-query", params, "#out.name"), &r).expect("compiles");
    assert_eq!(run(&s, json!({"id": 1})), Ok(json!("Ann")));
    let cached_at = Instant::now();
    db.exec("update customer set name = 'Anna' where id = 1");
    assert_eq!(
        run(&s, json!({"id": 1})),
        Ok(json!("Ann")),
        "within the TTL: cached"
    );
    // Another key is not cached yet.
    assert_eq!(run(&s, json!({"id": 3})), Ok(json!("Cid")));
    std::thread::sleep(Duration::from_millis(1200).saturating_sub(cached_at.elapsed()));
    assert_eq!(
        run(&s, json!({"id": 1})),
        Ok(json!("Anna")),
        "after the TTL: queried"
    );
}

#[test]
fn without_a_cache_every_call_queries() {
    let db = TestDb::new(SEED);
    let r = db.registry(json!({}));
    let s = compile(
        &scenario(
            "db-query",
            query(
                "Single result",
                "select name from customer where id = ?",
                &["#input.id"],
            ),
            "#out.name",
        ),
        &r,
    )
    .expect("compiles");
    assert_eq!(run(&s, json!({"id": 1})), Ok(json!("Ann")));
    db.exec("update customer set name = 'Anna' where id = 1");
    assert_eq!(run(&s, json!({"id": 1})), Ok(json!("Anna")));
}

#[test]
fn a_statement_past_its_timeout_fails_that_call_only() {
    let db = TestDb::new(SEED);
    let r = db.registry(json!({"statementTimeout": "300ms"}));
    let s = compile(
        &scenario(
            "db-query",
            query(
                "Single result",
                "select pg_sleep(?) as slept",
                &["#input.id"],
            ),
            "'done'",
        ),
        &r,
    )
    .expect("compiles");
    let started = Instant::now();
    let e = run(&s, json!({"id": 5})).expect_err("times out");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    assert!(
        e[0].contains("canceling statement due to statement timeout"),
        "{e:?}"
    );
    // The connection is fine afterwards.
    assert_eq!(run(&s, json!({"id": 0})), Ok(json!("done")));
}

#[test]
fn an_exhausted_pool_fails_the_waiting_call_with_a_clear_error() {
    let db = TestDb::new(SEED);
    let r = db.registry(json!({"maxTotal": 1, "timeout": "200ms"}));
    let s = std::sync::Arc::new(
        compile(
            &scenario(
                "db-query",
                query(
                    "Single result",
                    "select pg_sleep(?) as slept",
                    &["#input.id"],
                ),
                "'done'",
            ),
            &r,
        )
        .expect("compiles"),
    );
    let holder = {
        let s = s.clone();
        std::thread::spawn(move || run(&s, json!({"id": 2})))
    };
    std::thread::sleep(Duration::from_millis(500));
    let e = run(&s, json!({"id": 0})).expect_err("no connection free");
    assert!(
        e[0].contains("no free connection to the database") && e[0].contains("(all 1 in use)"),
        "{e:?}"
    );
    assert_eq!(holder.join().expect("joins"), Ok(json!("done")));
    assert_eq!(run(&s, json!({"id": 0})), Ok(json!("done")), "free again");
}

#[test]
fn arguments_are_converted_to_the_parameter_types_or_fail_clearly() {
    let db = TestDb::new(SEED);
    let r = db.registry(json!({}));
    let s = compile(
        &scenario(
            "db-query",
            query(
                "Single result",
                "select name from customer where id = ?",
                &["#input.name"],
            ),
            "#out?.name",
        ),
        &r,
    )
    .expect("compiles");
    let e = run(&s, json!({"name": "x"})).expect_err("a string for int4");
    assert!(e[0].contains("a String cannot be passed as int4"), "{e:?}");
    // null arguments are SQL NULL (which equals nothing).
    assert_eq!(run(&s, json!({})), Ok(json!(null)));
}

#[test]
fn concurrent_misses_of_one_key_share_one_query() {
    let db = TestDb::new("CREATE SEQUENCE hits;");
    let r = db.registry(json!({}));
    // Each query takes a number from the sequence: two queries would give two numbers.
    let mut params = query(
        "Single result",
        "select nextval('hits') as n, pg_sleep(0.4)::text as slept where ? > 0",
        &["#input.id"],
    );
    params.push(spel("Cache TTL", "T(java.time.Duration).parse('PT1M')"));
    let s = std::sync::Arc::new(
        compile(&scenario("db-query", params, "#out.n"), &r).expect("compiles"),
    );
    let started = Instant::now();
    let calls: Vec<_> = (0..4)
        .map(|_| {
            let s = s.clone();
            std::thread::spawn(move || run(&s, json!({"id": 1})))
        })
        .collect();
    let answers: Vec<_> = calls
        .into_iter()
        .map(|c| c.join().expect("joins"))
        .collect();
    assert!(answers.iter().all(|a| *a == Ok(json!(1))), "{answers:?}");
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "one query, not four in a row"
    );
    // Another key is another query.
    assert_eq!(run(&s, json!({"id": 2})), Ok(json!(2)));
}
