//! The demo's yearly evaluation for 2021 (Circular 01/2020/TT-BKHĐT): most HTX scored, a
//! third of them with the full sheet of fifteen criteria and the rest with the result the
//! commune or district reported; those the registry exempts (founded in 2021, suspended over
//! three months) recorded as not graded for that reason; a few with no result yet.

use super::rng::Rng;
use crate::domain::evaluation::{CRITERIA, Evaluation, GradeThresholds, Outcome, POINT};
use crate::domain::registry::OrgKind;
use crate::error::Result;
use crate::store::Store;
use time::macros::date;

/// The year the demo evaluates.
pub const YEAR: i32 = 2021;

/// Writes the demo's evaluations of [`YEAR`] in one transaction, each with its audit entry.
/// Returns how many were written.
pub async fn build(store: &Store, author: &str) -> Result<usize> {
    let thresholds = store.deployment().await?.grade_thresholds;
    let orgs = store.evaluation_rows(YEAR).await?;
    let mut rng = Rng::new(0x4556_414C_2021);
    // Decision 167 selects among the HTX graded Tốt: the demo's selections in 2022 were
    // graded Tốt for 2021, all but one, which the programme page then points out.
    let mut selected: Vec<i64> = store
        .programme_stages(date!(2022 - 01 - 01), date!(2022 - 12 - 31))
        .await?
        .into_iter()
        .filter(|s| s.stage == crate::domain::programmes::ProgrammeStage::Selected)
        .map(|s| s.org_id)
        .collect();
    selected.sort_unstable();
    let graded_good: std::collections::HashSet<i64> = selected.iter().skip(1).copied().collect();
    let mut tx = store.pool.begin().await?;
    let mut written = 0;
    for (k, o) in orgs.iter().enumerate() {
        if o.kind == OrgKind::Qtdnd {
            continue;
        }
        let scored_on = rng.date(date!(2022 - 02 - 10), date!(2022 - 03 - 31));
        let evaluation = match o.registry_exemption {
            // One exempt HTX in ten has nothing recorded: the registry still gives its reason.
            Some(_) if k % 10 == 3 => continue,
            Some(reason) => Evaluation {
                year: YEAR,
                outcome: Outcome::NotGraded { reason },
                scored_by: "UBND xã".into(),
                scored_on: Some(scored_on),
                note: String::new(),
            },
            None if graded_good.contains(&o.org_id) => {
                let level = rng.range(87, 96);
                sheet_at(&mut rng, &thresholds, scored_on, level)
            }
            // One in twelve has not sent its result yet.
            None if k % 12 == 5 => continue,
            None if k % 3 == 0 => sheet(&mut rng, &thresholds, scored_on),
            None => result_only(&mut rng, &thresholds, scored_on, k % 5 == 1),
        };
        let code = store
            .org_by_id(o.org_id)
            .await?
            .map(|org| org.reg_code)
            .unwrap_or_default();
        store
            .record_evaluation_in(&mut tx, o.org_id, &code, &evaluation, Some(0), author)
            .await?;
        written += 1;
    }
    tx.commit().await?;
    Ok(written)
}

/// How well an HTX did, in per cent of the maximum: most fair, some good, a few weak.
fn level(rng: &mut Rng) -> i64 {
    match rng.range(0, 99) {
        0..=21 => rng.range(81, 93),
        22..=66 => rng.range(66, 79),
        67..=89 => rng.range(51, 64),
        _ => rng.range(38, 49),
    }
}

/// A full sheet: every criterion scored in half points around the HTX's level.
fn sheet(rng: &mut Rng, thresholds: &GradeThresholds, scored_on: time::Date) -> Evaluation {
    let level = level(rng);
    sheet_at(rng, thresholds, scored_on, level)
}

/// A full sheet scored around a level, in per cent of the maximum.
fn sheet_at(
    rng: &mut Rng,
    thresholds: &GradeThresholds,
    scored_on: time::Date,
    level: i64,
) -> Evaluation {
    let points: Vec<i64> = CRITERIA
        .iter()
        .map(|c| {
            let pct = (level + rng.range(-12, 12)).clamp(0, 100);
            // Half points: the sheet's usual precision.
            (c.max * pct / 100 / 50 * 50).clamp(0, c.max)
        })
        .collect();
    let total = points.iter().sum();
    Evaluation {
        year: YEAR,
        outcome: Outcome::Graded {
            points: Some(points),
            total: Some(total),
            grade: thresholds.grade(total),
        },
        scored_by: "Hội đồng quản trị HTX".into(),
        scored_on: Some(scored_on),
        note: String::new(),
    }
}

/// The result alone, as a commune or district reports it; some reports give only the grade.
fn result_only(
    rng: &mut Rng,
    thresholds: &GradeThresholds,
    scored_on: time::Date,
    grade_only: bool,
) -> Evaluation {
    let total = level(rng) * POINT + rng.range(0, 1) * POINT / 2;
    Evaluation {
        year: YEAR,
        outcome: Outcome::Graded {
            points: None,
            total: (!grade_only).then_some(total),
            grade: thresholds.grade(total),
        },
        scored_by: if grade_only {
            "Phòng Kinh tế huyện".into()
        } else {
            "UBND xã".into()
        },
        scored_on: Some(scored_on),
        note: String::new(),
    }
}
