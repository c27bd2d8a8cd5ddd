//! Recording programmes, the stages organisations reach in them, and the support given,
//! from typed input. The import and the command line fill the same inputs and call the same
//! checks.

use crate::domain::codes::Coded;
use crate::domain::programmes::{Programme, ProgrammeStage, Stage, Support, SupportCategory};
use crate::domain::text::{self, MAX_LINE_CHARS, MAX_NAME_CHARS, MAX_NOTE_CHARS};
use crate::error::{Problems, Result};
use crate::store::Store;
use serde::Deserialize;
use time::Date;

/// A programme or policy as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ProgrammeInput {
    /// Short code ("QD167").
    pub code: String,
    pub name: String,
    /// The deciding document.
    pub decision: String,
}

/// Checks a programme, reporting every problem by field.
pub fn check_programme(input: &ProgrammeInput) -> Result<Programme> {
    let mut problems = Problems::new();
    let code = super::required(&mut problems, "code", &input.code);
    let name = super::required(&mut problems, "name", &input.name);
    let decision = text::clean(&input.decision);
    super::lengths(
        &mut problems,
        &[
            ("code", code.as_deref().unwrap_or(""), MAX_NAME_CHARS),
            ("name", name.as_deref().unwrap_or(""), MAX_NAME_CHARS),
            ("decision", &decision, MAX_LINE_CHARS),
        ],
    );
    problems.finish(|| {
        Some(Programme {
            code: code?,
            name: name?,
            decision,
        })
    })
}

/// Checks and records a programme (or renames it), with its audit entry.
pub async fn set_programme(
    store: &Store,
    input: &ProgrammeInput,
    author: &str,
) -> Result<Programme> {
    let p = check_programme(input)?;
    store
        .set_programme(&p.code, &p.name, &p.decision, author)
        .await?;
    Ok(p)
}

/// A stage reached as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct StageInput {
    /// Programme code.
    pub programme: String,
    /// Registration code of the organisation.
    pub org: String,
    /// nominated / evaluated / selected (đề xuất / đánh giá / lựa chọn).
    pub stage: String,
    pub date: String,
    pub note: String,
}

/// Checks a stage, reporting every problem by field; it cannot lie after `today`. Whether
/// the programme is recorded is checked where it is written (the import also knows the
/// programmes of its own file).
pub async fn check_stage(
    store: &Store,
    planned: &super::Planned,
    input: &StageInput,
    today: Date,
) -> Result<Stage> {
    let mut problems = Problems::new();
    let programme = super::required(&mut problems, "programme", &input.programme);
    let org_id = match super::required(&mut problems, "org", &input.org) {
        Some(code) => super::org_of(store, planned, &mut problems, "org", &code)
            .await?
            .flatten(),
        None => None,
    };
    let stage = super::required(&mut problems, "stage", &input.stage)
        .and_then(|s| problems.take("stage", ProgrammeStage::read(&s)));
    let date = super::required_date(&mut problems, "date", &input.date);
    super::not_future(&mut problems, "date", date, today);
    let note = text::clean(&input.note);
    super::lengths(&mut problems, &[("note", &note, MAX_NOTE_CHARS)]);
    problems.finish(|| {
        Some(Stage {
            programme: programme?,
            org_id: org_id?,
            stage: stage?,
            date: date?,
            note,
        })
    })
}

/// Checks and records a stage (one transaction with its audit entry).
pub async fn record_stage(store: &Store, input: &StageInput, author: &str) -> Result<Stage> {
    let s = check_stage(
        store,
        &super::Planned::none(),
        input,
        crate::domain::today(),
    )
    .await?;
    store
        .record_stage(&s.programme, s.org_id, s.stage, s.date, &s.note, author)
        .await?;
    Ok(s)
}

/// Support given as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SupportInput {
    /// Registration code of the organisation supported.
    pub org: String,
    /// Programme code; blank for none.
    pub programme: String,
    /// Category code or name (training, đào tạo…).
    pub category: String,
    /// Đồng, a whole number.
    #[serde(deserialize_with = "super::text")]
    pub amount: String,
    pub date: String,
    pub note: String,
}

/// Checks support given, reporting every problem by field; it cannot lie after `today`.
pub async fn check_support(
    store: &Store,
    planned: &super::Planned,
    input: &SupportInput,
    today: Date,
) -> Result<Support> {
    let mut problems = Problems::new();
    let org_id = match super::required(&mut problems, "org", &input.org) {
        Some(code) => super::org_of(store, planned, &mut problems, "org", &code)
            .await?
            .flatten(),
        None => None,
    };
    let programme = Some(text::clean(&input.programme)).filter(|p| !p.is_empty());
    let category = super::required(&mut problems, "category", &input.category)
        .and_then(|c| problems.take("category", SupportCategory::read(&c)));
    let amount = super::required(&mut problems, "amount", &input.amount)
        .and_then(|a| problems.take("amount", text::parse_whole_number(&a)))
        .flatten();
    let date = super::required_date(&mut problems, "date", &input.date);
    super::not_future(&mut problems, "date", date, today);
    let note = text::clean(&input.note);
    super::lengths(&mut problems, &[("note", &note, MAX_NOTE_CHARS)]);
    problems.finish(|| {
        Some(Support {
            programme,
            org_id: org_id?,
            category: category?,
            amount: amount?,
            date: date?,
            note,
        })
    })
}

/// Checks and records support given (one transaction with its audit entry).
pub async fn add_support(
    store: &Store,
    input: &SupportInput,
    author: &str,
) -> Result<(i64, Support)> {
    let s = check_support(
        store,
        &super::Planned::none(),
        input,
        crate::domain::today(),
    )
    .await?;
    let id = store.add_support(&s, author).await?;
    Ok((id, s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_programme_needs_a_code_and_a_name() {
        let e = check_programme(&ProgrammeInput::default()).unwrap_err();
        let fields: Vec<&str> = e.problems().iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["code", "name"]);
        let p = check_programme(&ProgrammeInput {
            code: " QD167 ".into(),
            name: "Đề án 167".into(),
            decision: String::new(),
        })
        .unwrap();
        assert_eq!(p.code, "QD167");
    }
}
