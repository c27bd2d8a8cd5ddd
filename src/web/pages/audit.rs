//! The audit log: who changed what and when, with the values before and after.

use crate::domain::access::Action;
use crate::store::audit::{AuditEntry, AuditFilter};
use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::forms::non_blank;
use crate::web::session::Viewer;
use crate::web::view::{Block, Cell, Field, FieldKind, Form, Layout, Page, Table};
use axum::extract::{Query, State};
use axum::response::Html;
use serde::Deserialize;
use std::collections::HashMap;

/// Filters of the log.
#[derive(Debug, Deserialize, Default)]
pub struct AuditQuery {
    pub author: Option<String>,
    pub entity: Option<String>,
    pub id: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub page: Option<i64>,
    /// For an export: csv or xlsx.
    pub format: Option<String>,
}

impl AuditQuery {
    /// The filters as query pairs.
    fn pairs(&self) -> Vec<(&'static str, String)> {
        [
            ("author", &self.author),
            ("entity", &self.entity),
            ("id", &self.id),
            ("from", &self.from),
            ("to", &self.to),
        ]
        .into_iter()
        .filter_map(|(k, v)| non_blank(v).map(|v| (k, v)))
        .collect()
    }

    /// The same filters on another page.
    fn link(&self, page: i64) -> String {
        let mut pairs = self.pairs();
        pairs.push(("page", page.to_string()));
        format!(
            "/audit?{}",
            serde_urlencoded::to_string(pairs).unwrap_or_default()
        )
    }

    /// The export of the same filters, to which `format=` is added.
    pub fn export_base(&self) -> String {
        let filters = serde_urlencoded::to_string(self.pairs()).unwrap_or_default();
        if filters.is_empty() {
            "/audit/export?".into()
        } else {
            format!("/audit/export?{filters}&")
        }
    }

    /// The store's filter of these filters, `limit` entries from `offset`.
    pub fn filter(&self, limit: i64, offset: i64) -> Result<AuditFilter, WebError> {
        let parse = |s: &Option<String>| -> Result<Option<String>, WebError> {
            non_blank(s)
                .map(|d| {
                    crate::domain::parse_date(&d)
                        .map(|d| d.to_string())
                        .map_err(WebError::invalid)
                })
                .transpose()
        };
        Ok(AuditFilter {
            author: non_blank(&self.author),
            entity: non_blank(&self.entity),
            entity_id: non_blank(&self.id),
            from: parse(&self.from)?,
            to: parse(&self.to)?,
            limit,
            offset,
        })
    }
}

/// One entry of the log as people read it.
pub struct Line {
    /// The moment as recorded (UTC, ISO 8601).
    pub at: String,
    pub who: String,
    pub what: String,
    pub record: String,
    pub href: Option<String>,
    pub changes: String,
}

/// The entries in words: people by their names and organisations by their names (one
/// lookup each per distinct person or organisation).
pub async fn lines(
    state: &AppState,
    lang: crate::web::i18n::Lang,
    entries: Vec<AuditEntry>,
) -> Result<Vec<Line>, WebError> {
    let people: HashMap<String, String> = state
        .store
        .users()
        .await?
        .into_iter()
        .map(|u| (u.username, u.display_name))
        .collect();
    let mut org_names: HashMap<String, Option<String>> = HashMap::new();
    for e in &entries {
        let code = match e.entity.as_str() {
            "organisation" => e.entity_id.clone(),
            "org_evaluation" | "org_figure" => e
                .entity_id
                .rsplit_once('/')
                .map(|(c, _)| c.to_string())
                .unwrap_or_default(),
            _ => continue,
        };
        if let std::collections::hash_map::Entry::Vacant(slot) = org_names.entry(code) {
            let name = state.store.org_by_code(slot.key()).await?.map(|o| o.name);
            slot.insert(name);
        }
    }
    Ok(entries
        .into_iter()
        .map(|e| {
            let code = e
                .entity_id
                .rsplit_once('/')
                .map_or(e.entity_id.as_str(), |(c, _)| c);
            let name = org_names.get(code).cloned().flatten();
            let d = super::audit_words::describe(&e, name.as_deref(), lang);
            Line {
                who: who(&e.author, &people),
                at: e.at,
                what: d.what,
                record: d.record,
                href: d.href,
                changes: d.changes.join("; "),
            }
        })
        .collect())
}

