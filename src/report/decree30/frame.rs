//! The Decree 30 frame around the body: issuing body, national title and motto, number,
//! place and date, title, signature block and recipients.

use super::*;

/// Header with a centred PAGE field (used from page 2 on).
pub(super) fn page_number_header() -> Header {
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
pub(super) const HEADER_SHIFT: usize = 567;
pub(super) const HEADER_W: usize = TEXT_W + HEADER_SHIFT;
pub(super) const LEFT_W: usize = HEADER_W * 44 / 100;
pub(super) const RIGHT_W: usize = HEADER_W - LEFT_W;

/// Two-column borderless header: issuing body on the left, national title
/// on the right; second row aligns the number with the place and date.
pub(super) fn header_block(frame: &DocumentFrame) -> Table {
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
pub(super) fn title_block(frame: &DocumentFrame) -> Vec<Paragraph> {
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

pub(super) const SIGN_LEFT_W: usize = TEXT_W * 45 / 100;
pub(super) const SIGN_RIGHT_W: usize = TEXT_W - SIGN_LEFT_W;

/// "Nơi nhận:" + recipients on the left, signature block on the right.
pub(super) fn signature_block(frame: &DocumentFrame) -> Table {
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
