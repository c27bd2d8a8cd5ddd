//! Recording a yearly evaluation (Circular 01/2020/TT-BKHĐT) from typed input: the points of
//! the fifteen criteria, or the result alone (total and grade), or why it is not graded. The
//! import, the command line, the web form and the API fill the same input.

use crate::domain::codes::Coded;
use crate::domain::evaluation::{
    self, CRITERIA, CRITERIA_COUNT, Evaluation, Exemption, Grade, GradeThresholds, Outcome, POINT,
};
use crate::domain::registry::{Interval, OrgKind};
use crate::domain::text::{self, MAX_NAME_CHARS, MAX_NOTE_CHARS};
use crate::error::{Error, Problems, Result};
use crate::store::Store;
use serde::Deserialize;
use time::Date;

/// An evaluation as typed.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct EvaluationInput {
    /// Registration code of the HTX, LHHTX or QTDND.
    pub code: String,
    /// The year evaluated.
    #[serde(deserialize_with = "super::text")]
    pub year: String,
    /// Points of criteria 1 to 15 in order ("7", "7,5"); empty when only the result is known.
    #[serde(deserialize_with = "super::texts")]
    pub points: Vec<String>,
    /// Total points (Điểm đánh giá). With the points it must equal their sum; without them it
    /// is the reported result.
    #[serde(deserialize_with = "super::text")]
    pub total: String,
    /// Tốt, Khá, Trung bình or Yếu; derived from the total when blank.
    pub grade: String,
    /// Why it is not graded (hoạt động dưới 12 tháng, tạm ngừng trên 3 tháng, QTDND); blank
    /// when graded.
    pub not_graded: String,
    /// Who scored.
    pub scored_by: String,
    /// The day of the scoring (dd/mm/yyyy).
    pub scored_on: String,
    pub note: String,
    /// The version this input corrects, as the writer saw it (0 for a first evaluation);
    /// blank not to check.
    #[serde(deserialize_with = "super::text")]
    pub version: String,
}

impl EvaluationInput {
    /// The field name of criterion `n` (1-based) in problems: `c1` … `c15`.
    pub fn criterion_field(n: usize) -> String {
        format!("c{n}")
    }
}

/// A checked evaluation, with the organisation it is for and the version it corrects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedEvaluation {
    pub code: String,
    pub evaluation: Evaluation,
    pub expected_version: Option<i64>,
}

/// The earliest year accepted (the first cooperative law's results are not kept before).
const FIRST_YEAR: i32 = 2000;

/// Checks an evaluation on its own, reporting every problem. The year cannot lie after
/// `today`'s year nor the scoring after `today`.
pub fn check(
    input: &EvaluationInput,
    thresholds: &GradeThresholds,
    today: Date,
) -> Result<CheckedEvaluation> {
    let mut problems = Problems::new();
    let code = super::required(&mut problems, "code", &input.code);
    let year = super::required(&mut problems, "year", &input.year).and_then(|y| {
        problems.take(
            "year",
            y.parse::<i32>()
                .ok()
                .filter(|y| (FIRST_YEAR..=today.year()).contains(y))
                .ok_or_else(|| {
                    format!(
                        "\"{y}\" không phải năm đánh giá ({FIRST_YEAR}–{})",
                        today.year()
                    )
                }),
        )
    });
    let points = read_points(&mut problems, &input.points);
    let total = match input.total.trim() {
        "" => Some(None),
        t => problems
            .take("total", evaluation::parse_points(t))
            .and_then(|t| {
                problems.take(
                    "total",
                    if t > 100 * POINT {
                        Err(format!("{} điểm vượt quá 100 điểm", evaluation::points(t)))
                    } else {
                        Ok(Some(t))
                    },
                )
            }),
    };
    let grade = match input.grade.trim() {
        "" => Some(None),
        g => problems.take("grade", Grade::read(g)).map(Some),
    };
    let reason = match input.not_graded.trim() {
        "" => Some(None),
        r => problems.take("not_graded", Exemption::read(r)).map(Some),
    };
    let scored_by = text::clean(&input.scored_by);
    let note = text::clean(&input.note);
    let scored_on = super::optional_date(&mut problems, "scored_on", &input.scored_on);
    super::not_future(&mut problems, "scored_on", scored_on.flatten(), today);
    if let (Some(Some(on)), Some(year)) = (scored_on, year)
        && on.year() < year
    {
        problems.add(
            "scored_on",
            format!(
                "ngày chấm {} trước năm được đánh giá {year}",
                text::date(on)
            ),
        );
    }
    let expected_version = super::expected_version(&mut problems, &input.version);
    super::lengths(
        &mut problems,
        &[
            ("scored_by", &scored_by, MAX_NAME_CHARS),
            ("note", &note, MAX_NOTE_CHARS),
        ],
    );
    let outcome = outcome(
        &mut problems,
        thresholds,
        points.clone(),
        total,
        grade,
        reason,
    );
    problems.finish(|| {
        Some(CheckedEvaluation {
            code: code?,
            evaluation: Evaluation {
                year: year?,
                outcome: outcome?,
                scored_by,
                scored_on: scored_on?,
                note,
            },
            expected_version: expected_version?,
        })
    })
}

