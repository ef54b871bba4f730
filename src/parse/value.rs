//! Reading one field's text as its layout type, and the 11-proef.

use std::borrow::Cow;

use crate::layout::{CodeList, DateFormat, FieldSpec, FieldType, NumberCheck, RecordLayout, ValueKind, ValueRule};

/// A field's value once read. Text borrows from the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Value<'a> {
    Null,
    Text(&'a str),
    /// days since 1970-01-01
    Date(i32),
    Integer(i32),
    Flag(bool),
}

/// A field value that is present but not in its code list: kept as written,
/// reported as a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode {
    pub list: String,
    pub value: String,
}

/// Reads `raw` (already trimmed) as `spec` says. `Err` holds a message fit
/// for a user: values of person fields never appear in it.
pub fn read_value<'a>(
    layout: &RecordLayout,
    spec: &FieldSpec,
    raw: &'a str,
    unknown: &mut Option<UnknownCode>,
) -> Result<Value<'a>, String> {
    if raw.is_empty() {
        return if spec.required { Err("is empty but required".into()) } else { Ok(Value::Null) };
    }
    if let Some(check) = spec.check
        && !passes_11_proef(raw, check)
    {
        return Err(format!("{} fails the 11-proef for {}", mask(raw), check_name(check)));
    }
    match &spec.ty {
        FieldType::Code(list) => {
            let list = &layout.code_lists[*list];
            if !list.contains(raw) {
                *unknown = Some(UnknownCode { list: list.name.clone(), value: raw.to_string() });
            }
            Ok(Value::Text(raw))
        }
        FieldType::Date(fmt) => read_typed(ValueKind::Date, Some(fmt), raw),
        other => read_typed(other.kind(), None, raw),
    }
}

/// Reads a present (non-empty, trimmed) value as `kind`: the one place that
/// says what a date, a whole number and a J/N flag are, for deliveries and
/// reference files alike. `date_format` is needed for dates.
pub fn read_typed<'a>(kind: ValueKind, date_format: Option<&DateFormat>, raw: &'a str) -> Result<Value<'a>, String> {
    match kind {
        ValueKind::Text => Ok(Value::Text(raw)),
        ValueKind::Date => {
            let fmt = date_format.ok_or_else(|| "a date field needs a date format".to_string())?;
            fmt.parse_days(raw).map(Value::Date).ok_or_else(|| format!("{} is not a date in format {}", shown(raw), fmt.pattern()))
        }
        ValueKind::Integer => parse_int(raw).map(Value::Integer).ok_or_else(|| format!("{} is not a whole number", shown(raw))),
        ValueKind::Flag => match raw {
            "J" => Ok(Value::Flag(true)),
            "N" => Ok(Value::Flag(false)),
            _ => Err(format!("{} is not J or N", shown(raw))),
        },
    }
}

/// A [`Value`] that owns its text: a layout's constant, a delivery fact
/// remembered from its first line. Rows themselves stay [`Value`]s, borrowed
/// from the file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OwnedValue {
    Null,
    Text(String),
    Date(i32),
    Integer(i32),
    Flag(bool),
}

impl OwnedValue {
    pub fn value(&self) -> Value<'_> {
        match self {
            OwnedValue::Null => Value::Null,
            OwnedValue::Text(s) => Value::Text(s),
            OwnedValue::Date(d) => Value::Date(*d),
            OwnedValue::Integer(i) => Value::Integer(*i),
            OwnedValue::Flag(b) => Value::Flag(*b),
        }
    }
}

impl From<Value<'_>> for OwnedValue {
    fn from(v: Value<'_>) -> OwnedValue {
        match v {
            Value::Null => OwnedValue::Null,
            Value::Text(s) => OwnedValue::Text(s.to_string()),
            Value::Date(d) => OwnedValue::Date(d),
            Value::Integer(i) => OwnedValue::Integer(i),
            Value::Flag(b) => OwnedValue::Flag(b),
        }
    }
}

impl Value<'_> {
    pub fn is_null(&self) -> bool {
        *self == Value::Null
    }
}

