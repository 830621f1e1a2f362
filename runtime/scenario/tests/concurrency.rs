//! Service calls of independent contexts run concurrently (`decisions.md` §10 bounds how
//! many), and the outputs keep the order one call at a time gives.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use futures::future::BoxFuture;
use scenic_scenario::graph::{Ctx, Failure, ParamCompiler, Service, ServiceFactory};
use scenic_scenario::interp::MAX_CALLS_AT_ONCE;
use scenic_scenario::{load_scenario, NoFragments, Registry};
use scenic_spel::{Class, EvalEnv, Type, Value};
use serde_json::json;

/// A service that counts the calls in flight; each call waits once (pending, woken at once)
/// before it answers, so calls started together overlap.
#[derive(Debug, Default)]
struct Overlapping {
    in_flight: AtomicUsize,
    most: AtomicUsize,
    calls: AtomicUsize,
}

struct PendingOnce(bool);

impl std::future::Future for PendingOnce {
    type Output = ();
    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<()> {
        if self.0 {
            return std::task::Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        std::task::Poll::Pending
    }
}

#[derive(Debug)]
struct Call(Arc<Overlapping>, scenic_scenario::graph::Param);

impl Service for Call {
    fn invoke<'a>(
        &'a self,
        ctx: &'a Ctx,
        env: &'a EvalEnv,
    ) -> BoxFuture<'a, Result<Value, Failure>> {
        Box::pin(async move {
            let v = self.1.eval(ctx, env)?;
            let now = self.0.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            self.0.most.fetch_max(now, Ordering::SeqCst);
            self.0.calls.fetch_add(1, Ordering::SeqCst);
            PendingOnce(false).await;
            self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
            match v {
                Value::Long(i) => Ok(Value::Long(i * 10)),
                other => Ok(other),
            }
        })
    }
}

struct Factory(Arc<Overlapping>);

impl ServiceFactory for Factory {
    fn create(&self, pc: &mut dyn ParamCompiler) -> Option<(Arc<dyn Service>, Type)> {
        let p = pc.required("value", None)?;
        Some((Arc::new(Call(self.0.clone(), p)), Type::class(Class::Long)))
    }
}

fn spel(name: &str, e: &str) -> serde_json::Value {
    json!({"name": name, "expression": {"language": "spel", "expression": e}})
}

#[test]
fn for_each_elements_call_together_and_keep_their_order() {
    let probe = Arc::new(Overlapping::default());
    let mut registry = Registry::builtin();
    registry
        .services
        .insert("slow".into(), Arc::new(Factory(probe.clone())));
    let text = json!({
        "metaData": {"id": "c", "additionalFields": {"properties": {
            "inputSchema": json!({"type": "object", "properties": {"items": {"type": "array", "items": {"type": "integer"}}}}).to_string(),
            "outputSchema": "{}", "slug": "c"}, "metaDataType": "RequestResponseMetaData"}},
        "nodes": [
            {"id": "request", "type": "Source", "ref": {"typ": "request", "parameters": []}},
            {"id": "each", "type": "CustomNode", "nodeType": "for-each", "outputVar": "item",
             "parameters": [spel("Elements", "#input.items")]},
            {"id": "double", "type": "Variable", "varName": "twice", "value": {"language": "spel", "expression": "#item * 2"}},
            {"id": "call", "type": "Enricher", "service": {"id": "slow", "parameters": [spel("value", "#twice")]}, "output": "r"},
            {"id": "gather", "type": "CustomNode", "nodeType": "collect", "outputVar": "all",
             "parameters": [spel("Input expression", "#r")]},
            {"id": "response", "type": "Sink", "ref": {"typ": "response", "parameters": [
                spel("Raw editor", "true"), spel("Value", "#all")]}}
        ],
        "additionalBranches": []
    })
    .to_string();
    let s = load_scenario(&text, &registry, &NoFragments).expect("compiles");
    let n = MAX_CALLS_AT_ONCE + 8;
    let items: Vec<i64> = (1..=n as i64).collect();
    let v = s.source().decode(json!({"items": items})).expect("input");
    let r = futures::executor::block_on(s.run(v));
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    let out = scenic_spel::value::to_json(&r.outputs[0].value());
    let expected: Vec<i64> = items.iter().map(|i| i * 20).collect();
    assert_eq!(out, json!(expected), "in the elements' order");
    assert_eq!(probe.calls.load(Ordering::SeqCst), n);
    assert_eq!(
        probe.most.load(Ordering::SeqCst),
        MAX_CALLS_AT_ONCE,
        "the elements' calls overlap, up to the bound"
    );
}