/// The outcome the typed points, total, grade and reason make, noting what contradicts.
fn outcome(
    problems: &mut Problems,
    thresholds: &GradeThresholds,
    points: Option<Option<Vec<i64>>>,
    total: Option<Option<i64>>,
    grade: Option<Option<Grade>>,
    reason: Option<Option<Exemption>>,
) -> Option<Outcome> {
    let (points, total, grade, reason) = (points?, total?, grade?, reason?);
    if let Some(reason) = reason {
        if points.is_some() || total.is_some() || grade.is_some() {
            problems.add(
                "not_graded",
                "không xếp loại thì không ghi điểm, tổng điểm hay xếp loại",
            );
            return None;
        }
        return Some(Outcome::NotGraded { reason });
    }
    let total = match (&points, total) {
        (Some(points), typed) => {
            let sum: i64 = points.iter().sum();
            if let Some(typed) = typed
                && typed != sum
            {
                problems.add(
                    "total",
                    format!(
                        "tổng điểm {} khác tổng điểm các tiêu chí {}",
                        evaluation::points(typed),
                        evaluation::points(sum)
                    ),
                );
                return None;
            }
            Some(sum)
        }
        (None, typed) => typed,
    };
    let grade = match (grade, total) {
        (Some(g), Some(t)) => {
            problems.take("grade", evaluation::check_grade(g, t, thresholds))?;
            g
        }
        (Some(g), None) => g,
        (None, Some(t)) => thresholds.grade(t),
        (None, None) => {
            problems.add(
                "grade",
                "ghi điểm các tiêu chí, hoặc tổng điểm hay xếp loại, hoặc lý do không xếp loại",
            );
            return None;
        }
    };
    Some(Outcome::Graded {
        points,
        total,
        grade,
    })
}

/// The points of the fifteen criteria: `Some(None)` when all are blank, `None` after noting a
/// problem (a missing criterion, a number outside the criterion's range).
fn read_points(problems: &mut Problems, typed: &[String]) -> Option<Option<Vec<i64>>> {
    if typed.iter().all(|p| p.trim().is_empty()) {
        return Some(None);
    }
    if typed.len() > CRITERIA_COUNT {
        problems.add(
            "points",
            format!("có {} tiêu chí, không phải {}", CRITERIA_COUNT, typed.len()),
        );
        return None;
    }
    let mut out = Vec::with_capacity(CRITERIA_COUNT);
    let mut complete = true;
    for criterion in &CRITERIA {
        let field = EvaluationInput::criterion_field(criterion.number);
        let typed = typed.get(criterion.number - 1).map_or("", |s| s.trim());
        if typed.is_empty() {
            problems.add(
                &field,
                format!(
                    "thiếu điểm tiêu chí {} (ghi 0 nếu không đạt)",
                    criterion.number
                ),
            );
            complete = false;
            continue;
        }
        match evaluation::parse_points(typed).and_then(|p| evaluation::check_points(criterion, p)) {
            Ok(p) => out.push(p),
            Err(reason) => {
                problems.add(&field, reason);
                complete = false;
            }
        }
    }
    complete.then_some(Some(out))
}

