//! The period picker: an officer chooses a year, a half, a quarter, N months from January or
//! two dates, and the server composes the period code (`2022-H1`, `2022-01..2022-09`,
//! `2022-01-15..2022-03-31`), so it works without scripts; a small script shows the
//! period's name as one chooses (from `/period`). A link or the API may still carry a typed
//! code (`?period=2026-H2`), which the picker then shows.

use crate::domain::period::Period;
use crate::domain::{parse_date, text};
use crate::error::Problem;
use crate::web::i18n::Lang;
use crate::web::view::{Field, FieldKind};
use serde::{Deserialize, Serialize};
use time::Date;

/// What the picker sends (all blank when a link carries `period=` alone).
#[derive(Debug, Deserialize, Default, Clone)]
pub struct Picked {
    /// year | H1 | H2 | Q1 … Q4 | months | dates
    pub p_shape: Option<String>,
    pub p_year: Option<String>,
    /// The last month of "N months from January".
    pub p_months: Option<String>,
    pub p_from: Option<String>,
    pub p_to: Option<String>,
}

fn filled(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl Picked {
    /// The period chosen with the picker, or the code `typed` (a link's `period=`) when the
    /// picker was not used; `None` when neither says. A refusal names the picker's field.
    pub fn period(&self, typed: Option<&str>) -> Result<Option<Period>, Problem> {
        let Some(shape) = filled(&self.p_shape) else {
            return match typed.map(str::trim).filter(|t| !t.is_empty()) {
                None => Ok(None),
                Some(code) => Period::parse(code)
                    .map(Some)
                    .map_err(|e| Problem::new("p_shape", e.to_string())),
            };
        };
        let year = || -> Result<i32, Problem> {
            filled(&self.p_year)
                .and_then(|y| y.parse().ok())
                .ok_or_else(|| Problem::new("p_year", "chọn năm"))
        };
        let date = |field: &str, v: &Option<String>| -> Result<Date, Problem> {
            let typed = filled(v).ok_or_else(|| Problem::new(field, crate::app::REQUIRED))?;
            parse_date(typed).map_err(|e| Problem::new(field, e))
        };
        let code = match shape {
            "year" => year()?.to_string(),
            "H1" | "H2" | "Q1" | "Q2" | "Q3" | "Q4" => format!("{}-{shape}", year()?),
            "months" => {
                let y = year()?;
                let last: u8 = filled(&self.p_months)
                    .and_then(|m| m.parse().ok())
                    .filter(|m| (1..=12).contains(m))
                    .ok_or_else(|| Problem::new("p_months", "chọn tháng cuối (1–12)"))?;
                format!("{y}-01..{y}-{last:02}")
            }
            "dates" => {
                let (from, to) = (date("p_from", &self.p_from), date("p_to", &self.p_to));
                let (from, to) = (from?, to?);
                if from > to {
                    return Err(Problem::new("p_to", "ngày cuối trước ngày đầu"));
                }
                format!("{from}..{to}")
            }
            other => {
                return Err(Problem::new(
                    "p_shape",
                    format!("\"{other}\" không phải loại kỳ"),
                ));
            }
        };
        Period::parse(&code)
            .map(Some)
            .map_err(|e| Problem::new("p_shape", e.to_string()))
    }

    /// How the picker shows a period: the inverse of [`Picked::period`].
    pub fn of(period: &Period) -> Picked {
        let code = period.code.as_str();
        let year = period.start.year();
        let (shape, months) = if code == year.to_string() {
            ("year".to_string(), None)
        } else if let Some(rest) = code.strip_prefix(&format!("{year}-"))
            && matches!(rest, "H1" | "H2" | "Q1" | "Q2" | "Q3" | "Q4")
        {
            (rest.to_string(), None)
        } else if code.starts_with(&format!("{year}-01..")) && code.len() == 16 {
            (
                "months".to_string(),
                Some(u8::from(period.end.month()).to_string()),
            )
        } else {
            ("dates".to_string(), None)
        };
        Picked {
            p_shape: Some(shape),
            p_year: Some(year.to_string()),
            p_months: months,
            p_from: Some(text::date(period.start)),
            p_to: Some(text::date(period.end)),
        }
    }

    /// The period asked (by the picker, else by the code `typed`), and the picker's fields
    /// showing it (`default` when none was asked), a refusal next to its field.
    pub fn choose(
        &self,
        typed: Option<&str>,
        default: &str,
        lang: Lang,
        today: Date,
    ) -> (Result<Option<Period>, Problem>, Vec<Field>) {
        let chosen = self.period(typed);
        let fields = match &chosen {
            Ok(asked) => {
                let shown = asked.clone().or_else(|| Period::parse(default).ok());
                let pick = shown.as_ref().map(Picked::of).unwrap_or_default();
                pick.fields(lang, shown.as_ref(), today)
            }
            Err(problem) => self
                .fields(lang, None, today)
                .into_iter()
                .map(|mut f| {
                    if f.name == problem.field {
                        f.error = Some(problem.reason.clone());
                    }
                    f
                })
                .collect(),
        };
        (chosen, fields)
    }

    /// The picker's fields showing this choice; the first carries the period's name.
    pub fn fields(&self, lang: Lang, shown: Option<&Period>, today: Date) -> Vec<Field> {
        let t = |k| lang.t(k);
        let shapes: Vec<(String, String)> = [
            ("year", "period.year"),
            ("H1", "period.h1"),
            ("H2", "period.h2"),
            ("Q1", "period.q1"),
            ("Q2", "period.q2"),
            ("Q3", "period.q3"),
            ("Q4", "period.q4"),
            ("months", "period.months"),
            ("dates", "period.dates"),
        ]
        .into_iter()
        .map(|(code, key)| (code.to_string(), t(key).to_string()))
        .collect();
        let years: Vec<(String, String)> = (today.year() - 9..=today.year())
            .rev()
            .map(|y| (y.to_string(), y.to_string()))
            .collect();
        let months: Vec<(String, String)> = (1..=12)
            .map(|m| (m.to_string(), format!("{} {m}", t("period.to_month"))))
            .collect();
        let value = |v: &Option<String>| v.clone().unwrap_or_default();
        let name = shown.map(|p| {
            format!(
                "{}: {} ({})",
                t("period.chosen"),
                text::capitalise(&p.label),
                p.code
            )
        });
        vec![
            Field::new("p_shape", t("field.period"), FieldKind::Select)
                .value(value(&self.p_shape))
                .options(shapes)
                .hint(name.unwrap_or_default()),
            Field::new("p_year", t("period.year_field"), FieldKind::Select)
                .value(value(&self.p_year))
                .options(years),
            Field::new("p_months", t("period.months_field"), FieldKind::Select)
                .value(value(&self.p_months))
                .options(months),
            Field::new("p_from", t("period.from"), FieldKind::Date).value(value(&self.p_from)),
            Field::new("p_to", t("period.to"), FieldKind::Date).value(value(&self.p_to)),
        ]
    }
}

/// The answer of `/period`: the composed code and its name, or why it is refused.
#[derive(Debug, Serialize)]
pub struct Preview {
    pub code: Option<String>,
    pub label: Option<String>,
    pub field: Option<String>,
    pub error: Option<String>,
}

/// GET /period?p_shape=…: what the picker's choice means, for the live preview.
pub async fn preview(
    _viewer: crate::web::session::Viewer,
    axum::extract::Query(p): axum::extract::Query<Picked>,
) -> axum::Json<Preview> {
    axum::Json(match p.period(None) {
        Ok(Some(period)) => Preview {
            label: Some(text::capitalise(&period.label)),
            code: Some(period.code),
            field: None,
            error: None,
        },
        Ok(None) => Preview {
            code: None,
            label: None,
            field: None,
            error: None,
        },
        Err(problem) => Preview {
            code: None,
            label: None,
            field: Some(problem.field),
            error: Some(problem.reason),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picked(shape: &str, year: &str, months: &str, from: &str, to: &str) -> Picked {
        let some = |s: &str| Some(s.to_string());
        Picked {
            p_shape: some(shape),
            p_year: some(year),
            p_months: some(months),
            p_from: some(from),
            p_to: some(to),
        }
    }

    #[test]
    fn the_picker_composes_every_shape_of_period_and_shows_it_back() {
        for (p, code) in [
            (picked("year", "2022", "", "", ""), "2022"),
            (picked("H2", "2026", "", "", ""), "2026-H2"),
            (picked("Q3", "2022", "", "", ""), "2022-Q3"),
            (picked("months", "2022", "9", "", ""), "2022-01..2022-09"),
            (
                picked("dates", "", "", "15/01/2022", "2022-03-31"),
                "2022-01-15..2022-03-31",
            ),
        ] {
            let period = p.period(None).unwrap().unwrap();
            assert_eq!(period.code, code);
            let back = Picked::of(&period).period(None).unwrap().unwrap();
            assert_eq!(back.code, code, "shown back");
        }
    }

    #[test]
    fn a_typed_code_is_used_when_the_picker_was_not_and_refusals_name_the_field() {
        let none = Picked::default();
        assert_eq!(
            none.period(Some("2026-H2")).unwrap().unwrap().code,
            "2026-H2"
        );
        assert_eq!(none.period(None).unwrap(), None);
        let e = picked("dates", "", "", "01/04/2022", "01/03/2022")
            .period(None)
            .unwrap_err();
        assert_eq!(e.field, "p_to");
        let e = picked("dates", "", "", "", "01/03/2022")
            .period(None)
            .unwrap_err();
        assert_eq!(e.field, "p_from");
        let e = none.period(Some("2022-H3")).unwrap_err();
        assert_eq!(e.field, "p_shape");
    }
}
