//! Reads .xlsx and .csv files into plain sheets of text cells.

use crate::domain::text;
use crate::error::{Error, Result};
use calamine::{Data, Reader, open_workbook_auto_from_rs};
use std::io::Cursor;
use std::path::Path;

/// One sheet: its name, its heading row and data rows with their spreadsheet row numbers.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub headings: Vec<String>,
    /// (row number as the user sees it, 1-based; cells as NFC text).
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Reads every sheet of an .xlsx file, or the single sheet of a .csv file.
pub fn read(path: &Path) -> Result<Vec<Sheet>> {
    let bytes = std::fs::read(path)?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "csv" => read_csv(&bytes, &file_stem(path)),
        "xlsx" | "xlsm" | "xls" | "ods" => read_workbook(bytes),
        _ => Err(Error::invalid(
            path.display().to_string(),
            "chỉ nhận tệp .xlsx hoặc .csv",
        )),
    }
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("csv")
        .to_string()
}

/// Reads CSV (UTF-8, with or without BOM; comma or semicolon separated).
pub fn read_csv(bytes: &[u8], name: &str) -> Result<Vec<Sheet>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let content = std::str::from_utf8(bytes).map_err(|e| {
        Error::invalid(
            name,
            format!(
                "tệp CSV không phải UTF-8 (byte {}): hãy lưu lại bằng \"CSV UTF-8\"",
                e.valid_up_to()
            ),
        )
    })?;
    let first_line = content.lines().next().unwrap_or("");
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(content.as_bytes());
    let mut records = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record =
            record.map_err(|e| Error::invalid(format!("dòng {}", i + 1), e.to_string()))?;
        // The reader skips blank lines: take the line number from the record itself.
        // (A record's position may point at the blank lines before it.)
        let line = record.position().map_or(i + 1, |p| {
            let bytes = content.as_bytes();
            let mut start = p.byte() as usize;
            while start < bytes.len() && matches!(bytes[start], b'\n' | b'\r') {
                start += 1;
            }
            1 + bytes[..start].iter().filter(|b| **b == b'\n').count()
        });
        records.push((line, record.iter().map(text::clean).collect::<Vec<_>>()));
    }
    Ok(vec![into_sheet(name.to_string(), records)])
}

fn read_workbook(bytes: Vec<u8>) -> Result<Vec<Sheet>> {
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| Error::invalid("tệp", format!("không đọc được bảng tính: {e}")))?;
    let mut sheets = Vec::new();
    for (name, range) in book.worksheets() {
        let (start_row, start_col) = range.start().unwrap_or((0, 0));
        let mut records = Vec::new();
        for (i, row) in range.rows().enumerate() {
            let mut cells = vec![String::new(); start_col as usize];
            cells.extend(row.iter().map(cell_text));
            records.push((start_row as usize + i + 1, cells));
        }
        sheets.push(into_sheet(name, records));
    }
    Ok(sheets)
}

fn into_sheet(name: String, records: Vec<(usize, Vec<String>)>) -> Sheet {
    let mut iter = records
        .into_iter()
        .skip_while(|(_, cells)| cells.iter().all(String::is_empty));
    let headings = iter.next().map(|(_, h)| h).unwrap_or_default();
    let rows = iter
        .filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()))
        .collect();
    Sheet {
        name,
        headings,
        rows,
    }
}

/// A cell as text: whole numbers without ".0", dates as ISO.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => text::clean(s),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 9e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "1" } else { "0" }.to_string(),
        Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
        Data::DateTimeIso(s) => s.chars().take(10).collect(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#ERR {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_bom_and_semicolons_is_read_as_nfc() {
        let data = "\u{FEFF}Mã;Tên\n1;Ho\u{31B}\u{323}p\n\n2;B\n".as_bytes();
        let sheets = read_csv(data, "x").unwrap();
        assert_eq!(sheets[0].headings, ["Mã", "Tên"]);
        assert_eq!(
            sheets[0].rows[0],
            (2, vec!["1".to_string(), "Hợp".to_string()])
        );
        assert_eq!(sheets[0].rows[1].0, 4);
    }

    #[test]
    fn csv_that_is_not_utf8_is_refused_with_advice() {
        let err = read_csv(b"M\xe3;T\xean\n", "x").unwrap_err();
        assert!(err.to_string().contains("UTF-8"), "{err}");
    }
}
