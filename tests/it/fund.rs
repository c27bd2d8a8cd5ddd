//! The support fund: the demo's seed statement, transaction rules through the store, CLI.

use crate::support::{TestDb, d};
use htx::Error;
use htx::domain::fund::{LoanTerms, LoanTx, RepaymentMethod, TxKind};
use htx::domain::period::Period;
use htx::report::figures::{ReportRequest, build};
use htx::store::fund::NewLoan;

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
async fn the_demo_fund_half_year_is_the_seeds_statement() {
    let db = TestDb::demo().await;
    let f = build(&db.store, &request("2022-H1"))
        .await
        .unwrap()
        .fund
        .unwrap();
    assert_eq!(
        (f.disbursed.borrowers, f.disbursed.amount),
        (5, 2_050_000_000)
    );
    assert_eq!((f.extended.borrowers, f.extended.amount), (2, 950_000_000));
    assert_eq!(
        (f.outstanding.amount, f.outstanding.borrowers),
        (24_164_000_000, 63)
    );
    assert_eq!(
        f.ageing.iter().map(|a| a.outstanding).sum::<i64>(),
        f.outstanding.amount
    );
    assert!(f.bad_debt.amount > 0 && f.overdue.amount > 0);
    let md =
        htx::report::markdown::render(&build(&db.store, &request("2022-H1")).await.unwrap(), None)
            .unwrap();
    assert!(
        md.contains("đã giải ngân cho 05 HTX với số tiền 2 tỷ 50 triệu đồng, đồng thời gia hạn cho 02 HTX với số tiền 950 triệu đồng"),
        "{md}"
    );
    assert!(
        md.contains("dư nợ là 24 tỷ 164 triệu đồng với 63 HTX vay vốn"),
        "{md}"
    );
}

async fn one_loan(db: &TestDb) -> i64 {
    let (orgs, _) = db
        .store
        .list_orgs(&htx::store::registry::OrgFilter {
            on: Some(d("2020-01-01")),
            limit: 1,
            counted_only: true,
            ..Default::default()
        })
        .await
        .unwrap();
    let org = match orgs.first() {
        Some(o) => o.id,
        None => {
            let today = d("2026-01-01");
            let new = htx::store::registry::NewOrganisation {
                kind: htx::domain::registry::OrgKind::Htx,
                reg_code: "L1".into(),
                established: htx::domain::registry::Event {
                    id: 0,
                    kind: htx::domain::registry::EventKind::Established,
                    effective: d("2015-01-01"),
                    payload: htx::domain::registry::EventPayload {
                        attributes: Some(htx::domain::registry::Attributes {
                            name: "HTX Vay Vốn".into(),
                            address: String::new(),
                            commune: "old-09163".into(),
                            sector: "trade".into(),
                            registering_body: String::new(),
                            law: 2012,
                            flags: Default::default(),
                            representative: String::new(),
                        }),
                        ..Default::default()
                    },
                },
            };
            db.store.create_org(new, "an", today).await.unwrap().id
        }
    };
    let borrower = db.store.borrower_for_org(org, "").await.unwrap();
    db.store
        .create_loan(
            &NewLoan {
                contract_no: "HĐ-1".into(),
                borrower_id: borrower,
                purpose: "Mua máy".into(),
                decision_no: "1/QĐ".into(),
                decision_date: d("2021-01-05"),
                contract_date: d("2021-01-10"),
                terms: LoanTerms {
                    approved_amount: 600_000_000,
                    annual_rate_bp: 660,
                    overdue_rate_bp: 990,
                    term_months: 36,
                    repayment_every_months: 6,
                    method: RepaymentMethod::EqualPrincipal,
                    first_due: None,
                },
                schedule: None,
                collateral: String::new(),
                project_cost: 1_000_000_000,
                own_capital: 400_000_000,
            },
            "an",
        )
        .await
        .unwrap()
        .id
}

