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

/// Thanh Hóa before the reform: an organisation whose commune is gone from the unit data
/// (merged in 2019–2024) is registered in its district, counted there before the reform and in
/// the province after it.
#[tokio::test]
async fn a_row_may_name_its_district_when_its_commune_no_longer_exists() {
    use htx::import::import_file;
    let db = TestDb::in_area("old-38").await;
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("thanh-hoa.csv");
    let write = |rows: &str| {
        std::fs::write(
            &csv,
            format!("Mã số đăng ký,Loại hình,Tên tổ chức,Ngày thành lập,Mã xã,Lĩnh vực\n{rows}"),
        )
        .unwrap()
    };
    let today = crate::support::d("2026-07-01");
    // A commune name that is in no unit data, and a district after the reform: refused, each
    // saying what to write.
    write(
        "TH3,HTX,HTX Trung Lý,10/05/2019,Xã Trung Lý cũ,agri_services\n\
         TH4,HTX,HTX Mường Lát,10/08/2025,Huyện Mường Lát,agri_services\n",
    );
    let report = import_file(&db.store, &csv, "t", today, true)
        .await
        .unwrap();
    let said: Vec<String> = report.errors().iter().map(|e| e.to_string()).collect();
    assert!(
        said[0].contains("dòng 2") && said[0].contains("ghi tên huyện (ví dụ \"Huyện Mường Lát\")"),
        "{said:#?}"
    );
    assert!(
        said[1].contains("dòng 3") && !said[1].contains("ghi tên huyện"),
        "after the reform there are no districts: {said:#?}"
    );

    write(
        "TH1,HTX,HTX Dịch vụ Mường Lát,10/05/2019,Huyện Mường Lát,agri_services\n\
         TH2,HTX,HTX Tam Chung,10/06/2019,14848,agri_services\n\
         TH5,HTX,HTX Quan Hóa,10/06/2019,Huyện Quan Hóa (mã 385),trade\n",
    );
    let report = import_file(&db.store, &csv, "t", today, false)
        .await
        .unwrap();
    assert!(report.errors().is_empty(), "{:?}", report.errors());
    let th1 = db.store.org_by_code("TH1").await.unwrap().unwrap();
    let intervals = db.store.org_intervals(th1.id).await.unwrap();
    assert_eq!(intervals[0].commune, "old-384");

    // 2020: counted in their districts, and in a report for Mường Lát alone.
    let y2020 = build(&db.store, &request("2020", false, None))
        .await
        .unwrap();
    let row = |t: &htx::domain::report::AreaTable, id: &str| {
        t.rows.iter().find(|r| r.id == id).map(|r| r.htx)
    };
    assert_eq!(row(&y2020.registry.by_area, "old-384"), Some(2));
    assert_eq!(row(&y2020.registry.by_area, "old-385"), Some(1));
    let muong_lat = build(&db.store, &request("2020", false, Some("old-384")))
        .await
        .unwrap();
    assert_eq!(muong_lat.registry.htx.total.end, 2);

    // After the reform: all three in the province (new Thanh Hóa), the two known only by
    // their district on a row of their own, so the table still adds up.
    let y2026 = build(&db.store, &request("2026-H1", false, None))
        .await
        .unwrap();
    assert_eq!(y2026.registry.htx.total.end, 3);
    let table = &y2026.registry.by_area;
    assert_eq!(
        row(table, htx::domain::report::UNPLACED),
        Some(2),
        "{table:#?}"
    );
    assert_eq!(table.total.htx, 3);
    assert_eq!(table.rows.last().unwrap().id, htx::domain::report::UNPLACED);
    let new_province = build(&db.store, &request("2026-H1", false, Some("new-38")))
        .await
        .unwrap();
    assert_eq!(new_province.registry.htx.total.end, 3);
}
