//! Turns programme, programme-stage and support sheets into checked records, to the
//! registry's standard: every bad row named, rows already recorded skipped.

use crate::domain::text;
use crate::error::Result;
use crate::import::columns::Col;
use crate::import::columns::SheetKind;
use crate::import::row::{KnownRecords, Row, RowError, span};
use crate::store::Store;
use crate::store::programmes::{CATEGORIES, Programme, Stage, Support};
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

/// Reads a stage as written in selection minutes, or its code.
fn stage(s: &str) -> Option<&'static str> {
    match text::fold(s).as_str() {
        "de xuat" | "duoc de xuat" | "de cu" | "duoc de cu" | "nominated" => Some("nominated"),
        "danh gia" | "duoc danh gia" | "tham dinh" | "evaluated" => Some("evaluated"),
        "lua chon" | "duoc lua chon" | "duoc chon" | "selected" => Some("selected"),
        _ => None,
    }
}

/// Reads a support category: its code, its full label ("đào tạo, bồi dưỡng") or the label's
/// first part ("đào tạo"), since a comma in a cell is awkward in CSV files.
fn category(s: &str) -> Option<&'static str> {
    let folded = text::fold(s);
    CATEGORIES
        .iter()
        .find(|(code, label)| {
            let label = text::fold(label);
            folded == *code
                || folded == label
                || label.split(',').next().is_some_and(|l| l.trim() == folded)
        })
        .map(|(code, _)| *code)
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
        let code = row.required(Col::Programme, &mut errors);
        let name = row.required(Col::ProgrammeName, &mut errors);
        let (Some(code), Some(name), true) = (code, name, errors.is_empty()) else {
            plan.errors.extend(errors);
            continue;
        };
        let stored = known.get(&code);
        let programme = Programme {
            // A blank cell keeps the recorded decision rather than erasing it.
            decision: row
                .get(Col::Decision)
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
        if row.get(Col::RegCode).is_none() {
            errors.push(row.error(Col::RegCode, "bắt buộc, đang để trống"));
        }
        let org_id = row.org(store, Col::RegCode, &mut errors).await?;
        let reached = row.required(Col::Stage, &mut errors).and_then(|s| {
            stage(&s).or_else(|| {
                errors.push(row.error(
                    Col::Stage,
                    format!("\"{s}\" phải là đề xuất, đánh giá hoặc lựa chọn"),
                ));
                None
            })
        });
        let date = row
            .date(Col::Date, &mut errors)
            .filter(|d| row.not_future(Col::Date, *d, today, &mut errors));
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
                stage: reached.to_string(),
                date,
                note: row.get(Col::Note).map(text::clean).unwrap_or_default(),
            },
        ));
    }
    if let Some((start, end)) = span(stages.iter().map(|(_, s)| s.date)) {
        let stored = store.programme_stages(start, end).await?;
        // Programme, organisation, stage and date name a stage; the note is its content.
        let identity = |o: &Stage| (o.programme.clone(), o.org_id, o.stage.clone(), o.date);
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
        if row.get(Col::RegCode).is_none() {
            errors.push(row.error(Col::RegCode, "bắt buộc, đang để trống"));
        }
        let org_id = row.org(store, Col::RegCode, &mut errors).await?;
        let programme_code = programme(row, false, &mut errors);
        let kind = row.required(Col::Category, &mut errors).and_then(|c| {
            category(&c).or_else(|| {
                errors.push(row.error(
                    Col::Category,
                    format!("\"{c}\" không có trong danh mục nội dung hỗ trợ"),
                ));
                None
            })
        });
        let amount = row.required_number(Col::Amount, &mut errors);
        if amount.is_some_and(|a| a < 0) {
            errors.push(row.error(Col::Amount, "không được âm"));
        }
        let date = row
            .date(Col::Date, &mut errors)
            .filter(|d| row.not_future(Col::Date, *d, today, &mut errors));
        let (Some(org_id), Some(kind), Some(amount), Some(date), true) =
            (org_id, kind, amount, date, errors.is_empty())
        else {
            plan.errors.extend(errors);
            continue;
        };
        supports.push(Support {
            programme: programme_code,
            org_id,
            category: kind.to_string(),
            amount,
            date,
            note: row.get(Col::Note).map(text::clean).unwrap_or_default(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_are_read_by_code_label_or_first_part() {
        assert_eq!(category("training"), Some("training"));
        assert_eq!(category("Đào tạo, bồi dưỡng"), Some("training"));
        assert_eq!(category("đào tạo"), Some("training"));
        assert_eq!(category("Xúc tiến thương mại"), Some("trade_promotion"));
        assert_eq!(category("hỗ trợ khác"), Some("other"));
        assert_eq!(category("bồi dưỡng"), None);
    }

    #[test]
    fn stages_are_read_in_vietnamese_or_english() {
        assert_eq!(stage("Được lựa chọn"), Some("selected"));
        assert_eq!(stage("đề xuất"), Some("nominated"));
        assert_eq!(stage("evaluated"), Some("evaluated"));
        assert_eq!(stage("họp"), None);
    }
}
