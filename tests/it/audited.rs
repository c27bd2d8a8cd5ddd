//! Every write is audited: each record function of the application layer (and each write of
//! accounts and settings) leaves exactly one audit entry per record it creates or changes,
//! naming its author. The tables each write touched are counted, and every table of the
//! schema must be written by one of these writes or be named below as not a record of its
//! own, so a new table without an audited write fails this test.

use crate::support::TestDb;
use htx::app::{alliance, evaluations, fund, governance, plans, programmes, registry};
use htx::domain::access::{Access, Role};
use htx::store::Store;
use sqlx::{AnyPool, Row};
use std::collections::{BTreeMap, BTreeSet};

/// Tables that hold no record of their own: the log itself, sessions, and what is derived
/// from records (projections, links written with their record, migrations).
const NOT_RECORDS: &[(&str, &str)] = &[
    ("audit_log", "the log itself"),
    ("app_session", "a login, not a record"),
    ("org_interval", "projection of org_event"),
    ("loan_position", "projection of loan_tx"),
    ("activity_org", "written with its activity"),
    ("org_search", "search index of organisation (SQLite)"),
    ("_sqlx_migrations", "schema version"),
];

async fn tables(pool: &AnyPool, postgres: bool) -> Vec<String> {
    let sql = if postgres {
        "SELECT CAST(table_name AS TEXT) FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
    } else {
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'org_search_%'"
    };
    sqlx::query(sql)
        .fetch_all(pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get::<String, _>(0))
        .collect()
}

async fn counts(pool: &AnyPool, tables: &[String]) -> BTreeMap<String, i64> {
    let mut out = BTreeMap::new();
    for t in tables {
        let n: i64 = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM {t}"
        )))
        .fetch_one(pool)
        .await
        .unwrap()
        .get(0);
        out.insert(t.clone(), n);
    }
    out
}

/// Audit entries since `after`, as (author, entity).
async fn entries_after(pool: &AnyPool, after: i64) -> Vec<(String, String)> {
    sqlx::query("SELECT author, entity FROM audit_log WHERE id > $1 ORDER BY id")
        .bind(after)
        .fetch_all(pool)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get::<String, _>(0), r.get::<String, _>(1)))
        .collect()
}

async fn last_audit_id(pool: &AnyPool) -> i64 {
    sqlx::query("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM audit_log")
        .fetch_one(pool)
        .await
        .unwrap()
        .get(0)
}

struct Recorder {
    pool: AnyPool,
    tables: Vec<String>,
    written: BTreeSet<String>,
    failures: Vec<String>,
}

impl Recorder {
    /// Runs one write as `author` and checks it left `records` audit entries, all by
    /// `author`; notes the tables it changed.
    async fn check<F, T>(&mut self, what: &str, author: &str, records: usize, write: F)
    where
        F: std::future::Future<Output = htx::Result<T>>,
    {
        let before = counts(&self.pool, &self.tables).await;
        let since = last_audit_id(&self.pool).await;
        if let Err(e) = write.await {
            self.failures.push(format!("{what}: refused: {e}"));
            return;
        }
        let after = counts(&self.pool, &self.tables).await;
        for (table, n) in &after {
            if before.get(table) != Some(n) && table != "audit_log" {
                self.written.insert(table.clone());
            }
        }
        let entries = entries_after(&self.pool, since).await;
        if entries.len() != records || entries.iter().any(|(a, _)| a != author) {
            self.failures.push(format!(
                "{what}: expected {records} entries by {author}, found {entries:?}"
            ));
        }
    }
}

fn access() -> Access {
    Access {
        role: Role::Admin,
        area: None,
    }
}

