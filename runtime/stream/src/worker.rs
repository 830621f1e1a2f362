//! The processing loop (`nussknacker-lite.md` §7.3 with `decisions.md` §5): each worker owns a
//! consumer and a producer; each poll batch is one Kafka transaction holding the sink outputs,
//! the error-topic records and the consumer offsets. Any failure aborts the batch and restarts
//! the worker after `waitAfterFailureDelay`: a fresh consumer resumes from the committed offsets.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::{BorrowedMessage, Header, Headers, Message, OwnedHeaders, Timestamp};
use rdkafka::producer::{BaseProducer, BaseRecord, DeliveryResult, Producer, ProducerContext};
use rdkafka::{ClientContext, Offset, TopicPartitionList};
use scenic_scenario::graph::Emitted;
use scenic_scenario::interp::RunOptions;
use scenic_scenario::CompiledScenario;
use scenic_spel::eval::Exhausted;
use serde_json::json;

use crate::components::input_meta;
use crate::config::Config;
use crate::error_record::{error_record, Failure};
use crate::metrics::StreamMetrics;

/// Header naming the batch (and so the transaction) an output was written in.
pub const BATCH_HEADER: &str = "scenic.batch";
/// Header naming the input record (`topic/partition/offset`) an output came from.
pub const INPUT_HEADER: &str = "scenic.input";

#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error("Kafka: {0}")]
    Kafka(#[from] KafkaError),
    /// Another producer with this worker's `transactional.id` took over: this one must stop.
    #[error("fenced by another worker with the same transactional.id: {0}")]
    Fenced(KafkaError),
    #[error("records not acknowledged within publishTimeout ({0:?})")]
    PublishTimeout(Duration),
    #[error("delivery failed: {0}")]
    Delivery(String),
    #[error("commit journal: {0}")]
    Journal(std::io::Error),
    #[error("{0}")]
    Setup(String),
}

/// A worker's state, as `/ready` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Status {
    Starting = 0,
    Running = 1,
    Restarting = 2,
    Stopped = 3,
    Fenced = 4,
}

impl Status {
    fn from_u8(v: u8) -> Status {
        match v {
            1 => Status::Running,
            2 => Status::Restarting,
            3 => Status::Stopped,
            4 => Status::Fenced,
            _ => Status::Starting,
        }
    }
}

/// What every worker of a scenario shares.
pub struct Shared {
    pub scenario: Arc<CompiledScenario>,
    pub config: Arc<Config>,
    pub metrics: Arc<StreamMetrics>,
    /// Consumer group: the scenario's name.
    pub group: String,
    /// Topics of the scenario's `kafka` source, namespaced.
    pub topics: Vec<String>,
    pub host: String,
    statuses: Vec<AtomicU8>,
    stop: AtomicBool,
    /// Records each batch's commit (`--journal`): `committing <id>` before the commit and
    /// `committed <id>` after it; the crash tests check duplicates against it.
    journal: Option<Mutex<std::fs::File>>,
}

impl Shared {
    pub fn new(
        scenario: Arc<CompiledScenario>,
        config: Arc<Config>,
        metrics: Arc<StreamMetrics>,
        topics: Vec<String>,
        workers: usize,
        journal: Option<std::fs::File>,
    ) -> Shared {
        let host = std::env::var("HOSTNAME")
            .ok()
            .or_else(|| {
                std::fs::read_to_string("/proc/sys/kernel/hostname")
                    .ok()
                    .map(|h| h.trim().to_string())
            })
            .unwrap_or_else(|| "localhost".into());
        let topics = topics.iter().map(|t| config.namespaced(t)).collect();
        Shared {
            group: config.namespaced(scenario.name()),
            scenario,
            config,
            metrics,
            topics,
            host,
            statuses: (0..workers.max(1)).map(|_| AtomicU8::new(0)).collect(),
            stop: AtomicBool::new(false),
            journal: journal.map(Mutex::new),
        }
    }

    pub fn workers(&self) -> usize {
        self.statuses.len()
    }

