//! Renders report figures to Vietnamese Markdown through a replaceable minijinja template.
//!
//! Every value a template prints is text, not Markdown: names, titles and the other strings
//! users type are escaped on their way into the document, so that they read as typed and
//! never become links, images, raw HTML, headings, lists or tables. Only what the template
//! itself writes (and what it marks `|safe`) is Markdown.

use crate::domain::report::Figures;
use crate::domain::sector::SectorGroup;
use crate::domain::text::MoneyInProse;
use crate::domain::{parse_date, text};
use crate::error::{Error, Result};
use minijinja::value::Value;
use minijinja::{AutoEscape, Environment, ErrorKind};

/// The built-in narrative template.
pub const DEFAULT_TEMPLATE: &str = include_str!("../../reports/report.md.j2");

/// Renders the figures with `template` (the built-in one when None).
pub fn render(figures: &Figures, template: Option<&str>) -> Result<String> {
    let mut env = Environment::new();
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .keep_trailing_newline(true)
            .build()
            .map_err(|e| Error::Render(e.to_string()))?,
    );
    escape_values(&mut env);
    register_filters(&mut env);
    if figures.money_in_prose == MoneyInProse::Billions {
        // The deployment writes amounts rounded to a tenth of a billion: the same filters,
        // so that a template needs no change.
        env.add_filter("money_words", |v: Value| int(&v).map(text::money_billions));
        env.add_filter("money_approx", |v: Value| int(&v).map(text::money_billions));
        env.add_filter("money_change", |v: Value| {
            int(&v).map(|c| money_change(c, text::money_billions))
        });
    }
    env.add_template("report", template.unwrap_or(DEFAULT_TEMPLATE))
        .map_err(|e| Error::Render(format!("mẫu báo cáo: {e}")))?;
    let agricultural: Vec<String> = crate::domain::sector::Taxonomy::built_in()
        .all()
        .iter()
        .filter(|s| s.group == SectorGroup::Agriculture)
        .map(|s| s.code.clone())
        .collect();
    let ctx = minijinja::context! {
        proposals => Value::from_safe_string(escape_paragraphs(&figures.proposals)),
        agricultural_fields => agricultural,
        ..Value::from(minijinja::value::Serde(figures))
    };
    let out = env
        .get_template("report")
        .and_then(|t| t.render(ctx))
        .map_err(|e| Error::Render(format!("mẫu báo cáo: {e:#}")))?;
    Ok(tidy(&out))
}

/// Makes every line of the rendered template its own paragraph (table rows stay together)
/// and drops the blank lines templates leave behind, so template authors need not count
/// newlines around `{% if %}` blocks.
fn tidy(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    let mut previous_in_table = false;
    for line in s
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
    {
        let in_table = line.starts_with('|');
        if !(out.is_empty() || in_table && previous_in_table) {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        previous_in_table = in_table;
    }
    out
}

/// The auto-escape format of report templates.
const MARKDOWN: AutoEscape = AutoEscape::Custom(std::borrow::Cow::Borrowed("markdown"));

/// Makes every `{{ value }}` (and `|e`) print as literal Markdown text, unless marked safe.
fn escape_values(env: &mut Environment<'_>) {
    env.set_auto_escape_callback(|_| MARKDOWN);
    env.set_formatter(|out, state, value| {
        if state.auto_escape() == &MARKDOWN && !value.is_safe() {
            out.write_str(&escape(&value.to_string()))
                .map_err(minijinja::Error::from)
        } else {
            minijinja::escape_formatter(out, state, value)
        }
    });
}

/// Text as Markdown that reads exactly as `s`: every character that could start a link, an
/// image, raw HTML, emphasis, code, a table cell or a heading is backslash-escaped, and so is a
/// leading list, quote or underline marker; line breaks become spaces, so the text stays on
/// the line the template put it on.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '!' | '&' | '|' | '~' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    escape_block_start(out)
}

