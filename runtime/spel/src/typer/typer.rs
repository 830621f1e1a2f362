use std::sync::Arc;

use super::error::TypeError;
use super::scope::Scope;
use crate::eval::{Callee, Cx, EvalEnv, Node, PreparedCall, TplNode};
use crate::helpers::Helper;
use crate::lexer::Span;
use crate::methods::{self, MethodDef};
use crate::parser::{BinOp, Expr, ExprKind, Literal, SelectKind, TemplatePart, UnOp};
use crate::types::{common_supertype, comparable, Class, NumberPromotion, Type};
use crate::value::number::ArithOp;
use crate::value::{Str, Value};

/// Error already recorded; the caller stops typing this branch.
struct Failed;
type TR = Result<(Node, Type), Failed>;

pub(crate) struct Typer<'a> {
    scope: &'a Scope,
    src: &'a str,
    errors: Vec<TypeError>,
    this: Vec<Type>,
    env: EvalEnv,
}

pub(crate) fn type_expression(
    e: &Expr,
    scope: &Scope,
    src: &str,
) -> Result<(Node, Type), Vec<TypeError>> {
    let mut t = Typer {
        scope,
        src,
        errors: Vec::new(),
        this: Vec::new(),
        env: EvalEnv::default(),
    };
    match t.expr(e) {
        Ok(r) if t.errors.is_empty() => Ok(r),
        _ => Err(t.errors),
    }
}

pub(crate) fn type_template(
    parts: &[TemplatePart],
    scope: &Scope,
    src: &str,
) -> Result<(Node, Type), Vec<TypeError>> {
    let mut t = Typer {
        scope,
        src,
        errors: Vec::new(),
        this: Vec::new(),
        env: EvalEnv::default(),
    };
    let mut nodes = Vec::new();
    let mut ok = true;
    for p in parts {
        match p {
            TemplatePart::Text(s) => nodes.push(TplNode::Text(Arc::from(s.as_str()))),
            TemplatePart::Expr(e) => match t.expr(e) {
                Ok((n, _)) => nodes.push(TplNode::Expr(n)),
                Err(_) => ok = false,
            },
        }
    }
    if !ok || !t.errors.is_empty() {
        return Err(t.errors);
    }
    let node = t.fold(Node::Template(nodes.into_boxed_slice()));
    Ok((node, Type::string()))
}

fn bx(n: Node) -> Box<Node> {
    Box::new(n)
}

/// Where a binary operation's pieces are: the operator, the whole expression, the right operand.
#[derive(Clone, Copy)]
struct OpSpans {
    op: Span,
    whole: Span,
    right: Span,
}

/// Result type of a property/method resolution.
enum Access {
    Field(Value),
    Method(Callee, Option<Value>),
}

impl<'a> Typer<'a> {
    fn err(&mut self, e: TypeError) -> Failed {
        self.errors.push(e);
        Failed
    }

    fn text(&self, span: Span) -> String {
        self.src
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
            .to_string()
    }

    /// Evaluates a node whose children are all constants, so the per-request path never
    /// recomputes it. Errors are left for run time (the reference fails there too).
    fn fold(&self, node: Node) -> Node {
        if !node.foldable() {
            return node.peephole();
        }
        let cx = Cx {
            vars: &[],
            this: None,
            env: &self.env,
        };
        match node.eval(&cx) {
            Ok(v) => Node::Const(v.into_owned()),
            Err(_) => node.peephole(),
        }
    }

    /// Type with a value when the node folded to a constant scalar.
    fn with_value(node: &Node, ty: Type) -> Type {
        match (node, &ty) {
            (Node::Const(v), Type::Class(..))
                if !matches!(
                    v,
                    Value::List(_)
                        | Value::Map(_)
                        | Value::Obj(_)
                        | Value::Helper(_)
                        | Value::Null
                        | Value::Char(_)
                ) =>
            {
                Type::Const(Arc::new((ty.clone(), v.clone())))
            }
            _ => ty,
        }
    }

    fn expr(&mut self, e: &Expr) -> TR {
        stacker::maybe_grow(
            crate::parser::STACK_RED_ZONE,
            crate::parser::STACK_GROWTH,
            || self.expr_inner(e),
        )
    }

