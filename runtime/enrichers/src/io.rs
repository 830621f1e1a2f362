//! The enrichers' own I/O runtime: a small multi-threaded tokio runtime that owns every
//! database connection and HTTP connection of the process.
//!
//! Why a runtime of its own: the request-response server runs one single-threaded runtime per
//! HTTP worker and moves long invocations to its compute pool, and the streaming worker runs
//! its own loop. A connection is driven by the runtime that opened it, so a pool shared by all
//! of them must not live on any one of them. Calls are spawned here and awaited through their
//! `JoinHandle`, which any executor can await; compile-time work (preparing a statement,
//! reading a document) blocks the deploying thread on it with a timeout.

use std::future::Future;
use std::sync::OnceLock;
use std::time::Duration;

use tokio::runtime::{Handle, Runtime};

/// Threads of the I/O runtime by default: the work is waiting on sockets, not computing, and
/// one thread keeps a call's tasks (the request, the connection) together: with two, an HTTP
/// call took 311 µs instead of 160 µs on loopback, its tasks bouncing between the threads
/// (`docs/benchmarks.md`). `SCENIC_IO_THREADS` sets another count.
const IO_THREADS: usize = 1;

static IO: OnceLock<Result<Runtime, String>> = OnceLock::new();

/// The runtime, started on first use.
pub fn handle() -> Result<Handle, String> {
    let rt = IO.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(
                std::env::var("SCENIC_IO_THREADS")
                    .ok()
                    .and_then(|n| n.parse::<usize>().ok())
                    .filter(|n| (1..=64).contains(n))
                    .unwrap_or(IO_THREADS),
            )
            .thread_name("scenic-io")
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the enrichers' I/O runtime: {e}"))
    });
    match rt {
        Ok(rt) => Ok(rt.handle().clone()),
        Err(e) => Err(e.clone()),
    }
}

/// Runs `f` on the I/O runtime and waits for it from any executor.
pub async fn spawn<F>(f: F) -> Result<F::Output, String>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handle = handle()?;
    handle
        .spawn(f)
        .await
        .map_err(|e| format!("the I/O task failed: {e}"))
}

/// Runs a call on the I/O runtime, giving up at the invocation's deadline (`what` names what
/// it was waiting for, in the error).
pub async fn call<F, T>(f: F, deadline: Option<std::time::Instant>, what: &str) -> Result<T, String>
where
    F: Future<Output = Result<T, String>> + Send + 'static,
    T: Send + 'static,
{
    let late = format!("the invocation's deadline passed while waiting for {what}");
    spawn(async move {
        match deadline {
            Some(at) => tokio::time::timeout_at(at.into(), f)
                .await
                .unwrap_or_else(|_| Err(late)),
            None => f.await,
        }
    })
    .await?
}

/// Runs `f` on the I/O runtime and blocks the calling thread until it ends, at most `timeout`
/// (deploy-time work: the compilers are synchronous). Must not be called from the I/O
/// runtime's own threads; any other thread, async or not, may call it.
pub fn block_on<F>(f: F, timeout: Duration) -> Result<F::Output, String>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handle = handle()?;
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    let task = handle.spawn(async move {
        // The receiver may have given up (timeout): nothing to tell then.
        let _ = tx.send(f.await);
    });
    match rx.recv_timeout(timeout) {
        Ok(v) => Ok(v),
        Err(_) => {
            task.abort();
            Err(format!(
                "no answer within {}",
                humantime::format_duration(timeout)
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_on_gives_the_value_or_times_out() {
        assert_eq!(block_on(async { 7 }, Duration::from_secs(5)), Ok(7));
        let slow = block_on(
            // Made inside the task: tokio's timers belong to the runtime that polls them.
            async { tokio::time::sleep(Duration::from_secs(30)).await },
            Duration::from_millis(50),
        );
        assert!(slow
            .expect_err("times out")
            .contains("no answer within 50ms"));
    }

    #[test]
    fn spawn_is_awaitable_from_another_runtime() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        assert_eq!(rt.block_on(spawn(async { 3 })), Ok(3));
    }
}
