//! Turns programme, programme-stage and support sheets into checked records, to the
//! registry's standard: every bad row named, rows already recorded skipped.

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
pub async fn plan(store: &Store, rows: &[Row<'_>], today: Date) -> Result<ProgrammePlan> {
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
        match check_stage(store, &input, today).await {
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
        match check_support(store, &input, today).await {
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
