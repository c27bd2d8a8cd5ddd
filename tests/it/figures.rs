//! Yearly figures of every kind, THT included, through one input and one check
//! (`app::registry::FiguresInput`): the Số liệu năm sheet of a workbook, `htx org figures`, the
//! figures form and `POST /api/v1/orgs/{code}/figures` store the same figures, refuse the same
//! bad values in the same words, and keep a blank as no figure. The import names the columns
//! it does not use, and a loan's borrower may be registered by a later sheet of the same file.

use crate::support::{LOAN_HEADINGS, TestDb, d, htx, sheet};
use crate::web_harness::{Web, version_in};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use htx::app::registry::{FiguresInput, RegisterInput, record_figures, register};
use htx::domain::period::Period;
use htx::domain::registry::{YearFigures, founding_members};
use htx::import::import_file;
use htx::report::figures::{ReportRequest, build};
use htx::store::Store;
use htx::web::config::ServeConfig;
use serde_json::{Value, json};
use std::path::Path;

const ORG_HEADINGS: [&str; 7] = [
    "Mã số đăng ký",
    "Loại hình",
    "Tên tổ chức",
    "Ngày thành lập",
    "Mã xã",
    "Lĩnh vực",
    "Số thành viên khi thành lập",
];

/// Every column of Số liệu năm, and one (M) that matches none.
const FIGURE_HEADINGS: [&str; 13] = [
    "Mã số đăng ký",
    "Năm",
    "Thành viên chính thức",
    "Thành viên liên kết",
    "Lao động thường xuyên",
    "Lao động thời vụ",
    "Vốn điều lệ (đồng)",
    "Vốn hoạt động (đồng)",
    "Tổng tài sản (đồng)",
    "Doanh thu (đồng)",
    "Lợi nhuận (đồng)",
    "Thu nhập bình quân (đồng/người/năm)",
    "Ghi chú nội bộ",
];

fn workbook(path: &Path, orgs: &[&[&str]], figures: &[&[&str]]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    // The figures come first: sheets may be in any order.
    sheet(&mut book, "Số liệu năm", &FIGURE_HEADINGS, figures);
    sheet(&mut book, "Tổ chức", &ORG_HEADINGS, orgs);
    book.save(path).unwrap();
}

async fn tht(store: &Store, code: &str) {
    register(
        store,
        &RegisterInput {
            kind: "THT".into(),
            code: code.into(),
            name: format!("Tổ hợp tác trồng rau {code}"),
            date: "10/05/2019".into(),
            commune: "09163".into(),
            sector: "agri_specialised".into(),
            founding_members: "7".into(),
            ..Default::default()
        },
        "t",
    )
    .await
    .unwrap();
}

async fn figures_of(store: &Store, code: &str) -> Vec<YearFigures> {
    let org = store.org_by_code(code).await.unwrap().unwrap();
    store.org_figures(org.id).await.unwrap()
}

