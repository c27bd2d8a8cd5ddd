//! Turns the plan-target sheet into whole plans, to the registry's standard: every bad row
//! named, plans already recorded as the file says skipped.

use crate::app::plans::{TargetInput, check_target};
use crate::domain::period::Period;
use crate::domain::plans::Indicator;
use crate::domain::text;
use crate::error::{Error, Result};
use crate::import::columns::Col;
use crate::import::columns::SheetKind;
use crate::import::row::{Row, RowError};
use crate::store::Store;
use crate::store::plans::Plan;
use std::collections::BTreeMap;

/// What the plan-target sheet of a file would record.
#[derive(Debug, Default)]
pub struct TargetPlan {
    /// Plans to record whole: the period's recorded targets with the file's on top.
    pub plans: Vec<Plan>,
    /// Target rows of the plans to record.
    pub targets: usize,
    /// Rows of plans already recorded as the file says, skipped.
    pub unchanged: usize,
    /// Every bad row.
    pub errors: Vec<RowError>,
}

impl TargetPlan {
    /// Whether nothing would be written.
    pub fn is_empty(&self) -> bool {
        self.plans.is_empty()
    }
}

/// The column of the sheet that holds a field of [`TargetInput`].
fn target_column(field: &str) -> &'static str {
    match field {
        "period" => "period",
        "indicator" => "indicator",
        _ => "value",
    }
}

/// The rows of one period: its targets, and the title and reference the file gives.
#[derive(Default)]
struct PeriodRows {
    targets: Vec<(usize, Indicator, i64)>,
    /// (value, row number).
    title: Option<(String, usize)>,
    reference: Option<(String, usize)>,
    bad: bool,
}

/// Keeps the first value a sheet gives for a plan's field; a different one on a later row of
/// the same period is an error.
fn one_value(
    row: &Row<'_>,
    key: Col,
    slot: &mut Option<(String, usize)>,
    errors: &mut Vec<RowError>,
) {
    let Some(value) = row.get(key).map(text::clean) else {
        return;
    };
    match slot {
        Some((first, line)) if *first != value => errors.push(row.error(
            key,
            format!("kỳ này đã có \"{first}\" ở dòng {line}; mỗi kỳ chỉ một giá trị"),
        )),
        Some(_) => {}
        None => *slot = Some((value, row.number)),
    }
}

/// Checks the plan-target rows of a file.
pub async fn plan(store: &Store, rows: &[Row<'_>]) -> Result<TargetPlan> {
    let mut plan = TargetPlan::default();
    let mut periods: BTreeMap<String, PeriodRows> = BTreeMap::new();
    for row in rows.iter().filter(|r| r.kind == SheetKind::PlanTargets) {
        let mut errors = Vec::new();
        let cell = |key| row.get(key).unwrap_or_default().to_string();
        let input = TargetInput {
            period: cell(Col::Period),
            indicator: cell(Col::Indicator),
            value: cell(Col::Value),
        };
        let (period, target, value) = match check_target(&input) {
            Ok(t) => (Some(t.period), Some(t.indicator), Some(t.value)),
            Err(e @ Error::Invalid(_)) => {
                let refused = |field: &str| e.problems().iter().any(|p| p.field == field);
                errors.extend(
                    e.problems()
                        .iter()
                        .map(|p| row.field_error(target_column(&p.field), &p.reason)),
                );
                // A period that can be read still groups the row, so that its plan is
                // not written without it.
                let period = (!refused("period"))
                    .then(|| Period::parse(&input.period).ok().map(|p| p.code))
                    .flatten();
                (period, None, None)
            }
            Err(e) => return Err(e),
        };
        let Some(period) = period else {
            plan.errors.extend(errors);
            continue;
        };
        let rows_of_period = periods.entry(period.clone()).or_default();
        one_value(row, Col::Title, &mut rows_of_period.title, &mut errors);
        one_value(
            row,
            Col::Reference,
            &mut rows_of_period.reference,
            &mut errors,
        );
        if let Some(i) = target
            && let Some((line, ..)) = rows_of_period.targets.iter().find(|(_, t, _)| *t == i)
        {
            errors.push(row.error(
                Col::Indicator,
                format!("chỉ tiêu {} của kỳ {period} đã có ở dòng {line}", i.code()),
            ));
        }
        match (target, value, errors.is_empty()) {
            (Some(i), Some(v), true) => rows_of_period.targets.push((row.number, i, v)),
            _ => {
                rows_of_period.bad = true;
                plan.errors.extend(errors);
            }
        }
    }
    for (period, rows) in periods {
        if rows.bad {
            continue;
        }
        let before = store.plan(&period).await?;
        let mut targets = before
            .as_ref()
            .map(|b| b.targets.clone())
            .unwrap_or_default();
        // The file's targets replace the recorded ones they name; the others stay, so a file
        // giving a few indicators does not erase the rest of the plan.
        for (_, i, v) in &rows.targets {
            match targets.iter_mut().find(|(t, _)| t == i) {
                Some(t) => t.1 = *v,
                None => targets.push((*i, *v)),
            }
        }
        targets.sort_by_key(|(i, _)| *i);
        let keep = |given: Option<(String, usize)>, field: fn(&Plan) -> &String| {
            given
                .map(|(v, _)| v)
                .or_else(|| before.as_ref().map(|b| field(b).clone()))
                .unwrap_or_default()
        };
        let after = Plan {
            title: keep(rows.title, |p| &p.title),
            reference: keep(rows.reference, |p| &p.reference),
            period,
            targets,
        };
        if before.as_ref() == Some(&after) {
            plan.unchanged += rows.targets.len();
        } else {
            plan.targets += rows.targets.len();
            plan.plans.push(after);
        }
    }
    Ok(plan)
}
