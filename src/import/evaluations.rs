//! The yearly evaluations of a file: the rows of the "Đánh giá, xếp loại" sheet (one per
//! organisation and year, the points of the fifteen criteria or the result alone, or why it
//! is not graded) and the result columns of "Số liệu năm" (Xếp loại, Điểm đánh giá). Each row
//! fills an [`EvaluationInput`] and goes through [`app::evaluations::check`], then is checked
//! against the organisation as the registry will hold it after the same import (one the file
//! creates on its "Tổ chức" sheet included). A row equal to the latest recorded version is
//! skipped; a different one is a correction, recorded as a new version.

use crate::app::evaluations::{self as app, CheckedEvaluation, EvaluationInput};
use crate::domain::evaluation::{Evaluation, Outcome};
use crate::domain::registry::{self, Event, OrgKind};
use crate::domain::text;
use crate::error::{Error, Result};
use crate::import::columns::{Col, SheetKind};
use crate::import::registry::Plan;
use crate::import::row::{Row, RowError};
use crate::store::Store;
use sqlx::{Any, Transaction};
use std::collections::HashMap;
use time::Date;

/// What the evaluation rows of a file would record.
#[derive(Debug, Default)]
pub struct EvaluationPlan {
    /// Evaluations to record, each with the version it corrects (0 for a first one).
    pub evaluations: Vec<CheckedEvaluation>,
    /// Rows equal to the latest recorded version, skipped.
    pub unchanged: usize,
    /// Every bad row.
    pub errors: Vec<RowError>,
}

impl EvaluationPlan {
    /// Whether nothing would be written.
    pub fn is_empty(&self) -> bool {
        self.evaluations.is_empty()
    }
}

/// The criterion columns, in the criteria's order.
const CRITERION_COLUMNS: [Col; 15] = [
    Col::C1,
    Col::C2,
    Col::C3,
    Col::C4,
    Col::C5,
    Col::C6,
    Col::C7,
    Col::C8,
    Col::C9,
    Col::C10,
    Col::C11,
    Col::C12,
    Col::C13,
    Col::C14,
    Col::C15,
];

/// The column key of a field of [`EvaluationInput`] (criteria are `c1`…`c15`, as the
/// input names them).
fn column(field: &str) -> &str {
    match field {
        "code" => "reg_code",
        "points" => "c1",
        f => f,
    }
}

/// A row of the file that gives an evaluation: where it is, and what it says.
struct Given<'r, 'a> {
    row: &'r Row<'a>,
    input: EvaluationInput,
}

impl Given<'_, '_> {
    fn place(&self) -> String {
        format!("dòng {} (sheet \"{}\")", self.row.number, self.row.sheet)
    }
}

/// The evaluation a row of either sheet types, or `None` for a "Số liệu năm" row without
/// one.
fn given_by<'r, 'a>(row: &'r Row<'a>) -> Option<Given<'r, 'a>> {
    let cell = |key| row.get(key).unwrap_or_default().to_string();
    let input = match row.kind {
        SheetKind::Evaluations => EvaluationInput {
            code: cell(Col::RegCode),
            year: cell(Col::Year),
            points: CRITERION_COLUMNS.iter().map(|c| cell(*c)).collect(),
            total: cell(Col::Total),
            grade: cell(Col::Grade),
            not_graded: cell(Col::NotGraded),
            scored_by: cell(Col::ScoredBy),
            scored_on: cell(Col::ScoredOn),
            note: cell(Col::Note),
            version: String::new(),
        },
        SheetKind::Figures if row.get(Col::Grade).is_some() || row.get(Col::Total).is_some() => {
            EvaluationInput {
                code: cell(Col::RegCode),
                year: cell(Col::Year),
                total: cell(Col::Total),
                grade: cell(Col::Grade),
                ..EvaluationInput::default()
            }
        }
        _ => return None,
    };
    Some(Given { row, input })
}

/// Whether a result given on "Số liệu năm" (a grade, perhaps a total) agrees with an
/// evaluation: the same grade, and the same total when one is given.
fn agrees(result: &Evaluation, with: &Evaluation) -> bool {
    match (&result.outcome, &with.outcome) {
        (
            Outcome::Graded { total, grade, .. },
            Outcome::Graded {
                total: other_total,
                grade: other_grade,
                ..
            },
        ) => grade == other_grade && (total.is_none() || total == other_total),
        _ => false,
    }
}

