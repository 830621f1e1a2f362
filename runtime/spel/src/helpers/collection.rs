//! `#COLLECTION` helper (spel.md §13.4): `collection.scala`. Every method returns a new
//! collection. The typing functions transcribe the reference's (`ListTyping`,
//! `ListElementTyping`, `ListAdditionTyping`, `VarargsMapMergeTyping`,
//! `RecordCollectionSortingTyping`, ...), quirks included.

use std::cmp::Ordering;

use rand::seq::SliceRandom;

use super::conv::scala_hash;
use super::numeric::{mismatch, same_class_compare, Promotion};
use crate::eval::EvalEnv;
use crate::methods::{args, MethodDef, Ret, P};
use crate::types::{Class, Type};
use crate::value::number::{self, ArithOp};
use crate::value::{Value, ValueMap};
use crate::{m, mf};

type R = Result<Value, crate::methods::MethodError>;
type TR = Result<Type, crate::methods::MethodError>;

static UNKNOWN: Type = Type::Unknown;

fn arg_type(a: &[Type], i: usize) -> &Type {
    a.get(i).unwrap_or(&UNKNOWN)
}

/// The type under a carried value (`List[Integer]({1})` -> `List[Integer]`).
fn strip(t: &Type) -> &Type {
    match t {
        Type::Const(c) => strip(&c.0),
        other => other,
    }
}

/// `Some(element type)` when `t` is exactly `List[e]` (possibly with a value).
fn list_elem(t: &Type) -> Option<Type> {
    match strip(t) {
        Type::Class(Class::List, p) if p.len() == 1 => Some(p[0].clone()),
        _ => None,
    }
}

fn unknown_map() -> Type {
    Type::map(Type::Unknown, Type::Unknown)
}

fn is_single(t: &Type) -> bool {
    !matches!(t, Type::Unknown | Type::Null | Type::Union(_))
}

// ---------------------------------------------------------------------------------------------
// Typing functions

/// `CollectionTyping[List]`: a list keeps its element type (without value); anything else is
/// returned as is.
fn t_list(_: &Type, a: &[Type]) -> TR {
    let first = arg_type(a, 0);
    Ok(match list_elem(first) {
        Some(e) => Type::list(e.without_value()),
        None => first.clone(),
    })
}

/// `CollectionElementTyping[List]`: the element type of a list, else the argument itself.
fn element_type(a: &[Type]) -> Type {
    let first = arg_type(a, 0);
    match list_elem(first) {
        Some(e) => e.without_value(),
        None => first.without_value(),
    }
}

/// `min`/`max`: the element type, which must be `Comparable`.
fn t_min_max(name: &str, a: &[Type]) -> TR {
    let e = element_type(a);
    let comparable = |t: &Type| match strip(t) {
        Type::Class(c, _) => c.is_comparable(),
        Type::Record(_) => false,
        _ => true,
    };
    if !e.members().iter().all(comparable) {
        let found: Vec<String> = a.iter().map(|t| t.to_string()).collect();
        return Err(format!(
            "Generic function {name} has type {e} that does not match any of declared types (Comparable[Unknown]) when called with arguments ({})",
            found.join(", ")
        ).into());
    }
    Ok(e)
}

/// `ListElementTypingForSum`: the element type promoted with `ForLargeNumbersOperation`
/// (`Number` stays `Number`).
fn t_sum(_: &Type, a: &[Type]) -> TR {
    let declared = Type::generic(Class::Collection, vec![Type::number()]);
    if !arg_type(a, 0).can_be_converted_to(&declared) {
        return Err(mismatch("sum", a, "Collection[Number]").into());
    }
    let e = element_type(a);
    if e == Type::number() {
        return Ok(e);
    }
    Ok(Promotion::Large.single(&e))
}

fn t_flatten(_: &Type, a: &[Type]) -> TR {
    let declared = Type::generic(
        Class::Collection,
        vec![Type::generic(Class::Collection, vec![Type::Unknown])],
    );
    if !arg_type(a, 0).can_be_converted_to(&declared) {
        return Err(mismatch("flatten", a, "Collection[Collection[Unknown]]").into());
    }
    Ok(element_type(a))
}

fn t_product(_: &Type, a: &[Type]) -> TR {
    let declared = Type::list(unknown_map());
    if !a.iter().all(|t| t.can_be_converted_to(&declared)) {
        return Err(mismatch(
            "product",
            a,
            "List[Map[Unknown,Unknown]], List[Map[Unknown,Unknown]]",
        )
        .into());
    }
    Ok(Type::list(unknown_map()))
}

/// `ListAdditionTyping` (`VarargsCollectionMergeTyping[List]`): folds the argument types pairwise.
fn t_concat(_: &Type, a: &[Type]) -> TR {
    let mut acc: Option<Type> = None;
    for t in a {
        acc = Some(match acc {
            None => t.clone(),
            Some(prev) if is_single(&prev) && is_single(t) => concat_type(&prev, t),
            Some(_) => return Ok(Type::list(Type::Unknown)),
        });
    }
    Ok(acc.unwrap_or_else(|| Type::list(Type::Unknown)))
}

