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

/// The CSV's lines without the byte-order mark.
fn csv_lines(bytes: Vec<u8>) -> Vec<String> {
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.starts_with('\u{feff}'));
    text.trim_start_matches('\u{feff}')
        .lines()
        .map(str::to_string)
        .collect()
}

/// The rows of a CSV after the title, the blank line and the headings.
fn csv_rows(lines: &[String]) -> Vec<csv::StringRecord> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(lines[3..].join("\n").as_bytes())
        .records()
        .map(Result::unwrap)
        .collect()
}

#[tokio::test]
async fn the_loan_list_exports_every_loan_of_its_date_with_money_as_numbers() {
    use calamine::Data;
    let web = Web::demo().await;
    let s = web.login("quy").await;
    let on = htx::domain::parse_date("30/06/2022").unwrap();
    let (_, loans) = web.db.store.loan_page(on, 1, 0).await.unwrap();
    assert!(loans > 50, "more than one page of loans: {loans}");
    let page = web.get("/fund/loans?on=30/06/2022", Some(&s)).await;
    assert!(
        page.body
            .contains("/fund/loans/export?on=30%2F06%2F2022&#38;format=xlsx"),
        "the list links to its export"
    );

    let (status, disposition, bytes) =
        download(&web, &s, "/fund/loans/export?on=30%2F06%2F2022&format=csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        disposition.contains("khoan-vay-2022-06-30.csv"),
        "{disposition}"
    );
    let lines = csv_lines(bytes);
    assert_eq!(
        lines[0],
        format!(
            "Danh sách khoản vay của Quỹ hỗ trợ tại ngày 30/06/2022: {} khoản vay.",
            htx::domain::text::number(loans)
        )
    );
    let rows = csv_rows(&lines);
    assert_eq!(rows.len() as i64, loans, "every page, not only the first");
    // The outstanding column adds up to the fund's own figure on that date.
    let outstanding: i64 = rows.iter().map(|r| r[4].parse::<i64>().unwrap()).sum();
    let buckets = htx::domain::fund::AgeingBuckets::default();
    let summary = web.db.store.portfolio_summary(on, &buckets).await.unwrap();
    assert_eq!(outstanding, summary.outstanding);
    assert!(rows.iter().all(|r| r[2].len() == 10 && r[2].contains('/')));

    let (_, _, xlsx) = download(&web, &s, "/fund/loans/export?on=30%2F06%2F2022&format=xlsx").await;
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(xlsx)).unwrap();
    let range = book.worksheet_range("Khoản vay").unwrap();
    assert_eq!(range.height() as i64, loans + 3);
    assert!(matches!(range.get_value((3, 2)), Some(Data::DateTime(_))));
    assert!(matches!(range.get_value((3, 3)), Some(Data::Float(_))));

    // Whoever may not see the fund may not take its list out either.
    let officer = web.login("giabinh").await;
    let (status, _, _) = download(&web, &officer, "/fund/loans/export?format=csv").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = download(&web, &s, "/fund/loans/export?format=pdf").await;
    assert_ne!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_activities_of_a_period_export_with_the_period_written() {
    use calamine::Data;
    let web = Web::demo().await;
    let s = web.login("canbo").await;
    let period = htx::domain::period::Period::parse("2022-H1").unwrap();
    let held = web
        .db
        .store
        .activities(period.start, period.end)
        .await
        .unwrap();
    assert!(!held.is_empty());
    let page = web
        .get("/alliance?period=2022-H1&part=activities", Some(&s))
        .await;
    assert!(
        page.body
            .contains("/alliance/activities/export?period=2022-H1&#38;format=csv")
    );
    let (status, _, bytes) = download(
        &web,
        &s,
        "/alliance/activities/export?period=2022-H1&format=csv",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let lines = csv_lines(bytes);
    assert!(
        lines[0].starts_with(&format!(
            "Hoạt động của Liên minh 6 tháng đầu năm 2022 (từ ngày 01/01/2022 đến ngày 30/06/2022): {} hoạt động; lập ngày ",
            held.len()
        )),
        "{}",
        lines[0]
    );
    let rows = csv_rows(&lines);
    assert_eq!(rows.len(), held.len());
    assert_eq!(&rows[0][3], held[0].title.as_str());
    assert_eq!(rows[0][0], htx::domain::text::date(held[0].start));

    let (_, _, xlsx) = download(
        &web,
        &s,
        "/alliance/activities/export?period=2022-H1&format=xlsx",
    )
    .await;
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(xlsx)).unwrap();
    let range = book.worksheet_range("Hoạt động").unwrap();
    assert_eq!(range.height(), held.len() + 3);
    assert!(matches!(range.get_value((3, 0)), Some(Data::DateTime(_))));
    // Attendances are a number where they were entered and an empty cell where not (never 0).
    for (i, a) in held.iter().enumerate() {
        let cell = range.get_value((3 + i as u32, 6));
        if a.attendees.is_some() {
            assert!(matches!(cell, Some(Data::Float(_))), "{i}: {cell:?}");
        } else {
            assert!(matches!(cell, None | Some(Data::Empty)), "{i}: {cell:?}");
        }
    }
    assert!(
        held.iter().any(|a| a.attendees.is_some()) && held.iter().any(|a| a.attendees.is_none())
    );

    let officer = web.login("giabinh").await;
    let (status, _, _) = download(
        &web,
        &officer,
        "/alliance/activities/export?period=2022-H1&format=csv",
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_audit_log_exports_its_filters_to_those_who_may_read_it() {
    let web = Web::demo().await;
    let s = web.login("canbo").await;
    // Something recorded from the pages, so that the log has an entry of a known author.
    let r = web
        .submit(
            "/orgs",
            &s,
            &[
                ("kind", "HTX"),
                ("code", "2799000556"),
                ("name", "HTX Xuất Nhật ký"),
                ("date", "01/03/2022"),
                ("commune", "09454"),
                ("sector", "agri_services"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let all = web
        .db
        .store
        .audit_search(&htx::store::audit::AuditFilter {
            entity: Some("organisation".into()),
            limit: 1_000_000,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(!all.is_empty());
    let page = web.get("/audit?entity=organisation", Some(&s)).await;
    assert!(
        page.body
            .contains("/audit/export?entity=organisation&#38;format=xlsx")
    );
    let (status, disposition, bytes) =
        download(&web, &s, "/audit/export?entity=organisation&format=csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(disposition.contains("nhat-ky-"), "{disposition}");
    let lines = csv_lines(bytes);
    assert!(
        lines[0].starts_with("Nhật ký thay đổi lập ngày "),
        "{}",
        lines[0]
    );
    assert!(
        lines[0].ends_with(&format!(
            "; đối tượng tổ chức: {} mục.",
            htx::domain::text::number(all.len() as i64)
        )),
        "{}",
        lines[0]
    );
    assert_eq!(
        lines[2],
        "Thời điểm,Người thực hiện,Thao tác,Bản ghi,Giá trị thay đổi"
    );
    let rows = csv_rows(&lines);
    assert_eq!(rows.len(), all.len());
    assert!(
        rows.iter()
            .any(|r| r[1].contains("(canbo, web)") && r[3].contains("HTX Xuất Nhật ký")),
        "the entry made from the pages, in words"
    );

    // A fund officer and an area officer do not read the log, in a file or not.
    for who in ["quy", "giabinh"] {
        let other = web.login(who).await;
        let (status, _, _) = download(&web, &other, "/audit/export?format=csv").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}");
    }
}

#[tokio::test]
async fn an_export_holds_at_most_the_cap_and_says_so() {
    let config = htx::web::config::ServeConfig {
        export_max_rows: 5,
        ..Default::default()
    };
    let web = Web::with(crate::support::TestDb::demo().await, config).await;
    let s = web.login("canbo").await;
    for (path, noun) in [
        ("/orgs/export?format=csv", "tổ chức"),
        (
            "/fund/loans/export?on=30%2F06%2F2022&format=csv",
            "khoản vay",
        ),
        ("/audit/export?format=csv", "mục"),
        (
            "/alliance/activities/export?period=2022&format=csv",
            "hoạt động",
        ),
    ] {
        let (status, _, bytes) = download(&web, &s, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        let lines = csv_lines(bytes);
        assert!(
            lines[0].ends_with(&format!("Chỉ ghi 5 {noun} đầu tiên; hãy lọc hẹp hơn.")),
            "{path}: {}",
            lines[0]
        );
        assert_eq!(csv_rows(&lines).len(), 5, "{path}");
    }
    // Below the cap nothing is said.
    let (_, _, bytes) = download(&web, &s, "/orgs/export?q=zzzz-none&format=csv").await;
    assert!(!csv_lines(bytes)[0].contains("Chỉ ghi"));
}
