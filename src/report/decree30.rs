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
    let mut blocks = markdown_blocks(body_markdown);
    // Keep the closing paragraph on the same page as the signature block.
    if let Some(Block::P(p)) = blocks.pop() {
        blocks.push(Block::P(Box::new(p.keep_next(true))));
    }
    for block in blocks {
        docx = match block {
            Block::P(p) => docx.add_paragraph(*p),
            Block::T(t) => docx.add_table(*t),
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
    xml.document = header_refs_first(&xml.document);

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

fn no_borders() -> TableBorders {
    let positions = [
        TableBorderPosition::Top,
        TableBorderPosition::Left,
        TableBorderPosition::Bottom,
        TableBorderPosition::Right,
        TableBorderPosition::InsideH,
        TableBorderPosition::InsideV,
    ];
    positions
        .into_iter()
        .fold(TableBorders::with_empty(), |b, pos| {
            b.set(TableBorder::new(pos).border_type(BorderType::None).size(0))
        })
}

fn single_borders() -> TableBorders {
    let positions = [
        TableBorderPosition::Top,
        TableBorderPosition::Left,
        TableBorderPosition::Bottom,
        TableBorderPosition::Right,
        TableBorderPosition::InsideH,
        TableBorderPosition::InsideV,
    ];
    positions
        .into_iter()
        .fold(TableBorders::with_empty(), |b, pos| {
            b.set(
                TableBorder::new(pos)
                    .border_type(BorderType::Single)
                    .size(4)
                    .color("000000"),
            )
        })
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

// ---------------------------------------------------------------------------
// Frame parts
// ---------------------------------------------------------------------------

/// Header with a centred PAGE field (used from page 2 on).
fn page_number_header() -> Header {
    let f = |r: Run| r.fonts(fonts()).size(SZ_14);
    let p = Paragraph::new()
        .align(AlignmentType::Center)
        .size(SZ_14)
        .add_run(f(Run::new()).add_field_char(FieldCharType::Begin, false))
        .add_run(f(Run::new()).add_instr_text(InstrText::PAGE(InstrPAGE::new())))
        .add_run(f(Run::new()).add_field_char(FieldCharType::Separate, false))
        .add_run(f(Run::new()).add_text("2"))
        .add_run(f(Run::new()).add_field_char(FieldCharType::End, false));
    Header::new().add_paragraph(p)
}

/// The header block reaches 1 cm into the 3 cm left margin (common practice
/// for Decree 30 templates) so that a 13 pt bold issuing body and the 12 pt
/// national title each fit on one line.
const HEADER_SHIFT: usize = 567;
const HEADER_W: usize = TEXT_W + HEADER_SHIFT;
const LEFT_W: usize = HEADER_W * 44 / 100;
const RIGHT_W: usize = HEADER_W - LEFT_W;

/// Two-column borderless header: issuing body on the left, national title
/// on the right; second row aligns the number with the place and date.
fn header_block(frame: &DocumentFrame) -> Table {
    let caps13 = Fmt::new(SZ_13);
    let mut left = Vec::new();
    let parent = clean(&frame.parent_body).to_uppercase();
    if !parent.trim().is_empty() {
        left.push(centred(&parent, caps13));
    }
    let issuing = clean(&frame.issuing_body).to_uppercase();
    left.push(centred(&issuing, caps13.bold()));
    let longest = issuing
        .split('\n')
        .map(|l| approx_width(l, SZ_13, true))
        .max()
        .unwrap_or(0);
    let rule_w = (longest / 3).clamp(700, 1400);
    left.push(short_rule(LEFT_W - 2 * LAYOUT_PAD, rule_w, 0, 0));

    let right = vec![
        centred(NATIONAL_TITLE, Fmt::new(SZ_12).bold()),
        centred(MOTTO, Fmt::new(SZ_13).bold()),
        short_rule(
            RIGHT_W - 2 * LAYOUT_PAD,
            approx_width(MOTTO, SZ_13, false),
            0,
            0,
        ),
    ];

    let number = centred(&clean(&frame.number), Fmt::new(SZ_13));
    let number = number.line_spacing(spacing(120, 0, 240));
    let date = centred(&clean(&frame.place_date), Fmt::new(SZ_14).italic())
        .line_spacing(spacing(120, 0, 240));

    let row1 = TableRow::new(vec![cell(LEFT_W, left), cell(RIGHT_W, right)]).cant_split();
    let row2 =
        TableRow::new(vec![cell(LEFT_W, vec![number]), cell(RIGHT_W, vec![date])]).cant_split();
    layout_table([LEFT_W, RIGHT_W], -(HEADER_SHIFT as i32), vec![row1, row2])
}

/// Title ("BÁO CÁO"), subject and a short rule under the subject.
fn title_block(frame: &DocumentFrame) -> Vec<Paragraph> {
    let title = clean(&frame.title).to_uppercase();
    let subject = clean(&frame.subject);
    let mut out = Vec::new();
    if !title.trim().is_empty() {
        out.push(add_text_lines(
            Paragraph::new()
                .align(AlignmentType::Center)
                .keep_next(true)
                .line_spacing(spacing(480, 0, 240)),
            &title,
            Fmt::new(SZ_14).bold(),
        ));
    }
    if !subject.trim().is_empty() {
        out.push(add_text_lines(
            Paragraph::new()
                .align(AlignmentType::Center)
                .keep_next(true)
                .line_spacing(spacing(0, 0, 240)),
            &subject,
            Fmt::new(SZ_14).bold(),
        ));
    }
    if !out.is_empty() {
        let longest = subject
            .split('\n')
            .map(|l| approx_width(l, SZ_14, false))
            .max()
            .unwrap_or(0);
        let rule_w = (longest / 3).clamp(1000, 2400);
        out.push(short_rule(TEXT_W, rule_w, 40, 360));
    }
    out
}

const SIGN_LEFT_W: usize = TEXT_W * 45 / 100;
const SIGN_RIGHT_W: usize = TEXT_W - SIGN_LEFT_W;

/// "Nơi nhận:" + recipients on the left, signature block on the right.
fn signature_block(frame: &DocumentFrame) -> Table {
    let mut left = vec![
        Paragraph::new()
            .line_spacing(spacing(0, 0, 240))
            .size(SZ_12)
            .add_run(run(RECIPIENTS_LABEL, Fmt::new(SZ_12).bold().italic())),
    ];
    for r in &frame.recipients {
        let r = clean(r);
        left.push(add_text_lines(
            Paragraph::new()
                .line_spacing(spacing(0, 0, 240))
                .size(SZ_11),
            &r,
            Fmt::new(SZ_11),
        ));
    }

    let caps = Fmt::new(SZ_14).bold();
    let mut right = Vec::new();
    for s in [&frame.signer_capacity, &frame.signer_position] {
        let s = clean(s).to_uppercase();
        if !s.trim().is_empty() {
            right.push(centred(&s, caps));
        }
    }
    // Room for signature and seal (about 3 cm).
    for _ in 0..5 {
        right.push(centred("", Fmt::new(SZ_14)));
    }
    let name = clean(&frame.signer_name);
    right.push(centred(&name, Fmt::new(SZ_14).bold()));

    let row = TableRow::new(vec![cell(SIGN_LEFT_W, left), cell(SIGN_RIGHT_W, right)]).cant_split();
    layout_table([SIGN_LEFT_W, SIGN_RIGHT_W], 0, vec![row])
}

// ---------------------------------------------------------------------------
// Markdown body
// ---------------------------------------------------------------------------

enum Block {
    P(Box<Paragraph>),
    T(Box<Table>),
}

#[derive(Debug, Clone)]
enum Piece {
    Text(String, Fmt),
    Break,
}

#[derive(Debug, Default)]
struct CellBuf {
    pieces: Vec<Piece>,
    plain: String,
}

#[derive(Debug, Default)]
struct TableBuf {
    aligns: Vec<Alignment>,
    head: Vec<Vec<CellBuf>>,
    body: Vec<Vec<CellBuf>>,
    row: Vec<CellBuf>,
    cell: Option<CellBuf>,
}

#[derive(Default)]
struct BodyBuilder {
    blocks: Vec<Block>,
    cur: Option<Paragraph>,
    cur_runs: usize,
    bold: usize,
    italic: usize,
    heading: Option<HeadingLevel>,
    /// Stack of lists; `Some(n)` = ordered list with next number `n`.
    lists: Vec<Option<u64>>,
    /// Marker ("- " / "3. ") waiting for the first text of a list item.
    pending_marker: Option<String>,
    image_depth: usize,
    quote_depth: usize,
    in_code: bool,
    table: Option<TableBuf>,
}

fn markdown_blocks(md: &str) -> Vec<Block> {
    let mut b = BodyBuilder::default();
    let md = clean(md);
    for ev in Parser::new_ext(&md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        b.event(ev);
    }
    b.flush();
    b.blocks
}

impl BodyBuilder {
    fn event(&mut self, ev: Event<'_>) {
        match ev {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => {
                if self.in_code {
                    self.code_text(&t);
                } else {
                    self.text(&t);
                }
            }
            Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => self.text(&t),
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.line_break(),
            Event::Rule => self.flush(),
            Event::TaskListMarker(done) => self.text(if done { "[x] " } else { "[ ] " }),
            // Raw HTML and footnote references are dropped.
            Event::Html(_) | Event::InlineHtml(_) | Event::FootnoteReference(_) => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph if self.table.is_none() => self.flush(),
            Tag::Heading { level, .. } => {
                self.flush();
                self.pending_marker = None;
                self.heading = Some(level);
                let before = if level == HeadingLevel::H1 { 240 } else { 120 };
                self.cur = Some(
                    Paragraph::new()
                        .align(AlignmentType::Both)
                        .keep_next(true)
                        .size(SZ_14)
                        .line_spacing(spacing(before, BODY_AFTER, BODY_LINE)),
                );
                self.cur_runs = 0;
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.quote_depth += 1;
            }
            Tag::CodeBlock(_) => {
                self.flush();
                self.in_code = true;
            }
            Tag::List(start) => {
                self.flush_pending_marker();
                self.flush();
                self.lists.push(start);
            }
            Tag::Item => {
                self.flush();
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let m = format!("{n}. ");
                        *n += 1;
                        m
                    }
                    _ => "- ".to_string(),
                };
                self.pending_marker = Some(marker);
            }
            Tag::Table(aligns) => {
                self.flush();
                self.table = Some(TableBuf {
                    aligns,
                    ..TableBuf::default()
                });
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(t) = self.table.as_mut() {
                    t.row.clear();
                }
            }
            Tag::TableCell => {
                if let Some(t) = self.table.as_mut() {
                    t.cell = Some(CellBuf::default());
                }
            }
            Tag::Emphasis => self.italic += 1,
            Tag::Strong => self.bold += 1,
            Tag::Image { .. } => self.image_depth += 1,
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph if self.table.is_none() => self.flush(),
            TagEnd::Heading(_) => {
                self.flush();
                self.heading = None;
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quote_depth = self.quote_depth.saturating_sub(1);
            }
            TagEnd::CodeBlock => {
                self.flush();
                self.in_code = false;
                self.blocks.push(Block::P(Box::new(spacer(120))));
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
            }
            TagEnd::Item => {
                self.flush();
                self.pending_marker = None;
            }
            TagEnd::TableCell => {
                if let Some(t) = self.table.as_mut()
                    && let Some(c) = t.cell.take()
                {
                    t.row.push(c);
                }
            }
            TagEnd::TableHead => {
                if let Some(t) = self.table.as_mut() {
                    let row = std::mem::take(&mut t.row);
                    t.head.push(row);
                }
            }
            TagEnd::TableRow => {
                if let Some(t) = self.table.as_mut() {
                    let row = std::mem::take(&mut t.row);
                    t.body.push(row);
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    self.blocks.push(Block::T(Box::new(build_table(t))));
                    self.blocks.push(Block::P(Box::new(spacer(120))));
                }
            }
            TagEnd::Emphasis => self.italic = self.italic.saturating_sub(1),
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            TagEnd::Image => self.image_depth = self.image_depth.saturating_sub(1),
            _ => {}
        }
    }

    fn fmt(&self, size: usize) -> Fmt {
        Fmt {
            size,
            bold: self.bold > 0 || self.heading.is_some(),
            italic: self.italic > 0
                || matches!(
                    self.heading,
                    Some(HeadingLevel::H4 | HeadingLevel::H5 | HeadingLevel::H6)
                ),
        }
    }

    /// Left indent for the current list / quote nesting.
    fn nesting_indent(&self) -> i32 {
        let lists = self.lists.len().saturating_sub(1) as i32;
        lists * LIST_STEP + self.quote_depth as i32 * FIRST_LINE
    }

    fn body_paragraph(&self) -> Paragraph {
        let left = self.nesting_indent();
        Paragraph::new()
            .align(AlignmentType::Both)
            .size(SZ_14)
            .indent(
                Some(left),
                Some(SpecialIndentType::FirstLine(FIRST_LINE)),
                None,
                None,
            )
            .line_spacing(spacing(0, BODY_AFTER, BODY_LINE))
    }

    /// Make sure a paragraph is open (starting a list item if one is pending).
    fn ensure_paragraph(&mut self) {
        if self.cur.is_some() {
            return;
        }
        let p = self.body_paragraph();
        self.cur = Some(p);
        self.cur_runs = 0;
        if let Some(marker) = self.pending_marker.take() {
            let f = Fmt::new(SZ_14);
            self.push_run(run(&marker, f));
        }
    }

    fn push_run(&mut self, r: Run) {
        if let Some(p) = self.cur.take() {
            self.cur = Some(p.add_run(r));
            self.cur_runs += 1;
        }
    }

    fn text(&mut self, t: &str) {
        if self.image_depth > 0 || t.is_empty() {
            return;
        }
        if let Some(tb) = self.table.as_mut() {
            let f = Fmt {
                size: SZ_13,
                bold: self.bold > 0,
                italic: self.italic > 0,
            };
            if let Some(c) = tb.cell.as_mut() {
                c.pieces.push(Piece::Text(t.to_string(), f));
                c.plain.push_str(t);
            }
            return;
        }
        self.ensure_paragraph();
        let f = self.fmt(SZ_14);
        self.push_run(run(t, f));
    }

    fn line_break(&mut self) {
        if let Some(tb) = self.table.as_mut() {
            if let Some(c) = tb.cell.as_mut() {
                c.pieces.push(Piece::Break);
                c.plain.push(' ');
            }
            return;
        }
        if self.cur.is_some() {
            let r = Run::new()
                .fonts(fonts())
                .size(SZ_14)
                .add_break(BreakType::TextWrapping);
            self.push_run(r);
        }
    }

    /// Code blocks: one left-aligned paragraph per line, no indent.
    fn code_text(&mut self, t: &str) {
        let text = t.strip_suffix('\n').unwrap_or(t);
        for line in text.split('\n') {
            let p = Paragraph::new()
                .align(AlignmentType::Left)
                .size(SZ_13)
                .indent(Some(self.nesting_indent() + FIRST_LINE), None, None, None)
                .line_spacing(spacing(0, 0, 240));
            let p = if line.is_empty() {
                p
            } else {
                p.add_run(run(line, Fmt::new(SZ_13)))
            };
            self.blocks.push(Block::P(Box::new(p)));
        }
    }

    /// A list item that holds only a nested list still shows its marker.
    fn flush_pending_marker(&mut self) {
        if self.pending_marker.is_some() {
            self.ensure_paragraph();
            self.flush();
        }
    }

    fn flush(&mut self) {
        if let Some(p) = self.cur.take()
            && self.cur_runs > 0
        {
            self.blocks.push(Block::P(Box::new(p)));
        }
        self.cur_runs = 0;
    }
}

/// True when a table cell holds a number-like value ("79,4%", "24.164.000.000", "-3").
fn looks_numeric(s: &str) -> bool {
    let t = s.trim();
    t.chars().any(|c| c.is_ascii_digit())
        && t.chars().all(|c| {
            c.is_ascii_digit() || matches!(c, '.' | ',' | '%' | '-' | '+' | '\u{2212}' | ' ')
        })
}

fn build_table(t: TableBuf) -> Table {
    let ncols = t
        .head
        .iter()
        .chain(t.body.iter())
        .map(Vec::len)
        .max()
        .unwrap_or(0)
        .max(t.aligns.len())
        .max(1);

    // Column widths from what must not wrap: the longest body cell (numbers stay on one
    // line) and the longest word of the heading (headings may wrap between words), plus
    // room for cell padding.
    let mut weights = vec![4.0f64; ncols];
    let longest_word = |s: &str| {
        s.split_whitespace()
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0)
    };
    for row in t.head.iter() {
        for (i, c) in row.iter().enumerate() {
            weights[i] = weights[i].max(longest_word(&c.plain) as f64);
        }
    }
    for row in t.body.iter() {
        for (i, c) in row.iter().enumerate() {
            weights[i] = weights[i].max(c.plain.trim().chars().count().min(40) as f64);
        }
    }
    for w in &mut weights {
        *w += 3.0;
    }
    let total: f64 = weights.iter().sum();
    let mut widths: Vec<usize> = weights
        .iter()
        .map(|w| ((w / total) * TEXT_W as f64) as usize)
        .collect();
    let used: usize = widths.iter().sum();
    if let Some(last) = widths.last_mut() {
        *last += TEXT_W - used;
    }

    let make_row = |row: &[CellBuf], header: bool| -> TableRow {
        let cells = (0..ncols)
            .map(|i| {
                let empty = CellBuf::default();
                let c = row.get(i).unwrap_or(&empty);
                let align = if header {
                    AlignmentType::Center
                } else {
                    match t.aligns.get(i) {
                        Some(Alignment::Left) => AlignmentType::Left,
                        Some(Alignment::Center) => AlignmentType::Center,
                        Some(Alignment::Right) => AlignmentType::Right,
                        _ if looks_numeric(&c.plain) => AlignmentType::Right,
                        _ => AlignmentType::Left,
                    }
                };
                let mut p = Paragraph::new()
                    .align(align)
                    .size(SZ_13)
                    .line_spacing(spacing(40, 40, 240));
                for piece in &c.pieces {
                    p = match piece {
                        Piece::Text(s, f) => {
                            let mut f = *f;
                            f.bold |= header;
                            p.add_run(run(s, f))
                        }
                        Piece::Break => p.add_run(
                            Run::new()
                                .fonts(fonts())
                                .size(SZ_13)
                                .add_break(BreakType::TextWrapping),
                        ),
                    };
                }
                TableCell::new()
                    .width(widths[i], WidthType::Dxa)
                    .vertical_align(VAlignType::Center)
                    .add_paragraph(p)
            })
            .collect();
        TableRow::new(cells).cant_split()
    };

    let mut rows = Vec::new();
    for row in &t.head {
        rows.push(make_row(row, true));
    }
    for row in &t.body {
        rows.push(make_row(row, false));
    }
    Table::new(rows)
        .set_grid(widths.clone())
        .width(TEXT_W, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .set_borders(single_borders())
}

// ---------------------------------------------------------------------------
// Text hygiene: Vietnamese NFC composition and XML-safe characters
// ---------------------------------------------------------------------------

/// NFC-compose, normalise line endings and drop characters that
/// are not allowed in XML 1.0.
fn clean(s: &str) -> String {
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

fn single_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn xml_escape(s: &str) -> String {
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

// ---------------------------------------------------------------------------
// Package parts docx-rs does not let us set
// ---------------------------------------------------------------------------

/// docProps/core.xml with the subject as title and Vietnamese as language.
fn core_properties_xml(title: &str, creator: &str, now: &str) -> Vec<u8> {
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
fn add_default_language(styles: &[u8]) -> Vec<u8> {
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
fn header_refs_first(document: &[u8]) -> Vec<u8> {
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

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
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
        let md = "Xem [trang](javascript:alert(1)), <https://example.org/a> và [b](https://example.org).\n";
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
}
