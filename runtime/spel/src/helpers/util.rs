//! `#UTIL` helper (spel.md §13.2): `util.scala`.

use crate::methods::string::java_split;
use crate::methods::{args, MethodDef, P};
use crate::types::Type;
use crate::value::Value;
use crate::{m, mf};

fn t_list_of_strings(_: &Type, _: &[Type]) -> Result<Type, crate::methods::MethodError> {
    Ok(Type::list(Type::string()))
}

pub static METHODS: &[MethodDef] = &[
    m!("uuid", [], P::Str, |_, _, _| Ok(Value::str(
        uuid::Uuid::new_v4().to_string()
    ))),
    // Java `text.split(regexp, -1)`: trailing empty strings are kept.
    mf!("split", [P::Str, P::Str], t_list_of_strings, |_, a, env| {
        Ok(Value::list(java_split(
            args::str(a, 0)?,
            args::str(a, 1)?,
            true,
            env,
        )?))
    }),
];

#[cfg(test)]
mod tests {
    use crate::{compile, CompileOptions, EvalEnv, Scope, Value};

    fn run(src: &str) -> (Value, String) {
        let e = compile(src, &Scope::with_helpers(), &CompileOptions::default()).expect(src);
        (
            e.eval(&[], &EvalEnv::default()).expect(src),
            e.static_type().to_string(),
        )
    }

    #[test]
    fn uuid_and_split() {
        assert_eq!(run("#UTIL.uuid.length()").0, Value::Int(36));
        assert_eq!(run("#UTIL.uuid()").1, "String");
        let (v, t) = run("#UTIL.split('1,2,,3,', ',')");
        assert_eq!(
            (v.to_java_string().as_str(), t.as_str()),
            ("[1, 2, , 3, ]", "List[String]")
        );
        assert_eq!(
            run("#UTIL.split('', ',')").0,
            Value::list(vec![Value::str("")])
        );
    }
}
