//! The web application over HTTP (no browser): permissions of every route by role and
//! area, CSRF, sessions, escaping, conflicting saves and the API's tokens.

use crate::support::TestDb;
use crate::web_harness::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use htx::web::config::ServeConfig;

#[tokio::test]
async fn pages_send_visitors_without_a_session_to_the_login() {
    let web = Web::with(TestDb::new().await, ServeConfig::default()).await;
    let r = web.get("/orgs?q=a", None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location, "/login?next=%2Forgs%3Fq%3Da");
    assert_eq!(
        web.get("/api/v1/orgs", None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_repeated_failures_lock_out_only_that_address() {
    use crate::web_login::login_from;
    let web = Web::with(TestDb::new().await, ServeConfig::default()).await;
    let (stranger, owner) = ([203, 0, 113, 9], [198, 51, 100, 20]);
    for _ in 0..5 {
        let r = login_from(&web, stranger, "canbo", "wrong").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.body.contains("Sai tên đăng nhập hoặc mật khẩu"));
    }
    let r = login_from(&web, stranger, "canbo", PASSWORD).await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the stranger's address is refused even with the right password"
    );
    let r = login_from(&web, owner, "canbo", PASSWORD).await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "the owner still logs in from their own address"
    );
    // Another account is not affected from the stranger's address either.
    let r = login_from(&web, stranger, "quy", PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_session_id_changes_at_login_and_the_cookie_is_http_only() {
    let web = Web::with(TestDb::new().await, ServeConfig::default()).await;
    let first = web.login("canbo").await;
    let r = web
        .send(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, &first.cookie)
                .body(Body::from(format!("username=canbo&password={PASSWORD}")))
                .unwrap(),
        )
        .await;
    assert!(r.set_cookie.contains("HttpOnly") && r.set_cookie.contains("SameSite=Lax"));
    let second = r.set_cookie.split(';').next().unwrap();
    assert_ne!(second, first.cookie);
    assert_eq!(
        web.get("/", Some(&first)).await.status,
        StatusCode::SEE_OTHER,
        "the old id is dead"
    );
}

#[tokio::test]
async fn an_expired_session_goes_back_to_the_login() {
    let config = ServeConfig {
        session_minutes: 0,
        ..ServeConfig::default()
    };
    let web = Web::with(TestDb::new().await, config).await;
    let r = web
        .post(
            "/login",
            None,
            &[("username", "canbo"), ("password", PASSWORD)],
        )
        .await;
    let cookie = r.set_cookie.split(';').next().unwrap().to_string();
    let page = web
        .get(
            "/",
            Some(&Session {
                cookie,
                csrf: String::new(),
            }),
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(page.location.starts_with("/login"));
}

#[tokio::test]
async fn a_form_without_its_token_is_refused_and_writes_nothing() {
    let web = Web::with(TestDb::new().await, ServeConfig::default()).await;
    let s = web.login("quantri").await;
    let form = [
        ("kind", "HTX"),
        ("code", "2799900001"),
        ("name", "HTX Thử"),
        ("date", "01/03/2022"),
        ("commune", "09454"),
        ("sector", "agri_services"),
    ];
    let r = web.post("/orgs", Some(&s), &form).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut forged = vec![("_csrf", "not-the-token")];
    forged.extend_from_slice(&form);
    assert_eq!(
        web.post("/orgs", Some(&s), &forged).await.status,
        StatusCode::FORBIDDEN
    );
    assert!(
        web.db
            .store
            .org_by_code("2799900001")
            .await
            .unwrap()
            .is_none()
    );
    let r = web.submit("/orgs", &s, &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        web.db
            .store
            .org_by_code("2799900001")
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn user_text_with_html_is_shown_escaped() {
    let web = Web::with(TestDb::new().await, ServeConfig::default()).await;
    let s = web.login("canbo").await;
    let r = web
        .submit(
            "/orgs",
            &s,
            &[
                ("kind", "HTX"),
                ("code", "2799900002"),
                ("name", "HTX <script>alert('x')</script> & <b>Đông</b>"),
                ("date", "01/03/2022"),
                ("commune", "09454"),
                ("sector", "agri_services"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    for page in ["/orgs/2799900002", "/orgs?q=dong", "/audit"] {
        let body = web.get(page, Some(&s)).await.body;
        assert!(!body.contains("<script>alert"), "{page} shows raw HTML");
        assert!(
            body.contains("&lt;script&gt;") || body.contains("&#60;script&#62;"),
            "{page}"
        );
    }
}

#[tokio::test]
async fn every_problem_of_a_form_is_shown_at_once_on_the_page_and_in_the_api() {
    let web = Web::with(TestDb::new().await, ServeConfig::default()).await;
    let s = web.login("canbo").await;
    let bad = [
        ("kind", "HTX"),
        ("code", ""),
        ("name", "HTX Lỗi"),
        ("date", "31/02/2023"),
        ("commune", "09454"),
        ("sector", "không có"),
    ];
    let r = web.submit("/orgs", &s, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["code", "date", "sector"] {
        assert!(
            r.body.contains(&format!("id=\"f-{field}-error\"")),
            "an error next to {field}: {}",
            r.body
        );
    }
    let token = web.token("canbo", "api").await;
    let body: serde_json::Value = bad
        .iter()
        .map(|(k, v)| (k.to_string(), serde_json::Value::from(*v)))
        .collect::<serde_json::Map<_, _>>()
        .into();
    let r = web
        .send(
            Request::post("/api/v1/orgs")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let json: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let fields: Vec<&str> = json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["code", "date", "sector"], "{json}");
    assert!(
        json["problems"][1]["reason"]
            .as_str()
            .unwrap()
            .contains("31/02/2023")
    );
}

#[tokio::test]
async fn a_form_error_is_shown_next_to_its_field_and_nothing_is_written() {
    let web = Web::with(TestDb::new().await, ServeConfig::default()).await;
    let s = web.login("canbo").await;
    let r = web
        .submit(
            "/orgs",
            &s,
            &[
                ("kind", "HTX"),
                ("code", "2799900003"),
                ("name", "HTX Lỗi"),
                ("date", "31/02/2023"),
                ("commune", "09454"),
                ("sector", "agri_services"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("id=\"f-date-error\""),
        "error next to the date field"
    );
    assert!(
        r.body.contains("value=\"HTX Lỗi\""),
        "typed values are kept"
    );
    assert!(
        web.db
            .store
            .org_by_code("2799900003")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn a_second_conflicting_save_is_refused_with_a_way_to_reload() {
    let web = Web::demo().await;
    let s = web.login("canbo").await;
    let code = web.org_in("old-263").await;
    let form_page = web.get(&format!("/orgs/{code}/events"), Some(&s)).await;
    let version = version_in(&form_page.body);
    let path = format!("/orgs/{code}/events");
    let first = web
        .submit(
            &path,
            &s,
            &[
                ("version", &version),
                ("kind", "suspended"),
                ("date", "01/08/2026"),
            ],
        )
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    let second = web
        .submit(
            &path,
            &s,
            &[
                ("version", &version),
                ("kind", "ceased"),
                ("date", "02/08/2026"),
            ],
        )
        .await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert!(second.body.contains("Dữ liệu vừa được người khác thay đổi"));
    let fresh = version_in(&second.body);
    assert_ne!(
        fresh, version,
        "the form offers the new version to save again"
    );
    let events = web
        .db
        .store
        .org_events(web.db.store.org_by_code(&code).await.unwrap().unwrap().id)
        .await
        .unwrap();
    assert!(
        !events.iter().any(|e| e.event.kind.code() == "ceased"),
        "nothing overwritten"
    );
}

#[tokio::test]
async fn an_area_officer_reaches_only_the_organisations_of_the_area() {
    let web = Web::demo().await;
    let s = web.login("giabinh").await;
    let mine = web.org_in("old-263").await;
    let other = web.org_in("old-256").await;
    assert_eq!(
        web.get(&format!("/orgs/{mine}"), Some(&s)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        web.get(&format!("/orgs/{other}"), Some(&s)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        web.get(&format!("/api/v1/orgs/{other}"), Some(&s))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        web.get("/api/v1/orgs?area=old-256", Some(&s)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        web.get("/orgs?area=old-256", Some(&s)).await.status,
        StatusCode::NOT_FOUND
    );
    let r = web
        .submit(
            &format!("/orgs/{other}/events"),
            &s,
            &[("kind", "dissolved"), ("date", "01/08/2026")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The list holds Gia Bình only.
    let api = web.get("/api/v1/orgs?limit=1000", Some(&s)).await;
    let json: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    let g = htx::domain::geo::geo();
    let items = json["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(
        items
            .iter()
            .all(|o| g.commune_in_area(o["commune"].as_str().unwrap(), "old-263"))
    );
    // Registering outside the area is refused next to the commune field.
    let r = web
        .submit(
            "/orgs",
            &s,
            &[
                ("kind", "HTX"),
                ("code", "2799900004"),
                ("name", "HTX Ngoài"),
                ("date", "01/03/2022"),
                ("commune", "09163"),
                ("sector", "agri_services"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"f-commune-error\""));
}

/// Expected status of a route for each role, in the order of the demo accounts:
/// admin, staff, fund officer, area officer (Gia Bình), leader. `A` = allowed (2xx or a
/// redirect after a write), `F` = forbidden by the role, `N` = outside the user's area,
/// answered like something that does not exist (404).
const MATRIX: &[(&str, &str, [char; 5])] = &[
    ("GET", "/", ['A', 'A', 'A', 'A', 'A']),
    ("GET", "/orgs", ['A', 'A', 'A', 'A', 'A']),
    ("GET", "/orgs/new", ['A', 'A', 'F', 'A', 'F']),
    ("GET", "/orgs/{mine}", ['A', 'A', 'A', 'A', 'A']),
    ("GET", "/orgs/{other}", ['A', 'A', 'A', 'N', 'A']),
    ("GET", "/orgs/{mine}/events", ['A', 'A', 'F', 'A', 'F']),
    ("POST", "/orgs/{mine}/events", ['A', 'A', 'F', 'A', 'F']),
    ("GET", "/fund", ['A', 'A', 'A', 'F', 'A']),
    ("GET", "/fund/loans", ['A', 'A', 'A', 'F', 'A']),
    ("POST", "/fund/loans/{loan}", ['A', 'A', 'A', 'F', 'F']),
    ("GET", "/alliance?period=2022-H1", ['A', 'A', 'A', 'F', 'A']),
    ("POST", "/alliance/activities", ['A', 'A', 'F', 'F', 'F']),
    (
        "POST",
        "/alliance/committee-seats",
        ['A', 'A', 'F', 'F', 'F'],
    ),
    ("POST", "/alliance/inspections", ['A', 'A', 'F', 'F', 'F']),
    ("GET", "/imports", ['A', 'A', 'F', 'F', 'F']),
    ("GET", "/reports", ['A', 'A', 'A', 'A', 'A']),
    (
        "GET",
        "/reports?period=2022-H1&area=old-256",
        ['A', 'A', 'A', 'N', 'A'],
    ),
    ("GET", "/audit", ['A', 'A', 'F', 'F', 'A']),
    ("GET", "/admin", ['A', 'F', 'F', 'F', 'F']),
    ("POST", "/admin/settings", ['A', 'F', 'F', 'F', 'F']),
    ("POST", "/imports/no-such-upload", ['A', 'A', 'F', 'F', 'F']),
    ("GET", "/imports/template.xlsx", ['A', 'A', 'F', 'F', 'F']),
    (
        "GET",
        "/reports/download?period=2022-H1&format=json",
        ['A', 'A', 'A', 'A', 'A'],
    ),
    (
        "GET",
        "/reports/download?period=2022-H1&format=json&area=old-256",
        ['A', 'A', 'A', 'N', 'A'],
    ),
    ("POST", "/reports/issue", ['A', 'A', 'F', 'F', 'F']),
    ("GET", "/reports/issued/none", ['A', 'A', 'A', 'A', 'A']),
    ("POST", "/admin/users", ['A', 'F', 'F', 'F', 'F']),
    ("POST", "/admin/sectors", ['A', 'F', 'F', 'F', 'F']),
    ("GET", "/account", ['A', 'A', 'A', 'A', 'A']),
    ("POST", "/account/password", ['A', 'A', 'A', 'A', 'A']),
    ("GET", "/api/v1/orgs", ['A', 'A', 'A', 'A', 'A']),
    ("GET", "/api/v1/orgs/{other}", ['A', 'A', 'A', 'N', 'A']),
    (
        "GET",
        "/api/v1/fund/loans/{loan}",
        ['A', 'A', 'A', 'F', 'A'],
    ),
    ("GET", "/api/v1/fund/portfolio", ['A', 'A', 'A', 'F', 'A']),
    ("GET", "/api/v1/reports/2022-H1", ['A', 'A', 'A', 'A', 'A']),
    (
        "GET",
        "/api/v1/alliance/activities?period=2022-H1",
        ['A', 'A', 'A', 'F', 'A'],
    ),
];

#[tokio::test]
async fn every_route_checks_the_role_and_the_area_on_the_server() {
    let web = Web::demo().await;
    let mine = web.org_in("old-263").await;
    let other = web.org_in("old-256").await;
    let loan = web.db.store.loans().await.unwrap()[0].contract_no.clone();
    let users = ["quantri", "canbo", "quy", "giabinh", "lanhdao"];
    let mut failures = Vec::new();
    for (i, username) in users.iter().enumerate() {
        let s = web.login(username).await;
        for (method, template, expected) in MATRIX {
            let path = template
                .replace("{mine}", &mine)
                .replace("{other}", &other)
                .replace("{loan}", &htx::web::error::percent(&loan));
            let r = if *method == "GET" {
                web.get(&path, Some(&s)).await
            } else {
                // Valid enough to pass the permission check; a refused value is still "allowed".
                let d = web.db.store.deployment().await.unwrap();
                let number = format!("T-{username}");
                let form: Vec<(&str, &str)> = match template.split('/').nth(1) {
                    Some("imports") => vec![],
                    Some("reports") => vec![
                        ("period", "2022-H1"),
                        ("number", &number),
                        ("date", "08/07/2022"),
                    ],
                    Some("account") => {
                        vec![("old_password", "wrong"), ("new_password", "whatever-long")]
                    }
                    Some("admin") if template.ends_with("users") => vec![
                        ("username", ""),
                        ("display_name", "x"),
                        ("password", "short"),
                        ("role", "staff"),
                    ],
                    Some("admin") if template.ends_with("sectors") => {
                        vec![("code", ""), ("name_vi", ""), ("group", "none")]
                    }
                    Some("orgs") => vec![
                        ("kind", "changed"),
                        ("date", "01/09/2026"),
                        ("reference", "test"),
                    ],
                    Some("fund") => vec![
                        ("kind", "interest_payment"),
                        ("date", "01/01/2099"),
                        ("amount", "1"),
                    ],
                    Some("alliance") => vec![
                        ("kind", "training"),
                        ("title", "Lớp thử"),
                        ("date", "01/05/2022"),
                        ("period", "2022-H1"),
                    ],
                    _ => vec![
                        ("parent_body", &d.parent_body),
                        ("issuing_body", &d.issuing_body),
                        ("issuer_code", &d.issuer_code),
                        ("place", &d.place),
                        ("signer_capacity", &d.signer_capacity),
                        ("signer_position", &d.signer_position),
                        ("signer_name", &d.signer_name),
                        ("recipients", "- Lưu: VT."),
                    ],
                };
                web.submit(&path, &s, &form).await
            };
            let allowed = r.status != StatusCode::FORBIDDEN
                && r.status != StatusCode::UNAUTHORIZED
                && !r.status.is_server_error();
            let as_expected = match expected[i] {
                'A' => allowed,
                'N' => r.status == StatusCode::NOT_FOUND,
                _ => r.status == StatusCode::FORBIDDEN,
            };
            if !as_expected {
                failures.push(format!(
                    "{username} {method} {path}: {} (expected {})",
                    r.status, expected[i]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn api_tokens_authenticate_and_cookie_writes_need_the_token_header() {
    let web = Web::demo().await;
    let token = web.token("canbo", "test").await;
    let r = web
        .send(
            Request::get("/api/v1/orgs?q=gia+binh")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("\"total\""));
    let r = web
        .send(
            Request::get("/api/v1/orgs")
                .header(header::AUTHORIZATION, "Bearer htx_wrong")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let s = web.login("canbo").await;
    let code = web.org_in("old-263").await;
    let write = |with_header: bool| {
        let mut req = Request::post(format!("/api/v1/orgs/{code}/events"))
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, &s.cookie);
        if with_header {
            req = req.header("x-csrf-token", &s.csrf);
        }
        req.body(Body::from(
            r#"{"kind":"suspended","date":"2026-09-01","reference":"API"}"#,
        ))
        .unwrap()
    };
    assert_eq!(web.send(write(false)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(web.send(write(true)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_openapi_document_and_the_router_agree_on_every_path_and_method() {
    let web = Web::demo().await;
    let token = web.token("quantri", "openapi").await;
    let r = web.get("/api/v1/openapi.json", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let doc: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 9, "{paths:?}");
    let mut failures = Vec::new();
    for (path, item) in paths {
        let concrete = path
            .replace("{code}", "2725600012")
            .replace("{contract}", "none")
            .replace("{period}", "2022-H1");
        for method in ["get", "post", "put", "patch", "delete"] {
            let documented = item.get(method).is_some();
            let req = Request::builder()
                .method(method.to_uppercase().as_str())
                .uri(format!("/api/v1{concrete}"))
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{}"))
                .unwrap();
            let reply = web.send(req).await;
            // A routed operation answers from its handler (JSON, whatever the status);
            // an unrouted method on a routed path is 405.
            let routed = reply.status != StatusCode::METHOD_NOT_ALLOWED
                && (reply.status != StatusCode::NOT_FOUND || reply.body.contains("\"error\""));
            if routed != documented {
                failures.push(format!(
                    "{method} {path}: documented {documented}, answered {}",
                    reply.status
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Request and response bodies and the import's parameters are described, not just named.
    let schemas = &doc["components"]["schemas"];
    for field in ["kind", "code", "name", "date", "commune", "sector"] {
        assert!(
            schemas["RegisterInput"]["properties"][field].is_object(),
            "RegisterInput.{field}"
        );
    }
    assert!(schemas["OrgList"]["properties"]["items"].is_object());
    // Every read but the report (whose schema is docs/report-json.md) answers a described type.
    for (path, item) in paths {
        if let Some(get) = item.get("get")
            && path != "/reports/{period}"
        {
            let schema = &get["responses"]["200"]["content"]["application/json"]["schema"];
            assert!(schema["$ref"].is_string(), "GET {path}: {schema}");
        }
    }
    assert!(schemas["ErrorBody"]["properties"]["problems"].is_object());
    let import = &doc["paths"]["/imports"]["post"];
    let params: Vec<&str> = import["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(params, ["filename", "dry_run"]);
    assert!(import["requestBody"]["content"]["application/octet-stream"].is_object());
}

#[tokio::test]
async fn the_2022_h1_report_downloads_in_every_format() {
    let web = Web::demo().await;
    let s = web.login("lanhdao").await;
    for (format, starts) in [("docx", "PK"), ("xlsx", "PK"), ("json", "{"), ("md", "")] {
        let r = web
            .send(
                Request::get(format!("/reports/download?period=2022-H1&format={format}"))
                    .header(header::COOKIE, &s.cookie)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{format}");
        assert!(r.body.starts_with(starts), "{format}");
    }
    let preview = web.get("/reports?period=2022-H1", Some(&s)).await;
    assert!(
        preview.body.contains("13 HTX") || preview.body.contains("13 hợp tác xã"),
        "the preview holds the report"
    );
}

#[tokio::test]
async fn the_api_imports_all_or_nothing_and_names_the_bad_row() {
    let web = Web::with(TestDb::new().await, ServeConfig::default()).await;
    let token = web.token("canbo", "test").await;
    let headings = "Mã số đăng ký,Loại hình,Tên tổ chức,Ngày thành lập,Mã xã,Lĩnh vực";
    let send = |name: &str, rows: &[&str]| {
        let body = format!("{headings}\r\n{}\r\n", rows.join("\r\n"));
        Request::post(format!("/api/v1/imports?filename={name}"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "text/csv")
            .body(Body::from(body))
            .unwrap()
    };
    let bad = web
        .send(send(
            "to-chuc.csv",
            &[
                "2799900010,HTX,HTX Tốt,01/03/2022,09454,trade",
                "2799900011,HTX,HTX Ngày sai,31/02/2023,09454,trade",
            ],
        ))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let json: serde_json::Value = serde_json::from_str(&bad.body).unwrap();
    assert_eq!(json["errors"][0]["sheet"], "to-chuc");
    assert_eq!(json["errors"][0]["row"], 3);
    assert!(
        web.db
            .store
            .org_by_code("2799900010")
            .await
            .unwrap()
            .is_none(),
        "nothing written"
    );
    let good = web
        .send(send(
            "to-chuc.csv",
            &["2799900010,HTX,HTX Tốt,01/03/2022,09454,trade"],
        ))
        .await;
    assert_eq!(good.status, StatusCode::OK, "{}", good.body);
    assert!(
        web.db
            .store
            .org_by_code("2799900010")
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn a_revoked_token_stops_working_at_once() {
    let web = Web::with(TestDb::new().await, ServeConfig::default()).await;
    let s = web.login("canbo").await;
    let page = web
        .submit("/account/tokens", &s, &[("name", "tích hợp")])
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let at = page.body.find("htx_").expect("the new token is shown once");
    let token = page.body[at..at + 4 + 64].to_string();
    let api = |token: &str| {
        Request::get("/api/v1/orgs")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(web.send(api(&token)).await.status, StatusCode::OK);
    let staff = web
        .db
        .store
        .user_by_username("canbo")
        .await
        .unwrap()
        .unwrap();
    let id = web.db.store.api_tokens(staff.id).await.unwrap()[0].id;
    let r = web
        .submit("/account/tokens/revoke", &s, &[("token", &id.to_string())])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(web.send(api(&token)).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_list_api_counts_only_so_far_past_the_page() {
    let db = TestDb::new().await;
    let spec = htx::demo::generate::GenSpec {
        organisations: 1_200,
        events_per_org: 1,
        seed: 7,
        chunk: 600,
    };
    htx::demo::generate::generate(&db.store, spec, |_| {})
        .await
        .unwrap();
    let web = Web::with(db, ServeConfig::default()).await;
    let s = web.login("canbo").await;
    let page = |path: &str| {
        let path = path.to_string();
        let (web, s) = (&web, &s);
        async move {
            let r = web.get(&path, Some(s)).await;
            assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
            serde_json::from_str::<serde_json::Value>(&r.body).unwrap()
        }
    };
    let first = page("/api/v1/orgs?all=true&limit=10&on=2026-10-31").await;
    assert_eq!(first["total"], 1_010, "counted up to 1,000 past the page");
    assert_eq!(first["total_is_at_least"], true);
    assert_eq!(first["items"].as_array().unwrap().len(), 10);
    let near_end = page("/api/v1/orgs?all=true&limit=100&offset=1000&on=2026-10-31").await;
    assert_eq!(
        near_end["total"], 1_200,
        "exact once the end is within reach"
    );
    assert_eq!(near_end["total_is_at_least"], false);
    // Keyset paging: the next page starts after the last organisation of this one.
    let after = first["next_after"].as_i64().expect("more pages follow");
    assert_eq!(Some(after), first["items"][9]["id"].as_i64());
    let second = page(&format!(
        "/api/v1/orgs?all=true&limit=10&on=2026-10-31&after={after}"
    ))
    .await;
    let by_offset = page("/api/v1/orgs?all=true&limit=10&offset=10&on=2026-10-31").await;
    assert_eq!(second["items"], by_offset["items"]);
    assert_eq!(second["total"], 1_010, "what follows the cursor, capped");
    let last = page("/api/v1/orgs?all=true&limit=100&offset=1100&on=2026-10-31").await;
    assert!(last["next_after"].is_null(), "no page after the last");
}

#[tokio::test]
async fn a_search_with_no_match_says_so_and_what_to_try() {
    let web = Web::demo().await;
    let s = web.login("canbo").await;
    let page = web.get("/orgs?q=zzzkhongco", Some(&s)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("Không có tổ chức nào khớp với \"zzzkhongco\"")
            || page
                .body
                .contains("Không có tổ chức nào khớp với &#34;zzzkhongco&#34;"),
        "{}",
        page.body
    );
    assert!(page.body.contains("không cần dấu"));
    // A search that finds something lists it instead.
    let found = web.get("/orgs?q=gia+binh", Some(&s)).await;
    assert!(!found.body.contains("Không có tổ chức nào khớp"));
}

#[tokio::test]
async fn period_fields_offer_the_usual_periods_by_name_and_still_take_any_code() {
    let web = Web::demo().await;
    let s = web.login("canbo").await;
    for page in ["/reports", "/alliance"] {
        let body = web.get(page, Some(&s)).await.body;
        for option in [
            "<option value=\"H1\"",
            ">6 tháng đầu năm</option>",
            ">Quý III</option>",
            ">Từ tháng 1 đến tháng …</option>",
        ] {
            assert!(body.contains(option), "{page}: {option}");
        }
        let year = htx::domain::today().year() - 1;
        assert!(
            body.contains(&format!("<option value=\"{year}\">{year}</option>")),
            "{page}"
        );
    }
    // A code outside the picker's shapes is still read, and shown as two dates.
    let r = web.get("/reports?period=2022-02..2022-04", Some(&s)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("từ tháng 02 đến tháng 04 năm 2022"),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"01/02/2022\""), "{}", r.body);
}