#[tokio::test]
async fn a_repayment_above_the_outstanding_is_refused_and_nothing_is_written() {
    let db = TestDb::new().await;
    let loan = one_loan(&db).await;
    let today = d("2026-01-01");
    db.store
        .record_loan_tx(
            loan,
            None,
            LoanTx::new(0, TxKind::Disbursement, d("2021-01-10"), 600_000_000),
            "an",
            today,
        )
        .await
        .unwrap();
    let err = db
        .store
        .record_loan_tx(
            loan,
            None,
            LoanTx::new(0, TxKind::PrincipalRepayment, d("2021-07-10"), 700_000_000),
            "an",
            today,
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("vượt dư nợ"), "{err}");
    assert_eq!(db.store.loan_txs(loan).await.unwrap().len(), 1);
    let over = db
        .store
        .record_loan_tx(
            loan,
            None,
            LoanTx::new(0, TxKind::Disbursement, d("2021-02-10"), 1),
            "an",
            today,
        )
        .await
        .unwrap_err();
    assert!(over.to_string().contains("vượt"), "{over}");
}

#[tokio::test]
async fn an_extension_moves_maturity_and_clears_overdue_from_its_date() {
    let db = TestDb::new().await;
    let loan = one_loan(&db).await;
    let today = d("2026-01-01");
    db.store
        .record_loan_tx(
            loan,
            None,
            LoanTx::new(0, TxKind::Disbursement, d("2021-01-10"), 600_000_000),
            "an",
            today,
        )
        .await
        .unwrap();
    let record = db.store.loan_by_id(loan).await.unwrap().unwrap();
    let before = htx::domain::fund::state_at(
        &record.loan,
        &db.store.loan_txs(loan).await.unwrap(),
        d("2021-08-01"),
    );
    assert!(before.overdue_principal > 0 && before.days_past_due > 0);
    let mut ext = LoanTx::new(0, TxKind::Extension, d("2021-08-02"), 0);
    ext.new_maturity = Some(d("2025-01-10"));
    ext.reference = "5/QĐ-QHTPT".into();
    db.store
        .record_loan_tx(loan, Some(record.version), ext, "an", today)
        .await
        .unwrap();
    let txs = db.store.loan_txs(loan).await.unwrap();
    let after = htx::domain::fund::state_at(&record.loan, &txs, d("2021-08-03"));
    assert_eq!((after.overdue_principal, after.days_past_due), (0, 0));
    assert_eq!(after.maturity, d("2025-01-10"));
    // The version read before the extension is stale now.
    let stale = db
        .store
        .record_loan_tx(
            loan,
            Some(record.version),
            LoanTx::new(0, TxKind::PrincipalRepayment, d("2021-09-01"), 1_000),
            "an",
            today,
        )
        .await
        .unwrap_err();
    assert!(matches!(stale, Error::Conflict(_)), "{stale}");
}

#[tokio::test]
async fn the_fund_cli_refuses_a_loan_that_breaks_the_rules_and_explains_why() {
    let db = TestDb::demo().await;
    db.store.close().await;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_htx"))
        .args([
            "fund",
            "loan",
            "--contract",
            "X-1",
            "--borrower",
            "2725600003",
            "--amount",
            "9000000000",
            "--rate",
            "6.6",
            "--term-months",
            "36",
            "--date",
            "01/06/2026",
            "--decision-no",
            "9/QĐ",
            "--decision-date",
            "01/06/2026",
            "--purpose",
            "Thử",
            "--project-cost",
            "10000000000",
            "--own-capital",
            "1000000000",
        ])
        .env("HTX_DATABASE_URL", &db.url)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("dưới mức tối thiểu 20%") && err.contains("vượt 15% vốn điều lệ"),
        "{err}"
    );
}

