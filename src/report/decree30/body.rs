//! The Markdown body turned into paragraphs and tables of the document.

use super::*;

pub(super) enum Block {
    P(Box<Paragraph>),
    /// Built when its place is known ([`build_table`]): a table that closes the body is kept
    /// with the signature block.
    T(Box<TableBuf>),
}

#[derive(Debug, Clone)]
pub(super) enum Piece {
    Text(String, Fmt),
    Break,
}

#[derive(Debug, Default)]
pub(super) struct CellBuf {
    pieces: Vec<Piece>,
    plain: String,
}

#[derive(Debug, Default)]
pub(super) struct TableBuf {
    aligns: Vec<Alignment>,
    head: Vec<Vec<CellBuf>>,
    body: Vec<Vec<CellBuf>>,
    row: Vec<CellBuf>,
    cell: Option<CellBuf>,
}

#[derive(Default)]
pub(super) struct BodyBuilder {
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

pub(super) fn markdown_blocks(md: &str) -> Vec<Block> {
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
                        .keep_lines(true)
                        .widow_control(true)
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
                    self.blocks.push(Block::T(Box::new(t)));
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
            .widow_control(true)
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
pub(super) fn looks_numeric(s: &str) -> bool {
    let t = s.trim();
    t.chars().any(|c| c.is_ascii_digit())
        && t.chars().all(|c| {
            c.is_ascii_digit() || matches!(c, '.' | ',' | '%' | '-' | '+' | '\u{2212}' | ' ')
        })
}

/// Printed width in twips of `text` in 13 pt Times New Roman, a little generous: an advance
/// per kind of letter (narrow i, l, t, r and punctuation; wide m, w; capitals), a little more
/// than the font's, and more again in bold.
pub(super) fn printed_width(text: &str, bold: bool) -> usize {
    let em: f64 = text
        .chars()
        .map(|c| match c {
            'i' | 'í' | 'ì' | 'ỉ' | 'ĩ' | 'ị' | 'l' | 'j' | 't' | 'f' | 'r' | 'I' => 0.34,
            '.' | ',' | ':' | ';' | '(' | ')' | '-' | '/' | '\'' | ' ' => 0.34,
            'm' | 'w' => 0.8,
            'M' | 'W' => 0.95,
            c if c.is_ascii_digit() => 0.52,
            c if c.is_uppercase() => 0.74,
            _ => 0.54,
        })
        .sum();
    let bold = if bold { 1.08 } else { 1.0 };
    (em * bold * SZ_13 as f64 * 10.0) as usize
}

/// Left and right margins of a body table's cells (1.4 mm, a little less than Word's 0.08 in,
/// so that a table of many counts leaves its names more room).
pub(super) const CELL_MARGIN: usize = 80;

/// Both cell margins and a little slack.
pub(super) const CELL_PADDING: usize = 2 * CELL_MARGIN + 60;

/// Column widths from what must not wrap: a heading may wrap between its words, a text cell
/// between words, but a number never. Each column gets at least its widest unbreakable
/// piece; what is left of the line goes first to the body's cells whose text does not fit on
/// one line yet (in proportion to what they lack, so long names wrap before numbers do),
/// then to the headings, which may wrap more readily than the rows under them.
fn column_widths(t: &TableBuf, ncols: usize) -> Vec<usize> {
    let longest_word = |s: &str, bold: bool| {
        s.split_whitespace()
            .map(|w| printed_width(w, bold))
            .max()
            .unwrap_or(0)
    };
    let mut least = vec![0usize; ncols];
    // Widths on one line: of the body's cells, and of the headings.
    let mut body = vec![0usize; ncols];
    let mut heads = vec![0usize; ncols];
    for (rows, bold) in [(&t.head, true), (&t.body, false)] {
        for row in rows.iter() {
            for (i, c) in row.iter().enumerate().take(ncols) {
                let text = c.plain.trim();
                let unbreakable = if !bold && looks_numeric(text) {
                    printed_width(text, bold)
                } else {
                    longest_word(text, bold)
                };
                least[i] = least[i].max(unbreakable + CELL_PADDING);
                let whole = if bold { &mut heads } else { &mut body };
                whole[i] = whole[i].max(printed_width(text, bold) + CELL_PADDING);
            }
        }
    }
    let floor = TEXT_W / (ncols * 4);
    for w in &mut least {
        *w = (*w).max(floor);
    }
    let needed: usize = least.iter().sum();
    let mut widths: Vec<usize> = if needed >= TEXT_W {
        // Even the unbreakable pieces do not fit: shrink them alike.
        least.iter().map(|w| w * TEXT_W / needed).collect()
    } else {
        let widths = widen_towards(least, &body, TEXT_W);
        let widths = widen_towards(widths, &heads, TEXT_W);
        // Everything fits on one line: share what is left in proportion to the widths.
        let total: usize = widths.iter().sum::<usize>().max(1);
        widths.iter().map(|w| w * TEXT_W / total).collect()
    };
    let used: usize = widths.iter().sum();
    if let Some(last) = widths.last_mut() {
        *last += TEXT_W.saturating_sub(used);
    }
    widths
}

/// Widens each column towards `wanted` within `line`: all the way when the line has room,
/// else in proportion to what each lacks.
fn widen_towards(widths: Vec<usize>, wanted: &[usize], line: usize) -> Vec<usize> {
    let spare = line.saturating_sub(widths.iter().sum());
    let lacking: Vec<usize> = widths
        .iter()
        .zip(wanted)
        .map(|(w, want)| want.saturating_sub(*w))
        .collect();
    let lacking_total: usize = lacking.iter().sum();
    widths
        .iter()
        .zip(&lacking)
        .map(|(w, lack)| {
            if lacking_total > spare {
                w + lack * spare / lacking_total
            } else {
                w + lack
            }
        })
        .collect()
}

/// A table of at most this many rows, headings included, is kept on one page; a longer one
/// may run on (its heading row repeats), but never leaves its headings with a single row at
/// the foot of a page, nor its last row (the total) alone at the top of the next.
pub(super) const SHORT_TABLE_ROWS: usize = 12;

/// Which rows of a table of `rows` rows (`head` of them headings) keep with the next row:
/// every row but the last of a short table; the headings, the first body row and the last
/// but one of a long table; the last row too when the table closes the body
/// (`with_next`, so that it stays with the signature block).
pub(super) fn rows_kept_with_next(rows: usize, head: usize, with_next: bool) -> Vec<bool> {
    (0..rows)
        .map(|i| {
            let last = i + 1 == rows;
            if last {
                with_next
            } else if rows <= SHORT_TABLE_ROWS {
                true
            } else {
                i <= head || i + 2 == rows
            }
        })
        .collect()
}

pub(super) fn build_table(t: &TableBuf, with_next: bool) -> Table {
    let ncols = t
        .head
        .iter()
        .chain(t.body.iter())
        .map(Vec::len)
        .max()
        .unwrap_or(0)
        .max(t.aligns.len())
        .max(1);

    let widths = column_widths(t, ncols);

    let make_row = |row: &[CellBuf], header: bool, keep_next: bool| -> TableRow {
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
                // Keep-with-next on a row's paragraphs keeps the row with the next one.
                let mut p = Paragraph::new()
                    .align(align)
                    .keep_next(keep_next)
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

    let all: Vec<(&Vec<CellBuf>, bool)> = t
        .head
        .iter()
        .map(|r| (r, true))
        .chain(t.body.iter().map(|r| (r, false)))
        .collect();
    let keep = rows_kept_with_next(all.len(), t.head.len(), with_next);
    let rows = all
        .iter()
        .zip(keep)
        .map(|((row, header), keep)| make_row(row, *header, keep))
        .collect();
    Table::new(rows)
        .set_grid(widths.clone())
        .width(TEXT_W, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .margins(TableCellMargins::new().margin(0, CELL_MARGIN, 0, CELL_MARGIN))
        .set_borders(single_borders())
}