#[tokio::test]
async fn every_write_leaves_one_audit_entry_per_record_naming_its_author() {
    let db = TestDb::new().await;
    let postgres = db.url.starts_with("postgres");
    sqlx::any::install_default_drivers();
    let pool = AnyPool::connect(&db.url).await.unwrap();
    let tables = tables(&pool, postgres).await;
    let mut r = Recorder {
        pool,
        tables: tables.clone(),
        written: BTreeSet::new(),
        failures: Vec::new(),
    };
    let s: &Store = &db.store;
    let today = htx::domain::today();

    // Registry.
    let org = registry::RegisterInput {
        kind: "HTX".into(),
        code: "B1".into(),
        name: "HTX Dịch vụ nông nghiệp Vũ Ninh".into(),
        date: "15/03/2010".into(),
        commune: "09163".into(),
        sector: "dịch vụ nông nghiệp".into(),
        ..Default::default()
    };
    r.check(
        "register",
        "a-register",
        1,
        registry::register(s, &org, "a-register"),
    )
    .await;
    let b1 = s.org_by_code("B1").await.unwrap().unwrap();
    let event = registry::EventInput {
        kind: "changed".into(),
        date: "01/02/2015".into(),
        new_name: Some("HTX Vũ Ninh".into()),
        ..Default::default()
    };
    r.check(
        "record_event",
        "a-event",
        1,
        registry::record_event(s, &b1, None, &event, "a-event"),
    )
    .await;

    // Fund.
    let capital = fund::CapitalInput {
        date: "01/01/2020".into(),
        amount: "30.000.000.000".into(),
        source: "Ngân sách tỉnh".into(),
        reference: "1/QĐ-UBND".into(),
    };
    r.check(
        "record_capital",
        "a-capital",
        1,
        fund::record_capital(s, &capital, "a-capital", today),
    )
    .await;
    let loan = fund::LoanInput {
        contract: "01/2021/HĐTD".into(),
        borrower: "B1".into(),
        amount: "1.000.000.000".into(),
        rate: "6,6".into(),
        term_months: "36".into(),
        contract_date: "10/01/2021".into(),
        decision_no: "5/QĐ-QHTPT".into(),
        decision_date: "05/01/2021".into(),
        purpose: "Mua máy gặt".into(),
        project_cost: "10.000.000.000".into(),
        own_capital: "5.000.000.000".into(),
        ..Default::default()
    };
    // A first loan creates its borrower with it: two records, two entries.
    r.check(
        "record_loan (new borrower)",
        "a-loan",
        2,
        fund::record_loan(s, &loan, "a-loan", today),
    )
    .await;
    let second = fund::LoanInput {
        contract: "02/2021/HĐTD".into(),
        ..loan.clone()
    };
    r.check(
        "record_loan",
        "a-loan2",
        1,
        fund::record_loan(s, &second, "a-loan2", today),
    )
    .await;
    let tx = |kind: &str, date: &str| fund::LoanTxInput {
        kind: kind.into(),
        date: date.into(),
        amount: "1.000.000.000".into(),
        ..Default::default()
    };
    r.check(
        "record_loan_tx",
        "a-tx",
        1,
        fund::record_loan_tx(
            s,
            "01/2021/HĐTD",
            &tx("disbursement", "15/01/2021"),
            "a-tx",
            today,
        ),
    )
    .await;

    // The Alliance's work.
    let activity = alliance::ActivityInput {
        kind: "training".into(),
        title: "Lớp bồi dưỡng cán bộ HTX".into(),
        date: "10/03/2022".into(),
        quantity: "1".into(),
        attendees: "50".into(),
        organisations: "B1".into(),
        ..Default::default()
    };
    r.check(
        "add_activity",
        "a-activity",
        1,
        alliance::add_activity(s, &activity, &access(), "a-activity"),
    )
    .await;
    let join = alliance::MembershipInput {
        change: "joined".into(),
        code: "B1".into(),
        name: "HTX Vũ Ninh".into(),
        date: "01/04/2022".into(),
        category: "official".into(),
        ..Default::default()
    };
    // A first joining creates the member: two records, two entries.
    r.check(
        "change_membership (new member)",
        "a-member",
        2,
        alliance::change_membership(s, &join, "a-member"),
    )
    .await;
    let seat = governance::SeatInput {
        committee: "executive".into(),
        person: "Nguyễn Văn A".into(),
        position: "Ủy viên".into(),
        term: "2020-2025".into(),
        from: "01/07/2020".into(),
        ..Default::default()
    };
    r.check(
        "appoint",
        "a-seat",
        1,
        governance::appoint(s, &seat, "a-seat"),
    )
    .await;
    let seat_id = s.seats().await.unwrap()[0].id;
    let end = governance::SeatEndInput {
        seat: seat_id.to_string(),
        to: "30/06/2022".into(),
    };
    r.check(
        "end_seat",
        "a-end",
        1,
        governance::end_seat(s, &end, "a-end"),
    )
    .await;
    let inspection = governance::InspectionInput {
        code: "B1".into(),
        kind: "inspection".into(),
        status: "done".into(),
        date: "15/05/2022".into(),
        subject: "Việc chấp hành Luật Hợp tác xã".into(),
        ..Default::default()
    };
    r.check(
        "add_inspection",
        "a-inspection",
        1,
        governance::add_inspection(s, &inspection, "a-inspection"),
    )
    .await;
    let complaint = governance::ComplaintInput {
        received: "01/05/2022".into(),
        complainant: "Thành viên HTX".into(),
        code: "B1".into(),
        subject: "Chia lãi".into(),
        ..Default::default()
    };
    r.check(
        "add_complaint",
        "a-complaint",
        1,
        governance::add_complaint(s, &complaint, "a-complaint"),
    )
    .await;
    let programme = programmes::ProgrammeInput {
        code: "167".into(),
        name: "Đề án 167".into(),
        decision: "167/QĐ-TTg".into(),
    };
    r.check(
        "set_programme",
        "a-programme",
        1,
        programmes::set_programme(s, &programme, "a-programme"),
    )
    .await;
    let stage = programmes::StageInput {
        programme: "167".into(),
        org: "B1".into(),
        stage: "nominated".into(),
        date: "01/06/2022".into(),
        ..Default::default()
    };
    r.check(
        "record_stage",
        "a-stage",
        1,
        programmes::record_stage(s, &stage, "a-stage"),
    )
    .await;
    let support = programmes::SupportInput {
        org: "B1".into(),
        programme: "167".into(),
        category: "training".into(),
        amount: "10.000.000".into(),
        date: "01/06/2022".into(),
        ..Default::default()
    };
    r.check(
        "add_support",
        "a-support",
        1,
        programmes::add_support(s, &support, "a-support"),
    )
    .await;
    let plan = plans::PlanInput {
        period: "2022".into(),
        title: "Kế hoạch năm 2022".into(),
        reference: "12/KH-LMHTX".into(),
        targets: vec![plans::PlanTargetInput {
            indicator: "new_htx".into(),
            value: "30".into(),
        }],
    };
    r.check("set_plan", "a-plan", 1, plans::set_plan(s, &plan, "a-plan"))
        .await;

    // The yearly evaluation: one entry per version.
    let evaluation = evaluations::EvaluationInput {
        code: "B1".into(),
        year: "2021".into(),
        total: "82,5".into(),
        grade: "Tốt".into(),
        ..Default::default()
    };
    r.check(
        "evaluate",
        "a-evaluation",
        1,
        evaluations::evaluate(s, &evaluation, "a-evaluation"),
    )
    .await;

    // The import: one entry per record it writes (here one year's figures).
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("so-lieu-nam.csv");
    std::fs::write(
        &file,
        "Mã số đăng ký,Năm,Số thành viên chính thức\nB1,2021,25\n",
    )
    .unwrap();
    r.check(
        "import (yearly figures)",
        "a-import",
        1,
        htx::import::import_file(s, &file, "a-import", today, false),
    )
    .await;

    // Accounts, settings, the sector list and issued reports.
    let user = htx::store::accounts::NewUser {
        username: "canbo2".into(),
        display_name: "Cán bộ 2".into(),
        password: "mật khẩu đủ dài".into(),
        role: Role::Staff,
        area: String::new(),
        lang: "vi".into(),
    };
    r.check("create_user", "a-user", 1, s.create_user(&user, "a-user"))
        .await;
    let created = s.user_by_username("canbo2").await.unwrap().unwrap();
    r.check(
        "set_password",
        "a-password",
        1,
        s.set_password(created.id, "mật khẩu mới đủ dài", "a-password"),
    )
    .await;
    r.check(
        "create_api_token",
        "a-token",
        1,
        s.create_api_token(created.id, "tích hợp", "a-token"),
    )
    .await;
    let deployment = s.deployment().await.unwrap();
    r.check(
        "set_deployment",
        "a-settings",
        1,
        s.set_deployment(&deployment, "a-settings"),
    )
    .await;
    let sector = htx::domain::sector::Sector {
        code: "craft_x".into(),
        ..s.taxonomy().await.unwrap().all()[0].clone()
    };
    r.check(
        "add_sector",
        "a-sector",
        1,
        s.add_sector(&sector, "a-sector"),
    )
    .await;
    let group = htx::domain::sector::ReportingGroup {
        code: "cong_thuong".into(),
        name_vi: "công thương".into(),
        name_en: "industry and trade".into(),
        fields: vec!["industry_handicraft".into(), "trade".into()],
    };
    r.check(
        "save_reporting_group",
        "a-group",
        1,
        s.save_reporting_group(&group, "a-group"),
    )
    .await;
    r.check(
        "remove_reporting_group",
        "a-ungroup",
        1,
        s.remove_reporting_group("cong_thuong", "a-ungroup"),
    )
    .await;
    let issued = htx::store::issued::IssuedReport {
        number: "125/BC-LMHTX".into(),
        period: "2022-H1".into(),
        area: None,
        issued_on: "2022-07-08".into(),
        issued_at: htx::domain::now_iso(),
        author: "a-issue".into(),
        figures: "{}".into(),
        markdown: String::new(),
        docx: Vec::new(),
        xlsx: Vec::new(),
    };
    let (start, end) = (
        crate::support::d("2022-01-01"),
        crate::support::d("2022-06-30"),
    );
    r.check(
        "issue_report",
        "a-issue",
        1,
        s.issue_report(&issued, start, end),
    )
    .await;

    assert!(r.failures.is_empty(), "{}", r.failures.join("\n"));
    let exempt: BTreeSet<&str> = NOT_RECORDS.iter().map(|(t, _)| *t).collect();
    let unaudited: Vec<&String> = tables
        .iter()
        .filter(|t| !exempt.contains(t.as_str()) && !r.written.contains(*t))
        .collect();
    assert!(
        unaudited.is_empty(),
        "tables no audited write above covers: {unaudited:?}"
    );
}
