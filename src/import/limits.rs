//! How large an import file may be. The caps are generous for a province (tens of thousands
//! of organisations, events and yearly figures) and keep one upload from taking the server's
//! memory or time; docs/import-format.md lists them. Every entrance (the command line, the
//! pages and the API) reads files through `import::sheet`, so the same caps hold everywhere.

/// Largest file read, in bytes (the web upload limit may be lower).
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// Largest total size of a workbook's parts once unzipped, in bytes. Real workbooks of a
/// province's registry unzip to a few tens of MB; a "zip bomb" inflates far beyond.
pub const MAX_UNZIPPED_BYTES: u64 = 100 << 20;

/// Most parts (files) inside a workbook.
pub const MAX_PARTS: usize = 1_000;

/// Most sheets in a workbook.
pub const MAX_SHEETS: usize = 100;

/// Most rows holding data in one sheet (blank rows are skipped and not counted).
pub const MAX_ROWS: usize = 100_000;

/// Most columns in one sheet (the widest sheet of the format has 17).
pub const MAX_COLUMNS: usize = 500;

/// Most filled cells in one file, all sheets together.
pub const MAX_CELLS: usize = 2_000_000;

/// Most characters in one cell: Excel's own limit.
pub const MAX_CELL_CHARS: usize = 32_767;
