//! Relations between types: assignability (§15.2), comparability for `==` (§15.3), the loose
//! common supertype (§15.4) and numeric promotion (§8.1).

use super::{Class, Type};

/// §15.2: can a value of type `a` be passed where `b` is expected?
pub(crate) fn assignable(a: &Type, b: &Type, loose: bool) -> bool {
    match (a, b) {
        (Type::Unknown, _) | (_, Type::Unknown) => true,
        (Type::Null, Type::Const(_)) => false,
        (Type::Null, _) => true,
        (_, Type::Null) => false,
        (Type::Union(members), _) => members.iter().any(|m| assignable(m, b, loose)),
        (_, Type::Union(members)) => members.iter().any(|m| assignable(a, m, loose)),
        (Type::Const(ca), Type::Const(cb)) => ca.1 == cb.1 && assignable(&ca.0, &cb.0, loose),
        (_, Type::Const(_)) => false,
        (Type::Const(c), _) => {
            if loose {
                if let (Some(s), Some(target)) = (c.1.as_str(), b.base_class()) {
                    if crate::value::convert::string_literal_converts_to(s, target) {
                        return true;
                    }
                }
            }
            assignable(&c.0, b, loose)
        }
        (Type::Record(fa), Type::Record(fb)) => fb
            .iter()
            .all(|(name, tb)| fa.get(name).is_some_and(|ta| assignable(ta, tb, loose))),
        (Type::Record(fa), Type::Class(..)) => {
            let values = fa
                .values()
                .cloned()
                .reduce(|x, y| common_supertype(&x, &y))
                .unwrap_or(Type::Unknown);
            assignable(&Type::map(Type::string(), values), b, loose)
        }
        (Type::Class(..), Type::Record(_)) => false,
        (Type::Class(ca, pa), Type::Class(cb, pb)) => {
            let list_like = |c: Class| c == Class::Array || c.is_subclass_of(Class::Collection);
            let sub = ca.is_subclass_of(*cb) || (*ca == Class::Array && list_like(*cb));
            if sub {
                if pb.is_empty() || pa.is_empty() {
                    return true;
                }
                if *cb == Class::Map {
                    let ka = pa.first().cloned().unwrap_or(Type::Unknown);
                    let kb = pb.first().cloned().unwrap_or(Type::Unknown);
                    let va = pa.get(1).cloned().unwrap_or(Type::Unknown);
                    let vb = pb.get(1).cloned().unwrap_or(Type::Unknown);
                    return assignable(&ka, &kb, false)
                        && assignable(&kb, &ka, false)
                        && assignable(&va, &vb, loose);
                }
                if list_like(*cb) {
                    return assignable(&pa[0], &pb[0], loose);
                }
                // Other generics: lenient in either direction.
                return pa
                    .iter()
                    .zip(pb.iter())
                    .all(|(x, y)| assignable(x, y, loose) || assignable(y, x, loose));
            }
            loose && loose_conversion(*ca, *cb)
        }
    }
}

/// The loose number conversions of `TypeConversionHandler`.
fn loose_conversion(from: Class, to: Class) -> bool {
    if from.is_number() && matches!(to, Class::Float | Class::Double | Class::BigDecimal) {
        return true;
    }
    (from.is_integral() || from == Class::BigDecimal) && to.is_integral()
}