#[tokio::test]
async fn a_workbook_records_every_figure_of_a_tht_and_an_htx_and_names_the_column_it_does_not_use()
{
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("so-lieu.xlsx");
    workbook(
        &path,
        &[
            &[
                "T1",
                "THT",
                "Tổ hợp tác rau an toàn Đông Xuyên",
                "10/05/2019",
                "09163",
                "agri_specialised",
                "7",
            ],
            &[
                "H1",
                "HTX",
                "HTX Dịch vụ nông nghiệp Vũ Ninh",
                "15/03/2015",
                "09163",
                "dịch vụ nông nghiệp",
                "",
            ],
        ],
        &[
            &[
                "T1",
                "2024",
                "9",
                "",
                "4",
                "12",
                "",
                "150.000.000",
                "",
                "800.000.000",
                "-20.000.000",
                "",
                "đã đối chiếu",
            ],
            &[
                "H1",
                "2024",
                "120",
                "30",
                "15",
                "40",
                "2.000.000.000",
                "3.500.000.000",
                "5.000.000.000",
                "9.000.000.000",
                "300.000.000",
                "60.000.000",
                "",
            ],
        ],
    );
    let unused = ("Số liệu năm".to_string(), 1, "M".to_string());
    let reason = "cột không dùng: \"Ghi chú nội bộ\" (cột M)";

    // The dry run names the unused column and writes nothing.
    let dry = import_file(&db.store, &path, "t", d("2026-01-01"), true)
        .await
        .unwrap();
    assert!(dry.errors().is_empty(), "{:?}", dry.errors());
    let notices: Vec<_> = dry
        .notices
        .iter()
        .map(|n| {
            (
                (n.sheet.clone(), n.row, n.column.clone()),
                n.reason.as_str(),
            )
        })
        .collect();
    assert_eq!(notices, [(unused.clone(), reason)]);
    assert!(db.store.org_by_code("T1").await.unwrap().is_none());

    let report = import_file(&db.store, &path, "t", d("2026-01-01"), false)
        .await
        .unwrap();
    assert!(report.errors().is_empty(), "{:?}", report.errors());
    assert_eq!(report.notices.len(), 1);
    assert_eq!(
        figures_of(&db.store, "T1").await,
        [YearFigures {
            year: 2024,
            official_members: Some(9),
            associate_members: None,
            workers: Some(4),
            seasonal_workers: Some(12),
            charter_capital: None,
            operating_capital: Some(150_000_000),
            total_assets: None,
            revenue: Some(800_000_000),
            profit: Some(-20_000_000),
            average_income: None,
        }]
    );
    let h1 = &figures_of(&db.store, "H1").await[0];
    assert_eq!(h1.seasonal_workers, Some(40));
    assert_eq!(h1.operating_capital, Some(3_500_000_000));
    let founding = |code: &'static str| {
        let store = db.store.clone();
        async move {
            let org = store.org_by_code(code).await.unwrap().unwrap();
            let events: Vec<_> = store
                .org_events(org.id)
                .await
                .unwrap()
                .into_iter()
                .map(|e| e.event)
                .collect();
            founding_members(&events)
        }
    };
    assert_eq!(founding("T1").await, Some(7));
    assert_eq!(founding("H1").await, None);

    // The same file again is the same registry.
    let again = import_file(&db.store, &path, "t", d("2026-01-01"), false)
        .await
        .unwrap();
    assert!(again.errors().is_empty(), "{:?}", again.errors());
    assert!(again.written.unwrap().is_empty());

    // The report sums cooperatives and THT apart; a figure nobody reported is null.
    let figures = build(&db.store, &ReportRequest::of(Period::year(2024)))
        .await
        .unwrap();
    let json = serde_json::to_value(&figures).unwrap();
    let (coops, groups) = (
        &json["registry"]["members"],
        &json["registry"]["tht_members"],
    );
    assert_eq!(coops["organisations_reporting"], 1);
    assert_eq!(coops["seasonal_workers"], 40);
    assert_eq!(coops["operating_capital"], 3_500_000_000_i64);
    assert_eq!(groups["organisations_reporting"], 1);
    assert_eq!(groups["official_members"], 9);
    assert_eq!(groups["seasonal_workers"], 12);
    assert_eq!(groups["operating_capital"], 150_000_000);
    assert_eq!(groups["profit"], -20_000_000);
    assert_eq!(groups["reported"]["charter_capital"], 0);
    assert_eq!(groups["reported"]["seasonal_workers"], 1);
}

#[tokio::test]
async fn a_sum_of_figures_nobody_reported_is_null() {
    let db = TestDb::new().await;
    tht(&db.store, "T2").await;
    record_figures(
        &db.store,
        &FiguresInput {
            code: "T2".into(),
            year: "2024".into(),
            official_members: "8".into(),
            ..Default::default()
        },
        "t",
    )
    .await
    .unwrap();
    let figures = build(&db.store, &ReportRequest::of(Period::year(2024)))
        .await
        .unwrap();
    let json = serde_json::to_value(&figures).unwrap();
    let groups = &json["registry"]["tht_members"];
    assert_eq!(groups["official_members"], 8);
    assert_eq!(groups["seasonal_workers"], Value::Null);
    assert_eq!(groups["operating_capital"], Value::Null);
    assert_eq!(groups["reported"]["seasonal_workers"], 0);
    // No cooperative reported: no sums of cooperatives at all.
    assert_eq!(json["registry"]["members"], Value::Null);
}

const NEGATIVE: &str = "không được âm";
const NOT_A_NUMBER: &str = "\"nhiều\" không phải số nguyên";

