//! Forms that help and pages people understand: the commune picked by name for the row's
//! date, the period picker, and English names of codes in English mode.

use crate::web_harness::{Session, Web};
use axum::http::StatusCode;
use htx::domain::codes::Coded;
use htx::domain::text::capitalise;

/// A commune of the demo's province as the picker offers it before the reform.
const LANG_NGAM_2022: &str = "Xã Lãng Ngâm, Huyện Gia Bình (mã";

fn register<'a>(date: &'a str, commune: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("kind", "HTX"),
        ("code", "2799900777"),
        ("name", "HTX Thử Chọn Xã"),
        ("date", date),
        ("commune", commune),
        ("sector", "agri_services"),
    ]
}

#[tokio::test]
async fn the_commune_is_picked_by_name_from_the_units_valid_on_the_date() {
    let web = Web::demo().await;
    let s = web.login("canbo").await;

    // The list follows the date: old communes with their district before 1/7/2025, new after.
    let before = web.get("/units?on=15/03/2022", Some(&s)).await;
    assert_eq!(before.status, StatusCode::OK);
    let before: serde_json::Value = serde_json::from_str(&before.body).unwrap();
    let labels: Vec<&str> = before["communes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    let picked = labels
        .iter()
        .find(|l| l.starts_with(LANG_NGAM_2022))
        .expect("Lãng Ngâm is offered in 2022")
        .to_string();
    let after = web.get("/units?on=2025-08-01&q=gia%20binh", Some(&s)).await;
    assert!(!after.body.contains("Huyện"), "{}", after.body);
    assert!(after.body.contains("Xã Gia Bình"), "{}", after.body);

    // The form renders the list for its date, and reads the picked label back.
    let form = web.get("/orgs/new", Some(&s)).await;
    assert!(
        form.body.contains("data-units-on=\"f-date\""),
        "{}",
        form.body
    );

    // A commune of the old era on a date after the reform: refused next to the field, the
    // values kept, the list now that of the new era.
    let refused = web
        .submit("/orgs", &s, &register("01/08/2025", &picked))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = refused
        .body
        .split("id=\"f-commune-error\"")
        .nth(1)
        .expect("the commune's error is next to it");
    assert!(error.contains("đây là xã cũ (trước 01/07/2025)"), "{error}");
    assert!(refused.body.contains("value=\"HTX Thử Chọn Xã\""));
    let list = refused
        .body
        .split("<datalist id=\"f-commune-list\">")
        .nth(1)
        .and_then(|l| l.split("</datalist>").next())
        .expect("the commune's list");
    assert!(list.contains("Xã Gia Bình (mã"), "{list}");
    assert!(!list.contains("Huyện"), "the 2025 list has no districts");

    // The same label on a date before the reform is accepted; so are a name and a code.
    let created = web
        .submit("/orgs", &s, &register("15/03/2022", &picked))
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let shown = web.get(&created.location, Some(&s)).await;
    assert!(shown.body.contains("Xã Lãng Ngâm, Huyện Gia Bình"));
    let code = picked
        .rsplit("mã ")
        .next()
        .unwrap()
        .trim_end_matches(')')
        .to_string();
    for (i, typed) in ["Lãng Ngâm, Gia Bình", "lang ngam", code.as_str()]
        .into_iter()
        .enumerate()
    {
        let reg = format!("279990078{i}");
        let mut form = register("15/03/2022", typed);
        form[1] = ("code", &reg);
        let r = web.submit("/orgs", &s, &form).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{typed}: {}", r.body);
    }
}

#[tokio::test]
async fn the_period_picker_composes_the_period_of_the_report() {
    let web = Web::demo().await;
    let s = web.login("canbo").await;
    let r = web
        .get(
            "/reports?p_shape=months&p_year=2022&p_months=9&area=",
            Some(&s),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("9 tháng đầu năm 2022 (2022-01..2022-09)"));
    assert!(
        r.body.contains("period=2022-01..2022-09"),
        "downloads carry the code"
    );
    assert!(r.body.contains("class=\"document\""));

    // A typed code in a link still works and is shown by the picker.
    let typed = web.get("/reports?period=2022-Q3", Some(&s)).await;
    assert!(typed.body.contains("<option value=\"Q3\" selected>"));

    // Two dates in the wrong order: the refusal next to the second, no preview.
    let wrong = web
        .get(
            "/reports?p_shape=dates&p_from=01/04/2022&p_to=01/03/2022",
            Some(&s),
        )
        .await;
    assert!(wrong.body.contains("id=\"f-p_to-error\""), "{}", wrong.body);
    assert!(!wrong.body.contains("class=\"document\""));

    let preview = web.get("/period?p_shape=Q2&p_year=2024", Some(&s)).await;
    assert!(
        preview.body.contains("\"code\":\"2024-Q2\""),
        "{}",
        preview.body
    );
    assert!(preview.body.contains("Quý II năm 2024"), "{}", preview.body);
}

/// Every Vietnamese name of the codes shown on pages, as a cell or an option shows it.
fn vietnamese_cells() -> Vec<String> {
    fn of<T: Coded>() -> Vec<(String, String)> {
        T::ALL
            .iter()
            .map(|v| (v.name_vi().to_string(), v.name_en().to_string()))
            .collect()
    }
    use htx::domain::{alliance, governance, programmes, registry};
    [
        of::<registry::Status>(),
        of::<registry::EventKind>(),
        of::<registry::OrgKind>(),
        of::<alliance::ActivityKind>(),
        of::<alliance::ActivityStatus>(),
        of::<alliance::MembershipChange>(),
        of::<alliance::MemberCategory>(),
        of::<governance::Committee>(),
        of::<governance::InspectionKind>(),
        of::<governance::InspectionStatus>(),
        of::<programmes::ProgrammeStage>(),
    ]
    .concat()
    .into_iter()
    .filter(|(vi, en)| vi != en)
    .flat_map(|(vi, _)| [format!(">{vi}<"), format!(">{}<", capitalise(&vi))])
    .collect()
}

async fn pages(web: &Web, s: &Session) -> Vec<(String, String)> {
    let list = web.get("/orgs", Some(s)).await;
    let org = list
        .body
        .split("id=\"org-list\"")
        .nth(1)
        .and_then(|table| table.split("href=\"/orgs/").nth(1))
        .and_then(|rest| rest.split('"').next())
        .map(|c| format!("/orgs/{c}"))
        .expect("the list links an organisation");
    let mut out = Vec::new();
    for path in [
        "/orgs".to_string(),
        "/orgs?status=dissolved".to_string(),
        "/orgs/new".to_string(),
        org.clone(),
        format!("{org}/events"),
        "/alliance?period=2022-H1&part=activities".to_string(),
        "/alliance?period=2022-H1&part=members".to_string(),
        "/alliance?period=2022-H1&part=committees".to_string(),
        "/alliance?period=2022-H1&part=programmes".to_string(),
        "/alliance?period=2022-H1&part=inspections".to_string(),
    ] {
        let r = web.get(&path, Some(s)).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        out.push((path, r.body));
    }
    out
}

#[tokio::test]
async fn pages_in_english_name_codes_in_english() {
    let web = Web::demo().await;
    let s = web.login("quantri").await;
    let cells = vietnamese_cells();
    // In Vietnamese the check finds the names (so it can fail).
    let vietnamese = pages(&web, &s).await;
    let found: Vec<&str> = vietnamese
        .iter()
        .filter(|(_, body)| cells.iter().any(|c| body.contains(c)))
        .map(|(path, _)| path.as_str())
        .collect();
    assert!(found.len() >= 6, "pages showing codes by name: {found:?}");

    let r = web.submit("/account/lang", &s, &[("lang", "en")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    for (path, body) in pages(&web, &s).await {
        let left: Vec<&String> = cells.iter().filter(|c| body.contains(c.as_str())).collect();
        assert!(left.is_empty(), "{path} shows {left:?} in English mode");
    }
    let org_page = web.get("/orgs?status=active", Some(&s)).await;
    assert!(org_page.body.contains(">Active<"));
}
