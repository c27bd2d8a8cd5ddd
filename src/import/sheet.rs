//! Reads .xlsx and .csv files into plain sheets of text cells.

use crate::domain::text;
use crate::error::{Error, Result};
use crate::import::limits::{MAX_CELL_CHARS, MAX_CELLS, MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROWS};
use crate::import::package;
use calamine::{DataRef, Reader, SheetType, Xlsx, XlsxError};
use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::Path;

/// One sheet: its name, its heading row and data rows with their spreadsheet row numbers.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub headings: Vec<String>,
    /// The row number of the headings as the user sees it (1-based).
    pub heading_row: usize,
    /// (row number as the user sees it, 1-based; cells as NFC text).
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Reads every sheet of an .xlsx file, or the single sheet of a .csv file, within the caps
/// of [`crate::import::limits`].
pub fn read(path: &Path) -> Result<Vec<Sheet>> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if !matches!(ext.as_str(), "csv" | "xlsx" | "xlsm") {
        return Err(Error::invalid(
            path.display().to_string(),
            "chỉ nhận tệp .xlsx hoặc .csv",
        ));
    }
    let size = std::fs::metadata(path)
        .map_err(|e| {
            Error::invalid(
                path.display().to_string(),
                match e.kind() {
                    std::io::ErrorKind::NotFound => "không có tệp này".to_string(),
                    _ => format!("không mở được tệp: {e}"),
                },
            )
        })?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(Error::invalid(
            path.display().to_string(),
            format!(
                "tệp quá lớn: {} MB (giới hạn {} MB)",
                text::number((size >> 20) as i64),
                text::number((MAX_FILE_BYTES >> 20) as i64)
            ),
        ));
    }
    let bytes = std::fs::read(path)?;
    match ext.as_str() {
        "csv" => read_csv(&bytes, &file_stem(path)),
        _ => read_workbook(bytes),
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
    check_field_counts(content.as_bytes(), delimiter, name)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(content.as_bytes());
    let mut budget = Budget::default();
    let mut sheet = SheetBuilder::new(name.to_string(), &mut budget);
    let mut lines = LineCounter::new(content.as_bytes());
    let mut record = csv::StringRecord::new();
    loop {
        let line = lines.line_at(reader.position().byte() as usize);
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(Error::invalid(format!("dòng {line}"), e.to_string())),
        }
        // The reader skips blank lines: take the line number from where the record starts.
        let line = record
            .position()
            .map_or(line, |p| lines.line_at(p.byte() as usize));
        for (column, cell) in record.iter().enumerate() {
            sheet.put(line, column, cell)?;
        }
    }
    Ok(vec![sheet.finish()])
}

/// Most fields on one CSV line, blank ones included (Excel's own column limit). The CSV reader
/// keeps every field's bounds, so a line of millions of commas would take its memory.
const MAX_CSV_FIELDS: usize = 16_384;

/// Refuses a line with more than [`MAX_CSV_FIELDS`] fields, counting separators outside
/// quotes in one pass before the CSV reader runs.
fn check_field_counts(bytes: &[u8], delimiter: u8, name: &str) -> Result<()> {
    let (mut line, mut fields, mut quoted) = (1usize, 1usize, false);
    for &b in bytes {
        match b {
            b'"' => quoted = !quoted,
            b'\n' => {
                line += 1;
                if !quoted {
                    fields = 1;
                }
            }
            _ if b == delimiter && !quoted => {
                fields += 1;
                if fields > MAX_CSV_FIELDS {
                    return Err(Error::invalid(
                        format!("sheet \"{name}\""),
                        format!(
                            "dòng {line}: quá {} cột",
                            text::number(MAX_CSV_FIELDS as i64)
                        ),
                    ));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Line numbers of byte offsets that only move forward, counted once: the newlines up to
/// the last offset asked for are remembered, so a file costs one pass however many records.
struct LineCounter<'a> {
    bytes: &'a [u8],
    scanned: usize,
    newlines: usize,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        LineCounter {
            bytes,
            scanned: 0,
            newlines: 0,
        }
    }

    /// The 1-based line of the first character at or after `offset` that is not a line break
    /// (a record's position may point at the blank lines before it).
    fn line_at(&mut self, offset: usize) -> usize {
        let mut start = offset.max(self.scanned).min(self.bytes.len());
        while start < self.bytes.len() && matches!(self.bytes[start], b'\n' | b'\r') {
            start += 1;
        }
        self.newlines += self.bytes[self.scanned..start]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        self.scanned = start;
        1 + self.newlines
    }
}

fn read_workbook(bytes: Vec<u8>) -> Result<Vec<Sheet>> {
    package::check(&bytes)?;
    let mut book = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| Error::invalid("tệp", format!("không đọc được bảng tính: {e}")))?;
    let names: Vec<String> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect();
    let mut budget = Budget::default();
    let mut sheets = Vec::new();
    for name in names {
        let broken = |e: XlsxError| {
            Error::invalid(
                "tệp",
                format!("bảng tính hỏng: không đọc được sheet \"{name}\": {e}"),
            )
        };
        let mut cells = book.worksheet_cells_reader(&name).map_err(broken)?;
        let mut sheet = SheetBuilder::new(name.clone(), &mut budget);
        while let Some(cell) = cells.next_cell().map_err(broken)? {
            let (row, column) = cell.get_position();
            let value = cell_text(cell.get_value());
            sheet.put(row as usize + 1, column as usize, &value)?;
        }
        sheets.push(sheet.finish());
    }
    Ok(sheets)
}

/// What the whole file may still hold.
struct Budget {
    cells: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Budget { cells: MAX_CELLS }
    }
}

/// Collects one sheet's filled cells by row, refusing a sheet beyond the caps. Cells may come
/// in any order; blank rows never become rows.
struct SheetBuilder<'a> {
    name: String,
    rows: BTreeMap<usize, Vec<String>>,
    budget: &'a mut Budget,
}

