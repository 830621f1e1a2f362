//! Throughput of the streaming worker against a raw consume → produce copy loop with the same
//! batching (`maxPollRecords`) and one Kafka transaction per batch, on the same broker, in the
//! same run (`load-tests/stream-bench.sh` starts the broker and runs this in release mode).
//!
//! `cargo run --release -p scenic-stream --example throughput -- BROKER RECORDS ROUNDS BATCH`

use std::sync::Arc;
use std::time::{Duration, Instant};

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::Message;
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use rdkafka::{Offset, TopicPartitionList};
use serde_json::json;

fn client(broker: &str) -> ClientConfig {
    let mut c = ClientConfig::new();
    c.set("bootstrap.servers", broker);
    c
}

fn create(broker: &str, topics: &[&str]) -> Result<(), String> {
    let admin: AdminClient<DefaultClientContext> =
        client(broker).create().map_err(|e| e.to_string())?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let new: Vec<NewTopic> = topics
        .iter()
        .map(|t| NewTopic::new(t, 1, TopicReplication::Fixed(1)))
        .collect();
    rt.block_on(admin.create_topics(new.iter(), &AdminOptions::new()))
        .map_err(|e| e.to_string())?;
    Ok(())
}

fn produce(broker: &str, topic: &str, n: usize) -> Result<(), String> {
    let p: BaseProducer = client(broker)
        .set("linger.ms", "5")
        .create()
        .map_err(|e| e.to_string())?;
    for i in 0..n {
        let v = format!(
            r#"{{"clientId": "c{}", "amount": {}}}"#,
            i % 1000,
            (i * 37) % 3000
        );
        let mut r = BaseRecord::<(), _>::to(topic).payload(v.as_bytes());
        loop {
            match p.send(r) {
                Ok(()) => break,
                Err((_, back)) => {
                    r = back;
                    p.poll(Duration::from_millis(5));
                }
            }
        }
    }
    p.flush(Duration::from_secs(60)).map_err(|e| e.to_string())
}

/// The baseline: poll a batch, copy every record in one transaction with the offsets.
fn copy_loop(
    broker: &str,
    input: &str,
    output: &str,
    n: usize,
    group: &str,
    batch_size: usize,
) -> Result<Duration, String> {
    let producer: BaseProducer = client(broker)
        .set("transactional.id", format!("{group}-copy"))
        .create()
        .map_err(|e| e.to_string())?;
    producer
        .init_transactions(Duration::from_secs(10))
        .map_err(|e| e.to_string())?;
    let consumer: BaseConsumer = client(broker)
        .set("group.id", group)
        .set("enable.auto.commit", "false")
        .set("auto.offset.reset", "earliest")
        .set("isolation.level", "read_committed")
        .create()
        .map_err(|e| e.to_string())?;
    consumer.subscribe(&[input]).map_err(|e| e.to_string())?;
    let mut done = 0;
    let mut started = None;
    while done < n {
        let mut batch = Vec::new();
        let mut wait = Duration::from_millis(100);
        while batch.len() < batch_size {
            match consumer.poll(wait) {
                Some(Ok(m)) => batch.push(m),
                Some(Err(e)) => return Err(e.to_string()),
                None => break,
            }
            wait = Duration::ZERO;
        }
        if batch.is_empty() {
            continue;
        }
        started.get_or_insert_with(Instant::now);
        producer.begin_transaction().map_err(|e| e.to_string())?;
        let mut tpl = TopicPartitionList::new();
        for m in &batch {
            let mut r = BaseRecord::<(), _>::to(output).payload(m.payload().unwrap_or_default());
            loop {
                match producer.send(r) {
                    Ok(()) => break,
                    Err((_, back)) => {
                        r = back;
                        producer.poll(Duration::from_millis(1));
                    }
                }
            }
            tpl.add_partition_offset(m.topic(), m.partition(), Offset::Offset(m.offset() + 1))
                .map_err(|e| e.to_string())?;
        }
        let cgm = consumer.group_metadata().ok_or("no group metadata")?;
        producer
            .send_offsets_to_transaction(&tpl, &cgm, Duration::from_secs(10))
            .map_err(|e| e.to_string())?;
        producer
            .commit_transaction(Duration::from_secs(10))
            .map_err(|e| e.to_string())?;
        done += batch.len();
    }
    Ok(started.map(|s| s.elapsed()).unwrap_or_default())
}

