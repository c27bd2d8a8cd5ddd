//! Reading a commune as officers type or pick it, the same way at every entrance (the web
//! forms, the command line, the API and the import): by its code, by its unit id, by its
//! name ("Xã Lãng Ngâm"), by its name and district ("Lãng Ngâm, Gia Bình"), or as the picker
//! offers it ("Xã Lãng Ngâm, Huyện Gia Bình (mã 09889)"). The date decides the era: before
//! 1/7/2025 the communes of the old administration, from that day the new ones.

use crate::domain::geo::{Era, Level, REFORM_DATE, Unit, geo};
use crate::domain::text;
use time::Date;

/// How the picker labels a commune: its name, its district before the reform, its code.
pub fn label(u: &Unit) -> String {
    let district = match u.era {
        Era::Old => u
            .parent_id
            .as_deref()
            .and_then(|p| geo().unit(p))
            .filter(|d| d.level == Level::District)
            .map(|d| format!(", {}", d.full_name()))
            .unwrap_or_default(),
        Era::New => String::new(),
    };
    format!("{}{district} (mã {})", u.full_name(), u.code)
}

/// A commune and, before the reform, its district: "Xã Lãng Ngâm, Huyện Gia Bình".
pub fn place(commune: &str, on: Date) -> String {
    let g = geo();
    let Some(c) = g.commune_at(commune, on) else {
        // A place of the old era with no successor: a district an organisation is known by.
        return g
            .unit(commune)
            .map_or_else(|| commune.to_string(), |u| u.full_name());
    };
    match g.reporting_area(&c.id, on, false) {
        Some(d) if d.id != c.id => format!("{}, {}", c.full_name(), d.full_name()),
        _ => c.full_name(),
    }
}

/// The communes valid on a date within an area (a unit id of either era; every commune of
/// the era when blank), sorted by name.
pub fn communes_on(area: &str, on: Date) -> Vec<&'static Unit> {
    let g = geo();
    let era = Era::at(on);
    let mut out: Vec<&Unit> = if area.trim().is_empty() {
        g.units_of(era, Level::Commune)
    } else {
        g.communes_in_area(area)
            .iter()
            .filter_map(|id| g.unit(id))
            .filter(|u| u.era == era && u.level == Level::Commune)
            .collect()
    };
    out.sort_by_cached_key(|u| (text::sort_key(&u.name), label(u)));
    out
}

/// The commune an officer typed or picked, valid on `on`, looked up by name within `area`
/// (the deployment's province; codes and ids are national). The refusal says why and, for a
/// name of the other era, which era it belongs to.
///
/// Before the reform, a row whose commune no longer exists in the unit data (merged in
/// 2019–2024) may name its district instead: "Huyện Gia Bình", its id `old-263` or the
/// label "Huyện Gia Bình (mã 263)"; the organisation is then counted in that district.
pub fn commune(typed: &str, on: Date, area: &str) -> Result<String, String> {
    let typed = typed.trim();
    match commune_only(typed, on, area) {
        Ok(id) => Ok(id),
        Err(reason) if Era::at(on) == Era::Old => district(typed, area).ok_or_else(|| {
            // The example is one of the area's own districts.
            let g = geo();
            let example = g
                .units_of(Era::Old, Level::District)
                .into_iter()
                .filter(|u| {
                    u.kind == "Huyện" && (area.is_empty() || g.commune_in_area(&u.id, area))
                })
                .map(|u| format!(" (ví dụ \"{}\")", u.full_name()))
                .next()
                .unwrap_or_default();
            format!(
                "{reason}; nếu xã đã sáp nhập và không còn trong danh mục, ghi tên huyện{example}"
            )
        }),
        Err(reason) => Err(reason),
    }
}

