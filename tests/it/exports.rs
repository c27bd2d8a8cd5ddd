//! The registry list taken out as XLSX and CSV: the same organisations as the list's
//! filters, every page of them, with the date and the filters written in the file.

use crate::web_harness::{Session, Web};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use calamine::{Reader, Xlsx};
use htx::domain::registry::OrgKind;
use tower::ServiceExt;

async fn download(web: &Web, s: &Session, path: &str) -> (StatusCode, String, Vec<u8>) {
    let res = web
        .app
        .clone()
        .oneshot(
            Request::get(path)
                .header(header::COOKIE, &s.cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let status = res.status();
    let disposition = res
        .headers()
        .get(header::CONTENT_DISPOSITION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec();
    (status, disposition, bytes)
}

#[tokio::test]
async fn the_registry_list_exports_every_page_of_its_filters_with_the_date_and_filters_written() {
    let web = Web::demo().await;
    let s = web.login("canbo").await;
    let on = htx::domain::parse_date("30/06/2022").unwrap();
    let htx_then = web.counted(OrgKind::Htx, on).await;
    assert!(htx_then > 50, "more than one page of the list");
    // The list page links to the export of its own filters.
    let list = web.get("/orgs?kind=HTX&on=30%2F06%2F2022", Some(&s)).await;
    assert!(
        list.body
            .contains("/orgs/export?kind=HTX&#38;on=30%2F06%2F2022&#38;format=csv"),
        "{}",
        list.body
    );

    let (status, disposition, csv) = download(
        &web,
        &s,
        "/orgs/export?kind=HTX&on=30%2F06%2F2022&format=csv",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        disposition.contains("so-theo-doi-2022-06-30.csv"),
        "{disposition}"
    );
    let text = String::from_utf8(csv).unwrap();
    assert!(
        text.starts_with('\u{feff}'),
        "a byte-order mark for spreadsheets"
    );
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        format!(
            "Sổ theo dõi tổ chức kinh tế tập thể tại ngày 30/06/2022; loại hình HTX: {} tổ chức.",
            htx::domain::text::number(htx_then)
        )
    );
    assert_eq!(lines[2], "Mã số,Tên,Loại hình,Lĩnh vực,Tình trạng,Địa bàn");
    assert_eq!(
        lines.len() as i64,
        htx_then + 3,
        "every page, not only the first"
    );
    assert!(lines[3..].iter().all(|l| l.contains(",HTX,")));

    let (status, _, xlsx) = download(
        &web,
        &s,
        "/orgs/export?kind=HTX&on=30%2F06%2F2022&format=xlsx",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(xlsx)).unwrap();
    let range = book.worksheet_range("Sổ theo dõi").unwrap();
    assert_eq!(range.height() as i64, htx_then + 3);
    let first = range.get_value((0, 0)).unwrap().to_string();
    assert!(
        first.contains("tại ngày 30/06/2022; loại hình HTX"),
        "{first}"
    );
    assert_eq!(range.get_value((2, 1)).unwrap().to_string(), "Tên");

    // An area officer's export holds only the area, whatever area is asked for.
    let officer = web.login("giabinh").await;
    let (status, _, _) = download(&web, &officer, "/orgs/export?area=old-256&format=csv").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, _, own) = download(&web, &officer, "/orgs/export?format=csv").await;
    let own = String::from_utf8(own).unwrap().lines().count();
    let (_, _, all) = download(&web, &s, "/orgs/export?format=csv").await;
    let all = String::from_utf8(all).unwrap().lines().count();
    assert!(3 < own && own < all, "{own} of {all} lines");
}
