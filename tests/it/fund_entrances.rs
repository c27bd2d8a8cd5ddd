//! The fund's rules are written once (`app::fund`): the same bad value is refused with the
//! same reason through the application layer, the import, the command line, the loan page
//! and the API.

use crate::support::{TestDb, d};
use crate::web_harness::Web;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use htx::app::fund::{self, CapitalInput, LoanInput, LoanTxInput};
use htx::app::registry::{RegisterInput, register};
use htx::store::Store;
use htx::web::config::ServeConfig;

const CONTRACT: &str = "01/2021/HĐTD";

fn today() -> time::Date {
    htx::domain::today()
}

/// A cooperative B1 and 30 tỷ of charter capital from 2020.
async fn fund_with_a_borrower(store: &Store) {
    borrower_b1(store).await;
    fund::record_capital(
        store,
        &CapitalInput {
            date: "01/01/2020".into(),
            amount: "30.000.000.000".into(),
            source: "Ngân sách tỉnh".into(),
            reference: "1/QĐ-UBND".into(),
        },
        "an",
        today(),
    )
    .await
    .unwrap();
}

/// The cooperative B1 of Bắc Ninh city.
async fn borrower_b1(store: &Store) {
    register(
        store,
        &RegisterInput {
            kind: "HTX".into(),
            code: "B1".into(),
            name: "HTX Dịch vụ nông nghiệp Vũ Ninh".into(),
            date: "15/03/2010".into(),
            commune: "09163".into(),
            sector: "dịch vụ nông nghiệp".into(),
            ..RegisterInput::default()
        },
        "an",
    )
    .await
    .unwrap();
}

fn loan(contract: &str, amount: &str, term: &str) -> LoanInput {
    LoanInput {
        contract: contract.into(),
        borrower: "B1".into(),
        amount: amount.into(),
        rate: "6,6".into(),
        term_months: term.into(),
        contract_date: "10/01/2021".into(),
        decision_no: "5/QĐ-QHTPT".into(),
        decision_date: "05/01/2021".into(),
        purpose: "Mua máy gặt".into(),
        project_cost: "10.000.000.000".into(),
        own_capital: "5.000.000.000".into(),
        ..LoanInput::default()
    }
}

/// The reasons the application layer gives for a field.
fn reasons(e: &htx::Error, field: &str) -> Vec<String> {
    e.problems()
        .iter()
        .filter(|p| p.field == field)
        .map(|p| p.reason.clone())
        .collect()
}

