//! Plans with targets: achievement is read from the report's own figures.

use crate::support::TestDb;
use htx::domain::period::Period;
use htx::domain::plans::Indicator;
use htx::report::figures::{ReportRequest, build};

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
async fn the_demo_half_year_reaches_86_7_percent_of_its_new_htx_target() {
    let db = TestDb::demo().await;
    let f = build(&db.store, &request("2022-H1")).await.unwrap();
    let half = f
        .plans
        .iter()
        .find(|a| a.indicator == Indicator::NewHtx && a.plan_period == "2022-H1")
        .unwrap();
    assert_eq!(
        (half.target, half.actual, half.achievement_pct),
        (15, Some(13), Some(86.7))
    );
    assert_eq!(
        half.actual,
        Some(f.registry.htx.founded.count),
        "the same number the report prints"
    );
    let year = f
        .plans
        .iter()
        .find(|a| a.indicator == Indicator::FundDisbursed && a.plan_period == "2022")
        .unwrap();
    assert_eq!(year.actual, Some(f.fund.as_ref().unwrap().disbursed.amount));
    let md = htx::report::markdown::render(&f, None).unwrap();
    assert!(
        md.contains("Số HTX thành lập mới đạt 86,7% so với kế hoạch 6 tháng đầu năm (15 HTX)"),
        "{md}"
    );
}

#[tokio::test]
async fn a_report_without_a_plan_has_no_plan_section() {
    let db = TestDb::demo().await;
    let f = build(&db.store, &request("2023-H1")).await.unwrap();
    assert!(f.plans.is_empty());
    assert!(
        !htx::report::markdown::render(&f, None)
            .unwrap()
            .contains("III. KẾT QUẢ")
    );
}

#[tokio::test]
async fn the_plan_command_refuses_an_unknown_indicator_and_records_a_good_plan() {
    let db = TestDb::demo().await;
    db.store.close().await;
    let htx = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_htx"))
            .args(args)
            .env("HTX_DATABASE_URL", &db.url)
            .output()
            .unwrap()
    };
    let bad = htx(&[
        "plan",
        "set",
        "--period",
        "2023",
        "--target",
        "new_unicorns=3",
    ]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("new_unicorns"));
    let good = htx(&[
        "plan",
        "set",
        "--period",
        "2023",
        "--target",
        "new_htx=20",
        "--target",
        "new_tht=5",
    ]);
    assert!(
        good.status.success(),
        "{}",
        String::from_utf8_lossy(&good.stderr)
    );
    let show = htx(&["plan", "show", "--period", "2023"]);
    let out = String::from_utf8_lossy(&show.stdout);
    assert!(
        out.contains("HTX thành lập mới") && out.contains("20 HTX"),
        "{out}"
    );
}
