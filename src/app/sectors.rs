//! The deployment's taxonomy: fields of activity and the reporting groups over them. The CLI,
//! the administration page and the import's **Nhóm báo cáo** sheet check and write through here.

use crate::domain::sector::{ReportingGroup, Sector, SectorGroup, Taxonomy};
use crate::domain::text;
use crate::error::{Problems, Result};
use crate::store::Store;
use serde::Deserialize;

/// A new field of activity, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SectorInput {
    pub code: String,
    pub name_vi: String,
    #[serde(default)]
    pub name_en: String,
    /// agriculture, non_agriculture or credit.
    pub group: String,
    /// How it reads after "HTX" (default: the Vietnamese name in lower case).
    #[serde(default)]
    pub prose: String,
    /// VSIC 2018 section letter (default S, other service activities).
    #[serde(default)]
    pub vsic: String,
}

/// A code people type for something the deployment defines: unaccented letters, digits and
/// underscores.
fn code(problems: &mut Problems, typed: &str) -> Option<String> {
    let code = super::required(problems, "code", typed)?;
    if !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        problems.add(
            "code",
            format!("\"{code}\": chỉ dùng chữ không dấu, số và dấu gạch dưới"),
        );
        return None;
    }
    Some(code)
}

/// Checks a new field against the taxonomy it joins.
pub fn check_sector(taxonomy: &Taxonomy, input: &SectorInput) -> Result<Sector> {
    let mut problems = Problems::new();
    let code = code(&mut problems, &input.code);
    if let Some(c) = &code
        && taxonomy.get(c).is_some()
    {
        problems.add("code", format!("lĩnh vực \"{c}\" đã có"));
    }
    let name_vi = super::required(&mut problems, "name_vi", &input.name_vi);
    let group = problems.take(
        "group",
        SectorGroup::from_code(input.group.trim()).ok_or_else(|| {
            format!(
                "\"{}\" không hợp lệ (agriculture, non_agriculture, credit)",
                input.group.trim()
            )
        }),
    );
    let sort = taxonomy.all().iter().map(|s| s.sort).max().unwrap_or(0) + 10;
    problems.finish(|| {
        let name_vi = name_vi?;
        let prose = match text::clean(&input.prose) {
            p if p.is_empty() => name_vi.to_lowercase(),
            p => p,
        };
        Some(Sector {
            code: code?,
            group: group?,
            name_en: match text::clean(&input.name_en) {
                e if e.is_empty() => name_vi.clone(),
                e => e,
            },
            name_vi,
            prose,
            vsic: match text::clean(&input.vsic) {
                v if v.is_empty() => "S".to_string(),
                v => v,
            },
            sort,
        })
    })
}

/// Checks and writes a new field.
pub async fn record_sector(store: &Store, input: &SectorInput, author: &str) -> Result<Sector> {
    let sector = check_sector(&store.taxonomy().await?, input)?;
    store.add_sector(&sector, author).await?;
    Ok(sector)
}

/// A reporting group, as typed: its fields by code or name, separated by ";" (or by "," or
/// "+" where the names themselves have none).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ReportingGroupInput {
    pub code: String,
    /// How it reads in prose ("công thương").
    pub name_vi: String,
    #[serde(default)]
    pub name_en: String,
    pub fields: String,
}