fn write(dir: &std::path::Path, name: &str, content: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

const REGISTRY: &str = "Mã số đăng ký,Loại hình,Tên tổ chức,Ngày thành lập,Mã xã,Lĩnh vực
B1,HTX,HTX Dịch vụ nông nghiệp Vũ Ninh,15/03/2010,09163,dịch vụ nông nghiệp
";

const LOANS: &str = "Số hợp đồng,Mã số đăng ký bên vay,Số tiền duyệt (đồng),Lãi suất (%/năm),Thời hạn (tháng),Ngày ký hợp đồng,Số quyết định cho vay,Ngày quyết định,Mục đích vay,Tổng mức đầu tư (đồng),Vốn tự có (đồng)
01/2021/HĐTD,B1,600.000.000,\"6,6\",36,10/01/2021,5/QĐ-QHTPT,05/01/2021,Mua máy gặt,1.000.000.000,400.000.000
";

/// The charter capital the lending limits of imported loans are counted against.
async fn charter_capital(db: &TestDb) {
    htx::app::fund::record_capital(
        &db.store,
        &htx::app::fund::CapitalInput {
            date: "01/01/2020".into(),
            amount: "30.000.000.000".into(),
            source: "Ngân sách tỉnh".into(),
            reference: String::new(),
        },
        "an",
        d("2026-01-01"),
    )
    .await
    .unwrap();
}

const TRANSACTIONS: &str =
    "Số hợp đồng;Loại giao dịch;Ngày giao dịch;Số tiền (đồng);Ngày đáo hạn mới;Căn cứ
01/2021/HĐTD;giải ngân;10/01/2021;600.000.000;;
01/2021/HĐTD;thu nợ gốc;10/07/2021;100.000.000;;
01/2021/HĐTD;gia hạn nợ;01/12/2023;;31/12/2025;9/QĐ-QHTPT
";

#[tokio::test]
async fn loans_and_transactions_import_all_or_nothing_and_only_once() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let today = d("2026-01-01");
    let reg = write(dir.path(), "to-chuc.csv", REGISTRY);
    htx::import::import_file(&db.store, &reg, "an", today, false)
        .await
        .unwrap();
    charter_capital(&db).await;
    let loans = write(dir.path(), "khoan-vay.csv", LOANS);
    let txs = write(dir.path(), "giao-dich.csv", TRANSACTIONS);
    let first = htx::import::import_file(&db.store, &loans, "an", today, false)
        .await
        .unwrap();
    assert!(first.errors().is_empty(), "{:?}", first.errors());
    assert_eq!(first.written.as_ref().unwrap().loans, 1);
    let second = htx::import::import_file(&db.store, &txs, "an", today, false)
        .await
        .unwrap();
    assert!(second.errors().is_empty(), "{:?}", second.errors());
    assert_eq!(second.written.as_ref().unwrap().loan_transactions, 3);
    for path in [&loans, &txs] {
        let again = htx::import::import_file(&db.store, path, "an", today, false)
            .await
            .unwrap();
        assert!(again.written.unwrap().is_empty());
    }
    let record = db
        .store
        .loan_by_contract("01/2021/HĐTD")
        .await
        .unwrap()
        .unwrap();
    let state = htx::domain::fund::state_at(
        &record.loan,
        &db.store.loan_txs(record.id).await.unwrap(),
        d("2024-06-30"),
    );
    assert_eq!(state.outstanding, 500_000_000);
    assert_eq!(state.maturity, d("2025-12-31"));
}

