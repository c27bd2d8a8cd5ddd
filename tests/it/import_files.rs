//! Files for the import tests, built in the test: a workbook as a spreadsheet program
//! writes it, its parts changed one by one, and a small workbook that inflates to 1 GB; and
//! the refusal of a file as the user reads it.

use crate::support::{TestDb, d};
use htx::import::import_file;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use zip::write::SimpleFileOptions;

pub const HEADINGS: &str = "Mã số đăng ký,Loại hình,Tên tổ chức,Ngày thành lập,Mã xã,Lĩnh vực";

pub const ROW: [&str; 6] = [
    "2725600901",
    "HTX",
    "HTX Thương mại Vũ Ninh",
    "15/03/2022",
    "09163",
    "trade",
];

pub const SHEET_PART: &str = "xl/worksheets/sheet1.xml";

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
pub fn with_part(name: &str, change: impl Fn(&[u8]) -> Option<Vec<u8>>) -> Vec<u8> {
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

pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The refusal of a file (written nothing), as the user reads it.
pub async fn refusal(db: &TestDb, name: &str, bytes: &[u8]) -> String {
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

/// A small workbook whose shared strings inflate to about 1 GB, written as a stream (used by
/// the resource tests).
#[allow(dead_code)]
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
