//! The building blocks pages are made of: a layout (navigation, user, language) and a list
//! of blocks (headings, facts, tables, forms, bar charts). Most pages are assembled from
//! these in Rust and rendered by one template, so every page looks and behaves the same.

use crate::domain::access::Action;
use crate::web::i18n::Lang;
use crate::web::session::Viewer;
use askama::Template;

/// One item of the main navigation.
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub active: bool,
}

/// What every page around its content shows.
pub struct Layout {
    pub title: String,
    pub lang: Lang,
    /// Display name and role of the user, when logged in.
    pub user: Option<(String, String)>,
    pub csrf: String,
    pub nav: Vec<NavItem>,
}

impl Layout {
    /// The text of a dictionary key in the page's language.
    pub fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }

    /// The layout of a page for a logged-in user; `active` is the nav entry to highlight.
    pub fn for_viewer(viewer: &Viewer, title: impl Into<String>, active: &str) -> Layout {
        let lang = viewer.lang;
        let access = viewer.user.access();
        let entries: [(&'static str, &'static str, Option<Action>); 8] = [
            ("/", "dashboard", None),
            ("/orgs", "registry", Some(Action::ViewRegistry)),
            ("/fund", "fund", Some(Action::ViewFund)),
            ("/alliance", "alliance", Some(Action::ViewAlliance)),
            ("/imports", "import", Some(Action::Import)),
            ("/reports", "reports", Some(Action::ViewReports)),
            ("/audit", "audit", Some(Action::ViewAudit)),
            ("/admin", "admin", Some(Action::Administer)),
        ];
        let nav = entries
            .into_iter()
            .filter(|(_, _, action)| action.is_none_or(|a| access.can(a)))
            .map(|(href, key, _)| NavItem {
                href,
                label: lang.t(key),
                active: key == active,
            })
            .collect();
        let role = match lang {
            Lang::Vi => viewer.user.role.name_vi(),
            Lang::En => viewer.user.role.name_en(),
        };
        Layout {
            title: title.into(),
            lang,
            user: Some((viewer.user.display_name.clone(), role.to_string())),
            csrf: viewer.csrf.clone(),
            nav,
        }
    }
}

/// A table cell: text, optionally a link, optionally right-aligned (numbers).
pub struct Cell {
    pub text: String,
    pub href: Option<String>,
    pub num: bool,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell {
            text: s.into(),
            href: None,
            num: false,
        }
    }
    pub fn num(s: impl Into<String>) -> Cell {
        Cell {
            text: s.into(),
            href: None,
            num: true,
        }
    }
    pub fn link(s: impl Into<String>, href: impl Into<String>) -> Cell {
        Cell {
            text: s.into(),
            href: Some(href.into()),
            num: false,
        }
    }
}

/// A table with a caption and headings.
pub struct Table {
    pub caption: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Shown when there are no rows.
    pub empty: String,
    /// Optional id for tests and links.
    pub id: String,
}

impl Table {
    /// Whether column `i` holds numbers (as its first row says), so that its heading is
    /// aligned with them.
    pub fn is_num(&self, i: &usize) -> bool {
        self.rows
            .first()
            .and_then(|r| r.get(*i))
            .is_some_and(|c| c.num)
    }

    pub fn new(caption: impl Into<String>, headers: &[&str]) -> Table {
        Table {
            caption: caption.into(),
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
            empty: "—".into(),
            id: String::new(),
        }
    }
}

/// How a form field is entered.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    Search,
    Date,
    Number,
    Password,
    Select,
    Textarea,
    Checkbox,
    Hidden,
    File,
}

impl FieldKind {
    /// The `type` attribute of the input element.
    pub fn input_type(&self) -> &'static str {
        match self {
            FieldKind::Text | FieldKind::Select | FieldKind::Textarea => "text",
            FieldKind::Search => "search",
            // Dates are typed dd/mm/yyyy, as officials write them.
            FieldKind::Date => "text",
            FieldKind::Number => "text",
            FieldKind::Password => "password",
            FieldKind::Checkbox => "checkbox",
            FieldKind::Hidden => "hidden",
            FieldKind::File => "file",
        }
    }
}