/// Checks the evaluation rows of a file. `registry` is the plan of the same file's registry
/// sheets, whose histories say what the registry will hold after the import.
pub async fn plan(
    store: &Store,
    rows: &[Row<'_>],
    registry: &Plan,
    today: Date,
) -> Result<EvaluationPlan> {
    let mut plan = EvaluationPlan::default();
    // The evaluation sheet first, so that a result on "Số liệu năm" is compared with it.
    let mut given: Vec<Given<'_, '_>> = rows
        .iter()
        .filter(|r| r.kind == SheetKind::Evaluations)
        .filter_map(given_by)
        .collect();
    let sheet_rows = given.len();
    given.extend(
        rows.iter()
            .filter(|r| r.kind == SheetKind::Figures)
            .filter_map(given_by),
    );
    if given.is_empty() {
        return Ok(plan);
    }
    let thresholds = store.deployment().await?.grade_thresholds;
    let mut codes: Vec<String> = given
        .iter()
        .map(|g| text::clean(&g.input.code))
        .filter(|c| !c.is_empty() && !registry.histories.contains_key(c))
        .collect();
    codes.sort();
    codes.dedup();
    let stored = store.histories(&codes).await?;
    let history = |code: &str| -> Option<(OrgKind, &[Event])> {
        registry
            .histories
            .get(code)
            .map(|(kind, events)| (*kind, events.as_slice()))
            .or_else(|| {
                stored
                    .get(code)
                    .map(|(summary, events)| (summary.kind, events.as_slice()))
            })
    };
    // (code, year) → the evaluation first given for it, and where.
    let mut seen: HashMap<(String, i32), (Evaluation, String)> = HashMap::new();
    for (i, g) in given.iter().enumerate() {
        let on_figures = i >= sheet_rows;
        let row = g.row;
        let checked = match app::check(&g.input, &thresholds, today) {
            Ok(c) => c,
            Err(e) => {
                let mut errors = row.refusal(e, column)?;
                if on_figures {
                    // A bad code or year of "Số liệu năm" is named once, by the registry's
                    // check of the row.
                    errors.retain(|e| {
                        !registry
                            .errors
                            .iter()
                            .any(|r| (&r.sheet, r.row, &r.column) == (&e.sheet, e.row, &e.column))
                    });
                }
                plan.errors.extend(errors);
                continue;
            }
        };
        let key = (checked.code.clone(), checked.evaluation.year);
        if let Some((first, place)) = seen.get(&key) {
            if !(on_figures && agrees(&checked.evaluation, first)) {
                plan.errors.push(row.error(
                    Col::Year,
                    format!(
                        "đánh giá năm {} của {} ghi hai lần: ở {place} và ở {}; mỗi tổ chức mỗi năm một dòng",
                        key.1,
                        key.0,
                        g.place()
                    ),
                ));
            }
            continue;
        }
        seen.insert(key.clone(), (checked.evaluation.clone(), g.place()));
        let Some((kind, events)) = history(&checked.code) else {
            if !on_figures {
                plan.errors
                    .push(row.error(Col::RegCode, registry.not_found(&checked.code)));
            }
            continue;
        };
        let intervals = match registry::replay(events) {
            Ok(states) => registry::intervals(&states),
            Err(e) => {
                plan.errors.push(row.error(Col::RegCode, e.to_string()));
                continue;
            }
        };
        if let Err(e) = app::check_against_intervals(kind, &intervals, &checked) {
            plan.errors.extend(row.refusal(e, column)?);
            continue;
        }
        let org_id = match stored.get(&checked.code) {
            Some((summary, _)) => Some(summary.id),
            // Named on the registry sheets: stored already, or created by the file.
            None => store.org_by_code(&checked.code).await?.map(|o| o.id),
        };
        let latest = match org_id {
            Some(id) => store.evaluation(id, key.1).await?,
            None => None,
        };
        let unchanged = latest.as_ref().is_some_and(|l| {
            l.evaluation == checked.evaluation
                || (on_figures && agrees(&checked.evaluation, &l.evaluation))
        });
        if unchanged {
            plan.unchanged += 1;
            continue;
        }
        plan.evaluations.push(CheckedEvaluation {
            expected_version: Some(latest.map_or(0, |l| l.version)),
            ..checked
        });
    }
    plan.errors
        .sort_by(|a, b| (&a.sheet, a.row).cmp(&(&b.sheet, b.row)));
    Ok(plan)
}

/// Records the planned evaluations inside the import's transaction, after its registry
/// batch (so that an organisation the file creates is found), one audited version each.
pub async fn apply_in(
    store: &Store,
    tx: &mut Transaction<'_, Any>,
    plan: &EvaluationPlan,
    author: &str,
) -> Result<usize> {
    for checked in &plan.evaluations {
        let org_id = store
            .org_id_in(tx, &checked.code)
            .await?
            .ok_or_else(|| Error::NotFound(format!("tổ chức mã số {}", checked.code)))?;
        store
            .record_evaluation_in(
                tx,
                org_id,
                &checked.code,
                &checked.evaluation,
                checked.expected_version,
                author,
            )
            .await?;
    }
    Ok(plan.evaluations.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::evaluation::{self, CRITERIA};

    #[test]
    fn each_criterion_column_names_its_number_and_maximum() {
        let columns = SheetKind::Evaluations.columns();
        for (criterion, key) in CRITERIA.iter().zip(CRITERION_COLUMNS) {
            assert_eq!(
                key.name(),
                EvaluationInput::criterion_field(criterion.number)
            );
            let heading = columns
                .iter()
                .find(|c| c.key == key)
                .map(|c| c.heading)
                .unwrap();
            assert!(
                heading.starts_with(&format!("TC{} ", criterion.number))
                    && heading.ends_with(&format!("({})", evaluation::points(criterion.max))),
                "{heading}"
            );
        }
    }
}
