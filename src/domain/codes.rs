//! One way to turn a closed set of values into the codes stored in the database and back, and
//! to read them as officials type them (the code, the Vietnamese name, a usual short form).

use crate::domain::text;

/// A closed set of values with a stored code, a Vietnamese and an English name each.
pub trait Coded: Sized + Copy + PartialEq + 'static {
    /// Every value, in display order.
    const ALL: &'static [Self];

    /// The code stored in the database (and accepted from every entrance).
    fn code(self) -> &'static str;

    /// The Vietnamese name shown to users.
    fn name_vi(self) -> &'static str;

    /// The English name shown in English mode (required, so that no value lacks one).
    fn name_en(self) -> &'static str;

    /// Other ways officials write the value, folded (lower case, no accents).
    fn aliases(self) -> &'static [&'static str] {
        &[]
    }

    /// The value of a stored code.
    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == code)
    }

    /// Reads a code, a Vietnamese name or an alias, case and accents ignored.
    fn parse(s: &str) -> Option<Self> {
        let key = text::fold(s);
        Self::ALL.iter().copied().find(|v| {
            v.code() == key || text::fold(v.name_vi()) == key || v.aliases().contains(&key.as_str())
        })
    }

    /// The reason a typed value is refused: the accepted names.
    fn refusal(s: &str) -> String {
        let names: Vec<&str> = Self::ALL.iter().map(|v| v.name_vi()).collect();
        let accepted = match names.split_last() {
            Some((last, [])) => last.to_string(),
            Some((last, rest)) => format!("{} hoặc {last}", rest.join(", ")),
            None => String::new(),
        };
        format!("\"{}\" phải là {accepted}", s.trim())
    }

    /// [`Coded::parse`], or the reason it was refused.
    fn read(s: &str) -> Result<Self, String> {
        Self::parse(s).ok_or_else(|| Self::refusal(s))
    }
}

/// Serde for a [`Coded`] value as its stored code.
pub mod serde_code {
    use super::Coded;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<T: Coded, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(v.code())
    }

    pub fn deserialize<'de, T: Coded, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
        let s = String::deserialize(d)?;
        T::from_code(&s).ok_or_else(|| serde::de::Error::custom(T::refusal(&s)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::governance::{Committee, InspectionKind, InspectionStatus};
    use crate::domain::programmes::{ProgrammeStage, SupportCategory};

    fn round_trips<T: Coded + std::fmt::Debug>() {
        for v in T::ALL {
            assert_eq!(T::from_code(v.code()), Some(*v));
            assert_eq!(T::parse(v.name_vi()), Some(*v));
            assert_eq!(T::parse(&v.code().to_uppercase()), Some(*v));
            assert!(!v.name_en().trim().is_empty(), "{v:?} has an English name");
        }
        let mut codes: Vec<&str> = T::ALL.iter().map(|v| v.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), T::ALL.len(), "codes are unique");
    }

    #[test]
    fn every_coded_set_round_trips_its_codes_and_names() {
        round_trips::<Committee>();
        round_trips::<InspectionKind>();
        round_trips::<InspectionStatus>();
        round_trips::<ProgrammeStage>();
        round_trips::<SupportCategory>();
        round_trips::<crate::domain::alliance::ActivityKind>();
        round_trips::<crate::domain::alliance::ActivityStatus>();
        round_trips::<crate::domain::alliance::MemberCategory>();
        round_trips::<crate::domain::alliance::MembershipChange>();
        round_trips::<crate::domain::plans::Indicator>();
        round_trips::<crate::domain::governance::ComplaintStatus>();
        round_trips::<crate::domain::alliance::MemberKind>();
        round_trips::<crate::domain::evaluation::Grade>();
        round_trips::<crate::domain::evaluation::Exemption>();
        round_trips::<crate::domain::evaluation::SizeClass>();
        round_trips::<crate::domain::registry::EventKind>();
        round_trips::<crate::domain::registry::Status>();
        round_trips::<crate::domain::registry::OrgKind>();
    }

    #[test]
    fn a_refusal_names_the_accepted_values() {
        assert_eq!(
            Committee::read("Ban X"),
            Err("\"Ban X\" phải là Ban Chấp hành, Ban Thường vụ hoặc Ủy ban Kiểm tra".into())
        );
        assert_eq!(Committee::read("bks"), Ok(Committee::Supervisory));
    }
}