/// Escapes what would open a block if the text started a line: `-`, `+` and `=` (list items,
/// thematic breaks, heading underlines) and `1.` / `1)` (ordered list items).
fn escape_block_start(mut s: String) -> String {
    let lead = s.len() - s.trim_start_matches(' ').len();
    let rest = &s[lead..];
    if rest.starts_with(['-', '+', '=']) {
        s.insert(lead, '\\');
    } else if let Some(marker) = ordered_marker(rest) {
        s.insert(lead + marker - 1, '\\');
    }
    s
}

/// The length of an ordered list marker (`12.` or `3)` followed by a space or the end).
fn ordered_marker(s: &str) -> Option<usize> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let after = s.as_bytes().get(digits + 1).copied();
    let closes = matches!(s.as_bytes().get(digits), Some(b'.' | b')'));
    (1..=9)
        .contains(&digits)
        .then_some(digits + 1)
        .filter(|_| closes && after.is_none_or(|b| b == b' ' || b == b'\t'))
}

/// Paragraphs typed by staff (the proposals) as Markdown: every line is text as in [`escape`],
/// except that a leading list marker (`- `, `* `, `+ `, `1. `, `1) `) stays a list item.
pub fn escape_paragraphs(s: &str) -> String {
    s.lines()
        .map(|line| {
            let line = line.trim();
            match list_marker(line) {
                Some(n) => format!("{} {}", &line[..n], escape(line[n..].trim_start())),
                None => escape(line),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The length of a list marker opening `line` (without the space after it).
fn list_marker(line: &str) -> Option<usize> {
    let followed = |n: usize| line[n..].starts_with(' ') && !line[n..].trim().is_empty();
    if line.starts_with(['-', '*', '+']) && followed(1) {
        return Some(1);
    }
    ordered_marker(line).filter(|n| followed(*n))
}

fn int(v: &Value) -> Result<i64, minijinja::Error> {
    i64::try_from(v.clone()).map_err(|_| {
        minijinja::Error::new(ErrorKind::InvalidOperation, format!("{v} is not a number"))
    })
}

/// Registers the number, money and date filters every template may use.
pub fn register_filters(env: &mut Environment<'_>) {
    env.add_filter("n", |v: Value| int(&v).map(text::count));
    env.add_filter("num", |v: Value| int(&v).map(text::number));
    env.add_filter("money", |v: Value| int(&v).map(text::money));
    env.add_filter("money_words", |v: Value| int(&v).map(text::money_words));
    env.add_filter("money_approx", |v: Value| int(&v).map(text::money_approx));
    // {{ amount_change|money_change }} → "tăng 1 tỷ 200 triệu đồng" / "giảm …" / "không thay đổi".
    env.add_filter("money_change", |v: Value| {
        int(&v).map(|c| money_change(c, text::money_words))
    });
    env.add_filter("cap", |s: String| text::capitalise(&s));
    env.add_filter("during", |label: String| during(&label));
    env.add_filter("within", |label: String| within(&label));
    // {{ n|times("đã kiểm tra", "tổ chức") }} → "đã kiểm tra 02 tổ chức" / "chưa kiểm tra tổ
    // chức nào": a zero is said in words, never "00 tổ chức".
    env.add_filter(
        "times",
        |v: Value, verb: String, unit: String| -> Result<String, minijinja::Error> {
            Ok(times(int(&v)?, &verb, &unit))
        },
    );
    env.add_filter("pct", |v: Value| -> Result<String, minijinja::Error> {
        if v.is_none() || v.is_undefined() {
            return Ok("–".to_string());
        }
        let f = f64::try_from(v.clone()).map_err(|_| {
            minijinja::Error::new(ErrorKind::InvalidOperation, format!("{v} is not a number"))
        })?;
        Ok(text::format_tenths((f * 10.0).round() as i64) + "%")
    });
    env.add_filter("date", |s: String| -> Result<String, minijinja::Error> {
        parse_date(&s)
            .map(text::date)
            .map_err(|e| minijinja::Error::new(ErrorKind::InvalidOperation, e))
    });
    // {{ tally|change("HTX") }} → "tăng 12 HTX" / "giảm 02 HTX" / "không tăng".
    env.add_filter(
        "change",
        |v: Value, unit: Option<String>| -> Result<String, minijinja::Error> {
            let change = int(&v.get_attr("change")?)?;
            let unit = unit
                .filter(|u| !u.is_empty())
                .map(|u| format!(" {u}"))
                .unwrap_or_default();
            Ok(match change {
                0 => "không tăng".to_string(),
                c if c > 0 => format!("tăng {}{unit}", text::count(c)),
                c => format!("giảm {}{unit}", text::count(-c)),
            })
        },
    );
}

/// "Within the period" at the head of a sentence: "Trong 6 tháng đầu năm 2022", but a span
/// already says where it starts and ends ("Từ tháng 02 đến tháng 05 năm 2024", not "Trong
/// từ tháng 02…").
fn during(label: &str) -> String {
    if label.starts_with("từ ") {
        text::capitalise(label)
    } else {
        format!("Trong {label}")
    }
}

/// A change of an amount: "tăng 1 tỷ 200 triệu đồng", "giảm …", "không thay đổi".
fn money_change(change: i64, money: fn(i64) -> String) -> String {
    match change {
        0 => "không thay đổi".to_string(),
        c if c > 0 => format!("tăng {}", money(c)),
        c => format!("giảm {}", money(-c)),
    }
}

/// "Within the period" inside a sentence: "trong 6 tháng đầu năm 2022", "từ tháng 02 đến
/// tháng 05 năm 2024".
fn within(label: &str) -> String {
    if label.starts_with("từ ") {
        label.to_string()
    } else {
        format!("trong {label}")
    }
}

/// A count after its verb, a zero in words: "đã kiểm tra 02 tổ chức", "chưa kiểm tra tổ chức
/// nào"; "thành lập mới 03 HTX", "không thành lập mới HTX nào".
fn times(n: i64, verb: &str, unit: &str) -> String {
    if n != 0 {
        return format!("{verb} {} {unit}", text::count(n));
    }
    match verb.strip_prefix("đã ") {
        Some(rest) => format!("chưa {rest} {unit} nào"),
        None => format!("không {verb} {unit} nào"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zero_count_is_said_in_words() {
        assert_eq!(times(2, "đã kiểm tra", "tổ chức"), "đã kiểm tra 02 tổ chức");
        assert_eq!(
            times(0, "đã kiểm tra", "tổ chức"),
            "chưa kiểm tra tổ chức nào"
        );
        assert_eq!(times(0, "giải thể", "HTX"), "không giải thể HTX nào");
        assert_eq!(times(13, "giải thể", "HTX"), "giải thể 13 HTX");
        assert_eq!(within("6 tháng đầu năm 2022"), "trong 6 tháng đầu năm 2022");
        assert_eq!(
            within("từ tháng 02 đến tháng 05 năm 2024"),
            "từ tháng 02 đến tháng 05 năm 2024"
        );
    }

    #[test]
    fn a_sentence_opens_on_its_period_in_every_form() {
        let label = |code: &str| crate::domain::period::Period::parse(code).unwrap().label;
        assert_eq!(during(&label("2022-H1")), "Trong 6 tháng đầu năm 2022");
        assert_eq!(
            during(&label("2019-01..2019-04")),
            "Trong 4 tháng đầu năm 2019"
        );
        assert_eq!(during(&label("2022-Q3")), "Trong quý III năm 2022");
        assert!(!during(&label("2024-02..2024-05")).starts_with("Trong từ"));
        assert!(during(&label("2024-02..2024-05")).starts_with("Từ "));
        assert_eq!(
            during(&label("2022-01-15..2022-03-31")),
            "Từ ngày 15/01/2022 đến ngày 31/03/2022"
        );
    }

    /// The events a CommonMark reader sees in `md`, as the report renderers parse it.
    fn events(md: &str) -> Vec<pulldown_cmark::Event<'_>> {
        use pulldown_cmark::{Options, Parser};
        Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).collect()
    }

    /// The text a reader sees: every text event of one paragraph.
    fn plain(md: &str) -> String {
        use pulldown_cmark::{Event, Tag};
        let evs = events(md);
        assert!(
            matches!(evs.first(), Some(Event::Start(Tag::Paragraph))),
            "{md} is not one paragraph: {evs:?}"
        );
        evs.iter()
            .map(|e| match e {
                Event::Text(t) => t.to_string(),
                Event::Start(Tag::Paragraph) | Event::End(_) => String::new(),
                other => panic!("{md}: {other:?}"),
            })
            .collect()
    }

    #[test]
    fn escaped_text_reads_as_typed_and_is_only_text() {
        for typed in [
            "HTX Nông nghiệp [Đông] *Hưng*",
            "[x](javascript:alert(1)) ![ảnh](http://e/p.png) <http://e/a> <b>đậm</b>",
            "# Tiêu đề",
            "## Hai",
            "- gạch",
            "+ cộng",
            "* sao",
            "> trích",
            "1. một",
            "12) hai",
            "=== gạch chân",
            "---",
            "| a | b |",
            "a\\b \\*",
            "`mã` ~~gạch~~ _nghiêng_",
            "&amp; &#106; &copy;",
            "<script>alert(1)</script>",
            "1.234 đồng",
            "2022",
        ] {
            assert_eq!(plain(&escape(typed)), typed, "{typed}");
        }
    }

    #[test]
    fn escaping_leaves_plain_vietnamese_and_numbers_alone() {
        for plain in [
            "Hợp tác xã Đông Hưng (Gia Bình)",
            "1.234",
            "79,4%",
            "30/06/2022",
            "năm 2022.",
        ] {
            assert_eq!(escape(plain), plain);
        }
        assert_eq!(escape("dòng một\ndòng hai"), "dòng một dòng hai");
    }

    #[test]
    fn proposals_keep_their_lines_and_lists_but_not_links_or_headings() {
        use pulldown_cmark::{Event, Tag};
        let md = escape_paragraphs(
            "Đề nghị [bấm](javascript:alert(1))\n- Một *ý*\n1. Thứ nhất\n# Không phải tiêu đề\n<img src=x>",
        );
        let evs = events(&md);
        assert!(
            evs.iter()
                .any(|e| matches!(e, Event::Start(Tag::List(None)))),
            "{md}"
        );
        assert!(
            evs.iter()
                .any(|e| matches!(e, Event::Start(Tag::List(Some(1))))),
            "{md}"
        );
        assert!(
            !evs.iter().any(|e| matches!(
                e,
                Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::Heading { .. })
                    | Event::Html(_)
                    | Event::InlineHtml(_)
            )),
            "{md}"
        );
        assert_eq!(md.lines().count(), 5);
        assert!(md.contains("- Một \\*ý\\*"), "{md}");
    }

    #[test]
    fn templates_print_values_as_text_unless_marked_safe() {
        use crate::domain::report::{AreaRef, ReportContext, compute};
        let taxonomy = crate::domain::sector::Taxonomy::built_in();
        let ctx = ReportContext {
            period: crate::domain::period::Period::parse("2022-H1").unwrap(),
            area: AreaRef {
                id: String::new(),
                name: "[x](javascript:alert(1))".into(),
                scope_word: "toàn tỉnh".into(),
            },
            compare_same_period: false,
            current_units: false,
            taxonomy: &taxonomy,
            geo: crate::domain::geo::geo(),
        };
        let figures = compute(&ctx, &[], &[], &[], None, None);
        let md = render(
            &figures,
            Some("{{ area.name }} | {{ area.name|e }} | {{ \"**đậm**\"|safe }} | {{ 1234|num }}"),
        )
        .unwrap();
        assert_eq!(
            md,
            "\\[x\\](javascript:alert(1)) | \\[x\\](javascript:alert(1)) | **đậm** | 1.234\n"
        );
    }
}
