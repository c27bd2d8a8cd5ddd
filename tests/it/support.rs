//! A fresh database per test, on the backend the environment selects.

use htx::store::Store;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A test database; the SQLite file lives in a temporary folder removed on drop.
pub struct TestDb {
    pub url: String,
    pub store: Store,
    _dir: Option<tempfile::TempDir>,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// Whether the suite runs on PostgreSQL.
pub fn postgres_base() -> Option<String> {
    std::env::var("HTX_TEST_POSTGRES")
        .ok()
        .filter(|s| !s.is_empty())
}

impl TestDb {
    /// Creates an empty, migrated database.
    pub async fn new() -> TestDb {
        match postgres_base() {
            Some(base) => {
                let name = format!(
                    "htx_t_{}_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::SeqCst),
                    std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .unwrap()
                        .subsec_nanos()
                );
                sqlx::any::install_default_drivers();
                let mut admin =
                    <sqlx::AnyConnection as sqlx::Connection>::connect(&format!("{base}/postgres"))
                        .await
                        .expect("PostgreSQL reachable at HTX_TEST_POSTGRES");
                sqlx::Executor::execute(
                    &mut admin,
                    sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")),
                )
                .await
                .expect("create test database");
                let url = format!("{base}/{name}");
                let store = Store::open(&url).await.expect("open PostgreSQL store");
                TestDb {
                    url,
                    store,
                    _dir: None,
                }
            }
            None => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}?mode=rwc", dir.path().join("htx.db").display());
                let store = Store::open(&url).await.expect("open SQLite store");
                TestDb {
                    url,
                    store,
                    _dir: Some(dir),
                }
            }
        }
    }

    /// An empty database whose deployment is the Alliance of `area` (a province's unit id).
    pub async fn in_area(area: &str) -> TestDb {
        let db = TestDb::new().await;
        db.store
            .set_deployment(
                &htx::store::settings::Deployment {
                    area: area.into(),
                    ..Default::default()
                },
                "t",
            )
            .await
            .unwrap();
        db
    }

    /// A database holding the Bắc Ninh demo.
    pub async fn demo() -> TestDb {
        let db = TestDb::new().await;
        htx::demo::build(&db.store, "test")
            .await
            .expect("demo builds");
        db
    }
}

/// Parses an ISO date.
pub fn d(s: &str) -> time::Date {
    htx::domain::parse_date(s).unwrap()
}

/// A sheet as an official fills it: whole numbers as number cells, the rest as text.
pub fn sheet(
    book: &mut rust_xlsxwriter::Workbook,
    name: &str,
    headings: &[&str],
    rows: &[&[&str]],
) {
    let ws = book.add_worksheet().set_name(name).unwrap();
    for (c, h) in headings.iter().enumerate() {
        ws.write(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            match cell.parse::<i64>() {
                Ok(n) => ws.write_number(r, c, n as f64).unwrap(),
                Err(_) if cell.is_empty() => ws,
                Err(_) => ws.write(r, c, *cell).unwrap(),
            };
        }
    }
}

/// Runs the htx command line on a database.
pub fn htx(db: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_htx"))
        .args(args)
        .env("HTX_DATABASE_URL", db)
        .env("HTX_LOG", "error")
        .output()
        .expect("htx runs")
}

/// Every column of the Khoản vay sheet, borrower kind and name included.
pub const LOAN_HEADINGS: [&str; 13] = [
    "Số hợp đồng",
    "Mã số đăng ký bên vay",
    "Loại bên vay",
    "Tên bên vay",
    "Số tiền duyệt (đồng)",
    "Lãi suất (%/năm)",
    "Thời hạn (tháng)",
    "Ngày ký hợp đồng",
    "Số quyết định cho vay",
    "Ngày quyết định",
    "Mục đích vay",
    "Tổng mức đầu tư (đồng)",
    "Vốn tự có (đồng)",
];
