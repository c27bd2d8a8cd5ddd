//! Turns programme, programme-stage and support sheets into checked records, to the
//! registry's standard: every bad row named, rows already recorded skipped.

use crate::app::Planned;
use crate::app::programmes::{
    ProgrammeInput, StageInput, SupportInput, check_programme, check_stage, check_support,
};
use crate::domain::text;
use crate::error::Result;
use crate::import::columns::Col;
use crate::import::columns::SheetKind;
use crate::import::row::{KnownRecords, Row, RowError, span};
use crate::store::Store;
use crate::store::programmes::{Programme, Stage, Support};
use std::collections::HashMap;
use time::Date;

/// What the programme sheets of a file would add or change.
#[derive(Debug, Default)]
pub struct ProgrammePlan {
    /// Programmes new or renamed.
    pub programmes: Vec<Programme>,
    /// Stages not recorded yet.
    pub stages: Vec<Stage>,
    /// Where each of `stages` came from (sheet, row and the stage's column), for notices.
    pub stage_rows: Vec<RowError>,
    /// Support entries not recorded yet.
    pub supports: Vec<Support>,
    /// Rows already recorded, skipped.
    pub unchanged: usize,
    /// Every bad row.
    pub errors: Vec<RowError>,
}

impl ProgrammePlan {
    /// Whether nothing would be written.
    pub fn is_empty(&self) -> bool {
        self.programmes.is_empty() && self.stages.is_empty() && self.supports.is_empty()
    }
}

fn programme_column(field: &str) -> &str {
    match field {
        "name" => "programme_name",
        "decision" => "decision",
        _ => "programme",
    }
}

fn stage_column(field: &str) -> &str {
    match field {
        "org" => "reg_code",
        other => other,
    }
}

fn support_column(field: &str) -> &str {
    match field {
        "org" => "reg_code",
        other => other,
    }
}

