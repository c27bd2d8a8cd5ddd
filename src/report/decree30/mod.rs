//! Render a Markdown report body into an official Vietnamese administrative
//! document (DOCX) laid out after Decree 30/2020/NĐ-CP (Nghị định 30/2020/NĐ-CP
//! về công tác văn thư).
//!
//! The frame (issuing body, national title and motto, number, place and date,
//! title, subject, signature block and recipients) comes from
//! [`DocumentFrame`]; the body comes from Markdown parsed with
//! `pulldown-cmark` (CommonMark + GFM tables).
//!
//! Layout: A4 portrait, margins 20/20/30/15 mm (top/bottom/left/right),
//! Times New Roman everywhere, body 14 pt justified with a 1.27 cm first-line
//! indent, page number centred in the header from page 2 on.
//!
//! Dependencies: `docx-rs` (default features off) and `pulldown-cmark`
//! (default features off). Everything else is hand-written here.
//!
//! Parts: this module holds the public API, the layout constants and the small
//! building helpers; [`frame`] the frame, [`body`] the Markdown body, [`package`]
//! text hygiene and the package parts docx-rs does not set.

use std::fmt;
use std::io::Cursor;
use unicode_normalization::UnicodeNormalization;

use docx_rs::{
    AlignmentType, BorderType, BreakType, Docx, FieldCharType, Header, InstrPAGE, InstrText,
    LineSpacing, LineSpacingType, PageMargin, Paragraph, ParagraphBorder, ParagraphBorderPosition,
    ParagraphBorders, Run, RunFonts, SpecialIndentType, Table, TableBorder, TableBorderPosition,
    TableBorders, TableCell, TableCellMargins, TableLayoutType, TableRow, VAlignType, WidthType,
};
use pulldown_cmark::{Alignment, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

mod body;
mod frame;
mod package;
#[cfg(test)]
mod tests;

use body::*;
use frame::*;
use package::*;

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/// Everything in the Decree 30 frame around the body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentFrame {
    /// e.g. "LIÊN MINH HTX VIỆT NAM" (caps, regular) — may be empty.
    pub parent_body: String,
    /// e.g. "LIÊN MINH HTX TỈNH BẮC NINH" (caps, bold, short rule below).
    pub issuing_body: String,
    /// e.g. "Số: …/BC-LMHTX", printed under the issuing body.
    pub number: String,
    /// e.g. "Bắc Ninh, ngày 08 tháng 7 năm 2022" (italic, right column).
    pub place_date: String,
    /// e.g. "BÁO CÁO" (caps bold, centred).
    pub title: String,
    /// Subject line under the title (bold, centred); may contain newlines.
    pub subject: String,
    /// e.g. "TM. BAN THƯỜNG VỤ" (caps bold).
    pub signer_capacity: String,
    /// e.g. "CHỦ TỊCH" (caps bold).
    pub signer_position: String,
    /// May be empty; space for the signature is left either way.
    pub signer_name: String,
    /// Lines after "Nơi nhận:", e.g. "- UBND tỉnh;", "- Lưu: VT.".
    pub recipients: Vec<String>,
    /// Creation time written into the document properties (W3CDTF, "2022-07-08T02:00:00Z");
    /// passed in so that the same report renders to the same bytes.
    pub created: String,
}

/// Error raised while producing the DOCX package.
#[derive(Debug)]
pub struct DocxError(pub String);

impl fmt::Display for DocxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DOCX rendering failed: {}", self.0)
    }
}

impl std::error::Error for DocxError {}

