use std::sync::Arc;

use crate::methods::{MethodDef, Prepared, PreparedCallFn};
use crate::parser::SelectKind;
use crate::types::Class;
use crate::value::number::ArithOp;
use crate::value::Value;

/// Which method a call runs.
#[derive(Debug, Clone)]
pub(crate) enum Callee {
    /// Resolved at compile time to one overload.
    One(&'static MethodDef),
    /// Several overloads matched the static types: the first that fits the runtime values runs.
    Many(Arc<[&'static MethodDef]>),
    /// The receiver is a union or Unknown: looked up on the runtime class.
    Dynamic(Arc<str>),
}

/// A call whose method precomputed state from its constant arguments at compile time
/// (`MethodDef::prepare`): it runs `call` with `state`.
#[derive(Clone)]
pub(crate) struct PreparedCall {
    pub call: PreparedCallFn,
    pub state: Prepared,
}

/// A call resolved at compile time to one overload, every argument a constant and no record key
/// to try first: the shape nearly every call in a scenario has (`#input.substring(0, 3)`,
/// `#s.startsWith('x')`). The evaluator goes straight to the method (`eval::call_const`), with
/// none of the alternatives a general `Call` tests on every evaluation.
#[derive(Debug, Clone)]
pub(crate) struct ConstCall {
    pub target: Node,
    /// The overload (its `call`, and its name for the null-receiver error).
    pub method: &'static MethodDef,
    pub args: Box<[Value]>,
    /// The method's compile-time state, which runs instead of `method.call` when present.
    pub prepared: Option<PreparedCall>,
    pub safe: bool,
}

impl std::fmt::Debug for PreparedCall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("PreparedCall").field(&self.state).finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CmpOp {
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone)]
pub(crate) enum TplNode {
    Text(Arc<str>),
    Expr(Node),
}

/// The compiled form of an expression: typed, resolved and constant-folded.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    Const(Value),
    Var(u32),
    This,
    /// `map.get(key)`, `null` when absent. `hint` is the key's position in the declared record
    /// type: typed decoding lays records out in that order, so the entry there is tried first.
    Field {
        target: Box<Node>,
        key: Value,
        hint: usize,
        safe: bool,
    },
    /// `#var.key`: a field of a variable, fused so the evaluator visits one node.
    VarField {
        slot: u32,
        key: Value,
        hint: usize,
        safe: bool,
    },
    /// A comparison with a constant right operand.
    CmpConst(CmpOp, Box<Node>, Value),
    /// `==`/`!=` with a constant right operand.
    EqConst {
        negate: bool,
        left: Box<Node>,
        right: Value,
    },
    /// A property on a union or Unknown receiver: map key, else a no-arg method by name.
    DynProp {
        target: Box<Node>,
        name: Arc<str>,
        safe: bool,
    },
    /// A method call. `key_first` is set for no-arg methods used as properties of records: a
    /// map entry with that key wins (record keys shadow Map methods).
    /// `const_args` holds the argument values when every argument is a constant, so the call
    /// passes them without building a vector. `prepared` is set when the method precomputed
    /// state from constant arguments at compile time (a compiled regex), and runs instead.
    Call {
        target: Box<Node>,
        callee: Callee,
        args: Box<[Node]>,
        const_args: Option<Box<[Value]>>,
        prepared: Option<Box<PreparedCall>>,
        safe: bool,
        key_first: Option<Value>,
    },
    /// See [`ConstCall`]; never built with a `key_first`.
    CallConst(Box<ConstCall>),
    Index {
        target: Box<Node>,
        index: Box<Node>,
        safe: bool,
    },
    Select {
        target: Box<Node>,
        kind: SelectKind,
        pred: Box<Node>,
        safe: bool,
    },
    Project {
        target: Box<Node>,
        expr: Box<Node>,
        safe: bool,
    },
    List(Box<[Node]>),
    Map(Box<[(Value, Node)]>),
    Neg(Box<Node>),
    Plus(Box<Node>),
    Not(Box<Node>),
    Arith(ArithOp, Box<Node>, Box<Node>),
    /// `+`: numbers add, anything with a String concatenates.
    Add(Box<Node>, Box<Node>),
    Pow(Box<Node>, Box<Node>),
    Cmp(CmpOp, Box<Node>, Box<Node>),
    Eq {
        negate: bool,
        left: Box<Node>,
        right: Box<Node>,
    },
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Ternary(Box<Node>, Box<Node>, Box<Node>),
    Elvis(Box<Node>, Box<Node>),
    /// Whole-string regex match; the regex is compiled ahead when it is a literal.
    Matches {
        text: Box<Node>,
        regex: Result<Arc<regex::Regex>, Box<Node>>,
    },
    Between(Box<Node>, Box<Node>),
    InstanceOf(Box<Node>, Class),
    Template(Box<[TplNode]>),
    /// Loose conversion to a class (method arguments, the expected type).
    Convert(Box<Node>, Class),
}

impl Node {
    /// A method call node.
    pub(crate) fn call(
        target: Node,
        callee: Callee,
        args: Vec<Node>,
        safe: bool,
        key_first: Option<Value>,
    ) -> Node {
        Node::prepared_call(target, callee, args, None, safe, key_first)
    }