/// The kinds of record the log can be filtered by: (entity, dictionary key of its name).
pub const ENTITIES: [(&str, &str); 12] = [
    ("organisation", "audit.entity.organisation"),
    ("loan", "audit.entity.loan"),
    ("user", "audit.entity.user"),
    ("activity", "audit.entity.activity"),
    ("setting", "audit.entity.settings"),
    ("org_evaluation", "eval.title"),
    ("org_figure", "org.figures"),
    ("member", "alliance.members"),
    ("programme", "alliance.programmes"),
    ("committee_seat", "alliance.committees"),
    ("inspection", "alliance.inspections"),
    ("report", "reports.issued"),
];

/// Entries per page.
const PER_PAGE: i64 = 100;

/// GET /audit
pub async fn log(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<AuditQuery>,
) -> Result<Html<String>, WebError> {
    viewer.require(Action::ViewAudit)?;
    let t = |k| viewer.t(k);
    let page = q.page.unwrap_or(1).max(1);
    let filter = q.filter(PER_PAGE, (page - 1) * PER_PAGE)?;
    let entries = state.store.audit_search(&filter).await?;
    let form = Form::get("audit", "/audit", t("action.filter"))
        .field(
            Field::new("author", t("audit.who"), FieldKind::Text)
                .value(q.author.clone().unwrap_or_default()),
        )
        .field(
            Field::new("entity", t("audit.entity"), FieldKind::Select)
                .value(q.entity.clone().unwrap_or_default())
                .options(
                    std::iter::once((String::new(), t("filter.all").to_string()))
                        .chain(
                            ENTITIES
                                .iter()
                                .map(|(code, key)| (code.to_string(), t(key).to_string())),
                        )
                        .collect(),
                ),
        )
        .field(
            Field::new("id", t("audit.id"), FieldKind::Text)
                .value(q.id.clone().unwrap_or_default()),
        )
        .field(
            Field::new("from", t("audit.from"), FieldKind::Date)
                .value(q.from.clone().unwrap_or_default()),
        )
        .field(
            Field::new("to", t("audit.to"), FieldKind::Date)
                .value(q.to.clone().unwrap_or_default()),
        );
    let mut table = Table::new(
        "",
        &[
            t("audit.when"),
            t("audit.who"),
            t("audit.what"),
            t("audit.record"),
            t("audit.changes"),
        ],
    );
    table.id = "audit".into();
    table.empty = t("audit.none").into();
    let full_page = entries.len() as i64 == PER_PAGE;
    for line in lines(&state, viewer.lang, entries).await? {
        table.rows.push(vec![
            Cell::text(crate::web::forms::local_time(&line.at)),
            Cell::text(line.who),
            Cell::text(line.what),
            match line.href {
                Some(href) => Cell::link(line.record, href),
                None => Cell::text(line.record),
            },
            Cell::text(line.changes),
        ]);
    }
    Page {
        layout: Layout::for_viewer(&viewer, t("audit"), "audit"),
        blocks: vec![
            Block::Form(form),
            Block::Table(table),
            Block::Links(super::list_export::links(
                t("action.download"),
                &q.export_base(),
            )),
            Block::Pager {
                summary: format!("{} {page}", t("page")),
                prev: (page > 1).then(|| q.link(page - 1)),
                next: full_page.then(|| q.link(page + 1)),
            },
        ],
    }
    .render_html()
}

/// The person behind an author: "Nguyễn Thị Lan (canbo, web)" for an account's writes from
/// the pages ("web:") or the API ("api:"); other authors (the command line, imports) as they
/// were recorded.
fn who(author: &str, people: &HashMap<String, String>) -> String {
    match author.split_once(':') {
        Some((via, username)) if via == "web" || via == "api" => match people.get(username) {
            Some(name) => format!("{name} ({username}, {via})"),
            None => author.to_string(),
        },
        _ => author.to_string(),
    }
}
