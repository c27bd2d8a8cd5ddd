//! Recording plan targets from typed input: the import's rows of the sheet "Chỉ tiêu kế
//! hoạch" and the command line's `--target INDICATOR=VALUE` fill the same input and go
//! through the same check.

use crate::domain::codes::Coded;
use crate::domain::period::Period;
use crate::domain::plans::{Indicator, Unit};
use crate::domain::text;
use crate::error::{Problems, Result};
use crate::store::Store;
use crate::store::plans::Plan;
use serde::Deserialize;

/// One target as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct TargetInput {
    /// 2022 (the year), 2022-H1 (a half), 2022-Q3 (a quarter).
    pub period: String,
    /// Indicator code or Vietnamese name (new_htx, HTX thành lập mới…).
    pub indicator: String,
    /// The target, a whole number not below zero; for a percentage, 70% or 70 (72,5% allowed).
    #[serde(deserialize_with = "super::text")]
    pub value: String,
}

/// A checked target: the period's code, the indicator and the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub period: String,
    pub indicator: Indicator,
    pub value: i64,
}

/// The reason a period is not one a plan can have.
pub fn period_refusal(typed: &str) -> String {
    format!(
        "\"{}\" không phải kỳ kế hoạch: dùng 2022 (cả năm), 2022-H1 (6 tháng) hoặc 2022-Q3 (quý)",
        typed.trim()
    )
}

/// Reads a percentage target as typed ("70%", "70", "72,5%") into tenths of a per cent.
pub fn parse_percent(typed: &str) -> std::result::Result<i64, String> {
    let s = typed.trim();
    let refusal =
        || format!("\"{s}\" không phải tỷ lệ phần trăm từ 0 đến 100 (ví dụ 70% hoặc 72,5%)");
    let digits = s.strip_suffix('%').unwrap_or(s).trim();
    let (whole, tenth) = match digits.split_once([',', '.']) {
        Some((w, t)) => (w, t),
        None => (digits, "0"),
    };
    if whole.is_empty()
        || whole.len() > 3
        || tenth.len() != 1
        || !whole
            .bytes()
            .chain(tenth.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return Err(refusal());
    }
    let value = whole.parse::<i64>().map_err(|_| refusal())? * 10
        + tenth.parse::<i64>().map_err(|_| refusal())?;
    if value > 1000 {
        return Err(refusal());
    }
    Ok(value)
}

/// Checks one target, reporting every problem by field.
pub fn check_target(input: &TargetInput) -> Result<Target> {
    let mut problems = Problems::new();
    let period = super::required(&mut problems, "period", &input.period).and_then(|p| {
        problems.take(
            "period",
            Period::parse(&p)
                .map(|p| p.code)
                .map_err(|_| period_refusal(&p)),
        )
    });
    let indicator = super::required(&mut problems, "indicator", &input.indicator)
        .and_then(|i| problems.take("indicator", Indicator::read(&i)));
    let percent = indicator.is_some_and(|i| i.unit() == Unit::Percent);
    let value = super::required(&mut problems, "value", &input.value)
        .and_then(|v| {
            if percent {
                problems.take("value", parse_percent(&v).map(Some))
            } else {
                problems.take("value", text::parse_whole_number(&v))
            }
        })
        .flatten();
    problems.finish(|| {
        Some(Target {
            period: period?,
            indicator: indicator?,
            value: value?,
        })
    })
}

/// A whole plan as typed: its period, title, approving document and targets.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PlanInput {
    pub period: String,
    pub title: String,
    pub reference: String,
    pub targets: Vec<PlanTargetInput>,
}

/// A target of a whole plan as typed.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PlanTargetInput {
    pub indicator: String,
    #[serde(deserialize_with = "super::text")]
    pub value: String,
}