fn write(dir: &std::path::Path, name: &str, content: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

fn htx(db: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_htx"))
        .args(args)
        .env("HTX_DATABASE_URL", db)
        .env("HTX_LOG", "error")
        .output()
        .expect("htx runs")
}

fn cli_loan(db: &str, contract: &str, amount: &str, term: &str) -> String {
    let out = htx(
        db,
        &[
            "fund",
            "loan",
            "--contract",
            contract,
            "--borrower",
            "B1",
            "--amount",
            amount,
            "--rate",
            "6.6",
            "--term-months",
            term,
            "--date",
            "10/01/2021",
            "--decision-no",
            "5/QĐ-QHTPT",
            "--decision-date",
            "05/01/2021",
            "--purpose",
            "Mua máy gặt",
            "--project-cost",
            "10000000000",
            "--own-capital",
            "5000000000",
        ],
    );
    assert!(!out.status.success());
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const LOAN_HEADINGS: &str = "Số hợp đồng,Mã số đăng ký bên vay,Số tiền duyệt (đồng),Lãi suất (%/năm),Thời hạn (tháng),Ngày ký hợp đồng,Số quyết định cho vay,Ngày quyết định,Mục đích vay,Tổng mức đầu tư (đồng),Vốn tự có (đồng)";

#[tokio::test]
async fn a_long_term_and_an_amount_over_the_limit_are_refused_alike_by_the_import_the_api_and_the_cli()
 {
    let db = TestDb::new().await;
    fund_with_a_borrower(&db.store).await;
    // The application layer: 100 months is over the deployment's 60; 5 tỷ is over 15% of
    // the 30 tỷ capital.
    let long = fund::check_loan(&db.store, &loan("L-100", "1.000.000.000", "100"), today())
        .await
        .unwrap_err();
    let term = reasons(&long, "term_months");
    assert_eq!(term, ["thời hạn vay 100 tháng vượt mức tối đa 60 tháng"]);
    let big = fund::check_loan(&db.store, &loan("L-BIG", "5.000.000.000", "36"), today())
        .await
        .unwrap_err();
    let limit = reasons(&big, "amount");
    assert_eq!(limit.len(), 1, "{big}");
    assert!(limit[0].contains("vượt 15% vốn điều lệ"), "{big}");

    // The import names the row and column, with the same reasons; nothing is written.
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "khoan-vay.csv",
        &format!(
            "{LOAN_HEADINGS}
L-100,B1,1.000.000.000,\"6,6\",100,10/01/2021,5/QĐ-QHTPT,05/01/2021,Mua máy gặt,10.000.000.000,5.000.000.000
L-BIG,B1,5.000.000.000,\"6,6\",36,10/01/2021,5/QĐ-QHTPT,05/01/2021,Mua máy gặt,10.000.000.000,5.000.000.000
"
        ),
    );
    let report = htx::import::import_file(&db.store, &file, "an", today(), false)
        .await
        .unwrap();
    let errors: Vec<(usize, String, String)> = report
        .errors()
        .iter()
        .map(|e| (e.row, e.column.clone(), e.reason.clone()))
        .collect();
    assert_eq!(
        errors,
        [
            (2, "Thời hạn (tháng)".into(), term[0].clone()),
            (3, "Số tiền duyệt (đồng)".into(), limit[0].clone()),
        ]
    );
    assert!(db.store.loans().await.unwrap().is_empty());
    assert!(
        db.store.borrowers().await.unwrap().is_empty(),
        "no borrower is created for a refused loan"
    );

    // The API, as problems naming the fields.
    let web = Web::with(db, ServeConfig::default()).await;
    let token = web.token("quy", "test").await;
    for (contract, amount, term, field, reason) in [
        ("L-100", 1_000_000_000_i64, 100, "term_months", &term[0]),
        ("L-BIG", 5_000_000_000, 36, "amount", &limit[0]),
    ] {
        let r = web
            .send(
                Request::post("/api/v1/fund/loans")
                    .header(header::AUTHORIZATION, format!("Bearer {token}"))
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(
                        serde_json::json!({
                            "contract": contract, "borrower": "B1", "amount": amount,
                            "rate": "6,6", "term_months": term, "contract_date": "2021-01-10",
                            "decision_no": "5/QĐ-QHTPT", "decision_date": "2021-01-05",
                            "purpose": "Mua máy gặt", "project_cost": 10_000_000_000_i64,
                            "own_capital": 5_000_000_000_i64,
                        })
                        .to_string(),
                    ))
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(
            r.body
                .contains(&serde_json::json!({"field": field, "reason": reason}).to_string()),
            "{}",
            r.body
        );
    }

    // A loan within the rules is recorded, with its new borrower.
    let ok = web
        .send(
            Request::post("/api/v1/fund/loans")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    serde_json::json!({
                        "contract": CONTRACT, "borrower": "B1", "amount": 600_000_000,
                        "rate": 6.6, "term_months": 36, "contract_date": "10/01/2021",
                        "decision_no": "5/QĐ-QHTPT", "decision_date": "05/01/2021",
                        "purpose": "Mua máy gặt", "project_cost": "1.000.000.000",
                        "own_capital": "400.000.000",
                    })
                    .to_string(),
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);

    // The command line, under its options.
    web.db.store.close().await;
    let url = web.db.url.clone();
    let err = cli_loan(&url, "L-100", "1000000000", "100");
    assert!(
        err.contains(&format!("--term-months: {}", term[0])),
        "{err}"
    );
    let err = cli_loan(&url, "L-BIG", "5000000000", "36");
    assert!(err.contains(&format!("--amount: {}", limit[0])), "{err}");
    let store = Store::open(&url).await.unwrap();
    assert_eq!(store.borrowers().await.unwrap().len(), 1);
    assert_eq!(store.loans().await.unwrap().len(), 1);
    store.close().await;
}

#[tokio::test]
async fn a_loan_and_its_new_borrower_are_written_together_and_audited() {
    let db = TestDb::new().await;
    fund_with_a_borrower(&db.store).await;
    let (_, record) = fund::record_loan(
        &db.store,
        &loan(CONTRACT, "600.000.000", "36"),
        "an",
        today(),
    )
    .await
    .unwrap();
    let borrowers = db.store.borrowers().await.unwrap();
    assert_eq!(borrowers.len(), 1);
    assert!(borrowers.contains_key(&record.borrower_id));
    let entries = db.store.audit_entries(None, 50).await.unwrap();
    let tables: Vec<&str> = entries.iter().map(|e| e.entity.as_str()).collect();
    assert!(
        tables.contains(&"borrower") && tables.contains(&"loan"),
        "{tables:?}"
    );
    // The same contract again is refused at its field, before anything is written.
    let again = fund::record_loan(
        &db.store,
        &loan(CONTRACT, "600.000.000", "36"),
        "an",
        today(),
    )
    .await
    .unwrap_err();
    assert_eq!(again.field(), Some("contract"), "{again}");
    // A custom schedule must be given and sum to the amount.
    let mut custom = loan("L-C", "600.000.000", "36");
    custom.method = "theo lịch".into();
    let e = fund::check_loan(&db.store, &custom, today())
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("method"), "{e}");
    custom.schedule = "10/01/2022:300000000,10/01/2023:200000000".into();
    let e = fund::check_loan(&db.store, &custom, today())
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("amount"), "{e}");
}