    fn expr_inner(&mut self, e: &Expr) -> TR {
        let span = e.span;
        match &e.kind {
            ExprKind::Lit(l) => Ok(literal(l)),
            ExprKind::Var(name) => self.var(name, span),
            ExprKind::FuncCall(name, _) => Err(self.err(TypeError::FunctionReference {
                name: name.clone(),
                span,
            })),
            ExprKind::Ident(name) => {
                if self.this.is_empty() {
                    return Err(self.err(TypeError::NonReference {
                        name: name.clone(),
                        span,
                    }));
                }
                let this_ty = self.this.last().cloned().unwrap_or(Type::Unknown);
                self.property(Node::This, this_ty, name, false, span)
            }
            ExprKind::BareCall(name, args) => {
                if self.this.is_empty() {
                    let text = self.text(span);
                    return Err(self.err(TypeError::InvalidMethodReference { text, span }));
                }
                let this_ty = self.this.last().cloned().unwrap_or(Type::Unknown);
                self.method(Node::This, this_ty, name, args, false, span)
            }
            ExprKind::Prop {
                target,
                name,
                safe,
                name_span,
            } => {
                let (t, tt) = self.expr(target)?;
                self.property(t, tt, name, *safe, *name_span)
            }
            ExprKind::Method {
                target,
                name,
                args,
                safe,
                name_span,
            } => {
                let tr = self.expr(target);
                match tr {
                    Ok((t, tt)) => self.method(t, tt, name, args, *safe, *name_span),
                    Err(f) => {
                        for a in args {
                            let _ = self.expr(a);
                        }
                        Err(f)
                    }
                }
            }
            ExprKind::Index {
                target,
                index,
                safe,
            } => self.index(target, index, *safe, span),
            ExprKind::Select {
                target,
                kind,
                pred,
                safe,
            } => self.selection(target, *kind, pred, *safe, span),
            ExprKind::Project { target, expr, safe } => self.projection(target, expr, *safe, span),
            ExprKind::InlineList(items) => {
                let mut nodes = Vec::with_capacity(items.len());
                let mut elem: Option<Type> = None;
                let mut failed = false;
                for i in items {
                    match self.expr(i) {
                        Ok((n, t)) => {
                            elem = Some(match elem {
                                None => t.without_value(),
                                Some(prev) => common_supertype(&prev, &t.without_value()),
                            });
                            nodes.push(n);
                        }
                        Err(_) => failed = true,
                    }
                }
                if failed {
                    return Err(Failed);
                }
                let elem = match elem {
                    None | Some(Type::Null) => Type::Unknown,
                    Some(t) => t,
                };
                let node = self.fold(Node::List(nodes.into_boxed_slice()));
                // A constant list carries its value, as the reference's typer shows it.
                let ty = match &node {
                    Node::Const(v) => Type::Const(Arc::new((Type::list(elem), v.clone()))),
                    _ => Type::list(elem),
                };
                Ok((node, ty))
            }
            ExprKind::InlineMap(entries) => {
                let mut nodes = Vec::with_capacity(entries.len());
                let mut fields = Type::empty_fields();
                let mut failed = false;
                for (k, v) in entries {
                    let key = match &k.kind {
                        ExprKind::Ident(n) => Some(n.clone()),
                        ExprKind::Lit(Literal::Str(s)) => Some(s.clone()),
                        _ => None,
                    };
                    let vr = self.expr(v);
                    let Some(key) = key else {
                        self.err(TypeError::NonStringMapKey { span: k.span });
                        failed = true;
                        continue;
                    };
                    match vr {
                        Ok((n, t)) => {
                            fields.insert(Str::from(key.as_str()), t);
                            nodes.push((Value::str(&key), n));
                        }
                        Err(_) => failed = true,
                    }
                }
                if failed {
                    return Err(Failed);
                }
                Ok((
                    self.fold(Node::Map(nodes.into_boxed_slice())),
                    Type::record(fields),
                ))
            }
            ExprKind::Unary(op, a) => {
                let (n, t) = self.expr(a)?;
                match op {
                    UnOp::Not => {
                        if !bool_like(&t) {
                            return Err(self.err(TypeError::WrongPartTypes { span }));
                        }
                        let node = self.fold(Node::Not(bx(n)));
                        Ok((Self::with_value(&node, Type::boolean()), node).swap())
                    }
                    UnOp::Neg | UnOp::Plus => {
                        let sym = if *op == UnOp::Neg { "-" } else { "+" };
                        if !(t.is_number() || t.is_unknown()) {
                            return Err(self.err(TypeError::OperatorNonNumeric {
                                op: sym,
                                ty: t.to_string(),
                                span,
                            }));
                        }
                        let rt = match t.base_class() {
                            Some(c) => Type::class(NumberPromotion::Math.single(c)),
                            None => Type::Unknown,
                        };
                        let node = if *op == UnOp::Neg {
                            self.fold(Node::Neg(bx(n)))
                        } else {
                            self.fold(Node::Plus(bx(n)))
                        };
                        let ty = Self::with_value(&node, rt);
                        Ok((node, ty))
                    }
                }
            }
            ExprKind::Binary(op, a, b) => self.binary(*op, a, b, span),
            ExprKind::And(a, b) | ExprKind::Or(a, b) => {
                let l = self.expr(a);
                let r = self.expr(b);
                let ((ln, lt), (rn, rt)) = (l?, r?);
                if !bool_like(&lt) || !bool_like(&rt) {
                    return Err(self.err(TypeError::WrongPartTypes { span }));
                }
                let node = if matches!(e.kind, ExprKind::And(..)) {
                    Node::And(bx(ln), bx(rn))
                } else {
                    Node::Or(bx(ln), bx(rn))
                };
                let node = self.fold(node);
                let ty = Self::with_value(&node, Type::boolean());
                Ok((node, ty))
            }
            ExprKind::Ternary(c, t, f) => {
                let cr = self.expr(c);
                let tr = self.expr(t);
                let fr = self.expr(f);
                let ((cn, ct), (tn, tt), (fn_, ft)) = (cr?, tr?, fr?);
                if !(ct.is_boolean() || ct.is_unknown()) {
                    return Err(self.err(TypeError::TernaryNotBoolean {
                        ty: ct.to_string(),
                        span: c.span,
                    }));
                }
                let ty = common_supertype(&tt, &ft);
                let node = self.fold(Node::Ternary(bx(cn), bx(tn), bx(fn_)));
                Ok((node, ty))
            }
            ExprKind::Elvis(a, b) => {
                let l = self.expr(a);
                let r = self.expr(b);
                let ((ln, lt), (rn, rt)) = (l?, r?);
                let ty = Type::union([lt.without_value(), rt.without_value()]);
                Ok((self.fold(Node::Elvis(bx(ln), bx(rn))), ty))
            }
            ExprKind::Assign(..) | ExprKind::IncDec(_) => {
                Err(self.err(TypeError::ValueModification { span }))
            }
            ExprKind::BeanRef(_) => Err(self.err(TypeError::BeanReference { span })),
            ExprKind::NewArray => Err(self.err(TypeError::ArrayConstructor { span })),
            ExprKind::New(name, args) => {
                for a in args {
                    let _ = self.expr(a);
                }
                Err(self.err(TypeError::Constructor {
                    name: name.clone(),
                    span,
                }))
            }
            ExprKind::TypeRef(name) => {
                let c = self.class_ref(name, span)?;
                Ok((
                    Node::Const(Value::obj(crate::value::Obj::Class(c))),
                    Type::generic(Class::ClassRef, vec![Type::class(c)]),
                ))
            }
        }
    }

