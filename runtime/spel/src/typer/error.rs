use crate::lexer::Span;

/// A compile-time error of the typer, with the reference's message text.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TypeError {
    #[error("Unresolved reference '{name}'")]
    UnresolvedReference { name: String, span: Span },
    #[error("Non reference '{name}' occurred. Maybe you missed '#' in front of it?")]
    NonReference { name: String, span: Span },
    #[error("There is no property '{property}' in type: {ty}")]
    NoProperty {
        property: String,
        ty: String,
        span: Span,
    },
    #[error("There is no property of type '{index}' in type: {ty}")]
    NoPropertyOfType {
        index: String,
        ty: String,
        span: Span,
    },
    #[error("Unknown method '{name}' in {ty}")]
    UnknownMethod {
        name: String,
        ty: String,
        span: Span,
    },
    #[error("Mismatch parameter types. Found: {found}. Required: {required}")]
    MismatchParams {
        found: String,
        required: String,
        span: Span,
    },
    #[error("Property access on {ty} is not allowed")]
    PropertyAccessNotAllowed { ty: &'static str, span: Span },
    #[error("Method invocation on {ty} is not allowed")]
    MethodInvocationNotAllowed { ty: &'static str, span: Span },
    #[error("Cannot do projection/selection on {ty}")]
    NotIterable { ty: String, span: Span },
    #[error("Wrong selection type: {ty}")]
    WrongSelectionType { ty: String, span: Span },
    #[error("Cannot do indexing here")]
    CannotIndex { span: Span },
    #[error("Dynamic property access is not allowed")]
    DynamicPropertyAccess { span: Span },
    #[error("Operator '{op}' used with mismatch types: {left} and {right}")]
    OperatorMismatch {
        op: &'static str,
        left: String,
        right: String,
        span: Span,
    },
    #[error("Operator '{op}' used with non numeric type: {ty}")]
    OperatorNonNumeric {
        op: &'static str,
        ty: String,
        span: Span,
    },
    #[error("Operator '{op}' used with not comparable types: {left} and {right}")]
    NotComparable {
        op: &'static str,
        left: String,
        right: String,
        span: Span,
    },
    #[error("Wrong part types")]
    WrongPartTypes { span: Span },
    #[error("Division by zero: {expr}")]
    DivisionByZero { expr: String, span: Span },
    #[error("Taking remainder modulo zero: {expr}")]
    ModuloZero { expr: String, span: Span },
    #[error("Not a boolean expression used in ternary operator (expr ? onTrue : onFalse). Computed expression type: {ty}")]
    TernaryNotBoolean { ty: String, span: Span },
    #[error("Bad expression type, expected: {expected}, found: {found}")]
    BadExpressionType {
        expected: String,
        found: String,
        span: Span,
    },
    #[error("Value modifications are not supported")]
    ValueModification { span: Span },
    #[error("Bean reference is not supported")]
    BeanReference { span: Span },
    #[error("Array constructor is not supported")]
    ArrayConstructor { span: Span },
    #[error("Cannot create instance of unknown class {name}")]
    Constructor { name: String, span: Span },
    #[error("Currently only string keys for inline maps are supported")]
    NonStringMapKey { span: Span },
    #[error("Class {name} does not exist")]
    ClassNotFound { name: String, span: Span },
    #[error("class {name} is not allowed to be passed as TypeReference")]
    ClassNotAllowed { name: String, span: Span },
    #[error("Invalid method reference: {text}.")]
    InvalidMethodReference { text: String, span: Span },
    #[error("Function references (#{name}(...)) are not supported")]
    FunctionReference { name: String, span: Span },
    /// A literal pattern of `matches` that does not compile (worded by
    /// `methods::string::invalid_regex`).
    #[error("{message}")]
    BadRegex { message: String, span: Span },
    /// A constant argument a method refuses at compile time (`MethodDef::prepare`), such as an
    /// invalid literal regex; the span is the argument's.
    #[error("{message}")]
    BadArgument { message: String, span: Span },
    #[error("{message}")]
    Other { message: String, span: Span },
}

impl TypeError {
    pub fn span(&self) -> Span {
        use TypeError::*;
        match self {
            UnresolvedReference { span, .. }
            | NonReference { span, .. }
            | NoProperty { span, .. }
            | NoPropertyOfType { span, .. }
            | UnknownMethod { span, .. }
            | MismatchParams { span, .. }
            | PropertyAccessNotAllowed { span, .. }
            | MethodInvocationNotAllowed { span, .. }
            | NotIterable { span, .. }
            | WrongSelectionType { span, .. }
            | CannotIndex { span }
            | DynamicPropertyAccess { span }
            | OperatorMismatch { span, .. }
            | OperatorNonNumeric { span, .. }
            | NotComparable { span, .. }
            | WrongPartTypes { span }
            | DivisionByZero { span, .. }
            | ModuloZero { span, .. }
            | TernaryNotBoolean { span, .. }
            | BadExpressionType { span, .. }
            | ValueModification { span }
            | BeanReference { span }
            | ArrayConstructor { span }
            | Constructor { span, .. }
            | NonStringMapKey { span }
            | ClassNotFound { span, .. }
            | ClassNotAllowed { span, .. }
            | InvalidMethodReference { span, .. }
            | FunctionReference { span, .. }
            | BadRegex { span, .. }
            | BadArgument { span, .. }
            | Other { span, .. } => *span,
        }
    }
}