#[tokio::test]
async fn capital_changes_are_checked() {
    let db = TestDb::new().await;
    fund_with_a_borrower(&db.store).await;
    let input = |amount: &str, source: &str| CapitalInput {
        date: "01/06/2021".into(),
        amount: amount.into(),
        source: source.into(),
        reference: String::new(),
    };
    let e = fund::check_capital(&db.store, &input("0", ""), today())
        .await
        .unwrap_err();
    let fields: Vec<&str> = e.problems().iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["amount", "source"], "{e}");
    let e = fund::check_capital(&db.store, &input("-40.000.000.000", "Thu hồi"), today())
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("amount"), "{e}");
    let capital = fund::record_capital(
        &db.store,
        &input("-5.000.000.000", "Thu hồi"),
        "an",
        today(),
    )
    .await
    .unwrap();
    assert_eq!(capital, 25_000_000_000);
    // A reduction on an earlier date may not take a later date's capital below zero: 30 tỷ
    // from 2020, less 5 tỷ from 06/2021; cutting 26 tỷ in 2020 would leave -1 tỷ from 06/2021.
    let earlier = CapitalInput {
        date: "01/03/2020".into(),
        ..input("-26.000.000.000", "Thu hồi")
    };
    let e = fund::check_capital(&db.store, &earlier, today())
        .await
        .unwrap_err();
    assert!(reasons(&e, "amount")[0].contains("ngày 01/06/2021"), "{e}");
    // A decimal is refused, never read as a larger whole number.
    let e = fund::check_capital(&db.store, &input("5000000,0", "Bổ sung"), today())
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("amount"), "{e}");
    // The command line gives the same reason under its option.
    let zero = fund::check_capital(&db.store, &input("0", "Thu hồi"), today())
        .await
        .unwrap_err();
    let reason = reasons(&zero, "amount");
    db.store.close().await;
    let out = htx(
        &db.url,
        &[
            "fund",
            "capital",
            "--date",
            "01/06/2021",
            "--amount",
            "0",
            "--source",
            "Thu hồi",
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("--amount: {}", reason[0])), "{err}");
}