/// Scenic: the one-filter scenario, in-process, until it has committed every record.
fn scenic(
    broker: &str,
    input: &str,
    output: &str,
    n: usize,
    group: &str,
    batch_size: usize,
) -> Result<Duration, String> {
    let dir = std::env::temp_dir().join(format!("scenic-throughput-{group}"));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let schema = dir.join("in.json");
    std::fs::write(
        &schema,
        r#"{"type": "object", "properties": {"clientId": {"type": "string"}, "amount": {"type": "integer"}}, "required": ["clientId", "amount"]}"#,
    )
    .map_err(|e| e.to_string())?;
    let e = |x: &str| json!({"language": "spel", "expression": x});
    let scenario = json!({
        "metaData": {"id": group, "additionalFields": {"properties": {"parallelism": "1"}, "metaDataType": "LiteStreamMetaData"}},
        "nodes": [
            {"id": "source", "type": "Source", "ref": {"typ": "kafka", "parameters": [{"name": "Topic", "expression": e(&format!("'{input}'"))}]}},
            {"id": "filter", "type": "Filter", "expression": e("#input.amount >= 0")},
            {"id": "sink", "type": "Sink", "ref": {"typ": "kafka", "parameters": [
                {"name": "Topic", "expression": e(&format!("'{output}'"))},
                {"name": "Key", "expression": e("")},
                {"name": "Raw editor", "expression": e("true")},
                {"name": "Value", "expression": e("#input")}]}}
        ],
        "additionalBranches": []
    });
    let config: scenic_stream::config::Config = serde_json::from_value(json!({
        "kafka": {"kafkaProperties": {"bootstrap.servers": broker, "auto.offset.reset": "earliest"}},
        "maxPollRecords": batch_size,
        "exceptionHandlingConfig": {"topic": format!("{group}-errors")},
        "schemas": {input: schema}
    }))
    .map_err(|e| e.to_string())?;
    let schemas = Arc::new(config.topic_schemas().map_err(|e| e.to_string())?);
    let (compiled, topics) = scenic_stream::load(
        &scenario.to_string(),
        schemas,
        &scenic_scenario::NoFragments,
    )
    .map_err(|e| e.to_string())?;
    let metrics = Arc::new(scenic_stream::metrics::StreamMetrics::new(compiled.clone()));
    let shared = Arc::new(scenic_stream::worker::Shared::new(
        compiled,
        Arc::new(config),
        metrics.clone(),
        topics,
        1,
        None,
    ));
    let threads = scenic_stream::spawn_workers(&shared).map_err(|e| e.to_string())?;
    // Timed from the first record read to the last batch committed, as the copy loop is.
    while metrics.records.get() == 0 {
        std::thread::sleep(Duration::from_micros(200));
    }
    let started = Instant::now();
    while (metrics.committed_records.get() as usize) < n {
        std::thread::sleep(Duration::from_micros(200));
    }
    let elapsed = started.elapsed();
    shared.stop();
    for t in threads {
        let _ = t.join();
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(elapsed)
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let broker = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "127.0.0.1:9092".into());
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let rounds: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(3);
    let batch: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(500);
    let run = std::process::id();
    println!("records per run: {n}, batch: {batch}, one transaction per batch, broker {broker}");
    let mut ratios = Vec::new();
    for round in 0..rounds {
        let input = format!("bench-in-{run}-{round}");
        create(
            &broker,
            &[&input, &format!("{input}-copy"), &format!("{input}-scenic")],
        )?;
        produce(&broker, &input, n)?;
        // Alternate the order so neither side always runs on a warmer broker.
        let (copy, sc) = if round % 2 == 0 {
            let c = copy_loop(
                &broker,
                &input,
                &format!("{input}-copy"),
                n,
                &format!("copy-{run}-{round}"),
                batch,
            )?;
            let s = scenic(
                &broker,
                &input,
                &format!("{input}-scenic"),
                n,
                &format!("scenic-{run}-{round}"),
                batch,
            )?;
            (c, s)
        } else {
            let s = scenic(
                &broker,
                &input,
                &format!("{input}-scenic"),
                n,
                &format!("scenic-{run}-{round}"),
                batch,
            )?;
            let c = copy_loop(
                &broker,
                &input,
                &format!("{input}-copy"),
                n,
                &format!("copy-{run}-{round}"),
                batch,
            )?;
            (c, s)
        };
        let copy_rate = n as f64 / copy.as_secs_f64();
        let scenic_rate = n as f64 / sc.as_secs_f64();
        let ratio = scenic_rate / copy_rate;
        ratios.push(ratio);
        println!(
            "round {round}: copy loop {copy_rate:.0} msg/s, scenic {scenic_rate:.0} msg/s, ratio {ratio:.2}"
        );
    }
    ratios.sort_by(|a, b| a.total_cmp(b));
    println!("median ratio {:.2}", ratios[ratios.len() / 2]);
    Ok(())
}