    /// A method call node with the state its method prepared at compile time.
    pub(crate) fn prepared_call(
        target: Node,
        callee: Callee,
        args: Vec<Node>,
        prepared: Option<PreparedCall>,
        safe: bool,
        key_first: Option<Value>,
    ) -> Node {
        let const_args = args
            .iter()
            .map(|a| match a {
                Node::Const(v) => Some(v.clone()),
                _ => None,
            })
            .collect::<Option<Vec<Value>>>()
            .map(Vec::into_boxed_slice);
        // Decided here, once: a call with one overload and constant arguments needs none of the
        // general node's run-time choices (overload, argument vector, record key).
        let const_args = match (const_args, &callee, &key_first) {
            (Some(args), Callee::One(method), None) => {
                return Node::CallConst(Box::new(ConstCall {
                    target,
                    method,
                    args,
                    prepared,
                    safe,
                }))
            }
            (other, _, _) => other,
        };
        Node::Call {
            target: Box::new(target),
            callee,
            args: args.into_boxed_slice(),
            const_args,
            prepared: prepared.map(Box::new),
            safe,
            key_first,
        }
    }

    /// Fuses common shapes into single nodes (fewer visits per evaluation).
    pub(crate) fn peephole(self) -> Node {
        match self {
            Node::Field {
                target,
                key,
                hint,
                safe,
            } => match *target {
                Node::Var(slot) => Node::VarField {
                    slot,
                    key,
                    hint,
                    safe,
                },
                other => Node::Field {
                    target: Box::new(other),
                    key,
                    hint,
                    safe,
                },
            },
            Node::Cmp(op, left, right) => match *right {
                Node::Const(v) => Node::CmpConst(op, left, v),
                other => Node::Cmp(op, left, Box::new(other)),
            },
            Node::Eq {
                negate,
                left,
                right,
            } => match *right {
                Node::Const(v) => Node::EqConst {
                    negate,
                    left,
                    right: v,
                },
                other => Node::Eq {
                    negate,
                    left,
                    right: Box::new(other),
                },
            },
            other => other,
        }
    }

    /// Levels of the tree (a leaf is 1): how deep evaluating it recurses. Compile time only
    /// (it recurses itself, on a stack that grows on demand).
    pub(crate) fn depth(&self) -> u32 {
        stacker::maybe_grow(
            crate::parser::STACK_RED_ZONE,
            crate::parser::STACK_GROWTH,
            || self.max_child_depth().saturating_add(1),
        )
    }

    fn max_child_depth(&self) -> u32 {
        let d = |n: &Node| n.depth();
        let all = |ns: &[Node]| ns.iter().map(|n| n.depth()).max().unwrap_or(0);
        match self {
            Node::Const(_) | Node::Var(_) | Node::This | Node::VarField { .. } => 0,
            Node::Field { target, .. } | Node::DynProp { target, .. } => d(target),
            Node::CmpConst(_, a, _) | Node::EqConst { left: a, .. } => d(a),
            Node::Call { target, args, .. } => d(target).max(all(args)),
            // Its arguments are constants (one level each, never more than the target's).
            Node::CallConst(c) => d(&c.target),
            Node::Index { target, index, .. } => d(target).max(d(index)),
            Node::Select { target, pred, .. } => d(target).max(d(pred)),
            Node::Project { target, expr, .. } => d(target).max(d(expr)),
            Node::List(items) => all(items),
            Node::Map(entries) => entries.iter().map(|(_, v)| d(v)).max().unwrap_or(0),
            Node::Neg(a)
            | Node::Plus(a)
            | Node::Not(a)
            | Node::InstanceOf(a, _)
            | Node::Convert(a, _) => d(a),
            Node::Arith(_, a, b)
            | Node::Add(a, b)
            | Node::Pow(a, b)
            | Node::Cmp(_, a, b)
            | Node::And(a, b)
            | Node::Or(a, b)
            | Node::Elvis(a, b)
            | Node::Between(a, b)
            | Node::Eq {
                left: a, right: b, ..
            } => d(a).max(d(b)),
            Node::Ternary(a, b, c) => d(a).max(d(b)).max(d(c)),
            Node::Matches { text, regex } => match regex {
                Ok(_) => d(text),
                Err(r) => d(text).max(d(r)),
            },
            Node::Template(parts) => parts
                .iter()
                .map(|p| match p {
                    TplNode::Text(_) => 0,
                    TplNode::Expr(e) => d(e),
                })
                .max()
                .unwrap_or(0),
        }
    }

    pub(crate) fn is_const(&self) -> bool {
        matches!(self, Node::Const(_))
    }

    /// Is this node free of side effects and of context, given constant children?
    pub(crate) fn foldable(&self) -> bool {
        let c = |n: &Node| n.is_const();
        match self {
            Node::Field { target, .. } => c(target),
            Node::Index { target, index, .. } => c(target) && c(index),
            Node::List(items) => items.iter().all(c),
            Node::Map(entries) => entries.iter().all(|(_, v)| c(v)),
            Node::Neg(a) | Node::Plus(a) | Node::Not(a) => c(a),
            Node::Arith(_, a, b)
            | Node::Add(a, b)
            | Node::Pow(a, b)
            | Node::Cmp(_, a, b)
            | Node::And(a, b)
            | Node::Or(a, b)
            | Node::Elvis(a, b)
            | Node::Between(a, b) => c(a) && c(b),
            Node::Eq { left, right, .. } => c(left) && c(right),
            Node::Ternary(a, b, d) => c(a) && c(b) && c(d),
            Node::Matches { text, regex } => c(text) && regex.is_ok(),
            Node::InstanceOf(a, _) => c(a),
            Node::Convert(a, _) => c(a),
            Node::Template(parts) => parts.iter().all(|p| match p {
                TplNode::Text(_) => true,
                TplNode::Expr(e) => c(e),
            }),
            _ => false,
        }
    }
}