fn concat_type(l1: &Type, l2: &Type) -> Type {
    let (Some(x), Some(y)) = (list_elem(l1), list_elem(l2)) else {
        return Type::list(Type::Unknown);
    };
    let elem = match (strip(&x), strip(&y)) {
        (Type::Record(fx), Type::Record(fy)) => {
            let same = fx
                .iter()
                .filter_map(|(k, tx)| fy.get(k).map(|ty| (tx, ty)))
                .all(|(tx, ty)| tx.without_value() == ty.without_value());
            if same {
                let mut fields = Type::empty_fields();
                for (k, t) in fx.iter().chain(fy.iter()) {
                    fields.insert(k.clone(), t.without_value());
                }
                Type::record(fields)
            } else {
                Type::Unknown
            }
        }
        (Type::Record(_), m) | (m, Type::Record(_)) if *m == unknown_map() => unknown_map(),
        _ if x.without_value() == y.without_value() => x.without_value(),
        _ if x.can_be_converted_to(&Type::number()) && y.can_be_converted_to(&Type::number()) => {
            Type::number()
        }
        _ => Type::Unknown,
    };
    Type::list(elem)
}

/// `VarargsMapMergeTyping`: folds the argument types pairwise.
fn t_merge(_: &Type, a: &[Type]) -> TR {
    let mut acc: Option<Type> = None;
    for t in a {
        acc = Some(match acc {
            None => t.clone(),
            Some(prev) if is_single(&prev) && is_single(t) => merge_type(&prev, t),
            Some(_) => return Ok(unknown_map()),
        });
    }
    Ok(acc.unwrap_or_else(unknown_map))
}

/// The class type under a record (`HashMap[String, supertype of fields]`) or a value.
fn runtime_class_type(t: &Type) -> Type {
    match strip(t) {
        Type::Record(_) => {
            let (k, v) = crate::methods::map::key_value_types(strip(t));
            Type::map(k, v)
        }
        other => other.clone(),
    }
}

fn merge_type(first: &Type, second: &Type) -> Type {
    match (strip(first), strip(second)) {
        (Type::Record(x), Type::Record(y)) => {
            let mut fields = (**x).clone();
            for (k, t) in y.iter() {
                fields.insert(k.clone(), t.clone());
            }
            match determine_with_generics(&runtime_class_type(first), &runtime_class_type(second)) {
                Type::Class(..) => Type::record(fields),
                _ => unknown_map(),
            }
        }
        _ => determine_with_generics(&runtime_class_type(first), &runtime_class_type(second)),
    }
}

/// `MapMergeTyping.determineTypeWithGenerics`.
fn determine_with_generics(a: &Type, b: &Type) -> Type {
    let (Type::Class(ca, pa), Type::Class(cb, pb)) = (a, b) else {
        return Type::Unknown;
    };
    let pa: Vec<Type> = pa.iter().map(|t| t.without_value()).collect();
    let pb: Vec<Type> = pb.iter().map(|t| t.without_value()).collect();
    let class_of = |t: &Type| matches!(t, Type::Class(..));
    let generics = match (pa.as_slice(), pb.as_slice()) {
        ([k1, v1, ..], [k2, v2, ..])
            if class_of(k1) && class_of(v1) && class_of(k2) && class_of(v2) =>
        {
            vec![
                determine_type(k1, k2, determine_generics(k1, k2)),
                determine_type(v1, v2, determine_generics(v1, v2)),
            ]
        }
        ([k1, ..], [k2, ..]) if class_of(k1) && class_of(k2) => {
            vec![determine_type(k1, k2, determine_generics(k1, k2))]
        }
        _ => Vec::new(),
    };
    let _ = (ca, cb);
    determine_type(a, b, generics)
}

