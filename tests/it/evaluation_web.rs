//! The score sheet page of the yearly evaluation: it computes on the server without saving,
//! saves a version, shows every problem next to its criterion with the typed values kept,
//! refuses a stale correction, and the organisation's page shows the grade.

use crate::web_harness::{Session, Web};
use axum::http::StatusCode;

const CODE: &str = "2799000777";

/// The maxima of the fifteen criteria: 100 points.
const MAXIMA: [&str; 15] = [
    "7", "6", "11", "6", "8", "6", "6", "6", "4", "10", "10", "5", "5", "5", "5",
];

/// Registers an HTX founded in 2020 through the registration form.
async fn htx_of_2020(web: &Web, s: &Session) {
    let r = web
        .submit(
            "/orgs",
            s,
            &[
                ("kind", "HTX"),
                ("code", CODE),
                ("name", "HTX Dịch vụ Thử nghiệm Đánh giá"),
                ("date", "15/03/2020"),
                ("commune", "09454"),
                ("sector", "trade"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

fn sheet<'a>(year: &'a str, action: &'a str, points: &[&'a str]) -> Vec<(String, &'a str)> {
    let mut form = vec![
        ("year".to_string(), year),
        ("version".to_string(), "0"),
        ("action".to_string(), action),
        ("scored_by".to_string(), "Ban quản trị HTX"),
        ("scored_on".to_string(), "20/01/2025"),
    ];
    for (i, p) in points.iter().enumerate() {
        form.push((format!("c{}", i + 1), p));
    }
    form
}

async fn post_sheet(web: &Web, s: &Session, form: &[(String, &str)]) -> crate::web_harness::Reply {
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    web.submit(&format!("/orgs/{CODE}/evaluations"), s, &form)
        .await
}

#[tokio::test]
async fn a_filled_sheet_is_saved_and_the_grade_shown_on_the_organisation_page() {
    let web = Web::demo().await;
    let s = web.login("canbo").await;
    htx_of_2020(&web, &s).await;
    let page = web
        .get(&format!("/orgs/{CODE}/evaluations?year=2024"), Some(&s))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Phiếu đánh giá, xếp loại năm 2024"));
    assert_eq!(page.body.matches("class=\"points\"").count(), 15);
    assert!(page.body.contains("Nhóm tiêu chí về tài chính"));

    let r = post_sheet(&web, &s, &sheet("2024", "save", &MAXIMA)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location.contains("saved=1"), "{}", r.location);
    let page = web.get(&r.location, Some(&s)).await;
    assert!(
        page.body.contains("Đã lưu đánh giá năm 2024"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Tốt (100 điểm)"));
    let org = web.get(&format!("/orgs/{CODE}"), Some(&s)).await;
    assert!(org.body.contains("Tốt (100 điểm)"), "{}", org.body);
    assert!(org.body.contains(&format!("/orgs/{CODE}/evaluations")));
}

#[tokio::test]
async fn computing_adds_up_on_the_server_and_saves_nothing() {
    let web = Web::demo().await;
    let s = web.login("canbo").await;
    htx_of_2020(&web, &s).await;
    let mut points = MAXIMA;
    points[2] = "4"; // 100 - 11 + 4 = 93
    points[9] = "9,5"; // - 0,5 = 92,5
    let r = post_sheet(&web, &s, &sheet("2024", "compute", &points)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains(">92,5</output>"), "{}", r.body);
    assert!(r.body.contains(">Tốt</output>"));
    assert!(r.body.contains("chưa lưu"));
    let org = web.db.store.org_by_code(CODE).await.unwrap().unwrap();
    assert!(
        web.db
            .store
            .evaluations_of(org.id)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn every_problem_is_shown_next_to_its_criterion_and_the_values_are_kept() {
    let web = Web::demo().await;
    let s = web.login("canbo").await;
    htx_of_2020(&web, &s).await;
    let mut points = MAXIMA;
    points[0] = "7,5";
    points[4] = "";
    points[1] = "5,25";
    let r = post_sheet(&web, &s, &sheet("2024", "save", &points)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let c1 = r
        .body
        .find("id=\"f-c1-error\"")
        .expect("an error next to c1");
    assert!(r.body[c1..].contains("0–7"), "{}", &r.body[c1..c1 + 300]);
    assert!(r.body.contains("id=\"f-c5-error\""));
    assert!(
        r.body.contains("name=\"c2\" value=\"5,25\""),
        "typed values are kept"
    );
    assert!(r.body.contains("value=\"Ban quản trị HTX\""));
    let org = web.db.store.org_by_code(CODE).await.unwrap().unwrap();
    assert!(
        web.db
            .store
            .evaluations_of(org.id)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_correction_is_a_new_version_and_a_stale_one_is_refused() {
    let web = Web::demo().await;
    let s = web.login("canbo").await;
    htx_of_2020(&web, &s).await;
    let r = post_sheet(&web, &s, &sheet("2024", "save", &MAXIMA)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // The sheet reopens with the saved points and the version they are.
    let page = web
        .get(&format!("/orgs/{CODE}/evaluations?year=2024"), Some(&s))
        .await;
    assert!(page.body.contains("name=\"c3\" value=\"11\""));
    assert!(page.body.contains("name=\"version\" value=\"1\""));
    let mut points = MAXIMA;
    points[9] = "0";
    points[10] = "0";
    points[11] = "0";
    points[12] = "0"; // 100 - 30 = 70: Khá
    let mut form = sheet("2024", "save", &points);
    form[1].1 = "1";
    let r = post_sheet(&web, &s, &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location.contains("saved=2"));
    // A second officer still holding version 1 is refused, and nothing is overwritten.
    let r = post_sheet(&web, &s, &form).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("phiên bản 2"), "{}", r.body);
    let org = web.db.store.org_by_code(CODE).await.unwrap().unwrap();
    let versions = web.db.store.evaluations_of(org.id).await.unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].evaluation.total(), Some(7000));
    assert_eq!(versions[1].evaluation.total(), Some(10000));
    let page = web
        .get(&format!("/orgs/{CODE}/evaluations?year=2024"), Some(&s))
        .await;
    assert!(page.body.contains("Khá (70 điểm)"));
    assert!(
        page.body.contains("Tốt (100 điểm)"),
        "the history keeps version 1"
    );
}

#[tokio::test]
async fn grading_a_year_the_organisation_did_not_complete_is_refused() {
    let web = Web::demo().await;
    let s = web.login("canbo").await;
    htx_of_2020(&web, &s).await;
    let r = post_sheet(&web, &s, &sheet("2020", "save", &MAXIMA)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("hoạt động dưới 12 tháng"), "{}", r.body);
    // Recorded as not graded with that reason, it is accepted.
    let form = vec![
        ("year".to_string(), "2020"),
        ("version".to_string(), "0"),
        ("action".to_string(), "save"),
        ("not_graded".to_string(), "short_year"),
    ];
    let r = post_sheet(&web, &s, &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[tokio::test]
async fn readers_see_the_results_but_not_the_sheet() {
    let web = Web::demo().await;
    let staff = web.login("canbo").await;
    htx_of_2020(&web, &staff).await;
    let reader = web.login("lanhdao").await;
    let page = web
        .get(&format!("/orgs/{CODE}/evaluations"), Some(&reader))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("class=\"points\""));
    let r = web
        .submit(
            &format!("/orgs/{CODE}/evaluations"),
            &reader,
            &[("year", "2024"), ("action", "save")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_programme_selection_shows_the_latest_grade_and_warns_when_it_is_not_good() {
    use htx::app::programmes::{ProgrammeInput, StageInput, record_stage, set_programme};
    let web = Web::demo().await;
    let s = web.login("canbo").await;
    htx_of_2020(&web, &s).await;
    let mut points = MAXIMA;
    points[9] = "0";
    points[10] = "0";
    points[11] = "0";
    points[12] = "0"; // 70: Khá
    let r = post_sheet(&web, &s, &sheet("2024", "save", &points)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let store = &web.db.store;
    set_programme(
        store,
        &ProgrammeInput {
            code: "QD167-TEST".into(),
            name: "Mô hình HTX kiểu mới".into(),
            decision: "167/QĐ-TTg".into(),
        },
        "test",
    )
    .await
    .unwrap();
    for stage in ["nominated", "selected"] {
        record_stage(
            store,
            &StageInput {
                programme: "QD167-TEST".into(),
                org: CODE.into(),
                stage: stage.into(),
                date: "10/03/2025".into(),
                note: String::new(),
            },
            "test",
        )
        .await
        .unwrap();
    }
    let page = web
        .get("/alliance?period=2025-H1&part=programmes", Some(&s))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let stages = page.body.find("id=\"stages\"").expect("the stages table");
    assert!(
        page.body[stages..].contains("⚠ Khá (70 điểm) (2024)"),
        "{}",
        &page.body[stages..stages + 2000]
    );
    assert!(page.body.contains("không phải loại Tốt"), "a warning");
    assert!(
        page.body.contains("01 tổ chức được lựa chọn"),
        "{}",
        page.body
    );
}
