//! Counting by area in both administrative eras and across the 2025 reform.

use crate::support::TestDb;
use htx::domain::geo::{Era, Level, geo};
use htx::domain::period::Period;
use htx::report::figures::{ReportRequest, build};

fn request(period: &str, current_units: bool, area: Option<&str>) -> ReportRequest {
    ReportRequest {
        period: Period::parse(period).unwrap(),
        area: area.map(String::from),
        compare_same_period: false,
        current_units,
        include_fund: true,
    }
}

#[tokio::test]
async fn a_2022_report_groups_by_district_and_a_2026_report_by_commune() {
    let db = TestDb::demo().await;
    let old = build(&db.store, &request("2022-H1", false, None))
        .await
        .unwrap();
    assert!(
        old.registry
            .by_area
            .rows
            .iter()
            .all(|r| r.id.starts_with("old-") && r.id.len() == 7)
    );
    let new = build(&db.store, &request("2026-H1", false, None))
        .await
        .unwrap();
    assert!(!new.registry.by_area.rows.is_empty());
    for row in &new.registry.by_area.rows {
        let unit = geo().unit(&row.id).unwrap();
        assert_eq!(
            (unit.era, unit.level),
            (Era::New, Level::Commune),
            "{}",
            row.id
        );
    }
    assert_eq!(
        new.registry.by_area.total.htx + new.registry.by_area.total.tht,
        new.registry.htx.total.end + new.registry.tht.total.end
    );
}

#[tokio::test]
async fn history_can_be_mapped_onto_todays_communes() {
    let db = TestDb::demo().await;
    let mapped = build(&db.store, &request("2022-H1", true, None))
        .await
        .unwrap();
    assert!(
        mapped
            .registry
            .by_area
            .rows
            .iter()
            .all(|r| r.id.starts_with("new-"))
    );
    assert_eq!(
        mapped.registry.by_area.total.htx, 678,
        "mapping moves counts, never loses them"
    );
}

#[tokio::test]
async fn a_report_for_one_district_counts_only_its_organisations() {
    let db = TestDb::demo().await;
    let whole = build(&db.store, &request("2022-H1", false, None))
        .await
        .unwrap();
    let gia_binh = build(&db.store, &request("2022-H1", false, Some("old-263")))
        .await
        .unwrap();
    let row = whole
        .registry
        .by_area
        .rows
        .iter()
        .find(|r| r.id == "old-263")
        .unwrap();
    assert_eq!(gia_binh.registry.htx.total.end, row.htx);
    assert_eq!(gia_binh.area.scope_word, "toàn huyện");
    assert_eq!(gia_binh.registry.by_area.rows.len(), 1);
}
