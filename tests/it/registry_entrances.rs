//! One rule, one refusal, for registrations: the import's Tổ chức sheet, `htx org add`, the
//! registration form and `POST /api/v1/orgs` read the kind, the founding date, the commune and
//! the sector with the same readers (`app::registry::read`), so a bad value is refused with the
//! same words wherever it is typed, and every problem of the input is told at once.

use crate::support::TestDb;
use crate::web_harness::Web;
use axum::http::StatusCode;
use htx::import::import_file;
use htx::web::config::ServeConfig;

const KIND: &str = "\"HTXX\" không phải THT, HTX, LHHTX hoặc QTDND";
const COMMUNE: &str = "không có xã, phường \"99999\" vào ngày 15/03/2022 (trước 01/07/2025 dùng xã cũ thuộc huyện, từ 01/07/2025 dùng xã, phường mới); nếu xã đã sáp nhập và không còn trong danh mục, ghi tên huyện (ví dụ \"Huyện Sóc Sơn\")";
const SECTOR: &str = "lĩnh vực \"nghề lạ\" không có trong danh mục";

fn future() -> String {
    let tomorrow = htx::domain::today().next_day().unwrap();
    htx::domain::text::date(tomorrow)
}

fn future_reason() -> String {
    format!(
        "ngày {} ở tương lai (hôm nay là {})",
        future(),
        htx::domain::text::date(htx::domain::today())
    )
}

#[tokio::test]
async fn a_bad_kind_commune_sector_or_future_date_is_refused_alike_everywhere() {
    // Import: each problem under its column.
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("to-chuc.csv");
    std::fs::write(
        &path,
        format!(
            "Mã số đăng ký,Loại hình,Tên tổ chức,Ngày thành lập,Mã xã,Lĩnh vực\n\
             2799900101,HTXX,HTX Một,15/03/2022,99999,nghề lạ\n\
             2799900102,HTX,HTX Hai,{},09454,trade\n",
            future()
        ),
    )
    .unwrap();
    let report = import_file(&db.store, &path, "t", htx::domain::today(), false)
        .await
        .unwrap();
    assert!(report.written.is_none());
    let reasons: Vec<(String, String)> = report
        .errors()
        .iter()
        .map(|e| (e.column.clone(), e.reason.clone()))
        .collect();
    let pair = |c: &str, r: &str| (c.to_string(), r.to_string());
    assert_eq!(
        reasons,
        [
            pair("Loại hình", KIND),
            pair("Mã xã", COMMUNE),
            pair("Lĩnh vực", SECTOR),
            pair("Ngày thành lập", &future_reason()),
        ]
    );

    // Command line: every problem, in the same words.
    let db = TestDb::new().await;
    db.store.close().await;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_htx"))
        .args([
            "org",
            "add",
            "--kind",
            "HTXX",
            "--code",
            "2799900101",
            "--name",
            "HTX Một",
            "--date",
            "15/03/2022",
            "--commune",
            "99999",
            "--sector",
            "nghề lạ",
        ])
        .env("HTX_DATABASE_URL", &db.url)
        .env("HTX_LOG", "error")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    for expected in [
        format!("kind: {KIND}"),
        format!("commune: {COMMUNE}"),
        format!("sector: {SECTOR}"),
    ] {
        assert!(said.contains(&expected), "{said}");
    }

    // Web form and API: each problem at its field.
    let web = Web::with(TestDb::new().await, ServeConfig::default()).await;
    let s = web.login("canbo").await;
    let form = [
        ("kind", "HTXX"),
        ("code", "2799900101"),
        ("name", "HTX Một"),
        ("date", "15/03/2022"),
        ("commune", "99999"),
        ("sector", "nghề lạ"),
    ];
    let page = web.submit("/orgs", &s, &form).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    for reason in [KIND, COMMUNE, SECTOR] {
        let shown = reason.replace('"', "&#34;");
        assert!(page.body.contains(&shown), "{reason}: {}", page.body);
    }
    let token = web.token("canbo", "api").await;
    let body: serde_json::Map<String, serde_json::Value> = form
        .iter()
        .map(|(k, v)| (k.to_string(), serde_json::Value::from(*v)))
        .collect();
    let problems = web
        .api_problems(&token, "/orgs", serde_json::Value::from(body))
        .await;
    assert_eq!(
        problems,
        [
            pair("kind", KIND),
            pair("sector", SECTOR),
            pair("commune", COMMUNE)
        ]
    );
    let dated = web
        .submit(
            "/orgs",
            &s,
            &[
                ("kind", "HTX"),
                ("code", "2799900102"),
                ("name", "HTX Hai"),
                ("date", &future()),
                ("commune", "09454"),
                ("sector", "trade"),
            ],
        )
        .await;
    assert_eq!(dated.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(dated.body.contains(&future_reason()), "{}", dated.body);
}

#[tokio::test]
async fn the_law_defaults_to_the_one_in_force_on_the_founding_date() {
    let web = Web::with(TestDb::new().await, ServeConfig::default()).await;
    let s = web.login("canbo").await;
    for (code, date, commune, law) in [
        ("2799900201", "15/03/2022", "09454", 2012),
        ("2799900202", "15/08/2024", "09454", 2023),
    ] {
        let r = web
            .submit(
                "/orgs",
                &s,
                &[
                    ("kind", "HTX"),
                    ("code", code),
                    ("name", "HTX Luật"),
                    ("date", date),
                    ("commune", commune),
                    ("sector", "trade"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let org = web.db.store.org_by_code(code).await.unwrap().unwrap();
        let events = web.db.store.org_events(org.id).await.unwrap();
        let attributes = events[0].event.payload.attributes.as_ref().unwrap();
        assert_eq!(attributes.law, law, "{date}");
    }
}

/// A file imported when a blank Luật meant 2012 is the same file when it comes again, now
/// that a blank means the law in force on the founding date.
#[tokio::test]
async fn a_blank_law_on_a_second_import_means_the_law_recorded() {
    let db = TestDb::new().await;
    htx::app::registry::register(
        &db.store,
        &htx::app::registry::RegisterInput {
            kind: "HTX".into(),
            code: "2799900301".into(),
            name: "HTX Sau luật".into(),
            date: "15/08/2024".into(),
            commune: "09454".into(),
            sector: "trade".into(),
            law: Some(2012),
            ..Default::default()
        },
        "t",
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("to-chuc.csv");
    std::fs::write(
        &path,
        "Mã số đăng ký,Loại hình,Tên tổ chức,Ngày thành lập,Mã xã,Lĩnh vực\n\
         2799900301,HTX,HTX Sau luật,15/08/2024,09454,trade\n",
    )
    .unwrap();
    let report = import_file(&db.store, &path, "t", htx::domain::today(), false)
        .await
        .unwrap();
    assert!(report.errors().is_empty(), "{:?}", report.errors());
    assert_eq!(report.unchanged(), 1);
}