impl<'a> SheetBuilder<'a> {
    fn new(name: String, budget: &'a mut Budget) -> Self {
        SheetBuilder {
            name,
            rows: BTreeMap::new(),
            budget,
        }
    }

    fn too_large(&self, reason: String) -> Error {
        Error::invalid(format!("sheet \"{}\"", self.name), reason)
    }

    /// Puts the cell of a (1-based) row and (0-based) column; blank cells are dropped.
    fn put(&mut self, row: usize, column: usize, value: &str) -> Result<()> {
        if value.trim().is_empty() {
            return Ok(());
        }
        let place = || format!("dòng {row}, cột {}", column_letters(column));
        if column >= MAX_COLUMNS {
            return Err(self.too_large(format!(
                "{}: quá {} cột (giới hạn của một sheet)",
                place(),
                text::number(MAX_COLUMNS as i64)
            )));
        }
        let chars = value.chars().count();
        if chars > MAX_CELL_CHARS {
            return Err(self.too_large(format!(
                "{}: ô dài {} ký tự, quá giới hạn {} ký tự",
                place(),
                text::number(chars as i64),
                text::number(MAX_CELL_CHARS as i64)
            )));
        }
        if self.budget.cells == 0 {
            return Err(self.too_large(format!(
                "{}: tệp có quá {} ô có dữ liệu",
                place(),
                text::number(MAX_CELLS as i64)
            )));
        }
        // The heading row is one more than the data rows allowed.
        if !self.rows.contains_key(&row) && self.rows.len() > MAX_ROWS {
            return Err(self.too_large(format!(
                "dòng {row}: quá {} dòng có dữ liệu (giới hạn của một sheet)",
                text::number(MAX_ROWS as i64)
            )));
        }
        self.budget.cells -= 1;
        let cells = self.rows.entry(row).or_default();
        if cells.len() <= column {
            cells.resize(column + 1, String::new());
        }
        cells[column] = text::clean(value);
        Ok(())
    }

    /// The first row is the headings, the others data.
    fn finish(self) -> Sheet {
        let mut rows = self.rows.into_iter();
        let (heading_row, headings) = rows.next().unwrap_or((1, Vec::new()));
        Sheet {
            name: self.name,
            headings,
            heading_row,
            rows: rows.collect(),
        }
    }
}

/// A column as the spreadsheet names it: 0 → A, 25 → Z, 26 → AA.
pub fn column_letters(column: usize) -> String {
    let mut n = column + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    letters.into_iter().map(char::from).collect()
}

/// A cell as text: whole numbers without ".0", dates as ISO.
fn cell_text(cell: &DataRef<'_>) -> String {
    match cell {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 9e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => if *b { "1" } else { "0" }.to_string(),
        DataRef::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
        DataRef::DateTimeIso(s) => s.chars().take(10).collect(),
        DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => format!("#ERR {e}"),
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
    fn line_numbers_follow_blank_lines_and_carriage_returns() {
        let data = b"A,B\r\n\r\n1,2\r\n\n\n3,4\n";
        let rows: Vec<usize> = read_csv(data, "x").unwrap()[0]
            .rows
            .iter()
            .map(|r| r.0)
            .collect();
        assert_eq!(rows, [3, 6]);
    }

    #[test]
    fn a_line_of_too_many_fields_is_refused_before_it_is_parsed() {
        let wide = ",".repeat(MAX_CSV_FIELDS);
        let err = read_csv(format!("A\n{wide}\n").as_bytes(), "x").unwrap_err();
        assert!(err.to_string().contains("dòng 2: quá 16.384 cột"), "{err}");
        let quoted = format!("A,B\n\"{wide}\",1\n");
        assert_eq!(read_csv(quoted.as_bytes(), "x").unwrap()[0].rows.len(), 1);
    }

    #[test]
    fn columns_are_named_as_the_spreadsheet_names_them() {
        let names: Vec<String> = [0, 25, 26, 499, 16383].map(column_letters).to_vec();
        assert_eq!(names, ["A", "Z", "AA", "SF", "XFD"]);
    }

    #[test]
    fn csv_that_is_not_utf8_is_refused_with_advice() {
        let err = read_csv(b"M\xe3;T\xean\n", "x").unwrap_err();
        assert!(err.to_string().contains("UTF-8"), "{err}");
    }
}
