//! Imports that cannot exhaust the server and never report a broken file as success: caps
//! on size, a checked workbook package, refused ambiguous headings, long texts, the bounded
//! import queue of the web application, and a bounded fuzz of the readers.

use crate::support::{TestDb, d};
use crate::web_harness::{Session, Web};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use htx::import::import_file;
use htx::web::config::ServeConfig;
use htx::web::pages::imports::{RUNNING_IMPORTS, WAITING_IMPORTS};
use htx::web::{AppState, router};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use zip::write::SimpleFileOptions;

pub const HEADINGS: &str = "Mã số đăng ký,Loại hình,Tên tổ chức,Ngày thành lập,Mã xã,Lĩnh vực";
const ROW: [&str; 6] = [
    "2725600901",
    "HTX",
    "HTX Thương mại Vũ Ninh",
    "15/03/2022",
    "09163",
    "trade",
];
const SHEET_PART: &str = "xl/worksheets/sheet1.xml";

/// A workbook of one organisation, as a spreadsheet program writes it.
pub fn workbook() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("Tổ chức").unwrap();
    for (i, h) in HEADINGS.split(',').enumerate() {
        sheet.write(0, i as u16, h).unwrap();
    }
    for (i, v) in ROW.iter().enumerate() {
        sheet.write(1, i as u16, *v).unwrap();
    }
    book.save_to_buffer().unwrap()
}

/// The parts of a zip, in order.
pub fn parts(zip_bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut part = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            part.read_to_end(&mut bytes).unwrap();
            (part.name().to_string(), bytes)
        })
        .collect()
}

/// A zip of parts (deflated, with correct checksums).
pub fn zipped(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in parts {
        zip.start_file(name.as_str(), SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// The workbook with one part changed (`None` removes it).
fn with_part(name: &str, change: impl Fn(&[u8]) -> Option<Vec<u8>>) -> Vec<u8> {
    let parts: Vec<_> = parts(&workbook())
        .into_iter()
        .filter_map(|(n, bytes)| {
            if n == name {
                change(&bytes).map(|b| (n, b))
            } else {
                Some((n, bytes))
            }
        })
        .collect();
    zipped(&parts)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The refusal of a file (written nothing), as the user reads it.
async fn refusal(db: &TestDb, name: &str, bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), name, bytes);
    let outcome = import_file(&db.store, &path, "t", d("2026-01-01"), false).await;
    let message = match outcome {
        Err(e) => e.to_string(),
        Ok(r) => panic!("{name} was accepted: {:?}", r.written),
    };
    assert!(db.store.org_by_code(ROW[0]).await.unwrap().is_none());
    message
}

#[tokio::test]
async fn the_intact_workbook_imports() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "so.xlsx", &zipped(&parts(&workbook())));
    let report = import_file(&db.store, &path, "t", d("2026-01-01"), false)
        .await
        .unwrap();
    assert!(report.errors().is_empty(), "{:?}", report.errors());
    assert_eq!(report.written.unwrap().registry.organisations, 1);
}

#[tokio::test]
async fn a_broken_workbook_is_an_error_naming_the_part_and_the_reason() {
    let db = TestDb::new().await;
    let doctype = |xml: &[u8]| {
        let xml = String::from_utf8(xml.to_vec()).unwrap();
        let at = xml.find("?>").unwrap() + 2;
        let dtd = "<!DOCTYPE worksheet [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>";
        Some(format!("{}{dtd}{}", &xml[..at], &xml[at..]).into_bytes())
    };
    let cases: Vec<(&str, Vec<u8>, &[&str])> = vec![
        (
            "a sheet that is not XML",
            with_part(SHEET_PART, |_| Some(b"day khong phai XML".to_vec())),
            &[SHEET_PART, "không phải XML"],
        ),
        (
            "a truncated sheet",
            with_part(SHEET_PART, |x| Some(x[..x.len() / 2].to_vec())),
            &[SHEET_PART],
        ),
        (
            "a missing worksheet part",
            with_part(SHEET_PART, |_| None),
            &["thiếu phần", SHEET_PART, "Tổ chức"],
        ),
        (
            "entity declarations",
            with_part(SHEET_PART, doctype),
            &[SHEET_PART, "DOCTYPE"],
        ),
        (
            "a zip that is not a workbook",
            zipped(&[("ghi-chu.txt".into(), b"xin chao".to_vec())]),
            &["xl/workbook.xml"],
        ),
        (
            "a truncated zip",
            workbook()[..workbook().len() / 2].to_vec(),
            &["zip"],
        ),
        (
            "bytes that are no zip",
            b"Ma so,Ten\n1,2\n".to_vec(),
            &["zip"],
        ),
    ];
    for (what, bytes, words) in cases {
        let message = refusal(&db, "so.xlsx", &bytes).await;
        for w in words {
            assert!(message.contains(w), "{what}: {message:?} lacks {w:?}");
        }
    }
}