/// Render `body_markdown` inside the Decree 30 `frame` and return the bytes
/// of a `.docx` file.
pub fn render_docx(frame: &DocumentFrame, body_markdown: &str) -> Result<Vec<u8>, DocxError> {
    let mut docx = Docx::new()
        .page_size(PAGE_W, PAGE_H)
        .page_margin(PageMargin {
            top: MARGIN_TOP,
            left: MARGIN_LEFT,
            bottom: MARGIN_BOTTOM,
            right: MARGIN_RIGHT,
            header: HEADER_DISTANCE,
            footer: HEADER_DISTANCE,
            gutter: 0,
        })
        .default_fonts(fonts())
        .default_size(SZ_14)
        .default_tab_stop(720)
        // Page number in the header from page 2 on; page 1 gets an empty
        // "first page" header (this also sets <w:titlePg/>).
        .header(page_number_header())
        .first_header(Header::new().add_paragraph(Paragraph::new().size(SZ_14)))
        .title_pg();

    docx = docx.add_table(header_block(frame));
    for p in title_block(frame) {
        docx = docx.add_paragraph(p);
    }
    let mut blocks = markdown_blocks(body_markdown).into_iter().peekable();
    while let Some(block) = blocks.next() {
        let closing = blocks.peek().is_none();
        docx = match block {
            Block::P(p) => {
                // A caption (a short paragraph just before a table; a longer one is prose, free
                // to stay behind) stays with its table; the closing paragraph stays with
                // the signature block, whole when it is short, so that the last page never
                // holds the signature alone or under a single stray line.
                let mut p = *p;
                let length = p.raw_text().chars().count();
                let caption = matches!(blocks.peek(), Some(Block::T(_))) && length <= CAPTION_CHARS;
                if caption || closing {
                    p = p.keep_next(true);
                }
                if closing && length <= CLOSING_WHOLE_CHARS {
                    p = p.keep_lines(true);
                }
                docx.add_paragraph(p)
            }
            Block::T(t) => {
                let docx = docx.add_table(build_table(&t, closing));
                if closing {
                    docx
                } else {
                    docx.add_paragraph(spacer(120))
                }
            }
        };
    }
    // Spacer so the signature table never merges with a trailing body table.
    docx = docx.add_paragraph(spacer(120).keep_next(true));
    docx = docx.add_table(signature_block(frame));

    let mut xml = docx.build();
    xml.doc_props.core = core_properties_xml(
        &single_line(&clean(&frame.subject)),
        &clean(&frame.issuing_body),
        &xml_escape(&frame.created),
    );
    xml.styles = add_default_language(&xml.styles);
    xml.document = repeat_header_rows(&header_refs_first(&xml.document));

    let mut out = Cursor::new(Vec::new());
    xml.pack(&mut out)
        .map_err(|e| DocxError(format!("cannot write DOCX package: {e}")))?;
    Ok(out.into_inner())
}

// ---------------------------------------------------------------------------
// Layout constants (twips = 1/20 pt; sizes in half-points)
// ---------------------------------------------------------------------------

const FONT: &str = "Times New Roman";
const PAGE_W: u32 = 11906; // A4 210 mm
const PAGE_H: u32 = 16838; // A4 297 mm
const MARGIN_TOP: i32 = 1134; // 20 mm
const MARGIN_BOTTOM: i32 = 1134; // 20 mm
const MARGIN_LEFT: i32 = 1701; // 30 mm
const MARGIN_RIGHT: i32 = 850; // 15 mm
const HEADER_DISTANCE: i32 = 567; // 10 mm
/// Usable text width: 210 mm - 30 mm - 15 mm = 165 mm.
const TEXT_W: usize = (PAGE_W as usize) - (MARGIN_LEFT as usize) - (MARGIN_RIGHT as usize);
/// Left/right cell padding of the borderless layout tables (1 mm).
const LAYOUT_PAD: usize = 57;

const SZ_14: usize = 28;
const SZ_13: usize = 26;
const SZ_12: usize = 24;
const SZ_11: usize = 22;

/// 1.27 cm first-line indent.
const FIRST_LINE: i32 = 720;
/// Body line spacing in 240ths of a line (1.2 lines).
const BODY_LINE: i32 = 288;
/// Body spacing after a paragraph (6 pt).
const BODY_AFTER: u32 = 120;
/// A paragraph just before a table and up to this long (about four lines) is its caption.
const CAPTION_CHARS: usize = 300;
/// A closing paragraph up to this long (about eight lines) moves whole to the signature's
/// page rather than leave part of itself behind.
const CLOSING_WHOLE_CHARS: usize = 600;
/// Extra left indent per nested list level.
const LIST_STEP: i32 = 360;

const NATIONAL_TITLE: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
const MOTTO: &str = "Độc lập - Tự do - Hạnh phúc";
const RECIPIENTS_LABEL: &str = "Nơi nhận:";

// ---------------------------------------------------------------------------
// Small building helpers
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fmt {
    size: usize,
    bold: bool,
    italic: bool,
}

impl Fmt {
    const fn new(size: usize) -> Self {
        Fmt {
            size,
            bold: false,
            italic: false,
        }
    }
    const fn bold(mut self) -> Self {
        self.bold = true;
        self
    }
    const fn italic(mut self) -> Self {
        self.italic = true;
        self
    }
}

fn fonts() -> RunFonts {
    RunFonts::new()
        .ascii(FONT)
        .hi_ansi(FONT)
        .east_asia(FONT)
        .cs(FONT)
}