#[tokio::test]
async fn a_bad_transaction_row_is_named_and_nothing_is_written() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let today = d("2026-01-01");
    let reg = write(dir.path(), "to-chuc.csv", REGISTRY);
    htx::import::import_file(&db.store, &reg, "an", today, false)
        .await
        .unwrap();
    charter_capital(&db).await;
    htx::import::import_file(
        &db.store,
        &write(dir.path(), "kv.csv", LOANS),
        "an",
        today,
        false,
    )
    .await
    .unwrap();
    let bad = write(
        dir.path(),
        "gd.csv",
        "Số hợp đồng,Loại giao dịch,Ngày giao dịch,Số tiền (đồng)
01/2021/HĐTD,giải ngân,10/01/2021,600.000.000
01/2021/HĐTD,thu nợ gốc,10/07/2021,900.000.000
01/2021/HĐTD,bói toán,10/07/2021,1
XX,thu lãi,10/07/2021,1
",
    );
    let report = htx::import::import_file(&db.store, &bad, "an", today, false)
        .await
        .unwrap();
    let lines: Vec<String> = report.errors().iter().map(|e| e.to_string()).collect();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("dòng 3") && l.contains("vượt dư nợ")),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("dòng 4") && l.contains("bói toán")),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("dòng 5") && l.contains("XX")),
        "{lines:#?}"
    );
    let record = db
        .store
        .loan_by_contract("01/2021/HĐTD")
        .await
        .unwrap()
        .unwrap();
    assert!(
        db.store.loan_txs(record.id).await.unwrap().is_empty(),
        "nothing written"
    );
}

#[tokio::test]
async fn the_position_projection_equals_replaying_every_loan() {
    let db = TestDb::demo().await;
    let loans = db.store.loans().await.unwrap();
    let txs = db.store.all_loan_txs().await.unwrap();
    let buckets = htx::domain::fund::AgeingBuckets::default();
    let empty = Vec::new();
    for on in [
        "2016-06-30",
        "2021-12-31",
        "2022-03-20",
        "2022-06-30",
        "2023-04-01",
        "2025-07-01",
        "2026-09-30",
    ] {
        let on = d(on);
        let replayed: Vec<htx::store::fund::PositionRow> = loans
            .iter()
            .map(|l| {
                let s = htx::domain::fund::state_at(&l.loan, txs.get(&l.id).unwrap_or(&empty), on);
                htx::store::fund::PositionRow {
                    loan_id: l.id,
                    borrower_id: l.borrower_id,
                    outstanding: s.outstanding,
                    overdue_principal: s.overdue_principal,
                    days_past_due: s.days_past_due,
                }
            })
            .filter(|r| r.outstanding > 0)
            .collect();
        assert_eq!(
            db.store.position_rows(on).await.unwrap(),
            replayed,
            "rows on {on}"
        );
        let expected = htx::store::fund::PortfolioSummary::of_rows(&replayed, &buckets);
        assert_eq!(
            db.store.portfolio_summary(on, &buckets).await.unwrap(),
            expected,
            "summary on {on}"
        );
    }
}

#[tokio::test]
async fn lending_limits_and_ageing_buckets_are_deployment_settings() {
    let db = TestDb::demo().await;
    let mut settings = db.store.deployment().await.unwrap();
    settings.fund_rules.single_borrower_max_pct = 40;
    settings.ageing_days = vec![0, 90, 360];
    db.store.set_deployment(&settings, "admin").await.unwrap();
    let read = db.store.deployment().await.unwrap();
    assert_eq!(read.fund_rules.single_borrower_max_pct, 40);
    assert_eq!(read.ageing().labels().len(), 4);
    let f = build(&db.store, &request("2022-H1"))
        .await
        .unwrap()
        .fund
        .unwrap();
    assert_eq!(f.ageing.len(), 4);
    assert_eq!(
        f.ageing.iter().map(|a| a.outstanding).sum::<i64>(),
        24_164_000_000
    );
    db.store.close().await;
    // 9 tỷ is 30% of the 30 tỷ capital: refused for own capital only, no longer for the limit.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_htx"))
        .args([
            "fund",
            "loan",
            "--contract",
            "X-2",
            "--borrower",
            "2725600003",
            "--amount",
            "9000000000",
            "--rate",
            "6.6",
            "--term-months",
            "36",
            "--date",
            "01/06/2026",
            "--decision-no",
            "9/QĐ",
            "--decision-date",
            "01/06/2026",
            "--purpose",
            "Thử",
            "--project-cost",
            "10000000000",
            "--own-capital",
            "1000000000",
        ])
        .env("HTX_DATABASE_URL", &db.url)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("dưới mức tối thiểu 20%") && !err.contains("vượt 15%"),
        "{err}"
    );
}