/// One field of a form, with its error shown next to it.
pub struct Field {
    pub name: String,
    pub label: String,
    pub kind: FieldKind,
    pub value: String,
    pub options: Vec<(String, String)>,
    pub error: Option<String>,
    pub required: bool,
    pub hint: String,
    /// For a commune picker: the id of the date input whose date decides which communes
    /// are valid (a script refreshes the list from /units when that date changes).
    pub units_on: String,
}

impl Field {
    pub fn new(name: &str, label: &str, kind: FieldKind) -> Field {
        Field {
            name: name.into(),
            label: label.into(),
            kind,
            value: String::new(),
            options: Vec::new(),
            error: None,
            required: false,
            // Dates are typed as officials write them; the placeholder vanishes on typing.
            hint: if kind == FieldKind::Date {
                "dd/mm/yyyy".into()
            } else {
                String::new()
            },
            units_on: String::new(),
        }
    }
    pub fn value(mut self, v: impl Into<String>) -> Field {
        self.value = v.into();
        self
    }
    pub fn required(mut self) -> Field {
        self.required = true;
        self
    }
    pub fn hint(mut self, h: impl Into<String>) -> Field {
        self.hint = h.into();
        self
    }
    pub fn options(mut self, o: Vec<(String, String)>) -> Field {
        self.options = o;
        self
    }
    /// Makes the field a commune picker whose choices follow the date field `date_field`.
    pub fn communes(mut self, choices: Vec<(String, String)>, date_field: &str) -> Field {
        self.options = choices;
        self.units_on = format!("f-{date_field}");
        self
    }
    pub fn is_selected(&self, option: &str) -> bool {
        self.value == option
    }
    pub fn is_checked(&self) -> bool {
        !self.value.is_empty() && self.value != "0" && self.value != "false"
    }
    /// The id of the input element.
    pub fn id(&self) -> String {
        format!("f-{}", self.name)
    }
}

/// A form; `get` forms are filters, `post` forms change data and carry the CSRF token.
pub struct Form {
    pub id: String,
    pub action: String,
    pub post: bool,
    pub multipart: bool,
    pub fields: Vec<Field>,
    pub submit: String,
    /// A filter bar laid out in one row.
    pub inline: bool,
    /// An error about the whole form.
    pub error: Option<String>,
}

impl Form {
    pub fn post(id: &str, action: impl Into<String>, submit: &str) -> Form {
        Form {
            id: id.into(),
            action: action.into(),
            post: true,
            multipart: false,
            fields: Vec::new(),
            submit: submit.into(),
            inline: false,
            error: None,
        }
    }
    pub fn get(id: &str, action: impl Into<String>, submit: &str) -> Form {
        Form {
            post: false,
            inline: true,
            ..Form::post(id, action, submit)
        }
    }
    pub fn field(mut self, f: Field) -> Form {
        self.fields.push(f);
        self
    }
    /// Puts every problem next to its field; those about no field of this form go on the
    /// form itself.
    pub fn with_problems(mut self, problems: &[crate::error::Problem]) -> Form {
        for p in problems {
            self = self.with_error(&p.field, p.reason.clone());
        }
        self
    }

    /// Puts a validation error next to the named field (or on the form if there is none;
    /// several such errors are kept one after the other).
    pub fn with_error(mut self, field: &str, message: String) -> Form {
        match self.fields.iter_mut().find(|f| f.name == field) {
            Some(f) => {
                f.error = Some(match f.error.take() {
                    Some(before) => format!("{before}; {message}"),
                    None => message,
                })
            }
            None => {
                self.error = Some(match self.error.take() {
                    Some(before) => format!("{before}; {message}"),
                    None => message,
                })
            }
        }
        self
    }
}

/// One bar of a chart: a label and one or more values as shares of the longest bar.
pub struct Bar {
    pub label: String,
    /// The list behind the bar, when there is one.
    pub href: Option<String>,
    /// (css class, width in percent, value as shown)
    pub parts: Vec<(&'static str, u32, String)>,
}

/// A horizontal bar chart drawn with plain HTML (readable without scripts, printable).
pub struct Chart {
    pub title: String,
    pub legend: Vec<(&'static str, String)>,
    pub bars: Vec<Bar>,
}

impl Chart {
    /// A chart of single values.
    pub fn single(title: impl Into<String>, data: &[(String, i64, String)]) -> Chart {
        let max = data.iter().map(|d| d.1).max().unwrap_or(0).max(1);
        Chart {
            title: title.into(),
            legend: Vec::new(),
            bars: data
                .iter()
                .map(|(label, v, shown)| Bar {
                    label: label.clone(),
                    href: None,
                    parts: vec![("b0", width(*v, max), shown.clone())],
                })
                .collect(),
        }
    }

