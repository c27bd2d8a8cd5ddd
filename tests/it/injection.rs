//! User text is text in every document: hostile names, titles, settings and proposals read as
//! typed in the Markdown, HTML, DOCX, XLSX and JSON reports (through `htx::report` and the
//! web download), and never become links, images, raw HTML, headings or tables.

use crate::support::TestDb;
use crate::web_harness::Web;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use htx::domain::period::Period;
use htx::report::figures::ReportRequest;
use htx::report::{Format, render};
use htx::store::Store;
use htx::web::config::ServeConfig;
use pulldown_cmark::{Event, Options, Parser, Tag};
use std::io::Read;
use tower::ServiceExt;

/// Markdown, HTML and formula syntax that must stay characters.
const HOSTILE: &str = "[x](javascript:alert(1)) ![ảnh](http://evil.example/p.png) \
    <http://evil.example/a> <script>alert(1)</script> <a href=\"http://evil.example\">a</a> \
    <img src=x onerror=alert(1)> | ô | a\\b *Hưng* _Đông_ `mã` &amp; ~~x~~";

/// What each user field is set to: a distinct opening, then the hostile text.
fn hostile(opening: &str) -> String {
    format!("{opening} {HOSTILE}")
}

const ORG_NAME: &str = "# HTX Nông nghiệp [Đông] *Hưng*";
const SECTOR: &str = "@SUM(A1) Du lịch";
const ADVISORY: &str = "=HYPERLINK(\"http://evil.example\",\"x\") Tham mưu";
const ADVISORY_DOC: &str = "+12/KH-UBND";
const ADVISORY_ISSUER: &str = "> UBND tỉnh";
const SELECTION: &str = "- Lựa chọn";
const SELECTION_DOC: &str = "-3+4/QĐ";
const CONFERENCE: &str = "1. Hội nghị";
const AGREEMENT: &str = "| Thỏa thuận | hợp tác |";
const PARTNER: &str = "=== Đối tác";
const FAIR: &str = "-2+3 Hội chợ <b>OCOP</b>";
const CHANNEL: &str = "*** Kênh";
const PLANNED: &str = "## Hội thảo dự kiến";
const PROGRAMME: &str = "# Chương trình OCOP";
const DECISION: &str = "![q](data:image/png;base64,AAAA) Quyết định";
const PLAN_TITLE: &str = "Kế hoạch [năm](vbscript:msgbox(1))";
const PLAN_REFERENCE: &str = "<iframe src=x> KH";
const NUMBER: &str = "7/BC-[x](javascript:alert(1))";
const PLACE: &str = "Bắc Ninh *[x](javascript:alert(1))*";
const SIGNER: &str = "Nguyễn <b>Văn</b> [A](javascript:alert(1))";
const RECIPIENT: &str = "UBND tỉnh [x](javascript:alert(1))";

/// Proposals as typed: paragraphs, list lines, a would-be heading and table.
fn proposals() -> String {
    [
        "Đề nghị [bấm](javascript:alert(1)) <img src=x onerror=alert(1)> tiếp.",
        "- Một dòng danh sách *Hưng*",
        "# không phải tiêu đề",
        "| không | phải bảng |",
        "1. Thứ nhất <script>alert(1)</script>",
    ]
    .join("\n")
}

/// Every field users type that the 2022-H2 report prints, as it must read there.
fn field_texts() -> Vec<String> {
    [
        ORG_NAME,
        ADVISORY,
        ADVISORY_DOC,
        ADVISORY_ISSUER,
        SELECTION,
        SELECTION_DOC,
        CONFERENCE,
        AGREEMENT,
        PARTNER,
        FAIR,
        CHANNEL,
        PLANNED,
        PROGRAMME,
        DECISION,
        PLAN_TITLE,
        PLAN_REFERENCE,
        NUMBER,
        SECTOR,
    ]
    .iter()
    .map(|t| hostile(t))
    .collect()
}

/// The proposals as a reader sees them: list markers become list items, the rest reads as
/// typed.
const PROPOSALS_AS_READ: [&str; 5] = [
    "Đề nghị [bấm](javascript:alert(1)) <img src=x onerror=alert(1)> tiếp.",
    "Một dòng danh sách *Hưng*",
    "# không phải tiêu đề",
    "| không | phải bảng |",
    "Thứ nhất <script>alert(1)</script>",
];

fn expected_texts() -> Vec<String> {
    let mut texts = field_texts();
    texts.extend(PROPOSALS_AS_READ.map(String::from));
    texts
}

/// What the DOCX frame prints from the settings.
fn frame_texts() -> Vec<String> {
    vec![hostile(PLACE), hostile(SIGNER), recipient()]
}

/// A recipient: the settings separate recipients by "|".
fn recipient() -> String {
    hostile(RECIPIENT).replace('|', "/")
}