    fn class_ref(&mut self, name: &str, span: Span) -> Result<Class, Failed> {
        let resolved =
            Class::by_name(name).or_else(|| Class::by_name(&format!("java.lang.{name}")));
        match resolved {
            Some(c) => Ok(c),
            None => {
                let qualified = if name.contains('.') {
                    name.to_string()
                } else {
                    format!("java.lang.{name}")
                };
                if KNOWN_FORBIDDEN.iter().any(|k| *k == qualified)
                    || qualified.starts_with("java.lang.reflect.")
                    || qualified.starts_with("java.io.")
                    || qualified.starts_with("java.nio.")
                    || qualified.starts_with("java.net.")
                {
                    Err(self.err(TypeError::ClassNotAllowed {
                        name: qualified,
                        span,
                    }))
                } else {
                    Err(self.err(TypeError::ClassNotFound {
                        name: name.to_string(),
                        span,
                    }))
                }
            }
        }
    }

    fn var(&mut self, name: &str, span: Span) -> TR {
        if name == "this" {
            return match self.this.last() {
                Some(t) => Ok((Node::This, t.clone())),
                None => Err(self.err(TypeError::UnresolvedReference {
                    name: name.into(),
                    span,
                })),
            };
        }
        if let Some(v) = self.scope.constant(name) {
            return Ok((Node::Const(v.clone()), Type::of_value_without_value(v)));
        }
        if let Some((slot, ty)) = self.scope.get(name) {
            return Ok((Node::Var(slot as u32), ty.clone()));
        }
        if self.scope.helpers() {
            if let Some(h) = Helper::ALL.iter().find(|h| h.var_name() == name) {
                return Ok((
                    Node::Const(Value::Helper(*h)),
                    Type::class(Class::Helper(*h)),
                ));
            }
        }
        Err(self.err(TypeError::UnresolvedReference {
            name: name.into(),
            span,
        }))
    }

    /// `target.name` (also bare identifiers inside selections).
    fn property(&mut self, target: Node, tt: Type, name: &str, safe: bool, span: Span) -> TR {
        match &tt {
            Type::Null => {
                return Err(self.err(TypeError::PropertyAccessNotAllowed { ty: "Null", span }))
            }
            Type::Union(members) => {
                let mut found = Vec::new();
                for m in members.iter() {
                    let before = self.errors.len();
                    if let Ok((_, t)) = self.resolve_property(m, name, span) {
                        found.push(t);
                    }
                    self.errors.truncate(before);
                }
                if found.is_empty() {
                    return Err(self.err(TypeError::NoProperty {
                        property: name.into(),
                        ty: tt.to_string(),
                        span,
                    }));
                }
                let node = Node::DynProp {
                    target: bx(target),
                    name: Arc::from(name),
                    safe,
                };
                return Ok((node, Type::union(found)));
            }
            _ => {}
        }
        let (access, ty) = self.resolve_property(&tt, name, span)?;
        let node = match access {
            Access::Field(key) => {
                let hint = match &tt {
                    Type::Record(fields) => key
                        .as_str()
                        .and_then(|k| fields.get_index_of(k))
                        .unwrap_or(0),
                    _ => 0,
                };
                Node::Field {
                    target: bx(target),
                    key,
                    hint,
                    safe,
                }
            }
            Access::Method(callee, key_first) => {
                Node::call(target, callee, Vec::new(), safe, key_first)
            }
        };
        let node = self.fold(node);
        Ok((node, ty))
    }