    pub fn status(&self, worker: usize) -> Status {
        self.statuses
            .get(worker)
            .map(|s| Status::from_u8(s.load(Ordering::Relaxed)))
            .unwrap_or(Status::Stopped)
    }

    fn set_status(&self, worker: usize, s: Status) {
        if let Some(a) = self.statuses.get(worker) {
            let old = Status::from_u8(a.swap(s as u8, Ordering::Relaxed));
            if old != Status::Running && s == Status::Running {
                self.metrics.running.inc();
            } else if old == Status::Running && s != Status::Running {
                self.metrics.running.dec();
            }
        }
    }

    /// Ready when every worker is processing.
    pub fn ready(&self) -> bool {
        (0..self.workers()).all(|w| self.status(w) == Status::Running)
    }

    /// Asks the workers to stop after the batch in hand.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    fn stopping(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// The stable `transactional.id` of a worker: scenario, process and worker index, so that a
    /// restarted worker fences its own zombie (`decisions.md` §5).
    pub fn transactional_id(&self, worker: usize) -> String {
        format!("{}-{}-{worker}", self.group, self.config.worker_id())
    }
}

/// Runs worker `idx` until asked to stop, restarting it after each failure.
pub fn run_worker(shared: Arc<Shared>, idx: usize) {
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            tracing::error!(worker = idx, "cannot start the worker's runtime: {e}");
            shared.set_status(idx, Status::Stopped);
            return;
        }
    };
    while !shared.stopping() {
        shared.set_status(idx, Status::Starting);
        match run_once(&shared, idx, &rt) {
            Ok(()) => break,
            Err(WorkerError::Fenced(e)) => {
                tracing::error!(
                    worker = idx,
                    transactional_id = shared.transactional_id(idx),
                    "stopping: another worker with this transactional.id took over ({e})"
                );
                shared.set_status(idx, Status::Fenced);
                return;
            }
            Err(e) => {
                let delay = shared.config.wait_after_failure_delay.0;
                tracing::error!(worker = idx, "worker failed, restarting in {delay:?}: {e}");
                if let Some(r) = shared.metrics.restarts.get(idx) {
                    r.inc();
                }
                shared.set_status(idx, Status::Restarting);
                let until = Instant::now() + delay;
                while Instant::now() < until && !shared.stopping() {
                    std::thread::sleep(Duration::from_millis(20).min(delay));
                }
            }
        }
    }
    shared.set_status(idx, Status::Stopped);
}

/// Counts failed deliveries; librdkafka reports them on the producer's poll.
#[derive(Default)]
struct Delivery {
    failed: AtomicU64,
    last: Mutex<Option<String>>,
}

impl ClientContext for Delivery {}

impl ProducerContext for Delivery {
    type DeliveryOpaque = ();
    fn delivery(&self, result: &DeliveryResult<'_>, _: ()) {
        if let Err((e, _)) = result {
            self.failed.fetch_add(1, Ordering::Relaxed);
            if let Ok(mut last) = self.last.lock() {
                *last = Some(e.to_string());
            }
        }
    }
}

/// Which client a property is for. `kafkaProperties` holds both kinds, as in the reference; each
/// client gets its own and the common ones, so librdkafka does not warn about the others.
#[derive(Clone, Copy, PartialEq)]
enum Role {
    Consumer,
    Producer,
    Admin,
}

const CONSUMER_ONLY: &[&str] = &[
    "group.id",
    "group.instance.id",
    "session.timeout.ms",
    "heartbeat.interval.ms",
    "max.poll.interval.ms",
    "auto.offset.reset",
    "enable.auto.commit",
    "auto.commit.interval.ms",
    "enable.auto.offset.store",
    "isolation.level",
    "partition.assignment.strategy",
    "group.protocol",
    "enable.partition.eof",
    "check.crcs",
    "queued.min.messages",
    "queued.max.messages.kbytes",
];

