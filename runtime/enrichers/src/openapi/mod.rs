//! The OpenAPI enricher (`enrichers.md` §3, `decisions.md` §9): every operation of a document
//! that the provider's `allowedMethods` and `namePattern` admit becomes an enricher, typed at
//! deploy time from its parameter and response schemas, and called with a pooled HTTP client.

pub mod call;
pub mod doc;
pub mod operations;
pub mod typing;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use crate::config::OpenApiConfig;

/// Longest wait for the document at start-up (as the reference's discovery).
const DISCOVERY_TIMEOUT: Duration = Duration::from_secs(20);

/// What one provider instance offers: its operations' factories, by component name (without
/// the prefix), and the reasons some operations could not be used.
pub struct Discovered {
    pub factories: Vec<(String, Arc<call::OperationFactory>)>,
    pub rejected: Vec<String>,
}

/// Reads the document and builds the operations' factories. A document that cannot be read
/// is an error (the caller decides what that means for the process).
pub fn discover(config: &OpenApiConfig, base_dir: &Path) -> Result<Discovered, String> {
    let url = doc::locate(&config.url, base_dir)?;
    let document = crate::io::block_on(doc::fetch(url), DISCOVERY_TIMEOUT)??;
    let base = operations::base_url(&document, config)?;
    if !matches!(base.scheme(), "http" | "https") {
        return Err(format!(
            "the calls' base URL {base} is not http(s): set rootUrl, or servers in the document"
        ));
    }
    let h = &config.http_client_config;
    let mut client = reqwest::Client::builder()
        .timeout(h.timeout)
        .connect_timeout(h.connect_timeout)
        .pool_max_idle_per_host(h.max_pool_size.max(1));
    if !h.follow_redirect {
        client = client.redirect(reqwest::redirect::Policy::none());
    }
    let client = client
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
    let provider = Arc::new(call::Provider {
        client,
        base,
        codes_as_empty: config.codes_to_interpret_as_empty.clone(),
    });
    let (ops, rejected) = operations::operations(&document, config);
    let factories = ops
        .into_iter()
        .map(|op| {
            (
                op.name.clone(),
                Arc::new(call::OperationFactory {
                    provider: provider.clone(),
                    operation: Arc::new(op),
                }),
            )
        })
        .collect();
    Ok(Discovered {
        factories,
        rejected,
    })
}
