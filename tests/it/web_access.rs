//! The area rule end to end: for every role and every route that reads by area, each way of
//! asking (no area, the officer's own district, each of its communes, a sibling district,
//! the province, another province, a code that does not exist) returns exactly the
//! organisations that role may see there, counted straight from the database; what the user
//! may not see answers like what does not exist (404); issued reports and fund figures follow
//! the same rules; writes reach an organisation only while it lies in the officer's area.

use crate::support::TestDb;
use crate::web_harness::*;
use axum::http::StatusCode;
use htx::domain::geo::geo;
use htx::store::accounts::NewUser;
use serde_json::Value;
use std::collections::BTreeSet;

/// The date every list and report of this test refers to.
const ON: &str = "2022-06-30";
const OFFICER_AREA: &str = "old-263";
const SIBLING: &str = "old-256";
const PROVINCE: &str = "old-27";
const OTHER_PROVINCE: &str = "old-01";

/// Demo accounts: (username, the area the role is limited to).
const USERS: [(&str, Option<&str>); 5] = [
    ("quantri", None),
    ("canbo", None),
    ("quy", None),
    ("giabinh", Some(OFFICER_AREA)),
    ("lanhdao", None),
];

/// The ways of asking for an area that every route is tried with.
fn asked_areas() -> Vec<Option<String>> {
    let mut asked = vec![
        None,
        Some(OFFICER_AREA.to_string()),
        Some(SIBLING.to_string()),
        Some(PROVINCE.to_string()),
        Some(OTHER_PROVINCE.to_string()),
        Some("old-99999".to_string()),
    ];
    asked.extend(
        geo()
            .communes_within(OFFICER_AREA)
            .into_iter()
            .map(|c| Some(c.id.clone())),
    );
    asked
}

/// What a user limited to `mine` may read when asking for `asked`, stated directly from the
/// tree of units (the demo's data are all of the old era): `Err(())` = nothing (404),
/// `Ok(None)` = everything, `Ok(Some(area))` = that area.
fn expected_area(mine: Option<&str>, asked: Option<&str>) -> Result<Option<String>, ()> {
    let g = geo();
    if asked.is_some_and(|a| g.unit(a).is_none()) {
        return Err(());
    }
    match (mine, asked) {
        (None, asked) => Ok(asked.map(String::from)),
        (Some(m), None) => Ok(Some(m.to_string())),
        (Some(m), Some(a)) if g.is_within(a, m) => Ok(Some(a.to_string())),
        (Some(m), Some(a)) if g.is_within(m, a) => Ok(Some(m.to_string())),
        _ => Err(()),
    }
}

/// Registration codes of the organisations counted on `ON` whose commune lies in `area`
/// (None = all), read with plain SQL.
async fn counted_in(db: &TestDb, area: Option<&str>) -> BTreeSet<String> {
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&db.url)
        .await
        .unwrap();
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT o.reg_code, i.commune FROM organisation o
         JOIN org_interval i ON i.org_id = o.id
         WHERE i.valid_from <= $1 AND i.valid_to > $1 AND i.counted = 1",
    )
    .bind(ON)
    .fetch_all(&mut conn)
    .await
    .unwrap();
    rows.into_iter()
        .filter(|(_, commune)| area.is_none_or(|a| geo().is_within(commune, a)))
        .map(|(code, _)| code)
        .collect()
}

fn with_area(path: &str, asked: &Option<String>) -> String {
    match asked {
        Some(a) => format!("{path}&area={a}"),
        None => path.to_string(),
    }
}

/// Every registration code of an API list, page by page.
async fn api_codes(
    web: &Web,
    s: &Session,
    asked: &Option<String>,
) -> (StatusCode, BTreeSet<String>) {
    let mut codes = BTreeSet::new();
    let mut offset = 0;
    loop {
        let path = with_area(
            &format!("/api/v1/orgs?on={ON}&limit=500&offset={offset}"),
            asked,
        );
        let r = web.get(&path, Some(s)).await;
        if r.status != StatusCode::OK {
            return (r.status, codes);
        }
        let json: Value = serde_json::from_str(&r.body).unwrap();
        let items = json["items"].as_array().unwrap();
        codes.extend(
            items
                .iter()
                .map(|o| o["reg_code"].as_str().unwrap().to_string()),
        );
        if items.len() < 500 {
            return (r.status, codes);
        }
        offset += 500;
    }
}