/// Reads one header-CSV cell through its column's value rules, in this
/// order: spaces trimmed, null markers, the value map, the pattern, whole
/// numbers, zero padding, the 11-proef, the type. The value borrows from
/// `raw`, or from `scratch` when a rule rewrote the text (one scratch per
/// column, reused row after row: no allocation for text as written). `Err`
/// is a message fit for a user: text values (names, numbers) are masked,
/// dates and numbers shown.
pub fn read_cell<'a>(
    rule: &ValueRule,
    raw: &'a str,
    scratch: &'a mut String,
    lists: &[CodeList],
    unknown: &mut Option<UnknownCode>,
) -> Result<Value<'a>, String> {
    let raw = raw.trim_matches(|c: char| c == ' ' || c == '\t');
    // an empty cell is the common case in a wide file: settle it before any comparison
    if raw.is_empty() || rule.null.iter().any(|n| !n.is_empty() && n == raw) {
        return if rule.required { Err("is empty but required".into()) } else { Ok(Value::Null) };
    }
    let quoted = |v: &str| if rule.kind == ValueKind::Text && rule.codes.is_none() { mask(v) } else { shown(v) };
    let mut v: Cow<'a, str> = Cow::Borrowed(raw);
    if !rule.map.is_empty()
        && let Some(mapped) = rule.map.get(raw)
    {
        v = Cow::Owned(mapped.clone());
    }
    if let Some(re) = &rule.pattern {
        let caps = re.captures(&v).ok_or_else(|| format!("{} does not match the pattern {}", quoted(&v), re.as_str()))?;
        let m = caps.get(1).or_else(|| caps.get(0)).map(|m| m.as_str().to_string()).unwrap_or_default();
        v = Cow::Owned(m);
    }
    if rule.whole_number
        && let Some(p) = v.find(['.', ','])
    {
        let (int, frac) = (&v[..p], &v[p + 1..]);
        if !frac.bytes().all(|b| b == b'0') || int.is_empty() {
            return Err(format!("{} is not a whole number", quoted(&v)));
        }
        v = Cow::Owned(int.to_string());
    }
    if let Some(width) = rule.pad
        && v.len() < width
        && !v.is_empty()
        && v.bytes().all(|b| b.is_ascii_digit())
    {
        v = Cow::Owned(format!("{v:0>width$}"));
    }
    if v.is_empty() {
        return if rule.required { Err("is empty but required".into()) } else { Ok(Value::Null) };
    }
    if let Some(check) = rule.check
        && !passes_11_proef(&v, check)
    {
        return Err(format!("{} fails the 11-proef for {}", mask(&v), check_name(check)));
    }
    if let Some(list) = rule.codes.map(|i| &lists[i])
        && !list.contains(&v)
    {
        *unknown = Some(UnknownCode { list: list.name.clone(), value: v.to_string() });
    }
    let v: &'a str = match v {
        Cow::Borrowed(s) => s,
        Cow::Owned(o) => {
            *scratch = o;
            scratch
        }
    };
    match read_typed(rule.kind, rule.date.as_ref(), v) {
        Ok(value) => Ok(value),
        Err(e) if rule.also.is_empty() => Err(e),
        // a column whose dates come two ways: the others in order
        Err(e) => rule
            .also
            .iter()
            .find_map(|f| read_typed(rule.kind, Some(f), v).ok())
            .ok_or_else(|| format!("{e}, nor in {}", rule.also.iter().map(|f| f.pattern()).collect::<Vec<_>>().join(" or "))),
    }
}

fn parse_int(s: &str) -> Option<i32> {
    let (neg, digits) = match s.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, s),
    };
    if digits.is_empty() || digits.len() > 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let v: i64 = digits.parse().ok()?;
    i32::try_from(if neg { -v } else { v }).ok()
}

fn check_name(c: NumberCheck) -> &'static str {
    match c {
        NumberCheck::Bsn => "a BSN",
        NumberCheck::Onderwijsnummer => "an onderwijsnummer",
        NumberCheck::BsnOfOnderwijsnummer => "a BSN or onderwijsnummer",
    }
}

/// Weighted sum of the 11-proef (weights 9…2, −1), or `None` when `s` is not nine digits.
pub fn elfproef_sum(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 9 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut sum = 0i64;
    for (i, &c) in b.iter().enumerate() {
        let w = if i == 8 { -1 } else { 9 - i as i64 };
        sum += w * i64::from(c - b'0');
    }
    Some(sum)
}

pub fn passes_11_proef(s: &str, check: NumberCheck) -> bool {
    let Some(sum) = elfproef_sum(s) else { return false };
    let r = sum.rem_euclid(11);
    match check {
        NumberCheck::Bsn => r == 0,
        NumberCheck::Onderwijsnummer => r == 5,
        NumberCheck::BsnOfOnderwijsnummer => r == 0 || r == 5,
    }
}

/// A person number as it may appear in messages: all but the last four
/// characters hidden (`*****4782`).
pub fn mask(s: &str) -> String {
    let n = s.chars().count();
    let keep = n.min(4);
    let hidden = if n > 4 { n - keep } else { n };
    let tail: String = if n > 4 { s.chars().skip(n - keep).collect() } else { String::new() };
    format!("{}{}", "*".repeat(hidden), tail)
}

/// A non-personal value (date, number, code) quoted for a message, cut short
/// and with control characters escaped so that garbage stays readable.
pub fn shown(s: &str) -> String {
    let cut: String = s.chars().take(20).collect();
    let mut q = format!("{cut:?}");
    if s.chars().count() > 20 {
        q.push('…');
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elfproef_accepts_bsn_and_onderwijsnummer() {
        assert!(passes_11_proef("123456782", NumberCheck::Bsn));
        assert!(!passes_11_proef("123456781", NumberCheck::Bsn));
        assert!(passes_11_proef("123456782", NumberCheck::BsnOfOnderwijsnummer));
        // 101234561: 9+0+7*1+6*2+5*3+4*4+3*5+2*6-1 = 85 ≡ 8; find one ≡ 5
        let on = (100000000u32..100000100).map(|n| n.to_string()).find(|s| elfproef_sum(s).unwrap().rem_euclid(11) == 5).unwrap();
        assert!(passes_11_proef(&on, NumberCheck::Onderwijsnummer));
        assert!(!passes_11_proef(&on, NumberCheck::Bsn));
        assert!(!passes_11_proef("12345678", NumberCheck::Bsn));
        assert!(!passes_11_proef("12345678a", NumberCheck::Bsn));
    }

    #[test]
    fn masking_hides_all_but_four() {
        assert_eq!(mask("123456782"), "*****6782");
        assert_eq!(mask("12"), "**");
    }
}
