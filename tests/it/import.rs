//! Importing spreadsheets: row errors with nothing written, idempotent re-import, xlsx.

use crate::support::{TestDb, d};
use htx::import::import_file;
use htx::store::registry::OrgFilter;
use std::path::{Path, PathBuf};

const ORGS: &str =
    "\u{FEFF}Mã số đăng ký,Loại hình,Tên tổ chức,Ngày thành lập,Mã xã,Lĩnh vực,Địa chỉ
2725600901,HTX,HTX Thương mại Vũ Ninh,15/03/2022,09163,Thương mại - dịch vụ,Thôn Đông
2725600902,htx,Hợp tác xã Rau an toàn Đông Xuyên,2021-06-01,09163,chuyen nganh nong nghiep,
";

const EVENTS: &str = "Mã số đăng ký;Sự kiện;Ngày hiệu lực;Tên mới
2725600901;đăng ký thay đổi;01/04/2022;HTX Thương mại dịch vụ Vũ Ninh
2725600902;giải thể;20/05/2022;
";

fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

async fn count(db: &TestDb) -> i64 {
    db.store
        .list_orgs(&OrgFilter {
            on: Some(d("2026-01-01")),
            limit: 1,
            counted_only: true,
            ..OrgFilter::default()
        })
        .await
        .unwrap()
        .1
}

#[tokio::test]
async fn a_file_with_bad_rows_is_refused_whole_with_every_problem_named() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let bad = write(
        dir.path(),
        "bad.csv",
        "Mã số đăng ký,Loại hình,Tên tổ chức,Ngày thành lập,Mã xã,Lĩnh vực
A1,HTX,HTX Một,15/03/2022,09163,trade
A2,HTX,HTX Hai,31/02/2022,09163,trade
A3,HTX,HTX Ba,15/03/2022,99999,trade
A4,HTX,HTX Bốn,15/03/2022,09163,chiêm tinh
A5,XYZ,HTX Năm,15/03/2022,09163,trade
A6,HTX,,15/03/2022,09163,trade
A1,HTX,HTX Một lần nữa,15/03/2022,09163,trade
A8,HTX,HTX Tám,15/03/2030,09163,trade
",
    );
    let report = import_file(&db.store, &bad, "an", d("2026-01-01"), false)
        .await
        .unwrap();
    let lines: Vec<String> = report.plan.errors.iter().map(|e| e.to_string()).collect();
    let expect = [
        ("dòng 3, cột \"Ngày thành lập\"", "không phải ngày hợp lệ"),
        ("dòng 4, cột \"Mã xã\"", "99999"),
        ("dòng 5, cột \"Lĩnh vực\"", "chiêm tinh"),
        ("dòng 6, cột \"Loại hình\"", "XYZ"),
        ("dòng 7, cột \"Tên tổ chức\"", "bắt buộc"),
        ("dòng 8, cột \"Mã số đăng ký\"", "hai lần"),
        ("dòng 9, cột \"Ngày thành lập\"", "tương lai"),
    ];
    for (place, reason) in expect {
        assert!(
            lines
                .iter()
                .any(|l| l.contains(place) && l.contains(reason)),
            "no error at {place} about {reason}: {lines:#?}"
        );
    }
    assert!(report.written.is_none());
    assert_eq!(count(&db).await, 0, "nothing written when any row is bad");
}

#[tokio::test]
async fn importing_the_same_files_twice_changes_nothing() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let orgs = write(dir.path(), "orgs.csv", ORGS);
    let events = write(dir.path(), "events.csv", EVENTS);
    let today = d("2026-01-01");
    let first = import_file(&db.store, &orgs, "an", today, false)
        .await
        .unwrap();
    assert!(first.plan.errors.is_empty(), "{:?}", first.plan.errors);
    assert_eq!(first.written.unwrap().registry.organisations, 2);
    let ev = import_file(&db.store, &events, "an", today, false)
        .await
        .unwrap();
    assert!(ev.plan.errors.is_empty(), "{:?}", ev.plan.errors);
    assert_eq!(ev.written.unwrap().registry.events, 2);
    let audit_before = db.store.audit_entries(None, 100).await.unwrap().len();
    for path in [&orgs, &events] {
        let again = import_file(&db.store, path, "an", today, false)
            .await
            .unwrap();
        assert!(again.plan.errors.is_empty(), "{:?}", again.plan.errors);
        assert!(again.written.unwrap().is_empty());
        assert_eq!(again.plan.unchanged, 2);
    }
    assert_eq!(
        db.store.audit_entries(None, 100).await.unwrap().len(),
        audit_before
    );
    let org = db.store.org_by_code("2725600901").await.unwrap().unwrap();
    assert_eq!(org.name, "HTX Thương mại dịch vụ Vũ Ninh");
    assert_eq!(count(&db).await, 1, "one of the two was dissolved");
}

