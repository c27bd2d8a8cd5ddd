//! Reading typed form values and offering choices (kinds, sectors, events, areas) the same
//! way on every page.

use crate::domain::geo::{Era, Level, geo};
use crate::domain::registry::{EventKind, OrgKind, Status};
use crate::domain::sector::Taxonomy;
use crate::domain::{parse_date, text};
use crate::web::i18n::Lang;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use time::Date;

/// A date typed as dd/mm/yyyy (or yyyy-mm-dd); blank gives `default`.
pub fn date_or(s: Option<&str>, default: Date) -> Result<Date, String> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => parse_date(s),
    }
}

/// "" → None, otherwise the trimmed text.
pub fn non_blank(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The name of a sector in the page language, or its code when the taxonomy has none.
pub fn sector_name(taxonomy: &Taxonomy, code: &str, lang: Lang) -> String {
    match (taxonomy.get(code), lang) {
        (Some(s), Lang::Vi) => s.name_vi.clone(),
        (Some(s), Lang::En) => s.name_en.clone(),
        (None, _) => code.to_string(),
    }
}

/// Choices of organisation kind, with an "all" entry when `any` is given.
pub fn kind_options(lang: Lang, any: Option<&str>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = any
        .map(|label| vec![(String::new(), label.to_string())])
        .unwrap_or_default();
    out.extend(OrgKind::ALL.iter().map(|k| {
        (
            k.code().to_string(),
            format!("{} – {}", k.code(), lang.name(*k)),
        )
    }));
    out
}

/// Choices of sector from the taxonomy.
pub fn sector_options(taxonomy: &Taxonomy, lang: Lang, any: Option<&str>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = any
        .map(|label| vec![(String::new(), label.to_string())])
        .unwrap_or_default();
    out.extend(taxonomy.all().iter().map(|s| {
        (
            s.code.clone(),
            match lang {
                Lang::Vi => s.name_vi.clone(),
                Lang::En => s.name_en.clone(),
            },
        )
    }));
    out
}

/// Every status, for the list filter.
pub fn status_options(lang: Lang, any: &str) -> Vec<(String, String)> {
    let mut out = vec![(String::new(), any.to_string())];
    for code in [
        "active",
        "suspended",
        "ceased",
        "dissolved",
        "bankrupt",
        "revoked",
        "converted",
        "merged",
        "absorbed",
        "split",
    ] {
        if let Some(s) = Status::from_code(code) {
            out.push((code.to_string(), text::capitalise(lang.name(s))));
        }
    }
    out
}

/// Events that can be recorded after establishment.
pub fn event_options(lang: Lang) -> Vec<(String, String)> {
    EventKind::ALL
        .iter()
        .filter(|k| **k != EventKind::Established)
        .map(|k| (k.code().to_string(), text::capitalise(lang.name(*k))))
        .collect()
}

/// Districts of the old era and communes of the new one within the deployment's province,
/// limited to `within` (an area officer's unit) when given. The lists are built once per
/// province and unit (they come from the embedded unit data, which never changes).
pub fn area_options(
    province: &str,
    within: Option<&str>,
    any: Option<&str>,
) -> Vec<(String, String)> {
    /// (province, unit) → choices.
    type Built = HashMap<(String, Option<String>), Arc<Vec<(String, String)>>>;
    static BUILT: LazyLock<Mutex<Built>> = LazyLock::new(Mutex::default);
    let key = (province.to_string(), within.map(str::to_string));
    let units = {
        let mut built = crate::sync::lock(&BUILT);
        built
            .entry(key)
            .or_insert_with(|| Arc::new(build_area_options(province, within)))
            .clone()
    };
    let mut out: Vec<(String, String)> = any
        .map(|label| vec![(String::new(), label.to_string())])
        .unwrap_or_default();
    out.extend(units.iter().cloned());
    out
}

fn build_area_options(province: &str, within: Option<&str>) -> Vec<(String, String)> {
    let g = geo();
    let mut out = Vec::new();
    let provinces: Vec<String> = std::iter::once(province.to_string())
        .chain(g.successor(province).map(|s| s.id.clone()))
        .collect();
    for era_province in provinces {
        let Some(p) = g.unit(&era_province) else {
            continue;
        };
        let suffix = match p.era {
            Era::Old => " (trước 1/7/2025)",
            Era::New => "",
        };
        let level = match p.era {
            Era::Old => Level::District,
            Era::New => Level::Commune,
        };
        let mut units: Vec<_> = g
            .units_of(p.era, level)
            .into_iter()
            .filter(|u| g.is_within(&u.id, &p.id))
            .filter(|u| within.is_none_or(|w| g.is_within(&u.id, w)))
            .collect();
        units.sort_by_key(|u| text::sort_key(&u.name));
        out.extend(
            units
                .into_iter()
                .map(|u| (u.id.clone(), format!("{}{suffix}", u.full_name()))),
        );
    }
    out
}

/// The communes an officer may pick on a date (`units::communes_on` of the deployment's area,
/// within the officer's unit when limited to one), offered by the label the reader accepts
/// back: "Xã Lãng Ngâm, Huyện Gia Bình (mã 09889)".
pub fn commune_options(area: &str, within: Option<&str>, on: Date) -> Vec<(String, String)> {
    let g = geo();
    crate::app::units::communes_on(area, on)
        .into_iter()
        .filter(|u| within.is_none_or(|w| g.commune_in_area(&u.id, w)))
        .map(|u| {
            let label = crate::app::units::label(u);
            (label.clone(), label)
        })
        .collect()
}

/// The picker's label of a stored commune id (shown back in a form), or the text as typed.
pub fn commune_label(typed: &str) -> String {
    geo()
        .unit(typed)
        .map(crate::app::units::label)
        .unwrap_or_else(|| typed.to_string())
}

/// The name of a unit id, or the id itself.
pub fn unit_name(id: &str) -> String {
    geo()
        .unit(id)
        .map(|u| u.full_name())
        .unwrap_or_else(|| id.to_string())
}

/// A commune and, before the reform, its district (shared with the CLI).
pub use crate::app::units::place;

/// A recorded timestamp in Vietnam's time (kept in `domain::text`, where the CLI reads it too).
pub use crate::domain::text::local_time;

/// A date typed in a filter (today when blank).
pub fn typed_date(s: Option<&str>) -> Result<Date, crate::web::error::WebError> {
    date_or(s, crate::domain::today()).map_err(crate::web::error::WebError::invalid)
}

#[cfg(test)]
mod tests {
    #[test]
    fn recorded_times_are_shown_in_vietnam_time() {
        assert_eq!(
            super::local_time("2026-11-27T22:48:57.123456Z"),
            "28/11/2026 05:48"
        );
    }
}
