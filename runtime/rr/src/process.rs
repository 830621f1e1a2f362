//! Process set-up shared by Scenic's binaries (`scenic` and `scenic-stream`): the log
//! subscriber and the shutdown signal, defined once so that both log and stop alike.

/// Logs (`log` processors, server events) go to stderr at `info`; `RUST_LOG` overrides the
/// level. Colour codes only on a terminal, not in log files and collectors. Call once, first
/// thing in `main`.
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}

/// Completes on SIGTERM (what Kubernetes and `docker stop` send) or Ctrl-C (SIGINT). Where
/// SIGTERM cannot be subscribed to, Ctrl-C alone: a process that cannot be stopped gracefully
/// is still stopped by the orchestrator's SIGKILL. Needs a Tokio runtime with signals (the
/// actix system is one).
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
