//! Tests of the Decree 30 document: its frame, body and package parts.

use super::*;
use std::collections::BTreeMap;
use std::io::Read;

fn sample_frame() -> DocumentFrame {
    DocumentFrame {
        parent_body: "Liên minh HTX Việt Nam".into(),
        issuing_body: "LIÊN MINH HTX TỈNH BẮC NINH".into(),
        number: "Số: 125/BC-LMHTX".into(),
        place_date: "Bắc Ninh, ngày 08 tháng 7 năm 2022".into(),
        title: "BÁO CÁO".into(),
        subject:
            "Kết quả hoạt động 6 tháng đầu năm\nvà phương hướng nhiệm vụ 6 tháng cuối năm 2022"
                .into(),
        signer_capacity: "TM. BAN THƯỜNG VỤ".into(),
        signer_position: "Chủ tịch".into(),
        signer_name: "Nguyễn Văn An".into(),
        recipients: vec![
            "- UBND tỉnh;".into(),
            "- Liên minh HTX Việt Nam;".into(),
            "- Lưu: VT.".into(),
        ],
        created: "2022-07-08T02:00:00Z".into(),
    }
}

const SAMPLE_MD: &str = "\
# I. KẾT QUẢ THỰC HIỆN

Trong 6 tháng đầu năm, **kinh tế tập thể** tiếp tục phát triển ổn định.

Các hợp tác xã *nông nghiệp* chiếm tỷ trọng lớn, **doanh thu tăng 12%** so với cùng kỳ.

- Thành lập mới 25 hợp tác xã;
- Giải thể 3 hợp tác xã không hoạt động.

| Lĩnh vực | Tỷ lệ | Doanh thu (đồng) |
|---|---|---|
| Nông nghiệp | 79,4% | 24.164.000.000 |
| Dịch vụ | 20,6% | 6.270.000.000 |

## 1. Phương hướng

1. Củng cố tổ chức;
2. Nâng cao chất lượng.
";

fn unzip(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("valid zip");
    let mut parts = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("zip entry");
        let mut s = String::new();
        f.read_to_string(&mut s).expect("utf-8 part");
        parts.insert(f.name().to_string(), s);
    }
    parts
}

