//! Turns registry sheets into a validated batch: every bad row is reported with its sheet,
//! row, column and reason; nothing is written unless every row is good; rows already in
//! the registry are recognised and skipped, so importing a file twice changes nothing.

use crate::app::registry::{CheckedFigures, FiguresInput, check_figures, read};
use crate::domain::registry::{
    self, AttributeChanges, Attributes, Event, EventKind, EventPayload, ModelFlags, OrgKind,
    YearFigures,
};
use crate::domain::sector::Taxonomy;
use crate::domain::{parse_date, text};
use crate::error::Result;
use crate::import::columns::Col;
use crate::import::columns::SheetKind;
pub use crate::import::row::RowError;
use crate::import::row::{Row, recognised_rows};
use crate::import::sheet::Sheet;
use crate::store::Store;
use crate::store::registry::{NewOrganisation, RegistryBatch};
use std::collections::{HashMap, HashSet};
use time::Date;

/// What a file would change, and what is wrong with it.
#[derive(Debug, Default)]
pub struct Plan {
    pub batch: RegistryBatch,
    /// Rows recognised as already recorded.
    pub unchanged: usize,
    pub errors: Vec<RowError>,
    /// Sheets that were not recognised (names).
    pub ignored_sheets: Vec<String>,
    /// The organisations the registry sheets name, by code: their kind and their history as
    /// it will be once the file's accepted rows are written (organisations the file creates
    /// among them), so that later sheets can check against the registry after the import.
    pub histories: HashMap<String, (OrgKind, Vec<Event>)>,
    /// Organisations the file registers on a row that was refused, by code: (sheet, row).
    pub refused: HashMap<String, (String, usize)>,
}

impl Plan {
    /// Why an organisation a row names cannot be found: its registration row was refused,
    /// or it is neither in the registry nor in the file.
    pub fn not_found(&self, code: &str) -> String {
        not_found(&self.refused, code)
    }
}

/// [`Plan::not_found`], from the refused registrations.
pub(crate) fn not_found(refused: &HashMap<String, (String, usize)>, code: &str) -> String {
    match refused.get(code) {
        Some((sheet, row)) => format!(
            "tổ chức mã số {code} ở sheet \"{sheet}\" dòng {row} bị từ chối; sửa dòng đó trước"
        ),
        None => format!("không có tổ chức mã số {code} trong sổ hoặc trong sheet \"Tổ chức\""),
    }
}

/// Reads the sheets, checks every row against the rules and the registry, and returns the
/// batch to write together with every error found.
pub async fn plan(store: &Store, sheets: &[Sheet], today: Date) -> Result<Plan> {
    let taxonomy = store.taxonomy().await?;
    let area = store.deployment().await?.area;
    let mut plan = Plan::default();
    let (rows, ignored) = recognised_rows(sheets)?;
    plan.ignored_sheets = ignored;
    let rows: Vec<Row<'_>> = rows
        .into_iter()
        .filter(|r| {
            matches!(
                r.kind,
                SheetKind::Organisations | SheetKind::Events | SheetKind::Figures
            )
        })
        .collect();
    if rows.is_empty() && plan.ignored_sheets.is_empty() && sheets.iter().all(|s| s.rows.is_empty())
    {
        return Ok(plan);
    }
    let mut codes: Vec<String> = rows
        .iter()
        .filter_map(|r| r.get(Col::RegCode).map(text::clean))
        .collect();
    for r in rows.iter().filter(|r| r.kind == SheetKind::Events) {
        if let Some(related) = r.get(Col::Related) {
            codes.extend(split_codes(related));
        }
    }
    codes.sort();
    codes.dedup();
    let existing = store.histories(&codes).await?;
    let existing_figures = store.figures_of(&codes).await?;

    let mut ctx = Checker {
        taxonomy: &taxonomy,
        area: &area,
        today,
        histories: existing
            .iter()
            .map(|(code, (summary, events))| (code.clone(), (summary.kind, events.clone())))
            .collect(),
        new_codes: HashSet::new(),
        refused: HashMap::new(),
        next_id: i64::MAX / 2,
    };
    for row in rows.iter().filter(|r| r.kind == SheetKind::Organisations) {
        ctx.organisation(row, &mut plan);
    }
    let mut event_rows: Vec<(&Row<'_>, Option<Date>)> = rows
        .iter()
        .filter(|r| r.kind == SheetKind::Events)
        .map(|r| (r, r.get(Col::Date).and_then(|d| parse_date(d).ok())))
        .collect();
    // Events are checked in date order so that a file may list them in any order.
    event_rows.sort_by_key(|(r, d)| (*d, r.number));
    for (row, _) in event_rows {
        ctx.event(row, &mut plan);
    }
    let mut seen_figures = HashSet::new();
    for row in rows.iter().filter(|r| r.kind == SheetKind::Figures) {
        ctx.figures(row, &existing_figures, &mut seen_figures, &mut plan);
    }
    plan.errors
        .sort_by(|a, b| (&a.sheet, a.row).cmp(&(&b.sheet, b.row)));
    plan.histories = ctx.histories;
    plan.refused = ctx.refused;
    Ok(plan)
}

fn split_codes(s: &str) -> Vec<String> {
    s.split([';', ','])
        .map(text::clean)
        .filter(|c| !c.is_empty())
        .collect()
}

struct Checker<'a> {
    taxonomy: &'a Taxonomy,
    area: &'a str,
    today: Date,
    /// Known histories: existing ones, extended by rows accepted so far.
    histories: HashMap<String, (OrgKind, Vec<Event>)>,
    /// Organisations created by this file.
    new_codes: HashSet<String>,
    /// Organisations whose registration row was refused: (sheet, row).
    refused: HashMap<String, (String, usize)>,
    /// Provisional ids so that replay orders same-day events as the file lists them.
    next_id: i64,
}

