use std::borrow::Cow;
use std::cmp::Ordering;

use smallvec::SmallVec;

use super::error::{EvalError, EvalResult};
use super::node::{Callee, CmpOp, ConstCall, Node, TplNode};
use super::EvalEnv;
use crate::methods::{self, MethodDef, MethodError};
use crate::parser::SelectKind;
use crate::value::{number, Str, Value};

static NULL: Value = Value::Null;

/// Evaluation context: variable slots, the current `#this`, the environment.
#[derive(Clone, Copy)]
pub(crate) struct Cx<'a> {
    pub vars: &'a [Value],
    pub this: Option<&'a Value>,
    pub env: &'a EvalEnv,
}

type R<'a> = EvalResult<Cow<'a, Value>>;

fn owned<'a>(v: Value) -> R<'a> {
    Ok(Cow::Owned(v))
}

/// A container built from values already charged: only its own limits are checked.
#[inline]
fn checked<'a>(v: Value, cx: &Cx<'_>) -> R<'a> {
    cx.env.budget.check_value(&v)?;
    Ok(Cow::Owned(v))
}

/// A value the evaluation just made: checked against the per-value limits and charged to the
/// invocation's budget.
// Inlined into the evaluator in release builds only: in debug builds every inlined copy adds
// its temporaries to the evaluator's frame, which the recursion multiplies.
#[cfg_attr(not(debug_assertions), inline(always))]
fn made<'a>(v: Value, cx: &Cx<'_>) -> R<'a> {
    if allocates(&v) {
        cx.env.budget.admit(&v)?;
    }
    Ok(Cow::Owned(v))
}

/// Whether a value holds memory of its own to check and charge: scalars and inline strings
/// (up to 23 bytes, the common method result) need no look at the budget.
#[inline(always)]
fn allocates(v: &Value) -> bool {
    match v {
        Value::Str(s) => s.is_heap_allocated(),
        Value::List(_) | Value::Map(_) | Value::BigDec(_) | Value::BigInt(_) => true,
        _ => false,
    }
}

/// The result of a method call: a helper's own failure, or a value to admit.
#[cfg_attr(not(debug_assertions), inline(always))]
fn called<'a>(r: Result<Value, MethodError>, cx: &Cx<'_>) -> R<'a> {
    match r {
        Ok(v) => made(v, cx),
        Err(m) => Err(helper_failed(m, cx)),
    }
}

#[cold]
#[inline(never)]
fn helper_failed(m: MethodError, cx: &Cx<'_>) -> EvalError {
    over_budget(cx).unwrap_or_else(|| m.into())
}

/// When a helper failed because the invocation ran out of time or memory, that is the error.
#[cold]
#[inline(never)]
fn over_budget(cx: &Cx<'_>) -> Option<EvalError> {
    use super::budget::{Exhausted, LimitError};
    let limit = match cx.env.budget.exhausted()? {
        Exhausted::Deadline => LimitError::Deadline,
        Exhausted::Preempted => LimitError::Preempted,
        Exhausted::Memory => LimitError::Memory {
            limit: cx.env.budget.limits().max_invocation_bytes,
        },
    };
    Some(EvalError::Limit(limit))
}

fn failed(m: String) -> EvalError {
    EvalError::Failed(m)
}

fn as_bool(v: &Value) -> EvalResult<bool> {
    match v {
        Value::Bool(b) => Ok(*b),
        other => Err(EvalError::NotBoolean {
            value: other.to_java_string(),
            class: other.class_name(),
        }),
    }
}

/// Map entries as the records `{key, value}` that selections and projections see.
fn entry(k: &Value, v: &Value) -> Value {
    let mut m = Value::map_with_capacity(2);
    m.insert(Value::Str(Str::new_static("key")), k.clone());
    m.insert(Value::Str(Str::new_static("value")), v.clone());
    Value::map(m)
}

