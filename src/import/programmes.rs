//! Turns programme, programme-stage and support sheets into checked records, to the
//! registry's standard: every bad row named, rows already recorded skipped.

use crate::domain::codes::Coded;
use crate::domain::programmes::{ProgrammeStage, SupportCategory};
use crate::domain::text;
use crate::error::Result;
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
        let mut errors = Vec::new();
        let code = row.required("programme", &mut errors);
        let name = row.required("programme_name", &mut errors);
        let (Some(code), Some(name), true) = (code, name, errors.is_empty()) else {
            plan.errors.extend(errors);
            continue;
        };
        let stored = known.get(&code);
        let programme = Programme {
            // A blank cell keeps the recorded decision rather than erasing it.
            decision: row
                .get("decision")
                .map(text::clean)
                .unwrap_or_else(|| stored.map(|p| p.decision.clone()).unwrap_or_default()),
            code,
            name,
        };
        if let Some((line, earlier)) = from_file.get(&programme.code) {
            if *earlier == programme {
                plan.unchanged += 1;
            } else {
                plan.errors.push(row.error(
                    "programme",
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
            row.required("programme", errors)?
        } else {
            text::clean(row.get("programme")?)
        };
        if known.contains_key(&code) {
            Some(code)
        } else {
            errors.push(row.error(
                "programme",
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
        if row.get("reg_code").is_none() {
            errors.push(row.error("reg_code", "bắt buộc, đang để trống"));
        }
        let org_id = row.org(store, "reg_code", &mut errors).await?;
        let reached = row.required("stage", &mut errors).and_then(|s| {
            ProgrammeStage::read(&s)
                .map_err(|reason| errors.push(row.error("stage", reason)))
                .ok()
        });
        let date = row
            .date("date", &mut errors)
            .filter(|d| row.not_future("date", *d, today, &mut errors));
        let (Some(code), Some(org_id), Some(reached), Some(date), true) =
            (code, org_id, reached, date, errors.is_empty())
        else {
            plan.errors.extend(errors);
            continue;
        };
        stages.push((
            row,
            Stage {
                programme: code,
                org_id,
                stage: reached,
                date,
                note: row.get("note").map(text::clean).unwrap_or_default(),
            },
        ));
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
                    "note",
                    format!("bước này của tổ chức trong chương trình {whence} với ghi chú khác"),
                ));
            }
        }
    }

    let mut supports = Vec::new();
    for row in of(SheetKind::Support) {
        let mut errors = Vec::new();
        if row.get("reg_code").is_none() {
            errors.push(row.error("reg_code", "bắt buộc, đang để trống"));
        }
        let org_id = row.org(store, "reg_code", &mut errors).await?;
        let programme_code = programme(row, false, &mut errors);
        let kind = row.required("category", &mut errors).and_then(|c| {
            SupportCategory::read(&c)
                .map_err(|reason| errors.push(row.error("category", reason)))
                .ok()
        });
        let amount = row.required_number("amount", &mut errors);
        if amount.is_some_and(|a| a < 0) {
            errors.push(row.error("amount", "không được âm"));
        }
        let date = row
            .date("date", &mut errors)
            .filter(|d| row.not_future("date", *d, today, &mut errors));
        let (Some(org_id), Some(kind), Some(amount), Some(date), true) =
            (org_id, kind, amount, date, errors.is_empty())
        else {
            plan.errors.extend(errors);
            continue;
        };
        supports.push(Support {
            programme: programme_code,
            org_id,
            category: kind,
            amount,
            date,
            note: row.get("note").map(text::clean).unwrap_or_default(),
        });
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