fn determine_generics(a: &Type, b: &Type) -> Vec<Type> {
    let pa: Vec<Type> = a.params().iter().map(|t| t.without_value()).collect();
    let pb: Vec<Type> = b.params().iter().map(|t| t.without_value()).collect();
    if pa == pb {
        return pa;
    }
    if pa.len() != pb.len() {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(pa.len());
    for (x, y) in pa.iter().zip(pb.iter()) {
        if matches!(x, Type::Class(..)) && matches!(y, Type::Class(..)) {
            out.push(determine_with_generics(x, y));
        } else {
            return Vec::new();
        }
    }
    out
}

/// Number of type parameters of a class.
fn arity(c: Class) -> usize {
    match c {
        Class::Map => 2,
        Class::List | Class::Set | Class::Collection | Class::Array => 1,
        _ => 0,
    }
}

/// `MapMergeTyping.determineType`.
fn determine_type(a: &Type, b: &Type, generics: Vec<Type>) -> Type {
    let (Some(ca), Some(cb)) = (strip(a).base_class(), strip(b).base_class()) else {
        return Type::Unknown;
    };
    let target = if cb.is_subclass_of(ca) {
        ca
    } else if ca.is_subclass_of(cb) {
        cb
    } else {
        return Type::Unknown;
    };
    let mut params = generics;
    while params.len() < arity(target) {
        params.push(Type::Unknown);
    }
    params.truncate(arity(target));
    if params.is_empty() {
        Type::class(target)
    } else {
        Type::generic(target, params)
    }
}

const SORTED_ASC_BY_PARAMS: &str = "Collection[Map[String,Unknown]], String";

/// `RecordCollectionSortingTyping`: a list of records and a compile-time known field name of a
/// `Comparable` field.
fn t_sorted_asc_by(_: &Type, a: &[Type]) -> TR {
    let elem = list_elem(arg_type(a, 0));
    let field = arg_type(a, 1).known_str();
    let (Some(record @ Type::Record(fields)), Some(field)) = (elem.as_ref().map(strip), field)
    else {
        return Err(mismatch("sortedAscBy", a, SORTED_ASC_BY_PARAMS).into());
    };
    match fields.get(field).map(strip) {
        Some(Type::Class(c, _)) if c.is_comparable() => Ok(Type::list(record.without_value())),
        Some(t @ (Type::Class(..) | Type::Unknown)) => Err(format!(
            "Field: {field} of the type: {t} isn't comparable (doesn't implement the Comparable interface) and cannot be used for sorting purposes."
        ).into()),
        _ => Err(format!("Type: {record} doesn't contain field: {field}.").into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Runtime helpers

fn items(a: &[Value], i: usize) -> Result<&[Value], String> {
    match args::get(a, i)? {
        Value::List(l) => Ok(l.as_slice()),
        Value::Null => Err(format!(
            "Cannot invoke \"java.util.Collection.size()\" because argument {} is null",
            i + 1
        )),
        other => Err(format!(
            "class {} cannot be cast to class java.util.Collection",
            other.class().qualified_name()
        )),
    }
}

fn int_arg(a: &[Value], i: usize) -> Result<i32, String> {
    if args::get(a, i)?.is_null() {
        return Err("Cannot convert null to the primitive int".into());
    }
    args::int(a, i)
}

fn as_map(v: &Value) -> Result<&ValueMap, String> {
    match v {
        Value::Map(m) => Ok(m),
        Value::Null => {
            Err("Cannot invoke \"java.util.Map.get(Object)\" because the element is null".into())
        }
        other => Err(format!(
            "class {} cannot be cast to class java.util.Map",
            other.class().qualified_name()
        )),
    }
}

/// Does the value implement `Comparable`?
fn is_comparable(v: &Value) -> bool {
    match v {
        Value::Null | Value::List(_) | Value::Map(_) | Value::Helper(_) => false,
        Value::Obj(_) => v.class().is_comparable() && crate::time::compare_objs(v, v).is_some(),
        _ => true,
    }
}

fn check_comparable(list: &[Value]) -> Result<(), String> {
    match list.iter().find(|v| !is_comparable(v)) {
        Some(v) => Err(format!(
            "Provided value is not comparable: {}",
            v.to_java_string()
        )),
        None => Ok(()),
    }
}

/// Java `a.compareTo(b)` between two `Comparable`s: different classes are a
/// `ClassCastException`.
fn compare_to(a: &Value, b: &Value) -> Result<Ordering, String> {
    if a.class() != b.class() {
        return Err(format!(
            "class {} cannot be cast to class {}",
            b.class().qualified_name(),
            a.class().qualified_name()
        ));
    }
    if a.is_number() {
        return same_class_compare(a, b).ok_or_else(|| "cannot compare numbers".to_string());
    }
    crate::eval::java_compare(a, b).map_err(|e| e.to_string())
}

/// Stable merge sort with a fallible comparator.
fn merge_sort<T: Clone>(
    v: &[T],
    cmp: &mut dyn FnMut(&T, &T) -> Result<Ordering, String>,
) -> Result<Vec<T>, String> {
    if v.len() <= 1 {
        return Ok(v.to_vec());
    }
    let mid = v.len() / 2;
    let left = merge_sort(&v[..mid], cmp)?;
    let right = merge_sort(&v[mid..], cmp)?;
    let mut out = Vec::with_capacity(v.len());
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        if cmp(&right[j], &left[i])? == Ordering::Less {
            out.push(right[j].clone());
            j += 1;
        } else {
            out.push(left[i].clone());
            i += 1;
        }
    }
    out.extend_from_slice(&left[i..]);
    out.extend_from_slice(&right[j..]);
    Ok(out)
}

/// `Collections.min`/`max`.
fn min_max(a: &[Value], want_min: bool) -> R {
    let list = items(a, 0)?;
    check_comparable(list)?;
    let mut it = list.iter();
    let mut candidate = it
        .next()
        .ok_or_else(|| "java.util.NoSuchElementException".to_string())?;
    for next in it {
        let ord = compare_to(next, candidate)?;
        if (want_min && ord == Ordering::Less) || (!want_min && ord == Ordering::Greater) {
            candidate = next;
        }
    }
    Ok(candidate.clone())
}

fn sorted(a: &[Value], desc: bool) -> R {
    let list = items(a, 0)?;
    check_comparable(list)?;
    let mut out = merge_sort(list, &mut |x, y| compare_to(x, y))?;
    if desc {
        out.reverse();
    }
    Ok(Value::list(out))
}

fn sorted_asc_by(a: &[Value]) -> R {
    let list = items(a, 0)?;
    let field = match args::get(a, 1)? {
        Value::Null => return Err("Provided 'fieldName' cannot be null".into()),
        f => f.clone(),
    };
    // `sortWith(lt)`: nulls first; non-null values must be of one Comparable class.
    let lt = |x: &Value, y: &Value| -> Result<bool, String> {
        match (x.is_null(), y.is_null()) {
            (false, false) if x.class() == y.class() && is_comparable(x) => {
                Ok(compare_to(x, y)? == Ordering::Less)
            }
            (true, false) => Ok(true),
            (false, true) | (true, true) => Ok(false),
            _ => Err("Elements cannot be compared".into()),
        }
    };
    let mut cmp = |m1: &Value, m2: &Value| -> Result<Ordering, String> {
        let x = as_map(m1)?.get(&field).unwrap_or(&Value::Null);
        let y = as_map(m2)?.get(&field).unwrap_or(&Value::Null);
        Ok(if lt(x, y)? {
            Ordering::Less
        } else if lt(y, x)? {
            Ordering::Greater
        } else {
            Ordering::Equal
        })
    };
    Ok(Value::list(merge_sort(list, &mut cmp)?))
}

/// `CollectionUtils.sum`: promotes all element classes with `ForLargeNumbersOperation`.
fn sum(a: &[Value]) -> R {
    let list = items(a, 0)?;
    let Some(first) = list.first() else {
        return Ok(Value::Double(0.0));
    };
    let mut target = if first.is_number() {
        Promotion::Large.values(first, first)
    } else {
        Class::Object
    };
    for v in &list[1..] {
        target = if v.is_number() && target.is_number() {
            Promotion::Large.classes(target, v.class())
        } else {
            Class::Object
        };
    }
    let number_of = |v: &Value| -> Result<(), String> {
        if v.is_number() {
            Ok(())
        } else if v.is_null() {
            Err("Number must not be null".into())
        } else {
            Err(format!(
                "class {} cannot be cast to class java.lang.Number",
                v.class().qualified_name()
            ))
        }
    };
    match target {
        Class::Long => {
            let mut acc: i64 = 0;
            for v in list {
                number_of(v)?;
                acc = acc.wrapping_add(number::to_i64(v).unwrap_or(0));
            }
            Ok(Value::Long(acc))
        }
        Class::Double => {
            let mut acc: f64 = 0.0;
            for v in list {
                number_of(v)?;
                acc += number::to_f64(v).unwrap_or(0.0);
            }
            Ok(Value::Double(acc))
        }
        Class::BigInteger | Class::BigDecimal | Class::Number | Class::Object => {
            let class = if target == Class::BigInteger {
                Class::BigInteger
            } else {
                Class::BigDecimal
            };
            let mut acc: Option<Value> = None;
            for v in list {
                number_of(v)?;
                let c = number::convert(v, class)?;
                acc = Some(match acc {
                    None => c,
                    Some(prev) => number::arith(ArithOp::Add, &prev, &c)?,
                });
            }
            Ok(acc.unwrap_or(Value::Null))
        }
        other => Err(format!(
            "Unexpected result of number promotion: {}",
            other.simple_name()
        )
        .into()),
    }
}

/// Scala `==` on boxed values (`BoxesRunTime.equals`): boxed primitives (and chars) compare
/// numerically across classes, everything else with Java `equals`.
fn scala_eq(a: &Value, b: &Value) -> bool {
    fn code(v: &Value) -> Option<(u8, i64, f64)> {
        Some(match v {
            Value::Char(c) => (0, *c as i64, *c as u32 as f64),
            Value::Byte(x) => (1, *x as i64, *x as f64),
            Value::Short(x) => (2, *x as i64, *x as f64),
            Value::Int(x) => (3, *x as i64, *x as f64),
            Value::Long(x) => (4, *x, *x as f64),
            Value::Float(x) => (5, *x as i64, *x as f64),
            Value::Double(x) => (6, *x as i64, *x),
            _ => return None,
        })
    }
    match (code(a), code(b)) {
        (Some((ca, ia, fa)), Some((cb, ib, fb))) => match ca.max(cb) {
            0..=4 => ia == ib,
            5 => (fa as f32) == (fb as f32),
            _ => fa == fb,
        },
        _ => a == b,
    }
}

/// Counts one comparison of a quadratic loop: `diff` and `intersect` of two long lists
/// must stop at the deadline.
fn tick(env: &EvalEnv) -> Result<(), String> {
    env.budget.tick(1).map_err(|e| e.to_string())
}

/// `a.iter().any(pred)`, counting each comparison.
fn any_counted(
    a: &[Value],
    env: &EvalEnv,
    mut pred: impl FnMut(&Value) -> bool,
) -> Result<bool, String> {
    for v in a {
        tick(env)?;
        if pred(v) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Scala `list.toSet`: first occurrences under Scala equality, in the Set's iteration order.
fn scala_set(list: &[Value], env: &EvalEnv) -> Result<Vec<Value>, String> {
    let mut uniq: Vec<Value> = Vec::new();
    for v in list {
        if !any_counted(&uniq, env, |u| scala_eq(u, v))? {
            uniq.push(v.clone());
        }
    }
    let hashes: Vec<i32> = uniq.iter().map(scala_hash).collect();
    Ok(super::conv::scala_map_order(&hashes)
        .into_iter()
        .filter_map(|i| uniq.get(i).cloned())
        .collect())
}

fn intersect(a: &[Value], env: &EvalEnv) -> R {
    let l1 = items(a, 0)?;
    let l2 = items(a, 1)?;
    let mut out = Vec::new();
    for v in scala_set(l1, env)? {
        if any_counted(l2, env, |w| scala_eq(&v, w))? {
            out.push(v);
        }
    }
    Ok(Value::list(out))
}

fn diff(a: &[Value], env: &EvalEnv) -> R {
    let l1 = items(a, 0)?;
    let l2 = items(a, 1)?;
    let mut out = Vec::new();
    for v in l1 {
        if !any_counted(l2, env, |w| scala_eq(v, w))? {
            out.push(v.clone());
        }
    }
    Ok(Value::list(out))
}

fn distinct(a: &[Value]) -> R {
    let list = items(a, 0)?;
    let mut seen = indexmap::IndexSet::<&Value, ahash::RandomState>::default();
    for v in list {
        seen.insert(v);
    }
    Ok(Value::list(seen.into_iter().cloned().collect()))
}

fn product(a: &[Value], env: &EvalEnv) -> R {
    let l1 = items(a, 0)?;
    let l2 = items(a, 1)?;
    // The result's length is known before anything is built (issue #9: two lists of 100,000
    // asked for 240 GB).
    env.budget
        .reserve_collection(l1.len().saturating_mul(l2.len()))?;
    let mut out = Vec::with_capacity(l1.len() * l2.len());
    for m1 in l1 {
        let m1 = as_map(m1)?;
        for m2 in l2 {
            let m2 = as_map(m2)?;
            let mut m = m1.clone();
            for (k, v) in m2.iter() {
                m.insert(k.clone(), v.clone());
            }
            let m = Value::map(m);
            env.budget.admit(&m)?;
            out.push(m);
        }
    }
    Ok(Value::list(out))
}

/// Checks that lists of these lengths may be concatenated, before building the result.
fn reserve_total<'v>(lists: impl Iterator<Item = &'v Value>, env: &EvalEnv) -> Result<(), String> {
    let total = lists
        .map(|l| match l {
            Value::List(l) => l.len(),
            _ => 0,
        })
        .fold(0usize, usize::saturating_add);
    env.budget
        .reserve_collection(total)
        .map_err(|e| e.to_string())
}

fn flatten(a: &[Value], env: &EvalEnv) -> R {
    let list = items(a, 0)?;
    reserve_total(list.iter(), env)?;
    let mut out = Vec::new();
    for inner in list {
        match inner {
            Value::List(l) => out.extend(l.iter().cloned()),
            Value::Null => return Err("Cannot iterate over a null element".into()),
            other => {
                return Err(format!(
                    "class {} cannot be cast to class java.util.Collection",
                    other.class().qualified_name()
                )
                .into())
            }
        }
    }
    Ok(Value::list(out))
}

fn concat(_: &Value, a: &[Value], env: &EvalEnv) -> R {
    reserve_total(a.iter(), env)?;
    let mut out = Vec::new();
    for i in 0..a.len() {
        out.extend(items(a, i)?.iter().cloned());
    }
    Ok(Value::list(out))
}

fn merge(_: &Value, a: &[Value], _: &EvalEnv) -> R {
    // LinkedHashMap.putAll: later values win, first insertion positions are kept.
    let mut out = Value::new_map();
    for i in 0..a.len() {
        let m = match args::get(a, i)? {
            Value::Map(m) => m,
            Value::Null => {
                return Err("Cannot invoke \"java.util.Map.size()\" because the map is null".into())
            }
            other => {
                return Err(format!(
                    "class {} cannot be cast to class java.util.Map",
                    other.class().qualified_name()
                )
                .into())
            }
        };
        for (k, v) in m.iter() {
            out.insert(k.clone(), v.clone());
        }
    }
    Ok(Value::map(out))
}

fn slice(a: &[Value]) -> R {
    let list = items(a, 0)?;
    let len = list.len() as i64;
    let lo = (int_arg(a, 1)? as i64).clamp(0, len) as usize;
    let hi = (int_arg(a, 2)? as i64).clamp(0, len) as usize;
    Ok(Value::list(if hi <= lo {
        Vec::new()
    } else {
        list[lo..hi].to_vec()
    }))
}

fn take(a: &[Value], last: bool) -> R {
    let list = items(a, 0)?;
    let n = (int_arg(a, 1)?.max(0) as usize).min(list.len());
    Ok(Value::list(if last {
        list[list.len() - n..].to_vec()
    } else {
        list[..n].to_vec()
    }))
}

fn join(a: &[Value], env: &EvalEnv) -> R {
    let list = items(a, 0)?;
    let sep =
        match args::get(a, 1)? {
            Value::Null => return Err(
                "Cannot invoke \"java.lang.CharSequence.toString()\" because \"delimiter\" is null"
                    .into(),
            ),
            _ => args::str(a, 1)?,
        };
    crate::methods::string::join_checked(list, sep, env)
}

fn shuffle(a: &[Value]) -> R {
    let mut out = items(a, 0)?.to_vec();
    out.shuffle(&mut rand::rng());
    Ok(Value::list(out))
}

// `sum`, `sortedAscBy`, `product` and `flatten` declare `P::Any` where the reference declares a
// parameterised collection (`Collection[Number]`, ...): `P` cannot express those, so the typing
// functions check the argument and report the reference's "Mismatch parameter types" text.
pub static METHODS: &[MethodDef] = &[
    MethodDef {
        name: "concat",
        params: &[P::List],
        varargs: Some(P::List),
        ret: Ret::Fn(t_concat),
        call: concat,
        applies: None,
        prepare: None,
    },
    MethodDef {
        name: "merge",
        params: &[P::Map],
        varargs: Some(P::Map),
        ret: Ret::Fn(t_merge),
        call: merge,
        applies: None,
        prepare: None,
    },
    mf!(
        "min",
        [P::Collection],
        |_, a| t_min_max("min", a),
        |_, a, _| min_max(a, true)
    ),
    mf!(
        "max",
        [P::Collection],
        |_, a| t_min_max("max", a),
        |_, a, _| min_max(a, false)
    ),
    mf!(
        "slice",
        [P::Collection, P::Int, P::Int],
        t_list,
        |_, a, _| slice(a)
    ),
    mf!("sum", [P::Any], t_sum, |_, a, _| sum(a)),
    mf!("sortedAsc", [P::Collection], t_list, |_, a, _| sorted(
        a, false
    )),
    mf!("sortedDesc", [P::Collection], t_list, |_, a, _| sorted(
        a, true
    )),
    mf!(
        "sortedAscBy",
        [P::Any, P::Str],
        t_sorted_asc_by,
        |_, a, _| sorted_asc_by(a)
    ),
    mf!("reverse", [P::List], t_list, |_, a, _| {
        let mut out = items(a, 0)?.to_vec();
        out.reverse();
        Ok(Value::list(out))
    }),
    mf!("take", [P::List, P::Int], t_list, |_, a, _| take(a, false)),
    mf!("takeLast", [P::List, P::Int], t_list, |_, a, _| take(
        a, true
    )),
    m!("join", [P::List, P::Str], P::Str, |_, a, env| join(a, env)),
    mf!("product", [P::Any, P::Any], t_product, |_, a, env| product(
        a, env
    )),
    mf!("diff", [P::List, P::List], t_list, |_, a, env| diff(a, env)),
    mf!("intersect", [P::List, P::List], t_list, |_, a, env| {
        intersect(a, env)
    }),
    mf!("distinct", [P::List], t_list, |_, a, _| distinct(a)),
    mf!("shuffle", [P::Collection], t_list, |_, a, _| shuffle(a)),
    mf!("flatten", [P::Any], t_flatten, |_, a, env| flatten(a, env)),
];

#[cfg(test)]
mod tests {
    use crate::{compile, parse_type, CompileOptions, EvalEnv, Scope, Value};

    fn scope(vars: &[(&str, &str)]) -> Scope {
        let mut s = Scope::with_helpers();
        for (n, t) in vars {
            s.declare(n, parse_type(t).expect("type"));
        }
        s
    }

    fn typed(src: &str) -> String {
        compile(src, &scope(&[]), &CompileOptions::default())
            .expect(src)
            .static_type()
            .to_string()
    }

    fn eval(src: &str) -> Value {
        compile(src, &scope(&[]), &CompileOptions::default())
            .expect(src)
            .eval(&[], &EvalEnv::default())
            .expect(src)
    }

    fn java(src: &str) -> String {
        eval(src).to_java_string()
    }

    fn compile_error(src: &str) -> String {
        match compile(src, &scope(&[]), &CompileOptions::default()) {
            Ok(_) => panic!("{src} compiled"),
            Err(e) => e.to_string(),
        }
    }

    fn runtime_error(src: &str, vars: &[(&str, &str)], values: &[Value]) -> String {
        let e = compile(src, &scope(vars), &CompileOptions::default()).expect(src);
        match e.eval(values, &EvalEnv::default()) {
            Ok(v) => panic!("{src} gave {v:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn concat_types() {
        assert_eq!(typed("#COLLECTION.concat({1}, {2})"), "List[Integer]");
        assert_eq!(typed("#COLLECTION.concat({1}, {2.1})"), "List[Number]");
        assert_eq!(typed("#COLLECTION.concat({1.0}, {2.1})"), "List[Double]");
        assert_eq!(
            typed("#COLLECTION.concat({1}, {'a'}, {true})"),
            "List[Unknown]"
        );
        assert_eq!(typed("#COLLECTION.concat({{:}}, {{:}})"), "List[Record{}]");
        assert_eq!(
            typed("#COLLECTION.concat({{key: 1}}, {{key: 2}}, {{key: 3}})"),
            "List[Record{key: Integer}]"
        );
        assert_eq!(
            typed("#COLLECTION.concat({{key: 1}}, {{key: 2}}, {{key: 'a'}})"),
            "List[Unknown]"
        );
        assert_eq!(
            typed("#COLLECTION.concat({{key1: 1}}, {{key2: 'a'}})"),
            "List[Record{key1: Integer, key2: String}]"
        );
        assert_eq!(
            java("#COLLECTION.concat({1,2,3},{2,3,4},{5,6})"),
            "[1, 2, 3, 2, 3, 4, 5, 6]"
        );
    }

    #[test]
    fn concat_with_maps() {
        let s = scope(&[("unknownMap", "Map[Unknown,Unknown]")]);
        let t = |src: &str| {
            compile(src, &s, &CompileOptions::default())
                .expect(src)
                .static_type()
                .to_string()
        };
        assert_eq!(
            t("#COLLECTION.concat({#unknownMap},{#unknownMap},{#unknownMap})"),
            "List[Map[Unknown,Unknown]]"
        );
        assert_eq!(
            t("#COLLECTION.concat({{key:1}},{#unknownMap})"),
            "List[Map[Unknown,Unknown]]"
        );
    }

    #[test]
    fn merge_values_and_types() {
        assert_eq!(
            java("#COLLECTION.merge({a: 1, c: 1}, {a: 2, b: 2}, {b: 3, d: 3})"),
            "{a=2, c=1, b=3, d=3}"
        );
        assert_eq!(
            java("#COLLECTION.merge({a: {x: 1}}, {a: {y: 1}})"),
            "{a={y=1}}"
        );
        assert_eq!(
            typed("#COLLECTION.merge({a:4,c:2,b:3,d:1},{f:'rr',e:'5'})"),
            "Record{a: Integer(4), b: Integer(3), c: Integer(2), d: Integer(1), e: String(5), f: String(rr)}"
        );
        assert_eq!(
            typed("#COLLECTION.merge({a:4,b:3},{a:'5'})"),
            "Record{a: String(5), b: Integer(3)}"
        );
        assert_eq!(
            typed("#COLLECTION.merge({a: 100}, {b: 200}).![#this]"),
            "List[Record{key: String, value: Integer}]"
        );
        let s = scope(&[
            ("unknownMap", "Map[Unknown,Unknown]"),
            ("stringMap", "Map[String,Unknown]"),
        ]);
        let t = |src: &str| {
            compile(src, &s, &CompileOptions::default())
                .expect(src)
                .static_type()
                .to_string()
        };
        assert_eq!(
            t("#COLLECTION.merge(#unknownMap,{a:'5'})"),
            "Map[Unknown,Unknown]"
        );
        assert_eq!(
            t("#COLLECTION.merge({a:'5'},#unknownMap)"),
            "Map[Unknown,Unknown]"
        );
        assert_eq!(
            t("#COLLECTION.merge(#stringMap,{a:'5'})"),
            "Map[String,Unknown]"
        );
    }

    #[test]
    fn min_max_and_sorting() {
        assert_eq!(
            eval("#COLLECTION.min({1.0, -2.2, 3.0})"),
            Value::Double(-2.2)
        );
        assert_eq!(typed("#COLLECTION.min({1.0, -2.2, 3.0})"), "Double");
        assert_eq!(typed("#COLLECTION.max({'a', 'b'})"), "String");
        assert_eq!(java("#COLLECTION.sortedDesc({4, 2, 1, 9})"), "[9, 4, 2, 1]");
        assert!(compile_error("#COLLECTION.min({{a: 1}})").contains("Comparable"));
        let list = Value::list(vec![Value::str("a"), Value::Int(1)]);
        for f in ["min", "max", "sortedAsc", "sortedDesc"] {
            let err = runtime_error(
                &format!("#COLLECTION.{f}(#list)"),
                &[("list", "List[Unknown]")],
                std::slice::from_ref(&list),
            );
            assert!(err.contains("cannot be cast to class"), "{f}: {err}");
        }
        let maps = Value::list(vec![Value::list(vec![])]);
        let err = runtime_error(
            "#COLLECTION.sortedAsc(#list)",
            &[("list", "List[Unknown]")],
            &[maps],
        );
        assert!(err.contains("Provided value is not comparable"), "{err}");
    }

    #[test]
    fn sorted_asc_by() {
        assert_eq!(
            java("#COLLECTION.sortedAscBy({{k: 'v2'}, {k: 'v1'}}, 'k')"),
            "[{k=v1}, {k=v2}]"
        );
        assert_eq!(
            typed("#COLLECTION.sortedAscBy({{k: 'v2'}, {k: 'v1'}}, 'k')"),
            "List[Record{k: String}]"
        );
        assert!(
            compile_error("#COLLECTION.sortedAscBy({{a: 'a'}, {a: 'b'}}, 'missing_field')")
                .contains("Type: Record{a: String} doesn't contain field: missing_field.")
        );
        assert!(
            compile_error("#COLLECTION.sortedAscBy({{a: {1}}, {a: {2}}}, 'a')")
                .contains("Field: a of the type: List[Integer] isn't comparable")
        );
        assert!(
            compile_error("#COLLECTION.sortedAscBy({{k: 'a'}, {k: 'b'}}, null)")
                .contains("Mismatch parameter types. Found: sortedAscBy(List[Record{k: String}]")
        );
        let list = Value::list(
            ["v3", "", "v1"]
                .iter()
                .map(|v| {
                    let mut m = Value::new_map();
                    m.insert(
                        Value::str("k"),
                        if v.is_empty() {
                            Value::Null
                        } else {
                            Value::str(v)
                        },
                    );
                    Value::map(m)
                })
                .collect(),
        );
        let e = compile(
            "#COLLECTION.sortedAscBy(#list, 'k')",
            &scope(&[("list", "List[Record{k: String}]")]),
            &CompileOptions::default(),
        )
        .expect("compiles");
        assert_eq!(
            e.eval(&[list], &EvalEnv::default())
                .expect("sorts")
                .to_java_string(),
            "[{k=null}, {k=v1}, {k=v3}]"
        );
    }

    #[test]
    fn sum_types_and_values() {
        assert_eq!(eval("#COLLECTION.sum({})"), Value::Double(0.0));
        assert_eq!(typed("#COLLECTION.sum({})"), "Unknown");
        assert_eq!(eval("#COLLECTION.sum({1, 2})"), Value::Long(3));
        assert_eq!(typed("#COLLECTION.sum({1, 2})"), "Long");
        assert_eq!(eval("#COLLECTION.sum({1, 2.5})"), Value::Double(3.5));
        assert_eq!(typed("#COLLECTION.sum({1, 2L})"), "Number");
        assert!(compile_error("#COLLECTION.sum({'a'})").contains(
            "Mismatch parameter types. Found: sum(List[String]({a})). Required: sum(Collection[Number])"
        ));
        let s = scope(&[("b", "BigDecimal"), ("i", "BigInteger")]);
        let e =
            compile("#COLLECTION.sum({#i, #i})", &s, &CompileOptions::default()).expect("compiles");
        assert_eq!(e.static_type().to_string(), "BigInteger");
        let one = Value::big_int(1.into());
        assert_eq!(
            e.eval(&[Value::Null, one], &EvalEnv::default())
                .expect("sums")
                .to_java_string(),
            "2"
        );
    }

    #[test]
    fn list_functions() {
        assert_eq!(java("#COLLECTION.slice({1, 2, 3}, 0, 2)"), "[1, 2]");
        assert_eq!(java("#COLLECTION.slice({1, 2, 3}, 2, 0)"), "[]");
        assert_eq!(java("#COLLECTION.slice({1, 2, 3}, -2, 1)"), "[1]");
        assert_eq!(
            typed("#COLLECTION.slice({{a: 1}}, -2, 1)"),
            "List[Record{a: Integer}]"
        );
        assert_eq!(java("#COLLECTION.take({1, 2, 3}, -1)"), "[]");
        assert_eq!(java("#COLLECTION.takeLast({1, 2, 3}, 2)"), "[2, 3]");
        assert_eq!(java("#COLLECTION.join({1, 2, 3}, '')"), "123");
        assert_eq!(java("#COLLECTION.join({'a', null}, '-')"), "a-null");
        assert_eq!(java("#COLLECTION.reverse({'k1', 'k2'})"), "[k2, k1]");
        assert_eq!(java("#COLLECTION.diff({'1','2','3'},{'2','3','4'})"), "[1]");
        assert_eq!(
            typed("#COLLECTION.diff({1,2,3},{'2','3','4'})"),
            "List[Integer]"
        );
        assert_eq!(
            java("#COLLECTION.intersect({'1','2','3'},{'2','3','4'})"),
            "[2, 3]"
        );
        assert_eq!(
            java("#COLLECTION.intersect({1,2,3,4,5},{5,4,3,2,1})"),
            "[5, 1, 2, 3, 4]"
        );
        assert_eq!(
            java("#COLLECTION.distinct({'1','5','4','6','5','6','2','2','3'})"),
            "[1, 5, 4, 6, 2, 3]"
        );
        assert_eq!(typed("#COLLECTION.shuffle({1,2,3})"), "List[Integer]");
        assert_eq!(eval("#COLLECTION.shuffle({1,2,3}).size()"), Value::Int(3));
        assert_eq!(
            java("#COLLECTION.flatten({{'1'},{'2', '3'},{'3'}})"),
            "[1, 2, 3, 3]"
        );
        assert_eq!(
            typed("#COLLECTION.flatten({{'1'},{'2', '3'}})"),
            "List[String]"
        );
        assert_eq!(
            typed("#COLLECTION.flatten({{{a:1},{b:2}},{{c:3},{d:4}}})"),
            "List[Record{a: Integer, b: Integer, c: Integer, d: Integer}]"
        );
        assert_eq!(
            java("#COLLECTION.product({{a: 'a'},{b: 'b'}}, {{c: 'c'},{d: 'd'}})"),
            "[{a=a, c=c}, {a=a, d=d}, {b=b, c=c}, {b=b, d=d}]"
        );
        assert_eq!(
            typed("#COLLECTION.product({{a: 'a'}}, {{c: 'c'}})"),
            "List[Map[Unknown,Unknown]]"
        );
    }
}
