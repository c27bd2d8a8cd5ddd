//! Imports that cannot exhaust the server and never report a broken file as success: caps
//! on size, a checked workbook package, refused ambiguous headings, long texts, the bounded
//! import queue of the web application, and a bounded fuzz of the readers.

use crate::import_files::*;
use crate::support::{TestDb, d};
use crate::web_harness::{Session, Web};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use htx::import::import_file;
use htx::web::config::ServeConfig;
use htx::web::pages::imports::{RUNNING_IMPORTS, WAITING_IMPORTS};
use htx::web::{AppState, router};

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

#[tokio::test]
async fn rows_columns_and_cells_beyond_the_caps_are_refused_naming_the_place() {
    let db = TestDb::new().await;
    let mut many = format!("{HEADINGS}\n");
    many.push_str(&"x,,,,,\n".repeat(100_001));
    let message = refusal(&db, "nhieu.csv", many.as_bytes()).await;
    assert!(message.contains("quá 100.000 dòng"), "{message}");

    let wide: Vec<String> = (0..600).map(|i| format!("Cột riêng {i}")).collect();
    let message = refusal(&db, "rong.csv", format!("{}\n", wide.join(",")).as_bytes()).await;
    assert!(message.contains("dòng 1, cột SG: quá 500 cột"), "{message}");

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
    let token = web.token("canbo", "test").await;
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

/// One change to a workbook for the fuzz: where it lands is a fraction of the part or file,
/// so that every case hits something.
#[derive(Debug, Clone)]
enum Mutation {
    /// Flip one bit of one part.
    Flip { part: usize, at: f64, bit: u8 },
    /// Put some bytes into one part.
    Splice {
        part: usize,
        at: f64,
        bytes: Vec<u8>,
    },
    /// Cut an XML part before its last tag: never well formed any more.
    CutPart { part: usize, at: f64 },
    /// Cut the file before the zip's closing directory: never a zip any more.
    CutFile { at: f64 },
}

impl Mutation {
    /// The mutated file, and whether the mutation surely broke it.
    fn apply(&self, original: &[u8], parts: &[(String, Vec<u8>)]) -> (Vec<u8>, bool) {
        let index = |part: &usize| part % parts.len();
        let place = |at: &f64, len: usize| ((*at * len as f64) as usize).min(len.saturating_sub(1));
        let mut parts = parts.to_vec();
        match self {
            Mutation::Flip { part, at, bit } => {
                let bytes = &mut parts[index(part)].1;
                if !bytes.is_empty() {
                    let i = place(at, bytes.len());
                    bytes[i] ^= 1 << (bit % 8);
                }
                (zipped(&parts), false)
            }
            Mutation::Splice { part, at, bytes } => {
                let target = &mut parts[index(part)].1;
                let i = place(at, target.len() + 1);
                target.splice(i..i, bytes.iter().copied());
                (zipped(&parts), false)
            }
            Mutation::CutPart { part, at } => {
                let xml: Vec<usize> = (0..parts.len())
                    .filter(|i| parts[*i].0.ends_with(".xml") || parts[*i].0.ends_with(".rels"))
                    .collect();
                let target = &mut parts[xml[part % xml.len()]].1;
                let last_tag = target.iter().rposition(|b| *b == b'<').unwrap();
                target.truncate(place(at, last_tag));
                (zipped(&parts), true)
            }
            Mutation::CutFile { at } => {
                let end = original.len() - 22;
                (original[..place(at, end + 1)].to_vec(), true)
            }
        }
    }
}

fn mutation() -> impl proptest::strategy::Strategy<Value = Mutation> {
    use proptest::prelude::*;
    prop_oneof![
        (any::<usize>(), 0.0..1.0f64, any::<u8>()).prop_map(|(part, at, bit)| Mutation::Flip {
            part,
            at,
            bit
        }),
        (
            any::<usize>(),
            0.0..1.0f64,
            prop_oneof![
                proptest::collection::vec(any::<u8>(), 1..16),
                Just(b"<".to_vec()),
                Just(b"&x;".to_vec()),
                Just(b"<!DOCTYPE a>".to_vec()),
                Just(b"</".to_vec()),
            ]
        )
            .prop_map(|(part, at, bytes)| Mutation::Splice { part, at, bytes }),
        (any::<usize>(), 0.0..1.0f64).prop_map(|(part, at)| Mutation::CutPart { part, at }),
        (0.0..1.0f64).prop_map(|at| Mutation::CutFile { at }),
    ]
}

/// A bounded fuzz (a fixed number of cases, a few seconds): arbitrary bytes and mutated
/// template workbooks through the readers and the whole dry run. Nothing panics, and a file
/// a mutation surely broke is never "checked, no errors".
#[test]
fn fuzzed_files_never_panic_and_broken_ones_never_pass() {
    use proptest::test_runner::{Config, TestRunner};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let db = runtime.block_on(TestDb::new());
    let taxonomy = runtime.block_on(db.store.taxonomy()).unwrap();
    let template = htx::import::template::workbook(&taxonomy, "new-24").unwrap();
    let template_parts = parts(&template);
    let dir = tempfile::tempdir().unwrap();
    let dry_run = |name: &str, bytes: &[u8]| {
        let path = write(dir.path(), name, bytes);
        runtime.block_on(import_file(&db.store, &path, "t", d("2026-01-01"), true))
    };
    let config = |cases| Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };

    let mut runner = TestRunner::new(config(48));
    let bytes = proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2048);
    runner
        .run(&bytes, |bytes| {
            let _ = htx::import::sheet::read_csv(&bytes, "x");
            let _ = dry_run("x.csv", &bytes);
            proptest::prop_assert!(
                dry_run("x.xlsx", &bytes).is_err(),
                "random bytes read as a workbook"
            );
            Ok(())
        })
        .unwrap();

    let mut runner = TestRunner::new(config(96));
    runner
        .run(&mutation(), |m| {
            let (bytes, broken) = m.apply(&template, &template_parts);
            let outcome = dry_run("mau.xlsx", &bytes);
            if broken {
                proptest::prop_assert!(outcome.is_err(), "{m:?} passed");
            }
            Ok(())
        })
        .unwrap();
}

#[tokio::test]
async fn long_free_texts_of_the_alliance_and_the_fund_are_refused_naming_the_field() {
    let db = TestDb::new().await;
    let long_note = "ghi chú ".repeat(700);
    let activity = htx::domain::alliance::Activity {
        id: 0,
        kind: <htx::domain::alliance::ActivityKind as htx::domain::codes::Coded>::parse("hội nghị")
            .unwrap(),
        title: "Hội nghị tổng kết".into(),
        status: htx::domain::alliance::ActivityStatus::Held,
        start: d("2022-03-01"),
        end: d("2022-03-01"),
        area: String::new(),
        quantity: 1,
        attendees: None,
        channel: String::new(),
        partner: String::new(),
        document_no: String::new(),
        issuer: String::new(),
        funding: String::new(),
        note: long_note.trim().to_string(),
        organisations: Vec::new(),
    };
    let err = db.store.add_activity(&activity, "t").await.unwrap_err();
    assert!(
        err.to_string()
            .starts_with("note: dài 5.599 ký tự, quá giới hạn 5.000"),
        "{err}"
    );
    let fine = htx::domain::alliance::Activity {
        note: "ngắn".into(),
        ..activity
    };
    db.store.add_activity(&fine, "t").await.unwrap();
}
