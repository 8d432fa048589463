//! Literal semantics the Core components need: datatype well-formedness (`sh:datatype` rejects
//! `"abc"^^xsd:integer`) and value comparison (`sh:minInclusive`, `sh:lessThan`), following
//! XSD via oxsdatatypes, as SPARQL's `<` does.

use oxigraph::model::{Literal, Term};
use oxsdatatypes::{
    Boolean, Date, DateTime, Decimal, Double, Duration, Float, GDay, GMonth, GMonthDay, GYear,
    GYearMonth, Integer, Time,
};
use std::cmp::Ordering;
use std::str::FromStr;

const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// A literal's value, when its datatype is one we can compare.
enum Value<'a> {
    Decimal(Decimal),
    Double(Double),
    DateTime(DateTime),
    Date(Date),
    Time(Time),
    Duration(Duration),
    Boolean(bool),
    String(&'a str),
}

fn local(l: &Literal) -> Option<&str> {
    l.datatype().as_str().strip_prefix(XSD)
}

/// `None` when the lexical form is not valid for the datatype, `Some(None)` when the datatype is
/// not one of those checked here (so it is taken as well-formed).
fn parse(l: &Literal) -> Option<Option<Value<'_>>> {
    let v = l.value();
    let Some(name) = local(l) else {
        return Some(None);
    };
    let integer = |min: Option<i128>, max: Option<i128>| -> Option<Option<Value<'_>>> {
        let i = Integer::from_str(v).ok()?;
        let n = i128::from(i64::from(i));
        if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
            return None;
        }
        Some(Some(Value::Decimal(Decimal::from(i))))
    };
    Some(Some(match name {
        "integer" => return integer(None, None),
        "long" => return integer(Some(i64::MIN.into()), Some(i64::MAX.into())),
        "int" => return integer(Some(i32::MIN.into()), Some(i32::MAX.into())),
        "short" => return integer(Some(i16::MIN.into()), Some(i16::MAX.into())),
        "byte" => return integer(Some(i8::MIN.into()), Some(i8::MAX.into())),
        "nonNegativeInteger" | "unsignedLong" => return integer(Some(0), None),
        "unsignedInt" => return integer(Some(0), Some(u32::MAX.into())),
        "unsignedShort" => return integer(Some(0), Some(u16::MAX.into())),
        "unsignedByte" => return integer(Some(0), Some(u8::MAX.into())),
        "positiveInteger" => return integer(Some(1), None),
        "nonPositiveInteger" => return integer(None, Some(0)),
        "negativeInteger" => return integer(None, Some(-1)),
        "decimal" => Value::Decimal(Decimal::from_str(v).ok()?),
        "double" => Value::Double(Double::from_str(v).ok()?),
        "float" => Value::Double(Double::from(Float::from_str(v).ok()?)),
        "boolean" => Value::Boolean(Boolean::from_str(v).ok()?.into()),
        "dateTime" | "dateTimeStamp" => Value::DateTime(DateTime::from_str(v).ok()?),
        "date" => Value::Date(Date::from_str(v).ok()?),
        "time" => Value::Time(Time::from_str(v).ok()?),
        "duration" => Value::Duration(Duration::from_str(v).ok()?),
        "gYear" => return GYear::from_str(v).ok().map(|_| None),
        "gYearMonth" => return GYearMonth::from_str(v).ok().map(|_| None),
        "gMonth" => return GMonth::from_str(v).ok().map(|_| None),
        "gDay" => return GDay::from_str(v).ok().map(|_| None),
        "gMonthDay" => return GMonthDay::from_str(v).ok().map(|_| None),
        "string" => Value::String(v),
        _ => return Some(None),
    }))
}

/// Whether `term` is a literal of `datatype` with a valid lexical form.
pub(crate) fn has_datatype(term: &Term, datatype: &str) -> bool {
    let Term::Literal(l) = term else {
        return false;
    };
    if l.datatype().as_str() != datatype {
        return false;
    }
    parse(l).is_some()
}

/// Compares two literals as SPARQL's `<` would; `None` when they are not comparable.
pub(crate) fn compare(a: &Term, b: &Term) -> Option<Ordering> {
    let (Term::Literal(a), Term::Literal(b)) = (a, b) else {
        return None;
    };
    if a.language().is_some() || b.language().is_some() {
        return (a.language() == b.language()).then(|| a.value().cmp(b.value()));
    }
    let va = parse(a)??;
    let vb = parse(b)??;
    match (va, vb) {
        (Value::Decimal(x), Value::Decimal(y)) => x.partial_cmp(&y),
        (Value::Decimal(x), Value::Double(y)) => Double::from(x).partial_cmp(&y),
        (Value::Double(x), Value::Decimal(y)) => x.partial_cmp(&Double::from(y)),
        (Value::Double(x), Value::Double(y)) => x.partial_cmp(&y),
        (Value::DateTime(x), Value::DateTime(y)) => x.partial_cmp(&y),
        (Value::Date(x), Value::Date(y)) => x.partial_cmp(&y),
        (Value::Time(x), Value::Time(y)) => x.partial_cmp(&y),
        (Value::Duration(x), Value::Duration(y)) => x.partial_cmp(&y),
        (Value::Boolean(x), Value::Boolean(y)) => Some(x.cmp(&y)),
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        _ => None,
    }
}
