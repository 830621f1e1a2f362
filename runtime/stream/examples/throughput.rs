//! Throughput of the streaming worker against a raw consume → produce copy loop with the same
//! batching (`maxPollRecords`) and one Kafka transaction per batch, on the same broker, in the
//! same run (`load-tests/stream-bench.sh` starts the broker and runs this in release mode).
//!
//! Besides the rate (bounded by the broker), each side reports the CPU time (user + system) it
//! spent per record over the same window as the rate: the `getrusage` figures, read from procfs
//! (see `cpu_time`). Both sides do their work on librdkafka's threads as well as their own, so the
//! figure is the whole process's (`RUSAGE_SELF`); on Scenic's side the main thread only waits for
//! the counters, and its own time (`RUSAGE_THREAD`) is left out. The resolution is one clock
//! tick (10 ms): use enough records for a window of seconds.
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

/// The process (`/proc/self/stat`) or the calling thread (`/proc/thread-self/stat`).
#[derive(Clone, Copy)]
enum Who {
    Process,
    Thread,
}

/// User + system CPU time used so far by the whole process (every thread, live or exited) or by
/// the calling thread: what `getrusage(RUSAGE_SELF)` and `getrusage(RUSAGE_THREAD)` return,
/// read from procfs because the workspace forbids `unsafe` (a libc call would need it). The
/// kernel fills both from the same accounting; procfs gives it in clock ticks.
fn cpu_time(who: Who, tick: Duration) -> Result<Duration, String> {
    let path = match who {
        Who::Process => "/proc/self/stat",
        Who::Thread => "/proc/thread-self/stat",
    };
    let stat = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    // Fields after the command name (which is in parentheses and may hold spaces): the third
    // field of the line first, so utime (14th) and stime (15th) are the 12th and 13th here.
    let rest = stat
        .rsplit_once(')')
        .map(|(_, r)| r)
        .ok_or_else(|| format!("{path}: no command name"))?;
    let field = |i: usize| -> Result<u32, String> {
        rest.split_whitespace()
            .nth(i)
            .and_then(|f| f.parse().ok())
            .ok_or_else(|| format!("{path}: field {} unreadable", i + 3))
    };
    Ok(tick * (field(11)? + field(12)?))
}

/// The length of a clock tick (`getconf CLK_TCK`; 100 Hz when that cannot be run, the value
/// Linux gives user space on x86-64 and arm64).
fn clock_tick() -> Duration {
    let hz = std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse::<u32>().ok())
        .filter(|hz| *hz > 0)
        .unwrap_or(100);
    Duration::from_secs(1) / hz
}

/// What one side measured over its window: wall-clock time and CPU time of the process.
struct Measured {
    elapsed: Duration,
    cpu: Duration,
}

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
    tick: Duration,
) -> Result<Measured, String> {
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
    // When the first record was read: wall clock and the process's CPU time.
    let mut started: Option<(Instant, Duration)> = None;
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
        if started.is_none() {
            started = Some((Instant::now(), cpu_time(Who::Process, tick)?));
        }
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
    let cpu_now = cpu_time(Who::Process, tick)?;
    Ok(match started {
        Some((at, cpu)) => Measured {
            elapsed: at.elapsed(),
            cpu: cpu_now.saturating_sub(cpu),
        },
        None => Measured {
            elapsed: Duration::ZERO,
            cpu: Duration::ZERO,
        },
    })
}

/// Scenic: the one-filter scenario, in-process, until it has committed every record.
fn scenic(
    broker: &str,
    input: &str,
    output: &str,
    n: usize,
    group: &str,
    batch_size: usize,
    tick: Duration,
) -> Result<Measured, String> {
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
    let metrics = Arc::new(scenic_stream::metrics::StreamMetrics::new(
        compiled.clone(),
        1,
    ));
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
    // CPU over the same window: the whole process (the worker and librdkafka's threads) less
    // this thread, which only polls the counters.
    let (cpu_self, cpu_main) = (cpu_time(Who::Process, tick)?, cpu_time(Who::Thread, tick)?);
    while (metrics.committed_records.get() as usize) < n {
        std::thread::sleep(Duration::from_micros(200));
    }
    let elapsed = started.elapsed();
    let cpu = cpu_time(Who::Process, tick)?
        .saturating_sub(cpu_self)
        .saturating_sub(cpu_time(Who::Thread, tick)?.saturating_sub(cpu_main));
    shared.stop();
    for t in threads {
        let _ = t.join();
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(Measured { elapsed, cpu })
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
    let tick = clock_tick();
    println!("records per run: {n}, batch: {batch}, one transaction per batch, broker {broker}");
    let mut ratios = Vec::new();
    let mut cpu_ratios = Vec::new();
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
                tick,
            )?;
            let s = scenic(
                &broker,
                &input,
                &format!("{input}-scenic"),
                n,
                &format!("scenic-{run}-{round}"),
                batch,
                tick,
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
                tick,
            )?;
            let c = copy_loop(
                &broker,
                &input,
                &format!("{input}-copy"),
                n,
                &format!("copy-{run}-{round}"),
                batch,
                tick,
            )?;
            (c, s)
        };
        let copy_rate = n as f64 / copy.elapsed.as_secs_f64();
        let scenic_rate = n as f64 / sc.elapsed.as_secs_f64();
        let ratio = scenic_rate / copy_rate;
        ratios.push(ratio);
        // Microseconds of user + system CPU per record.
        let copy_cpu = copy.cpu.as_secs_f64() * 1e6 / n as f64;
        let scenic_cpu = sc.cpu.as_secs_f64() * 1e6 / n as f64;
        let cpu_ratio = scenic_cpu / copy_cpu;
        cpu_ratios.push(cpu_ratio);
        println!(
            "round {round}: copy loop {copy_rate:.0} msg/s, scenic {scenic_rate:.0} msg/s, ratio {ratio:.2}; \
             CPU per record: copy loop {copy_cpu:.2} µs, scenic {scenic_cpu:.2} µs, ratio {cpu_ratio:.2}"
        );
    }
    ratios.sort_by(|a, b| a.total_cmp(b));
    cpu_ratios.sort_by(|a, b| a.total_cmp(b));
    if let (Some(r), Some(c)) = (
        ratios.get(ratios.len() / 2),
        cpu_ratios.get(cpu_ratios.len() / 2),
    ) {
        println!("median ratio {r:.2} (msg/s, scenic / copy loop); median CPU per record ratio {c:.2} (scenic / copy loop)");
    }
    Ok(())
}
