//! Importing the Alliance's governance, programmes, support and plans: every sheet lands in the
//! store and the report, a bad row anywhere writes nothing, a re-import adds nothing.

use crate::support::{TestDb, d};
use htx::domain::codes::Coded;
use htx::domain::period::Period;
use htx::domain::plans::Indicator;
use htx::import::import_file;
use htx::report::figures::{ReportRequest, build};
use std::path::{Path, PathBuf};

const ORGS: &str = "Mã số đăng ký,Loại hình,Tên tổ chức,Ngày thành lập,Mã xã,Lĩnh vực
2725600901,HTX,HTX Thương mại Vũ Ninh,15/03/2022,09163,Thương mại - dịch vụ
2725600902,HTX,Hợp tác xã Rau an toàn Đông Xuyên,01/06/2021,09163,chuyen nganh nong nghiep
";

type Sheet<'a> = (&'a str, &'a [&'a [&'a str]]);

const SEATS: &[&[&str]] = &[
    &[
        "Ban",
        "Họ và tên",
        "Chức vụ",
        "Nhiệm kỳ",
        "Từ ngày",
        "Đến ngày",
    ],
    &[
        "Ban Chấp hành",
        "Nguyễn Văn An",
        "Chủ tịch",
        "2020-2025",
        "15/06/2020",
        "",
    ],
    &[
        "BTV",
        "Trần Thị Bình",
        "Phó Chủ tịch",
        "2020-2025",
        "15/06/2020",
        "30/04/2022",
    ],
    &[
        "Ban Kiểm soát",
        "Lê Văn Cường",
        "Trưởng ban",
        "2020-2025",
        "10/01/2022",
        "",
    ],
];

const INSPECTIONS: &[&[&str]] = &[
    &[
        "Mã số đăng ký",
        "Kiểm tra / giám sát",
        "Ngày",
        "Dự kiến",
        "Nội dung",
        "Kết quả, phát hiện",
        "Kiến nghị",
        "Theo dõi thực hiện kiến nghị",
    ],
    &[
        "2725600901",
        "kiểm tra",
        "10/04/2022",
        "",
        "Kiểm tra việc thực hiện Luật HTX",
        "Sổ thành viên chưa cập nhật",
        "Cập nhật sổ thành viên",
        "Đã khắc phục",
    ],
    &[
        "",
        "giám sát",
        "20/04/2022",
        "",
        "Giám sát sử dụng vốn Quỹ",
        "",
        "",
        "",
    ],
    &[
        "2725600902",
        "Kiểm tra",
        "20/06/2022",
        "x",
        "Kiểm tra kế hoạch sản xuất",
        "",
        "",
        "",
    ],
];

const COMPLAINTS: &[&[&str]] = &[
    &[
        "Ngày nhận",
        "Người gửi",
        "Mã số đăng ký",
        "Nội dung đơn",
        "Ngày giải quyết",
        "Kết quả giải quyết",
    ],
    &[
        "05/02/2022",
        "Nguyễn Văn Dũng",
        "2725600902",
        "Phản ánh chia lãi không đúng điều lệ",
        "25/02/2022",
        "Đã trả lời bằng văn bản",
    ],
];

const PROGRAMMES: &[&[&str]] = &[
    &["Mã chương trình", "Tên chương trình", "Quyết định"],
    &[
        "QD167",
        "Mô hình HTX kiểu mới",
        "Quyết định số 167/QĐ-TTg ngày 08/02/2021",
    ],
];

const STAGES: &[&[&str]] = &[
    &[
        "Mã chương trình",
        "Mã số đăng ký",
        "Bước",
        "Ngày",
        "Ghi chú",
    ],
    &["QD167", "2725600901", "đề xuất", "01/04/2022", ""],
    &["QD167", "2725600902", "được đề xuất", "01/04/2022", ""],
    &[
        "QD167",
        "2725600901",
        "lựa chọn",
        "01/05/2022",
        "Biên bản hội đồng",
    ],
];

const SUPPORT: &[&[&str]] = &[
    &[
        "Mã số đăng ký",
        "Mã chương trình",
        "Nội dung hỗ trợ",
        "Số tiền hỗ trợ (đồng)",
        "Ngày",
        "Ghi chú",
    ],
    // Two equal rows are two payments, and stay two on a re-import.
    &[
        "2725600901",
        "QD167",
        "đào tạo",
        "20.000.000",
        "10/05/2022",
        "",
    ],
    &[
        "2725600901",
        "QD167",
        "Đào tạo, bồi dưỡng",
        "20.000.000",
        "10/05/2022",
        "",
    ],
    &[
        "2725600902",
        "",
        "trade_promotion",
        "15.000.000",
        "12/06/2022",
        "Hội chợ OCOP",
    ],
];

const TARGETS: &[&[&str]] = &[
    &[
        "Kỳ kế hoạch",
        "Chỉ tiêu",
        "Giá trị",
        "Tên kế hoạch",
        "Văn bản kế hoạch",
    ],
    &[
        "2022",
        "new_htx",
        "15",
        "Kế hoạch năm 2022",
        "KH số 12/KH-LMHTX ngày 10/01/2022",
    ],
    &["2022", "Lớp tập huấn", "8", "", ""],
    &[
        "2022-H1",
        "Cuộc kiểm tra, giám sát",
        "2",
        "Kế hoạch 6 tháng đầu năm 2022",
        "",
    ],
];

const GOOD: &[Sheet<'static>] = &[
    ("Nhân sự các Ban", SEATS),
    ("Kiểm tra, giám sát", INSPECTIONS),
    ("Đơn thư", COMPLAINTS),
    ("Chương trình", PROGRAMMES),
    ("Tham gia chương trình", STAGES),
    ("Hỗ trợ", SUPPORT),
    ("Chỉ tiêu kế hoạch", TARGETS),
];

fn workbook(dir: &Path, name: &str, sheets: &[Sheet<'_>]) -> PathBuf {
    let path = dir.join(name);
    let mut book = rust_xlsxwriter::Workbook::new();
    for (sheet_name, rows) in sheets {
        let sheet = book.add_worksheet().set_name(*sheet_name).unwrap();
        for (r, cells) in rows.iter().enumerate() {
            for (c, cell) in cells.iter().enumerate() {
                if !cell.is_empty() {
                    sheet.write(r as u32, c as u16, *cell).unwrap();
                }
            }
        }
    }
    book.save(&path).unwrap();
    path
}

/// A database with the two organisations the sheets refer to.
async fn registry() -> (TestDb, tempfile::TempDir) {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let orgs = dir.path().join("to-chuc.csv");
    std::fs::write(&orgs, ORGS).unwrap();
    let report = import_file(&db.store, &orgs, "an", d("2026-01-01"), false)
        .await
        .unwrap();
    assert!(report.errors().is_empty(), "{:?}", report.errors());
    (db, dir)
}

fn request(period: &str) -> ReportRequest {
    ReportRequest {
        period: Period::parse(period).unwrap(),
        area: None,
        compare_same_period: false,
        current_units: false,
        include_fund: true,
    }
}

#[tokio::test]
async fn a_workbook_with_every_alliance_sheet_lands_in_the_store_and_the_report() {
    let (db, dir) = registry().await;
    let path = workbook(dir.path(), "lien-minh.xlsx", GOOD);
    let today = d("2026-01-01");
    let dry = import_file(&db.store, &path, "an", today, true)
        .await
        .unwrap();
    assert!(dry.errors().is_empty(), "{:?}", dry.errors());
    assert!(dry.written.is_none());
    assert_eq!(
        (dry.governance.seats.len(), dry.programmes.supports.len()),
        (3, 3)
    );
    assert!(db.store.seats().await.unwrap().is_empty(), "dry run");

    let report = import_file(&db.store, &path, "an", today, false)
        .await
        .unwrap();
    assert!(report.errors().is_empty(), "{:?}", report.errors());
    let w = report.written.unwrap();
    assert_eq!((w.seats, w.inspections, w.complaints), (3, 3, 1), "{w:?}");
    assert_eq!(
        (w.programmes, w.programme_stages, w.supports, w.plan_targets),
        (1, 3, 3, 3),
        "{w:?}"
    );

    let seats = db.store.seats().await.unwrap();
    let binh = seats
        .iter()
        .find(|s| s.seat.person == "Trần Thị Bình")
        .unwrap();
    assert_eq!(
        (binh.seat.committee.code(), binh.to),
        ("standing", Some(d("2022-04-30")))
    );
    let cuong = seats
        .iter()
        .find(|s| s.seat.person == "Lê Văn Cường")
        .unwrap();
    assert_eq!(
        (cuong.seat.committee.code(), cuong.to),
        ("supervisory", None)
    );

    let f = build(&db.store, &request("2022-H1")).await.unwrap();
    let a = f.alliance.as_ref().unwrap();
    assert_eq!(
        a.governance.committees,
        [
            ("Ban Chấp hành".to_string(), 0, 1),
            ("Ủy ban Kiểm tra".to_string(), 1, 1)
        ],
        "the standing seat ended before the period's end"
    );
    let s = &a.supervision;
    assert_eq!(
        (s.inspections_done, s.supervisions_done, s.planned),
        (1, 1, 1)
    );
    assert_eq!((s.complaints_received, s.complaints_handled), (1, 1));
    let p = &a.programmes[0];
    assert_eq!(
        (p.code.as_str(), p.nominated, p.evaluated, p.selected),
        ("QD167", 2, 0, 1)
    );
    assert_eq!(p.decision, "Quyết định số 167/QĐ-TTg ngày 08/02/2021");
    assert_eq!(
        (a.support.count, a.support.amount, a.support.organisations),
        (3, 55_000_000, 2)
    );

    let year = db.store.plan("2022").await.unwrap().unwrap();
    assert_eq!(year.title, "Kế hoạch năm 2022");
    assert_eq!(
        year.targets,
        [(Indicator::NewHtx, 15), (Indicator::TrainingClasses, 8)]
    );
    let inspections = f
        .plans
        .iter()
        .find(|p| p.indicator == Indicator::Inspections)
        .unwrap();
    assert_eq!(
        (inspections.target, inspections.actual),
        (2, Some(2)),
        "the half-year plan is measured against the imported inspections"
    );
}

#[tokio::test]
async fn importing_the_same_workbook_again_adds_nothing() {
    let (db, dir) = registry().await;
    let path = workbook(dir.path(), "lien-minh.xlsx", GOOD);
    let today = d("2026-01-01");
    let first = import_file(&db.store, &path, "an", today, false)
        .await
        .unwrap();
    assert!(first.errors().is_empty(), "{:?}", first.errors());
    let audit = db.store.audit_entries(None, 1000).await.unwrap().len();
    let again = import_file(&db.store, &path, "an", today, false)
        .await
        .unwrap();
    assert!(again.errors().is_empty(), "{:?}", again.errors());
    assert!(again.written.unwrap().is_empty());
    assert_eq!(
        again.governance.unchanged + again.programmes.unchanged + again.targets.unchanged,
        3 + 3 + 1 + 1 + 3 + 3 + 3,
        "every row is counted as already recorded"
    );
    assert_eq!(
        db.store.audit_entries(None, 1000).await.unwrap().len(),
        audit
    );
    let f = build(&db.store, &request("2022-H1")).await.unwrap();
    let a = f.alliance.unwrap();
    assert_eq!((a.support.count, a.supervision.inspections_done), (3, 1));
    assert_eq!(db.store.seats().await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_later_file_ends_a_seat_and_adds_to_a_plan_without_erasing_it() {
    let (db, dir) = registry().await;
    let today = d("2026-01-01");
    let first = workbook(dir.path(), "dau.xlsx", GOOD);
    import_file(&db.store, &first, "an", today, false)
        .await
        .unwrap();
    let later = dir.path().join("sau.csv");
    std::fs::write(
        &later,
        "Ban;Họ và tên;Chức vụ;Nhiệm kỳ;Từ ngày;Đến ngày
Ban Chấp hành;Nguyễn Văn An;Chủ tịch;2020-2025;15/06/2020;31/12/2023
",
    )
    .unwrap();
    let report = import_file(&db.store, &later, "an", today, false)
        .await
        .unwrap();
    assert!(report.errors().is_empty(), "{:?}", report.errors());
    assert_eq!(report.written.unwrap().seats, 1);
    let seats = db.store.seats().await.unwrap();
    assert_eq!(seats.len(), 3, "the seat is ended, not recorded twice");
    let an = seats
        .iter()
        .find(|s| s.seat.person == "Nguyễn Văn An")
        .unwrap();
    assert_eq!(an.to, Some(d("2023-12-31")));

    let targets = dir.path().join("chi-tieu.csv");
    std::fs::write(
        &targets,
        "Kỳ kế hoạch,Chỉ tiêu,Giá trị\n2022,new_htx,20\n2022,new_members,5\n",
    )
    .unwrap();
    let report = import_file(&db.store, &targets, "an", today, false)
        .await
        .unwrap();
    assert!(report.errors().is_empty(), "{:?}", report.errors());
    let year = db.store.plan("2022").await.unwrap().unwrap();
    assert_eq!(
        year.targets,
        [
            (Indicator::NewHtx, 20),
            (Indicator::TrainingClasses, 8),
            (Indicator::NewMembers, 5)
        ],
        "targets the file does not name stay"
    );
    assert_eq!(
        year.title, "Kế hoạch năm 2022",
        "a blank title keeps the recorded one"
    );
}

#[tokio::test]
async fn a_bad_row_in_each_sheet_is_named_and_nothing_is_written() {
    let (db, dir) = registry().await;
    let audit = db.store.audit_entries(None, 1000).await.unwrap().len();
    let seats: &[&[&str]] = &[
        SEATS[0],
        SEATS[1],
        &[
            "Ban Tuyên giáo",
            "Phạm Văn Em",
            "Ủy viên",
            "",
            "15/06/2020",
            "",
        ],
    ];
    let inspections: &[&[&str]] = &[
        INSPECTIONS[0],
        INSPECTIONS[1],
        &[
            "2725600901",
            "kiểm tra",
            "01/03/2030",
            "",
            "Kiểm tra tài chính",
            "",
            "",
            "",
        ],
    ];
    let complaints: &[&[&str]] = &[
        COMPLAINTS[0],
        &[
            "05/02/2022",
            "Hộ ông Tư",
            "",
            "Đơn đề nghị",
            "01/02/2022",
            "",
        ],
    ];
    let programmes: &[&[&str]] = &[PROGRAMMES[0], PROGRAMMES[1], &["NQ10", "", ""]];
    let stages: &[&[&str]] = &[
        STAGES[0],
        STAGES[1],
        &["QD167", "2725600902", "họp", "01/04/2022", ""],
    ];
    let support: &[&[&str]] = &[
        SUPPORT[0],
        &["9999999999", "", "đào tạo", "1.000.000", "10/05/2022", ""],
        SUPPORT[3],
    ];
    let targets: &[&[&str]] = &[
        TARGETS[0],
        TARGETS[1],
        &["2022", "Số HTX vui vẻ", "3", "", ""],
        &["2022-H3", "new_htx", "3", "", ""],
    ];
    let path = workbook(
        dir.path(),
        "loi.xlsx",
        &[
            ("Nhân sự các Ban", seats),
            ("Kiểm tra, giám sát", inspections),
            ("Đơn thư", complaints),
            ("Chương trình", programmes),
            ("Tham gia chương trình", stages),
            ("Hỗ trợ", support),
            ("Chỉ tiêu kế hoạch", targets),
        ],
    );
    let report = import_file(&db.store, &path, "an", d("2026-01-01"), false)
        .await
        .unwrap();
    assert!(report.written.is_none());
    let lines: Vec<String> = report.errors().iter().map(|e| e.to_string()).collect();
    let expect = [
        (
            "sheet \"Nhân sự các Ban\", dòng 3, cột \"Ban\"",
            "Ban Tuyên giáo",
        ),
        (
            "sheet \"Kiểm tra, giám sát\", dòng 3, cột \"Ngày\"",
            "tương lai",
        ),
        (
            "sheet \"Đơn thư\", dòng 2, cột \"Ngày giải quyết\"",
            "trước ngày nhận",
        ),
        (
            "sheet \"Chương trình\", dòng 3, cột \"Tên chương trình\"",
            "bắt buộc",
        ),
        (
            "sheet \"Tham gia chương trình\", dòng 3, cột \"Bước\"",
            "đề xuất, đánh giá hoặc lựa chọn",
        ),
        (
            "sheet \"Hỗ trợ\", dòng 2, cột \"Mã số đăng ký\"",
            "không có tổ chức mã số 9999999999",
        ),
        (
            "sheet \"Chỉ tiêu kế hoạch\", dòng 3, cột \"Chỉ tiêu\"",
            "Số HTX vui vẻ",
        ),
        (
            "sheet \"Chỉ tiêu kế hoạch\", dòng 4, cột \"Kỳ kế hoạch\"",
            "\"2022-H3\" không phải kỳ kế hoạch",
        ),
    ];
    for (place, reason) in expect {
        assert!(
            lines
                .iter()
                .any(|l| l.contains(place) && l.contains(reason)),
            "no error at {place} about {reason}: {lines:#?}"
        );
    }
    assert_eq!(lines.len(), expect.len(), "only the bad rows: {lines:#?}");

    assert!(db.store.seats().await.unwrap().is_empty());
    assert!(db.store.programmes().await.unwrap().is_empty());
    assert!(db.store.plan("2022").await.unwrap().is_none());
    let (start, end) = (d("2020-01-01"), d("2030-12-31"));
    assert!(db.store.inspections(start, end).await.unwrap().is_empty());
    assert!(db.store.complaints(start, end).await.unwrap().is_empty());
    assert!(
        db.store
            .support_entries(start, end)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        db.store.audit_entries(None, 1000).await.unwrap().len(),
        audit,
        "nothing written"
    );
}

#[tokio::test]
async fn a_row_that_contradicts_what_is_recorded_is_refused() {
    let (db, dir) = registry().await;
    let today = d("2026-01-01");
    let first = workbook(dir.path(), "dau.xlsx", GOOD);
    import_file(&db.store, &first, "an", today, false)
        .await
        .unwrap();
    let changed: &[&[&str]] = &[
        COMPLAINTS[0],
        &[
            "05/02/2022",
            "Nguyễn Văn Dũng",
            "2725600902",
            "Phản ánh chia lãi không đúng điều lệ",
            "28/02/2022",
            "Đã trả lời bằng văn bản",
        ],
    ];
    let ended: &[&[&str]] = &[
        SEATS[0],
        &[
            "BTV",
            "Trần Thị Bình",
            "Phó Chủ tịch",
            "2020-2025",
            "15/06/2020",
            "31/05/2022",
        ],
    ];
    let path = workbook(
        dir.path(),
        "sua.xlsx",
        &[("Đơn thư", changed), ("Nhân sự các Ban", ended)],
    );
    let report = import_file(&db.store, &path, "an", today, false)
        .await
        .unwrap();
    let lines: Vec<String> = report.errors().iter().map(|e| e.to_string()).collect();
    assert!(
        lines.iter().any(
            |l| l.contains("\"Đơn thư\", dòng 2, cột \"Ngày giải quyết\"")
                && l.contains("đã có trong sổ với thông tin khác")
        ),
        "{lines:#?}"
    );
    assert!(
        lines.iter().any(
            |l| l.contains("\"Nhân sự các Ban\", dòng 2, cột \"Đến ngày\"")
                && l.contains("30/04/2022")
        ),
        "{lines:#?}"
    );
    assert!(report.written.is_none());
}

#[tokio::test]
async fn the_import_command_says_what_the_alliance_sheets_would_write() {
    let (db, dir) = registry().await;
    let path = workbook(dir.path(), "lien-minh.xlsx", GOOD);
    db.store.close().await;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_htx"))
        .args(["import", path.to_str().unwrap(), "--dry-run"])
        .env("HTX_DATABASE_URL", &db.url)
        .env("HTX_TODAY", "2026-01-01")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for part in [
        "3 thay đổi nhân sự các Ban",
        "3 cuộc kiểm tra, giám sát",
        "1 đơn thư",
        "1 chương trình",
        "3 bước tham gia chương trình",
        "3 khoản hỗ trợ",
        "3 chỉ tiêu kế hoạch",
    ] {
        assert!(stdout.contains(part), "missing {part}: {stdout}");
    }
}
