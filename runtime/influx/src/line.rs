//! InfluxDB line protocol (v1): `measurement,tag=v,... field=v,... timestamp`, with the
//! escaping the protocol asks for. Integer fields carry the `i` suffix, as Dropwizard's
//! reporter writes counts; a line with a NaN or infinite field is dropped, as the reference
//! drops it.

use std::fmt::Write;

/// A field value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Field {
    Int(i64),
    Float(f64),
}

/// One point: measurement, tags (sorted by key, as InfluxDB prefers), fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub measurement: String,
    pub tags: Vec<(String, String)>,
    pub fields: Vec<(&'static str, Field)>,
}

fn escape(out: &mut String, s: &str, also: &[char]) {
    for c in s.chars() {
        if c == ',' || c == ' ' || also.contains(&c) {
            out.push('\\');
        }
        // Newlines cannot be escaped in line protocol: a space keeps the line whole.
        out.push(if c == '\n' || c == '\r' { ' ' } else { c });
    }
}

impl Point {
    /// The line, or `None` when a field is not a finite number (or there is no field).
    pub fn line(&self, timestamp_ns: i64, out: &mut String) -> Option<()> {
        if self.fields.is_empty()
            || self
                .fields
                .iter()
                .any(|(_, f)| matches!(f, Field::Float(x) if !x.is_finite()))
        {
            return None;
        }
        escape(out, &self.measurement, &[]);
        let mut tags: Vec<&(String, String)> =
            self.tags.iter().filter(|(_, v)| !v.is_empty()).collect();
        tags.sort();
        for (k, v) in tags {
            out.push(',');
            escape(out, k, &['=']);
            out.push('=');
            escape(out, v, &['=']);
        }
        for (i, (k, f)) in self.fields.iter().enumerate() {
            out.push(if i == 0 { ' ' } else { ',' });
            escape(out, k, &['=']);
            let _ = match f {
                Field::Int(v) => write!(out, "={v}i"),
                Field::Float(v) => write!(out, "={v}"),
            };
        }
        let _ = writeln!(out, " {timestamp_ns}");
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_escape_names_and_drop_nan() {
        let p = Point {
            measurement: "end.count".into(),
            tags: vec![
                ("scenario".into(), "loan request".into()),
                ("nodeId".into(), "a,b=c".into()),
                ("env".into(), String::new()),
            ],
            fields: vec![("count", Field::Int(3))],
        };
        let mut out = String::new();
        assert_eq!(p.line(7, &mut out), Some(()));
        assert_eq!(
            out,
            "end.count,nodeId=a\\,b\\=c,scenario=loan\\ request count=3i 7\n"
        );
        let nan = Point {
            fields: vec![("value", Field::Float(f64::NAN))],
            ..p
        };
        let mut out = String::new();
        assert_eq!(nan.line(7, &mut out), None);
        assert!(out.is_empty());
    }
}
