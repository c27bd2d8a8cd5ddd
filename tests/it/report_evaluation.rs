//! The report's evaluation section on a small registry of Thái Bình (not the demo's
//! province): grades by reason, area and group, the prose sentence and its numbers, the plan
//! indicators, size classes, and nothing at all when nothing is evaluated.

use crate::support::{TestDb, d};
use htx::app::evaluations::{EvaluationInput, evaluate};
use htx::app::plans::{PlanInput, PlanTargetInput, set_plan};
use htx::domain::period::Period;
use htx::domain::plans::Indicator;
use htx::domain::registry::{
    Attributes, Event, EventKind, EventPayload, ModelFlags, OrgKind, YearFigures,
};
use htx::domain::report::Figures;
use htx::report::figures::{ReportRequest, build};
use htx::store::registry::{NewOrganisation, RegistryBatch};
use htx::store::settings::Deployment;

/// A commune of the city of Thái Bình (district unit old-336).
const CITY: &str = "old-12433";
/// A commune of Quỳnh Phụ (district unit old-338).
const QUYNH_PHU: &str = "old-12472";

fn org(kind: OrgKind, code: &str, sector: &str, commune: &str, founded: &str) -> NewOrganisation {
    NewOrganisation {
        kind,
        reg_code: code.into(),
        established: Event {
            id: 0,
            kind: EventKind::Established,
            effective: d(founded),
            payload: EventPayload {
                attributes: Some(Attributes {
                    name: format!("HTX {code}"),
                    address: String::new(),
                    commune: commune.into(),
                    sector: sector.into(),
                    registering_body: String::new(),
                    law: 2012,
                    flags: ModelFlags::default(),
                    representative: String::new(),
                }),
                ..EventPayload::default()
            },
        },
    }
}

fn event(code: &str, kind: EventKind, date: &str) -> (String, Event) {
    (
        code.into(),
        Event {
            id: 0,
            kind,
            effective: d(date),
            payload: EventPayload::default(),
        },
    )
}

fn figures(code: &str, members: i64, revenue: Option<i64>) -> (String, YearFigures) {
    (
        code.into(),
        YearFigures {
            year: 2021,
            official_members: Some(members),
            revenue,
            ..YearFigures::default()
        },
    )
}

const BILLION: i64 = 1_000_000_000;

/// Ten HTX and LHHTX counted at the end of 2021 in two districts, a credit fund, a THT and an
/// HTX dissolved in 2021; the 2021 figures of some; a 2022 plan with the two targets.
async fn registry() -> TestDb {
    let db = TestDb::new().await;
    db.store
        .set_deployment(
            &Deployment {
                area: "old-34".into(),
                ..Deployment::default()
            },
            "test",
        )
        .await
        .unwrap();
    use OrgKind::*;
    let batch = RegistryBatch {
        organisations: vec![
            org(Htx, "A1", "agri_services", CITY, "2010-03-01"),
            org(Htx, "A2", "agri_services", CITY, "2011-03-01"),
            org(Htx, "A3", "agri_services", CITY, "2012-03-01"),
            org(Htx, "A4", "agri_services", CITY, "2013-03-01"),
            org(Htx, "N1", "agri_specialised", CITY, "2021-05-01"),
            org(Qtdnd, "Q1", "credit", CITY, "2000-01-10"),
            org(Tht, "T1", "agri_services", CITY, "2015-01-10"),
            org(Htx, "B1", "trade", QUYNH_PHU, "2014-03-01"),
            org(Htx, "B2", "trade", QUYNH_PHU, "2015-03-01"),
            org(Htx, "B3", "trade", QUYNH_PHU, "2016-03-01"),
            org(Htx, "S1", "agri_services", QUYNH_PHU, "2009-03-01"),
            org(Lhhtx, "L1", "agri_services", QUYNH_PHU, "2018-03-01"),
            org(Htx, "D1", "agri_services", QUYNH_PHU, "2008-03-01"),
        ],
        events: vec![
            event("S1", EventKind::Suspended, "2021-03-01"),
            event("S1", EventKind::Resumed, "2021-09-01"),
            event("D1", EventKind::Dissolved, "2021-06-01"),
        ],
        figures: vec![
            figures("A1", 250, Some(12 * BILLION)),
            figures("A2", 60, Some(3 * BILLION)),
            figures("A3", 30, None),
            figures("B1", 500, Some(80 * BILLION)),
            figures("S1", 400, Some(60 * BILLION)),
            figures("L1", 120, None),
        ],
    };
    db.store.apply_batch(&batch, "test", "test").await.unwrap();
    set_plan(
        &db.store,
        &PlanInput {
            period: "2022".into(),
            title: "kế hoạch năm 2022".into(),
            reference: String::new(),
            targets: [("Tỷ lệ HTX xếp loại khá, tốt", "70%"), ("good_htx", "5")]
                .map(|(i, v)| PlanTargetInput {
                    indicator: i.into(),
                    value: v.into(),
                })
                .to_vec(),
        },
        "test",
    )
    .await
    .unwrap();
    db
}