impl Node {
    pub(crate) fn eval<'a>(&'a self, cx: &Cx<'a>) -> R<'a> {
        match self {
            Node::Const(v) => Ok(Cow::Borrowed(v)),
            Node::Var(slot) => Ok(Cow::Borrowed(cx.vars.get(*slot as usize).unwrap_or(&NULL))),
            Node::CallConst(c) => call_const(c, cx).map(Cow::Owned),
            Node::This => cx.this.map(Cow::Borrowed).ok_or(EvalError::NoThis),
            Node::Field {
                target,
                key,
                hint,
                safe,
            } => {
                let t = target.eval(cx)?;
                // Fast path: the entry at the declared position has the key (no hashing).
                if let Cow::Borrowed(Value::Map(m)) = t {
                    if let Some((k, v)) = m.get_index(*hint) {
                        if let (Value::Str(a), Value::Str(b)) = (k, key) {
                            if a == b {
                                return Ok(Cow::Borrowed(v));
                            }
                        }
                    }
                }
                field(t, key, *safe)
            }
            Node::VarField {
                slot,
                key,
                hint,
                safe,
            } => {
                let t = cx.vars.get(*slot as usize).unwrap_or(&NULL);
                if let Value::Map(m) = t {
                    if let Some((Value::Str(k), v)) = m.get_index(*hint) {
                        if let Value::Str(want) = key {
                            if k == want {
                                return Ok(Cow::Borrowed(v));
                            }
                        }
                    }
                }
                field(Cow::Borrowed(t), key, *safe)
            }
            Node::CmpConst(op, a, y) => {
                let x = a.eval(cx)?;
                let ord = java_compare(&x, y)?;
                owned(Value::Bool(match op {
                    CmpOp::Lt => ord == Ordering::Less,
                    CmpOp::Le => ord != Ordering::Greater,
                    CmpOp::Gt => ord == Ordering::Greater,
                    CmpOp::Ge => ord != Ordering::Less,
                }))
            }
            Node::EqConst {
                negate,
                left,
                right,
            } => {
                let x = left.eval(cx)?;
                owned(Value::Bool(spel_equals(&x, right) != *negate))
            }
            Node::DynProp { target, name, safe } => {
                let t = target.eval(cx)?;
                match &*t {
                    Value::Null if *safe => Ok(Cow::Borrowed(&NULL)),
                    Value::Null => Err(EvalError::PropertyOnNull {
                        name: name.to_string(),
                    }),
                    Value::Map(m) if m.contains_key(&Value::str(&**name)) => {
                        field(t, &Value::str(&**name), false)
                    }
                    v => {
                        let class = v.class();
                        let ty = crate::types::Type::class(class);
                        for n in methods::property_method_names(name) {
                            if let Some(m) = methods::lookup(&ty, Some(class), &n)
                                .into_iter()
                                .find(|m| m.arity_ok(0))
                            {
                                return called((m.call)(v, &[], cx.env), cx);
                            }
                        }
                        if let Value::Map(_) = v {
                            return Ok(Cow::Borrowed(&NULL));
                        }
                        Err(EvalError::NoMethod {
                            name: name.to_string(),
                            class: v.class_name(),
                        })
                    }
                }
            }
            Node::Call {
                target,
                callee,
                args,
                const_args,
                prepared,
                safe,
                key_first,
            } => {
                // A variable receiver is read in place (the most common shape, `#input.m(..)`).
                let t = match &**target {
                    Node::Var(slot) => Cow::Borrowed(cx.vars.get(*slot as usize).unwrap_or(&NULL)),
                    other => other.eval(cx)?,
                };
                if t.is_null() {
                    return if *safe {
                        Ok(Cow::Borrowed(&NULL))
                    } else {
                        Err(EvalError::MethodOnNull {
                            name: callee_name(callee),
                        })
                    };
                }
                if let (Some(k), Value::Map(m)) = (key_first, &*t) {
                    if m.contains_key(k) {
                        return field(t, k, false);
                    }
                }
                if let Some(p) = prepared {
                    // The method's compile-time state (a compiled regex) replaces its `call`.
                    if let Some(values) = const_args.as_deref() {
                        return called((p.call)(&p.state, &t, values, cx.env), cx);
                    }
                    let mut vals: SmallVec<[Value; 4]> = SmallVec::with_capacity(args.len());
                    for a in args.iter() {
                        vals.push(a.eval(cx)?.into_owned());
                    }
                    return called((p.call)(&p.state, &t, &vals, cx.env), cx);
                }
                if let (Callee::One(m), Some(values)) = (callee, const_args.as_deref()) {
                    return called((m.call)(&t, values, cx.env), cx);
                }
                if let Some(values) = const_args.as_deref() {
                    return made(call(callee, &t, values, cx)?, cx);
                }
                let mut vals: SmallVec<[Value; 4]> = SmallVec::with_capacity(args.len());
                for a in args.iter() {
                    vals.push(a.eval(cx)?.into_owned());
                }
                made(call(callee, &t, &vals, cx)?, cx)
            }
            Node::Index {
                target,
                index,
                safe,
            } => {
                let t = target.eval(cx)?;
                let i = index.eval(cx)?;
                match (&*t, &*i) {
                    (Value::Null, _) if *safe => Ok(Cow::Borrowed(&NULL)),
                    (Value::Null, _) => Err(EvalError::IndexOnNull),
                    (Value::List(_), idx) => {
                        let n = number::to_i64(idx)
                            .filter(|_| {
                                matches!(
                                    idx,
                                    Value::Int(_)
                                        | Value::Long(_)
                                        | Value::Short(_)
                                        | Value::Byte(_)
                                )
                            })
                            .ok_or(EvalError::BadIndex {
                                class: t.class_name(),
                                index_class: idx.class_name(),
                            })?;
                        let len = match &*t {
                            Value::List(l) => l.len(),
                            _ => 0,
                        };
                        if n < 0 || n as usize >= len {
                            return Err(EvalError::IndexOutOfBounds { index: n, len });
                        }
                        match t {
                            Cow::Borrowed(Value::List(l)) => Ok(Cow::Borrowed(&l[n as usize])),
                            Cow::Owned(Value::List(l)) => owned(l[n as usize].clone()),
                            _ => Ok(Cow::Borrowed(&NULL)),
                        }
                    }
                    (Value::Map(_), _) => {
                        let key = i.into_owned();
                        field(t, &key, false)
                    }
                    (Value::Str(s), idx) => {
                        let n = number::to_i64(idx).ok_or(EvalError::BadIndex {
                            class: "String",
                            index_class: idx.class_name(),
                        })?;
                        cx.env.budget.tick((s.len() / 64) as u32)?;
                        let units: Vec<u16> = s.encode_utf16().collect();
                        match usize::try_from(n).ok().and_then(|n| units.get(n)) {
                            Some(u) => owned(Value::str(String::from_utf16_lossy(&[*u]))),
                            None => Err(EvalError::IndexOutOfBounds {
                                index: n,
                                len: units.len(),
                            }),
                        }
                    }
                    (other, idx) => Err(EvalError::BadIndex {
                        class: other.class_name(),
                        index_class: idx.class_name(),
                    }),
                }
            }
            Node::Select {
                target,
                kind,
                pred,
                safe,
            } => {
                let t = target.eval(cx)?;
                made(select(&t, *kind, pred, *safe, cx)?, cx)
            }
            Node::Project { target, expr, safe } => {
                let t = target.eval(cx)?;
                match &*t {
                    Value::Null if *safe => Ok(Cow::Borrowed(&NULL)),
                    Value::List(l) => {
                        cx.env.budget.reserve_collection(l.len())?;
                        let mut out = Vec::with_capacity(l.len());
                        for el in l.iter() {
                            cx.env.budget.tick(1)?;
                            let inner = Cx {
                                this: Some(el),
                                ..*cx
                            };
                            out.push(expr.eval(&inner)?.into_owned());
                        }
                        // Elements were charged as they were made; check the whole.
                        checked(Value::list(out), cx)
                    }
                    Value::Map(m) => {
                        cx.env.budget.reserve_collection(m.len())?;
                        let mut out = Vec::with_capacity(m.len());
                        for (k, v) in m.iter() {
                            cx.env.budget.tick(1)?;
                            let e = entry(k, v);
                            let inner = Cx {
                                this: Some(&e),
                                ..*cx
                            };
                            out.push(expr.eval(&inner)?.into_owned());
                        }
                        checked(Value::list(out), cx)
                    }
                    other => Err(EvalError::NotIterable {
                        class: other.class_name(),
                    }),
                }
            }
            Node::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for i in items.iter() {
                    out.push(i.eval(cx)?.into_owned());
                }
                made(Value::list(out), cx)
            }
            Node::Map(entries) => {
                let mut m = Value::map_with_capacity(entries.len());
                for (k, v) in entries.iter() {
                    m.insert(k.clone(), v.eval(cx)?.into_owned());
                }
                made(Value::map(m), cx)
            }
            Node::Neg(a) => {
                let v = a.eval(cx)?;
                number::negate(&v).map(Cow::Owned).map_err(failed)
            }
            Node::Plus(a) => {
                let v = a.eval(cx)?;
                if v.is_number() {
                    Ok(v)
                } else {
                    Err(EvalError::Operator {
                        op: "+",
                        left: v.class_name(),
                        right: v.class_name(),
                    })
                }
            }
            Node::Not(a) => {
                let v = a.eval(cx)?;
                owned(Value::Bool(!as_bool(&v)?))
            }
            Node::Arith(op, a, b) => {
                let x = a.eval(cx)?;
                let y = b.eval(cx)?;
                made(number::arith(*op, &x, &y).map_err(failed)?, cx)
            }
            Node::Add(a, b) => {
                let x = a.eval(cx)?;
                let y = b.eval(cx)?;
                made(add(&x, &y, cx)?, cx)
            }
            Node::Pow(a, b) => {
                let x = a.eval(cx)?;
                let y = b.eval(cx)?;
                made(number::power(&x, &y).map_err(failed)?, cx)
            }
            Node::Cmp(op, a, b) => {
                let x = a.eval(cx)?;
                let y = b.eval(cx)?;
                let ord = java_compare(&x, &y)?;
                owned(Value::Bool(match op {
                    CmpOp::Lt => ord == Ordering::Less,
                    CmpOp::Le => ord != Ordering::Greater,
                    CmpOp::Gt => ord == Ordering::Greater,
                    CmpOp::Ge => ord != Ordering::Less,
                }))
            }
            Node::Eq {
                negate,
                left,
                right,
            } => {
                let x = left.eval(cx)?;
                let y = right.eval(cx)?;
                owned(Value::Bool(spel_equals(&x, &y) != *negate))
            }
            Node::And(a, b) => {
                if !as_bool(&*a.eval(cx)?)? {
                    return owned(Value::Bool(false));
                }
                owned(Value::Bool(as_bool(&*b.eval(cx)?)?))
            }
            Node::Or(a, b) => {
                if as_bool(&*a.eval(cx)?)? {
                    return owned(Value::Bool(true));
                }
                owned(Value::Bool(as_bool(&*b.eval(cx)?)?))
            }
            Node::Ternary(c, t, f) => {
                if as_bool(&*c.eval(cx)?)? {
                    t.eval(cx)
                } else {
                    f.eval(cx)
                }
            }
            Node::Elvis(a, b) => {
                let v = a.eval(cx)?;
                match &*v {
                    Value::Null => b.eval(cx),
                    Value::Str(s) if s.is_empty() => b.eval(cx),
                    _ => Ok(v),
                }
            }
            Node::Matches { text, regex } => {
                let t = text.eval(cx)?;
                let s = match &*t {
                    Value::Str(s) => s.clone(),
                    other => {
                        return Err(EvalError::Operator {
                            op: "matches",
                            left: other.class_name(),
                            right: "String",
                        })
                    }
                };
                cx.env.budget.tick((s.len() / 64) as u32)?;
                let matched = match regex {
                    Ok(re) => re.is_match(&s),
                    Err(node) => {
                        let r = node.eval(cx)?;
                        let pattern = r.as_str().ok_or(EvalError::Operator {
                            op: "matches",
                            left: "String",
                            right: r.class_name(),
                        })?;
                        crate::methods::string::full_match_regex(pattern)
                            .map_err(failed)?
                            .is_match(&s)
                    }
                };
                owned(Value::Bool(matched))
            }
            Node::Between(a, b) => {
                let v = a.eval(cx)?;
                let range = b.eval(cx)?;
                match &*range {
                    Value::List(l) if l.len() == 2 => {
                        let lo = java_compare(&l[0], &v)?;
                        let hi = java_compare(&v, &l[1])?;
                        owned(Value::Bool(
                            lo != Ordering::Greater && hi != Ordering::Greater,
                        ))
                    }
                    _ => Err(failed(
                        "Right operand for the 'between' operator has to be a two-element list"
                            .into(),
                    )),
                }
            }
            Node::InstanceOf(a, class) => {
                let v = a.eval(cx)?;
                owned(Value::Bool(
                    !v.is_null() && v.class().is_subclass_of(*class),
                ))
            }
            Node::Template(parts) => {
                let mut s = String::new();
                for p in parts.iter() {
                    match p {
                        TplNode::Text(t) => s.push_str(t),
                        TplNode::Expr(e) => {
                            let v = e.eval(cx)?;
                            if !v.is_null() {
                                write_text(&v, &mut s, cx)?;
                            }
                        }
                    }
                }
                made(Value::from(s), cx)
            }
            Node::Convert(a, class) => {
                let v = a.eval(cx)?;
                // Null and values already of the class pass through unchanged.
                if v.is_null() || v.class().is_subclass_of(*class) {
                    return Ok(v);
                }
                called(
                    crate::methods::conversions::convert_value(&v, *class)
                        .map_err(MethodError::from),
                    cx,
                )
            }
        }
    }
}

