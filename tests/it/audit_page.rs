//! The audit log as people read it: who (by name), what (in words), which record (linked),
//! and the values that changed.

use crate::web_harness::{Web, version_in};
use axum::http::StatusCode;

#[tokio::test]
async fn the_log_says_in_words_who_did_what_to_which_record() {
    let web = Web::demo().await;
    let s = web.login("canbo").await;
    let r = web
        .submit(
            "/orgs",
            &s,
            &[
                ("kind", "HTX"),
                ("code", "2799000555"),
                ("name", "HTX Nhật ký Thử"),
                ("date", "01/03/2022"),
                ("commune", "09454"),
                ("sector", "agri_services"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let form = web.get("/orgs/2799000555/events", Some(&s)).await;
    let version = version_in(&form.body);
    let r = web
        .submit(
            "/orgs/2799000555/events",
            &s,
            &[
                ("version", version.as_str()),
                ("kind", "dissolved"),
                ("date", "15/11/2026"),
                ("reference", "QĐ 12/QĐ-UBND"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let admin = web.login("quantri").await;
    let page = web.get("/audit?entity=organisation", Some(&admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert!(body.contains("Nguyễn Thị Lan (canbo, web)"), "{body}");
    assert!(body.contains("ghi sự kiện giải thể cho"));
    assert!(body.contains("đăng ký"));
    assert!(body.contains("href=\"/orgs/2799000555\""));
    assert!(body.contains("2799000555 – HTX Nhật ký Thử"));
    assert!(body.contains("ngày hiệu lực: 15/11/2026"), "{body}");
    assert!(body.contains("số văn bản: QĐ 12/QĐ-UBND"));
    assert!(!body.contains("event:dissolved"), "no raw action names");

    let none = web.get("/audit?author=nobody", Some(&admin)).await;
    assert!(none.body.contains("Không có thay đổi nào khớp bộ lọc"));
}
