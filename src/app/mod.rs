//! Application services: the operations the CLI, the web pages and the JSON API share.
//! Each takes plain input (as typed), checks it, and calls the store; errors name the field.

pub mod alliance;
pub mod evaluations;
pub mod fund;
pub mod governance;
pub mod plans;
pub mod programmes;
pub mod registry;
pub mod sectors;
pub mod units;

use crate::domain::text;
use crate::error::Problems;
use crate::store::registry::OrgSummary;
use serde::{Deserialize, Deserializer};
use std::collections::HashMap;
use time::Date;

/// The reason a field that must be filled is refused when blank.
pub(crate) const REQUIRED: &str = "bắt buộc, đang để trống";

/// A date of something that has happened: not after today.
pub fn not_after(on: Date, today: Date) -> Result<Date, String> {
    if on > today {
        return Err(format!(
            "ngày {} ở tương lai (hôm nay là {})",
            text::date(on),
            text::date(today)
        ));
    }
    Ok(on)
}

/// The version a form was opened on (field `version`): `Some(None)` when blank (a first
/// write), `None` after noting a value that is not a number.
pub(crate) fn expected_version(problems: &mut Problems, typed: &str) -> Option<Option<i64>> {
    match typed.trim() {
        "" => Some(None),
        v => problems
            .take(
                "version",
                v.parse::<i64>()
                    .map_err(|_| format!("\"{v}\" không phải số phiên bản")),
            )
            .map(Some),
    }
}

/// The cleaned value of a field that must be filled, or `None` after noting it.
pub(crate) fn required(problems: &mut Problems, field: &str, typed: &str) -> Option<String> {
    let value = text::clean(typed);
    if value.is_empty() {
        problems.add(field, REQUIRED);
        return None;
    }
    Some(value)
}

/// The date of a field that must be filled, or `None` after noting why not.
pub(crate) fn required_date(problems: &mut Problems, field: &str, typed: &str) -> Option<Date> {
    required(problems, field, typed)
        .and_then(|d| problems.take(field, crate::domain::parse_date(&d)))
}

/// The date of a field that may be blank: `Some(None)` when blank, `None` when unreadable
/// (then noted).
pub(crate) fn optional_date(
    problems: &mut Problems,
    field: &str,
    typed: &str,
) -> Option<Option<Date>> {
    match typed.trim() {
        "" => Some(None),
        d => problems.take(field, crate::domain::parse_date(d)).map(Some),
    }
}

/// Notes a date after today, for records of what has happened.
pub(crate) fn not_future(problems: &mut Problems, field: &str, date: Option<Date>, today: Date) {
    if let Some(d) = date {
        problems.take(field, not_after(d, today));
    }
}

/// Notes every text longer than its limit.
pub(crate) fn lengths(problems: &mut Problems, fields: &[(&str, &str, usize)]) {
    for field in fields {
        if let Some((name, reason)) = text::first_too_long(std::slice::from_ref(field)) {
            problems.add(name, reason);
        }
    }
}

/// The organisations an import registers in the same file, which the rows of its other sheets
/// may name before they are written (sheets come in any order); outside imports
/// [`Planned::none`]. Each has a provisional id below zero, never a stored one, that the import
/// replaces with the written id.
pub struct Planned {
    pub organisations: HashMap<String, OrgSummary>,
    /// Why a code is neither in the registry nor registered by the file (an import names the
    /// refused row that registered it).
    missing: Box<dyn Fn(&str) -> String + Send + Sync>,
}

impl Planned {
    /// No organisation but the registry's: the web forms, the CLI and the API.
    pub fn none() -> Planned {
        Planned::new(HashMap::new(), |code| {
            format!("không có tổ chức mã số {code} trong sổ")
        })
    }

    pub fn new(
        organisations: HashMap<String, OrgSummary>,
        missing: impl Fn(&str) -> String + Send + Sync + 'static,
    ) -> Planned {
        Planned {
            organisations,
            missing: Box::new(missing),
        }
    }

    /// The organisation a code names: the registry's, else the one the file registers.
    pub async fn find(
        &self,
        store: &crate::store::Store,
        code: &str,
    ) -> crate::error::Result<Option<OrgSummary>> {
        Ok(match store.org_by_code(code).await? {
            Some(o) => Some(o),
            None => self.organisations.get(code).cloned(),
        })
    }

    /// Why `code` names no organisation.
    pub fn missing(&self, code: &str) -> String {
        (self.missing)(code)
    }
}

/// The organisation a registration code names (`Some(None)` when blank), or `None` after
/// noting that neither the registry nor the file being imported has it.
pub(crate) async fn org_of(
    store: &crate::store::Store,
    planned: &Planned,
    problems: &mut Problems,
    field: &str,
    code: &str,
) -> crate::error::Result<Option<Option<i64>>> {
    let code = text::clean(code);
    if code.is_empty() {
        return Ok(Some(None));
    }
    Ok(match planned.find(store, &code).await? {
        Some(o) => Some(Some(o.id)),
        None => {
            problems.add(field, planned.missing(&code));
            None
        }
    })
}

/// Reads a yes/no field given as a JSON boolean or as text (a ticked box sends "on"; a sheet
/// has "x"); blank, "false", "0" and "no" are no.
pub(crate) fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Flag {
        Bool(bool),
        Text(String),
    }
    Ok(match Option::<Flag>::deserialize(d)? {
        None => false,
        Some(Flag::Bool(b)) => b,
        Some(Flag::Text(s)) => {
            !matches!(text::fold(&s).as_str(), "" | "false" | "0" | "no" | "khong")
        }
    })
}

/// A value typed as text, or given by JSON as a number.
#[derive(Deserialize)]
#[serde(untagged)]
enum Typed {
    Text(String),
    Int(i64),
    Float(f64),
    Blank(()),
}

impl Typed {
    fn into_text(self) -> String {
        match self {
            Typed::Text(s) => s,
            Typed::Int(n) => n.to_string(),
            Typed::Float(f) => f.to_string(),
            Typed::Blank(()) => String::new(),
        }
    }
}

/// Reads a field given as text or as a JSON number, as text.
pub(crate) fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<Typed>::deserialize(d)?
        .map(Typed::into_text)
        .unwrap_or_default())
}

/// Reads a list of values given as text or numbers (a blank as null), as text.
pub(crate) fn texts<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(Option::<Vec<Typed>>::deserialize(d)?
        .unwrap_or_default()
        .into_iter()
        .map(Typed::into_text)
        .collect())
}

#[cfg(test)]
mod tests {
    use crate::domain::text::parse_whole_number as whole_number;

    #[test]
    fn typed_numbers_keep_their_grouping_rule() {
        assert_eq!(whole_number(""), Ok(None));
        assert_eq!(whole_number("1.234"), Ok(Some(1234)));
        assert_eq!(whole_number("1,234,567"), Ok(Some(1_234_567)));
        assert_eq!(whole_number(" 12 "), Ok(Some(12)));
        for bad in ["1,5", "-3", "abc", "1.2.3", "12a"] {
            assert_eq!(
                whole_number(bad),
                Err(format!("\"{bad}\" không phải số nguyên không âm")),
                "{bad}"
            );
        }
    }
}