const PRODUCER_ONLY: &[&str] = &[
    "acks",
    "request.required.acks",
    "linger.ms",
    "queue.buffering.max.ms",
    "queue.buffering.max.messages",
    "queue.buffering.max.kbytes",
    "batch.num.messages",
    "batch.size",
    "compression.type",
    "compression.codec",
    "message.timeout.ms",
    "delivery.timeout.ms",
    "enable.idempotence",
    "transaction.timeout.ms",
    "retries",
    "message.send.max.retries",
    "partitioner",
];

fn client_config(shared: &Shared, role: Role) -> ClientConfig {
    let mut c = ClientConfig::new();
    for (k, v) in &shared.config.kafka.kafka_properties {
        let k = k.as_str();
        let skip = match role {
            Role::Consumer => PRODUCER_ONLY.contains(&k),
            Role::Producer => CONSUMER_ONLY.contains(&k),
            Role::Admin => CONSUMER_ONLY.contains(&k) || PRODUCER_ONLY.contains(&k),
        };
        if !skip {
            c.set(k, v);
        }
    }
    c
}

/// A fenced producer ends the worker for good; every other error (fatal ones included: the
/// producer is recreated) restarts it.
fn classify(e: KafkaError) -> WorkerError {
    let fenced = match &e {
        // The broker's answer, or librdkafka's local fatal error raised from it.
        KafkaError::Transaction(r) => matches!(
            r.code(),
            RDKafkaErrorCode::ProducerFenced | RDKafkaErrorCode::Fenced
        ),
        _ => false,
    };
    if fenced {
        WorkerError::Fenced(e)
    } else {
        WorkerError::Kafka(e)
    }
}

/// Creates the error topic when the broker does not know it. A broker that cannot create topics
/// (librdkafka's mock) only gets a warning: the topic may be created on first write.
fn ensure_error_topic(
    shared: &Shared,
    producer: &BaseProducer<Delivery>,
    rt: &tokio::runtime::Runtime,
) {
    let topic = &shared.config.exception_handling_config.topic;
    if let Ok(md) = producer
        .client()
        .fetch_metadata(Some(topic), Duration::from_secs(5))
    {
        if md
            .topics()
            .iter()
            .any(|t| t.name() == topic && t.error().is_none() && !t.partitions().is_empty())
        {
            return;
        }
    }
    let admin: Result<AdminClient<DefaultClientContext>, _> =
        client_config(shared, Role::Admin).create();
    let Ok(admin) = admin else { return };
    let opts = AdminOptions::new().operation_timeout(Some(Duration::from_secs(5)));
    // The broker's default partitions and replication (-1, KIP-464); brokers that do not take
    // -1 get one partition and one replica.
    for (partitions, replication) in [(-1, -1), (1, 1)] {
        let new = NewTopic::new(topic, partitions, TopicReplication::Fixed(replication));
        let result = rt.block_on(async {
            tokio::time::timeout(Duration::from_secs(5), admin.create_topics([&new], &opts)).await
        });
        let failure = match result {
            Ok(Ok(results)) => results.into_iter().find_map(|r| match r {
                Err((_, code)) if code != RDKafkaErrorCode::TopicAlreadyExists => {
                    Some(code.to_string())
                }
                _ => None,
            }),
            Ok(Err(e)) => Some(e.to_string()),
            Err(_) => Some("timed out".into()),
        };
        match failure {
            None => {
                tracing::info!("created the error topic '{topic}'");
                return;
            }
            Some(why) if partitions == 1 => {
                tracing::warn!("cannot create the error topic '{topic}': {why}");
            }
            Some(_) => {}
        }
    }
}

