//! One rule, one refusal: the import, the command line, the web form and the JSON API refuse
//! the same bad value of the Alliance's records with the same words, because they all fill
//! the same input and call the same check (`htx::app`).

use crate::support::{TestDb, d};
use crate::web_harness::Web;
use axum::http::StatusCode;
use htx::import::import_file;
use htx::web::config::ServeConfig;

/// The reasons an import gives, each with its column.
async fn import_reasons(file: &str, csv: &str) -> Vec<(String, String)> {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(file);
    std::fs::write(&path, csv).unwrap();
    let report = import_file(&db.store, &path, "an", d("2026-01-01"), false)
        .await
        .unwrap();
    assert!(report.written.is_none(), "nothing is written");
    report
        .errors()
        .iter()
        .map(|e| (e.column.clone(), e.reason.clone()))
        .collect()
}

/// What the command line says on its error stream, and whether it failed.
async fn cli_says(args: &[&str]) -> String {
    let db = TestDb::new().await;
    db.store.close().await;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_htx"))
        .args(args)
        .env("HTX_DATABASE_URL", &db.url)
        .env("HTX_LOG", "error")
        .output()
        .unwrap();
    assert!(!out.status.success(), "{args:?} is refused");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn pair(field: &str, reason: &str) -> (String, String) {
    (field.to_string(), reason.to_string())
}

const QUANTITY: &str = "số lượng phải từ 1";
const END: &str = "ngày kết thúc trước ngày bắt đầu";

#[tokio::test]
async fn an_activity_of_quantity_zero_or_ending_before_it_starts_is_refused_alike_everywhere() {
    // Import: both problems of the row, each under its column.
    let reasons = import_reasons(
        "hoat-dong.csv",
        "Loại hoạt động,Nội dung,Ngày,Ngày kết thúc,Số lượng\n\
         bài báo,Bài về HTX kiểu mới,10/03/2022,05/03/2022,0\n",
    )
    .await;
    assert_eq!(
        reasons,
        [pair("Ngày kết thúc", END), pair("Số lượng", QUANTITY)]
    );

    // Command line: the same words; the quantity is no longer raised to 1 silently.
    let said = cli_says(&[
        "activity",
        "add",
        "--kind",
        "media_article",
        "--title",
        "Bài",
        "--date",
        "10/03/2022",
        "--end",
        "05/03/2022",
        "--quantity",
        "0",
    ])
    .await;
    assert!(said.contains(&format!("end: {END}")), "{said}");
    assert!(said.contains(&format!("quantity: {QUANTITY}")), "{said}");

    // Web form and API.
    let web = Web::with(TestDb::new().await, ServeConfig::default()).await;
    let s = web.login("canbo").await;
    let page = web
        .submit(
            "/alliance/activities",
            &s,
            &[
                ("period", "2022-H1"),
                ("kind", "media_article"),
                ("title", "Bài"),
                ("date", "10/03/2022"),
                ("end", "05/03/2022"),
                ("quantity", "0"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains(END), "the page names the end date");
    assert!(page.body.contains(QUANTITY), "the page names the quantity");

    let token = web.token("canbo", "test").await;
    let problems = web
        .api_problems(
            &token,
            "/alliance/activities",
            serde_json::json!({
                "kind": "media_article", "title": "Bài", "date": "2022-03-10",
                "end": "2022-03-05", "quantity": 0
            }),
        )
        .await;
    assert_eq!(problems, [pair("end", END), pair("quantity", QUANTITY)]);
    let written = web
        .db
        .store
        .activities(d("2022-01-01"), d("2022-12-31"))
        .await
        .unwrap();
    assert!(written.is_empty(), "nothing was written");
}

#[tokio::test]
async fn an_unknown_committee_or_inspection_value_is_refused_alike_everywhere() {
    let committee = "\"Ban X\" phải là Ban Chấp hành, Ban Thường vụ hoặc Ủy ban Kiểm tra";
    let reasons = import_reasons(
        "nhan-su.csv",
        "Ban,Họ và tên,Chức vụ,Nhiệm kỳ,Từ ngày,Đến ngày\n\
         Ban X,Nguyễn Văn An,Chủ tịch,2020-2025,15/06/2020,\n",
    )
    .await;
    assert_eq!(reasons, [pair("Ban", committee)]);

    let said = cli_says(&[
        "committee",
        "appoint",
        "--committee",
        "Ban X",
        "--person",
        "Nguyễn Văn An",
        "--date",
        "15/06/2020",
    ])
    .await;
    assert!(said.contains(&format!("committee: {committee}")), "{said}");

    let web = Web::with(TestDb::new().await, ServeConfig::default()).await;
    let s = web.login("canbo").await;
    let page = web
        .submit(
            "/alliance/committee-seats",
            &s,
            &[
                ("period", "2022-H1"),
                ("committee", "Ban X"),
                ("person", "Nguyễn Văn An"),
                ("position", "Chủ tịch"),
                ("from", "15/06/2020"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body
            .contains("phải là Ban Chấp hành, Ban Thường vụ hoặc Ủy ban Kiểm tra"),
        "the page names the committee"
    );
    let token = web.token("canbo", "test").await;
    let problems = web
        .api_problems(
            &token,
            "/alliance/committee-seats",
            serde_json::json!({
                "committee": "Ban X", "person": "Nguyễn Văn An", "position": "Chủ tịch",
                "from": "15/06/2020"
            }),
        )
        .await;
    assert_eq!(problems, [pair("committee", committee)]);

    // An inspection's kind and status: the import and the command line read the same kinds.
    let kind = "\"thanh tra\" phải là kiểm tra hoặc giám sát";
    let reasons = import_reasons(
        "kiem-tra.csv",
        "Mã số đăng ký,Kiểm tra / giám sát,Ngày,Nội dung\n,thanh tra,10/04/2022,Việc thực hiện Luật\n",
    )
    .await;
    assert_eq!(reasons, [pair("Kiểm tra / giám sát", kind)]);
    let said = cli_says(&[
        "inspection",
        "add",
        "--kind",
        "thanh tra",
        "--status",
        "xong",
        "--date",
        "10/04/2022",
        "--subject",
        "Việc thực hiện Luật",
    ])
    .await;
    let status = "\"xong\" phải là dự kiến hoặc đã thực hiện";
    assert!(said.contains(&format!("kind: {kind}")), "{said}");
    assert!(said.contains(&format!("status: {status}")), "{said}");
    let problems = web
        .api_problems(
            &token,
            "/alliance/inspections",
            serde_json::json!({
                "kind": "thanh tra", "status": "xong", "date": "2022-04-10",
                "subject": "Việc thực hiện Luật"
            }),
        )
        .await;
    assert_eq!(problems, [pair("kind", kind), pair("status", status)]);
    let page = web
        .submit(
            "/alliance/inspections",
            &s,
            &[
                ("period", "2022-H1"),
                ("kind", "thanh tra"),
                ("status", "xong"),
                ("date", "10/04/2022"),
                ("subject", "Việc thực hiện Luật"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("phải là kiểm tra hoặc giám sát"));
    assert!(page.body.contains("phải là dự kiến hoặc đã thực hiện"));
    assert!(
        web.db.store.seats().await.unwrap().is_empty(),
        "nothing written"
    );
}

#[tokio::test]
async fn a_plan_target_that_is_not_a_number_is_refused_alike_everywhere() {
    let value = "\"mười lăm\" không phải số nguyên không âm";
    let reasons = import_reasons(
        "chi-tieu.csv",
        "Kỳ kế hoạch,Chỉ tiêu,Giá trị\n2022,new_htx,mười lăm\n",
    )
    .await;
    assert_eq!(reasons, [pair("Giá trị", value)]);

    let said = cli_says(&[
        "plan",
        "set",
        "--period",
        "2022",
        "--target",
        "new_htx=mười lăm",
    ])
    .await;
    assert!(said.contains(&format!("value: {value}")), "{said}");

    let web = Web::with(TestDb::new().await, ServeConfig::default()).await;
    let token = web.token("canbo", "test").await;
    let problems = web
        .api_problems(
            &token,
            "/alliance/plans",
            serde_json::json!({
                "period": "2022",
                "targets": [{"indicator": "new_htx", "value": "mười lăm"}]
            }),
        )
        .await;
    assert_eq!(problems, [pair("value", value)]);
    assert!(web.db.store.plan("2022").await.unwrap().is_none());
}

#[tokio::test]
async fn an_activity_outside_the_users_area_or_the_geography_is_refused() {
    use htx::app::Planned;
    use htx::app::alliance::{ActivityInput, check_activity};
    use htx::domain::access::{Access, Role};
    let db = TestDb::new().await;
    let input = |area: &str| ActivityInput {
        kind: "training".into(),
        title: "Tập huấn".into(),
        date: "10/03/2022".into(),
        area: area.into(),
        ..ActivityInput::default()
    };
    let staff = Access {
        role: Role::Staff,
        area: None,
    };
    let officer = Access {
        role: Role::AreaOfficer,
        area: Some("old-263".into()),
    };
    let today = d("2026-01-01");
    let a = check_activity(
        &db.store,
        &Planned::none(),
        &input("old-256"),
        &staff,
        today,
    )
    .await
    .unwrap();
    assert_eq!((a.area.as_str(), a.quantity), ("old-256", 1));
    let e = check_activity(
        &db.store,
        &Planned::none(),
        &input("old-256"),
        &officer,
        today,
    )
    .await
    .unwrap_err();
    assert_eq!(e.field(), Some("area"));
    assert!(
        check_activity(
            &db.store,
            &Planned::none(),
            &input("old-263"),
            &officer,
            today
        )
        .await
        .is_ok()
    );
    let e = check_activity(&db.store, &Planned::none(), &input("99999"), &staff, today)
        .await
        .unwrap_err();
    assert_eq!(
        e.problems()[0].reason,
        "không có đơn vị hành chính mã \"99999\" vào ngày 10/03/2022"
    );
}

#[tokio::test]
async fn a_new_member_is_created_and_audited_with_its_first_membership() {
    use htx::app::Planned;
    use htx::app::alliance::{MembershipInput, change_membership, check_membership};
    let db = TestDb::new().await;
    let input = MembershipInput {
        change: "kết nạp".into(),
        name: "Công ty TNHH Nông sản Kinh Bắc".into(),
        date: "01/03/2022".into(),
        category: "liên kết".into(),
        ..MembershipInput::default()
    };
    change_membership(&db.store, &input, "an").await.unwrap();
    let member = db
        .store
        .member_id(None, "Công ty TNHH Nông sản Kinh Bắc")
        .await
        .unwrap()
        .expect("created");
    let audit = db
        .store
        .audit_entries(Some(("member", &member.to_string())), 10)
        .await
        .unwrap();
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["joined", "create"], "newest first");
    // Joining again is refused by the history, with every problem of the input.
    let again = MembershipInput {
        category: "danh dự".into(),
        ..input
    };
    let e = check_membership(&db.store, &Planned::none(), &again, &[])
        .await
        .unwrap_err();
    let fields: Vec<&str> = e.problems().iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["category"]);
    let e = check_membership(
        &db.store,
        &Planned::none(),
        &MembershipInput {
            category: String::new(),
            ..again
        },
        &[],
    )
    .await
    .unwrap_err();
    assert_eq!(
        e.problems()[0].reason,
        "đã là thành viên vào ngày 01/03/2022"
    );
}