    /// A chart of single values, each bar a link to the list behind it.
    pub fn linked(title: impl Into<String>, data: &[(String, i64, String, String)]) -> Chart {
        let plain: Vec<(String, i64, String)> = data
            .iter()
            .map(|(l, v, s, _)| (l.clone(), *v, s.clone()))
            .collect();
        let mut chart = Chart::single(title, &plain);
        for (bar, (_, _, _, href)) in chart.bars.iter_mut().zip(data) {
            bar.href = Some(href.clone());
        }
        chart
    }
}

/// A bar's width in percent of the longest one (at least 1% so that small values show).
pub fn width(value: i64, max: i64) -> u32 {
    if value <= 0 {
        return 0;
    }
    ((value as f64 / max as f64) * 100.0)
        .round()
        .clamp(1.0, 100.0) as u32
}

/// One criterion's line on a score sheet.
pub struct SheetLine {
    /// "1" … "15", or the group's numeral on a group's line.
    pub number: String,
    pub name: String,
    /// The maximum, written the Vietnamese way.
    pub max: String,
    /// The maximum in hundredths (for the script that adds up as one types).
    pub max_hundredths: i64,
    /// The input of a criterion; `None` on a group's line.
    pub input: Option<Field>,
}

/// A form laid out like the paper score sheet of Circular 01/2020: criteria with their
/// maxima and a points input each, the total and grade below, then the other fields. It has
/// two buttons: one recomputes the total on the server (so it works without scripts), one
/// saves; a small script also adds up as one types.
pub struct ScoreSheet {
    pub form: Form,
    pub lines: Vec<SheetLine>,
    /// The total and grade of the points as last computed ("—" before any).
    pub total: String,
    pub grade: String,
    /// The grade thresholds in hundredths (good, fair, average) and names, for the script.
    pub thresholds: [(i64, String); 3],
    pub weak_name: String,
    /// Labels of the sheet's table and buttons.
    pub headers: [String; 4],
    pub total_label: String,
    pub grade_label: String,
    pub compute: String,
}

/// The parts of a page, top to bottom.
pub enum Block {
    Heading(String),
    Text(String),
    /// (kind: ok | error | info, text)
    Notice(&'static str, String),
    Facts(Vec<(String, String)>),
    Table(Table),
    Form(Form),
    Chart(Chart),
    /// A chart over time, drawn as inline SVG with its figures as a table.
    Trend(Box<crate::web::svg_chart::TrendChart>),
    /// Buttons or links: (label, href).
    Links(Vec<(String, String)>),
    /// The parts of a page: (label, href, whether it is the one shown).
    Tabs(Vec<(String, String, bool)>),
    /// Previous / next page links and a summary.
    Pager {
        summary: String,
        prev: Option<String>,
        next: Option<String>,
    },
    /// HTML produced by htx itself (the report preview), never user input.
    Trusted(String),
    /// Blocks drawn earlier by htx and kept (the dashboard's charts), emitted as they are.
    Drawn(std::sync::Arc<str>),
    /// Blocks side by side on wide screens.
    Columns(Vec<Block>),
    /// A score sheet of the yearly evaluation.
    ScoreSheet(Box<ScoreSheet>),
}

/// The generic page.
#[derive(Template)]
#[template(path = "web/page.html")]
pub struct Page {
    pub layout: Layout,
    pub blocks: Vec<Block>,
}

/// The blocks of a page without its frame, to keep them drawn (`Block::Drawn`).
#[derive(Template)]
#[template(path = "web/page.html", block = "content")]
pub struct PageContent<'a> {
    pub layout: &'a Layout,
    pub blocks: &'a [Block],
}

impl Page {
    /// Renders to a response.
    pub fn render_html(&self) -> Result<axum::response::Html<String>, crate::web::error::WebError> {
        Ok(axum::response::Html(self.render()?))
    }
}