#[tokio::test]
async fn a_repayment_before_disbursement_is_refused_alike_by_every_entrance() {
    let db = TestDb::new().await;
    fund_with_a_borrower(&db.store).await;
    fund::record_loan(
        &db.store,
        &loan(CONTRACT, "600.000.000", "36"),
        "an",
        today(),
    )
    .await
    .unwrap();
    let repayment = LoanTxInput {
        kind: "thu nợ gốc".into(),
        date: "10/02/2021".into(),
        amount: "100.000.000".into(),
        ..LoanTxInput::default()
    };
    let record = db.store.loan_by_contract(CONTRACT).await.unwrap().unwrap();
    let e = fund::check_loan_tx(&db.store, &record, &repayment, today())
        .await
        .unwrap_err();
    let reason = reasons(&e, "amount");
    assert_eq!(reason.len(), 1, "{e}");
    let reason = reason[0].clone();
    assert!(reason.contains("vượt dư nợ gốc 0 đồng"), "{reason}");

    // The import.
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "giao-dich.csv",
        &format!(
            "Số hợp đồng,Loại giao dịch,Ngày giao dịch,Số tiền (đồng)\n{CONTRACT},thu nợ gốc,10/02/2021,100.000.000\n"
        ),
    );
    let report = htx::import::import_file(&db.store, &file, "an", today(), false)
        .await
        .unwrap();
    let errors: Vec<(String, String)> = report
        .errors()
        .iter()
        .map(|e| (e.column.clone(), e.reason.clone()))
        .collect();
    assert_eq!(errors, [("Số tiền (đồng)".to_string(), reason.clone())]);

    // The loan page shows it at the amount field; the API returns it as a problem.
    let web = Web::with(db, ServeConfig::default()).await;
    let s = web.login("quy").await;
    let path = format!("/fund/loans/{}", htx::web::error::percent(CONTRACT));
    let page = web
        .submit(
            &path,
            &s,
            &[
                ("version", &record.version.to_string()),
                ("kind", "principal_repayment"),
                ("date", "10/02/2021"),
                ("amount", "100.000.000"),
            ],
        )
        .await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    assert!(page.body.contains(&reason), "{}", page.body);
    let token = web.token("quy", "test").await;
    let api = web
        .send(
            Request::post(format!(
                "{}/transactions",
                path.replacen("/fund", "/api/v1/fund", 1)
            ))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(
                serde_json::json!({
                    "kind": "thu_no_goc", "date": "2021-02-10", "amount": 100_000_000,
                    "version": record.version,
                })
                .to_string(),
            ))
            .unwrap(),
        )
        .await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", api.body);
    let body: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert!(
        body.to_string()
            .contains(&serde_json::json!({"field": "amount", "reason": reason}).to_string()),
        "{body}"
    );

    // The command line.
    web.db.store.close().await;
    let out = htx(
        &web.db.url,
        &[
            "fund",
            "tx",
            CONTRACT,
            "--kind",
            "thu_no_goc",
            "--date",
            "10/02/2021",
            "--amount",
            "100000000",
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("--amount: {reason}")), "{err}");
    let store = Store::open(&web.db.url).await.unwrap();
    assert!(store.loan_txs(record.id).await.unwrap().is_empty());
    store.close().await;
}

#[tokio::test]
async fn loans_earlier_in_a_file_count_in_the_limits_of_the_later_ones() {
    let db = TestDb::new().await;
    fund_with_a_borrower(&db.store).await;
    let dir = tempfile::tempdir().unwrap();
    // 3 tỷ each, 15% of 30 tỷ is 4,5 tỷ: the second loan of the same day goes over.
    let file = write(
        dir.path(),
        "khoan-vay.csv",
        &format!(
            "{LOAN_HEADINGS}
A-1,B1,3.000.000.000,\"6,6\",36,10/01/2021,5/QĐ-QHTPT,05/01/2021,Mua máy gặt,10.000.000.000,5.000.000.000
A-2,B1,3.000.000.000,\"6,6\",36,10/01/2021,6/QĐ-QHTPT,05/01/2021,Mua máy sấy,10.000.000.000,5.000.000.000
"
        ),
    );
    let report = htx::import::import_file(&db.store, &file, "an", today(), false)
        .await
        .unwrap();
    let errors: Vec<(usize, String)> = report
        .errors()
        .iter()
        .map(|e| (e.row, e.reason.clone()))
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, 3);
    assert!(
        errors[0].1.contains("6.000.000.000 đồng vượt 15%"),
        "{errors:?}"
    );
    assert!(db.store.loans().await.unwrap().is_empty());
}