/// Checks an evaluation against the organisation it names, as the registry holds it now.
/// Returns the organisation's id.
pub async fn check_against_store(store: &Store, checked: &CheckedEvaluation) -> Result<i64> {
    let Some(org) = store.org_by_code(&checked.code).await? else {
        return Err(Error::invalid(
            "code",
            format!("không có tổ chức mã số {} trong sổ", checked.code),
        ));
    };
    let intervals = store.org_intervals(org.id).await?;
    check_against_intervals(org.kind, &intervals, checked)?;
    Ok(org.id)
}

/// Checks an evaluation against an organisation's kind and intervals (as stored, or as an
/// import will leave them), naming the field the refusal is about.
pub fn check_against_intervals(
    kind: OrgKind,
    intervals: &[Interval],
    checked: &CheckedEvaluation,
) -> Result<()> {
    evaluation::check_against_registry(kind, intervals, &checked.evaluation).map_err(|reason| {
        let field = match checked.evaluation.outcome {
            Outcome::Graded { .. } => "code",
            Outcome::NotGraded { .. } => "not_graded",
        };
        Error::invalid(field, reason)
    })
}

/// Records a checked evaluation as a new version, in one transaction with its audit entry.
/// Returns the version written.
pub async fn record(
    store: &Store,
    org_id: i64,
    checked: &CheckedEvaluation,
    author: &str,
) -> Result<i64> {
    let mut tx = store.pool.begin().await?;
    let version = store
        .record_evaluation_in(
            &mut tx,
            org_id,
            &checked.code,
            &checked.evaluation,
            checked.expected_version,
            author,
        )
        .await?;
    tx.commit().await?;
    Ok(version)
}

