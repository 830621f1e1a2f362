use super::ast::{BinOp, Expr, ExprKind, Literal, SelectKind, TemplatePart, UnOp};
use super::error::{ParseError, ParseResult};
use crate::lexer::{tokenize, Span, Token, TokenKind};

/// Default depth limit (`Limits::max_expression_depth`): of the tree (operator runs and method
/// chains count, one level each) and of the parser's own nesting (parentheses, prefix
/// operators). It keeps the recursion of the parser, typer and evaluator far from the stack's end.
pub const MAX_DEPTH: usize = crate::limits::Limits::DEFAULT.max_expression_depth;

/// Remaining stack below which recursion moves to a new stack segment, and that segment's size
/// (defined in `value`, which walks values recursively too).
pub(crate) use crate::value::{STACK_GROWTH, STACK_RED_ZONE};

/// Parses a standard (non-template) expression. Blank text is the caller's business.
pub fn parse(src: &str) -> ParseResult<Expr> {
    parse_at(src, 0, MAX_DEPTH)
}

/// Parses with a depth limit of `max_depth` levels.
pub fn parse_limited(src: &str, max_depth: usize) -> ParseResult<Expr> {
    parse_at(src, 0, max_depth)
}

fn parse_at(src: &str, offset: usize, max_depth: usize) -> ParseResult<Expr> {
    let mut tokens = tokenize(src)?;
    if offset > 0 {
        for t in &mut tokens {
            t.span.start += offset as u32;
            t.span.end += offset as u32;
        }
    }
    let end = Span::new(offset + src.len(), offset + src.len());
    let mut p = Parser {
        tokens,
        pos: 0,
        depth: 0,
        max_depth,
        end,
    };
    let e = p.expression()?;
    if let Some(t) = p.peek() {
        return Err(ParseError::TrailingInput {
            found: t.kind.describe(),
            span: t.span,
        });
    }
    Ok(e)
}

/// Splits a template (`text #{expr} text`) into parts and parses each expression.
pub fn parse_template(src: &str) -> ParseResult<Vec<TemplatePart>> {
    parse_template_limited(src, MAX_DEPTH)
}