    fn no_arg_method(
        &self,
        recv: &Type,
        class: Option<Class>,
        name: &str,
    ) -> Option<(&'static MethodDef, Type)> {
        for n in methods::property_method_names(name) {
            let found = methods::lookup(recv, class, &n);
            for m in found {
                if m.arity_ok(0) {
                    if let Ok(t) = m.result_type(recv, &[]) {
                        return Some((m, t));
                    }
                }
            }
        }
        None
    }

    fn resolve_property(
        &mut self,
        tt: &Type,
        name: &str,
        span: Span,
    ) -> Result<(Access, Type), Failed> {
        match tt {
            Type::Unknown => match self.no_arg_method(tt, None, name) {
                Some((m, t)) => Ok((Access::Method(Callee::One(m), None), t)),
                None => Err(self.err(TypeError::PropertyAccessNotAllowed {
                    ty: "Unknown",
                    span,
                })),
            },
            Type::Null => Err(self.err(TypeError::PropertyAccessNotAllowed { ty: "Null", span })),
            Type::Record(fields) => {
                if let Some(t) = fields.get(name) {
                    return Ok((Access::Field(Value::str(name)), t.clone()));
                }
                match self.no_arg_method(tt, Some(Class::Map), name) {
                    Some((m, t)) => Ok((Access::Method(Callee::One(m), Some(Value::str(name))), t)),
                    None => Err(self.err(TypeError::NoProperty {
                        property: name.into(),
                        ty: tt.to_string(),
                        span,
                    })),
                }
            }
            Type::Const(c) => {
                let base = c.0.clone();
                self.resolve_property(&base, name, span)
            }
            Type::Union(_) => Err(self.err(TypeError::NoProperty {
                property: name.into(),
                ty: tt.to_string(),
                span,
            })),
            Type::Class(class, params) => {
                if *class == Class::ClassRef {
                    let target = params
                        .first()
                        .and_then(|t| t.base_class())
                        .unwrap_or(Class::Object);
                    for n in methods::property_method_names(name) {
                        if let Some(m) = methods::static_lookup(target, &n)
                            .into_iter()
                            .find(|m| m.arity_ok(0))
                        {
                            let t = m.result_type(tt, &[]).unwrap_or(Type::Unknown);
                            return Ok((Access::Method(Callee::One(m), None), t));
                        }
                    }
                    return Err(self.err(TypeError::NoProperty {
                        property: name.into(),
                        ty: tt.to_string(),
                        span,
                    }));
                }
                if let Some((m, t)) = self.no_arg_method(tt, Some(*class), name) {
                    return Ok((Access::Method(Callee::One(m), None), t));
                }
                if *class == Class::Map {
                    return Ok((Access::Field(Value::str(name)), tt.param(1)));
                }
                // A method of that name that needs arguments is an argument mismatch.
                let with_args = methods::lookup(tt, Some(*class), name);
                if !with_args.is_empty() {
                    let required = with_args
                        .iter()
                        .map(|m| m.signature())
                        .collect::<Vec<_>>()
                        .join(" or ");
                    return Err(self.err(TypeError::MismatchParams {
                        found: format!("{name}()"),
                        required,
                        span,
                    }));
                }
                Err(self.err(TypeError::NoProperty {
                    property: name.into(),
                    ty: tt.to_string(),
                    span,
                }))
            }
        }
    }