/// An old district named by its id, its label with code, or its kind and name within `area`.
fn district(typed: &str, area: &str) -> Option<String> {
    let g = geo();
    let is_district = |u: &&Unit| u.level == Level::District && u.era == Era::Old;
    if let Some(u) = g.unit(typed).filter(is_district) {
        return Some(u.id.clone());
    }
    let (name, code) = split_code(typed);
    if let Some(code) = code {
        return g
            .unit(&format!("old-{code}"))
            .filter(is_district)
            .filter(|u| name.is_empty() || text::fold(&u.full_name()) == text::fold(name))
            .map(|u| u.id.clone());
    }
    // The kind is required ("Huyện Gia Bình"), so that a commune's name mistyped is not
    // taken for the district of the same name.
    let key = text::fold(typed);
    let found: Vec<&Unit> = g
        .units_of(Era::Old, Level::District)
        .into_iter()
        .filter(|u| area.is_empty() || g.commune_in_area(&u.id, area))
        .filter(|u| text::fold(&u.full_name()) == key)
        .collect();
    match found.as_slice() {
        [one] => Some(one.id.clone()),
        _ => None,
    }
}

/// [`commune`] among the communes alone.
fn commune_only(typed: &str, on: Date, area: &str) -> Result<String, String> {
    let (name, code) = split_code(typed);
    if let Some(code) = code {
        return match by_code(code, on) {
            Some(u) if name.is_empty() || names(u, name) => Ok(u.id.clone()),
            _ => Err(not_on_date(typed, on, area)),
        };
    }
    if typed.chars().all(|c| c.is_ascii_digit()) || geo().unit(typed).is_some() {
        return by_code(typed, on)
            .map(|u| u.id.clone())
            .ok_or_else(|| not_on_date(typed, on, area));
    }
    let found: Vec<&Unit> = communes_on(area, on)
        .into_iter()
        .filter(|u| names(u, typed))
        .collect();
    match found.as_slice() {
        [one] => Ok(one.id.clone()),
        [] => Err(not_on_date(typed, on, area)),
        many => Err(format!(
            "có {} xã, phường tên \"{typed}\": {}; hãy chọn một trong danh sách (hoặc ghi thêm huyện)",
            many.len(),
            many.iter().map(|u| label(u)).collect::<Vec<_>>().join("; ")
        )),
    }
}

/// "Xã Lãng Ngâm, Huyện Gia Bình (mã 09889)" → ("Xã Lãng Ngâm, Huyện Gia Bình", "09889").
fn split_code(typed: &str) -> (&str, Option<&str>) {
    let Some(open) = typed.rfind('(') else {
        return (typed, None);
    };
    let inside = typed[open + 1..].trim_end_matches(')').trim();
    let code = inside
        .strip_prefix("mã")
        .or_else(|| inside.strip_prefix("Mã"))
        .or_else(|| inside.strip_prefix("code"))
        .map(str::trim)
        .filter(|c| !c.is_empty() && c.chars().all(|ch| ch.is_ascii_digit()));
    match code {
        Some(c) => (typed[..open].trim(), Some(c)),
        None => (typed, None),
    }
}

/// A commune by its unit id or its code in the era of `on`. Spreadsheets drop the leading
/// zeros of codes typed as numbers, so 9163 means 09163.
fn by_code(typed: &str, on: Date) -> Option<&'static Unit> {
    let code = if typed.chars().all(|c| c.is_ascii_digit()) && typed.len() < 5 {
        format!("{typed:0>5}")
    } else {
        typed.to_string()
    };
    geo()
        .unit(&code)
        .or_else(|| geo().by_code(&code, on))
        .filter(|u| u.level == Level::Commune)
}

/// Whether "name" or "name, district" (kinds optional, accents and case ignored) names `u`.
fn names(u: &Unit, typed: &str) -> bool {
    let mut parts = typed.split(',').map(text::fold);
    let Some(first) = parts.next() else {
        return false;
    };
    let matches = |unit: &Unit, key: &str| {
        text::fold(&unit.full_name()) == key || text::fold(&unit.name) == key
    };
    if !matches(u, &first) {
        return false;
    }
    // Each further part names an ancestor (the district, the province).
    parts.filter(|p| !p.is_empty()).all(|p| {
        let mut up = u.parent_id.as_deref().and_then(|id| geo().unit(id));
        while let Some(a) = up {
            if matches(a, &p) {
                return true;
            }
            up = a.parent_id.as_deref().and_then(|id| geo().unit(id));
        }
        false
    })
}

