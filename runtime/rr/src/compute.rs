//! The compute pool: where long invocations run, off the HTTP I/O threads (`decisions.md` §10).
//!
//! Every invocation starts on the actix worker that read its request, with a short evaluation
//! slice; nearly all finish inside it. One that does not is preempted at a node boundary and
//! continues here, on a multi-threaded tokio runtime of its own, so `/alive`, `/ready`,
//! `/metrics` and other scenarios' requests keep being served while it runs. Work the server
//! knows to be heavy before starting (a big body, a scenario that was just preempted) starts here.
//!
//! Admission is bounded: at most `max_concurrent` invocations are on the pool (running or queued
//! for a thread); further ones wait for a place until their deadline, then answer 504.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

/// Why the pool did not run a job.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PoolError {
    /// The deadline passed while waiting for a place, or while the job ran.
    #[error("the deadline passed before the job finished")]
    Deadline,
    /// The job panicked (a bug); the pool and the server go on.
    #[error("the job failed unexpectedly")]
    Crashed,
}

/// How the pool is sized.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PoolSettings {
    /// Threads; 0 = one per core (at least 2).
    pub threads: usize,
    /// Jobs on the pool at once (running or waiting for a thread); 0 = 8 per thread.
    pub max_concurrent: usize,
}

pub struct ComputePool {
    /// `Option` only so that `Drop` can take it: a runtime must not be dropped (blocking) inside
    /// another runtime, and the pool is dropped on an actix thread at shutdown.
    runtime: Option<tokio::runtime::Runtime>,
    permits: Arc<Semaphore>,
}

/// Late answers: a job is given this long past its deadline to notice it (its budget checks
/// the deadline inside its loops) before the caller stops waiting.
const GRACE: Duration = Duration::from_millis(50);

impl ComputePool {
    pub fn new(settings: PoolSettings) -> std::io::Result<ComputePool> {
        let threads = match settings.threads {
            0 => std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
                .max(2),
            n => n,
        };
        let max_concurrent = match settings.max_concurrent {
            0 => threads * 8,
            n => n,
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads)
            .thread_name("scenic-compute")
            .enable_time()
            .build()?;
        Ok(ComputePool {
            runtime: Some(runtime),
            permits: Arc::new(Semaphore::new(max_concurrent)),
        })
    }

    /// Runs `job` on the pool, waiting for a place until `deadline`; its result, or why there
    /// is none. Dropping the returned future stops waiting, not the job: the job stops at its
    /// own deadline, which its budget enforces.
    pub async fn run<F, T>(&self, deadline: Instant, job: F) -> Result<T, PoolError>
    where
        F: Future<Output = T> + Send + 'static,
        T: Send + 'static,
    {
        let Some(runtime) = &self.runtime else {
            return Err(PoolError::Crashed);
        };
        let deadline = tokio::time::Instant::from_std(deadline);
        let permit =
            match tokio::time::timeout_at(deadline, self.permits.clone().acquire_owned()).await {
                Ok(Ok(p)) => p,
                Ok(Err(_closed)) => return Err(PoolError::Crashed),
                Err(_) => return Err(PoolError::Deadline),
            };
        let handle = runtime.spawn(async move {
            let out = job.await;
            drop(permit);
            out
        });
        match tokio::time::timeout_at(deadline + GRACE, handle).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(_panicked)) => Err(PoolError::Crashed),
            Err(_) => Err(PoolError::Deadline),
        }
    }
}

impl Drop for ComputePool {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn runs_jobs_and_bounds_the_wait() {
        let pool = ComputePool::new(PoolSettings {
            threads: 1,
            max_concurrent: 1,
        })
        .expect("pool");
        let far = Instant::now() + Duration::from_secs(5);
        assert_eq!(pool.run(far, async { 7 }).await, Ok(7));
        // One place: a second job waits for it and gives up at its deadline.
        let busy = pool.run(far, async {
            std::thread::sleep(Duration::from_millis(400));
        });
        let soon = Instant::now() + Duration::from_millis(100);
        let (a, b) = tokio::join!(busy, async {
            tokio::time::sleep(Duration::from_millis(20)).await;
            pool.run(soon, async { 1 }).await
        });
        assert_eq!(a, Ok(()));
        assert_eq!(b, Err(PoolError::Deadline));
        // A panicking job is an error, not a crash.
        let r = pool
            .run(far, async {
                let v: Vec<u8> = Vec::new();
                v.get(3).copied().ok_or(()).expect("a panic in a job")
            })
            .await;
        assert_eq!(r, Err(PoolError::Crashed));
        assert_eq!(pool.run(far, async { 8 }).await, Ok(8));
    }
}