#[tokio::test]
async fn a_bad_figure_is_refused_alike_at_every_entrance_and_nothing_is_written() {
    // Import: each problem at its row and column, and not one row of the file written.
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sai.xlsx");
    workbook(
        &path,
        &[&[
            "T3",
            "THT",
            "Tổ hợp tác mây tre Tam Sơn",
            "10/05/2019",
            "09163",
            "agri_specialised",
            "-2",
        ]],
        &[&[
            "T3", "2024", "9", "", "4", "-3", "", "nhiều", "", "", "", "", "",
        ]],
    );
    let report = import_file(&db.store, &path, "t", d("2026-01-01"), false)
        .await
        .unwrap();
    assert!(report.written.is_none());
    let errors: Vec<(String, usize, String, String)> = report
        .errors()
        .iter()
        .map(|e| (e.sheet.clone(), e.row, e.column.clone(), e.reason.clone()))
        .collect();
    let at = |sheet: &str, column: &str, reason: &str| {
        (sheet.to_string(), 2, column.to_string(), reason.to_string())
    };
    assert_eq!(
        errors,
        [
            at("Số liệu năm", "Lao động thời vụ", NEGATIVE),
            at("Số liệu năm", "Vốn hoạt động (đồng)", NOT_A_NUMBER),
            at("Tổ chức", "Số thành viên khi thành lập", NEGATIVE),
        ]
    );
    assert!(db.store.org_by_code("T3").await.unwrap().is_none());

    // The command line, the form and the API: the same words, by field.
    let web = Web::with(db, ServeConfig::default()).await;
    tht(&web.db.store, "T3").await;
    let out = htx(
        &web.db.url,
        &[
            "org",
            "figures",
            "T3",
            "--year",
            "2024",
            "--seasonal-workers=-3",
            "--operating-capital",
            "nhiều",
        ],
    );
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    for expected in [
        format!("seasonal_workers: {NEGATIVE}"),
        format!("operating_capital: {NOT_A_NUMBER}"),
    ] {
        assert!(said.contains(&expected), "{said}");
    }
    let s = web.login("canbo").await;
    let form = [
        ("year", "2024"),
        ("seasonal_workers", "-3"),
        ("operating_capital", "nhiều"),
    ];
    let page = web.submit("/orgs/T3/figures", &s, &form).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    for reason in [NEGATIVE, NOT_A_NUMBER] {
        let shown = reason.replace('"', "&#34;");
        assert!(page.body.contains(&shown), "{reason}: {}", page.body);
    }
    let token = web.token("canbo", "api").await;
    let problems = web
        .api_problems(
            &token,
            "/orgs/T3/figures",
            json!({"year": 2024, "seasonal_workers": -3, "operating_capital": "nhiều"}),
        )
        .await;
    let pair = |f: &str, r: &str| (f.to_string(), r.to_string());
    assert_eq!(
        problems,
        [
            pair("seasonal_workers", NEGATIVE),
            pair("operating_capital", NOT_A_NUMBER)
        ]
    );
    assert!(figures_of(&web.db.store, "T3").await.is_empty());
}