/// Checks a whole plan: every target through [`check_target`] (a problem names the
/// target's field, `indicator` or `value`, with the same words as from every entrance), an
/// indicator at most once.
pub fn check_plan(input: &PlanInput) -> Result<Plan> {
    let mut problems = Problems::new();
    let mut period = None;
    let mut targets: Vec<(Indicator, i64)> = Vec::new();
    if input.targets.is_empty() {
        problems.add("targets", "cần ít nhất một chỉ tiêu");
    }
    for t in &input.targets {
        let typed = TargetInput {
            period: input.period.clone(),
            indicator: t.indicator.clone(),
            value: t.value.clone(),
        };
        match check_target(&typed) {
            Ok(t) if targets.iter().any(|(i, _)| *i == t.indicator) => problems.add(
                "indicator",
                format!("chỉ tiêu {} của kỳ {} đã có", t.indicator.code(), t.period),
            ),
            Ok(t) => {
                period = Some(t.period);
                targets.push((t.indicator, t.value));
            }
            Err(e) => {
                for p in e.problems() {
                    // The period is the plan's, reported once below.
                    if p.field != "period" {
                        problems.add(p.field.clone(), p.reason.clone());
                    }
                }
            }
        }
    }
    let period = period.or_else(|| {
        super::required(&mut problems, "period", &input.period).and_then(|p| {
            problems.take(
                "period",
                Period::parse(&p)
                    .map(|p| p.code)
                    .map_err(|_| period_refusal(&p)),
            )
        })
    });
    targets.sort_by_key(|(i, _)| *i);
    let (title, reference) = (text::clean(&input.title), text::clean(&input.reference));
    super::lengths(
        &mut problems,
        &[
            ("title", &title, text::MAX_NAME_CHARS),
            ("reference", &reference, text::MAX_LINE_CHARS),
        ],
    );
    problems.finish(|| {
        Some(Plan {
            period: period?,
            title,
            reference,
            targets,
        })
    })
}

/// Records a checked plan, replacing its targets (one transaction with its audit entry).
pub async fn record_plan(store: &Store, plan: &Plan, author: &str) -> Result<()> {
    store.set_plan(plan, author).await
}

/// Checks and records a whole plan.
pub async fn set_plan(store: &Store, input: &PlanInput, author: &str) -> Result<Plan> {
    let plan = check_plan(input)?;
    record_plan(store, &plan, author).await?;
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(period: &str, indicator: &str, value: &str) -> TargetInput {
        TargetInput {
            period: period.into(),
            indicator: indicator.into(),
            value: value.into(),
        }
    }

    #[test]
    fn a_target_is_read_by_code_or_name_with_a_whole_number() {
        let t = check_target(&target("2022-h1", "HTX thành lập mới", "1.200")).unwrap();
        assert_eq!(
            t,
            Target {
                period: "2022-H1".into(),
                indicator: Indicator::NewHtx,
                value: 1200
            }
        );
    }

    #[test]
    fn a_bad_target_reports_every_field() {
        let e = check_target(&target("2022-H3", "HTX", "mười")).unwrap_err();
        let fields: Vec<&str> = e.problems().iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["period", "indicator", "value"]);
        assert_eq!(
            e.problems()[2].reason,
            "\"mười\" không phải số nguyên không âm"
        );
        let e = check_target(&target("2022", "new_htx", "-5")).unwrap_err();
        assert_eq!(
            e.problems()[0].reason,
            "\"-5\" không phải số nguyên không âm"
        );
    }

    #[test]
    fn a_percentage_target_is_typed_with_or_without_the_sign() {
        for (typed, tenths) in [("70%", 700), ("70", 700), (" 72,5 % ", 725), ("100%", 1000)] {
            let t = check_target(&target("2022", "Tỷ lệ HTX xếp loại khá, tốt", typed)).unwrap();
            assert_eq!(
                (t.indicator, t.value),
                (Indicator::GoodFairShare, tenths),
                "{typed}"
            );
        }
        for typed in ["120%", "7,25%", "bảy mươi", "-5%", "%"] {
            let e = check_target(&target("2022", "good_fair_share", typed)).unwrap_err();
            assert_eq!(e.field(), Some("value"), "{typed}");
        }
        let t = check_target(&target("2022", "good_htx", "12")).unwrap();
        assert_eq!((t.indicator, t.value), (Indicator::GoodHtx, 12));
    }

    #[test]
    fn a_plan_names_an_indicator_once() {
        let input = PlanInput {
            period: "2022".into(),
            targets: ["10", "12"]
                .map(|v| PlanTargetInput {
                    indicator: "new_htx".into(),
                    value: v.into(),
                })
                .to_vec(),
            ..PlanInput::default()
        };
        let e = check_plan(&input).unwrap_err();
        assert_eq!(e.field(), Some("indicator"));
    }
}