#[tokio::test]
async fn the_command_line_exits_with_an_error_on_a_broken_workbook() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "so.xlsx", &with_part(SHEET_PART, |_| None));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_htx"))
        .arg("import")
        .arg(&path)
        .env("HTX_DATABASE_URL", &db.url)
        .env("HTX_LOG", "error")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{stdout}");
    assert!(stderr.contains(SHEET_PART), "{stderr}");
    assert!(!stdout.contains("Không có gì thay đổi"), "{stdout}");
}

/// A small workbook whose shared strings inflate to about 1 GB, written as a stream.
pub fn shared_strings_bomb() -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in parts(&workbook()) {
        if name != "xl/sharedStrings.xml" {
            zip.start_file(name.as_str(), SimpleFileOptions::default())
                .unwrap();
            zip.write_all(&bytes).unwrap();
        }
    }
    zip.start_file("xl/sharedStrings.xml", SimpleFileOptions::default())
        .unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#)
        .unwrap();
    let chunk = "<si><t>Hợp tác xã Vũ Ninh</t></si>".repeat(1 << 15);
    let mut written = 0;
    while written < 1 << 30 {
        zip.write_all(chunk.as_bytes()).unwrap();
        written += chunk.len();
    }
    zip.write_all(b"</sst>").unwrap();
    zip.finish().unwrap().into_inner()
}

#[tokio::test]
async fn a_workbook_that_inflates_to_a_gigabyte_is_refused_within_a_second() {
    let db = TestDb::new().await;
    let bomb = shared_strings_bomb();
    assert!(bomb.len() < 8 << 20, "{} bytes", bomb.len());
    let started = Instant::now();
    let message = refusal(&db, "bom.xlsx", &bomb).await;
    let took = started.elapsed();
    assert!(
        message.contains("quá lớn") && message.contains("100 MB"),
        "{message}"
    );
    assert!(took < Duration::from_secs(1), "{took:?}");
}

#[tokio::test]
async fn a_megabyte_heading_line_is_refused_at_once() {
    let db = TestDb::new().await;
    let line = "Tên tổ chức,".repeat((1 << 20) / "Tên tổ chức,".len());
    let started = Instant::now();
    let message = refusal(&db, "dai.csv", format!("{line}\n").as_bytes()).await;
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert!(message.contains("quá 500 cột"), "{message}");
}

#[tokio::test]
async fn two_hundred_thousand_empty_rows_are_skipped_in_linear_time() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let mut csv = format!("{HEADINGS}\n");
    csv.push_str(&",,,,,\n".repeat(200_000));
    csv.push_str("2725600901,HTX,HTX Vũ Ninh,31/02/2022,09163,trade\n");
    let path = write(dir.path(), "trong.csv", csv.as_bytes());
    let started = Instant::now();
    let report = import_file(&db.store, &path, "t", d("2026-01-01"), true)
        .await
        .unwrap();
    let took = started.elapsed();
    let errors: Vec<String> = report.errors().iter().map(|e| e.to_string()).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("dòng 200002"), "{errors:?}");
    assert!(took < Duration::from_secs(1), "{took:?}");
}

#[tokio::test]
async fn rows_columns_and_cells_beyond_the_caps_are_refused_naming_the_place() {
    let db = TestDb::new().await;
    let mut many = format!("{HEADINGS}\n");
    many.push_str(&"x,,,,,\n".repeat(100_001));
    let message = refusal(&db, "nhieu.csv", many.as_bytes()).await;
    assert!(message.contains("quá 100.000 dòng"), "{message}");

    let huge_name = "a".repeat(10 << 20);
    let csv = format!("{HEADINGS}\n2725600901,HTX,{huge_name},15/03/2022,09163,trade\n");
    let message = refusal(&db, "ten.csv", csv.as_bytes()).await;
    assert!(
        message.contains("dòng 2, cột C") && message.contains("quá giới hạn 32.767 ký tự"),
        "{message}"
    );
}