#[tokio::test]
async fn the_command_line_the_form_and_the_api_record_a_thts_figures_and_a_blank_stays_blank() {
    let web = Web::with(TestDb::new().await, ServeConfig::default()).await;
    tht(&web.db.store, "T4").await;

    // Command line: one year.
    let out = htx(
        &web.db.url,
        &[
            "org",
            "figures",
            "T4",
            "--year",
            "2023",
            "--official-members",
            "8",
            "--seasonal-workers",
            "20",
            "--operating-capital",
            "120.000.000",
            "--profit",
            "-5.000.000",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shown = htx(&web.db.url, &["org", "show", "T4"]);
    let said = String::from_utf8_lossy(&shown.stdout);
    assert!(said.contains("Số thành viên khi thành lập: 7"), "{said}");
    assert!(
        said.contains("Lao động: – thường xuyên, 20 thời vụ"),
        "{said}"
    );

    // The form opens on a year with what is stored, and saves another.
    let s = web.login("canbo").await;
    let opened = web.get("/orgs/T4/figures?year=2023", Some(&s)).await;
    assert_eq!(opened.status, StatusCode::OK);
    assert!(
        opened.body.contains("value=\"120.000.000\""),
        "{}",
        opened.body
    );
    let version = version_in(&opened.body);
    let saved = web
        .submit(
            "/orgs/T4/figures",
            &s,
            &[
                ("version", &version),
                ("year", "2024"),
                ("official_members", "9"),
                ("seasonal_workers", "25"),
                ("operating_capital", ""),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    // A form opened before that write is refused as a conflict.
    let stale = web
        .submit(
            "/orgs/T4/figures",
            &s,
            &[("version", &version), ("year", "2024")],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);

    // API: a third year, numbers as JSON numbers, a null as no figure.
    let token = web.token("canbo", "api").await;
    let r = web
        .send(
            Request::post("/api/v1/orgs/T4/figures")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    json!({"year": "2025", "workers": 3, "seasonal_workers": 30, "revenue": null})
                        .to_string(),
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    let stored = figures_of(&web.db.store, "T4").await;
    let pick = |f: &YearFigures| {
        (
            f.year,
            f.official_members,
            f.workers,
            f.seasonal_workers,
            f.operating_capital,
            f.profit,
            f.revenue,
        )
    };
    assert_eq!(
        stored.iter().map(pick).collect::<Vec<_>>(),
        [
            (
                2023,
                Some(8),
                None,
                Some(20),
                Some(120_000_000),
                Some(-5_000_000),
                None
            ),
            (2024, Some(9), None, Some(25), None, None, None),
            (2025, None, Some(3), Some(30), None, None, None),
        ]
    );

    // The organisation's page and the API show them, blanks as blanks.
    let page = web.get("/orgs/T4", Some(&s)).await;
    assert!(page.body.contains("Lao động thời vụ"), "{}", page.body);
    assert!(page.body.contains("120.000.000"), "{}", page.body);
    let r = web
        .send(
            Request::get("/api/v1/orgs/T4")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let json: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(json["founding_members"], 7);
    assert_eq!(json["figures"][1]["seasonal_workers"], 25);
    assert_eq!(json["figures"][1]["operating_capital"], Value::Null);
}

/// The Tổ chức row of the HTX B9 in a commune.
fn b9(commune: &str) -> [&str; 7] {
    [
        "B9",
        "HTX",
        "HTX Dịch vụ nông nghiệp Hòa Long",
        "15/03/2010",
        commune,
        "dịch vụ nông nghiệp",
        "",
    ]
}

#[tokio::test]
async fn a_loan_sheet_before_the_sheet_that_registers_its_borrower_imports() {
    let db = TestDb::new().await;
    htx::app::fund::record_capital(
        &db.store,
        &htx::app::fund::CapitalInput {
            date: "01/01/2020".into(),
            amount: "30.000.000.000".into(),
            source: "Ngân sách tỉnh".into(),
            reference: String::new(),
        },
        "t",
        d("2026-01-01"),
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vay.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    sheet(
        &mut book,
        "Khoản vay",
        &[
            "Số hợp đồng",
            "Mã số đăng ký bên vay",
            "Số tiền duyệt (đồng)",
            "Lãi suất (%/năm)",
            "Thời hạn (tháng)",
            "Ngày ký hợp đồng",
            "Số quyết định cho vay",
            "Ngày quyết định",
            "Mục đích vay",
            "Tổng mức đầu tư (đồng)",
            "Vốn tự có (đồng)",
        ],
        &[&[
            "01/2021/HĐTD",
            "B9",
            "600.000.000",
            "6,6",
            "36",
            "10/01/2021",
            "5/QĐ-QHTPT",
            "05/01/2021",
            "Mua máy gặt",
            "1.000.000.000",
            "400.000.000",
        ]],
    );
    sheet(&mut book, "Tổ chức", &ORG_HEADINGS, &[&b9("09163")]);
    book.save(&path).unwrap();
    let report = import_file(&db.store, &path, "t", d("2026-01-01"), false)
        .await
        .unwrap();
    assert!(report.errors().is_empty(), "{:?}", report.errors());
    let written = report.written.unwrap();
    assert_eq!((written.registry.organisations, written.loans), (1, 1));
    let org = db.store.org_by_code("B9").await.unwrap().unwrap();
    let loan = db
        .store
        .loan_by_contract("01/2021/HĐTD")
        .await
        .unwrap()
        .unwrap();
    let borrower = db.store.borrowers().await.unwrap()[&loan.borrower_id].clone();
    assert_eq!(borrower.org_id, Some(org.id));
}

#[tokio::test]
async fn rows_naming_an_organisation_whose_registration_row_was_refused_say_so() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sai.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    sheet(
        &mut book,
        "Khoản vay",
        &LOAN_HEADINGS,
        &[&loan_row("01/2021/HĐTD", "B9", "", "")],
    );
    sheet(
        &mut book,
        "Số liệu năm",
        &FIGURE_HEADINGS[..3],
        &[&["B9", "2021", "20"]],
    );
    // The commune code does not exist: the registration is refused.
    sheet(&mut book, "Tổ chức", &ORG_HEADINGS, &[&b9("99999")]);
    book.save(&path).unwrap();
    let report = import_file(&db.store, &path, "t", d("2026-01-01"), true)
        .await
        .unwrap();
    let errors: Vec<(String, String)> = report
        .errors()
        .iter()
        .map(|e| (e.sheet.clone(), e.reason.clone()))
        .collect();
    let why = "tổ chức mã số B9 ở sheet \"Tổ chức\" dòng 2 bị từ chối; sửa dòng đó trước";
    for on in ["Khoản vay", "Số liệu năm"] {
        assert!(
            errors
                .iter()
                .any(|(sheet, reason)| sheet == on && reason == why),
            "{on}: {errors:#?}"
        );
    }
    assert!(
        errors
            .iter()
            .any(|(sheet, reason)| sheet == "Tổ chức" && reason.contains("99999")),
        "{errors:#?}"
    );
    // A code in neither the registry nor the file is still said as such.
    assert!(
        !errors.iter().any(|(_, r)| r.contains("nhập tổ chức trước")),
        "{errors:#?}"
    );
}

#[tokio::test]
async fn the_funds_figures_are_split_by_the_kind_of_borrower() {
    let db = TestDb::new().await;
    htx::app::fund::record_capital(
        &db.store,
        &htx::app::fund::CapitalInput {
            date: "01/01/2020".into(),
            amount: "30.000.000.000".into(),
            source: "Ngân sách tỉnh".into(),
            reference: String::new(),
        },
        "t",
        d("2026-01-01"),
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("quy.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    sheet(
        &mut book,
        "Tổ chức",
        &ORG_HEADINGS,
        &[
            &[
                "H7",
                "HTX",
                "HTX Dịch vụ nông nghiệp Hòa Long",
                "15/03/2010",
                "09163",
                "agri_services",
                "",
            ],
            &[
                "T7",
                "THT",
                "Tổ hợp tác rau Vạn An",
                "15/03/2012",
                "09163",
                "agri_specialised",
                "",
            ],
        ],
    );
    let loan = |contract: &'static str, code: &'static str, member: &'static str, amount| {
        [
            contract,
            code,
            member,
            amount,
            "6,6",
            "36",
            "10/01/2021",
            "5/QĐ-QHTPT",
            "05/01/2021",
            "Mua máy gặt",
            "1.000.000.000",
            "400.000.000",
        ]
    };
    let loans = [
        loan("01/2021/HĐTD", "H7", "", "600.000.000"),
        loan("02/2021/HĐTD", "T7", "", "300.000.000"),
        loan("03/2021/HĐTD", "H7", "Nguyễn Văn Bình", "200.000.000"),
    ];
    let rows: Vec<&[&str]> = loans.iter().map(|l| &l[..]).collect();
    sheet(
        &mut book,
        "Khoản vay",
        &[
            "Số hợp đồng",
            "Mã số đăng ký bên vay",
            "Họ tên thành viên vay",
            "Số tiền duyệt (đồng)",
            "Lãi suất (%/năm)",
            "Thời hạn (tháng)",
            "Ngày ký hợp đồng",
            "Số quyết định cho vay",
            "Ngày quyết định",
            "Mục đích vay",
            "Tổng mức đầu tư (đồng)",
            "Vốn tự có (đồng)",
        ],
        &rows,
    );
    sheet(
        &mut book,
        "Giao dịch vay",
        &[
            "Số hợp đồng",
            "Loại giao dịch",
            "Ngày giao dịch",
            "Số tiền (đồng)",
        ],
        &[
            &["01/2021/HĐTD", "giải ngân", "10/01/2021", "600.000.000"],
            &["02/2021/HĐTD", "giải ngân", "10/01/2021", "300.000.000"],
            &["03/2021/HĐTD", "giải ngân", "10/01/2021", "200.000.000"],
            &["02/2021/HĐTD", "thu nợ gốc", "10/07/2021", "50.000.000"],
        ],
    );
    book.save(&path).unwrap();
    let report = import_file(&db.store, &path, "t", d("2026-01-01"), false)
        .await
        .unwrap();
    assert!(report.errors().is_empty(), "{:?}", report.errors());

    let figures = build(&db.store, &ReportRequest::of(Period::year(2021)))
        .await
        .unwrap();
    let json = serde_json::to_value(&figures).unwrap();
    let split: Vec<(String, i64, i64, i64, i64)> = json["fund"]["by_borrower_kind"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["kind"].as_str().unwrap().to_string(),
                k["disbursed"]["amount"].as_i64().unwrap(),
                k["disbursed"]["borrowers"].as_i64().unwrap(),
                k["outstanding"]["amount"].as_i64().unwrap(),
                k["outstanding"]["borrowers"].as_i64().unwrap(),
            )
        })
        .collect();
    let row = |k: &str, d, db, o, ob| (k.to_string(), d, db, o, ob);
    assert_eq!(
        split,
        [
            row("htx", 600_000_000, 1, 600_000_000, 1),
            row("lhhtx", 0, 0, 0, 0),
            row("tht", 300_000_000, 1, 250_000_000, 1),
            row("member", 200_000_000, 1, 200_000_000, 1),
        ]
    );
    // The parts add up to the whole.
    assert_eq!(json["fund"]["disbursed"]["amount"], 1_100_000_000_i64);
    assert_eq!(json["fund"]["outstanding"]["amount"], 1_050_000_000_i64);

    // The prose names each kind that borrowed and what it received, and who owes.
    let md = htx::report::markdown::render(&figures, None).unwrap();
    assert!(
        md.contains(
            "đã giải ngân 1 tỷ 100 triệu đồng cho 01 HTX (600 triệu đồng), 01 THT (300 triệu \
             đồng) và 01 thành viên HTX, THT vay cá nhân (200 triệu đồng)"
        ),
        "{md}"
    );
    assert!(
        md.contains(
            "dư nợ là 1 tỷ 50 triệu đồng với 01 HTX, 01 THT và 01 thành viên HTX, THT vay cá \
             nhân vay vốn"
        ),
        "{md}"
    );
    // And the annex's fund sheet holds the same split.
    use calamine::Reader;
    let xlsx = htx::report::xlsx::render(&figures).unwrap();
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(xlsx)).unwrap();
    let fund = book.worksheet_range("Quỹ hỗ trợ").unwrap();
    let tht = fund
        .rows()
        .skip_while(|r| r[0] != "Loại bên vay")
        .find(|r| r[0] == "THT")
        .unwrap();
    let cells: Vec<String> = tht.iter().map(|c| c.to_string()).collect();
    assert_eq!(
        cells[1..6],
        ["1", "300000000", "0", "1", "250000000"],
        "{cells:?}"
    );
}

fn loan_row<'a>(contract: &'a str, code: &'a str, kind: &'a str, name: &'a str) -> [&'a str; 13] {
    [
        contract,
        code,
        kind,
        name,
        "200.000.000",
        "6,6",
        "36",
        "10/01/2021",
        "5/QĐ-QHTPT",
        "05/01/2021",
        "Mua máy gặt",
        "1.000.000.000",
        "400.000.000",
    ]
}

#[tokio::test]
async fn the_kind_of_borrower_is_checked_against_the_registry_alike_at_every_entrance() {
    let web = Web::with(TestDb::new().await, ServeConfig::default()).await;
    let store = &web.db.store;
    htx::app::fund::record_capital(
        store,
        &htx::app::fund::CapitalInput {
            date: "01/01/2020".into(),
            amount: "30.000.000.000".into(),
            source: "Ngân sách tỉnh".into(),
            reference: String::new(),
        },
        "t",
        d("2026-01-01"),
    )
    .await
    .unwrap();
    for (kind, code, name) in [
        ("HTX", "H8", "HTX Dịch vụ nông nghiệp Đại Lai"),
        ("LHHTX", "L8", "Liên hiệp HTX Kinh Bắc"),
    ] {
        register(
            store,
            &RegisterInput {
                kind: kind.into(),
                code: code.into(),
                name: name.into(),
                date: "15/03/2010".into(),
                commune: "09163".into(),
                sector: "agri_services".into(),
                ..Default::default()
            },
            "t",
        )
        .await
        .unwrap();
    }
    let not_tht = "H8 là hợp tác xã, không phải THT";
    let not_member_of = "cá nhân vay phải là thành viên HTX hoặc THT; L8 là liên hiệp hợp tác xã";

    // Import: at the columns, nothing written.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("vay-sai.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    sheet(
        &mut book,
        "Khoản vay",
        &LOAN_HEADINGS,
        &[
            &loan_row("01/2021/HĐTD", "H8", "THT", ""),
            &loan_row("02/2021/HĐTD", "L8", "thành viên", "Lê Văn Cường"),
        ],
    );
    book.save(&bad).unwrap();
    let report = import_file(store, &bad, "t", d("2026-01-01"), false)
        .await
        .unwrap();
    assert!(report.written.is_none());
    let errors: Vec<(usize, String, String)> = report
        .errors()
        .iter()
        .map(|e| (e.row, e.column.clone(), e.reason.clone()))
        .collect();
    assert_eq!(
        errors,
        [
            (2, "Loại bên vay".to_string(), not_tht.to_string()),
            (
                3,
                "Họ tên thành viên vay".to_string(),
                not_member_of.to_string()
            ),
        ]
    );

    // Command line and API: the same words, by field.
    let out = htx(
        &web.db.url,
        &[
            "fund",
            "loan",
            "--contract",
            "01/2021/HĐTD",
            "--borrower",
            "H8",
            "--borrower-kind",
            "THT",
            "--amount",
            "200000000",
            "--rate",
            "6,6",
            "--term-months",
            "36",
            "--date",
            "10/01/2021",
            "--decision-no",
            "5/QĐ-QHTPT",
            "--decision-date",
            "05/01/2021",
            "--purpose",
            "Mua máy gặt",
            "--project-cost",
            "1000000000",
            "--own-capital",
            "400000000",
        ],
    );
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains(&format!("--borrower-kind: {not_tht}")),
        "{said}"
    );
    let token = web.token("quy", "api").await;
    let problems = web
        .api_problems(
            &token,
            "/fund/loans",
            json!({
                "contract": "02/2021/HĐTD", "borrower": "L8", "borrower_kind": "thành viên",
                "member_name": "Lê Văn Cường", "amount": "200.000.000", "rate": "6,6",
                "term_months": 36, "contract_date": "10/01/2021", "decision_no": "5/QĐ-QHTPT",
                "decision_date": "05/01/2021", "purpose": "Mua máy gặt",
                "project_cost": "1.000.000.000", "own_capital": "400.000.000"
            }),
        )
        .await;
    assert_eq!(
        problems,
        [("member_name".to_string(), not_member_of.to_string())]
    );
    assert!(!store.has_loans().await.unwrap());

    // A member of an HTX named under Tên bên vay, and the HTX itself named by its own name.
    let good = dir.path().join("vay.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    sheet(
        &mut book,
        "Khoản vay",
        &LOAN_HEADINGS,
        &[
            &loan_row("03/2021/HĐTD", "H8", "thành viên", "Phạm Thị Dung"),
            &loan_row(
                "04/2021/HĐTD",
                "H8",
                "HTX",
                "HTX Dịch vụ nông nghiệp Đại Lai",
            ),
        ],
    );
    book.save(&good).unwrap();
    let report = import_file(store, &good, "t", d("2026-01-01"), false)
        .await
        .unwrap();
    assert!(report.errors().is_empty(), "{:?}", report.errors());
    let borrowers = store.borrowers().await.unwrap();
    let of = |contract: &str| {
        let store = store.clone();
        let contract = contract.to_string();
        async move {
            store
                .loan_by_contract(&contract)
                .await
                .unwrap()
                .unwrap()
                .borrower_id
        }
    };
    let member = &borrowers[&of("03/2021/HĐTD").await];
    assert_eq!(
        (member.person_name.as_str(), member.org_id),
        ("Phạm Thị Dung", None)
    );
    let h8 = store.org_by_code("H8").await.unwrap().unwrap();
    assert_eq!(borrowers[&of("04/2021/HĐTD").await].org_id, Some(h8.id));
}