/// A call to one overload with constant arguments (see [`ConstCall`]): the receiver, the null
/// check, the method, the result's admission to the budget, nothing else. Inlined into `eval`
/// and, for a call at the root of an expression, into `Expression::eval`, where the result
/// leaves as it is: neither the evaluator's frame (six saved registers, hundreds of bytes of
/// stack) nor a `Cow` to wrap it in and take it out of again.
#[cfg_attr(not(debug_assertions), inline(always))]
pub(crate) fn call_const(c: &ConstCall, cx: &Cx<'_>) -> EvalResult<Value> {
    match &c.target {
        // A variable receiver is read in place (the most common shape, `#input.m(..)`), with no
        // `Cow` to hold and drop.
        Node::Var(slot) => invoke(c, cx.vars.get(*slot as usize).unwrap_or(&NULL), cx),
        other => {
            let t = other.eval(cx)?;
            invoke(c, &t, cx)
        }
    }
}

#[cfg_attr(not(debug_assertions), inline(always))]
fn invoke(c: &ConstCall, t: &Value, cx: &Cx<'_>) -> EvalResult<Value> {
    if t.is_null() {
        return null_receiver(c.method, c.safe);
    }
    let r = match &c.prepared {
        None => (c.method.call)(t, &c.args, cx.env),
        // The method's compile-time state (a compiled regex) replaces its `call`.
        Some(p) => (p.call)(&p.state, t, &c.args, cx.env),
    };
    match r {
        Ok(v) => {
            if allocates(&v) {
                cx.env.budget.admit(&v)?;
            }
            Ok(v)
        }
        Err(m) => Err(helper_failed(m, cx)),
    }
}