/// Minimal well-formedness check: every element that opens is closed in order.
fn assert_well_formed(name: &str, xml: &str) {
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find('<') {
        let end = rest[start..].find('>').expect("unterminated tag") + start;
        let tag = &rest[start + 1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('?') || tag.starts_with('!') {
            continue;
        }
        if let Some(closing) = tag.strip_prefix('/') {
            let open = stack.pop();
            assert_eq!(
                open,
                Some(closing.trim()),
                "{name}: mismatched </{closing}>"
            );
        } else if !tag.ends_with('/') {
            let tag_name = tag.split_whitespace().next().unwrap_or("");
            stack.push(tag_name);
        }
    }
    assert!(stack.is_empty(), "{name}: unclosed {stack:?}");
}

fn headers(parts: &BTreeMap<String, String>) -> Vec<&String> {
    parts
        .iter()
        .filter(|(k, _)| k.starts_with("word/header"))
        .map(|(_, v)| v)
        .collect()
}

#[test]
fn renders_frame_body_and_layout() {
    let bytes = render_docx(&sample_frame(), SAMPLE_MD).expect("render");
    let parts = unzip(&bytes);
    let doc = &parts["word/document.xml"];

    for text in [
        "LIÊN MINH HTX VIỆT NAM",
        "LIÊN MINH HTX TỈNH BẮC NINH",
        "Số: 125/BC-LMHTX",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Bắc Ninh, ngày 08 tháng 7 năm 2022",
        "BÁO CÁO",
        "Kết quả hoạt động 6 tháng đầu năm",
        "I. KẾT QUẢ THỰC HIỆN",
        "kinh tế tập thể",
        "Nông nghiệp",
        "79,4%",
        "24.164.000.000",
        "Nơi nhận:",
        "- UBND tỉnh;",
        "TM. BAN THƯỜNG VỤ",
        "CHỦ TỊCH",
        "Nguyễn Văn An",
    ] {
        assert!(doc.contains(text), "document.xml lacks {text:?}");
    }
    assert!(doc.contains("Times New Roman"));
    assert!(doc.contains(r#"w:w="11906""#));
    assert!(doc.contains(r#"w:h="16838""#));
    assert!(doc.contains("<w:titlePg"));
    assert!(doc.contains("<w:sectPr><w:headerReference"));
    assert!(doc.contains(r#"w:left="1701""#));
    assert!(doc.contains(r#"w:right="850""#));
    // header block, body table, signature block
    assert!(doc.matches("<w:tbl>").count() >= 3, "expected 3 tables");
    assert!(doc.contains(r#"w:firstLine="720""#));
    assert!(doc.contains(r#"<w:jc w:val="both""#));
    assert!(doc.contains(r#"<w:sz w:val="28""#));
    // Short rules are bottom borders only, never boxes.
    assert!(doc.contains("<w:pBdr><w:bottom"));
    assert!(!doc.contains("<w:pBdr><w:left"));
    assert!(!doc.contains("<w:pBdr><w:top"));
    // Header and signature tables are borderless.
    assert!(doc.contains(r#"<w:top w:val="none""#));

    // Bullet items start with a dash, ordered items keep their numbers.
    assert!(doc.contains(">- </w:t>"));
    assert!(doc.contains(">1. </w:t>"));
    assert!(doc.contains(">2. </w:t>"));

    // Numeric cells are right-aligned.
    let at = doc.find("24.164.000.000").unwrap();
    let para_start = doc[..at].rfind("<w:p ").unwrap();
    assert!(doc[para_start..at].contains(r#"<w:jc w:val="right""#));
    let at = doc.find("Nông nghiệp").unwrap();
    let para_start = doc[..at].rfind("<w:p ").unwrap();
    assert!(!doc[para_start..at].contains(r#"<w:jc w:val="right""#));

    // Page number: a PAGE field in the default header, none in the first-page header.
    assert!(doc.contains(r#"w:type="first""#));
    assert!(doc.contains(r#"w:type="default""#));
    let hs = headers(&parts);
    assert_eq!(hs.len(), 2);
    assert_eq!(hs.iter().filter(|h| h.contains(">PAGE<")).count(), 1);
    assert!(hs.iter().any(|h| h.contains("fldChar")));

    let core = &parts["docProps/core.xml"];
    assert!(core.contains("<dc:title>Kết quả hoạt động 6 tháng đầu năm và phương hướng"));
    assert!(core.contains("<dc:language>vi-VN</dc:language>"));
    assert!(parts["word/styles.xml"].contains(r#"w:val="vi-VN""#));
    assert!(parts["word/styles.xml"].contains("Times New Roman"));

    for (name, xml) in &parts {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            assert_well_formed(name, xml);
        }
    }
}

#[test]
fn empty_body_is_still_a_valid_document() {
    let bytes = render_docx(&sample_frame(), "").expect("render");
    let parts = unzip(&bytes);
    for required in [
        "[Content_Types].xml",
        "_rels/.rels",
        "word/document.xml",
        "word/styles.xml",
        "word/_rels/document.xml.rels",
    ] {
        assert!(parts.contains_key(required), "missing {required}");
    }
    let doc = &parts["word/document.xml"];
    assert!(doc.contains("BÁO CÁO"));
    assert!(doc.contains("Nơi nhận:"));
    assert!(doc.contains("<w:titlePg"));
    for (name, xml) in &parts {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            assert_well_formed(name, xml);
        }
    }
}

#[test]
fn empty_frame_and_body_render() {
    let bytes = render_docx(&DocumentFrame::default(), "").expect("render");
    let parts = unzip(&bytes);
    assert_well_formed("document", &parts["word/document.xml"]);
}

#[test]
fn images_html_and_special_characters_are_safe() {
    let md = "Đoạn có ![ảnh minh họa](x.png) và <span>html</span> A & B <c> \u{1}.\n\n<div>khối html</div>\n\n```\nmã nguồn\n```\n";
    let bytes = render_docx(&sample_frame(), md).expect("render");
    let parts = unzip(&bytes);
    let doc = &parts["word/document.xml"];
    assert!(!doc.contains("ảnh minh họa"));
    assert!(!doc.contains("khối html"));
    assert!(!doc.contains("<span>"));
    assert!(doc.contains("A &amp; B"));
    assert!(doc.contains("mã nguồn"));
    assert_well_formed("document", doc);
}

#[test]
fn links_are_their_text_never_hyperlinks() {
    let md =
        "Xem [trang](javascript:alert(1)), <https://example.org/a> và [b](https://example.org).\n";
    let parts = unzip(&render_docx(&sample_frame(), md).expect("render"));
    let doc = &parts["word/document.xml"];
    assert!(doc.contains("trang") && doc.contains("https://example.org/a"));
    for (name, xml) in &parts {
        assert!(!xml.contains("hyperlink"), "a hyperlink in {name}");
        assert!(!xml.contains("javascript"), "a link target in {name}");
    }
}

#[test]
fn decomposed_vietnamese_is_composed() {
    // "Việt Nam" and "Hưng Yên" in NFD.
    let nfd = "Vie\u{323}\u{302}t Nam, Hu\u{31B}ng Ye\u{302}n";
    let bytes = render_docx(&sample_frame(), nfd).expect("render");
    let doc = &unzip(&bytes)["word/document.xml"];
    assert!(doc.contains("Việt Nam, Hưng Yên"));
}

#[test]
fn numeric_detection() {
    for yes in ["79,4%", "24.164.000.000", "-3", "1.234,5", "100 %"] {
        assert!(looks_numeric(yes), "{yes}");
    }
    for no in ["", "Nông nghiệp", "%", "12 HTX", "-"] {
        assert!(!looks_numeric(no), "{no}");
    }
}

#[test]
fn error_displays() {
    let e = DocxError("boom".into());
    assert!(e.to_string().contains("boom"));
    let _: &dyn std::error::Error = &e;
}

#[test]
fn the_heading_row_of_every_body_table_repeats_on_each_page() {
    let bytes = render_docx(&sample_frame(), SAMPLE_MD).expect("render");
    let parts = unzip(&bytes);
    let doc = &parts["word/document.xml"];
    let tables: Vec<&str> = doc.split("<w:tbl>").skip(1).collect();
    let bordered: Vec<&&str> = tables
        .iter()
        .filter(|t| t.contains("<w:top w:val=\"single\""))
        .collect();
    assert!(!bordered.is_empty(), "the sample has a body table");
    for t in &bordered {
        let rows: Vec<&str> = t.split("<w:tr>").skip(1).collect();
        assert!(rows[0].contains("<w:tblHeader />"), "first row repeats");
        assert!(
            rows[1..].iter().all(|r| !r.contains("<w:tblHeader")),
            "only the heading row repeats"
        );
    }
    for t in tables
        .iter()
        .filter(|t| !t.contains("<w:top w:val=\"single\""))
    {
        assert!(!t.contains("<w:tblHeader"), "layout tables do not repeat");
    }
    assert_well_formed("word/document.xml", doc);
}

/// The widths of the grid columns of the first bordered table of a document.
fn body_table_widths(doc: &str) -> Vec<usize> {
    let table = doc
        .split("<w:tbl>")
        .find(|t| t.contains("<w:top w:val=\"single\""))
        .expect("a body table");
    let grid = &table[table.find("<w:tblGrid>").unwrap()..table.find("</w:tblGrid>").unwrap()];
    grid.split("<w:gridCol w:w=\"")
        .skip(1)
        .map(|g| g[..g.find('"').unwrap()].parse().unwrap())
        .collect()
}

#[test]
fn numbers_and_heading_words_fit_their_columns_and_long_names_wrap_instead() {
    let md = "| Chỉ tiêu | Kế hoạch | Thực hiện 6 tháng đầu năm 2022 | Đạt (%) |\n\
              |---|---|---:|---:|\n\
              | Số tiền Quỹ giải ngân cho các hợp tác xã và tổ hợp tác trên địa bàn toàn tỉnh | Kế hoạch năm | 5.000.000.000 | 86,7% |\n\
              | HTX thành lập mới | Kế hoạch 6 tháng đầu năm | 13 | 100% |\n";
    let bytes = render_docx(&sample_frame(), md).expect("render");
    let doc = &unzip(&bytes)["word/document.xml"];
    let widths = body_table_widths(doc);
    assert_eq!(widths.len(), 4);
    assert_eq!(widths.iter().sum::<usize>(), TEXT_W, "{widths:?}");
    let fits = |text: &str, bold: bool| body::printed_width(text, bold) + body::CELL_PADDING;
    assert!(widths[2] >= fits("5.000.000.000", false), "{widths:?}");
    assert!(widths[3] >= fits("86,7%", false), "{widths:?}");
    assert!(widths[2] >= fits("Thực", true) && widths[0] >= fits("Chỉ", true));
    // The long name takes what is left, and wraps.
    assert!(widths[0] > widths[3], "{widths:?}");
}

/// The `<w:p>` element holding `text`.
fn paragraph_with<'a>(doc: &'a str, text: &str) -> &'a str {
    let at = doc.find(text).unwrap_or_else(|| panic!("no {text:?}"));
    let start = doc[..at].rfind("<w:p>").max(doc[..at].rfind("<w:p "));
    let start = start.expect("a paragraph");
    let end = at + doc[at..].find("</w:p>").expect("closed") + "</w:p>".len();
    &doc[start..end]
}

/// The rows (`<w:tr>` elements) of the bordered table holding `text`.
fn rows_of_table_with<'a>(doc: &'a str, text: &str) -> Vec<&'a str> {
    let table = doc
        .split("<w:tbl>")
        .find(|t| t.contains("<w:top w:val=\"single\"") && t.contains(text))
        .expect("a body table");
    let table = &table[..table.find("</w:tbl>").expect("closed")];
    table.split("<w:tr>").skip(1).collect()
}

fn keeps_with_next(xml: &str) -> bool {
    xml.contains("<w:keepNext />")
}

#[test]
fn headings_keep_with_what_follows_and_body_paragraphs_have_no_widows() {
    let doc =
        &unzip(&render_docx(&sample_frame(), SAMPLE_MD).expect("render"))["word/document.xml"];
    for heading in ["I. KẾT QUẢ THỰC HIỆN", "1. Phương hướng"] {
        let p = paragraph_with(doc, heading);
        assert!(keeps_with_next(p), "{heading}: {p}");
        assert!(p.contains("<w:keepLines />"), "{heading}: {p}");
    }
    let p = paragraph_with(doc, "tiếp tục phát triển ổn định");
    assert!(p.contains(r#"<w:widowControl w:val="1" />"#), "{p}");
    assert!(!keeps_with_next(p), "an ordinary paragraph flows: {p}");
}

#[test]
fn a_caption_stays_with_its_table_and_a_short_table_on_one_page() {
    let md = "# I. SỐ LIỆU\n\nSố liệu tính đến ngày 30/06/2022.\n\n\
              | Huyện | HTX |\n|---|---:|\n| Gia Bình | 52 |\n| Lương Tài | 65 |\n| **Tổng cộng** | **117** |\n\n\
              Đoạn sau bảng.\n\nĐoạn kết.\n";
    let doc = &unzip(&render_docx(&sample_frame(), md).expect("render"))["word/document.xml"];
    assert!(keeps_with_next(paragraph_with(doc, "Số liệu tính đến")));
    let rows = rows_of_table_with(doc, "Gia Bình");
    assert_eq!(rows.len(), 4);
    assert!(rows[..3].iter().all(|r| keeps_with_next(r)), "{rows:?}");
    assert!(!keeps_with_next(rows[3]), "the table lets what follows go");
    assert!(!keeps_with_next(paragraph_with(doc, "Đoạn sau bảng.")));
    // Long prose before a table is no caption: it may stay behind when the table moves on.
    let md = format!(
        "{}\n\n| Huyện | HTX |\n|---|---:|\n| Gia Bình | 52 |\n\nĐoạn kết.\n",
        "Một câu dài về dư nợ của Quỹ. ".repeat(20)
    );
    let doc = &unzip(&render_docx(&sample_frame(), &md).expect("render"))["word/document.xml"];
    assert!(!keeps_with_next(paragraph_with(doc, "Một câu dài")));
}

#[test]
fn a_long_table_runs_on_but_keeps_its_first_and_last_rows_company() {
    let mut md = String::from("| Xã | HTX |\n|---|---:|\n");
    for i in 0..30 {
        md.push_str(&format!("| Xã số {i} | {i} |\n"));
    }
    md.push_str("| **Tổng cộng** | **435** |\n\nĐoạn kết.\n");
    let doc = &unzip(&render_docx(&sample_frame(), &md).expect("render"))["word/document.xml"];
    let rows = rows_of_table_with(doc, "Xã số 0");
    assert_eq!(rows.len(), 32);
    let kept: Vec<usize> = (0..rows.len())
        .filter(|&i| keeps_with_next(rows[i]))
        .collect();
    // The heading row and the first row together; the last but one with the total.
    assert_eq!(kept, vec![0, 1, 30], "rows kept with the next");
    assert!(rows[0].contains("<w:tblHeader />"));
}

#[test]
fn the_closing_paragraph_or_table_stays_with_the_signature() {
    let doc =
        &unzip(&render_docx(&sample_frame(), SAMPLE_MD).expect("render"))["word/document.xml"];
    let p = paragraph_with(doc, "Nâng cao chất lượng.");
    assert!(keeps_with_next(p) && p.contains("<w:keepLines />"), "{p}");
    // A long closing paragraph may split, but keeps its last lines with the signature.
    let long = format!(
        "# I. KẾT LUẬN\n\n{}\n",
        "Một câu dài của đoạn kết. ".repeat(40)
    );
    let doc = &unzip(&render_docx(&sample_frame(), &long).expect("render"))["word/document.xml"];
    let p = paragraph_with(doc, "Một câu dài");
    assert!(keeps_with_next(p) && !p.contains("<w:keepLines />"), "{p}");
    assert!(p.contains(r#"<w:widowControl w:val="1" />"#));

    let md = "Đoạn đầu.\n\n| Chỉ tiêu | Đạt |\n|---|---:|\n| HTX mới | 86,7% |\n";
    let doc = &unzip(&render_docx(&sample_frame(), md).expect("render"))["word/document.xml"];
    let rows = rows_of_table_with(doc, "HTX mới");
    assert!(rows.iter().all(|r| keeps_with_next(r)), "{rows:?}");
}

#[test]
fn which_rows_keep_with_the_next() {
    assert_eq!(rows_kept_with_next(3, 1, false), [true, true, false]);
    assert_eq!(rows_kept_with_next(3, 1, true), [true, true, true]);
    let long = rows_kept_with_next(SHORT_TABLE_ROWS + 1, 1, false);
    assert_eq!(long.iter().filter(|k| **k).count(), 3, "{long:?}");
    assert!(long[0] && long[1] && long[SHORT_TABLE_ROWS - 1]);
    assert!(!long[SHORT_TABLE_ROWS]);
}