#[tokio::test]
async fn a_dry_run_lists_what_would_be_written_and_writes_nothing() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let orgs = write(dir.path(), "orgs.csv", ORGS);
    let report = import_file(&db.store, &orgs, "an", d("2026-01-01"), true)
        .await
        .unwrap();
    assert_eq!(report.plan.batch.organisations.len(), 2);
    assert!(report.written.is_none());
    assert_eq!(count(&db).await, 0);
}

#[tokio::test]
async fn an_event_that_breaks_the_lifecycle_names_its_row() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let orgs = write(dir.path(), "orgs.csv", ORGS);
    import_file(&db.store, &orgs, "an", d("2026-01-01"), false)
        .await
        .unwrap();
    let events = write(
        dir.path(),
        "events.csv",
        "Mã số đăng ký,Sự kiện,Ngày hiệu lực
2725600902,giải thể,20/05/2022
2725600902,giải thể,20/06/2022
2725600901,tạm ngừng kinh doanh,01/01/2020
",
    );
    let report = import_file(&db.store, &events, "an", d("2026-01-01"), false)
        .await
        .unwrap();
    let lines: Vec<String> = report.plan.errors.iter().map(|e| e.to_string()).collect();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("dòng 3") && l.contains("đã giải thể")),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("dòng 4") && l.contains("trước ngày thành lập")),
        "{lines:#?}"
    );
    assert_eq!(
        db.store
            .org_events(
                db.store
                    .org_by_code("2725600902")
                    .await
                    .unwrap()
                    .unwrap()
                    .id
            )
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn an_xlsx_workbook_with_all_three_sheets_imports() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("so.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let orgs = book.add_worksheet().set_name("Tổ chức").unwrap();
    for (c, h) in [
        "Mã số đăng ký",
        "Loại hình",
        "Tên tổ chức",
        "Ngày thành lập",
        "Mã xã",
        "Lĩnh vực",
    ]
    .iter()
    .enumerate()
    {
        orgs.write(0, c as u16, *h).unwrap();
    }
    let date_format = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    orgs.write(1, 0, "Q1").unwrap();
    orgs.write(1, 1, "QTDND").unwrap();
    orgs.write(1, 2, "Quỹ tín dụng nhân dân Vũ Ninh").unwrap();
    orgs.write_datetime_with_format(
        1,
        3,
        rust_xlsxwriter::ExcelDateTime::from_ymd(2001, 5, 20).unwrap(),
        &date_format,
    )
    .unwrap();
    orgs.write(1, 4, "09163").unwrap();
    orgs.write(1, 5, "credit").unwrap();
    let figures = book.add_worksheet().set_name("Số liệu năm").unwrap();
    for (c, h) in [
        "Mã số đăng ký",
        "Năm",
        "Thành viên chính thức",
        "Vốn điều lệ (đồng)",
    ]
    .iter()
    .enumerate()
    {
        figures.write(0, c as u16, *h).unwrap();
    }
    figures.write(1, 0, "Q1").unwrap();
    figures.write(1, 1, 2021).unwrap();
    figures.write(1, 2, 1520).unwrap();
    figures.write(1, 3, "5.000.000.000").unwrap();
    book.save(&path).unwrap();
    let report = import_file(&db.store, &path, "an", d("2026-01-01"), false)
        .await
        .unwrap();
    assert!(report.plan.errors.is_empty(), "{:?}", report.plan.errors);
    let org = db.store.org_by_code("Q1").await.unwrap().unwrap();
    let figures = db.store.org_figures(org.id).await.unwrap();
    assert_eq!(figures[0].official_members, Some(1520));
    assert_eq!(figures[0].charter_capital, Some(5_000_000_000));
}

#[tokio::test]
async fn the_template_is_recognised_and_imports_nothing_when_empty() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mau.xlsx");
    let taxonomy = db.store.taxonomy().await.unwrap();
    std::fs::write(
        &path,
        htx::import::template::workbook(&taxonomy, "old-27").unwrap(),
    )
    .unwrap();
    let report = import_file(&db.store, &path, "an", d("2026-01-01"), false)
        .await
        .unwrap();
    assert!(report.plan.errors.is_empty(), "{:?}", report.plan.errors);
    assert!(
        report.plan.ignored_sheets.is_empty(),
        "{:?}",
        report.plan.ignored_sheets
    );
    assert!(report.written.unwrap().is_empty());
}