/// Why nothing valid on `on` answers to `typed`, naming the era a match belongs to.
fn not_on_date(typed: &str, on: Date, area: &str) -> String {
    let other = match Era::at(on) {
        Era::Old => REFORM_DATE,
        Era::New => REFORM_DATE.previous_day().unwrap_or(REFORM_DATE),
    };
    let (name, code) = split_code(typed);
    let in_other_era = match code {
        Some(c) => by_code(c, other).is_some_and(|u| name.is_empty() || names(u, name)),
        None if typed.chars().all(|c| c.is_ascii_digit()) => by_code(typed, other).is_some(),
        None => communes_on(area, other).iter().any(|u| names(u, typed)),
    };
    let era = if in_other_era {
        match Era::at(on) {
            Era::Old => {
                "; đây là xã, phường từ 01/07/2025, trước ngày đó hãy chọn xã cũ (thuộc huyện)"
            }
            Era::New => "; đây là xã cũ (trước 01/07/2025), từ ngày đó hãy chọn xã, phường mới",
        }
    } else {
        " (trước 01/07/2025 dùng xã cũ thuộc huyện, từ 01/07/2025 dùng xã, phường mới)"
    };
    format!(
        "không có xã, phường \"{typed}\" vào ngày {}{era}",
        text::date(on)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    /// The deployment area of the demo: old Bắc Ninh, whose successor is new Bắc Ninh.
    fn area() -> String {
        geo()
            .units_of(Era::Old, Level::Province)
            .into_iter()
            .find(|p| p.name == "Bắc Ninh")
            .map(|p| p.id.clone())
            .unwrap_or_default()
    }

    fn old_commune(name: &str) -> &'static Unit {
        communes_on(&area(), date!(2024 - 01 - 01))
            .into_iter()
            .find(|u| u.name == name)
            .unwrap_or_else(|| panic!("no old commune {name}"))
    }

    #[test]
    fn a_commune_is_read_by_name_by_name_and_district_by_label_and_by_code() {
        let on = date!(2024 - 03 - 01);
        let lang_ngam = old_commune("Lãng Ngâm");
        for typed in [
            "Xã Lãng Ngâm".to_string(),
            "lang ngam".to_string(),
            "Lãng Ngâm, Gia Bình".to_string(),
            label(lang_ngam),
            lang_ngam.code.clone(),
            lang_ngam.id.clone(),
        ] {
            assert_eq!(
                commune(&typed, on, &area()),
                Ok(lang_ngam.id.clone()),
                "{typed}"
            );
        }
        assert!(label(lang_ngam).starts_with("Xã Lãng Ngâm, Huyện Gia Bình (mã "));
    }

    #[test]
    fn a_name_of_the_other_era_is_refused_saying_which_era_it_belongs_to() {
        let picked = label(old_commune("Lãng Ngâm"));
        let refused = commune(&picked, date!(2025 - 08 - 01), &area()).unwrap_err();
        assert!(refused.contains("xã cũ (trước 01/07/2025)"), "{refused}");
        assert!(refused.contains("01/08/2025"), "{refused}");
        let unknown = commune("Xã Không Có", date!(2024 - 01 - 01), &area()).unwrap_err();
        assert!(
            unknown.starts_with("không có xã, phường \"Xã Không Có\""),
            "{unknown}"
        );
    }

    #[test]
    fn an_ambiguous_name_lists_the_candidates() {
        // Across the country (no area) many communes share a name; the district tells apart.
        let on = date!(2024 - 01 - 01);
        let communes = communes_on("", on);
        let district_of = |u: &Unit| geo().unit(u.parent_id.as_deref().unwrap_or_default());
        let same = |u: &Unit, v: &Unit| u.name == v.name;
        let shared = communes
            .iter()
            .filter(|u| !u.name.chars().all(|c| c.is_ascii_digit()))
            .find(|u| {
                communes.iter().filter(|v| same(u, v)).count() > 1
                    && communes
                        .iter()
                        .filter(|v| {
                            same(u, v)
                                && district_of(v).map(|d| &d.name)
                                    == district_of(u).map(|d| &d.name)
                        })
                        .count()
                        == 1
            })
            .expect("communes share names across the country");
        let refused = commune(&shared.name, on, "").unwrap_err();
        assert!(refused.starts_with("có "), "{refused}");
        let district = district_of(shared)
            .map(|d| d.name.clone())
            .unwrap_or_default();
        assert_eq!(
            commune(&format!("{}, {district}", shared.name), on, ""),
            Ok(shared.id.clone())
        );
    }
}