#[cold]
#[inline(never)]
fn null_receiver(m: &MethodDef, safe: bool) -> EvalResult<Value> {
    if safe {
        Ok(Value::Null)
    } else {
        Err(EvalError::MethodOnNull {
            name: m.name.to_string(),
        })
    }
}

fn field<'a>(t: Cow<'a, Value>, key: &Value, safe: bool) -> R<'a> {
    match t {
        Cow::Borrowed(Value::Map(m)) => Ok(Cow::Borrowed(m.get(key).unwrap_or(&NULL))),
        Cow::Owned(Value::Map(m)) => owned(m.get(key).cloned().unwrap_or(Value::Null)),
        Cow::Borrowed(Value::Null) | Cow::Owned(Value::Null) if safe => Ok(Cow::Borrowed(&NULL)),
        Cow::Borrowed(Value::Null) | Cow::Owned(Value::Null) => Err(EvalError::PropertyOnNull {
            name: key.to_java_string(),
        }),
        other => Err(EvalError::NoMethod {
            name: key.to_java_string(),
            class: other.class_name(),
        }),
    }
}

fn callee_name(c: &Callee) -> String {
    match c {
        Callee::One(m) => m.name.to_string(),
        Callee::Many(ms) => ms.first().map(|m| m.name.to_string()).unwrap_or_default(),
        Callee::Dynamic(n) => n.to_string(),
    }
}

