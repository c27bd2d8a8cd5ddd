//! The Alliance's sheets may come before the Tổ chức sheet that registers the organisations
//! they name: activities, memberships, inspections, programme stages and support all land on
//! the organisations the same file registers. A row naming an organisation whose registration
//! row was refused says so. The registry is a small one of Quảng Trị after the 2025 reform.

use crate::support::{TestDb, d, sheet};
use htx::import::import_file;
use std::path::Path;

const ORGS: [&str; 6] = [
    "Mã số đăng ký",
    "Loại hình",
    "Tên tổ chức",
    "Ngày thành lập",
    "Mã xã",
    "Lĩnh vực",
];

/// Every sheet that names organisations, each before the Tổ chức sheet that registers them.
fn workbook(path: &Path, orgs: &[&[&str]], supported: &str) {
    let mut book = rust_xlsxwriter::Workbook::new();
    sheet(
        &mut book,
        "Hoạt động",
        &[
            "Loại hoạt động",
            "Nội dung",
            "Ngày",
            "Mã số tổ chức tham gia",
        ],
        &[&[
            "hội chợ",
            "Hội chợ nông sản Quảng Trị",
            "12/03/2026",
            "QT1; QT2",
        ]],
    );
    sheet(
        &mut book,
        "Thành viên Liên minh",
        &[
            "Mã số đăng ký thành viên",
            "Kết nạp / ra khỏi",
            "Ngày quyết định",
        ],
        &[&["QT1", "kết nạp", "20/03/2026"]],
    );
    sheet(
        &mut book,
        "Kiểm tra, giám sát",
        &["Mã số đăng ký", "Kiểm tra / giám sát", "Ngày", "Nội dung"],
        &[&["QT2", "kiểm tra", "25/03/2026", "Chấp hành Điều lệ"]],
    );
    sheet(
        &mut book,
        "Chương trình",
        &["Mã chương trình", "Tên chương trình", "Quyết định"],
        &[&["QD167", "Mô hình HTX kiểu mới", "Quyết định số 167/QĐ-TTg"]],
    );
    sheet(
        &mut book,
        "Tham gia chương trình",
        &["Mã chương trình", "Mã số đăng ký", "Bước", "Ngày"],
        &[&["QD167", "QT1", "đề xuất", "01/04/2026"]],
    );
    sheet(
        &mut book,
        "Hỗ trợ",
        &[
            "Mã số đăng ký",
            "Nội dung hỗ trợ",
            "Số tiền hỗ trợ (đồng)",
            "Ngày",
        ],
        &[&[supported, "đào tạo", "20000000", "10/04/2026"]],
    );
    sheet(&mut book, "Tổ chức", &ORGS, orgs);
    book.save(path).unwrap();
}

const QT1: [&str; 6] = [
    "QT1",
    "HTX",
    "HTX Nông sản Đông Hà",
    "10/02/2026",
    "18859",
    "agri_services",
];
const QT2: [&str; 6] = [
    "QT2",
    "HTX",
    "HTX Thương mại Đồng Hới",
    "11/02/2026",
    "18880",
    "trade",
];

async fn quang_tri() -> TestDb {
    TestDb::in_area("new-44").await
}

#[tokio::test]
async fn the_alliance_sheets_may_name_organisations_the_same_file_registers_after_them() {
    let db = quang_tri().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("quang-tri.xlsx");
    workbook(&path, &[&QT1, &QT2], "QT2");
    let today = d("2026-05-01");
    let report = import_file(&db.store, &path, "an", today, false)
        .await
        .unwrap();
    assert!(report.errors().is_empty(), "{:?}", report.errors());
    let w = report.written.as_ref().unwrap();
    assert_eq!(
        (
            w.activities,
            w.memberships,
            w.inspections,
            w.programme_stages,
            w.supports
        ),
        (1, 1, 1, 1, 1)
    );

    // Each row is on the organisation as written, not on a provisional id.
    let id = |code: &'static str| {
        let store = db.store.clone();
        async move { store.org_by_code(code).await.unwrap().unwrap().id }
    };
    let (qt1, qt2) = (id("QT1").await, id("QT2").await);
    let (start, end) = (d("2026-01-01"), d("2026-12-31"));
    let activities = db.store.activities(start, end).await.unwrap();
    let mut taken = activities[0].organisations.clone();
    taken.sort();
    assert_eq!(taken, [qt1, qt2]);
    let inspections = db.store.inspections(start, end).await.unwrap();
    assert_eq!(inspections[0].org_id, Some(qt2));
    let stages = db.store.programme_stages(start, end).await.unwrap();
    assert_eq!(stages[0].org_id, qt1);
    let support = db.store.support_entries(start, end).await.unwrap();
    assert_eq!(support[0].org_id, qt2);
    assert_eq!(
        db.store.membership_counts(start, end).await.unwrap().0,
        1,
        "QT1 joined"
    );

    // The same file again writes nothing more.
    let again = import_file(&db.store, &path, "an", today, false)
        .await
        .unwrap();
    assert!(again.errors().is_empty(), "{:?}", again.errors());
    let w = again.written.unwrap_or_default();
    assert_eq!(
        (
            w.activities,
            w.memberships,
            w.inspections,
            w.programme_stages
        ),
        (0, 0, 0, 0),
        "{w:?}"
    );
}

#[tokio::test]
async fn a_row_naming_an_organisation_whose_registration_was_refused_says_so_and_nothing_is_written()
 {
    let db = quang_tri().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("quang-tri.xlsx");
    // QT2's commune is not one of Quảng Trị's: its row is refused, and the support row and the
    // inspection row that name it say why.
    let qt2 = [
        "QT2",
        "HTX",
        "HTX Thương mại Đồng Hới",
        "11/02/2026",
        "99999",
        "trade",
    ];
    workbook(&path, &[&QT1, &qt2], "QT2");
    let report = import_file(&db.store, &path, "an", d("2026-05-01"), false)
        .await
        .unwrap();
    let said: Vec<String> = report.errors().iter().map(|e| e.to_string()).collect();
    for sheet in ["Hỗ trợ", "Kiểm tra, giám sát", "Hoạt động"] {
        assert!(
            said.iter()
                .any(|e| e.starts_with(&format!("sheet \"{sheet}\", dòng 2"))
                    && e.contains("tổ chức mã số QT2 ở sheet \"Tổ chức\" dòng 3 bị từ chối")),
            "{sheet}: {said:#?}"
        );
    }
    assert!(report.written.is_none());
    assert!(db.store.org_by_code("QT1").await.unwrap().is_none());

    // A code in neither the registry nor the file.
    workbook(&path, &[&QT1], "QT9");
    let report = import_file(&db.store, &path, "an", d("2026-05-01"), true)
        .await
        .unwrap();
    let said: Vec<String> = report.errors().iter().map(|e| e.to_string()).collect();
    assert!(
        said.iter()
            .any(|e| e.starts_with("sheet \"Hỗ trợ\", dòng 2")
                && e.contains("không có tổ chức mã số QT9 trong sổ hoặc trong sheet \"Tổ chức\"")),
        "{said:#?}"
    );
}