impl Checker<'_> {
    /// Remembers a refused registration of an organisation not in the registry, so that the
    /// rows naming it say why it is missing.
    fn refuse(&mut self, code: Option<String>, row: &Row<'_>) {
        if let Some(code) = code
            && !self.histories.contains_key(&code)
        {
            self.refused
                .entry(code)
                .or_insert_with(|| (row.sheet.to_string(), row.number));
        }
    }

    fn commune(
        &self,
        row: &Row<'_>,
        key: Col,
        on: Date,
        errors: &mut Vec<RowError>,
    ) -> Option<String> {
        let typed = row.get(key)?;
        read::commune(typed, on, self.area)
            .map_err(|reason| errors.push(row.error(key, reason)))
            .ok()
    }

    fn sector(&self, row: &Row<'_>, key: Col, errors: &mut Vec<RowError>) -> Option<String> {
        let typed = row.get(key)?;
        read::sector(self.taxonomy, typed)
            .map_err(|reason| errors.push(row.error(key, reason)))
            .ok()
    }

    fn organisation(&mut self, row: &Row<'_>, plan: &mut Plan) {
        let mut errors = Vec::new();
        let code = row.required(Col::RegCode, &mut errors);
        let typed_code = code.clone();
        let kind = row.required(Col::Kind, &mut errors).and_then(|k| {
            read::kind(&k)
                .map_err(|reason| errors.push(row.error(Col::Kind, reason)))
                .ok()
        });
        let name = row.required(Col::Name, &mut errors);
        let established = row.date(Col::Established, &mut errors).and_then(|d| {
            crate::app::not_after(d, self.today)
                .map_err(|reason| errors.push(row.error(Col::Established, reason)))
                .ok()
        });
        if row.get(Col::Commune).is_none() {
            errors.push(row.error(Col::Commune, "bắt buộc, đang để trống"));
        }
        if row.get(Col::Sector).is_none() {
            errors.push(row.error(Col::Sector, "bắt buộc, đang để trống"));
        }
        let commune = established.and_then(|d| self.commune(row, Col::Commune, d, &mut errors));
        let sector = self.sector(row, Col::Sector, &mut errors);
        let law = row.number(Col::Law, &mut errors);
        let founding_members = row.get(Col::FoundingMembers).and_then(|typed| {
            read::figure(typed, false)
                .map_err(|reason| errors.push(row.error(Col::FoundingMembers, reason)))
                .ok()
                .flatten()
        });
        let (Some(code), Some(kind), Some(name), Some(established), Some(commune), Some(sector)) =
            (code, kind, name, established, commune, sector)
        else {
            self.refuse(typed_code, row);
            plan.errors.extend(errors);
            return;
        };
        let attributes = Attributes {
            name,
            address: row.get(Col::Address).map(text::clean).unwrap_or_default(),
            commune,
            sector,
            registering_body: row
                .get(Col::RegisteringBody)
                .map(text::clean)
                .unwrap_or_default(),
            law: law.unwrap_or_else(|| read::default_law(established)),
            flags: ModelFlags {
                new_type: row.flag(Col::NewType),
                high_tech: row.flag(Col::HighTech),
                value_chain: row.flag(Col::ValueChain),
                ocop: row.flag(Col::Ocop),
            },
            representative: row
                .get(Col::Representative)
                .map(text::clean)
                .unwrap_or_default(),
        };
        for (field, reason) in
            registry::check_attributes(&attributes, established, self.taxonomy, self.area)
        {
            let key = match Col::named(field) {
                Some(
                    key @ (Col::Commune
                    | Col::Sector
                    | Col::Law
                    | Col::Address
                    | Col::RegisteringBody
                    | Col::Representative),
                ) => key,
                _ => Col::Name,
            };
            errors.push(row.error(key, reason));
        }
        let event = Event {
            id: 0,
            kind: EventKind::Established,
            effective: established,
            payload: EventPayload {
                attributes: Some(attributes),
                founding_members,
                ..EventPayload::default()
            },
        };
        if self.new_codes.contains(&code) {
            errors.push(row.error(
                Col::RegCode,
                format!("mã số {code} xuất hiện hai lần trong tệp"),
            ));
        } else if let Some((existing_kind, history)) = self.histories.get(&code) {
            // A blank Luật means "as recorded": an organisation imported when a blank meant
            // 2012 is the same one when the file comes again.
            let same_as = |stored: &EventPayload| match (law, &stored.attributes) {
                (None, Some(a)) => {
                    let mut typed = event.payload.clone();
                    if let Some(t) = typed.attributes.as_mut() {
                        t.law = a.law;
                    }
                    typed == *stored
                }
                _ => event.payload == *stored,
            };
            let same = *existing_kind == kind
                && history.iter().any(|e| {
                    e.kind == EventKind::Established
                        && e.effective == event.effective
                        && same_as(&e.payload)
                });
            if same {
                plan.unchanged += 1;
            } else {
                errors.push(row.error(
                    Col::RegCode,
                    format!("mã số {code} đã có trong sổ với thông tin khác; thay đổi thông tin hãy ghi ở sheet \"Sự kiện\" (đăng ký thay đổi)"),
                ));
            }
        } else if let Err(e) = registry::admit(&[], &event, self.today)
            // Long texts of the establishment were named by their columns above.
            && !matches!(e, registry::RuleViolation::TooLong(..))
        {
            errors.push(row.error(Col::Established, e.to_string()));
        }
        if !errors.is_empty() {
            self.refuse(Some(code), row);
            plan.errors.extend(errors);
            return;
        }
        if self.histories.contains_key(&code) {
            return;
        }
        let mut stored = event.clone();
        stored.id = self.provisional_id();
        self.histories.insert(code.clone(), (kind, vec![stored]));
        self.new_codes.insert(code.clone());
        plan.batch.organisations.push(NewOrganisation {
            kind,
            reg_code: code,
            established: event,
        });
    }

    fn provisional_id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }

    fn event(&mut self, row: &Row<'_>, plan: &mut Plan) {
        let mut errors = Vec::new();
        let code = row.required(Col::RegCode, &mut errors);
        let kind = row
            .required(Col::Event, &mut errors)
            .and_then(|k| match EventKind::parse(&k) {
                Some(EventKind::Established) => {
                    errors.push(row.error(Col::Event, "thành lập được ghi ở sheet \"Tổ chức\""));
                    None
                }
                Some(kind) => Some(kind),
                None => {
                    errors.push(row.error(
                        Col::Event,
                        format!("\"{k}\" không phải loại sự kiện đã biết"),
                    ));
                    None
                }
            });
        let date = row.date(Col::Date, &mut errors);
        let (Some(code), Some(kind), Some(date)) = (code, kind, date) else {
            plan.errors.extend(errors);
            return;
        };
        let Some((_, history)) = self.histories.get(&code) else {
            plan.errors
                .push(row.error(Col::RegCode, not_found(&self.refused, &code)));
            return;
        };
        let changes = AttributeChanges {
            name: row.get(Col::NewName).map(text::clean),
            address: row.get(Col::NewAddress).map(text::clean),
            commune: self.commune(row, Col::NewCommune, date, &mut errors),
            sector: self.sector(row, Col::NewSector, &mut errors),
            registering_body: None,
            law: row.number(Col::NewLaw, &mut errors),
            flags: None,
            representative: row.get(Col::NewRepresentative).map(text::clean),
        };
        let related = row.get(Col::Related).map(split_codes).unwrap_or_default();
        for r in &related {
            if !self.histories.contains_key(r) {
                errors.push(row.error(Col::Related, format!("không có tổ chức mã số {r}")));
            }
        }
        let event = Event {
            id: 0,
            kind,
            effective: date,
            payload: EventPayload {
                attributes: None,
                changes,
                related,
                reference: row.get(Col::Reference).map(text::clean).unwrap_or_default(),
                founding_members: None,
            },
        };
        if let Some(law) = event.payload.changes.law
            && ![2012, 2023].contains(&law)
        {
            errors.push(row.error(
                Col::NewLaw,
                format!("luật {law} không hợp lệ (2012 hoặc 2023)"),
            ));
        }
        if !errors.is_empty() {
            plan.errors.extend(errors);
            return;
        }
        if history.iter().any(|e| {
            e.kind == event.kind && e.effective == event.effective && e.payload == event.payload
        }) {
            plan.unchanged += 1;
            return;
        }
        let mut candidate = event.clone();
        candidate.id = self.provisional_id();
        let Some((_, history)) = self.histories.get_mut(&code) else {
            return;
        };
        match registry::admit(history, &candidate, self.today) {
            Ok(_) => {
                history.push(candidate);
                plan.batch.events.push((code, event));
            }
            Err(e) => plan.errors.push(row.error(Col::Date, e.to_string())),
        }
    }

    fn figures(
        &mut self,
        row: &Row<'_>,
        existing: &HashMap<(String, i32), YearFigures>,
        seen: &mut HashSet<(String, i32)>,
        plan: &mut Plan,
    ) {
        // The same input and check as the command line, the form and the API; a problem's
        // field is the column's key.
        let cell = |key: Col| row.get(key).unwrap_or_default().to_string();
        let input = FiguresInput {
            code: cell(Col::RegCode),
            year: cell(Col::Year),
            official_members: cell(Col::OfficialMembers),
            associate_members: cell(Col::AssociateMembers),
            workers: cell(Col::Workers),
            seasonal_workers: cell(Col::SeasonalWorkers),
            charter_capital: cell(Col::CharterCapital),
            operating_capital: cell(Col::OperatingCapital),
            total_assets: cell(Col::TotalAssets),
            revenue: cell(Col::Revenue),
            profit: cell(Col::Profit),
            average_income: cell(Col::AverageIncome),
            version: String::new(),
        };
        let CheckedFigures {
            code,
            figures,
            expected_version: _,
        } = match check_figures(&input, self.today) {
            Ok(checked) => checked,
            Err(refused) => {
                match row.refusal(refused, |f| if f == "code" { "reg_code" } else { f }) {
                    Ok(errors) => plan.errors.extend(errors),
                    Err(other) => plan.errors.push(row.error(Col::Year, other.to_string())),
                }
                return;
            }
        };
        let year = figures.year;
        let mut errors = Vec::new();
        if !self.histories.contains_key(&code) {
            errors.push(row.error(Col::RegCode, not_found(&self.refused, &code)));
        }
        if !seen.insert((code.clone(), year)) {
            errors.push(row.error(
                Col::Year,
                format!("số liệu năm {year} của {code} xuất hiện hai lần"),
            ));
        }
        if !errors.is_empty() {
            plan.errors.extend(errors);
            return;
        }
        // A row that gives only the year's evaluation (Xếp loại, Điểm đánh giá) has no
        // figures to record: a blank is not a zero.
        let blank = YearFigures {
            year,
            ..YearFigures::default()
        };
        if figures == blank && (row.get(Col::Grade).is_some() || row.get(Col::Total).is_some()) {
            return;
        }
        if existing.get(&(code.clone(), year)) == Some(&figures) {
            plan.unchanged += 1;
            return;
        }
        plan.batch.figures.push((code, figures));
    }
}
