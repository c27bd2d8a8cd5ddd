//! Lists taken out as files: one writer for every list (registry, loans, activities, audit
//! log) that puts a title line (the list's date and filters), a blank line, the headings and
//! the rows into an XLSX or CSV file. Dates are date cells and money and counts are numbers,
//! so that a spreadsheet sorts, filters and adds them up.

use crate::domain::text;
use crate::web::error::WebError;
use crate::web::forms::non_blank;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use time::{Date, PrimitiveDateTime};

/// The file formats a list is taken out in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Xlsx,
    Csv,
}

impl FileFormat {
    /// `?format=`: xlsx when none is asked for.
    pub fn of(asked: &Option<String>) -> Result<FileFormat, WebError> {
        match non_blank(asked).as_deref() {
            None | Some("xlsx") => Ok(FileFormat::Xlsx),
            Some("csv") => Ok(FileFormat::Csv),
            Some(other) => Err(WebError::invalid(format!(
                "định dạng \"{other}\": chỉ có xlsx hoặc csv"
            ))),
        }
    }

    fn extension(self) -> &'static str {
        match self {
            FileFormat::Xlsx => "xlsx",
            FileFormat::Csv => "csv",
        }
    }
}

/// The download links of a list page: XLSX and CSV of `base` (an address with its filters,
/// ending in `?` or `&`).
pub fn links(download: &str, base: &str) -> Vec<(String, String)> {
    ["xlsx", "csv"]
        .iter()
        .map(|f| {
            (
                format!("{download} {}", f.to_uppercase()),
                format!("{base}format={f}"),
            )
        })
        .collect()
}

/// One cell of a list file.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    /// A count or an amount in đồng.
    Number(i64),
    Date(Date),
    /// A moment in Vietnam's time.
    Moment(PrimitiveDateTime),
    /// Nothing entered (never written as 0).
    Blank,
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Text(s)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Text(s.to_string())
    }
}

/// A list as a file: its title line, its columns (heading, width in characters) and rows.
pub struct ListFile {
    pub sheet: &'static str,
    /// The file name without its extension.
    pub name: String,
    pub title: String,
    pub columns: Vec<(&'static str, f64)>,
    pub rows: Vec<Vec<Value>>,
}

/// The title line's ending for a selection cut at the cap: "Chỉ ghi 200.000 khoản vay đầu
/// tiên; hãy lọc hẹp hơn."
pub fn cut_note(cap: i64, noun: &str) -> String {
    format!(
        " Chỉ ghi {} {noun} đầu tiên; hãy lọc hẹp hơn.",
        text::number(cap)
    )
}

impl ListFile {
    /// The file as a download.
    pub fn respond(&self, format: FileFormat) -> Result<Response, WebError> {
        let (mime, bytes) = match format {
            FileFormat::Csv => ("text/csv; charset=utf-8", self.csv()?),
            FileFormat::Xlsx => (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                self.xlsx()?,
            ),
        };
        Ok((
            [
                (header::CONTENT_TYPE, mime.to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!(
                        "attachment; filename=\"{}.{}\"",
                        self.name,
                        format.extension()
                    ),
                ),
            ],
            bytes,
        )
            .into_response())
    }

    /// CSV in UTF-8 with a byte-order mark (so that spreadsheet programs read the
    /// Vietnamese letters): the title, a blank line, the headings, the rows. Numbers are
    /// plain digits, dates dd/mm/yyyy.
    pub fn csv(&self) -> Result<Vec<u8>, WebError> {
        let mut out = Vec::from("\u{feff}".as_bytes());
        {
            let mut w = csv::WriterBuilder::new()
                .flexible(true)
                .from_writer(&mut out);
            let fail = |e: csv::Error| WebError::invalid(e.to_string());
            w.write_record([self.title.as_str()]).map_err(fail)?;
            w.write_record([""]).map_err(fail)?;
            w.write_record(self.columns.iter().map(|(h, _)| *h))
                .map_err(fail)?;
            for r in &self.rows {
                w.write_record(r.iter().map(csv_text)).map_err(fail)?;
            }
            w.flush().map_err(|e| WebError::invalid(e.to_string()))?;
        }
        Ok(out)
    }