/// Records an evaluation through the one path every entrance takes.
async fn evaluated(db: &TestDb, code: &str, year: i32, total: &str, grade: &str, reason: &str) {
    evaluated_sheet(db, code, year, total, grade, reason, Vec::new()).await;
}

async fn evaluated_sheet(
    db: &TestDb,
    code: &str,
    year: i32,
    total: &str,
    grade: &str,
    reason: &str,
    points: Vec<String>,
) {
    let input = EvaluationInput {
        code: code.into(),
        year: year.to_string(),
        points,
        total: total.into(),
        grade: grade.into(),
        not_graded: reason.into(),
        scored_by: "UBND xã".into(),
        ..EvaluationInput::default()
    };
    evaluate(&db.store, &input, "test").await.unwrap();
}

/// The registry with evaluations for 2020 and 2021 (one corrected).
async fn evaluated_registry() -> TestDb {
    let db = registry().await;
    // A full sheet: 7+6+11+6 / 8+6+6+6+4 / 10+8+5 / 5+3+2 = 93.
    let sheet = [7, 6, 11, 6, 8, 6, 6, 6, 4, 10, 8, 5, 5, 3, 2].map(|p: i32| p.to_string());
    evaluated_sheet(&db, "A1", 2021, "", "", "", sheet.to_vec()).await;
    evaluated(&db, "A2", 2021, "70", "", "").await;
    evaluated(&db, "A3", 2021, "", "Trung bình", "").await;
    evaluated(&db, "B1", 2021, "85", "Tốt", "").await;
    evaluated(&db, "B2", 2021, "40", "", "").await;
    evaluated(&db, "B3", 2021, "66,5", "", "").await;
    // A correction: the latest version counts.
    let input = EvaluationInput {
        code: "B3".into(),
        year: "2021".into(),
        total: "81".into(),
        scored_by: "Phòng Kinh tế".into(),
        version: "1".into(),
        ..EvaluationInput::default()
    };
    evaluate(&db.store, &input, "test").await.unwrap();
    evaluated(&db, "S1", 2021, "", "", "tạm ngừng trên 3 tháng").await;
    evaluated(&db, "L1", 2021, "72", "", "").await;
    // Dissolved in 2021: evaluated, but not counted at the end of the year.
    evaluated(&db, "D1", 2021, "90", "", "").await;
    evaluated(&db, "A1", 2020, "75", "", "").await;
    evaluated(&db, "B1", 2020, "55", "", "").await;
    db
}

fn request(area: Option<&str>) -> ReportRequest {
    ReportRequest {
        area: area.map(Into::into),
        ..ReportRequest::of(Period::parse("2022-H1").unwrap())
    }
}

/// (organisations, graded, good, fair, average, weak, not graded, no result) of a JSON row.
fn counts(v: &serde_json::Value) -> [i64; 8] {
    [
        "organisations",
        "graded",
        "good",
        "fair",
        "average",
        "weak",
        "not_graded",
        "no_result",
    ]
    .map(|k| v[k].as_i64().unwrap_or(-1))
}

