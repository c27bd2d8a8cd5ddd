//! Text hygiene (NFC, XML-safe characters) and the package parts docx-rs does not let us
//! set.

use super::*;

/// NFC-compose, normalise line endings and drop characters that
/// are not allowed in XML 1.0.
pub(super) fn clean(s: &str) -> String {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    s.nfc()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' => Some(' '),
            c if (c as u32) < 0x20 => None,
            '\u{FFFE}' | '\u{FFFF}' => None,
            c => Some(c),
        })
        .collect()
}

pub(super) fn single_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(super) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// docProps/core.xml with the subject as title and Vietnamese as language.
pub(super) fn core_properties_xml(title: &str, creator: &str, now: &str) -> Vec<u8> {
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
            r#"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#,
            r#"xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
            r#"<dc:title>{title}</dc:title><dc:creator>{creator}</dc:creator>"#,
            r#"<cp:lastModifiedBy>{creator}</cp:lastModifiedBy><cp:revision>1</cp:revision>"#,
            r#"<dc:language>vi-VN</dc:language>"#,
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>"#,
            r#"<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified>"#,
            r#"</cp:coreProperties>"#
        ),
        title = xml_escape(title),
        creator = xml_escape(creator),
        now = now,
    )
    .into_bytes()
}

/// Insert `<w:lang w:val="vi-VN"/>` into the default run properties of
/// styles.xml (docx-rs has no API for it). `w:lang` is the last child we
/// emit there, so appending before `</w:rPr></w:rPrDefault>` keeps schema
/// order. Leaves the part unchanged if the expected markup is not found.
pub(super) fn add_default_language(styles: &[u8]) -> Vec<u8> {
    const ANCHOR: &str = "</w:rPr></w:rPrDefault>";
    const LANG: &str = r#"<w:lang w:val="vi-VN" w:eastAsia="vi-VN" w:bidi="ar-SA" />"#;
    let Ok(s) = std::str::from_utf8(styles) else {
        return styles.to_vec();
    };
    if s.contains("<w:lang") {
        return styles.to_vec();
    }
    match s.find(ANCHOR) {
        Some(pos) => {
            let mut out = String::with_capacity(s.len() + LANG.len());
            out.push_str(&s[..pos]);
            out.push_str(LANG);
            out.push_str(&s[pos..]);
            out.into_bytes()
        }
        None => styles.to_vec(),
    }
}

/// docx-rs writes `w:headerReference` after `w:pgSz`/`w:pgMar`/`w:cols`
/// in the body `w:sectPr`; the schema (CT_SectPr) wants header/footer
/// references first. Move them there so strict consumers accept the part.
pub(super) fn header_refs_first(document: &[u8]) -> Vec<u8> {
    const OPEN: &str = "<w:sectPr>";
    const CLOSE: &str = "</w:sectPr>";
    let Ok(s) = std::str::from_utf8(document) else {
        return document.to_vec();
    };
    let (Some(start), Some(end)) = (s.rfind(OPEN), s.rfind(CLOSE)) else {
        return document.to_vec();
    };
    let inner_start = start + OPEN.len();
    if end < inner_start {
        return document.to_vec();
    }
    let inner = &s[inner_start..end];
    let mut refs = String::new();
    let mut rest = String::with_capacity(inner.len());
    let mut cursor = 0;
    while let Some(rel) = inner[cursor..].find('<') {
        let tag_start = cursor + rel;
        let Some(close_rel) = inner[tag_start..].find('>') else {
            return document.to_vec();
        };
        let tag_end = tag_start + close_rel + 1;
        let tag = &inner[tag_start..tag_end];
        rest.push_str(&inner[cursor..tag_start]);
        let is_ref =
            tag.starts_with("<w:headerReference ") || tag.starts_with("<w:footerReference ");
        if is_ref && tag.ends_with("/>") {
            refs.push_str(tag);
        } else {
            rest.push_str(tag);
        }
        cursor = tag_end;
    }
    rest.push_str(&inner[cursor..]);
    let mut out = String::with_capacity(s.len());
    out.push_str(&s[..inner_start]);
    out.push_str(&refs);
    out.push_str(&rest);
    out.push_str(&s[end..]);
    out.into_bytes()
}

/// Marks the heading row of every body table (the bordered ones; the frame's layout tables
/// have none) as a header row, so a table that runs onto the next page repeats its headings
/// there. docx-rs has no setting for `w:tblHeader`.
pub(super) fn repeat_header_rows(document: &[u8]) -> Vec<u8> {
    const TABLE: &str = "<w:tbl>";
    const FIRST_ROW: &str = "<w:trPr><w:cantSplit /></w:trPr>";
    const HEADER_ROW: &str = "<w:trPr><w:cantSplit /><w:tblHeader /></w:trPr>";
    let Ok(s) = std::str::from_utf8(document) else {
        return document.to_vec();
    };
    let mut out = String::with_capacity(s.len() + 1024);
    let mut pieces = s.split(TABLE);
    out.push_str(pieces.next().unwrap_or_default());
    for table in pieces {
        out.push_str(TABLE);
        let properties_end = table.find("</w:tblPr>").unwrap_or(0);
        let bordered = table[..properties_end].contains("<w:top w:val=\"single\"");
        match (bordered, table.find(FIRST_ROW)) {
            (true, Some(at)) => {
                out.push_str(&table[..at]);
                out.push_str(HEADER_ROW);
                out.push_str(&table[at + FIRST_ROW.len()..]);
            }
            _ => out.push_str(table),
        }
    }
    out.into_bytes()
}