/// A sheet: its name, its headings and its rows.
type Sheet<'a> = (&'a str, &'a [&'a str], &'a [&'a [&'a str]]);

/// A workbook of named sheets, each filled as an officer fills it (`support::sheet`).
fn workbook(path: &std::path::Path, sheets: &[Sheet<'_>]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    for (name, headings, rows) in sheets {
        crate::support::sheet(&mut book, name, headings, rows);
    }
    book.save(path).unwrap();
}

const CAPITAL_HEADINGS: &[&str] = &["Ngày", "Số tiền (đồng)", "Nguồn", "Căn cứ"];

#[tokio::test]
async fn the_charter_capital_sheet_counts_for_the_loans_of_the_same_file_and_goes_in_once() {
    let db = TestDb::new().await;
    borrower_b1(&db.store).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("quy.xlsx");
    let l = loan(CONTRACT, "600.000.000", "36");
    let loan_row: &[&str] = &[
        &l.contract,
        &l.borrower,
        &l.amount,
        &l.rate,
        &l.term_months,
        &l.contract_date,
        &l.decision_no,
        &l.decision_date,
        &l.purpose,
        &l.project_cost,
        &l.own_capital,
    ];
    // The loan sheet comes first; without the file's capital, 600 million would exceed 15% of
    // nothing.
    workbook(
        &path,
        &[
            (
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
                &[loan_row],
            ),
            (
                "Vốn điều lệ Quỹ",
                CAPITAL_HEADINGS,
                &[
                    &[
                        "01/01/2021",
                        "10.000.000.000",
                        "Ngân sách tỉnh bổ sung",
                        "QĐ 9/QĐ-UBND",
                    ],
                    &[
                        "01/01/2020",
                        "5.000.000.000",
                        "Ngân sách tỉnh cấp",
                        "QĐ 1/QĐ-UBND",
                    ],
                ],
            ),
        ],
    );
    let report = htx::import::import_file(&db.store, &path, "an", today(), false)
        .await
        .unwrap();
    assert!(report.errors().is_empty(), "{:?}", report.errors());
    let written = report.written.unwrap();
    assert_eq!((written.capital, written.loans), (2, 1));
    assert!(
        written.counts().contains(&("thay đổi vốn điều lệ Quỹ", 2)),
        "{:?}",
        written.counts()
    );
    assert_eq!(
        db.store.fund_capital_at(d("2021-06-30")).await.unwrap(),
        15_000_000_000
    );

    // The same file again changes nothing: the capital is not doubled.
    let again = htx::import::import_file(&db.store, &path, "an", today(), false)
        .await
        .unwrap();
    assert!(again.errors().is_empty(), "{:?}", again.errors());
    assert_eq!(again.unchanged(), 3);
    assert_eq!(
        db.store.fund_capital_at(d("2021-06-30")).await.unwrap(),
        15_000_000_000
    );

    // A reduction below zero is named by its sheet, row and column, and nothing is written.
    let bad = dir.path().join("giam.xlsx");
    workbook(
        &bad,
        &[(
            "Vốn điều lệ Quỹ",
            CAPITAL_HEADINGS,
            &[
                &["01/02/2022", "1.000.000.000", "Ngân sách tỉnh bổ sung", ""],
                &["01/03/2022", "-20.000.000.000", "Thu hồi vốn", ""],
            ],
        )],
    );
    let refused = htx::import::import_file(&db.store, &bad, "an", today(), false)
        .await
        .unwrap();
    let errors = refused.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        (
            errors[0].sheet.as_str(),
            errors[0].row,
            errors[0].column.as_str()
        ),
        ("Vốn điều lệ Quỹ", 3, "Số tiền (đồng)")
    );
    assert!(
        errors[0]
            .reason
            .contains("vượt vốn điều lệ của Quỹ ngày 01/03/2022"),
        "{}",
        errors[0].reason
    );
    assert!(refused.written.is_none());
    assert_eq!(
        db.store.fund_capital_at(d("2022-12-31")).await.unwrap(),
        15_000_000_000
    );

    // The report states the capital now and at the fund's founding.
    let figures = htx::report::figures::build(
        &db.store,
        &htx::report::figures::ReportRequest::of(htx::domain::period::Period::year(2021)),
    )
    .await
    .unwrap();
    let fund = figures.fund.as_ref().unwrap();
    assert_eq!(fund.charter_capital, 15_000_000_000);
    let founding = fund.charter_capital_at_founding.as_ref().unwrap();
    assert_eq!(
        (founding.date, founding.amount),
        (d("2020-01-01"), 5_000_000_000)
    );
    let md = htx::report::markdown::render(&figures, None).unwrap();
    assert!(
        md.contains(
            "Vốn điều lệ của Quỹ là 15 tỷ đồng (khi thành lập ngày 01/01/2020: 5 tỷ đồng)."
        ),
        "{md}"
    );
}