/// §15.4: the loose common supertype used by ternaries, inline lists and unions of branches.
pub fn common_supertype(a: &Type, b: &Type) -> Type {
    if a == b {
        return a.clone();
    }
    match (a, b) {
        (Type::Unknown, _) | (_, Type::Unknown) => Type::Unknown,
        (Type::Null, t) | (t, Type::Null) => t.without_value(),
        (Type::Const(ca), Type::Const(cb)) => common_supertype(&ca.0, &cb.0),
        (Type::Const(c), t) | (t, Type::Const(c)) => common_supertype(&c.0, t),
        (Type::Union(_), _) | (_, Type::Union(_)) => {
            Type::union([a.without_value(), b.without_value()])
        }
        (Type::Record(fa), Type::Record(fb)) => {
            let mut fields = Type::empty_fields();
            for (k, ta) in fa.iter() {
                match fb.get(k) {
                    Some(tb) => {
                        fields.insert(k.clone(), common_supertype(ta, tb));
                    }
                    None => {
                        fields.insert(k.clone(), ta.without_value());
                    }
                }
            }
            for (k, tb) in fb.iter() {
                if !fa.contains_key(k) {
                    fields.insert(k.clone(), tb.without_value());
                }
            }
            Type::record(fields)
        }
        (Type::Record(_), Type::Class(c, _)) | (Type::Class(c, _), Type::Record(_)) => {
            if *c == Class::Map {
                Type::map(Type::Unknown, Type::Unknown)
            } else {
                Type::Unknown
            }
        }
        (Type::Class(ca, pa), Type::Class(cb, pb)) => {
            if ca == cb {
                let params: Vec<Type> = pa
                    .iter()
                    .zip(pb.iter())
                    .map(|(x, y)| common_supertype(x, y))
                    .collect();
                return Type::generic(*ca, params);
            }
            if ca.is_number() && cb.is_number() {
                return Type::number();
            }
            if ca.is_subclass_of(*cb) {
                return Type::Class(*cb, pb.clone());
            }
            if cb.is_subclass_of(*ca) {
                return Type::Class(*ca, pa.clone());
            }
            let anc_b = cb.ancestors();
            match ca
                .ancestors()
                .into_iter()
                .find(|c| *c != Class::Object && anc_b.contains(c))
            {
                Some(c) => Type::class(c),
                None => Type::Unknown,
            }
        }
    }
}

/// §15.3: may `a == b` be written? (an "intersection" common supertype exists)
pub fn comparable(a: &Type, b: &Type) -> bool {
    match (a, b) {
        (Type::Unknown, _) | (_, Type::Unknown) | (Type::Null, _) | (_, Type::Null) => true,
        (Type::Const(c), t) | (t, Type::Const(c)) => comparable(&c.0, t),
        (Type::Union(m), t) | (t, Type::Union(m)) => m.iter().any(|x| comparable(x, t)),
        (Type::Record(_), Type::Record(_)) => true,
        (Type::Record(_), t) | (t, Type::Record(_)) => t
            .base_class()
            .is_some_and(|c| Class::Map.is_subclass_of(c) && c != Class::Object),
        (Type::Class(ca, pa), Type::Class(cb, pb)) => {
            let related = ca.is_subclass_of(*cb) || cb.is_subclass_of(*ca);
            if related {
                return pa.iter().zip(pb.iter()).all(|(x, y)| comparable(x, y));
            }
            let anc_b = cb.ancestors();
            ca.ancestors()
                .iter()
                .any(|c| *c != Class::Object && anc_b.contains(c))
        }
    }
}

/// Numeric promotion strategies of `NumberTypesPromotionStrategy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberPromotion {
    /// Operators and `#NUMERIC.sum/minus/...`: Byte/Short widen to Integer.
    Math,
    /// `#NUMERIC.min/max`: the widest of the two.
    MinMax,
    /// `#NUMERIC.largeSum`, `#COLLECTION.sum`: integers to Long, Float to Double.
    Large,
}

impl NumberPromotion {
    /// The promoted class of two number classes (`Number` when one is not a concrete class).
    pub fn promote(self, a: Class, b: Class) -> Class {
        use Class::*;
        let rank = |c: Class| match c {
            BigDecimal => 6,
            Double => 5,
            Float => 4,
            BigInteger => 3,
            Long => 2,
            Integer | Short | Byte => 1,
            _ => 0,
        };
        if rank(a) == 0 || rank(b) == 0 {
            return Number;
        }
        let top = if rank(a) >= rank(b) { a } else { b };
        match (self, top) {
            (NumberPromotion::MinMax, _) if a == b => a,
            // The widest of the two: Byte < Short < Integer.
            (NumberPromotion::MinMax, Short | Byte) => {
                if a == Short || b == Short {
                    Short
                } else {
                    Byte
                }
            }
            (NumberPromotion::Math, Short | Byte) => Integer,
            (NumberPromotion::Large, Short | Byte | Integer | Long) => Long,
            (NumberPromotion::Large, Float) => Double,
            (_, c) => c,
        }
    }

    /// Promotion of one class on its own (unary use).
    pub fn single(self, a: Class) -> Class {
        self.promote(a, a)
    }
}