/// Parses a template with a depth limit of `max_depth` levels per embedded expression.
pub fn parse_template_limited(src: &str, max_depth: usize) -> ParseResult<Vec<TemplatePart>> {
    let mut parts = Vec::new();
    let b = src.as_bytes();
    let mut i = 0;
    let mut text_start = 0;
    while i + 1 < b.len() {
        if b[i] == b'#' && b[i + 1] == b'{' {
            if i > text_start {
                parts.push(TemplatePart::Text(src[text_start..i].to_string()));
            }
            let expr_start = i + 2;
            let mut j = expr_start;
            let mut depth = 1usize;
            let mut quote: Option<u8> = None;
            while j < b.len() {
                let c = b[j];
                match quote {
                    Some(q) if c == q => quote = None,
                    Some(_) => {}
                    None => match c {
                        b'\'' | b'"' => quote = Some(c),
                        b'{' => depth += 1,
                        b'}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    },
                }
                j += 1;
            }
            if j >= b.len() {
                return Err(ParseError::UnclosedTemplate {
                    span: Span::new(i, src.len()),
                });
            }
            let inner = &src[expr_start..j];
            parts.push(TemplatePart::Expr(parse_at(inner, expr_start, max_depth)?));
            i = j + 1;
            text_start = i;
        } else {
            i += 1;
        }
    }
    if text_start < src.len() {
        parts.push(TemplatePart::Text(src[text_start..].to_string()));
    }
    Ok(parts)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    /// Current nesting of the parser's own recursion.
    depth: usize,
    max_depth: usize,
    end: Span,
}

fn bx(e: Expr) -> Box<Expr> {
    Box::new(e)
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }
    fn peek_kind(&self) -> Option<&TokenKind> {
        self.peek().map(|t| &t.kind)
    }
    fn peek_at(&self, n: usize) -> Option<&TokenKind> {
        self.tokens.get(self.pos + n).map(|t| &t.kind)
    }
    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.pos).cloned();
        if t.is_some() {
            self.pos += 1;
        }
        t
    }
    fn is(&self, k: &TokenKind) -> bool {
        self.peek_kind() == Some(k)
    }
    fn eat(&mut self, k: &TokenKind) -> bool {
        if self.is(k) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek_kind(), Some(TokenKind::Ident(s)) if s.eq_ignore_ascii_case(w))
    }
    fn expect(&mut self, k: TokenKind, expected: &'static str) -> ParseResult<Span> {
        match self.next() {
            Some(t) if t.kind == k => Ok(t.span),
            Some(t) => Err(ParseError::Unexpected {
                found: t.kind.describe(),
                expected,
                span: t.span,
            }),
            None => Err(ParseError::UnexpectedEnd {
                expected,
                span: self.end,
            }),
        }
    }
    fn unexpected<T>(&mut self, expected: &'static str) -> ParseResult<T> {
        match self.next() {
            Some(t) => Err(ParseError::Unexpected {
                found: t.kind.describe(),
                expected,
                span: t.span,
            }),
            None => Err(ParseError::UnexpectedEnd {
                expected,
                span: self.end,
            }),
        }
    }
    fn enter(&mut self) -> ParseResult<()> {
        self.depth += 1;
        if self.depth > self.max_depth {
            let span = self.peek().map(|t| t.span).unwrap_or(self.end);
            return Err(ParseError::TooDeep {
                limit: self.max_depth,
                span,
            });
        }
        Ok(())
    }

    /// Builds a node, refusing a tree deeper than the limit. Flat runs (`a + b + c + ...`,
    /// `s.trim().trim()...`) are built by loops, not recursion, so this is where their depth
    /// is caught, before the tree grows too deep to drop or evaluate.
    fn mk(&self, kind: ExprKind, span: Span) -> ParseResult<Expr> {
        let e = Expr::new(kind, span);
        if e.depth as usize > self.max_depth {
            // Point at the token where the limit was crossed, not at the whole expression.
            let at = self
                .pos
                .checked_sub(1)
                .and_then(|i| self.tokens.get(i))
                .map(|t| t.span)
                .unwrap_or(e.span);
            return Err(ParseError::TooDeep {
                limit: self.max_depth,
                span: at,
            });
        }
        Ok(e)
    }

    fn expression(&mut self) -> ParseResult<Expr> {
        self.enter()?;
        // Grows the stack on demand: debug builds use kilobytes per nesting level.
        let r = stacker::maybe_grow(STACK_RED_ZONE, STACK_GROWTH, || self.expression_inner());
        self.depth -= 1;
        r
    }

    fn expression_inner(&mut self) -> ParseResult<Expr> {
        let e = self.logical_or()?;
        match self.peek_kind() {
            Some(TokenKind::Assign) => {
                self.pos += 1;
                let v = self.logical_or()?;
                let span = e.span.to(v.span);
                self.mk(ExprKind::Assign(bx(e), bx(v)), span)
            }
            Some(TokenKind::Elvis) => {
                self.pos += 1;
                let v = self.expression()?;
                let span = e.span.to(v.span);
                self.mk(ExprKind::Elvis(bx(e), bx(v)), span)
            }
            Some(TokenKind::QMark) => {
                self.pos += 1;
                let t = self.expression()?;
                self.expect(TokenKind::Colon, "':' in the ternary operator")?;
                let f = self.expression()?;
                let span = e.span.to(f.span);
                self.mk(ExprKind::Ternary(bx(e), bx(t), bx(f)), span)
            }
            _ => Ok(e),
        }
    }

    fn logical_or(&mut self) -> ParseResult<Expr> {
        let mut e = self.logical_and()?;
        while self.is(&TokenKind::Or) || self.is_word("or") {
            self.pos += 1;
            let r = self.logical_and()?;
            let span = e.span.to(r.span);
            e = self.mk(ExprKind::Or(bx(e), bx(r)), span)?;
        }
        Ok(e)
    }

    fn logical_and(&mut self) -> ParseResult<Expr> {
        let mut e = self.relational()?;
        while self.is(&TokenKind::And) || self.is_word("and") {
            self.pos += 1;
            let r = self.relational()?;
            let span = e.span.to(r.span);
            e = self.mk(ExprKind::And(bx(e), bx(r)), span)?;
        }
        Ok(e)
    }

    fn relational(&mut self) -> ParseResult<Expr> {
        let e = self.sum()?;
        let op = match self.peek_kind() {
            Some(TokenKind::Eq) => BinOp::Eq,
            Some(TokenKind::Ne) => BinOp::Ne,
            Some(TokenKind::Lt) => BinOp::Lt,
            Some(TokenKind::Le) => BinOp::Le,
            Some(TokenKind::Gt) => BinOp::Gt,
            Some(TokenKind::Ge) => BinOp::Ge,
            _ if self.is_word("matches") => BinOp::Matches,
            _ if self.is_word("between") => BinOp::Between,
            _ if self.is_word("instanceof") => BinOp::InstanceOf,
            _ => return Ok(e),
        };
        self.pos += 1;
        let r = self.sum()?;
        let span = e.span.to(r.span);
        self.mk(ExprKind::Binary(op, bx(e), bx(r)), span)
    }

    fn sum(&mut self) -> ParseResult<Expr> {
        let mut e = self.product()?;
        loop {
            let op = match self.peek_kind() {
                Some(TokenKind::Plus) => BinOp::Add,
                Some(TokenKind::Minus) => BinOp::Sub,
                _ => return Ok(e),
            };
            self.pos += 1;
            let r = self.product()?;
            let span = e.span.to(r.span);
            e = self.mk(ExprKind::Binary(op, bx(e), bx(r)), span)?;
        }
    }

    fn product(&mut self) -> ParseResult<Expr> {
        let mut e = self.power()?;
        loop {
            let op = match self.peek_kind() {
                Some(TokenKind::Star) => BinOp::Mul,
                Some(TokenKind::Div) => BinOp::Div,
                Some(TokenKind::Mod) => BinOp::Mod,
                _ => return Ok(e),
            };
            self.pos += 1;
            let r = self.power()?;
            let span = e.span.to(r.span);
            e = self.mk(ExprKind::Binary(op, bx(e), bx(r)), span)?;
        }
    }

    fn power(&mut self) -> ParseResult<Expr> {
        let mut e = self.unary()?;
        if self.eat(&TokenKind::Power) {
            let r = self.unary()?;
            let span = e.span.to(r.span);
            e = self.mk(ExprKind::Binary(BinOp::Pow, bx(e), bx(r)), span)?;
        }
        if let Some(TokenKind::Inc | TokenKind::Dec) = self.peek_kind() {
            let t = self.next().map(|t| t.span).unwrap_or(self.end);
            let span = e.span.to(t);
            e = self.mk(ExprKind::IncDec(bx(e)), span)?;
        }
        Ok(e)
    }

    fn unary(&mut self) -> ParseResult<Expr> {
        // Only prefix operators nest here; a plain operand is counted by `expression`.
        let nests = matches!(
            self.peek_kind(),
            Some(
                TokenKind::Minus
                    | TokenKind::Plus
                    | TokenKind::Not
                    | TokenKind::Inc
                    | TokenKind::Dec
            )
        );
        if !nests {
            return self.primary();
        }
        self.enter()?;
        let r = stacker::maybe_grow(STACK_RED_ZONE, STACK_GROWTH, || self.unary_inner());
        self.depth -= 1;
        r
    }

    fn unary_inner(&mut self) -> ParseResult<Expr> {
        let op = match self.peek_kind() {
            Some(TokenKind::Minus) => Some(UnOp::Neg),
            Some(TokenKind::Plus) => Some(UnOp::Plus),
            Some(TokenKind::Not) => Some(UnOp::Not),
            Some(TokenKind::Inc | TokenKind::Dec) => {
                let start = self.next().map(|t| t.span).unwrap_or(self.end);
                let e = self.unary()?;
                let span = start.to(e.span);
                return self.mk(ExprKind::IncDec(bx(e)), span);
            }
            _ => None,
        };
        if let Some(op) = op {
            let start = self.next().map(|t| t.span).unwrap_or(self.end);
            let e = self.unary()?;
            let span = start.to(e.span);
            return self.mk(ExprKind::Unary(op, bx(e)), span);
        }
        self.primary()
    }

    fn primary(&mut self) -> ParseResult<Expr> {
        let mut e = self.start_node()?;
        loop {
            match self.peek_kind() {
                Some(TokenKind::Dot) => {
                    self.pos += 1;
                    e = self.dotted(e, false)?;
                }
                Some(TokenKind::SafeNav) => {
                    self.pos += 1;
                    e = self.dotted(e, true)?;
                }
                Some(TokenKind::LBracket) => {
                    self.pos += 1;
                    let idx = self.expression()?;
                    let end = self.expect(TokenKind::RBracket, "']'")?;
                    let span = e.span.to(end);
                    e = self.mk(
                        ExprKind::Index {
                            target: bx(e),
                            index: bx(idx),
                            safe: false,
                        },
                        span,
                    )?;
                }
                _ => return Ok(e),
            }
        }
    }

    fn dotted(&mut self, target: Expr, safe: bool) -> ParseResult<Expr> {
        let t = match self.next() {
            Some(t) => t,
            None => {
                return Err(ParseError::UnexpectedEnd {
                    expected: "a property or method name",
                    span: self.end,
                })
            }
        };
        match t.kind {
            TokenKind::Ident(name) => {
                if self.is(&TokenKind::LParen) {
                    let (args, end) = self.args()?;
                    let span = target.span.to(end);
                    self.mk(
                        ExprKind::Method {
                            target: bx(target),
                            name,
                            name_span: t.span,
                            args,
                            safe,
                        },
                        span,
                    )
                } else {
                    let span = target.span.to(t.span);
                    self.mk(
                        ExprKind::Prop {
                            target: bx(target),
                            name,
                            name_span: t.span,
                            safe,
                        },
                        span,
                    )
                }
            }
            TokenKind::Select | TokenKind::SelectFirst | TokenKind::SelectLast => {
                let kind = match t.kind {
                    TokenKind::Select => SelectKind::All,
                    TokenKind::SelectFirst => SelectKind::First,
                    _ => SelectKind::Last,
                };
                let pred = self.expression()?;
                let end = self.expect(TokenKind::RBracket, "']'")?;
                let span = target.span.to(end);
                self.mk(
                    ExprKind::Select {
                        target: bx(target),
                        kind,
                        pred: bx(pred),
                        safe,
                    },
                    span,
                )
            }
            TokenKind::Project => {
                let expr = self.expression()?;
                let end = self.expect(TokenKind::RBracket, "']'")?;
                let span = target.span.to(end);
                self.mk(
                    ExprKind::Project {
                        target: bx(target),
                        expr: bx(expr),
                        safe,
                    },
                    span,
                )
            }
            TokenKind::LBracket if safe => {
                let idx = self.expression()?;
                let end = self.expect(TokenKind::RBracket, "']'")?;
                let span = target.span.to(end);
                self.mk(
                    ExprKind::Index {
                        target: bx(target),
                        index: bx(idx),
                        safe,
                    },
                    span,
                )
            }
            other => Err(ParseError::Unexpected {
                found: other.describe(),
                expected: "a property or method name after '.'",
                span: t.span,
            }),
        }
    }

    fn args(&mut self) -> ParseResult<(Vec<Expr>, Span)> {
        self.expect(TokenKind::LParen, "'('")?;
        let mut args = Vec::new();
        if let Some(TokenKind::RParen) = self.peek_kind() {
            let end = self.next().map(|t| t.span).unwrap_or(self.end);
            return Ok((args, end));
        }
        loop {
            args.push(self.expression()?);
            match self.next() {
                Some(Token {
                    kind: TokenKind::Comma,
                    ..
                }) => continue,
                Some(Token {
                    kind: TokenKind::RParen,
                    span,
                }) => return Ok((args, span)),
                Some(t) => {
                    return Err(ParseError::Unexpected {
                        found: t.kind.describe(),
                        expected: "',' or ')'",
                        span: t.span,
                    })
                }
                None => {
                    return Err(ParseError::UnexpectedEnd {
                        expected: "')'",
                        span: self.end,
                    })
                }
            }
        }
    }

    fn qualified_name(&mut self) -> ParseResult<(String, Span)> {
        let first = match self.next() {
            Some(Token {
                kind: TokenKind::Ident(s),
                span,
            }) => (s, span),
            Some(t) => {
                return Err(ParseError::Unexpected {
                    found: t.kind.describe(),
                    expected: "a class name",
                    span: t.span,
                })
            }
            None => {
                return Err(ParseError::UnexpectedEnd {
                    expected: "a class name",
                    span: self.end,
                })
            }
        };
        let (mut name, mut span) = first;
        while self.is(&TokenKind::Dot) && matches!(self.peek_at(1), Some(TokenKind::Ident(_))) {
            self.pos += 1;
            if let Some(Token {
                kind: TokenKind::Ident(s),
                span: s2,
            }) = self.next()
            {
                name.push('.');
                name.push_str(&s);
                span = span.to(s2);
            }
        }
        Ok((name, span))
    }

    fn start_node(&mut self) -> ParseResult<Expr> {
        let t = match self.next() {
            Some(t) => t,
            None => {
                return Err(ParseError::UnexpectedEnd {
                    expected: "an expression",
                    span: self.end,
                })
            }
        };
        let span = t.span;
        let lit = |l: Literal| Ok(Expr::new(ExprKind::Lit(l), span));
        match t.kind {
            TokenKind::Int(v) => lit(Literal::Int(v)),
            TokenKind::Long(v) => lit(Literal::Long(v)),
            TokenKind::Double(v) => lit(Literal::Double(v)),
            TokenKind::Float(v) => lit(Literal::Float(v)),
            TokenKind::Str(s) => lit(Literal::Str(s)),
            TokenKind::LParen => {
                let e = self.expression()?;
                let end = self.expect(TokenKind::RParen, "')'")?;
                Ok(Expr {
                    span: span.to(end),
                    ..e
                })
            }
            TokenKind::Hash => match self.next() {
                Some(Token {
                    kind: TokenKind::Ident(name),
                    span: s2,
                }) => {
                    if self.is(&TokenKind::LParen) {
                        let (args, end) = self.args()?;
                        self.mk(ExprKind::FuncCall(name, args), span.to(end))
                    } else {
                        self.mk(ExprKind::Var(name), span.to(s2))
                    }
                }
                Some(t) => Err(ParseError::Unexpected {
                    found: t.kind.describe(),
                    expected: "a variable name after '#'",
                    span: t.span,
                }),
                None => Err(ParseError::UnexpectedEnd {
                    expected: "a variable name after '#'",
                    span: self.end,
                }),
            },
            TokenKind::At | TokenKind::Amp => match self.next() {
                Some(Token {
                    kind: TokenKind::Ident(name),
                    span: s2,
                }) => self.mk(ExprKind::BeanRef(name), span.to(s2)),
                Some(Token {
                    kind: TokenKind::Str(name),
                    span: s2,
                }) => self.mk(ExprKind::BeanRef(name), span.to(s2)),
                Some(t) => Err(ParseError::Unexpected {
                    found: t.kind.describe(),
                    expected: "a bean name",
                    span: t.span,
                }),
                None => Err(ParseError::UnexpectedEnd {
                    expected: "a bean name",
                    span: self.end,
                }),
            },
            TokenKind::LBrace => self.inline(span),
            TokenKind::Ident(name) => {
                let lower = name.to_ascii_lowercase();
                match lower.as_str() {
                    "true" => return lit(Literal::Bool(true)),
                    "false" => return lit(Literal::Bool(false)),
                    "null" => return lit(Literal::Null),
                    _ => {}
                }
                if name == "T" && self.is(&TokenKind::LParen) {
                    self.pos += 1;
                    let (qn, _) = self.qualified_name()?;
                    // Array type references: T(String[])
                    let mut qn = qn;
                    while self.is(&TokenKind::LBracket)
                        && self.peek_at(1) == Some(&TokenKind::RBracket)
                    {
                        self.pos += 2;
                        qn.push_str("[]");
                    }
                    let end = self.expect(TokenKind::RParen, "')' after the type name")?;
                    return self.mk(ExprKind::TypeRef(qn), span.to(end));
                }
                if lower == "new" && matches!(self.peek_kind(), Some(TokenKind::Ident(_))) {
                    let (qn, qspan) = self.qualified_name()?;
                    if self.is(&TokenKind::LBracket) {
                        // Array constructor: consume dimensions and an optional initializer.
                        let mut end = qspan;
                        while self.eat(&TokenKind::LBracket) {
                            if !self.is(&TokenKind::RBracket) {
                                self.expression()?;
                            }
                            end = self.expect(TokenKind::RBracket, "']'")?;
                        }
                        if self.is(&TokenKind::LBrace) {
                            let s = self.next().map(|t| t.span).unwrap_or(self.end);
                            end = self.inline(s)?.span;
                        }
                        return self.mk(ExprKind::NewArray, span.to(end));
                    }
                    let (args, end) = self.args()?;
                    return self.mk(ExprKind::New(qn, args), span.to(end));
                }
                if self.is(&TokenKind::LParen) {
                    let (args, end) = self.args()?;
                    return self.mk(ExprKind::BareCall(name, args), span.to(end));
                }
                self.mk(ExprKind::Ident(name), span)
            }
            other => Err(ParseError::Unexpected {
                found: other.describe(),
                expected: "an expression",
                span,
            }),
        }
    }

    /// After `{`: an inline list, an inline map, `{}` or `{:}`.
    fn inline(&mut self, start: Span) -> ParseResult<Expr> {
        // Depth is counted by the `expression` calls inside.
        stacker::maybe_grow(STACK_RED_ZONE, STACK_GROWTH, || self.inline_inner(start))
    }

    fn inline_inner(&mut self, start: Span) -> ParseResult<Expr> {
        if let Some(TokenKind::RBrace) = self.peek_kind() {
            let end = self.next().map(|t| t.span).unwrap_or(self.end);
            return self.mk(ExprKind::InlineList(vec![]), start.to(end));
        }
        if self.is(&TokenKind::Colon) && self.peek_at(1) == Some(&TokenKind::RBrace) {
            self.pos += 1;
            let end = self.next().map(|t| t.span).unwrap_or(self.end);
            return self.mk(ExprKind::InlineMap(vec![]), start.to(end));
        }
        let first = self.expression()?;
        if self.eat(&TokenKind::Colon) {
            let v = self.expression()?;
            let mut entries = vec![(first, v)];
            loop {
                match self.next() {
                    Some(Token {
                        kind: TokenKind::Comma,
                        ..
                    }) => {
                        let k = self.expression()?;
                        self.expect(TokenKind::Colon, "':' in an inline map")?;
                        let v = self.expression()?;
                        entries.push((k, v));
                    }
                    Some(Token {
                        kind: TokenKind::RBrace,
                        span,
                    }) => return self.mk(ExprKind::InlineMap(entries), start.to(span)),
                    Some(t) => {
                        return Err(ParseError::Unexpected {
                            found: t.kind.describe(),
                            expected: "',' or '}'",
                            span: t.span,
                        })
                    }
                    None => {
                        return Err(ParseError::UnexpectedEnd {
                            expected: "'}'",
                            span: self.end,
                        })
                    }
                }
            }
        }
        let mut items = vec![first];
        loop {
            match self.next() {
                Some(Token {
                    kind: TokenKind::Comma,
                    ..
                }) => items.push(self.expression()?),
                Some(Token {
                    kind: TokenKind::RBrace,
                    span,
                }) => return self.mk(ExprKind::InlineList(items), start.to(span)),
                Some(t) => {
                    return Err(ParseError::Unexpected {
                        found: t.kind.describe(),
                        expected: "',' or '}'",
                        span: t.span,
                    })
                }
                None => {
                    return Err(ParseError::UnexpectedEnd {
                        expected: "'}'",
                        span: self.end,
                    })
                }
            }
        }
    }

    #[allow(dead_code)]
    fn fail(&mut self) -> ParseResult<Expr> {
        self.unexpected("an expression")
    }
}
