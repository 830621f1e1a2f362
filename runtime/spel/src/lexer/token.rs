/// Byte range in the expression text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum TokenKind {
    Int(i32),
    Long(i64),
    Double(f64),
    Float(f32),
    Str(String),
    Ident(String),
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Comma,
    Colon,
    Dot,
    SafeNav,
    Hash,
    At,
    Amp,
    QMark,
    Elvis,
    Plus,
    Minus,
    Star,
    Div,
    Mod,
    Power,
    Not,
    Assign,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
    Inc,
    Dec,
    /// `![`
    Project,
    /// `?[`
    Select,
    /// `^[`
    SelectFirst,
    /// `$[`
    SelectLast,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

impl TokenKind {
    /// How the token is shown in parse errors.
    pub fn describe(&self) -> String {
        use TokenKind::*;
        match self {
            Int(v) => v.to_string(),
            Long(v) => format!("{v}L"),
            Double(v) => v.to_string(),
            Float(v) => format!("{v}f"),
            Str(s) => format!("'{s}'"),
            Ident(s) => s.clone(),
            LParen => "(".into(),
            RParen => ")".into(),
            LBracket => "[".into(),
            RBracket => "]".into(),
            LBrace => "{".into(),
            RBrace => "}".into(),
            Comma => ",".into(),
            Colon => ":".into(),
            Dot => ".".into(),
            SafeNav => "?.".into(),
            Hash => "#".into(),
            At => "@".into(),
            Amp => "&".into(),
            QMark => "?".into(),
            Elvis => "?:".into(),
            Plus => "+".into(),
            Minus => "-".into(),
            Star => "*".into(),
            Div => "/".into(),
            Mod => "%".into(),
            Power => "^".into(),
            Not => "!".into(),
            Assign => "=".into(),
            Eq => "==".into(),
            Ne => "!=".into(),
            Lt => "<".into(),
            Le => "<=".into(),
            Gt => ">".into(),
            Ge => ">=".into(),
            And => "&&".into(),
            Or => "||".into(),
            Inc => "++".into(),
            Dec => "--".into(),
            Project => "![".into(),
            Select => "?[".into(),
            SelectFirst => "^[".into(),
            SelectLast => "$[".into(),
        }
    }
}