fn fits(m: &MethodDef, args: &[Value]) -> bool {
    m.arity_ok(args.len())
        && args
            .iter()
            .enumerate()
            .all(|(i, a)| m.param(i).is_some_and(|p| methods::value_fits(a, p)))
}

fn call(callee: &Callee, target: &Value, args: &[Value], cx: &Cx<'_>) -> EvalResult<Value> {
    let env = cx.env;
    let m: &MethodDef = match callee {
        Callee::One(m) => m,
        Callee::Many(ms) => ms
            .iter()
            .copied()
            .find(|m| fits(m, args))
            .or_else(|| ms.first().copied())
            .ok_or_else(|| failed("no overload".into()))?,
        Callee::Dynamic(name) => {
            let class = target.class();
            let ty = crate::types::Type::class(class);
            let candidates = methods::lookup(&ty, Some(class), name);
            match candidates.iter().copied().find(|m| fits(m, args)) {
                Some(m) => m,
                None => {
                    return Err(EvalError::NoMethod {
                        name: name.to_string(),
                        class: target.class_name(),
                    })
                }
            }
        }
    };
    // Convert arguments the typer could not see (dynamic dispatch) to the declared classes.
    let needs_conversion = matches!(callee, Callee::Dynamic(_) | Callee::Many(_))
        && args.iter().enumerate().any(|(i, a)| {
            m.param(i)
                .and_then(|p| p.class())
                .is_some_and(|c| !a.is_null() && !a.class().is_subclass_of(c) && !c.is_number())
        });
    if needs_conversion {
        let mut conv: SmallVec<[Value; 4]> = SmallVec::new();
        for (i, a) in args.iter().enumerate() {
            match m.param(i).and_then(|p| p.class()) {
                Some(c) if !a.is_null() && !a.class().is_subclass_of(c) && !c.is_number() => {
                    conv.push(crate::methods::conversions::convert_value(a, c).map_err(failed)?)
                }
                _ => conv.push(a.clone()),
            }
        }
        return (m.call)(target, &conv, env).map_err(|e| helper_failed(e, cx));
    }
    (m.call)(target, args, env).map_err(|e| helper_failed(e, cx))
}

