//! Rows of recognised sheets: cells by column key, and errors that name sheet, row and column.

use crate::domain::{parse_date, text};
use crate::error::{Error, Result};
use crate::import::columns::{Col, Column, SheetKind, duplicated_heading, recognise};
use crate::import::sheet::{Sheet, column_letters};
use crate::store::Store;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;
use std::sync::Arc;
use time::Date;

/// One problem in one cell (or row).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RowError {
    pub sheet: String,
    pub row: usize,
    pub column: String,
    pub reason: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "sheet \"{}\", dòng {}, cột \"{}\": {}",
            self.sheet, self.row, self.column, self.reason
        )
    }
}

/// A row of a sheet with access to its cells by column key.
pub struct Row<'a> {
    pub sheet: &'a str,
    pub number: usize,
    pub kind: SheetKind,
    pub cells: &'a [String],
    pub positions: Arc<[Option<usize>]>,
}

impl Row<'_> {
    /// The column of this sheet with the key, and its value in this row. A key the sheet does
    /// not have (a mistake in the code, caught by the tests) reads as a blank cell.
    fn column(&self, key: Col) -> (Column, Option<&str>) {
        let columns = self.kind.columns();
        let Some(i) = columns.iter().position(|c| c.key == key) else {
            debug_assert!(false, "sheet {:?} has no column {key:?}", self.kind);
            return (Column::unknown(key), None);
        };
        let value = self
            .positions
            .get(i)
            .copied()
            .flatten()
            .and_then(|p| self.cells.get(p))
            .map(|s| s.trim())
            .filter(|s| !s.is_empty());
        (columns[i], value)
    }

    pub fn get(&self, key: Col) -> Option<&str> {
        self.column(key).1
    }

    pub fn error(&self, key: Col, reason: impl Into<String>) -> RowError {
        RowError {
            sheet: self.sheet.to_string(),
            row: self.number,
            column: self.column(key).0.heading.to_string(),
            reason: reason.into(),
        }
    }

    /// The errors of this row for an input the application layer refused: each problem at
    /// the column that holds its field (`column` names that column's key for a field). An
    /// error other than invalid input (the database failed) is passed on.
    pub fn refusal(&self, e: Error, column: impl Fn(&str) -> &str) -> Result<Vec<RowError>> {
        match e {
            Error::Invalid(problems) => Ok(problems
                .iter()
                .map(|p| self.field_error(column(&p.field), &p.reason))
                .collect()),
            other => Err(other),
        }
    }

    /// An error about the field of an application-layer input: at the column holding that
    /// field, or at the row when no column does.
    pub fn field_error(&self, field: &str, reason: impl Into<String>) -> RowError {
        match Col::named(field) {
            Some(key) => self.error(key, reason),
            None => RowError {
                sheet: self.sheet.to_string(),
                row: self.number,
                column: field.to_string(),
                reason: reason.into(),
            },
        }
    }

    pub fn required(&self, key: Col, errors: &mut Vec<RowError>) -> Option<String> {
        match self.get(key) {
            Some(v) => Some(text::clean(v)),
            None => {
                errors.push(self.error(key, "bắt buộc, đang để trống"));
                None
            }
        }
    }

    pub fn date(&self, key: Col, errors: &mut Vec<RowError>) -> Option<Date> {
        let raw = self.required(key, errors)?;
        match parse_date(&raw) {
            Ok(d) => Some(d),
            Err(e) => {
                errors.push(self.error(key, e));
                None
            }
        }
    }

    /// An optional date: `None` when the cell is blank, an error when it cannot be read.
    pub fn optional_date(&self, key: Col, errors: &mut Vec<RowError>) -> Option<Date> {
        self.get(key)?;
        self.date(key, errors)
    }

    /// Refuses a date after today, for rows that record what has happened.
    pub fn not_future(
        &self,
        key: Col,
        date: Date,
        today: Date,
        errors: &mut Vec<RowError>,
    ) -> bool {
        if date > today {
            errors.push(self.error(
                key,
                format!(
                    "ngày {} ở tương lai (hôm nay là {})",
                    text::date(date),
                    text::date(today)
                ),
            ));
            return false;
        }
        true
    }

    /// A whole number that must be filled.
    pub fn required_number(&self, key: Col, errors: &mut Vec<RowError>) -> Option<i64> {
        if self.get(key).is_none() {
            errors.push(self.error(key, "bắt buộc, đang để trống"));
            return None;
        }
        self.number(key, errors)
    }

    /// The organisation a registration-code cell names, which must be in the registry.
    /// `Ok(None)` when the cell is blank or names no organisation (then with an error).
    pub async fn org(
        &self,
        store: &Store,
        key: Col,
        errors: &mut Vec<RowError>,
    ) -> Result<Option<i64>> {
        let Some(code) = self.get(key) else {
            return Ok(None);
        };
        Ok(match store.org_by_code(code).await? {
            Some(o) => Some(o.id),
            None => {
                errors.push(self.error(key, format!("không có tổ chức mã số {code} trong sổ")));
                None
            }
        })
    }

    pub fn flag(&self, key: Col) -> bool {
        self.get(key).is_some_and(|v| {
            matches!(
                text::fold(v).as_str(),
                "x" | "1" | "co" | "yes" | "true" | "dat"
            )
        })
    }

    pub fn number(&self, key: Col, errors: &mut Vec<RowError>) -> Option<i64> {
        let raw = self.get(key)?;
        // The one reader of typed numbers (Vietnamese grouping, "1,5" refused, not 15);
        // a figure such as a loss may be negative.
        let (negative, digits) = match raw.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, raw),
        };
        match text::parse_whole_number(digits) {
            Ok(Some(n)) => Some(if negative { -n } else { n }),
            _ => {
                errors.push(self.error(key, format!("\"{raw}\" không phải số nguyên")));
                None
            }
        }
    }
}