fn run_once(shared: &Shared, idx: usize, rt: &tokio::runtime::Runtime) -> Result<(), WorkerError> {
    let config = &shared.config;
    let txn = config.transactional();
    let mut pc = client_config(shared, Role::Producer);
    pc.set("client.id", format!("{}-{idx}", shared.group));
    if txn {
        pc.set("transactional.id", shared.transactional_id(idx));
    }
    let producer: BaseProducer<Delivery> = pc.create_with_context(Delivery::default())?;
    ensure_error_topic(shared, &producer, rt);
    if txn {
        producer
            .init_transactions(config.publish_timeout.0.max(Duration::from_secs(5)))
            .map_err(classify)?;
    }

    let mut cc = client_config(shared, Role::Consumer);
    cc.set("group.id", &shared.group)
        .set("enable.auto.commit", "false")
        .set("enable.auto.offset.store", "false");
    if txn
        && !config
            .kafka
            .kafka_properties
            .contains_key("isolation.level")
    {
        cc.set("isolation.level", "read_committed");
    }
    let consumer: BaseConsumer = cc.create()?;
    let topics: Vec<&str> = shared.topics.iter().map(String::as_str).collect();
    consumer.subscribe(&topics)?;
    shared.set_status(idx, Status::Running);
    tracing::info!(
        worker = idx,
        transactional = txn,
        "worker running on {}",
        shared.topics.join(", ")
    );

    let session = Session {
        shared,
        rt,
        producer: &producer,
        consumer: &consumer,
        txn,
        source_id: Some(shared.scenario.graph().source_id().to_string()),
    };
    let run_id = uuid::Uuid::new_v4().simple().to_string();
    let mut seq: u64 = 0;
    let mut last_lag = Instant::now();
    while !shared.stopping() {
        let batch = poll_batch(&consumer, config)?;
        if !batch.is_empty() {
            seq += 1;
            let batch_id = format!("{}-{idx}-{run_id}-{seq}", shared.group);
            session.process_batch(&batch, &batch_id)?;
        }
        if last_lag.elapsed() >= Duration::from_secs(1) {
            last_lag = Instant::now();
            report_lag(shared, idx, &consumer);
        }
    }
    Ok(())
}

/// One run of a worker: its clients and what every batch of the run needs.
struct Session<'a> {
    shared: &'a Shared,
    rt: &'a tokio::runtime::Runtime,
    producer: &'a BaseProducer<Delivery>,
    consumer: &'a BaseConsumer,
    txn: bool,
    /// The source node, named by error records of undecodable input.
    source_id: Option<String>,
}

/// One poll batch: waits up to `pollDuration` for the first record, then takes what is already
/// fetched, up to `maxPollRecords`.
fn poll_batch<'c>(
    consumer: &'c BaseConsumer,
    config: &Config,
) -> Result<Vec<BorrowedMessage<'c>>, WorkerError> {
    let mut batch = Vec::new();
    let mut wait = config.poll_duration.0;
    while batch.len() < config.max_poll_records {
        match consumer.poll(wait) {
            None => break,
            Some(Ok(m)) => batch.push(m),
            Some(Err(e)) => return Err(WorkerError::Kafka(e)),
        }
        wait = Duration::ZERO;
    }
    Ok(batch)
}

/// Milliseconds since the Unix epoch (0 if the clock is before it).
pub fn now_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// How much of a batch was committed: its first `processed` records; the consumer seeks back
/// to `seeks` (topic, partition, offset) to read the rest again.
struct Cut {
    processed: usize,
    seeks: Vec<(String, i32, i64)>,
}

/// Queues a record, waiting for room in the producer's queue until `deadline`.
fn send(
    producer: &BaseProducer<Delivery>,
    mut record: BaseRecord<'_, [u8], [u8]>,
    deadline: Instant,
    timeout: Duration,
) -> Result<(), WorkerError> {
    loop {
        match producer.send(record) {
            Ok(()) => return Ok(()),
            Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), r)) => {
                if Instant::now() >= deadline {
                    return Err(WorkerError::PublishTimeout(timeout));
                }
                record = r;
                producer.poll(Duration::from_millis(5));
            }
            Err((e, _)) => return Err(WorkerError::Kafka(e)),
        }
    }
}

