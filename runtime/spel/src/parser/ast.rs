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