    fn method(
        &mut self,
        target: Node,
        tt: Type,
        name: &str,
        args: &[Expr],
        safe: bool,
        span: Span,
    ) -> TR {
        let mut arg_nodes = Vec::with_capacity(args.len());
        let mut arg_types = Vec::with_capacity(args.len());
        let mut failed = false;
        for a in args {
            match self.expr(a) {
                Ok((n, t)) => {
                    arg_nodes.push(n);
                    arg_types.push(t);
                }
                Err(_) => failed = true,
            }
        }
        if failed {
            return Err(Failed);
        }
        let (class, candidates): (Option<Class>, Vec<&'static MethodDef>) = match &tt {
            Type::Null => {
                return Err(self.err(TypeError::MethodInvocationNotAllowed { ty: "Null", span }))
            }
            Type::Unknown => {
                let c = methods::lookup(&tt, None, name);
                if c.is_empty() {
                    return Err(self.err(TypeError::MethodInvocationNotAllowed {
                        ty: "Unknown",
                        span,
                    }));
                }
                (None, c)
            }
            Type::Union(members) => {
                let mut results = Vec::new();
                for m in members.iter() {
                    let class = m.base_class();
                    let cands = methods::lookup(m, class, name);
                    for c in cands {
                        if self.args_match(c, &arg_types) {
                            if let Ok(t) = c.result_type(m, &arg_types) {
                                results.push(t);
                            }
                        }
                    }
                }
                if results.is_empty() {
                    return Err(self.err(TypeError::UnknownMethod {
                        name: name.into(),
                        ty: tt.to_string(),
                        span,
                    }));
                }
                let node = Node::call(
                    target,
                    Callee::Dynamic(Arc::from(name)),
                    arg_nodes,
                    safe,
                    None,
                );
                return Ok((node, Type::union(results)));
            }
            _ => {
                let class = tt.base_class();
                if class == Some(Class::ClassRef) {
                    let target_class = tt.param(0).base_class().unwrap_or(Class::Object);
                    (class, methods::static_lookup(target_class, name))
                } else {
                    (class, methods::lookup(&tt, class, name))
                }
            }
        };
        if candidates.is_empty() {
            return Err(self.err(TypeError::UnknownMethod {
                name: name.into(),
                ty: tt.to_string(),
                span,
            }));
        }
        let _ = class;
        let matching: Vec<&'static MethodDef> = candidates
            .iter()
            .copied()
            .filter(|m| self.args_match(m, &arg_types))
            .collect();
        if matching.is_empty() {
            let found = format!(
                "{name}({})",
                arg_types
                    .iter()
                    .map(|t| t.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let required = candidates
                .iter()
                .map(|m| m.signature())
                .collect::<Vec<_>>()
                .join(" or ");
            return Err(self.err(TypeError::MismatchParams {
                found,
                required,
                span,
            }));
        }
        let mut results = Vec::new();
        let mut first_err = None;
        let mut ok_methods = Vec::new();
        for m in &matching {
            match m.result_type(&tt, &arg_types) {
                Ok(t) => {
                    results.push(t);
                    ok_methods.push(*m);
                }
                Err(msg) => {
                    first_err.get_or_insert(msg.to_string());
                }
            }
        }
        if ok_methods.is_empty() {
            let message = first_err.unwrap_or_else(|| format!("Unknown method '{name}' in {tt}"));
            return Err(self.err(TypeError::Other { message, span }));
        }
        // State the one resolved overload precomputed from constant arguments.
        let mut prepared = None;
        let callee = if ok_methods.len() == 1 {
            let m = ok_methods[0];
            // Insert conversions where the argument only loosely fits the parameter.
            arg_nodes = arg_nodes
                .into_iter()
                .zip(arg_types.iter())
                .enumerate()
                .map(
                    |(i, (n, t))| match m.param(i).and_then(|p| p.class().map(|c| (p, c))) {
                        Some((p, c))
                            if !c.is_number()
                                && !t.is_assignable_without_conversion(&p.to_type()) =>
                        {
                            self.fold(Node::Convert(bx(n), c))
                        }
                        Some((_, c))
                            if c.is_number()
                                && c != Class::Number
                                && t.base_class().is_some_and(|tc| !tc.is_subclass_of(c)) =>
                        {
                            self.fold(Node::Convert(bx(n), c))
                        }
                        _ => n,
                    },
                )
                .collect();
            if let Some(hook) = m.prepare {
                let consts: Vec<Option<&Value>> = arg_nodes
                    .iter()
                    .map(|n| match n {
                        Node::Const(v) => Some(v),
                        _ => None,
                    })
                    .collect();
                match (hook.prepare)(&consts) {
                    Ok(Some(state)) => {
                        prepared = Some(PreparedCall {
                            call: hook.call,
                            state,
                        })
                    }
                    Ok(None) => {}
                    Err(e) => {
                        let span = args.get(e.arg).map_or(span, |a| a.span);
                        return Err(self.err(TypeError::BadArgument {
                            message: e.message,
                            span,
                        }));
                    }
                }
            }
            Callee::One(m)
        } else {
            Callee::Many(Arc::from(ok_methods))
        };
        let ty = if results.len() == 1 {
            results.pop().unwrap_or(Type::Unknown)
        } else {
            Type::union(results)
        };
        let node = Node::prepared_call(target, callee, arg_nodes, prepared, safe, None);
        Ok((node, ty))
    }

    fn args_match(&self, m: &MethodDef, args: &[Type]) -> bool {
        if !m.arity_ok(args.len()) {
            return false;
        }
        args.iter().enumerate().all(|(i, t)| match m.param(i) {
            Some(p) => t.can_be_converted_to(&p.to_type()),
            None => false,
        })
    }

    fn index(&mut self, target: &Expr, index: &Expr, safe: bool, span: Span) -> TR {
        let tr = self.expr(target);
        // A bare identifier inside [] is the literal key name.
        let ir = match &index.kind {
            ExprKind::Ident(n) => Ok((
                Node::Const(Value::str(n)),
                Type::Const(Arc::new((Type::string(), Value::str(n)))),
            )),
            _ => self.expr(index),
        };
        let ((tn, tt), (inode, it)) = (tr?, ir?);
        let ty = match &tt {
            Type::Null => return Err(self.err(TypeError::CannotIndex { span })),
            Type::Unknown => Type::Unknown,
            Type::Record(fields) => {
                if let Some(key) = it.known_str() {
                    match fields.get(key) {
                        Some(t) => t.clone(),
                        None => {
                            return Err(self.err(TypeError::NoProperty {
                                property: key.into(),
                                ty: tt.to_string(),
                                span,
                            }))
                        }
                    }
                } else if it.is_string() || it.is_unknown() {
                    fields
                        .values()
                        .cloned()
                        .reduce(|a, b| common_supertype(&a, &b))
                        .unwrap_or(Type::Unknown)
                        .without_value()
                } else {
                    return Err(self.err(TypeError::NoPropertyOfType {
                        index: it.to_string(),
                        ty: tt.to_string(),
                        span,
                    }));
                }
            }
            t => match t.base_class() {
                Some(c) if c == Class::Array || c.is_subclass_of(Class::List) => t.param(0),
                Some(Class::Map) => {
                    if it.is_unknown() || it.is_assignable_without_conversion(&t.param(0)) {
                        t.param(1)
                    } else {
                        return Err(self.err(TypeError::CannotIndex { span }));
                    }
                }
                _ => return Err(self.err(TypeError::DynamicPropertyAccess { span })),
            },
        };
        let node = self.fold(Node::Index {
            target: bx(tn),
            index: bx(inode),
            safe,
        });
        Ok((node, ty))
    }

    fn iterable_element(&mut self, tt: &Type, span: Span) -> Result<Type, Failed> {
        match tt {
            Type::Unknown => Ok(Type::Unknown),
            t => {
                if let Some(e) = t.element_type() {
                    return Ok(e);
                }
                if let Some(e) = t.map_entry_type() {
                    return Ok(e);
                }
                Err(self.err(TypeError::NotIterable {
                    ty: t.to_string(),
                    span,
                }))
            }
        }
    }

    fn selection(
        &mut self,
        target: &Expr,
        kind: SelectKind,
        pred: &Expr,
        safe: bool,
        span: Span,
    ) -> TR {
        let (tn, tt) = self.expr(target)?;
        let elem = self.iterable_element(&tt, span)?;
        self.this.push(elem.clone());
        let pr = self.expr(pred);
        self.this.pop();
        let (pn, pt) = pr?;
        if !(pt.is_boolean() || pt.is_unknown() || pt.is_null()) {
            return Err(self.err(TypeError::WrongSelectionType {
                ty: pt.to_string(),
                span: pred.span,
            }));
        }
        let is_map = matches!(tt, Type::Record(_)) || tt.is_class(Class::Map);
        let ty = match kind {
            SelectKind::All if is_map => Type::record(Type::empty_fields()),
            SelectKind::All => match &tt {
                Type::Class(c, p) => Type::Class(
                    *c,
                    Arc::from(p.iter().map(|t| t.without_value()).collect::<Vec<_>>()),
                ),
                other => other.without_value(),
            },
            _ => elem,
        };
        let node = Node::Select {
            target: bx(tn),
            kind,
            pred: bx(pn),
            safe,
        };
        Ok((self.fold(node), ty))
    }

    fn projection(&mut self, target: &Expr, expr: &Expr, safe: bool, span: Span) -> TR {
        let (tn, tt) = self.expr(target)?;
        let elem = self.iterable_element(&tt, span)?;
        self.this.push(elem);
        let er = self.expr(expr);
        self.this.pop();
        let (en, et) = er?;
        let ty = if tt.is_class(Class::Array) {
            Type::array(et.without_value_if_scalar())
        } else {
            Type::list(et.without_value_if_scalar())
        };
        let node = Node::Project {
            target: bx(tn),
            expr: bx(en),
            safe,
        };
        Ok((self.fold(node), ty))
    }

    fn binary(&mut self, op: BinOp, a: &Expr, b: &Expr, span: Span) -> TR {
        if op == BinOp::InstanceOf {
            let (ln, _) = self.expr(a)?;
            let class = match &b.kind {
                ExprKind::TypeRef(name) => self.class_ref(name, b.span)?,
                _ => {
                    return Err(self.err(TypeError::Other {
                        message: "Right operand of 'instanceof' must be a class (T(...))".into(),
                        span: b.span,
                    }))
                }
            };
            let node = self.fold(Node::InstanceOf(bx(ln), class));
            return Ok((node, Type::boolean()));
        }
        let l = self.expr(a);
        let r = self.expr(b);
        let ((ln, lt), (rn, rt)) = (l?, r?);
        // Variables typed with values fold at the type level (`#x + 2` is `Integer(4)`).
        let (ln, rn) = match (lt.known_value(), rt.known_value(), &ln, &rn) {
            (Some(x), Some(y), l, r) if !(l.is_const() && r.is_const()) => {
                let folded = self.binary_consts(op, x, y);
                if let Some(v) = folded {
                    let ty = Type::of_value(&v);
                    if matches!(ty, Type::Const(_)) {
                        let op_span = self.operator_span(a.span, b.span, span);
                        let spans = OpSpans {
                            op: op_span,
                            whole: span,
                            right: b.span,
                        };
                        let (node, base) =
                            self.binary_nodes(op, (ln, lt.clone()), (rn, rt.clone()), spans)?;
                        return Ok((node, Self::retype(base, v)));
                    }
                }
                (ln, rn)
            }
            _ => (ln, rn),
        };
        let op_span = self.operator_span(a.span, b.span, span);
        self.binary_nodes(
            op,
            (ln, lt),
            (rn, rt),
            OpSpans {
                op: op_span,
                whole: span,
                right: b.span,
            },
        )
    }

    /// The operator between two operands, for error positions (`1 + 'a'` points at `+`).
    fn operator_span(&self, left: Span, right: Span, whole: Span) -> Span {
        let gap = self
            .src
            .get(left.end as usize..right.start as usize)
            .unwrap_or("");
        match gap.find(|c: char| !c.is_whitespace() && c != '(' && c != ')') {
            Some(i) => {
                let start = left.end as usize + i;
                let len = gap[i..].find(char::is_whitespace).unwrap_or(gap.len() - i);
                Span::new(start, start + len.max(1))
            }
            None => whole,
        }
    }

    fn retype(base: Type, v: Value) -> Type {
        match base {
            Type::Class(..) => Type::Const(Arc::new((base, v))),
            other => other,
        }
    }

    /// Evaluates `x op y` on known values (for type-level constant folding).
    fn binary_consts(&self, op: BinOp, x: &Value, y: &Value) -> Option<Value> {
        let (a, b) = (bx(Node::Const(x.clone())), bx(Node::Const(y.clone())));
        let node = match op {
            BinOp::Add => Node::Add(a, b),
            BinOp::Sub => Node::Arith(ArithOp::Sub, a, b),
            BinOp::Mul => Node::Arith(ArithOp::Mul, a, b),
            BinOp::Div => Node::Arith(ArithOp::Div, a, b),
            BinOp::Mod => Node::Arith(ArithOp::Rem, a, b),
            BinOp::Eq => Node::Eq {
                negate: false,
                left: a,
                right: b,
            },
            BinOp::Ne => Node::Eq {
                negate: true,
                left: a,
                right: b,
            },
            BinOp::Lt => Node::Cmp(crate::eval::CmpOp::Lt, a, b),
            BinOp::Le => Node::Cmp(crate::eval::CmpOp::Le, a, b),
            BinOp::Gt => Node::Cmp(crate::eval::CmpOp::Gt, a, b),
            BinOp::Ge => Node::Cmp(crate::eval::CmpOp::Ge, a, b),
            _ => return None,
        };
        match self.fold(node) {
            Node::Const(v) => Some(v),
            _ => None,
        }
    }

    fn binary_nodes(
        &mut self,
        op: BinOp,
        (ln, lt): (Node, Type),
        (rn, rt): (Node, Type),
        spans: OpSpans,
    ) -> TR {
        let OpSpans {
            op: span,
            whole,
            right: rspan,
        } = spans;
        let sym = op.symbol();
        let numeric = |t: &Type| t.is_number() || t.is_unknown();
        match op {
            BinOp::Add => {
                let ty = if lt.is_unknown() || rt.is_unknown() {
                    Type::Unknown
                } else if stringish(&lt) || stringish(&rt) {
                    Type::string()
                } else if lt.is_number() && rt.is_number() {
                    promoted(&lt, &rt)
                } else {
                    return Err(self.err(TypeError::OperatorMismatch {
                        op: "+",
                        left: lt.to_string(),
                        right: rt.to_string(),
                        span,
                    }));
                };
                let node = self.fold(Node::Add(bx(ln), bx(rn)));
                let ty = Self::with_value(&node, ty);
                Ok((node, ty))
            }
            BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod => {
                if !numeric(&lt) || !numeric(&rt) {
                    if op == BinOp::Sub && lt == rt {
                        return Err(self.err(TypeError::OperatorNonNumeric {
                            op: "-",
                            ty: lt.to_string(),
                            span,
                        }));
                    }
                    return Err(self.err(TypeError::OperatorMismatch {
                        op: sym,
                        left: lt.to_string(),
                        right: rt.to_string(),
                        span,
                    }));
                }
                if matches!(op, BinOp::Div | BinOp::Mod) {
                    if let Some(v) = rt.known_value() {
                        if crate::value::number::to_f64(v) == Some(0.0) {
                            let expr = self.text(whole);
                            return Err(self.err(if op == BinOp::Div {
                                TypeError::DivisionByZero { expr, span }
                            } else {
                                TypeError::ModuloZero { expr, span }
                            }));
                        }
                    }
                }
                let aop = match op {
                    BinOp::Sub => ArithOp::Sub,
                    BinOp::Mul => ArithOp::Mul,
                    BinOp::Div => ArithOp::Div,
                    _ => ArithOp::Rem,
                };
                let ty = if lt.is_unknown() || rt.is_unknown() {
                    Type::Unknown
                } else {
                    promoted(&lt, &rt)
                };
                let node = self.fold(Node::Arith(aop, bx(ln), bx(rn)));
                let ty = Self::with_value(&node, ty);
                Ok((node, ty))
            }
            BinOp::Pow => {
                if !numeric(&lt) || !numeric(&rt) {
                    return Err(self.err(TypeError::OperatorMismatch {
                        op: "^",
                        left: lt.to_string(),
                        right: rt.to_string(),
                        span,
                    }));
                }
                let ty = match (lt.base_class(), rt.base_class()) {
                    (Some(Class::BigDecimal), _) => Type::class(Class::BigDecimal),
                    (Some(Class::BigInteger), _) => Type::class(Class::BigInteger),
                    (Some(a), Some(b))
                        if matches!(a, Class::Double | Class::Float)
                            || matches!(b, Class::Double | Class::Float) =>
                    {
                        Type::double()
                    }
                    (Some(a), Some(b)) if a == Class::Long || b == Class::Long => Type::long(),
                    (Some(a), Some(b)) if a.is_integral() && b.is_integral() => {
                        Type::union([Type::integer(), Type::long()])
                    }
                    (Some(_), Some(_)) => Type::number(),
                    _ => Type::Unknown,
                };
                Ok((self.fold(Node::Pow(bx(ln), bx(rn))), ty))
            }
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                let ok = |t: &Type| t.is_number() || t.is_unknown() || t.is_null();
                if !ok(&lt) || !ok(&rt) {
                    return Err(self.err(TypeError::WrongPartTypes { span }));
                }
                let cop = match op {
                    BinOp::Lt => crate::eval::CmpOp::Lt,
                    BinOp::Le => crate::eval::CmpOp::Le,
                    BinOp::Gt => crate::eval::CmpOp::Gt,
                    _ => crate::eval::CmpOp::Ge,
                };
                let node = self.fold(Node::Cmp(cop, bx(ln), bx(rn)));
                let ty = Self::with_value(&node, Type::boolean());
                Ok((node, ty))
            }
            BinOp::Eq | BinOp::Ne => {
                if !comparable(&lt, &rt) {
                    return Err(self.err(TypeError::NotComparable {
                        op: sym,
                        left: lt.to_string(),
                        right: rt.to_string(),
                        span,
                    }));
                }
                let node = self.fold(Node::Eq {
                    negate: op == BinOp::Ne,
                    left: bx(ln),
                    right: bx(rn),
                });
                let ty = Self::with_value(&node, Type::boolean());
                Ok((node, ty))
            }
            BinOp::Matches => {
                let ok = |t: &Type| t.is_string() || t.is_unknown() || t.is_null();
                if !ok(&lt) || !ok(&rt) {
                    return Err(self.err(TypeError::WrongPartTypes { span }));
                }
                let regex = match &rn {
                    Node::Const(Value::Str(p)) => match methods::string::full_match_regex(p) {
                        Ok(re) => Ok(re),
                        Err(message) => {
                            return Err(self.err(TypeError::BadRegex {
                                message: methods::string::invalid_regex(&message),
                                span: rspan,
                            }))
                        }
                    },
                    _ => Err(bx(rn)),
                };
                let node = self.fold(Node::Matches {
                    text: bx(ln),
                    regex,
                });
                Ok((node, Type::boolean()))
            }
            BinOp::Between => Ok((self.fold(Node::Between(bx(ln), bx(rn))), Type::boolean())),
            BinOp::InstanceOf => Err(Failed),
        }
    }
}

const KNOWN_FORBIDDEN: &[&str] = &[
    "java.lang.System",
    "java.lang.Runtime",
    "java.lang.Thread",
    "java.lang.ProcessBuilder",
    "java.lang.Process",
    "java.lang.Class",
    "java.lang.ClassLoader",
    "java.lang.Math",
    "java.lang.StrictMath",
    "java.lang.Character",
    "java.lang.StringBuilder",
    "java.lang.Void",
    "java.util.HashMap",
    "java.util.ArrayList",
    "java.util.Arrays",
    "java.util.Collections",
    "java.util.Scanner",
    "java.util.Random",
];

fn literal(l: &Literal) -> (Node, Type) {
    let v = match l {
        Literal::Null => return (Node::Const(Value::Null), Type::Null),
        Literal::Bool(b) => Value::Bool(*b),
        Literal::Int(i) => Value::Int(*i),
        Literal::Long(i) => Value::Long(*i),
        Literal::Float(f) => Value::Float(*f),
        Literal::Double(d) => Value::Double(*d),
        Literal::Str(s) => Value::str(s),
    };
    let ty = Type::of_value(&v);
    (Node::Const(v), ty)
}

fn bool_like(t: &Type) -> bool {
    t.is_boolean() || t.is_unknown() || t.is_null()
}

fn stringish(t: &Type) -> bool {
    t.is_string() || t.is_null()
}

fn promoted(a: &Type, b: &Type) -> Type {
    let mut out = Vec::new();
    for x in a.members() {
        for y in b.members() {
            match (x.base_class(), y.base_class()) {
                (Some(x), Some(y)) => out.push(Type::class(NumberPromotion::Math.promote(x, y))),
                _ => return Type::Unknown,
            }
        }
    }
    Type::union(out)
}

trait Swap {
    fn swap(self) -> (Node, Type);
}
impl Swap for (Type, Node) {
    fn swap(self) -> (Node, Type) {
        (self.1, self.0)
    }
}

impl Type {
    /// Projections keep values only inside records (as the reference's entry records do).
    fn without_value_if_scalar(&self) -> Type {
        match self {
            Type::Const(c) => c.0.clone(),
            other => other.clone(),
        }
    }
}
