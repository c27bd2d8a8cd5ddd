//! Administration: users (roles, areas, disabling), report settings, the sector taxonomy
//! and the administrative units of the province.

use crate::app::sectors::{self, ReportingGroupInput, SectorInput};
use crate::domain::access::{Action, Role};
use crate::domain::geo::{Era, Level, geo};
use crate::domain::sector::{SectorGroup, Taxonomy};
use crate::domain::text;
use crate::error::{Error, Problem};
use crate::store::accounts::NewUser;
use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::forms;
use crate::web::session::Viewer;
use crate::web::view::{Block, Cell, Field, FieldKind, Form, Layout, Page, Table};
use axum::Form as PostForm;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

fn role_options(viewer: &Viewer) -> Vec<(String, String)> {
    Role::ALL
        .iter()
        .map(|r| {
            (
                r.code().to_string(),
                match viewer.lang {
                    crate::web::i18n::Lang::Vi => r.name_vi(),
                    crate::web::i18n::Lang::En => r.name_en(),
                }
                .to_string(),
            )
        })
        .collect()
}

/// The new-user form as posted.
#[derive(Debug, Deserialize, Default, Clone)]
pub struct UserForm {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub area: String,
}

/// The administration page; `refused` is a form sent back with its problems, shown in place
/// of the empty form of the same id.
async fn page(
    state: &AppState,
    viewer: &Viewer,
    notice: Option<Block>,
    refused: Option<Form>,
) -> Result<Response, WebError> {
    let t = |k| viewer.t(k);
    let deployment = state.deployment().await?;
    let areas = forms::area_options(&deployment.area, None, Some("—"));
    let mut users = Table::new(
        t("admin.users"),
        &[
            t("field.username"),
            t("field.display_name"),
            t("field.role"),
            t("field.area"),
            t("admin.user.state"),
            "",
        ],
    );
    users.id = "users".into();
    let mut edits = Vec::new();
    for u in state.store.users().await? {
        users.rows.push(vec![
            Cell::text(&u.username),
            Cell::text(&u.display_name),
            Cell::text(match viewer.lang {
                crate::web::i18n::Lang::Vi => u.role.name_vi(),
                crate::web::i18n::Lang::En => u.role.name_en(),
            }),
            Cell::text(if u.area.is_empty() {
                "—".into()
            } else {
                forms::unit_name(&u.area)
            }),
            Cell::text(if u.disabled {
                t("admin.user.disabled")
            } else {
                t("admin.user.active")
            }),
            Cell::link(t("action.edit"), format!("#edit-{}", u.id)),
        ]);
        let mut f = Form::post(
            &format!("edit-{}", u.id),
            format!("/admin/users/{}", u.id),
            t("action.save"),
        )
        .field(Field::new("version", "", FieldKind::Hidden).value(u.version.to_string()))
        .field(
            Field::new("display_name", t("field.display_name"), FieldKind::Text)
                .value(&u.display_name),
        )
        .field(
            Field::new("role", t("field.role"), FieldKind::Select)
                .value(u.role.code())
                .options(role_options(viewer)),
        )
        .field(
            Field::new("area", t("field.area"), FieldKind::Select)
                .value(&u.area)
                .options(areas.clone()),
        )
        .field(
            Field::new("disabled", t("admin.user.disable"), FieldKind::Checkbox)
                .value(if u.disabled { "1" } else { "" }),
        );
        f.inline = true;
        edits.push(Block::Heading(format!(
            "{} · {}",
            t("action.save"),
            u.username
        )));
        edits.push(Block::Form(f));
    }
    let new_user = new_user_form(viewer, &areas, &UserForm::default());
    let settings = Form::post("settings", "/admin/settings", t("action.save"))
        .field(
            Field::new("parent_body", t("admin.parent_body"), FieldKind::Text)
                .value(&deployment.parent_body),
        )
        .field(
            Field::new("issuing_body", t("admin.issuing_body"), FieldKind::Text)
                .value(&deployment.issuing_body),
        )
        .field(
            Field::new("issuer_code", t("admin.issuer_code"), FieldKind::Text)
                .value(&deployment.issuer_code),
        )
        .field(Field::new("place", t("admin.place"), FieldKind::Text).value(&deployment.place))
        .field(
            Field::new(
                "signer_capacity",
                t("admin.signer_capacity"),
                FieldKind::Text,
            )
            .value(&deployment.signer_capacity),
        )
        .field(
            Field::new("signer_position", t("admin.signer_title"), FieldKind::Text)
                .value(&deployment.signer_position),
        )
        .field(
            Field::new("signer_name", t("admin.signer"), FieldKind::Text)
                .value(&deployment.signer_name),
        )
        .field(
            Field::new("recipients", t("admin.recipients"), FieldKind::Textarea)
                .value(deployment.recipients.join("\n")),
        )
        .field(
            Field::new(
                "money_in_prose",
                t("admin.money_in_prose"),
                FieldKind::Select,
            )
            .value(deployment.money_in_prose.code())
            .options(vec![
                ("words".into(), t("admin.money_in_prose.words").into()),
                ("billions".into(), t("admin.money_in_prose.billions").into()),
            ]),
        )
        .field(
            Field::new(
                "fields_in_prose",
                t("admin.fields_in_prose"),
                FieldKind::Checkbox,
            )
            .value(if deployment.fields_in_prose { "1" } else { "" }),
        );
    let taxonomy = state.taxonomy().await?;
    let mut sectors = Table::new(
        t("field.sector"),
        &[
            t("admin.sector.code"),
            t("admin.sector.name_vi"),
            t("admin.sector.name_en"),
            t("admin.sector.group"),
            t("admin.sector.vsic"),
        ],
    );
    for s in taxonomy.all() {
        sectors.rows.push(vec![
            Cell::text(&s.code),
            Cell::text(&s.name_vi),
            Cell::text(&s.name_en),
            Cell::text(s.group.label()),
            Cell::text(&s.vsic),
        ]);
    }
    let sector_form = sector_form(viewer, &SectorInput::default());
    let (groups, group_form, remove_group) = reporting_groups(viewer, &taxonomy);
    let g = geo();
    let mut units = Table::new(
        t("admin.units"),
        &[
            t("admin.unit.code"),
            t("admin.unit.name"),
            t("admin.unit.level"),
            t("admin.unit.valid"),
            t("admin.unit.communes"),
        ],
    );
    let provinces: Vec<String> = std::iter::once(deployment.area.clone())
        .chain(g.successor(&deployment.area).map(|s| s.id.clone()))
        .collect();
    for p in provinces.iter().filter_map(|p| g.unit(p)) {
        let level = if p.era == Era::Old {
            Level::District
        } else {
            Level::Commune
        };
        let mut list: Vec<_> = g
            .units_of(p.era, level)
            .into_iter()
            .filter(|u| g.is_within(&u.id, &p.id))
            .collect();
        list.sort_by_key(|u| text::sort_key(&u.name));
        for u in list {
            units.rows.push(vec![
                Cell::text(&u.code),
                Cell::text(u.full_name()),
                Cell::text(if u.level == Level::District {
                    t("admin.unit.district")
                } else {
                    t("admin.unit.commune")
                }),
                Cell::text(if u.era == Era::Old {
                    t("admin.unit.old_era")
                } else {
                    t("admin.unit.new_era")
                }),
                Cell::num(if u.level == Level::District {
                    g.communes_within(&u.id).len().to_string()
                } else {
                    String::new()
                }),
            ]);
        }
    }
    let mut blocks: Vec<Block> = notice.into_iter().collect();
    blocks.extend([
        Block::Table(users),
        Block::Heading(format!(
            "{} – {}",
            t("action.add"),
            t("admin.users").to_lowercase()
        )),
        Block::Form(new_user),
    ]);
    blocks.extend(edits);
    blocks.extend([
        Block::Heading(t("admin.settings").into()),
        Block::Form(settings),
        Block::Table(sectors),
        Block::Form(sector_form),
        Block::Heading(t("admin.reporting_groups").into()),
        Block::Text(t("admin.reporting_groups.about").into()),
        Block::Table(groups),
        Block::Heading(t("admin.reporting_group.save").into()),
        Block::Form(group_form),
    ]);
    if let Some(remove) = remove_group {
        blocks.extend([
            Block::Heading(t("admin.reporting_group.remove").into()),
            Block::Form(remove),
        ]);
    }
    blocks.push(Block::Table(units));
    if let Some(refused) = refused {
        for b in &mut blocks {
            if matches!(b, Block::Form(f) if f.id == refused.id) {
                *b = Block::Form(refused);
                break;
            }
        }
    }
    let status = if blocks.iter().any(|b| matches!(b, Block::Form(f) if f.fields.iter().any(|x| x.error.is_some()) || f.error.is_some())) {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Page {
            layout: Layout::for_viewer(viewer, t("admin"), "admin"),
            blocks,
        }
        .render_html()?,
    )
        .into_response())
}