/// Registers an HTX of Thái Bình city through the one registration path.
async fn thai_binh_htx(store: &Store, code: &str, founded: &str, founding_members: &str) {
    register(
        store,
        &RegisterInput {
            kind: "HTX".into(),
            code: code.into(),
            name: format!("HTX Dịch vụ nông nghiệp {code}"),
            date: founded.into(),
            commune: "12436".into(),
            sector: "agri_services".into(),
            founding_members: founding_members.into(),
            ..Default::default()
        },
        "t",
    )
    .await
    .unwrap();
}

async fn yearly(store: &Store, code: &str, year: &str, members: &str, revenue: &str) {
    record_figures(
        store,
        &FiguresInput {
            code: code.into(),
            year: year.into(),
            official_members: members.into(),
            revenue: revenue.into(),
            ..Default::default()
        },
        "t",
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn members_on_a_date_are_each_organisations_latest_known_figures() {
    let db = TestDb::in_area("old-34").await;
    // A reported 2021 and 2023 (its 2024 figures come after the report's last full year),
    // B only 2022, C never (founded with 15 members), D never and without founding members.
    thai_binh_htx(&db.store, "A", "10/03/2015", "").await;
    thai_binh_htx(&db.store, "B", "10/03/2016", "9").await;
    thai_binh_htx(&db.store, "C", "02/03/2024", "15").await;
    thai_binh_htx(&db.store, "D", "05/04/2024", "").await;
    yearly(&db.store, "A", "2021", "40", "1000000000").await;
    yearly(&db.store, "A", "2023", "50", "2000000000").await;
    yearly(&db.store, "A", "2024", "70", "9000000000").await;
    yearly(&db.store, "B", "2022", "20", "").await;

    let figures = build(
        &db.store,
        &ReportRequest::of(Period::parse("2024-H1").unwrap()),
    )
    .await
    .unwrap();
    let json = serde_json::to_value(&figures).unwrap();
    assert_eq!(json["schema"], "htx.report/2");
    let m = &json["registry"]["members"];
    assert_eq!(m["year"], 2023, "{m:#}");
    assert_eq!(m["by_year"], json!({"2023": 1, "2022": 1}), "{m:#}");
    assert_eq!(m["organisations_reporting"], 2);
    assert_eq!(
        m["official_members"],
        50 + 20,
        "A's 2023 and B's 2022, not A's 2021 or 2024"
    );
    assert_eq!(m["revenue"], 2_000_000_000i64);
    assert_eq!(m["reported"]["revenue"], 1, "B left its revenue blank");
    assert_eq!(
        m["founding_reporting"], 1,
        "C; B has figures, D has no founding members"
    );
    assert_eq!(m["founding_members"], 15);
    assert_eq!(m["total_members"], 85);

    let md = htx::report::markdown::render(&figures, None).unwrap();
    let sentence = md
        .lines()
        .find(|l| l.starts_with("Theo số liệu"))
        .unwrap_or_else(|| panic!("{md}"));
    assert_eq!(
        sentence,
        "Theo số liệu năm 2023 của 01 tổ chức, số liệu năm 2022 của 01 tổ chức và số thành \
         viên khi thành lập của 01 tổ chức chưa có số liệu năm, tổng số thành viên là 85 \
         (trong đó 70 thành viên chính thức (số liệu của 02 tổ chức) và 15 thành viên khi \
         thành lập); tổng doanh thu 2 tỷ đồng (số liệu của 01 tổ chức)."
    );

    // By sector group and by field: all four are agricultural services here, so each part
    // is the whole.
    for part in ["by_group", "by_field"] {
        let parts = m[part].as_array().unwrap();
        assert_eq!(parts.len(), 1, "{part}: {parts:#?}");
        assert_eq!(parts[0]["total_members"], 85, "{part}");
        assert_eq!(parts[0]["founding_reporting"], 1, "{part}");
    }
    // And the annex has them, a blank where nobody gave the figure.
    use calamine::Reader;
    let xlsx = htx::report::xlsx::render(&figures).unwrap();
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(xlsx)).unwrap();
    let sheet = book.worksheet_range("Thành viên, lao động, vốn").unwrap();
    let total = sheet
        .rows()
        .find(|r| r[0] == "HTX, LHHTX, QTDND" && r[1] == "Tổng cộng")
        .unwrap();
    let cells: Vec<String> = total.iter().map(|c| c.to_string()).collect();
    assert_eq!(
        cells[2..],
        ["2", "1", "85", "", "", "2000000000"],
        "{cells:?}"
    );

    // At the end of 2022, A's latest figures are those of 2021, and C is not founded yet.
    let figures = build(&db.store, &ReportRequest::of(Period::year(2022)))
        .await
        .unwrap();
    let m = serde_json::to_value(&figures).unwrap()["registry"]["members"].clone();
    assert_eq!(m["by_year"], json!({"2021": 1, "2022": 1}), "{m:#}");
    assert_eq!(m["official_members"], 40 + 20);
    assert_eq!(m["founding_reporting"], 0);
}
