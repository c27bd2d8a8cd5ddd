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

/// The value in the tooltip of the column titled "`label` – `series`: …".
fn column_value(body: &str, label: &str, series: &str) -> String {
    let head = format!("<title>{label} – {series}: ");
    let at = body
        .find(&head)
        .unwrap_or_else(|| panic!("a column {label} – {series}"))
        + head.len();
    body[at..at + body[at..].find('<').unwrap()].to_string()
}

#[tokio::test]
async fn the_trend_charts_count_as_the_reports_do_on_each_date() {
    use htx::domain::text;
    let web = Web::demo().await;
    let s = web.login("canbo").await;
    let page = web.get("/?on=30/06/2022", Some(&s)).await;
    assert_eq!(page.status, StatusCode::OK);
    for id in [
        "trend-stock",
        "trend-flows",
        "trend-book",
        "trend-activities",
    ] {
        assert!(page.body.contains(&format!("id=\"{id}\"")), "{id}");
    }
    assert!(page.body.contains("<svg"), "drawn as inline SVG");
    // Organisations by kind at each year's end: the registry's count on that date.
    for (year, kind) in [
        (2015, OrgKind::Htx),
        (2020, OrgKind::Htx),
        (2021, OrgKind::Tht),
    ] {
        let end = time::Date::from_calendar_date(year, time::Month::December, 31).unwrap();
        let counted = web.counted(kind, end).await;
        assert_eq!(
            column_value(&page.body, &year.to_string(), kind.code()),
            text::number(counted),
            "{} at 31/12/{year}",
            kind.code()
        );
    }
    // The last point is the date itself, and it links to the list on that date.
    let on = htx::domain::parse_date("30/06/2022").unwrap();
    assert_eq!(
        column_value(&page.body, "30/06/2022", "HTX"),
        text::number(web.counted(OrgKind::Htx, on).await)
    );
    assert!(
        page.body
            .contains("<a href=\"/orgs?on=31%2F12%2F2020&#38;kind=HTX\"><rect")
    );
    // The loan book at a month's end: the fund's own outstanding and overdue on that date.
    let buckets = htx::domain::fund::AgeingBuckets::default();
    for (label, day) in [("05/2022", "31/05/2022"), ("12/2021", "31/12/2021")] {
        let day = htx::domain::parse_date(day).unwrap();
        let fund = web.db.store.portfolio_summary(day, &buckets).await.unwrap();
        assert!(fund.outstanding > 0);
        assert_eq!(
            column_value(&page.body, label, "Dư nợ"),
            text::money(fund.outstanding)
        );
        assert_eq!(
            column_value(&page.body, label, "Nợ quá hạn"),
            text::money(fund.overdue_principal)
        );
    }
    // Activities held per quarter: those the Alliance's page lists as held in the quarter.
    let q1 = htx::domain::period::Period::parse("2022-Q1").unwrap();
    let held = web
        .db
        .store
        .activities(q1.start, q1.end)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.status == htx::domain::alliance::ActivityStatus::Held)
        .count() as i64;
    assert!(held > 0);
    assert_eq!(
        column_value(&page.body, "Q1/2022", "Hoạt động"),
        text::number(held)
    );
    assert!(
        page.body
            .contains("/alliance?period=2022-Q1&#38;part=activities")
    );
    // The figures are also a table, for readers without the picture.
    assert!(page.body.contains("<summary>Bảng số liệu</summary>"));

    // Another date moves every chart; an area narrows the organisations' charts.
    let earlier = web.get("/?on=31/12/2020", Some(&s)).await;
    assert!(earlier.body.contains("<title>2020 – HTX: "));
    assert!(!earlier.body.contains("<title>2021 – HTX: "));
    let district = web.get("/?on=30/06/2022&area=old-263", Some(&s)).await;
    let in_district: i64 = column_value(&district.body, "2020", "HTX")
        .replace('.', "")
        .parse()
        .unwrap();
    let all = web
        .counted(OrgKind::Htx, htx::domain::parse_date("31/12/2020").unwrap())
        .await;
    assert!(
        0 < in_district && in_district < all,
        "{in_district} of {all}"
    );
    assert!(
        district
            .body
            .contains("/orgs?on=31%2F12%2F2020&#38;area=old-263&#38;kind=HTX")
    );
    // The loan book and the activities are the province's: not drawn for one district.
    assert!(!district.body.contains("id=\"trend-book\""));
}

#[tokio::test]
async fn an_area_officer_sees_the_organisations_trends_of_the_area_only() {
    let web = Web::demo().await;
    let s = web.login("giabinh").await;
    let page = web.get("/?on=30/06/2022", Some(&s)).await;
    assert!(page.body.contains("id=\"trend-stock\""));
    assert!(!page.body.contains("id=\"trend-book\""), "no fund for them");
    assert!(!page.body.contains("id=\"trend-activities\""));
    let mine: i64 = column_value(&page.body, "2020", "HTX")
        .replace('.', "")
        .parse()
        .unwrap();
    let all = web
        .counted(OrgKind::Htx, htx::domain::parse_date("31/12/2020").unwrap())
        .await;
    assert!(mine < all);
}