#[tokio::test]
async fn a_name_past_its_limit_is_refused_by_every_entrance() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let long = "Hợp tác xã ".repeat(60);
    let csv = format!("{HEADINGS}\n2725600901,HTX,{long},15/03/2022,09163,trade\n");
    let path = write(dir.path(), "ten.csv", csv.as_bytes());
    let report = import_file(&db.store, &path, "t", d("2026-01-01"), false)
        .await
        .unwrap();
    let errors: Vec<String> = report.errors().iter().map(|e| e.to_string()).collect();
    assert!(
        errors.len() == 1
            && errors[0].contains("cột \"Tên tổ chức\"")
            && errors[0].contains("quá giới hạn 500 ký tự"),
        "{errors:?}"
    );
    let input = htx::app::registry::RegisterInput {
        kind: "HTX".into(),
        code: "2725600901".into(),
        name: long.clone(),
        date: "15/03/2022".into(),
        commune: "09163".into(),
        sector: "trade".into(),
        ..Default::default()
    };
    let err = htx::app::registry::register(&db.store, &input, "t")
        .await
        .unwrap_err();
    assert!(err.to_string().starts_with("name: dài 659 ký tự"), "{err}");
    let short = htx::app::registry::RegisterInput {
        name: "HTX Vũ Ninh".into(),
        ..input
    };
    htx::app::registry::register(&db.store, &short, "t")
        .await
        .unwrap();
    let event = htx::app::registry::EventInput {
        kind: "đăng ký thay đổi".into(),
        date: "01/04/2022".into(),
        new_name: Some(long),
        ..Default::default()
    };
    let changed = htx::app::registry::check_event(&db.store, &event)
        .await
        .unwrap();
    let org = db.store.org_by_code("2725600901").await.unwrap().unwrap();
    let recorded = db
        .store
        .record_event(org.id, None, changed, "t", d("2026-01-01"))
        .await
        .unwrap_err();
    assert!(
        recorded.to_string().contains("tên mới dài 659 ký tự"),
        "{recorded}"
    );
}

#[tokio::test]
async fn duplicated_headings_are_an_error_naming_the_sheet_columns_and_heading() {
    let db = TestDb::new().await;
    let csv = format!("{HEADINGS},Tên\n{},HTX Khác\n", ROW.join(","));
    let message = refusal(&db, "trung.csv", csv.as_bytes()).await;
    assert!(
        message.contains("sheet \"trung\"")
            && message.contains("cột C \"Tên tổ chức\"")
            && message.contains("cột G \"Tên\""),
        "{message}"
    );
}

fn multipart(filename: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "htxboundary7MA4YWxkTrZu0gW";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(web: &Web, s: &Session, filename: &str, bytes: &[u8]) -> (StatusCode, String) {
    let (content_type, body) = multipart(filename, bytes);
    let csrf: String = url_encoded(&s.csrf);
    let reply = web
        .send(
            Request::post(format!("/imports?_csrf={csrf}"))
                .header(header::COOKIE, &s.cookie)
                .header(header::CONTENT_TYPE, content_type)
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    (reply.status, reply.body)
}

fn url_encoded(s: &str) -> String {
    serde_urlencoded::to_string([("x", s)]).unwrap()[2..].to_string()
}

#[tokio::test]
async fn a_full_import_queue_answers_503_and_a_broken_upload_is_named() {
    let db = TestDb::new().await;
    htx::demo::accounts::create(&db.store, "test")
        .await
        .unwrap();
    let state = AppState::new(db.store.clone(), ServeConfig::default());
    let web = Web {
        app: router(state.clone()),
        db,
    };
    let s = web.login("canbo").await;
    let csv = format!("{HEADINGS}\n{}\n", ROW.join(","));

    let places: Vec<_> = (0..RUNNING_IMPORTS + WAITING_IMPORTS)
        .map(|_| state.imports.admit().unwrap())
        .collect();
    let (status, body) = upload(&web, &s, "to-chuc.csv", csv.as_bytes()).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(
        body.contains("đang có nhiều tệp đang nhập, hãy thử lại sau"),
        "{body}"
    );
    let token = web
        .db
        .store
        .create_api_token(
            web.db
                .store
                .user_by_username("canbo")
                .await
                .unwrap()
                .unwrap()
                .id,
            "test",
            "test",
        )
        .await
        .unwrap();
    let api = |bytes: Vec<u8>, name: &str| {
        Request::post(format!("/api/v1/imports?filename={name}&dry_run=true"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::from(bytes))
            .unwrap()
    };
    let busy = web.send(api(csv.clone().into_bytes(), "a.csv")).await;
    assert_eq!(
        busy.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        busy.body
    );
    assert!(busy.body.contains("\"busy\""), "{}", busy.body);

    drop(places);
    let (status, body) = upload(&web, &s, "to-chuc.csv", csv.as_bytes()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let broken = with_part(SHEET_PART, |x| Some(x[..x.len() / 2].to_vec()));
    let (status, body) = upload(&web, &s, "so.xlsx", &broken).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains(SHEET_PART), "{body}");
    let refused = web.send(api(broken, "so.xlsx")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains(SHEET_PART), "{}", refused.body);
}
