//! `#GEO` helper (spel.md §13.9): `geo.scala`.
//!
//! The reference's haversine multiplies by `cos(lon1)` where the formula has `cos(lat1)`; the bug
//! is reproduced so results match. A `Point` is represented as a record `{lat, lon}` of doubles
//! (the dialect has no `Point` class).

use crate::methods::{args, MethodDef, P};
use crate::types::Type;
use crate::value::{Str, Value};
use crate::{m, mf};

const EARTH_RADIUS_KM: f64 = 6372.8;

/// Distance in km between two points, as the reference computes it.
pub fn distance_in_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let d_lat = (lat1 - lat2).to_radians();
    let d_lon = (lon1 - lon2).to_radians();
    let a = (d_lat / 2.0).sin().powi(2)
        + (d_lon / 2.0).sin().powi(2) * lon1.to_radians().cos() * lat2.to_radians().cos();
    let c = 2.0 * a.sqrt().asin();
    c * EARTH_RADIUS_KM
}

fn coordinate(a: &[Value], i: usize) -> Result<f64, String> {
    if args::get(a, i)?.is_null() {
        return Err(
            "Cannot invoke \"java.lang.Number.doubleValue()\" because the coordinate is null"
                .into(),
        );
    }
    args::double(a, i)
}

fn point_coordinates(a: &[Value], i: usize) -> Result<(f64, f64), String> {
    let m = args::map(a, i)?;
    let get = |k: &str| -> Result<f64, String> {
        m.get(&Value::str(k))
            .and_then(crate::value::number::to_f64)
            .ok_or_else(|| format!("Point has no numeric '{k}'"))
    };
    Ok((get("lat")?, get("lon")?))
}

fn t_point(_: &Type, _: &[Type]) -> Result<Type, crate::methods::MethodError> {
    let mut fields = Type::empty_fields();
    fields.insert(Str::new_static("lat"), Type::double());
    fields.insert(Str::new_static("lon"), Type::double());
    Ok(Type::record(fields))
}

pub static METHODS: &[MethodDef] = &[
    m!(
        "distanceInKm",
        [P::Number, P::Number, P::Number, P::Number],
        P::Double,
        |_, a, _| {
            Ok(Value::Double(distance_in_km(
                coordinate(a, 0)?,
                coordinate(a, 1)?,
                coordinate(a, 2)?,
                coordinate(a, 3)?,
            )))
        }
    ),
    m!("distanceInKm", [P::Map, P::Map], P::Double, |_, a, _| {
        let (lat1, lon1) = point_coordinates(a, 0)?;
        let (lat2, lon2) = point_coordinates(a, 1)?;
        Ok(Value::Double(distance_in_km(lat1, lon1, lat2, lon2)))
    }),
    mf!("toPoint", [P::Number, P::Number], t_point, |_, a, _| {
        let mut m = Value::map_with_capacity(2);
        m.insert(Value::str("lat"), Value::Double(coordinate(a, 0)?));
        m.insert(Value::str("lon"), Value::Double(coordinate(a, 1)?));
        Ok(Value::map(m))
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
    fn reference_distance() {
        assert_eq!(
            run("#GEO.distanceInKm(0, 0, 0, 0)"),
            (Value::Double(0.0), "Double".into())
        );
        let Value::Double(d) = run("#GEO.distanceInKm(52.2297, 21.0122, 50.0647, 19.9450)").0
        else {
            panic!()
        };
        assert!((d - 257.744).abs() < 0.001, "{d}");
        let (p, t) = run(
            "#GEO.distanceInKm(#GEO.toPoint(52.2297, 21.0122), #GEO.toPoint(50.0647, 19.9450))",
        );
        assert_eq!(t, "Double");
        assert_eq!(p, Value::Double(d));
        assert_eq!(
            run("#GEO.toPoint(1, 2).lat"),
            (Value::Double(1.0), "Double".into())
        );
    }
}