/// Runs `htx WORDS --option=value…`: the words are the command and its plain options, the
/// pairs carry the typed text (given as `--option=value`, so that text may start with `-`).
fn htx(url: &str, words: &str, typed: &[(&str, String)]) {
    let args: Vec<String> = words
        .split_whitespace()
        .map(String::from)
        .chain(
            typed
                .iter()
                .map(|(option, value)| format!("--{option}={value}")),
        )
        .collect();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_htx"))
        .args(&args)
        .env("HTX_DATABASE_URL", url)
        .env("HTX_LOG", "error")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "htx {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The demo, with every kind of user text set to hostile text through the command line; the
/// 2022-H2 report then prints each of them (the organisation's name and the issued number as a
/// correction of the issued 2022-H1 report).
async fn hostile_demo() -> (TestDb, String) {
    let mut db = TestDb::demo().await;
    db.store.close().await;
    let url = db.url.clone();
    let run = |words: &str, typed: &[(&str, &str)]| {
        let typed: Vec<(&str, String)> = typed.iter().map(|(o, v)| (*o, hostile(v))).collect();
        htx(&url, words, &typed)
    };
    let hostile_sector = "sector add --code hostile --group non_agriculture";
    run(hostile_sector, &[("name", SECTOR), ("prose", SECTOR)]);
    let add_org = "org add --kind HTX --commune 09454 --sector hostile";
    let address = [("address", "Thôn <b>1</b>"), ("representative", "Ông *A*")];
    run(
        &format!("{add_org} --code HOSTILE-1 --date 01/03/2022"),
        &[[("name", ORG_NAME)].as_slice(), &address].concat(),
    );
    run(
        &format!("{add_org} --code HOSTILE-2 --date 01/08/2022"),
        &[[("name", "Tổ chức (*) [2]")].as_slice(), &address].concat(),
    );
    let out = tempfile::tempdir().unwrap();
    let issued = out.path().join("2022-H1.json");
    run(
        &format!(
            "report --period 2022-H1 --format json --out {}",
            issued.display()
        ),
        &[("issue", NUMBER)],
    );
    run(
        "org event HOSTILE-1 --kind changed --date 01/05/2022",
        &[("new-address", "Thôn 2"), ("reference", "QĐ [1]")],
    );
    let held = "activity add --date 15/08/2022";
    run(
        &format!("{held} --kind advisory"),
        &[
            ("title", ADVISORY),
            ("document-no", ADVISORY_DOC),
            ("issuer", ADVISORY_ISSUER),
        ],
    );
    run(
        &format!("{held} --kind selection --organisations HOSTILE-2"),
        &[("title", SELECTION), ("document-no", SELECTION_DOC)],
    );
    run(
        &format!("{held} --kind conference --attendees 40"),
        &[("title", CONFERENCE)],
    );
    run(
        &format!("{held} --kind agreement"),
        &[("title", AGREEMENT), ("partner", PARTNER)],
    );
    run(
        &format!("{held} --kind fair --organisations HOSTILE-2"),
        &[("title", FAIR), ("partner", PARTNER), ("channel", CHANNEL)],
    );
    run(
        &format!("{held} --kind media_article --quantity 2"),
        &[("title", "Bài báo"), ("channel", CHANNEL)],
    );
    run(
        &format!("{held} --kind training --area 263 --attendees 30"),
        &[("title", "Tập huấn"), ("funding", "Ngân sách")],
    );
    run(
        "activity add --date 15/01/2023 --kind workshop --planned",
        &[("title", PLANNED)],
    );
    run(
        "programme add --code hostile",
        &[("name", PROGRAMME), ("decision", DECISION)],
    );
    for stage in ["nominated", "selected"] {
        run(
            &format!(
                "programme stage --programme hostile --org HOSTILE-2 --stage {stage} --date 20/08/2022"
            ),
            &[("note", "Ghi chú")],
        );
    }
    run(
        "member join --date 01/09/2022",
        &[("name", "Doanh nghiệp"), ("reference", "QĐ")],
    );
    run("member join --code HOSTILE-2 --date 02/09/2022", &[]);
    run(
        "committee appoint --committee executive --date 01/09/2022",
        &[
            ("person", "Bà *B*"),
            ("position", "# Ủy viên"),
            ("term", "2020-2025"),
        ],
    );
    run(
        "inspection add --code HOSTILE-2 --date 10/09/2022",
        &[
            ("subject", "Kiểm tra"),
            ("findings", "Kết luận"),
            ("recommendations", "Kiến nghị"),
        ],
    );
    run(
        "complaint add --received 11/09/2022 --code HOSTILE-2 --handled 20/09/2022",
        &[
            ("complainant", "Ông C"),
            ("subject", "Đơn"),
            ("result", "Đã giải quyết"),
        ],
    );
    run(
        "plan set --period 2023-H1 --target new_htx=5",
        &[("title", PLAN_TITLE), ("reference", PLAN_REFERENCE)],
    );
    run(
        "settings set",
        &[
            ("place", PLACE),
            ("signer-name", SIGNER),
            ("issuing-body", "Liên minh"),
        ],
    );
    htx(
        &url,
        "settings set",
        &[("recipients", format!("{}|Lưu: VT", recipient()))],
    );
    db.store = Store::open(&db.url).await.unwrap();
    (db, proposals())
}

fn request() -> ReportRequest {
    ReportRequest::of(Period::parse("2022-H2").unwrap())
}

/// Markdown whose only structure is the template's: no link, image or HTML, and no heading
/// holding user text.
fn assert_markdown_is_inert(md: &str) {
    let mut in_heading = false;
    for event in Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => panic!("a link in\n{md}"),
            Event::Html(h) | Event::InlineHtml(h) => panic!("raw HTML {h} in\n{md}"),
            Event::Start(Tag::Heading { .. }) => in_heading = true,
            Event::End(pulldown_cmark::TagEnd::Heading(_)) => in_heading = false,
            Event::Text(t) if in_heading => {
                assert!(!t.contains("evil") && !t.contains("tiêu đề"), "heading {t}")
            }
            Event::Start(Tag::Strikethrough) => panic!("strikethrough in\n{md}"),
            _ => {}
        }
    }
}