#[tokio::test]
async fn the_json_counts_grades_reasons_areas_and_groups_of_the_latest_evaluated_year() {
    let db = evaluated_registry().await;
    let f = build(&db.store, &request(None)).await.unwrap();
    let json = serde_json::to_value(&f).unwrap();
    let e = &json["evaluation"];
    assert_eq!(e["year"], 2021);
    assert_eq!(e["counted_on"], "2021-12-31");
    assert_eq!(counts(e), [10, 7, 3, 2, 1, 1, 2, 1]);
    let grades: Vec<(&str, i64, f64)> = e["by_grade"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["code"].as_str().unwrap(),
                g["count"].as_i64().unwrap(),
                g["share_pct"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        grades,
        [
            ("good", 3, 42.9),
            ("fair", 2, 28.6),
            ("average", 1, 14.3),
            ("weak", 1, 14.3)
        ]
    );
    assert_eq!(
        (e["good_or_fair"].as_i64(), e["good_or_fair_pct"].as_f64()),
        (Some(5), Some(71.4))
    );
    let reasons: Vec<(&str, i64, i64, i64)> = e["by_reason"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["code"].as_str().unwrap(),
                r["count"].as_i64().unwrap(),
                r["recorded"].as_i64().unwrap(),
                r["from_registry"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        reasons,
        [("short_year", 1, 0, 1), ("suspended", 1, 1, 0)],
        "the founded-in-2021 HTX has no result recorded: the registry gives its reason"
    );
    assert_eq!(e["credit_funds"], 1, "the credit fund is counted apart");
    let areas: Vec<(&str, [i64; 8])> = e["by_area"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["code"].as_str().unwrap(), counts(r)))
        .collect();
    assert_eq!(
        areas,
        [
            ("old-336", [5, 3, 1, 1, 1, 0, 1, 1]),
            ("old-338", [5, 4, 2, 1, 0, 1, 1, 0])
        ]
    );
    assert_eq!(counts(&e["by_area"]["total"]), counts(e));
    let groups: Vec<(&str, [i64; 8])> = e["by_group"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["code"].as_str().unwrap(), counts(r)))
        .collect();
    assert_eq!(
        groups,
        [
            ("agriculture", [7, 4, 1, 2, 1, 0, 2, 1]),
            ("non_agriculture", [3, 3, 2, 0, 0, 1, 0, 0])
        ]
    );
    let p = &e["previous"];
    assert_eq!(p["year"], 2020);
    assert_eq!(
        counts(p),
        [10, 2, 0, 1, 1, 0, 0, 8],
        "at the end of 2020: D1 still counted, N1 not yet founded"
    );
    assert_eq!(p["good_or_fair_pct"].as_f64(), Some(50.0));
}

#[tokio::test]
async fn a_district_report_counts_only_its_district() {
    let db = evaluated_registry().await;
    let f = build(&db.store, &request(Some("old-336"))).await.unwrap();
    let e = f.evaluation.as_ref().expect("the district has evaluations");
    let c = &e.summary.counts;
    assert_eq!(
        (c.organisations, c.graded, c.not_graded, c.no_result),
        (5, 3, 1, 1)
    );
    assert_eq!(e.by_area.rows.len(), 1);
    assert_eq!(e.summary.credit_funds, 1);
    assert_eq!(e.previous.as_ref().map(|p| p.counts.organisations), Some(4));
}

#[tokio::test]
async fn size_classes_are_derived_from_figures_and_a_field_without_thresholds_is_not_known() {
    let db = evaluated_registry().await;
    let f = build(&db.store, &request(None)).await.unwrap();
    let s = &f.evaluation.as_ref().unwrap().sizes;
    let classes: Vec<(&str, i64)> = s
        .by_class
        .iter()
        .map(|c| (c.code.as_str(), c.count))
        .collect();
    // A1 medium (250 members, 12 bn), A2 small, A3 micro (30 members), S1 large; B1 trade has
    // figures of a large one but trade has no thresholds; A4, B2, B3, N1 have no figures; L1
    // has members but neither revenue nor capital.
    assert_eq!(
        classes,
        [("large", 1), ("medium", 1), ("small", 1), ("micro", 1)]
    );
    assert_eq!((s.known, s.unknown, s.unknown_no_thresholds), (4, 6, 3));
}

