//! Parser for the display syntax of types (`Record{a: Long}`, `List[String]`, `A | B`), used for
//! declared variable types and expected types.

use super::{Class, Type};
use crate::value::Str;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("invalid type '{text}' at column {column}: {message}")]
pub struct TypeParseError {
    pub text: String,
    pub column: usize,
    pub message: String,
}

pub fn parse_type(text: &str) -> Result<Type, TypeParseError> {
    let mut p = P {
        s: text.as_bytes(),
        i: 0,
        text,
    };
    let t = p.union()?;
    p.ws();
    if p.i != p.s.len() {
        return Err(p.err("unexpected trailing text"));
    }
    Ok(t)
}

struct P<'a> {
    s: &'a [u8],
    i: usize,
    text: &'a str,
}

impl P<'_> {
    fn err(&self, m: &str) -> TypeParseError {
        TypeParseError {
            text: self.text.to_string(),
            column: self.i + 1,
            message: m.to_string(),
        }
    }
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }
    fn eat(&mut self, c: u8) -> bool {
        self.ws();
        if self.s.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn expect(&mut self, c: u8) -> Result<(), TypeParseError> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(self.err(&format!("expected '{}'", c as char)))
        }
    }
    fn ident(&mut self) -> Result<&str, TypeParseError> {
        self.ws();
        let start = self.i;
        while self.i < self.s.len()
            && (self.s[self.i].is_ascii_alphanumeric()
                || matches!(self.s[self.i], b'_' | b'.' | b'$'))
        {
            self.i += 1;
        }
        if start == self.i {
            return Err(self.err("expected a name"));
        }
        Ok(&self.text[start..self.i])
    }
    fn union(&mut self) -> Result<Type, TypeParseError> {
        let mut members = vec![self.member()?];
        while self.eat(b'|') {
            members.push(self.member()?);
        }
        Ok(if members.len() == 1 {
            members.remove(0)
        } else {
            Type::union(members)
        })
    }
    fn member(&mut self) -> Result<Type, TypeParseError> {
        let name = self.ident()?.to_string();
        match name.as_str() {
            "Unknown" | "Object" => return Ok(Type::Unknown),
            "Null" => return Ok(Type::Null),
            "Record" => {
                self.expect(b'{')?;
                let mut fields = Type::empty_fields();
                if !self.eat(b'}') {
                    loop {
                        self.ws();
                        let key = if self.eat(b'"') {
                            let start = self.i;
                            while self.i < self.s.len() && self.s[self.i] != b'"' {
                                self.i += 1;
                            }
                            let k = self.text[start..self.i].to_string();
                            self.expect(b'"')?;
                            k
                        } else {
                            self.ident()?.to_string()
                        };
                        self.expect(b':')?;
                        let t = self.union()?;
                        fields.insert(Str::from(key), t);
                        if self.eat(b'}') {
                            break;
                        }
                        self.expect(b',')?;
                    }
                }
                return Ok(Type::record(fields));
            }
            _ => {}
        }
        let class = if name == "Array" {
            Class::Array
        } else {
            Class::by_name(&name).ok_or_else(|| self.err(&format!("unknown class '{name}'")))?
        };
        let mut params = Vec::new();
        if self.eat(b'[') {
            loop {
                params.push(self.union()?);
                if self.eat(b']') {
                    break;
                }
                self.expect(b',')?;
            }
        }
        Ok(Type::generic(class, params))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_display_syntax() {
        for s in [
            "Record{a: Long, b: Record{c: String}}",
            "List[Record{key: String, value: Integer}]",
            "Map[String,Unknown]",
            "Record{lon: Long} | Record{str: String}",
            "Unknown",
        ] {
            let t = parse_type(s).expect("parses");
            assert_eq!(t.to_string(), s);
        }
    }

    #[test]
    fn reports_the_column() {
        let e = parse_type("List[Foo]").expect_err("unknown class");
        assert_eq!(e.column, 9);
    }
}