/// What a reader sees of an HTML fragment: text without tags, entities decoded, spaces
/// collapsed.
fn visible_html(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    collapse(&unescape(&text))
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn assert_html_is_inert(html: &str) {
    for bad in [
        "<a ",
        "<script",
        "<img",
        "<iframe",
        "<b>",
        "href=\"javascript",
        "<h1>#",
    ] {
        assert!(!html.contains(bad), "{bad} in\n{html}");
    }
    for heading in html.split("<h").skip(1) {
        let heading = &heading[..heading.find("</h").unwrap_or(heading.len())];
        assert!(
            !heading.contains("evil"),
            "user text as a heading: {heading}"
        );
    }
}

fn assert_reads(what: &str, visible: &str, texts: &[String]) {
    for t in texts {
        assert!(
            visible.contains(&collapse(t)),
            "{what} lacks «{t}»:\n{visible}"
        );
    }
}

fn unzip(bytes: &[u8]) -> std::collections::BTreeMap<String, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut file = zip.by_index(i).unwrap();
            let mut s = String::new();
            file.read_to_string(&mut s).unwrap_or_default();
            (file.name().to_string(), s)
        })
        .collect()
}

/// The text of a DOCX, paragraph by paragraph, as Word shows it.
fn visible_docx(parts: &std::collections::BTreeMap<String, String>) -> String {
    let doc = &parts["word/document.xml"];
    let mut out = String::new();
    for paragraph in doc.split("</w:p>") {
        for run in paragraph.split("<w:t").skip(1) {
            let text = &run[run.find('>').unwrap() + 1..];
            out.push_str(&text[..text.find("</w:t>").unwrap_or(0)]);
        }
        out.push('\n');
    }
    collapse(&unescape(&out))
}

fn assert_docx(bytes: &[u8], texts: &[String]) {
    let parts = unzip(bytes);
    for (name, xml) in &parts {
        assert!(!xml.contains("hyperlink"), "a hyperlink in {name}");
        assert!(
            !xml.contains("evil.example\" TargetMode"),
            "an external target in {name}"
        );
    }
    assert_reads("DOCX", &visible_docx(&parts), texts);
}

/// No cell of the workbook is a formula, and the texts are its strings.
fn assert_xlsx(bytes: &[u8], texts: &[&str]) {
    let parts = unzip(bytes);
    for (name, xml) in parts
        .iter()
        .filter(|(n, _)| n.starts_with("xl/worksheets/"))
    {
        assert!(
            !xml.contains("<f>") && !xml.contains("<f "),
            "a formula in {name}"
        );
    }
    let strings = unescape(&parts["xl/sharedStrings.xml"]);
    for t in texts {
        assert!(strings.contains(t), "XLSX lacks «{t}»");
    }
}

fn json_strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|v| json_strings(v, out)),
        serde_json::Value::Object(o) => o.values().for_each(|v| json_strings(v, out)),
        _ => {}
    }
}

fn assert_json(bytes: &[u8]) {
    let value: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    let mut strings = Vec::new();
    json_strings(&value, &mut strings);
    for t in field_texts() {
        assert!(strings.iter().any(|s| s.contains(&t)), "JSON lacks «{t}»");
    }
    assert_eq!(value["proposals"], proposals());
}

