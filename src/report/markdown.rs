//! Renders report figures to Vietnamese Markdown through a replaceable minijinja template.

use crate::domain::report::Figures;
use crate::domain::sector::SectorGroup;
use crate::domain::{parse_date, text};
use crate::error::{Error, Result};
use minijinja::value::Value;
use minijinja::{Environment, ErrorKind};

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
    register_filters(&mut env);
    env.add_template("report", template.unwrap_or(DEFAULT_TEMPLATE))
        .map_err(|e| Error::Render(format!("mẫu báo cáo: {e}")))?;
    let agricultural: Vec<String> = crate::domain::sector::Taxonomy::built_in()
        .all()
        .iter()
        .filter(|s| s.group == SectorGroup::Agriculture)
        .map(|s| s.code.clone())
        .collect();
    let mut ctx = serde_json::to_value(figures).map_err(|e| Error::Render(e.to_string()))?;
    ctx["agricultural_fields"] = serde_json::json!(agricultural);
    let out = env
        .get_template("report")
        .and_then(|t| t.render(Value::from(minijinja::value::Serde(&ctx))))
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
        int(&v).map(|c| match c {
            0 => "không thay đổi".to_string(),
            c if c > 0 => format!("tăng {}", text::money_words(c)),
            c => format!("giảm {}", text::money_words(-c)),
        })
    });
    env.add_filter("cap", |s: String| text::capitalise(&s));
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