    /// XLSX: the title in bold, the headings frozen with a filter on them, the rows.
    pub fn xlsx(&self) -> Result<Vec<u8>, WebError> {
        let fail = |e: XlsxError| WebError::invalid(e.to_string());
        let mut book = Workbook::new();
        let sheet = book.add_worksheet().set_name(self.sheet).map_err(fail)?;
        let bold = Format::new().set_bold();
        let number = Format::new().set_num_format("#,##0");
        let date = Format::new().set_num_format("dd/mm/yyyy");
        let moment = Format::new().set_num_format("dd/mm/yyyy hh:mm");
        sheet
            .write_with_format(0, 0, &self.title, &bold)
            .map_err(fail)?;
        for (c, (h, width)) in self.columns.iter().enumerate() {
            sheet
                .write_with_format(2, c as u16, *h, &bold)
                .map_err(fail)?;
            sheet.set_column_width(c as u16, *width).map_err(fail)?;
        }
        for (i, r) in self.rows.iter().enumerate() {
            let row = i as u32 + 3;
            for (c, v) in r.iter().enumerate() {
                let col = c as u16;
                match v {
                    Value::Text(s) => sheet.write(row, col, s).map(|_| ()),
                    Value::Number(n) => sheet
                        .write_number_with_format(row, col, *n as f64, &number)
                        .map(|_| ()),
                    Value::Date(d) => sheet
                        .write_datetime_with_format(
                            row,
                            col,
                            crate::report::xlsx::excel_date(*d)?,
                            &date,
                        )
                        .map(|_| ()),
                    Value::Moment(m) => {
                        let when = crate::report::xlsx::excel_date(m.date())?
                            .and_hms(u16::from(m.hour()), m.minute(), m.second())
                            .map_err(fail)?;
                        sheet
                            .write_datetime_with_format(row, col, when, &moment)
                            .map(|_| ())
                    }
                    Value::Blank => Ok(()),
                }
                .map_err(fail)?;
            }
        }
        sheet.set_freeze_panes(3, 0).map_err(fail)?;
        let last_row = (self.rows.len() as u32 + 2).max(3);
        let last_col = (self.columns.len() as u16).saturating_sub(1);
        sheet.autofilter(2, 0, last_row, last_col).map_err(fail)?;
        book.save_to_buffer().map_err(fail)
    }
}

fn csv_text(v: &Value) -> String {
    match v {
        Value::Text(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Date(d) => text::date(*d),
        Value::Moment(m) => format!("{} {:02}:{:02}", text::date(m.date()), m.hour(), m.minute()),
        Value::Blank => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn file() -> ListFile {
        ListFile {
            sheet: "Danh sách",
            name: "danh-sach".into(),
            title: "Danh sách tại ngày 30/06/2022: 2 dòng.".into(),
            columns: vec![
                ("Tên", 20.0),
                ("Ngày", 12.0),
                ("Số tiền", 16.0),
                ("Lúc", 16.0),
            ],
            rows: vec![
                vec![
                    "Hợp tác xã A".into(),
                    Value::Date(date!(2022 - 06 - 30)),
                    Value::Number(1_500_000),
                    Value::Moment(datetime!(2022 - 06 - 30 14:05)),
                ],
                vec!["B".into(), Value::Blank, Value::Blank, Value::Blank],
            ],
        }
    }

    #[test]
    fn csv_has_the_title_the_headings_and_plain_figures() {
        let bytes = file().csv().unwrap();
        let s = String::from_utf8(bytes).unwrap();
        let lines: Vec<&str> = s.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines[0], "Danh sách tại ngày 30/06/2022: 2 dòng.");
        assert_eq!(lines[1], "\"\"");
        assert_eq!(lines[2], "Tên,Ngày,Số tiền,Lúc");
        assert_eq!(lines[3], "Hợp tác xã A,30/06/2022,1500000,30/06/2022 14:05");
        assert_eq!(lines[4], "B,,,", "blank stays blank, not 0");
    }

    #[test]
    fn xlsx_holds_dates_as_dates_and_money_as_numbers() {
        use calamine::{Data, Reader, Xlsx};
        let bytes = file().xlsx().unwrap();
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("Danh sách").unwrap();
        assert_eq!(range.height(), 5);
        assert!(matches!(range.get_value((3, 1)), Some(Data::DateTime(_))));
        assert_eq!(range.get_value((3, 2)), Some(&Data::Float(1_500_000.0)));
        assert!(matches!(range.get_value((3, 3)), Some(Data::DateTime(_))));
        assert!(matches!(range.get_value((4, 2)), None | Some(Data::Empty)));
    }

    #[test]
    fn only_xlsx_and_csv_are_offered() {
        assert_eq!(FileFormat::of(&None).unwrap(), FileFormat::Xlsx);
        assert_eq!(
            FileFormat::of(&Some("csv".into())).unwrap(),
            FileFormat::Csv
        );
        assert!(FileFormat::of(&Some("pdf".into())).is_err());
    }
}