#[tokio::test]
async fn hostile_user_text_reads_as_typed_in_every_report_format() {
    let (db, proposals) = hostile_demo().await;
    let mut figures = htx::report::figures::build(&db.store, &request())
        .await
        .unwrap();
    figures.proposals = proposals;
    let texts = expected_texts();
    let on = crate::support::d("2022-12-31");
    let produce = async |format| {
        render(&db.store, &figures, format, None, on, None)
            .await
            .unwrap()
    };

    let md = String::from_utf8(produce(Format::Markdown).await).unwrap();
    assert_markdown_is_inert(&md);
    assert!(md.contains("\\[x\\](javascript:alert(1))"), "{md}");

    let html = String::from_utf8(produce(Format::Html).await).unwrap();
    assert_html_is_inert(&html);
    assert_reads("HTML", &visible_html(&html), &texts);
    assert!(
        html.contains("<li>Một dòng danh sách *Hưng*</li>"),
        "list lines stay lists"
    );

    let docx = produce(Format::Docx).await;
    assert_docx(&docx, &[texts.clone(), frame_texts()].concat());

    assert_xlsx(
        &produce(Format::Xlsx).await,
        &[
            &hostile(ADVISORY),
            &hostile(ADVISORY_DOC),
            &hostile(FAIR),
            &hostile(SECTOR),
        ],
    );
    assert_json(&produce(Format::Json).await);
}

async fn download(web: &Web, cookie: &str, query: &str) -> Vec<u8> {
    let request = Request::get(format!("/reports/download?{query}"))
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap();
    let response = web.app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{query}");
    axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec()
}

#[tokio::test]
async fn hostile_user_text_reads_as_typed_in_the_web_preview_and_downloads() {
    let (db, proposals) = hostile_demo().await;
    let web = Web::with(db, ServeConfig::default()).await;
    let session = web.login("canbo").await;
    let query =
        serde_urlencoded::to_string([("period", "2022-H2"), ("proposals", &proposals)]).unwrap();
    let texts = expected_texts();

    let page = web.get(&format!("/reports?{query}"), Some(&session)).await;
    assert_eq!(page.status, StatusCode::OK);
    let start = page.body.find("<h1>I. ").expect("the preview");
    let end = start + page.body[start..].find("id=\"issued\"").unwrap();
    let preview = &page.body[start..end];
    let preview = &preview[..preview.rfind('<').unwrap()];
    assert_html_is_inert(preview);
    assert_reads("preview", &visible_html(preview), &texts);

    let html = download(&web, &session.cookie, &format!("format=html&{query}")).await;
    let html = String::from_utf8(html).unwrap();
    assert_html_is_inert(&html);
    assert_reads("HTML download", &visible_html(&html), &texts);

    let md = download(&web, &session.cookie, &format!("format=md&{query}")).await;
    assert_markdown_is_inert(&String::from_utf8(md).unwrap());

    let docx = download(&web, &session.cookie, &format!("format=docx&{query}")).await;
    assert_docx(&docx, &[texts.clone(), frame_texts()].concat());

    let xlsx = download(&web, &session.cookie, &format!("format=xlsx&{query}")).await;
    assert_xlsx(
        &xlsx,
        &[&hostile(ADVISORY), &hostile(FAIR), &hostile(SECTOR)],
    );

    assert_json(&download(&web, &session.cookie, &format!("format=json&{query}")).await);
}

#[tokio::test]
async fn a_custom_template_prints_values_as_text_and_its_own_markdown_as_markdown() {
    let (db, proposals) = hostile_demo().await;
    let mut figures = htx::report::figures::build(&db.store, &request())
        .await
        .unwrap();
    figures.proposals = proposals;
    let template = "# Báo cáo {{ period.label }}\n\
        {% for a in alliance.advisory %}- **{{ a.title }}**: {{ a.document_no|e }} \
        ({{ alliance.events|length|n }} sự kiện, {{ 1500000|money }})\n{% endfor %}\
        {{ \"*nhấn mạnh*\"|safe }} [Cổng](https://example.org)\n{{ proposals }}\n";
    let md = htx::report::markdown::render(&figures, Some(template)).unwrap();
    assert_markdown_is_inert(&md.replace("[Cổng](https://example.org)", ""));
    let html = htx::report::html::body(&md);
    assert!(
        html.contains("<h1>Báo cáo 6 tháng cuối năm 2022</h1>"),
        "{html}"
    );
    assert!(html.contains("<em>nhấn mạnh</em>"), "{html}");
    assert!(
        html.contains("<a href=\"https://example.org\">Cổng</a>"),
        "{html}"
    );
    assert!(html.contains("1.500.000 đồng"), "{html}");
    assert_reads(
        "custom template",
        &visible_html(&html),
        &[hostile(ADVISORY), hostile(ADVISORY_DOC)],
    );
    assert!(
        html.contains("<li><strong>=HYPERLINK("),
        "the template's emphasis holds the escaped title: {html}"
    );
}