/// Checks and records an evaluation; returns the checked evaluation and its version.
pub async fn evaluate(
    store: &Store,
    input: &EvaluationInput,
    author: &str,
) -> Result<(CheckedEvaluation, i64)> {
    let thresholds = store.deployment().await?.grade_thresholds;
    let checked = check(input, &thresholds, crate::domain::today())?;
    let org_id = check_against_store(store, &checked).await?;
    let version = record(store, org_id, &checked, author).await?;
    Ok((checked, version))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 12 - 01);

    fn full(points: [&str; 15]) -> EvaluationInput {
        EvaluationInput {
            code: "2701000001".into(),
            year: "2021".into(),
            points: points.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    fn problems_of(input: &EvaluationInput) -> Vec<(String, String)> {
        match check(input, &GradeThresholds::default(), TODAY) {
            Ok(c) => panic!("accepted: {c:?}"),
            Err(e) => e
                .problems()
                .iter()
                .map(|p| (p.field.clone(), p.reason.clone()))
                .collect(),
        }
    }

    const MAXIMA: [&str; 15] = [
        "7", "6", "11", "6", "8", "6", "6", "6", "4", "10", "10", "5", "5", "5", "5",
    ];

    #[test]
    fn a_full_sheet_sums_its_points_and_derives_the_grade() {
        let c = check(&full(MAXIMA), &GradeThresholds::default(), TODAY).unwrap();
        assert_eq!(c.evaluation.total(), Some(100 * POINT));
        assert_eq!(c.evaluation.grade(), Some(Grade::Good));
        let mut fair = MAXIMA;
        fair[2] = "0";
        fair[10] = "0,5"; // 100 - 11 - 9,5 = 79,5
        let c = check(&full(fair), &GradeThresholds::default(), TODAY).unwrap();
        assert_eq!(c.evaluation.total(), Some(7950));
        assert_eq!(c.evaluation.grade(), Some(Grade::Fair));
    }

    #[test]
    fn every_problem_of_a_sheet_is_reported_by_criterion() {
        let mut bad = MAXIMA;
        bad[0] = "7,5";
        bad[4] = "";
        bad[9] = "mười";
        let problems = problems_of(&full(bad));
        let fields: Vec<&str> = problems.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["c1", "c5", "c10"], "{problems:?}");
        assert!(problems[0].1.contains("0–7"), "{problems:?}");
    }

    #[test]
    fn a_typed_total_or_grade_that_contradicts_the_points_is_refused() {
        let mut input = full(MAXIMA);
        input.total = "99".into();
        assert_eq!(problems_of(&input)[0].0, "total");
        let mut input = full(MAXIMA);
        input.grade = "Khá".into();
        let problems = problems_of(&input);
        assert_eq!(problems[0].0, "grade");
        assert!(problems[0].1.contains("Tốt"), "{problems:?}");
    }

    #[test]
    fn the_result_alone_is_accepted_and_checked() {
        let input = EvaluationInput {
            code: "2701000001".into(),
            year: "2019".into(),
            total: "82,5".into(),
            grade: "tốt".into(),
            ..Default::default()
        };
        let c = check(&input, &GradeThresholds::default(), TODAY).unwrap();
        assert_eq!(c.evaluation.grade(), Some(Grade::Good));
        assert_eq!(c.evaluation.total(), Some(8250));
        let grade_only = EvaluationInput {
            total: String::new(),
            grade: "Trung bình".into(),
            ..input.clone()
        };
        let c = check(&grade_only, &GradeThresholds::default(), TODAY).unwrap();
        assert_eq!(c.evaluation.total(), None);
        let contradicting = EvaluationInput {
            total: "64,9".into(),
            grade: "Khá".into(),
            ..input
        };
        assert_eq!(problems_of(&contradicting)[0].0, "grade");
    }

    #[test]
    fn not_graded_takes_a_reason_and_no_points() {
        let input = EvaluationInput {
            code: "2701000001".into(),
            year: "2021".into(),
            not_graded: "chưa đủ 12 tháng".into(),
            ..Default::default()
        };
        let c = check(&input, &GradeThresholds::default(), TODAY).unwrap();
        assert_eq!(
            c.evaluation.outcome,
            Outcome::NotGraded {
                reason: Exemption::ShortYear
            }
        );
        let with_grade = EvaluationInput {
            grade: "Tốt".into(),
            ..input
        };
        assert_eq!(problems_of(&with_grade)[0].0, "not_graded");
    }

    #[test]
    fn nothing_typed_names_what_is_missing() {
        let problems = problems_of(&EvaluationInput::default());
        let fields: Vec<&str> = problems.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["code", "year", "grade"], "{problems:?}");
    }

    #[test]
    fn a_future_year_or_scoring_day_is_refused() {
        let mut input = full(MAXIMA);
        input.year = "2027".into();
        input.scored_on = "02/12/2026".into();
        let fields: Vec<String> = problems_of(&input).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["year", "scored_on"]);
        let mut early = full(MAXIMA);
        early.scored_on = "15/12/2020".into();
        assert_eq!(problems_of(&early)[0].0, "scored_on");
    }

    #[test]
    fn points_come_from_json_numbers_or_text() {
        let input: EvaluationInput = serde_json::from_str(
            r#"{"code":"x","year":2021,"points":[7,6,11,6,8,6,6,6,4,10,10,5,5,5,4.5]}"#,
        )
        .unwrap();
        let c = check(&input, &GradeThresholds::default(), TODAY).unwrap();
        assert_eq!(c.evaluation.total(), Some(9950));
    }
}