/// The numbers written in a text: "07", "42,9%", "2021", "1.234".
fn numbers(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let inside = c.is_ascii_digit()
            || (matches!(c, '.' | ',')
                && !current.is_empty()
                && chars.get(i + 1).is_some_and(char::is_ascii_digit));
        if inside {
            current.push(c);
        } else if !current.is_empty() {
            if c == '%' {
                current.push('%');
            }
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Every number of the JSON, as prose writes counts (01, 1.234) and percentages (42,9%, 70%
/// for a target held in tenths).
fn json_numbers(v: &serde_json::Value, out: &mut Vec<String>) {
    use htx::domain::text;
    match v {
        serde_json::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                out.push(text::count(i));
                out.push(i.to_string());
                out.push(format!("{}%", text::format_tenths(i)));
            }
            if let Some(f) = n.as_f64() {
                out.push(format!(
                    "{}%",
                    text::format_tenths((f * 10.0).round() as i64)
                ));
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| json_numbers(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| json_numbers(x, out)),
        _ => {}
    }
}

#[tokio::test]
async fn the_prose_says_the_grades_and_reasons_with_numbers_of_the_json() {
    let db = evaluated_registry().await;
    let f = build(&db.store, &request(None)).await.unwrap();
    let md = htx::report::markdown::render(&f, None).unwrap();
    let sentence = "Kết quả đánh giá, xếp loại HTX năm 2021 theo Thông tư 01/2020/TT-BKHĐT: 07 HTX được xếp loại, trong đó 03 HTX loại tốt (42,9%), 02 HTX loại khá (28,6%), 01 HTX loại trung bình (14,3%), 01 HTX loại yếu (14,3%); 02 HTX không xếp loại (01 HTX hoạt động dưới 12 tháng trong năm, 01 HTX tạm ngừng hoạt động trên 3 tháng trong năm); 01 HTX chưa có kết quả đánh giá. Tỷ lệ HTX xếp loại khá, tốt là 71,4% (năm 2020: 50% trong 02 HTX được xếp loại), đạt 102% so với chỉ tiêu 70% của kế hoạch năm; số HTX xếp loại tốt đạt 60% so với kế hoạch năm (05 HTX). Các quỹ tín dụng nhân dân (01 quỹ) xếp loại theo quy định của Ngân hàng Nhà nước, không tính trong các số trên.";
    assert!(md.contains(sentence), "missing: {sentence}\n{md}");
    let sizes = "Phân loại HTX theo quy mô (Nghị định 113/2024/NĐ-CP) theo số liệu năm 2021: 01 HTX quy mô lớn, 01 HTX quy mô vừa, 01 HTX quy mô nhỏ, 01 HTX quy mô siêu nhỏ; 06 HTX chưa xác định được quy mô";
    assert!(md.contains(sizes), "missing: {sizes}\n{md}");

    // Every number the evaluation paragraphs state is one of the JSON's numbers (document
    // references and the reasons' own words aside).
    let json = serde_json::to_value(&f).unwrap();
    let mut known = Vec::new();
    json_numbers(&json["evaluation"], &mut known);
    json_numbers(&serde_json::to_value(&f.plans).unwrap(), &mut known);
    for paragraph in md
        .lines()
        .filter(|l| l.starts_with("Kết quả đánh giá") || l.starts_with("Phân loại HTX"))
    {
        let mut text = paragraph
            .replace("01/2020/TT-BKHĐT", "")
            .replace("113/2024/NĐ-CP", "");
        for r in f.evaluation.as_ref().unwrap().summary.by_reason.iter() {
            text = text.replace(&r.label, "");
        }
        for n in numbers(&text) {
            assert!(
                known.contains(&n),
                "{n} is not a number of the JSON: {paragraph}"
            );
        }
    }
    assert!(numbers("a 07 b 42,9% c 1.234 d 2021.").contains(&"42,9%".to_string()));
}

#[tokio::test]
async fn the_plan_indicators_are_measured_against_the_evaluation() {
    let db = evaluated_registry().await;
    let f = build(&db.store, &request(None)).await.unwrap();
    let target = |i: Indicator| {
        let a = f.plans.iter().find(|a| a.indicator == i).unwrap();
        (a.target, a.actual, a.achievement_pct)
    };
    assert_eq!(
        target(Indicator::GoodFairShare),
        (700, Some(714), Some(102.0)),
        "70% typed, 71,4% achieved (tenths of a per cent)"
    );
    assert_eq!(target(Indicator::GoodHtx), (5, Some(3), Some(60.0)));
    let md = htx::report::markdown::render(&f, None).unwrap();
    assert!(
        md.contains("| Tỷ lệ HTX xếp loại khá, tốt | Kế hoạch năm | 70% | 71,4% | 102% |"),
        "{md}"
    );
}

#[tokio::test]
async fn without_evaluations_there_is_no_section_no_prose_and_no_actual() {
    let db = registry().await;
    let f: Figures = build(&db.store, &request(None)).await.unwrap();
    assert!(f.evaluation.is_none());
    let json = serde_json::to_value(&f).unwrap();
    assert!(json["evaluation"].is_null());
    for a in f
        .plans
        .iter()
        .filter(|a| matches!(a.indicator, Indicator::GoodFairShare | Indicator::GoodHtx))
    {
        assert_eq!(
            (a.actual, a.achievement_pct),
            (None, None),
            "{:?}",
            a.indicator
        );
    }
    let md = htx::report::markdown::render(&f, None).unwrap();
    assert!(!md.contains("Kết quả đánh giá"), "{md}");
    assert!(!md.contains("quy mô"), "{md}");
    assert!(
        md.contains("| Tỷ lệ HTX xếp loại khá, tốt | Kế hoạch năm | 70% | – | – |"),
        "no figure, not zero: {md}"
    );
    assert!(
        md.contains("| Số HTX xếp loại tốt | Kế hoạch năm | 5 | – | – |"),
        "{md}"
    );
}

#[tokio::test]
async fn the_xlsx_annex_has_the_grades_by_area_and_group_and_the_size_classes() {
    let db = evaluated_registry().await;
    let f = build(&db.store, &request(None)).await.unwrap();
    let bytes = htx::report::xlsx::render(&f).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.xlsx");
    std::fs::write(&path, bytes).unwrap();
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(&path).unwrap();
    let sheet = book.worksheet_range("Xếp loại HTX").unwrap();
    let row = |label: &str| -> Vec<String> {
        sheet
            .rows()
            .find(|r| r[0] == label)
            .unwrap_or_else(|| panic!("no row {label}"))
            .iter()
            .map(ToString::to_string)
            .collect()
    };
    assert_eq!(
        row("Thành phố Thái Bình")[1..10],
        ["5", "3", "1", "1", "1", "0", "1", "1", "66.7"]
    );
    assert_eq!(
        row("Tổng cộng")[1..10],
        ["10", "7", "3", "2", "1", "1", "2", "1", "71.4"]
    );
    assert_eq!(
        row("Phi nông nghiệp")[1..10],
        ["3", "3", "2", "0", "0", "1", "0", "0", "66.7"]
    );
    assert_eq!(row("Quy mô lớn")[1], "1");
    assert_eq!(row("Chưa xác định được quy mô")[1], "6");

    // Nothing evaluated: no sheet.
    let blank = registry().await;
    let f = build(&blank.store, &request(None)).await.unwrap();
    let bytes = htx::report::xlsx::render(&f).unwrap();
    std::fs::write(&path, bytes).unwrap();
    let mut book = calamine::open_workbook_auto(&path).unwrap();
    assert!(book.worksheet_range("Xếp loại HTX").is_err());
}