/// The fields a cell names: each piece between ";" or line breaks is a field's code or name;
/// a piece that names none is read again split at "," and "+" ("Công nghiệp - tiểu thủ công
/// nghiệp, Thương mại"), since some fields' own names have a comma.
fn fields_named(taxonomy: &Taxonomy, typed: &str) -> (Vec<String>, Vec<String>) {
    let (mut found, mut unknown) = (Vec::new(), Vec::new());
    for piece in typed
        .split([';', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        if let Some(s) = taxonomy.find(piece) {
            found.push(s.code.clone());
            continue;
        }
        for part in piece
            .split([',', '+'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match taxonomy.find(part) {
                Some(s) => found.push(s.code.clone()),
                None => unknown.push(part.to_string()),
            }
        }
    }
    found.sort();
    found.dedup();
    (found, unknown)
}

/// Checks a reporting group against the taxonomy: its fields must exist and be in no other
/// group, and its code must not be a field's (a report's parts are named by code).
pub fn check_reporting_group(
    taxonomy: &Taxonomy,
    input: &ReportingGroupInput,
) -> Result<ReportingGroup> {
    let mut problems = Problems::new();
    let code = code(&mut problems, &input.code);
    if let Some(c) = &code
        && taxonomy.get(c).is_some()
    {
        problems.add(
            "code",
            format!("\"{c}\" là mã của một lĩnh vực; chọn mã khác cho nhóm"),
        );
    }
    let name_vi = super::required(&mut problems, "name_vi", &input.name_vi);
    let (fields, unknown) = fields_named(taxonomy, &input.fields);
    if !unknown.is_empty() {
        problems.add(
            "fields",
            format!(
                "không có lĩnh vực {} (xem htx sector list)",
                unknown
                    .iter()
                    .map(|u| format!("\"{u}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    } else if fields.is_empty() {
        problems.add("fields", super::REQUIRED);
    }
    for f in &fields {
        if let Some(other) = taxonomy.reporting_group_of(f)
            && Some(&other.code) != code.as_ref()
        {
            problems.add(
                "fields",
                format!(
                    "lĩnh vực \"{}\" đã thuộc nhóm \"{}\"; bỏ nó khỏi nhóm đó trước",
                    taxonomy.get(f).map_or(f.as_str(), |s| &s.name_vi),
                    other.name_vi
                ),
            );
        }
    }
    problems.finish(|| {
        let name_vi = name_vi?;
        Some(ReportingGroup {
            code: code?,
            name_en: match text::clean(&input.name_en) {
                e if e.is_empty() => name_vi.clone(),
                e => e,
            },
            name_vi,
            fields,
        })
    })
}

/// Checks and writes a reporting group (replacing the one of the same code).
pub async fn record_reporting_group(
    store: &Store,
    input: &ReportingGroupInput,
    author: &str,
) -> Result<ReportingGroup> {
    let group = check_reporting_group(&store.taxonomy().await?, input)?;
    store.save_reporting_group(&group, author).await?;
    Ok(group)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(code: &str, name: &str, fields: &str) -> ReportingGroupInput {
        ReportingGroupInput {
            code: code.into(),
            name_vi: name.into(),
            name_en: String::new(),
            fields: fields.into(),
        }
    }

    #[test]
    fn a_group_names_its_fields_by_code_or_name_even_with_commas_in_names() {
        let t = Taxonomy::built_in();
        let g = check_reporting_group(
            &t,
            &input(
                "cong_thuong",
                "công thương",
                "Công nghiệp - tiểu thủ công nghiệp, thuong mai",
            ),
        )
        .unwrap();
        assert_eq!(g.fields, vec!["industry_handicraft", "trade"]);
        let g = check_reporting_group(
            &t,
            &input(
                "moi_truong",
                "môi trường",
                "Môi trường, vệ sinh môi trường; housing",
            ),
        )
        .unwrap();
        assert_eq!(g.fields, vec!["environment", "housing"]);
    }

    #[test]
    fn a_bad_group_is_refused_naming_each_field_at_fault() {
        let t = Taxonomy::built_in().with_reporting_groups(vec![ReportingGroup {
            code: "cong_thuong".into(),
            name_vi: "công thương".into(),
            name_en: "industry and trade".into(),
            fields: vec!["trade".into()],
        }]);
        let e =
            check_reporting_group(&t, &input("dịch vụ", "", "thuong mai; du lich")).unwrap_err();
        let said: Vec<(String, String)> = e
            .problems()
            .iter()
            .map(|p| (p.field.clone(), p.reason.clone()))
            .collect();
        assert!(
            said.iter()
                .any(|(f, r)| f == "code" && r.contains("không dấu")),
            "{said:?}"
        );
        assert!(said.iter().any(|(f, _)| f == "name_vi"), "{said:?}");
        assert!(
            said.iter()
                .any(|(f, r)| f == "fields" && r.contains("\"du lich\"")),
            "{said:?}"
        );
        let e = check_reporting_group(&t, &input("ct2", "thương mại", "trade")).unwrap_err();
        assert!(
            e.problems()[0]
                .reason
                .contains("đã thuộc nhóm \"công thương\"")
        );
        // The group itself may be written again with the same field.
        assert!(check_reporting_group(&t, &input("cong_thuong", "công thương", "trade")).is_ok());
        let e = check_reporting_group(&t, &input("trade", "thương mại", "trade")).unwrap_err();
        assert!(e.problems()[0].reason.contains("mã của một lĩnh vực"));
    }
}