fn select(t: &Value, kind: SelectKind, pred: &Node, safe: bool, cx: &Cx<'_>) -> EvalResult<Value> {
    let test = |el: &Value| -> EvalResult<bool> {
        let inner = Cx {
            this: Some(el),
            ..*cx
        };
        match &*pred.eval(&inner)? {
            Value::Bool(b) => Ok(*b),
            _ => Err(EvalError::SelectionNotBoolean),
        }
    };
    match t {
        Value::Null if safe => Ok(Value::Null),
        Value::List(l) => match kind {
            SelectKind::All => {
                let mut out = Vec::new();
                for el in l.iter() {
                    cx.env.budget.tick(1)?;
                    if test(el)? {
                        out.push(el.clone());
                    }
                }
                Ok(Value::list(out))
            }
            SelectKind::First => {
                for el in l.iter() {
                    cx.env.budget.tick(1)?;
                    if test(el)? {
                        return Ok(el.clone());
                    }
                }
                Ok(Value::Null)
            }
            SelectKind::Last => {
                for el in l.iter().rev() {
                    cx.env.budget.tick(1)?;
                    if test(el)? {
                        return Ok(el.clone());
                    }
                }
                Ok(Value::Null)
            }
        },
        Value::Map(m) => {
            let mut out = Value::new_map();
            let iter: Box<dyn Iterator<Item = (&Value, &Value)>> = match kind {
                SelectKind::Last => Box::new(m.iter().rev()),
                _ => Box::new(m.iter()),
            };
            for (k, v) in iter {
                cx.env.budget.tick(1)?;
                if test(&entry(k, v))? {
                    out.insert(k.clone(), v.clone());
                    if kind != SelectKind::All {
                        return Ok(Value::map(out));
                    }
                }
            }
            if kind != SelectKind::All {
                return Ok(Value::Null);
            }
            Ok(Value::map(out))
        }
        other => Err(EvalError::NotIterable {
            class: other.class_name(),
        }),
    }
}