/// Checks the programme, stage and support rows of a file.
pub async fn plan(
    store: &Store,
    rows: &[Row<'_>],
    planned: &Planned,
    today: Date,
) -> Result<ProgrammePlan> {
    let mut plan = ProgrammePlan::default();
    let of = |kind: SheetKind| rows.iter().filter(move |r: &&Row<'_>| r.kind == kind);
    if !rows.iter().any(|r| {
        matches!(
            r.kind,
            SheetKind::Programmes | SheetKind::ProgrammeStages | SheetKind::Support
        )
    }) {
        return Ok(plan);
    }
    // Programme codes recorded, then those the file adds: stages and support may name either.
    let mut known: HashMap<String, Programme> = store
        .programmes()
        .await?
        .into_iter()
        .map(|p| (p.code.clone(), p))
        .collect();
    let mut from_file: HashMap<String, (usize, Programme)> = HashMap::new();
    for row in of(SheetKind::Programmes) {
        let cell = |key| row.get(key).unwrap_or_default().to_string();
        let input = ProgrammeInput {
            code: cell(Col::Programme),
            name: cell(Col::ProgrammeName),
            decision: cell(Col::Decision),
        };
        let mut programme = match check_programme(&input) {
            Ok(p) => p,
            Err(e) => {
                plan.errors.extend(row.refusal(e, programme_column)?);
                continue;
            }
        };
        let stored = known.get(&programme.code);
        // A blank decision keeps the recorded one.
        if programme.decision.is_empty() {
            programme.decision = stored.map(|p| p.decision.clone()).unwrap_or_default();
        }
        if let Some((line, earlier)) = from_file.get(&programme.code) {
            if *earlier == programme {
                plan.unchanged += 1;
            } else {
                plan.errors.push(row.error(
                    Col::Programme,
                    format!(
                        "mã chương trình {} đã có ở dòng {line} với thông tin khác",
                        programme.code
                    ),
                ));
            }
            continue;
        }
        from_file.insert(programme.code.clone(), (row.number, programme.clone()));
        if stored == Some(&programme) {
            plan.unchanged += 1;
        } else {
            known.insert(programme.code.clone(), programme.clone());
            plan.programmes.push(programme);
        }
    }

    let programme = |row: &Row<'_>, required: bool, errors: &mut Vec<RowError>| {
        let code = if required {
            row.required(Col::Programme, errors)?
        } else {
            text::clean(row.get(Col::Programme)?)
        };
        if known.contains_key(&code) {
            Some(code)
        } else {
            errors.push(row.error(
                Col::Programme,
                format!(
                    "không có chương trình mã {code} trong sổ hoặc trong sheet \"Chương trình\""
                ),
            ));
            None
        }
    };

    let mut stages = Vec::new();
    for row in of(SheetKind::ProgrammeStages) {
        let mut errors = Vec::new();
        let code = programme(row, true, &mut errors);
        let cell = |key| row.get(key).unwrap_or_default().to_string();
        let input = StageInput {
            programme: cell(Col::Programme),
            org: cell(Col::RegCode),
            stage: cell(Col::Stage),
            date: cell(Col::Date),
            note: cell(Col::Note),
        };
        match check_stage(store, planned, &input, today).await {
            Ok(s) if code.is_some() && errors.is_empty() => stages.push((row, s)),
            Ok(_) => plan.errors.extend(errors),
            Err(e) => {
                // The programme's problem is said once, by the lookup above.
                let found = row.refusal(e, stage_column)?;
                plan.errors.extend(errors);
                plan.errors.extend(
                    found
                        .into_iter()
                        .filter(|f| f.column != row.error(Col::Programme, "").column),
                );
            }
        }
    }
    if let Some((start, end)) = span(stages.iter().map(|(_, s)| s.date)) {
        let stored = store.programme_stages(start, end).await?;
        // Programme, organisation, stage and date name a stage; the note is its content.
        let identity = |o: &Stage| (o.programme.clone(), o.org_id, o.stage, o.date);
        let mut known = KnownRecords::new(&stored, identity);
        for (row, s) in stages {
            let key = identity(&s);
            let Some((other, whence)) = known.find(&key, &stored, &plan.stages) else {
                known.plan(key, plan.stages.len());
                plan.stages.push(s);
                plan.stage_rows.push(row.error(Col::Stage, ""));
                continue;
            };
            if other.note == s.note {
                plan.unchanged += 1;
            } else {
                plan.errors.push(row.error(
                    Col::Note,
                    format!("bước này của tổ chức trong chương trình {whence} với ghi chú khác"),
                ));
            }
        }
    }

    let mut supports = Vec::new();
    for row in of(SheetKind::Support) {
        let mut errors = Vec::new();
        programme(row, false, &mut errors);
        let cell = |key| row.get(key).unwrap_or_default().to_string();
        let input = SupportInput {
            org: cell(Col::RegCode),
            programme: cell(Col::Programme),
            category: cell(Col::Category),
            amount: cell(Col::Amount),
            date: cell(Col::Date),
            note: cell(Col::Note),
        };
        match check_support(store, planned, &input, today).await {
            Ok(s) if errors.is_empty() => supports.push(s),
            Ok(_) => plan.errors.extend(errors),
            Err(e) => {
                plan.errors.extend(errors);
                plan.errors.extend(row.refusal(e, support_column)?);
            }
        }
    }
    if let Some((start, end)) = span(supports.iter().map(|s| s.date)) {
        // The ledger has no natural key: two equal rows may be two payments. Each row is
        // matched with one equal entry not matched yet, so a re-import adds nothing and a
        // file with two equal rows records two entries once.
        let mut unmatched: std::collections::HashMap<Support, usize> =
            std::collections::HashMap::new();
        for entry in store.support_entries(start, end).await? {
            *unmatched.entry(entry).or_default() += 1;
        }
        for s in supports {
            match unmatched.get_mut(&s).filter(|n| **n > 0) {
                Some(n) => {
                    *n -= 1;
                    plan.unchanged += 1;
                }
                None => plan.supports.push(s),
            }
        }
    }
    Ok(plan)
}

/// What the import says, without refusing anything, of the stages it records: the latest
/// grade of each organisation nominated or selected (Decision 167 chooses new-type models
/// among the HTX graded Tốt), and a warning when a selection lacks a Tốt grade. The grades are
/// the latest recorded up to the stage's year, or given by the same file.
pub async fn grade_notices(
    store: &Store,
    plan: &ProgrammePlan,
    evaluations: &crate::import::evaluations::EvaluationPlan,
) -> Result<Vec<RowError>> {
    use crate::domain::codes::Coded;
    use crate::domain::evaluation::Grade;
    use crate::domain::programmes::ProgrammeStage;
    let mut notices = Vec::new();
    for (stage, at) in plan.stages.iter().zip(&plan.stage_rows) {
        if stage.stage == ProgrammeStage::Evaluated {
            continue;
        }
        let Some(org) = store.org_by_id(stage.org_id).await? else {
            continue;
        };
        let year = stage.date.year();
        let in_file = evaluations
            .evaluations
            .iter()
            .filter(|e| e.code == org.reg_code && e.evaluation.year <= year)
            .max_by_key(|e| e.evaluation.year)
            .map(|e| e.evaluation.clone());
        let stored = store
            .latest_evaluation_until(org.id, year)
            .await?
            .map(|s| s.evaluation);
        let latest = match (in_file, stored) {
            (Some(f), Some(s)) if s.year > f.year => Some(s),
            (Some(f), _) => Some(f),
            (None, s) => s,
        };
        let grade = latest.as_ref().and_then(|e| e.grade());
        let said = match (&latest, grade) {
            (Some(e), Some(g)) => format!("xếp loại gần nhất: {} (năm {})", g.name_vi(), e.year),
            (Some(e), None) => format!("không xếp loại năm {}", e.year),
            (None, _) => "chưa có kết quả xếp loại".to_string(),
        };
        let reason = if stage.stage == ProgrammeStage::Selected && grade != Some(Grade::Good) {
            format!(
                "{} được lựa chọn nhưng {said}, không phải loại Tốt (Quyết định 167 chọn trong các HTX xếp loại Tốt)",
                org.reg_code
            )
        } else {
            format!("{} {}: {said}", org.reg_code, stage.stage.name_vi())
        };
        notices.push(RowError {
            reason,
            ..at.clone()
        });
    }
    Ok(notices)
}
