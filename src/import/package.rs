//! Checks an .xlsx package before the spreadsheet reader opens it: the zip must unzip within
//! [`MAX_UNZIPPED_BYTES`] (counted while inflating, not taken from the zip's own declared
//! sizes), every XML part must be well formed without DOCTYPE or entity declarations, and
//! every sheet the workbook lists must have its own worksheet part. The reader itself gives
//! up silently on some of these (an empty sheet instead of an error), so a broken file
//! would otherwise be imported as "nothing to change".

use crate::error::{Error, Result};
use crate::import::limits::{MAX_PARTS, MAX_SHEETS, MAX_UNZIPPED_BYTES};
use quick_xml::events::Event;
use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};
use zip::ZipArchive;

const WORKBOOK: &str = "xl/workbook.xml";
const WORKBOOK_RELS: &str = "xl/_rels/workbook.xml.rels";

fn broken(reason: impl Into<String>) -> Error {
    Error::invalid("tệp", reason)
}

fn broken_part(part: &str, reason: impl std::fmt::Display) -> Error {
    broken(format!("bảng tính hỏng: phần \"{part}\" {reason}"))
}

fn megabytes(bytes: u64) -> String {
    crate::domain::text::number((bytes >> 20) as i64)
}

/// Checks the package of an .xlsx file (see the module's description).
pub fn check(bytes: &[u8]) -> Result<()> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        broken(format!(
            "không phải tệp Excel .xlsx (không mở được như tệp nén zip: {e})"
        ))
    })?;
    if zip.len() > MAX_PARTS {
        return Err(broken(format!(
            "bảng tính có {} phần, quá giới hạn {}",
            zip.len(),
            MAX_PARTS
        )));
    }
    let names: Vec<String> = zip.file_names().map(normalised).collect();
    if !names.iter().any(|n| n == WORKBOOK) {
        return Err(broken(format!(
            "không phải bảng tính Excel .xlsx: thiếu phần \"{WORKBOOK}\""
        )));
    }
    check_unzipped_size(&mut zip)?;
    let mut sheets = Vec::new();
    let mut targets = HashMap::new();
    for i in 0..zip.len() {
        let mut part = zip
            .by_index(i)
            .map_err(|e| broken(format!("bảng tính hỏng: {e}")))?;
        let name = part.name().to_string();
        if !is_xml(&name) {
            continue;
        }
        let path = normalised(&name);
        let mut collect = |e: &quick_xml::events::BytesStart<'_>| match path.as_str() {
            WORKBOOK if e.local_name().as_ref() == "sheet" => sheets.push((
                attribute(e, "name").unwrap_or_default(),
                attribute(e, "r:id").unwrap_or_default(),
            )),
            WORKBOOK_RELS if e.local_name().as_ref() == "Relationship" => {
                if let (Some(id), Some(target)) = (attribute(e, "Id"), attribute(e, "Target")) {
                    targets.insert(id, target);
                }
            }
            _ => {}
        };
        check_xml(&mut part, &mut collect).map_err(|reason| broken_part(&name, reason))?;
    }
    check_sheets(&sheets, &targets, &names)
}

/// Inflates every part into nothing, counting, and stops as soon as the total passes the cap.
fn check_unzipped_size<R: Read + std::io::Seek>(zip: &mut ZipArchive<R>) -> Result<()> {
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let part = zip
            .by_index(i)
            .map_err(|e| broken(format!("bảng tính hỏng: {e}")))?;
        let name = part.name().to_string();
        let room = MAX_UNZIPPED_BYTES - total;
        let read = std::io::copy(&mut part.take(room + 1), &mut std::io::sink())
            .map_err(|e| broken_part(&name, format!("không giải nén được: {e}")))?;
        total += read;
        if total > MAX_UNZIPPED_BYTES {
            return Err(broken(format!(
                "bảng tính quá lớn: giải nén ra hơn {} MB (giới hạn {} MB), tới phần \"{name}\"",
                megabytes(MAX_UNZIPPED_BYTES),
                megabytes(MAX_UNZIPPED_BYTES)
            )));
        }
    }
    Ok(())
}

/// A part's name as the spreadsheet reader looks it up: forward slashes, lower case.
fn normalised(name: &str) -> String {
    name.replace('\\', "/").to_ascii_lowercase()
}

fn is_xml(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".xml") || lower.ends_with(".rels")
}

fn attribute(e: &quick_xml::events::BytesStart<'_>, key: &str) -> Option<String> {
    e.try_get_attribute(key).ok().flatten().and_then(|a| {
        quick_xml::escape::unescape(&a.value)
            .ok()
            .map(|v| v.into_owned())
    })
}