fn new_user_form(viewer: &Viewer, areas: &[(String, String)], v: &UserForm) -> Form {
    let t = |k| viewer.t(k);
    Form::post("new-user", "/admin/users", t("action.add"))
        .field(
            Field::new("username", t("field.username"), FieldKind::Text)
                .value(&v.username)
                .required(),
        )
        .field(
            Field::new("display_name", t("field.display_name"), FieldKind::Text)
                .value(&v.display_name)
                .required(),
        )
        .field(Field::new("password", t("field.password"), FieldKind::Password).required())
        .field(
            Field::new("role", t("field.role"), FieldKind::Select)
                .value(if v.role.is_empty() { "staff" } else { &v.role })
                .options(role_options(viewer)),
        )
        .field(
            Field::new("area", t("field.area"), FieldKind::Select)
                .value(&v.area)
                .options(areas.to_vec())
                .hint(t("admin.area_hint")),
        )
}

/// GET /admin
pub async fn overview(State(state): State<AppState>, viewer: Viewer) -> Result<Response, WebError> {
    viewer.require(Action::Administer)?;
    page(&state, &viewer, None, None).await
}

/// POST /admin/users
pub async fn add_user(
    State(state): State<AppState>,
    viewer: Viewer,
    PostForm(v): PostForm<UserForm>,
) -> Result<Response, WebError> {
    viewer.require(Action::Administer)?;
    let role = Role::parse(&v.role).unwrap_or(Role::Leader);
    let new = NewUser {
        username: v.username.clone(),
        display_name: v.display_name.clone(),
        password: v.password.clone(),
        role,
        area: v.area.clone(),
        lang: "vi".into(),
    };
    match state.store.create_user(&new, &viewer.author()).await {
        Ok(_) => super::see_other("/admin"),
        Err(e @ (Error::Invalid(_) | Error::Conflict(_))) => {
            let problems = match e {
                Error::Invalid(problems) => problems,
                // A taken username is a mistake in the form.
                other => vec![Problem::new("username", other.to_string())],
            };
            let deployment = state.deployment().await?;
            let areas = forms::area_options(&deployment.area, None, Some("—"));
            let form = new_user_form(&viewer, &areas, &v).with_problems(&problems);
            page(&state, &viewer, None, Some(form)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The edit-user form as posted.
#[derive(Debug, Deserialize)]
pub struct EditUserForm {
    pub version: i64,
    pub display_name: String,
    pub role: String,
    #[serde(default)]
    pub area: String,
    pub disabled: Option<String>,
}

/// POST /admin/users/{id}: users are disabled, never deleted.
pub async fn update_user(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    PostForm(v): PostForm<EditUserForm>,
) -> Result<Response, WebError> {
    viewer.require(Action::Administer)?;
    let mut user = state
        .store
        .user_by_id(id)
        .await?
        .ok_or_else(|| WebError::NotFound(format!("người dùng số {id}")))?;
    user.display_name = v.display_name;
    user.role = Role::parse(&v.role)
        .ok_or_else(|| WebError::invalid(format!("vai trò \"{}\" không có", v.role)))?;
    user.area = v.area;
    user.disabled = v.disabled.is_some();
    if user.id == viewer.user.id && (user.disabled || user.role != Role::Admin) {
        return Err(WebError::invalid(
            "không thể tự khóa hoặc bỏ quyền quản trị của chính mình",
        ));
    }
    match state
        .store
        .update_user(&user, v.version, &viewer.author())
        .await
    {
        Ok(()) => super::see_other("/admin"),
        Err(Error::Conflict(msg)) => {
            page(
                &state,
                &viewer,
                Some(Block::Notice(
                    "error",
                    format!("{}: {msg}", viewer.t("conflict.title")),
                )),
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The settings form as posted.
#[derive(Debug, Deserialize)]
pub struct SettingsForm {
    pub parent_body: String,
    pub issuing_body: String,
    pub issuer_code: String,
    pub place: String,
    pub signer_capacity: String,
    pub signer_position: String,
    pub signer_name: String,
    pub recipients: String,
    /// `words` or `billions`; absent keeps the setting.
    #[serde(default)]
    pub money_in_prose: String,
    /// A checked box: the prose names every field.
    #[serde(default)]
    pub fields_in_prose: Option<String>,
}

/// POST /admin/settings
pub async fn save_settings(
    State(state): State<AppState>,
    viewer: Viewer,
    PostForm(v): PostForm<SettingsForm>,
) -> Result<Response, WebError> {
    viewer.require(Action::Administer)?;
    // Read afresh: the remembered copy may be a few seconds old.
    let mut d = state.store.deployment().await?;
    d.parent_body = text::clean(&v.parent_body);
    d.issuing_body = text::clean(&v.issuing_body);
    d.issuer_code = text::clean(&v.issuer_code);
    d.place = text::clean(&v.place);
    d.signer_capacity = text::clean(&v.signer_capacity);
    d.signer_position = text::clean(&v.signer_position);
    d.signer_name = text::clean(&v.signer_name);
    d.recipients = v
        .recipients
        .lines()
        .map(text::clean)
        .filter(|l| !l.is_empty())
        .collect();
    d.fields_in_prose = v.fields_in_prose.is_some();
    if let Some(style) = text::MoneyInProse::parse(&v.money_in_prose) {
        d.money_in_prose = style;
    }
    state.store.set_deployment(&d, &viewer.author()).await?;
    state.settings_changed();
    page(
        &state,
        &viewer,
        Some(Block::Notice("ok", viewer.t("saved").into())),
        None,
    )
    .await
}

fn sector_form(viewer: &Viewer, v: &SectorInput) -> Form {
    let t = |k| viewer.t(k);
    Form::post("sector", "/admin/sectors", t("action.add"))
        .field(
            Field::new("code", t("admin.sector.code"), FieldKind::Text)
                .value(&v.code)
                .required(),
        )
        .field(
            Field::new("name_vi", t("admin.sector.name_vi"), FieldKind::Text)
                .value(&v.name_vi)
                .required(),
        )
        .field(
            Field::new("name_en", t("admin.sector.name_en_field"), FieldKind::Text)
                .value(&v.name_en),
        )
        .field(
            Field::new("group", t("admin.sector.group"), FieldKind::Select)
                .value(&v.group)
                .options(
                    SectorGroup::ALL
                        .iter()
                        .map(|g| (g.code().to_string(), g.label().to_string()))
                        .collect(),
                ),
        )
        .field(Field::new("vsic", t("admin.sector.vsic"), FieldKind::Text).value(&v.vsic))
}

/// The reporting groups' table, the form that defines one, and the form that removes one
/// (when there is any).
fn reporting_groups(viewer: &Viewer, taxonomy: &Taxonomy) -> (Table, Form, Option<Form>) {
    let t = |k| viewer.t(k);
    let mut table = Table::new(
        t("admin.reporting_groups"),
        &[
            t("admin.sector.code"),
            t("admin.sector.name_vi"),
            t("admin.sector.name_en"),
            t("admin.reporting_group.fields"),
        ],
    );
    table.id = "reporting-groups".into();
    for g in taxonomy.reporting_groups() {
        let fields: Vec<&str> = g
            .fields
            .iter()
            .map(|f| {
                taxonomy.get(f).map_or(f.as_str(), |s| match viewer.lang {
                    crate::web::i18n::Lang::Vi => s.name_vi.as_str(),
                    crate::web::i18n::Lang::En => s.name_en.as_str(),
                })
            })
            .collect();
        table.rows.push(vec![
            Cell::text(&g.code),
            Cell::text(&g.name_vi),
            Cell::text(&g.name_en),
            Cell::text(fields.join("; ")),
        ]);
    }
    let remove = (!taxonomy.reporting_groups().is_empty()).then(|| {
        Form::post(
            "remove-reporting-group",
            "/admin/reporting-groups/remove",
            t("admin.reporting_group.remove"),
        )
        .field(
            Field::new("code", t("admin.reporting_group.which"), FieldKind::Select).options(
                taxonomy
                    .reporting_groups()
                    .iter()
                    .map(|g| (g.code.clone(), g.name_vi.clone()))
                    .collect(),
            ),
        )
    });
    (
        table,
        reporting_group_form(viewer, &ReportingGroupInput::default()),
        remove,
    )
}

fn reporting_group_form(viewer: &Viewer, v: &ReportingGroupInput) -> Form {
    let t = |k| viewer.t(k);
    Form::post(
        "reporting-group",
        "/admin/reporting-groups",
        t("action.save"),
    )
    .field(
        Field::new("code", t("admin.sector.code"), FieldKind::Text)
            .value(&v.code)
            .required()
            .hint(t("admin.reporting_group.code_hint")),
    )
    .field(
        Field::new("name_vi", t("admin.reporting_group.name"), FieldKind::Text)
            .value(&v.name_vi)
            .required(),
    )
    .field(
        Field::new("name_en", t("admin.sector.name_en_field"), FieldKind::Text).value(&v.name_en),
    )
    .field(
        Field::new("fields", t("admin.reporting_group.fields"), FieldKind::Text)
            .value(&v.fields)
            .required()
            .hint(t("admin.reporting_group.fields_hint")),
    )
}

/// A taxonomy form refused: shown again with its problems (a conflict is the form's own).
async fn refused_form(
    state: &AppState,
    viewer: &Viewer,
    e: Error,
    form: Form,
) -> Result<Response, WebError> {
    let form = match e {
        Error::Invalid(problems) => form.with_problems(&problems),
        Error::Conflict(message) => Form {
            error: Some(message),
            ..form
        },
        other => return Err(other.into()),
    };
    page(state, viewer, None, Some(form)).await
}

/// POST /admin/sectors
pub async fn add_sector(
    State(state): State<AppState>,
    viewer: Viewer,
    PostForm(v): PostForm<SectorInput>,
) -> Result<Response, WebError> {
    viewer.require(Action::Administer)?;
    match sectors::record_sector(&state.store, &v, &viewer.author()).await {
        Ok(_) => {
            state.settings_changed();
            super::see_other("/admin")
        }
        Err(e) => refused_form(&state, &viewer, e, sector_form(&viewer, &v)).await,
    }
}

/// POST /admin/reporting-groups: defines a reporting group or replaces the one of its code.
pub async fn save_reporting_group(
    State(state): State<AppState>,
    viewer: Viewer,
    PostForm(v): PostForm<ReportingGroupInput>,
) -> Result<Response, WebError> {
    viewer.require(Action::Administer)?;
    match sectors::record_reporting_group(&state.store, &v, &viewer.author()).await {
        Ok(_) => {
            state.settings_changed();
            super::see_other("/admin#reporting-groups")
        }
        Err(e) => refused_form(&state, &viewer, e, reporting_group_form(&viewer, &v)).await,
    }
}

/// The remove-group form as posted.
#[derive(Debug, Deserialize)]
pub struct RemoveGroupForm {
    pub code: String,
}

/// POST /admin/reporting-groups/remove
pub async fn remove_reporting_group(
    State(state): State<AppState>,
    viewer: Viewer,
    PostForm(v): PostForm<RemoveGroupForm>,
) -> Result<Response, WebError> {
    viewer.require(Action::Administer)?;
    state
        .store
        .remove_reporting_group(v.code.trim(), &viewer.author())
        .await?;
    state.settings_changed();
    super::see_other("/admin#reporting-groups")
}
