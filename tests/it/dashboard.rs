//! The dashboard for any date and area: the figures follow `?on=` and `?area=`, each bar
//! opens the registry list it counts, an area out of reach is refused, and the yearly
//! evaluation's grades are drawn per year.

use crate::web_harness::Web;
use axum::http::StatusCode;
use htx::domain::registry::OrgKind;

/// The number shown after a bar whose label links to `href`.
fn bar_value(body: &str, href: &str) -> i64 {
    let at = body
        .find(&format!("<a href=\"{href}\">"))
        .unwrap_or_else(|| panic!("a bar linking to {href}"));
    let rest = &body[at..];
    let value = rest.find("class=\"bar-value\">").expect("its value") + 18;
    rest[value..value + rest[value..].find('<').unwrap()]
        .replace('.', "")
        .parse()
        .unwrap()
}

#[tokio::test]
async fn the_dashboard_counts_on_the_date_and_area_asked_and_links_each_bar_to_its_list() {
    let web = Web::demo().await;
    let s = web.login("canbo").await;
    let on = htx::domain::parse_date("30/06/2022").unwrap();
    let page = web.get("/?on=30/06/2022", Some(&s)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("value=\"30/06/2022\""));
    let htx_then = web.counted(OrgKind::Htx, on).await;
    let href = "/orgs?on=30%2F06%2F2022&#38;kind=HTX";
    assert_eq!(bar_value(&page.body, href), htx_then);
    // The link opens the list of exactly those organisations.
    let list = web.get("/orgs?on=30%2F06%2F2022&kind=HTX", Some(&s)).await;
    assert!(
        list.body.contains(&htx::domain::text::number(htx_then)),
        "the list counts the same"
    );
    // Sector groups link to the registry filtered by group.
    assert!(
        page.body
            .contains("/orgs?on=30%2F06%2F2022&#38;group=agriculture")
    );
    let group = web
        .get("/orgs?on=30%2F06%2F2022&group=agriculture", Some(&s))
        .await;
    assert_eq!(group.status, StatusCode::OK);
    let agriculture = bar_value(&page.body, "/orgs?on=30%2F06%2F2022&#38;group=agriculture");
    assert!(group.body.contains(&htx::domain::text::number(agriculture)));

    // One district: fewer organisations, and the links keep the area.
    let district = web.get("/?on=30/06/2022&area=old-263", Some(&s)).await;
    assert_eq!(district.status, StatusCode::OK);
    let href = "/orgs?on=30%2F06%2F2022&#38;area=old-263&#38;kind=HTX";
    let in_district = bar_value(&district.body, href);
    assert!(
        0 < in_district && in_district < htx_then,
        "{in_district} of {htx_then}"
    );

    // Today is another date with its own figures.
    let today = web.get("/", Some(&s)).await;
    assert!(today.body.contains(&format!(
        "value=\"{}\"",
        htx::domain::text::date(htx::domain::today())
    )));
}

#[tokio::test]
async fn an_area_officer_cannot_ask_for_another_area() {
    let web = Web::demo().await;
    let s = web.login("giabinh").await;
    assert_eq!(web.get("/", Some(&s)).await.status, StatusCode::OK);
    let other = web.get("/?area=old-256", Some(&s)).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_grades_of_each_evaluated_year_are_drawn() {
    let web = Web::demo().await;
    let s = web.login("canbo").await;
    let page = web.get("/", Some(&s)).await;
    let chart = page
        .body
        .find("HTX xếp loại theo năm")
        .expect("the grades chart");
    let rest = &page.body[chart..];
    assert!(rest.contains("2021"));
    let store = &web.db.store;
    let orgs = store.evaluation_rows(2021).await.unwrap();
    let summary = htx::domain::report::evaluation::summary(2021, &orgs).unwrap();
    let good = htx::domain::text::number(summary.counts.good);
    assert!(
        rest.contains(&format!("class=\"bar-value\">{good}<")),
        "{good} graded Tốt"
    );
    // Before any evaluated year there is no such chart.
    let early = web.get("/?on=31/12/2020", Some(&s)).await;
    assert!(!early.body.contains("HTX xếp loại theo năm"));
}
