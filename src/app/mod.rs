//! Application services: the operations the CLI, the web pages and the JSON API share.
//! Each takes plain input (as typed), checks it, and calls the store; errors name the field.

pub mod alliance;
pub mod governance;
pub mod plans;
pub mod programmes;
pub mod registry;

use crate::domain::text;
use crate::error::Problems;
use serde::{Deserialize, Deserializer};

/// The cleaned value of a field that must be filled, or `None` after noting it.
pub(crate) fn required(problems: &mut Problems, field: &str, typed: &str) -> Option<String> {
    let value = text::clean(typed);
    if value.is_empty() {
        problems.add(field, "bắt buộc, đang để trống");
        return None;
    }
    Some(value)
}

/// A whole number as typed ("1.234", "1,234", "1 234" or "1234"); `None` when blank. A group
/// separator must be followed by exactly three digits, so "1,5" is refused rather than read
/// as 15; negative numbers and numbers past the typed maximum are refused.
pub(crate) fn whole_number(typed: &str) -> Result<Option<i64>, String> {
    let s = typed.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let well_grouped = s
        .split(['.', ',', ' ', '\u{a0}'])
        .enumerate()
        .all(|(i, g)| {
            !g.is_empty() && g.chars().all(|c| c.is_ascii_digit()) && (i == 0 || g.len() == 3)
        });
    if !well_grouped {
        return Err(format!("\"{s}\" không phải số nguyên không âm"));
    }
    text::parse_whole_number(s)
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

/// Reads a field given as text or as a JSON number, as text.
pub(crate) fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Typed {
        Text(String),
        Int(i64),
        Float(f64),
    }
    Ok(match Option::<Typed>::deserialize(d)? {
        None => String::new(),
        Some(Typed::Text(s)) => s,
        Some(Typed::Int(n)) => n.to_string(),
        Some(Typed::Float(f)) => f.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