/// Reads one XML part to its end: well formed, one root element, no DOCTYPE, no entity other
/// than the five XML defines and character references. `on_start` sees every element.
fn check_xml(
    part: impl Read,
    on_start: &mut impl FnMut(&quick_xml::events::BytesStart<'_>),
) -> std::result::Result<(), String> {
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(part));
    reader.config_mut().check_end_names = true;
    let mut buf = Vec::new();
    let mut depth = 0usize;
    let mut root_seen = false;
    loop {
        buf.clear();
        let event = reader.read_event_into(&mut buf).map_err(|e| {
            format!(
                "không phải XML hợp lệ (byte {}): {e}",
                reader.buffer_position()
            )
        })?;
        match event {
            Event::Start(e) | Event::Empty(e) if depth == 0 && root_seen => {
                return Err(format!(
                    "không phải XML hợp lệ: có thêm phần tử <{}> sau phần tử gốc",
                    e.name().as_ref()
                ));
            }
            Event::Start(e) => {
                on_start(&e);
                depth += 1;
                root_seen = true;
            }
            Event::Empty(e) => {
                on_start(&e);
                root_seen = true;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Text(t) if depth == 0 && !t.trim().is_empty() => {
                return Err("không phải XML (có chữ nằm ngoài phần tử gốc)".into());
            }
            Event::DocType(_) => {
                return Err("có khai báo DOCTYPE/ENTITY, không được chấp nhận".into());
            }
            Event::GeneralRef(r) if !r.is_char_ref() && !is_predefined_entity(&r) => {
                return Err(format!("dùng thực thể &{}; không được chấp nhận", &*r));
            }
            Event::Eof if !root_seen => return Err("không phải XML (không có phần tử nào)".into()),
            Event::Eof if depth > 0 => {
                return Err("bị cắt cụt (XML kết thúc giữa chừng)".into());
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

fn is_predefined_entity(name: &str) -> bool {
    matches!(name, "amp" | "lt" | "gt" | "quot" | "apos")
}

/// Every sheet the workbook lists has a worksheet part of its own, present in the package.
fn check_sheets(
    sheets: &[(String, String)],
    targets: &HashMap<String, String>,
    names: &[String],
) -> Result<()> {
    if sheets.len() > MAX_SHEETS {
        return Err(broken(format!(
            "bảng tính có {} sheet, quá giới hạn {MAX_SHEETS}",
            sheets.len()
        )));
    }
    let present: HashSet<&str> = names.iter().map(String::as_str).collect();
    let mut used = HashMap::new();
    for (sheet, id) in sheets {
        let Some(target) = targets.get(id) else {
            return Err(broken(format!(
                "bảng tính hỏng: sheet \"{sheet}\" không trỏ tới phần nào (thiếu quan hệ \"{id}\" trong {WORKBOOK_RELS})"
            )));
        };
        let part = normalised(&match target.strip_prefix('/') {
            Some(absolute) => absolute.to_string(),
            None => format!("xl/{target}"),
        });
        if !present.contains(part.as_str()) {
            return Err(broken(format!(
                "bảng tính hỏng: thiếu phần \"{part}\" của sheet \"{sheet}\""
            )));
        }
        if let Some(other) = used.insert(part.clone(), sheet) {
            return Err(broken(format!(
                "bảng tính hỏng: sheet \"{other}\" và sheet \"{sheet}\" cùng trỏ tới phần \"{part}\""
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xml_problem(xml: &str) -> Option<String> {
        check_xml(xml.as_bytes(), &mut |_| {}).err()
    }

    #[test]
    fn well_formed_parts_pass_and_broken_ones_say_why() {
        assert_eq!(
            xml_problem("<?xml version=\"1.0\"?><a x=\"&amp;\">&lt;&#65;</a>"),
            None
        );
        let cases = [
            ("", "không có phần tử nào"),
            ("chỉ là chữ", "không phải XML"),
            ("<a><b></b>", "bị cắt cụt"),
            ("<a></b>", "không phải XML hợp lệ"),
            ("<a/><b/>", "sau phần tử gốc"),
            ("<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>", "DOCTYPE"),
            ("<a>&x;</a>", "&x;"),
        ];
        for (xml, why) in cases {
            let problem = xml_problem(xml).unwrap_or_else(|| panic!("{xml:?} passed"));
            assert!(problem.contains(why), "{xml:?}: {problem}");
        }
    }

    #[test]
    fn sheets_are_found_whatever_the_case_of_their_parts() {
        let targets = HashMap::from([("rId1".to_string(), "Worksheets/Sheet1.xml".to_string())]);
        let names = vec![normalised("XL\\worksheets\\sheet1.XML")];
        let sheets = vec![("Tổ chức".to_string(), "rId1".to_string())];
        assert!(check_sheets(&sheets, &targets, &names).is_ok());
        let twice = vec![sheets[0].clone(), ("Khác".to_string(), "rId1".to_string())];
        let err = check_sheets(&twice, &targets, &names).unwrap_err();
        assert!(err.to_string().contains("cùng trỏ tới"), "{err}");
    }
}