impl Session<'_> {
    /// Processes a batch as one unit: committed whole, or aborted.
    fn process_batch(
        &self,
        batch: &[BorrowedMessage<'_>],
        batch_id: &str,
    ) -> Result<(), WorkerError> {
        let (shared, producer) = (self.shared, self.producer);
        let started = Instant::now();
        if self.txn {
            producer.begin_transaction().map_err(classify)?;
        }
        match self.produce_batch(batch, batch_id) {
            Ok(Cut { processed, seeks }) => {
                // A cut batch: the records after the cut are read again, from where they are.
                for (topic, partition, offset) in seeks {
                    self.consumer
                        .seek(
                            &topic,
                            partition,
                            Offset::Offset(offset),
                            shared.config.publish_timeout.0,
                        )
                        .map_err(WorkerError::Kafka)?;
                }
                shared.metrics.committed.inc();
                shared.metrics.committed_records.inc_by(processed as u64);
                shared
                    .metrics
                    .batch_seconds
                    .observe(started.elapsed().as_secs_f64());
                journal(shared, "committed", batch_id)?;
                Ok(())
            }
            Err(e) => {
                shared.metrics.aborted.inc();
                if self.txn && !matches!(e, WorkerError::Fenced(_)) {
                    if let Err(abort) = producer.abort_transaction(shared.config.publish_timeout.0)
                    {
                        tracing::warn!("aborting the batch's transaction failed: {abort}");
                    }
                }
                Err(e)
            }
        }
    }

    /// Interprets the batch, writes its outputs and error records, and commits its offsets.
    ///
    /// A record that runs out of the batch's time (`interpreterTimeout`) cuts the batch: when it
    /// was the batch's first record it is a poison record (its error goes to the error topic and
    /// its offset is committed); otherwise the batch ends before it, to be read again first in
    /// the next batch. Either way the records after the cut are read again: the returned
    /// positions are where the consumer must seek once the batch is committed.
    fn produce_batch(
        &self,
        batch: &[BorrowedMessage<'_>],
        batch_id: &str,
    ) -> Result<Cut, WorkerError> {
        let Session {
            shared,
            rt,
            producer,
            consumer,
            txn,
            ..
        } = *self;
        let config = &shared.config;
        let scenario = &shared.scenario;
        let metrics = &shared.metrics;
        let interpreter_timeout = config.interpreter_timeout.0;
        let interpret_deadline = Instant::now() + interpreter_timeout;
        let publish_timeout = config.publish_timeout.0;
        let source_id = self.source_id.as_deref();
        let error_topic = &config.exception_handling_config.topic;
        let mut offsets: BTreeMap<(&str, i32), i64> = BTreeMap::new();
        let mut error_records: Vec<(String, Vec<u8>, String)> = Vec::new();
        let mut outputs: Vec<Outgoing> = Vec::new();
        let mut cut: Option<usize> = None;

        // One clock reading per batch for the event-time delays: the batch is read at once.
        let read_at = now_millis();
        for (index, m) in batch.iter().enumerate() {
            metrics.records.inc();
            if let Some(t) = m.timestamp().to_millis() {
                metrics.event_read(t, read_at);
            }
            let input_ref = format!("{}/{}/{}", m.topic(), m.partition(), m.offset());
            offsets.insert((m.topic(), m.partition()), m.offset() + 1);
            let payload = m.payload().unwrap_or_default();
            // The engine's decoding, as for a request (a message naming line and column, or
            // every violation with its pointer).
            let decoded = scenario.decode_input(payload).map_err(|e| e.to_string());
            let input = match decoded {
                Ok(v) => v,
                Err(message) => {
                    // A poison record goes to the error topic; its offset is committed with the batch.
                    metrics.rejected.inc();
                    let event = json!({"input": String::from_utf8_lossy(payload)});
                    error_records.push(error_bytes(
                        shared, source_id, &message, None, event, &input_ref,
                    ));
                    continue;
                }
            };
            let (ts, ts_type) = match m.timestamp() {
                Timestamp::NotAvailable => (None, "NoTimestampType"),
                Timestamp::CreateTime(t) => (Some(t), "CreateTime"),
                Timestamp::LogAppendTime(t) => (Some(t), "LogAppendTime"),
            };
            let headers = m
                .headers()
                .map(|h| {
                    h.iter()
                        .map(|Header { key, value }| {
                            (
                                key.to_string(),
                                value
                                    .map(|v| String::from_utf8_lossy(v).into_owned())
                                    .unwrap_or_default(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            let meta = input_meta(
                m.key(),
                m.topic(),
                m.partition(),
                m.offset(),
                ts,
                ts_type,
                headers,
                None,
            );
            // Kept (cheap `Arc` clones) to describe the record if it fails; turned into JSON only then.
            let kept = config
                .exception_handling_config
                .include_input_event
                .then(|| (input.clone(), meta.clone()));
            let opts = RunOptions {
                deadline: Some(interpret_deadline),
                ..RunOptions::default()
            };
            let run = rt.block_on(scenario.run_with(input, vec![meta], &opts));
            if run.exhausted == Some(Exhausted::Deadline) {
                if index > 0 {
                    // The batch is out of time: it ends before this record.
                    offsets.insert((m.topic(), m.partition()), m.offset());
                    cut = Some(index);
                    break;
                }
                // Alone, it took the whole batch's time: a poison record. Its error record is
                // committed with its offset, so it can never block the partition.
                tracing::warn!(
                    record = %input_ref,
                    "a record ran out of interpreterTimeout ({interpreter_timeout:?}) on its own: sent to the error topic"
                );
                cut = Some(index + 1);
            }
            for out in run.outputs {
                match out.output {
                    Emitted::Message { topic, key, value } => outputs.push(Outgoing {
                        topic,
                        key,
                        value,
                        input_ref: input_ref.clone(),
                    }),
                    // Nothing to write: the streaming registry has no sink of bare values (its
                    // sinks are `kafka` and `dead-end`).
                    Emitted::Value(_) => {}
                }
            }
            if !run.errors.is_empty() {
                let event = match &kept {
                    Some((input, meta)) => json!({
                        "input": scenic_spel::value::to_json(input),
                        "inputMeta": scenic_spel::value::to_json(meta),
                    }),
                    None => serde_json::Value::Null,
                };
                for e in &run.errors {
                    error_records.push(error_bytes(
                        shared,
                        Some(&e.node_id),
                        &e.message(),
                        e.failure.expression(),
                        event.clone(),
                        &input_ref,
                    ));
                }
            }
            if cut.is_some() {
                break;
            }
        }
        // Where each partition's first unprocessed record is, when the batch was cut.
        let mut seeks: Vec<(String, i32, i64)> = Vec::new();
        let processed = cut.unwrap_or(batch.len());
        if let Some(at) = cut {
            for m in batch.iter().skip(at) {
                if !seeks
                    .iter()
                    .any(|(t, p, _)| t == m.topic() && *p == m.partition())
                {
                    seeks.push((m.topic().to_string(), m.partition(), m.offset()));
                }
            }
        }

        let publish_deadline = Instant::now() + publish_timeout;
        for out in &outputs {
            let headers = trace_headers(batch_id, &out.input_ref);
            let topic = config.namespaced(&out.topic);
            let mut record = BaseRecord::to(&topic)
                .payload(out.value.as_bytes())
                .headers(headers);
            if let Some(k) = &out.key {
                record = record.key(k.as_bytes());
            }
            send(producer, record, publish_deadline, publish_timeout)?;
            metrics.outputs.inc();
        }
        for (key, value, input_ref) in &error_records {
            let headers = trace_headers(batch_id, input_ref);
            let record = BaseRecord::to(error_topic)
                .key(key.as_bytes())
                .payload(value.as_slice())
                .headers(headers);
            send(producer, record, publish_deadline, publish_timeout)?;
            metrics.error_records.inc();
        }

        let mut tpl = TopicPartitionList::new();
        for ((topic, partition), offset) in &offsets {
            tpl.add_partition_offset(topic, *partition, Offset::Offset(*offset))?;
        }
        tracing::debug!(batch = batch_id, "committing offsets {offsets:?}");
        let commit_started = Instant::now();
        // A crash between these two journal lines leaves the batch in doubt: committed or not.
        journal(shared, "committing", batch_id)?;
        if txn {
            let group = consumer
                .group_metadata()
                .ok_or_else(|| WorkerError::Setup("the consumer has no group metadata".into()))?;
            let left = publish_deadline.saturating_duration_since(Instant::now());
            producer
                .send_offsets_to_transaction(&tpl, &group, left)
                .map_err(classify)?;
            let left = publish_deadline.saturating_duration_since(Instant::now());
            producer.commit_transaction(left).map_err(classify)?;
            check_deliveries(producer)?;
        } else {
            // At least once: outputs acknowledged first, then the offsets.
            let left = publish_deadline.saturating_duration_since(Instant::now());
            producer
                .flush(left)
                .map_err(|_| WorkerError::PublishTimeout(publish_timeout))?;
            check_deliveries(producer)?;
            consumer.commit(&tpl, CommitMode::Sync)?;
        }
        metrics
            .commit_seconds
            .observe(commit_started.elapsed().as_secs_f64());
        Ok(Cut { processed, seeks })
    }
}

/// A `kafka` sink's record to write: its topic (before the namespace), key and JSON text, and
/// the input record it came from.
struct Outgoing {
    topic: Arc<str>,
    key: Option<String>,
    value: String,
    input_ref: String,
}

/// The headers naming the batch (transaction) and the input record of a written record.
fn trace_headers(batch_id: &str, input_ref: &str) -> OwnedHeaders {
    OwnedHeaders::new_with_capacity(2)
        .insert(Header {
            key: BATCH_HEADER,
            value: Some(batch_id),
        })
        .insert(Header {
            key: INPUT_HEADER,
            value: Some(input_ref),
        })
}

/// Appends `<what> <batch id>` to the journal, when there is one.
fn journal(shared: &Shared, what: &str, batch_id: &str) -> Result<(), WorkerError> {
    if let Some(j) = &shared.journal {
        let mut f = j
            .lock()
            .map_err(|_| WorkerError::Setup("journal lock poisoned".into()))?;
        writeln!(f, "{what} {batch_id}").map_err(WorkerError::Journal)?;
    }
    Ok(())
}

fn check_deliveries(producer: &BaseProducer<Delivery>) -> Result<(), WorkerError> {
    let ctx = producer.context();
    if ctx.failed.swap(0, Ordering::Relaxed) > 0 {
        let last = ctx
            .last
            .lock()
            .ok()
            .and_then(|l| l.clone())
            .unwrap_or_default();
        return Err(WorkerError::Delivery(last));
    }
    Ok(())
}

fn error_bytes(
    shared: &Shared,
    node_id: Option<&str>,
    message: &str,
    expression: Option<&str>,
    input_event: serde_json::Value,
    input_ref: &str,
) -> (String, Vec<u8>, String) {
    tracing::warn!(node = node_id, input = input_ref, "{message}");
    let (key, value) = error_record(
        shared.scenario.name(),
        &Failure {
            node_id,
            message,
            expression,
            input_event: Some(input_event),
        },
        &shared.config.exception_handling_config,
        &shared.host,
        now_millis(),
    );
    (key, value, input_ref.to_string())
}

/// Consumer lag per assigned partition: high watermark minus position.
/// The largest of them is the task's `records-lag-max`.
fn report_lag(shared: &Shared, idx: usize, consumer: &BaseConsumer) {
    let Ok(positions) = consumer.position() else {
        return;
    };
    let mut largest = 0;
    for e in positions.elements() {
        let Offset::Offset(pos) = e.offset() else {
            continue;
        };
        if let Ok((_, high)) =
            consumer.fetch_watermarks(e.topic(), e.partition(), Duration::from_millis(200))
        {
            shared
                .metrics
                .lag
                .with_label_values(&[e.topic(), &e.partition().to_string()])
                .set((high - pos).max(0));
            largest = largest.max(high - pos);
        }
    }
    if let Some(t) = shared.metrics.task_lag.get(idx) {
        t.store(largest, Ordering::Relaxed);
    }
}