/// A run with explicit font, size and emphasis. `text` must already be clean.
fn run(text: &str, f: Fmt) -> Run {
    let mut r = Run::new().fonts(fonts()).size(f.size).add_text(text);
    if f.bold {
        r = r.bold();
    }
    if f.italic {
        r = r.italic();
    }
    r
}

/// Add `text` to `p`, turning newlines into line breaks.
fn add_text_lines(mut p: Paragraph, text: &str, f: Fmt) -> Paragraph {
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            p = p.add_run(
                Run::new()
                    .fonts(fonts())
                    .size(f.size)
                    .add_break(BreakType::TextWrapping),
            );
        }
        if !line.is_empty() {
            p = p.add_run(run(line, f));
        }
    }
    p
}

fn spacing(before: u32, after: u32, line: i32) -> LineSpacing {
    LineSpacing::new()
        .before(before)
        .after(after)
        .line(line)
        .line_rule(LineSpacingType::Auto)
}

/// A centred single-spaced paragraph (header and signature blocks).
fn centred(text: &str, f: Fmt) -> Paragraph {
    add_text_lines(
        Paragraph::new()
            .align(AlignmentType::Center)
            .line_spacing(spacing(0, 0, 240))
            .size(f.size),
        text,
        f,
    )
}

/// An empty paragraph of roughly `after` twips height.
fn spacer(after: u32) -> Paragraph {
    Paragraph::new().size(SZ_11).line_spacing(
        LineSpacing::new()
            .before(0)
            .after(after)
            .line(200)
            .line_rule(LineSpacingType::Exact),
    )
}

/// A short horizontal rule: an empty paragraph with a bottom border, centred
/// by symmetric indents inside a space `avail` twips wide.
fn short_rule(avail: usize, width: usize, before: u32, after: u32) -> Paragraph {
    let side = (avail.saturating_sub(width) / 2) as i32;
    let mut p = Paragraph::new()
        .size(4)
        .indent(Some(side), None, Some(side), None)
        .line_spacing(
            LineSpacing::new()
                .before(before)
                .after(after)
                .line(40)
                .line_rule(LineSpacingType::Exact),
        );
    // `ParagraphBorders::default()` has all four sides: start from empty.
    p.property = p.property.set_borders(
        ParagraphBorders::with_empty().set(
            ParagraphBorder::new(ParagraphBorderPosition::Bottom)
                .val(BorderType::Single)
                .size(6)
                .space(1)
                .color("000000"),
        ),
    );
    p
}

/// The same border on every edge and between every cell: none for the frame's layout
/// tables, a thin single line for the body's tables.
fn borders(kind: BorderType, size: usize) -> TableBorders {
    [
        TableBorderPosition::Top,
        TableBorderPosition::Left,
        TableBorderPosition::Bottom,
        TableBorderPosition::Right,
        TableBorderPosition::InsideH,
        TableBorderPosition::InsideV,
    ]
    .into_iter()
    .fold(TableBorders::with_empty(), |b, pos| {
        b.set(
            TableBorder::new(pos)
                .border_type(kind)
                .size(size)
                .color("000000"),
        )
    })
}

fn no_borders() -> TableBorders {
    borders(BorderType::None, 0)
}

fn single_borders() -> TableBorders {
    borders(BorderType::Single, 4)
}

fn cell(width: usize, paragraphs: Vec<Paragraph>) -> TableCell {
    let mut c = TableCell::new()
        .width(width, WidthType::Dxa)
        .vertical_align(VAlignType::Top);
    if paragraphs.is_empty() {
        c = c.add_paragraph(Paragraph::new());
    }
    for p in paragraphs {
        c = c.add_paragraph(p);
    }
    c
}

/// A borderless, fixed-layout two-column table `widths` wide, shifted
/// `indent` twips (negative = into the left margin).
fn layout_table(widths: [usize; 2], indent: i32, rows: Vec<TableRow>) -> Table {
    Table::new(rows)
        .set_grid(widths.to_vec())
        .width(widths[0] + widths[1], WidthType::Dxa)
        .indent(indent)
        .layout(TableLayoutType::Fixed)
        .margins(TableCellMargins::new().margin(0, LAYOUT_PAD, 0, LAYOUT_PAD))
        .set_borders(no_borders())
}

/// Approximate printed width in twips of `text` in Times New Roman at
/// `size` half-points (average advance ≈ 0.5 em for mixed case, 0.68 em for
/// capitals). Only used to size the short rules.
fn approx_width(text: &str, size: usize, caps: bool) -> usize {
    let em = if caps { 0.68 } else { 0.5 };
    let chars = text.chars().count() as f64;
    (chars * em * size as f64 * 10.0) as usize
}