fn add(x: &Value, y: &Value, cx: &Cx<'_>) -> EvalResult<Value> {
    if x.is_number() && y.is_number() {
        return number::arith(number::ArithOp::Add, x, y).map_err(failed);
    }
    if let (Value::Str(a), Value::Str(b)) = (x, y) {
        // The common case: the length is known before anything is allocated.
        let len = a.len().saturating_add(b.len());
        cx.env.budget.limits().check_string_len(len)?;
        let mut s = String::with_capacity(len);
        s.push_str(a);
        s.push_str(b);
        return Ok(Value::from(s));
    }
    if matches!(x, Value::Str(_)) || matches!(y, Value::Str(_)) {
        let mut s = String::new();
        write_text(x, &mut s, cx)?;
        write_text(y, &mut s, cx)?;
        return Ok(Value::from(s));
    }
    Err(EvalError::Operator {
        op: "+",
        left: x.class_name(),
        right: y.class_name(),
    })
}

/// Appends `v`'s Java `toString` to `out`, refusing text longer than a string may be. The text
/// of a list or map is about as long as its size, which its limit bounds already.
fn write_text(v: &Value, out: &mut String, cx: &Cx<'_>) -> EvalResult<()> {
    let limits = cx.env.budget.limits();
    if let Value::Str(s) = v {
        // Known before copying.
        limits.check_string_len(out.len().saturating_add(s.len()))?;
    }
    v.write_java(out);
    limits.check_string_len(out.len())?;
    Ok(())
}

/// Spring's `equalityCheck`: numbers after promotion, strings and booleans by value, then
/// Java `equals`, then `compareTo` for comparables of one class.
pub(crate) fn spel_equals(x: &Value, y: &Value) -> bool {
    match (x, y) {
        (Value::Str(a), Value::Str(b)) => return a == b,
        (Value::Int(a), Value::Int(b)) => return a == b,
        (Value::Long(a), Value::Long(b)) => return a == b,
        (Value::Bool(a), Value::Bool(b)) => return a == b,
        _ => {}
    }
    if x.is_number() && y.is_number() {
        return number::compare(x, y) == Some(Ordering::Equal);
    }
    if x == y {
        return true;
    }
    if let (Value::Obj(_), Value::Obj(_)) = (x, y) {
        if x.class() == y.class() {
            return crate::time::compare_objs(x, y) == Some(Ordering::Equal);
        }
    }
    false
}

/// Spring's `StandardTypeComparator`: null is smallest, numbers after promotion, then
/// `Comparable`s of one class.
pub(crate) fn java_compare(x: &Value, y: &Value) -> EvalResult<Ordering> {
    match (x, y) {
        (Value::Long(a), Value::Long(b)) => return Ok(a.cmp(b)),
        (Value::Int(a), Value::Int(b)) => return Ok(a.cmp(b)),
        (Value::Long(a), Value::Int(b)) => return Ok(a.cmp(&(*b as i64))),
        (Value::Int(a), Value::Long(b)) => return Ok((*a as i64).cmp(b)),
        (Value::Null, Value::Null) => return Ok(Ordering::Equal),
        (Value::Null, _) => return Ok(Ordering::Less),
        (_, Value::Null) => return Ok(Ordering::Greater),
        _ => {}
    }
    if x.is_number() && y.is_number() {
        return number::compare(x, y).ok_or_else(|| failed("cannot compare numbers".into()));
    }
    let r = match (x, y) {
        (Value::Str(a), Value::Str(b)) => Some(crate::methods::string::java_compare_str(a, b)),
        (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
        (Value::Char(a), Value::Char(b)) => Some(a.cmp(b)),
        (Value::Obj(_), Value::Obj(_)) => crate::time::compare_objs(x, y),
        _ => None,
    };
    r.ok_or_else(|| {
        failed(format!(
            "class {} cannot be cast to class {}",
            x.class().qualified_name(),
            y.class().qualified_name()
        ))
    })
}

/// Public form of the `==` operator's equality, for helpers and other crates.
pub fn spel_equals_values(x: &Value, y: &Value) -> bool {
    spel_equals(x, y)
}

/// Public form of the comparison operators' ordering (`compareTo`).
pub fn java_compare_values(x: &Value, y: &Value) -> Result<Ordering, EvalError> {
    java_compare(x, y)
}