/// The earliest and latest of some dates: the range of stored records a sheet's rows could
/// match, so a check reads that range once instead of once per row.
pub fn span(dates: impl Iterator<Item = Date>) -> Option<(Date, Date)> {
    dates.fold(None, |acc, d| match acc {
        None => Some((d, d)),
        Some((a, b)) => Some((a.min(d), b.max(d))),
    })
}

/// The data rows of every recognised sheet (sheets in file order), and the names of sheets
/// that were not recognised. Instruction and reference sheets are skipped silently.
/// A recognised sheet whose headings are ambiguous is an error naming the sheet, both columns
/// and the heading.
pub fn recognised_rows(sheets: &[Sheet]) -> Result<(Vec<Row<'_>>, Vec<String>)> {
    let mut recognised = Vec::new();
    let mut ignored = Vec::new();
    for sheet in sheets {
        match recognise(&sheet.headings) {
            Some((kind, _)) if let Some(why) = duplicated_heading(kind, &sheet.headings) => {
                return Err(Error::invalid(format!("sheet \"{}\"", sheet.name), why));
            }
            Some((kind, positions)) => recognised.push((sheet, positions, kind)),
            None if sheet.rows.is_empty() || is_reference_sheet(&sheet.name) => {}
            None => ignored.push(sheet.name.clone()),
        }
    }
    let mut rows = Vec::new();
    for (sheet, positions, kind) in recognised {
        let positions: Arc<[Option<usize>]> = positions.into();
        rows.extend(sheet.rows.iter().map(|(number, cells)| Row {
            sheet: &sheet.name,
            number: *number,
            kind,
            cells,
            positions: positions.clone(),
        }));
    }
    Ok((rows, ignored))
}

/// The columns of recognised sheets that match no column of their kind, one notice per sheet
/// at its heading row ("cột không dùng: \"Ghi chú\" (cột H)"), so that a value typed under a
/// misspelt or unknown heading is not lost without a word. Blank headings are not named.
pub fn unused_columns(sheets: &[Sheet]) -> Vec<RowError> {
    sheets
        .iter()
        .filter_map(|sheet| {
            let (_, positions) = recognise(&sheet.headings)?;
            let unused: Vec<(usize, &String)> = sheet
                .headings
                .iter()
                .enumerate()
                .filter(|(i, h)| !h.trim().is_empty() && !positions.contains(&Some(*i)))
                .collect();
            if unused.is_empty() {
                return None;
            }
            let letters: Vec<String> = unused.iter().map(|(i, _)| column_letters(*i)).collect();
            let named: Vec<String> = unused
                .iter()
                .map(|(i, h)| format!("\"{h}\" (cột {})", column_letters(*i)))
                .collect();
            Some(RowError {
                sheet: sheet.name.clone(),
                row: sheet.heading_row,
                column: letters.join(", "),
                reason: format!("cột không dùng: {}", named.join(", ")),
            })
        })
        .collect()
}

fn is_reference_sheet(name: &str) -> bool {
    let n = text::fold(name);
    n.contains("huong dan") || n.contains("danh muc")
}

/// Records already known by their identity — in the store, or on an earlier row of the same
/// file — found by key in constant time, so that a long sheet is checked in linear time.
pub struct KnownRecords<K> {
    stored: HashMap<K, usize>,
    planned: HashMap<K, usize>,
}

impl<K: Hash + Eq> KnownRecords<K> {
    /// Indexes the stored records (the first of equal keys is the one found).
    pub fn new<T>(stored: &[T], key: impl Fn(&T) -> K) -> Self {
        let mut index = HashMap::new();
        for (i, record) in stored.iter().enumerate() {
            index.entry(key(record)).or_insert(i);
        }
        KnownRecords {
            stored: index,
            planned: HashMap::new(),
        }
    }

    /// The record with this key, with the words that say where; `None` when it is new.
    pub fn find<'a, T>(
        &self,
        key: &K,
        stored: &'a [T],
        planned: &'a [T],
    ) -> Option<(&'a T, &'static str)> {
        self.stored
            .get(key)
            .map(|i| (&stored[*i], "đã có trong sổ"))
            .or_else(|| {
                self.planned
                    .get(key)
                    .map(|i| (&planned[*i], "đã có ở dòng trước trong tệp"))
            })
    }

    /// Remembers that `planned[index]` has this key.
    pub fn plan(&mut self, key: K, index: usize) {
        self.planned.entry(key).or_insert(index);
    }
}
