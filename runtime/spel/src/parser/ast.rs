use crate::lexer::Span;

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Null,
    Bool(bool),
    Int(i32),
    Long(i64),
    Float(f32),
    Double(f64),
    Str(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Plus,
    Not,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Matches,
    Between,
    InstanceOf,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Mod => "%",
            BinOp::Pow => "^",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Matches => "matches",
            BinOp::Between => "between",
            BinOp::InstanceOf => "instanceof",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelectKind {
    /// `.?[..]`
    All,
    /// `.^[..]`
    First,
    /// `.$[..]`
    Last,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
    /// Levels of the tree below and including this node (a leaf is 1).
    pub depth: u32,
}

impl Expr {
    /// A node over already built children; its depth comes from theirs.
    pub fn new(kind: ExprKind, span: Span) -> Expr {
        let depth = kind.max_child_depth().saturating_add(1);
        Expr { kind, span, depth }
    }
}

fn deepest<'a>(es: impl IntoIterator<Item = &'a Expr>) -> u32 {
    es.into_iter().map(|e| e.depth).max().unwrap_or(0)
}

impl ExprKind {
    /// The depth of the deepest direct child (0 for leaves).
    pub fn max_child_depth(&self) -> u32 {
        use ExprKind::*;
        match self {
            Lit(_) | Var(_) | Ident(_) | TypeRef(_) | NewArray | BeanRef(_) => 0,
            FuncCall(_, args) | BareCall(_, args) | New(_, args) | InlineList(args) => {
                deepest(args)
            }
            Prop { target, .. } => target.depth,
            Method { target, args, .. } => target.depth.max(deepest(args)),
            Index { target, index, .. } => target.depth.max(index.depth),
            Select { target, pred, .. } => target.depth.max(pred.depth),
            Project { target, expr, .. } => target.depth.max(expr.depth),
            InlineMap(entries) => entries
                .iter()
                .map(|(k, v)| k.depth.max(v.depth))
                .max()
                .unwrap_or(0),
            Unary(_, a) | IncDec(a) => a.depth,
            Binary(_, a, b) | And(a, b) | Or(a, b) | Elvis(a, b) | Assign(a, b) => {
                a.depth.max(b.depth)
            }
            Ternary(a, b, c) => a.depth.max(b.depth).max(c.depth),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Lit(Literal),
    /// `#name` (including `#this` and `#root`).
    Var(String),
    /// `#name(args)`: a function reference (none are registered).
    FuncCall(String, Vec<Expr>),
    /// A bare identifier: a property of `#this` inside selections, else an error.
    Ident(String),
    /// A method call without a target (`foo(1)`).
    BareCall(String, Vec<Expr>),
    Prop {
        target: Box<Expr>,
        name: String,
        name_span: Span,
        safe: bool,
    },
    Method {
        target: Box<Expr>,
        name: String,
        name_span: Span,
        args: Vec<Expr>,
        safe: bool,
    },
    Index {
        target: Box<Expr>,
        index: Box<Expr>,
        safe: bool,
    },
    Select {
        target: Box<Expr>,
        kind: SelectKind,
        pred: Box<Expr>,
        safe: bool,
    },
    Project {
        target: Box<Expr>,
        expr: Box<Expr>,
        safe: bool,
    },
    InlineList(Vec<Expr>),
    InlineMap(Vec<(Expr, Expr)>),
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Ternary(Box<Expr>, Box<Expr>, Box<Expr>),
    Elvis(Box<Expr>, Box<Expr>),
    Assign(Box<Expr>, Box<Expr>),
    /// `x++`, `x--`, `++x`: always rejected (no assignment).
    IncDec(Box<Expr>),
    /// `T(qualified.Name)`
    TypeRef(String),
    /// `new qualified.Name(args)`
    New(String, Vec<Expr>),
    /// `new X[..]`
    NewArray,
    /// `@bean` or `&bean`
    BeanRef(String),
}

/// A piece of a template: literal text or an embedded expression.
#[derive(Debug, Clone, PartialEq)]
pub enum TemplatePart {
    Text(String),
    Expr(Expr),
}