/// Registration codes shown on one page of the HTML list, and the count it states.
fn page_codes(html: &str) -> Vec<String> {
    html.split("href=\"/orgs/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        // Not the pages of the list itself: the new-organisation form and the exports.
        .filter(|code| !code.contains('/') && *code != "new" && !code.starts_with("export?"))
        .map(String::from)
        .collect()
}

/// The organisations a report's figures count at the end of its period.
fn report_total(json: &Value) -> i64 {
    let r = &json["registry"];
    ["tht", "htx", "lhhtx"]
        .iter()
        .map(|k| r[k]["total"]["end"].as_i64().unwrap())
        .sum()
}

#[tokio::test]
async fn every_role_reads_exactly_its_area_whatever_area_it_asks_for() {
    let web = Web::demo().await;
    let mut failures = Vec::new();
    for (username, mine) in USERS {
        let s = web.login(username).await;
        for asked in asked_areas() {
            let label = format!("{username} area={asked:?}");
            let expected = match expected_area(mine, asked.as_deref()) {
                Ok(area) => Some(counted_in(&web.db, area.as_deref()).await),
                Err(()) => None,
            };
            // The JSON list, every page of it.
            let (status, codes) = api_codes(&web, &s, &asked).await;
            match &expected {
                Some(want) if status == StatusCode::OK && &codes == want => {}
                None if status == StatusCode::NOT_FOUND => {}
                _ => failures.push(format!(
                    "{label} /api/v1/orgs: {status}, {} rows, expected {:?} rows",
                    codes.len(),
                    expected.as_ref().map(BTreeSet::len)
                )),
            }
            // The page list: its first page holds only visible organisations, and a search
            // that matches everything does too.
            for list in [
                format!("/orgs?on={}", "30/06/2022"),
                format!("/orgs?on={}&q=hop+tac", "30/06/2022"),
            ] {
                let r = web.get(&with_area(&list, &asked), Some(&s)).await;
                match &expected {
                    Some(want) if r.status == StatusCode::OK => {
                        let shown = page_codes(&r.body);
                        if shown.iter().any(|c| !want.contains(c))
                            || (shown.is_empty() && !want.is_empty() && !list.contains("q="))
                        {
                            failures.push(format!("{label} {list}: shows {shown:?}"));
                        }
                    }
                    None if r.status == StatusCode::NOT_FOUND => {}
                    _ => failures.push(format!("{label} {list}: {}", r.status)),
                }
            }
            // The report's figures, from the page's download and from the API.
            for report in [
                "/reports/download?period=2022-H1&format=json".to_string(),
                "/api/v1/reports/2022-H1?x=1".to_string(),
            ] {
                let r = web.get(&with_area(&report, &asked), Some(&s)).await;
                match &expected {
                    Some(want) if r.status == StatusCode::OK => {
                        let json: Value = serde_json::from_str(&r.body).unwrap();
                        if report_total(&json) != want.len() as i64 {
                            failures.push(format!(
                                "{label} {report}: counts {}, expected {}",
                                report_total(&json),
                                want.len()
                            ));
                        }
                        let fund_shown = !json["fund"].is_null();
                        if fund_shown != (username != "giabinh") {
                            failures.push(format!("{label} {report}: fund shown {fund_shown}"));
                        }
                    }
                    None if r.status == StatusCode::NOT_FOUND => {}
                    _ => failures.push(format!("{label} {report}: {}", r.status)),
                }
            }
            // The report preview page.
            let r = web
                .get(&with_area("/reports?period=2022-H1", &asked), Some(&s))
                .await;
            let ok = match &expected {
                Some(_) => r.status == StatusCode::OK,
                None => r.status == StatusCode::NOT_FOUND,
            };
            if !ok {
                failures.push(format!("{label} /reports preview: {}", r.status));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn what_an_officer_may_not_see_answers_like_what_does_not_exist() {
    let web = Web::demo().await;
    let s = web.login("giabinh").await;
    let other = web.org_in(SIBLING).await;
    for (hidden, missing) in [
        (format!("/orgs/{other}"), "/orgs/0000000000".to_string()),
        (
            format!("/orgs/{other}/events"),
            "/orgs/0000000000/events".into(),
        ),
        (
            format!("/api/v1/orgs/{other}"),
            "/api/v1/orgs/0000000000".into(),
        ),
        (
            format!("/orgs?area={SIBLING}"),
            "/orgs?area=old-99999".to_string(),
        ),
        (
            format!("/api/v1/orgs?area={SIBLING}"),
            "/api/v1/orgs?area=old-99999".into(),
        ),
    ] {
        let a = web.get(&hidden, Some(&s)).await;
        let b = web.get(&missing, Some(&s)).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{hidden}");
        assert_eq!(b.status, StatusCode::NOT_FOUND, "{missing}");
    }
    // A write to a hidden organisation is refused the same way, and writes nothing.
    let before = web.db.store.org_by_code(&other).await.unwrap().unwrap();
    let r = web
        .submit(
            &format!("/orgs/{other}/events"),
            &s,
            &[("kind", "dissolved"), ("date", "01/08/2022")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let after = web.db.store.org_by_code(&other).await.unwrap().unwrap();
    assert_eq!(before.version, after.version);
}

#[tokio::test]
async fn an_officer_writes_to_an_organisation_only_while_it_is_in_the_area() {
    let web = Web::demo().await;
    let staff = web.login("canbo").await;
    let officer = web.login("giabinh").await;
    let mine = geo().communes_within(OFFICER_AREA)[0].code.clone();
    let elsewhere = geo().communes_within(SIBLING)[0].code.clone();
    let r = web
        .submit(
            "/orgs",
            &staff,
            &[
                ("kind", "HTX"),
                ("code", "2799900101"),
                ("name", "HTX Chuyển Đi"),
                ("date", "01/02/2022"),
                ("commune", &mine),
                ("sector", "agri_services"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = web
        .submit(
            "/orgs/2799900101/events",
            &staff,
            &[
                ("kind", "changed"),
                ("date", "01/04/2022"),
                ("new_commune", &elsewhere),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // After the move the officer may no longer record anything dated after it.
    let r = web
        .submit(
            "/orgs/2799900101/events",
            &officer,
            &[
                ("kind", "dissolved"),
                ("date", "01/05/2022"),
                ("version", "2"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("không nằm trong địa bàn bạn phụ trách"),
        "{}",
        r.body
    );
    let api = web.get("/api/v1/orgs/2799900101", Some(&officer)).await;
    assert_eq!(
        api.status,
        StatusCode::OK,
        "its history in the area stays readable"
    );
    let json: Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(json["organisation"]["version"], 2, "{json}");
    // The same refusal through the API.
    let r = web
        .send(
            axum::http::Request::post("/api/v1/orgs/2799900101/events")
                .header("cookie", &officer.cookie)
                .header("x-csrf-token", &officer.csrf)
                .header("content-type", "application/json")
                .body(axum::body::Body::from(
                    r#"{"event": {"kind": "dissolved", "date": "2022-05-01"}, "version": 2}"#,
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
}

#[tokio::test]
async fn issued_reports_are_seen_only_within_their_area() {
    let web = Web::demo().await;
    let period = htx::domain::period::Period::parse("2022-H1").unwrap();
    for (number, area) in [
        ("BC-TINH", None),
        ("BC-GB", Some(OFFICER_AREA)),
        ("BC-TP", Some(SIBLING)),
    ] {
        let mut request = htx::report::figures::ReportRequest::of(period.clone());
        request.area = area.map(String::from);
        let figures = htx::report::figures::build(&web.db.store, &request)
            .await
            .unwrap();
        let on = crate::support::d("2022-07-08");
        htx::report::issue(&web.db.store, &figures, None, number, on, "test")
            .await
            .unwrap();
    }
    for (username, visible) in [
        ("giabinh", vec!["BC-GB"]),
        ("canbo", vec!["BC-TINH", "BC-GB", "BC-TP"]),
        ("lanhdao", vec!["BC-TINH", "BC-GB", "BC-TP"]),
    ] {
        let s = web.login(username).await;
        let page = web.get("/reports", Some(&s)).await;
        for number in ["BC-TINH", "BC-GB", "BC-TP"] {
            let listed = page.body.contains(&format!("/reports/issued/{number}"));
            let should = visible.contains(&number);
            assert_eq!(listed, should, "{username} lists {number}");
            for format in ["docx", "xlsx", "json", "md"] {
                let r = web
                    .get(
                        &format!("/reports/issued/{number}?format={format}"),
                        Some(&s),
                    )
                    .await;
                let want = if should {
                    StatusCode::OK
                } else {
                    StatusCode::NOT_FOUND
                };
                assert_eq!(r.status, want, "{username} downloads {number} as {format}");
            }
        }
    }
}

#[tokio::test]
async fn fund_figures_are_shown_only_to_roles_that_read_the_fund() {
    let web = Web::demo().await;
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&web.db.url)
        .await
        .unwrap();
    let (borrower, contract, commune): (String, String, String) = sqlx::query_as(
        "SELECT o.reg_code, l.contract_no, i.commune FROM loan l
         JOIN borrower b ON b.id = l.borrower_id
         JOIN organisation o ON o.id = b.org_id
         JOIN org_interval i ON i.org_id = o.id AND i.valid_from <= $1 AND i.valid_to > $1
         ORDER BY l.id LIMIT 1",
    )
    .bind(ON)
    .fetch_one(&mut conn)
    .await
    .unwrap();
    for (username, sees_fund) in [("quy", true), ("lanhdao", true), ("canbo", true)] {
        let s = web.login(username).await;
        let page = web.get(&format!("/orgs/{borrower}"), Some(&s)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.body.contains(&contract), sees_fund, "{username}");
    }
    // An officer of the borrower's district sees the organisation but not its loans.
    let district = geo()
        .ancestor_at_level(&commune, htx::domain::geo::Level::District)
        .unwrap()
        .id
        .clone();
    web.db
        .store
        .create_user(
            &NewUser {
                username: "diaban".into(),
                display_name: "Cán bộ địa bàn".into(),
                password: PASSWORD.into(),
                role: htx::domain::access::Role::AreaOfficer,
                area: district,
                lang: "vi".into(),
            },
            "test",
        )
        .await
        .unwrap();
    let s = web.login("diaban").await;
    let page = web.get(&format!("/orgs/{borrower}"), Some(&s)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains(&contract), "no contract number");
    let json = web.get("/api/v1/reports/2022-H1", Some(&s)).await;
    let json: Value = serde_json::from_str(&json.body).unwrap();
    assert!(
        json["fund"].is_null(),
        "no fund section in the area's figures"
    );
    let md = web
        .get("/reports/download?period=2022-H1&format=md", Some(&s))
        .await;
    assert!(!md.body.contains("Quỹ hỗ trợ phát triển"), "{}", md.body);
}
