//! Importing a workbook in the browser: upload → every row checked, errors listed by sheet,
//! row and column → confirm → written in one transaction (or not at all).

use crate::domain::access::Action;
use crate::domain::{text, today};
use crate::import::{self, ImportReport};
use crate::web::AppState;
use crate::web::error::{WebError, percent};
use crate::web::session::Viewer;
use crate::web::uploads::{is_workbook, save_upload};
use crate::web::view::{Block, Cell, Field, FieldKind, Form, Layout, Page, Table};
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// An uploaded file that passed the checks and waits for its uploader to confirm.
#[derive(Debug)]
pub struct PendingImport {
    path: PathBuf,
    filename: String,
    user_id: i64,
    uploaded: Instant,
}

impl Drop for PendingImport {
    fn drop(&mut self) {
        if let Some(dir) = self.path.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// How many imports run at once: reading and checking a large file keeps a core busy, and
/// the server must keep answering everyone else.
pub const RUNNING_IMPORTS: usize = 1;
/// How many more uploads may wait for their turn; beyond that an upload is refused with 503.
pub const WAITING_IMPORTS: usize = 2;

/// The imports in hand: at most [`RUNNING_IMPORTS`] run, each on a blocking thread of its own
/// (never on the threads that answer requests), and at most [`WAITING_IMPORTS`] wait.
pub struct ImportQueue {
    admitted: Arc<Semaphore>,
    running: Arc<Semaphore>,
}

impl Default for ImportQueue {
    fn default() -> Self {
        ImportQueue {
            admitted: Arc::new(Semaphore::new(RUNNING_IMPORTS + WAITING_IMPORTS)),
            running: Arc::new(Semaphore::new(RUNNING_IMPORTS)),
        }
    }
}

/// A place in the queue, given back when dropped.
pub struct Admission(#[allow(dead_code)] OwnedSemaphorePermit);

impl ImportQueue {
    /// Takes a place in the queue, or says the queue is full.
    pub fn admit(&self) -> Result<Admission, WebError> {
        self.admitted
            .clone()
            .try_acquire_owned()
            .map(Admission)
            .map_err(|_| {
                WebError::Busy(
                    "Máy chủ đang có nhiều tệp đang nhập, hãy thử lại sau ít phút. / Too many imports in progress; try again later.".into(),
                )
            })
    }

    /// Imports a file (see [`import::import_file`]) when its turn comes, off the request threads;
    /// the pages then see the reporting groups it defined.
    pub async fn import(
        &self,
        state: &crate::web::AppState,
        path: &std::path::Path,
        author: &str,
        dry_run: bool,
    ) -> Result<crate::Result<ImportReport>, WebError> {
        let admission = self.admit()?;
        let _turn = self
            .running
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| WebError::Internal(e.to_string()))?;
        let (store, path, author) = (state.store.clone(), path.to_path_buf(), author.to_string());
        let runtime = tokio::runtime::Handle::current();
        let outcome = tokio::task::spawn_blocking(move || {
            runtime.block_on(import::import_file(
                &store,
                &path,
                &author,
                today(),
                dry_run,
            ))
        })
        .await
        .map_err(|e| WebError::Internal(format!("import: {e}")))?;
        drop(admission);
        if let Ok(report) = &outcome
            && report
                .written
                .as_ref()
                .is_some_and(|w| w.reporting_groups > 0)
        {
            state.settings_changed();
        }
        Ok(outcome)
    }
}

/// How long a checked upload may wait for confirmation.
const PENDING_FOR: Duration = Duration::from_secs(3600);
/// How many checked uploads one user may leave waiting: a new one beyond that replaces the
/// oldest, so that uploads left unconfirmed cannot fill the server's disk.
pub const PENDING_PER_USER: usize = 3;

/// Keeps a checked upload for its confirmation, dropping expired ones and the user's oldest
/// beyond [`PENDING_PER_USER`] (their files go with them).
fn keep_pending(
    uploads: &mut std::collections::HashMap<String, PendingImport>,
    token: String,
    pending: PendingImport,
) {
    uploads.retain(|_, p| p.uploaded.elapsed() < PENDING_FOR);
    let user = pending.user_id;
    let mut mine: Vec<(Instant, String)> = uploads
        .iter()
        .filter(|(_, p)| p.user_id == user)
        .map(|(t, p)| (p.uploaded, t.clone()))
        .collect();
    mine.sort();
    let excess = (mine.len() + 1).saturating_sub(PENDING_PER_USER);
    for (_, old) in mine.into_iter().take(excess) {
        uploads.remove(&old);
    }
    uploads.insert(token, pending);
}

fn upload_form(viewer: &Viewer) -> Form {
    let mut f = Form::post(
        "upload",
        format!("/imports?_csrf={}", percent(&viewer.csrf)),
        viewer.t("action.upload"),
    )
    .field(Field::new("file", viewer.t("import.file"), FieldKind::File).required());
    f.multipart = true;
    f
}

fn page(viewer: &Viewer, blocks: Vec<Block>) -> Page {
    Page {
        layout: Layout::for_viewer(viewer, viewer.t("import"), "import"),
        blocks,
    }
}

/// GET /imports
pub async fn form(viewer: Viewer) -> Result<Html<String>, WebError> {
    viewer.require(Action::Import)?;
    page(
        &viewer,
        vec![
            Block::Text(viewer.t("import.help").into()),
            Block::Links(vec![(
                viewer.t("import.template").into(),
                "/imports/template.xlsx".into(),
            )]),
            Block::Form(upload_form(&viewer)),
        ],
    )
    .render_html()
}

/// GET /imports/template.xlsx
pub async fn template(State(state): State<AppState>, viewer: Viewer) -> Result<Response, WebError> {
    viewer.require(Action::Import)?;
    let taxonomy = state.taxonomy().await?;
    let deployment = state.deployment().await?;
    let bytes =
        import::template::workbook_for(&taxonomy, &deployment.area, &deployment.grade_thresholds)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"mau-nhap-lieu.xlsx\"",
            ),
        ],
        bytes,
    )
        .into_response())
}

/// What a checked or written import holds, line by line.
fn counts(viewer: &Viewer, report: &ImportReport) -> Vec<(String, String)> {
    let lines = match &report.written {
        Some(w) => w.counts(),
        None => report.planned_counts(),
    };
    let mut out: Vec<(String, String)> = lines
        .into_iter()
        .map(|(label, n)| (text::capitalise(label), text::number(n as i64)))
        .collect();
    out.push((
        viewer.t("import.unchanged").into(),
        text::number(report.unchanged() as i64),
    ));
    out
}

fn error_table(viewer: &Viewer, report: &ImportReport) -> Table {
    let mut table = row_table(viewer, viewer.t("import.errors"), &report.errors());
    table.id = "import-errors".into();
    table
}

/// What the file's rows call for attention without being refused, if anything.
fn notice_blocks(viewer: &Viewer, report: &ImportReport) -> Vec<Block> {
    if report.notices.is_empty() {
        return Vec::new();
    }
    let notices: Vec<_> = report.notices.iter().collect();
    let mut table = row_table(viewer, viewer.t("import.notices"), &notices);
    table.id = "import-notices".into();
    vec![Block::Table(table)]
}

/// Rows by sheet, row and column, with what is said of each.
fn row_table(viewer: &Viewer, caption: &str, rows: &[&crate::import::row::RowError]) -> Table {
    let mut table = Table::new(
        caption,
        &[
            viewer.t("import.sheet"),
            viewer.t("import.row"),
            viewer.t("import.column"),
            viewer.t("import.reason"),
        ],
    );
    for e in rows {
        table.rows.push(vec![
            Cell::text(&e.sheet),
            Cell::num(e.row.to_string()),
            Cell::text(&e.column),
            Cell::text(&e.reason),
        ]);
    }
    table
}

/// POST /imports: stores the upload, checks every row, and shows the errors or the counts
/// with a confirm button.
pub async fn upload(
    State(state): State<AppState>,
    viewer: Viewer,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    viewer.require(Action::Import)?;
    let mut file = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| WebError::invalid(format!("tệp tải lên không đọc được: {e}")))?
    {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("upload.xlsx").to_string();
            let bytes = field
                .bytes()
                .await
                .map_err(|e| WebError::invalid(format!("tệp tải lên không đọc được: {e}")))?;
            file = Some((name, bytes));
        }
    }
    let Some((filename, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        let form = upload_form(&viewer).with_error("file", viewer.t("import.choose_file").into());
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            page(&viewer, vec![Block::Form(form)]).render_html()?,
        )
            .into_response());
    };
    if !is_workbook(&filename) {
        let form = upload_form(&viewer).with_error(
            "file",
            format!("\"{filename}\": {}", viewer.t("import.only_xlsx_csv")),
        );
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            page(&viewer, vec![Block::Form(form)]).render_html()?,
        )
            .into_response());
    }
    let token = crate::store::accounts::random_secret();
    let path = save_upload(&token, &filename, &bytes).await?;
    let pending = PendingImport {
        path: path.clone(),
        filename: filename.clone(),
        user_id: viewer.user.id,
        uploaded: Instant::now(),
    };
    let report = state
        .imports
        .import(&state, &path, &viewer.author(), true)
        .await?;
    let report = match report {
        Ok(r) => r,
        Err(e) => {
            let form = upload_form(&viewer).with_error("file", e.to_string());
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page(&viewer, vec![Block::Form(form)]).render_html()?,
            )
                .into_response());
        }
    };
    let mut blocks = vec![Block::Facts(vec![(
        viewer.t("import.file_name").into(),
        filename,
    )])];
    if !report.errors().is_empty() {
        blocks.push(Block::Notice(
            "error",
            format!(
                "{} {}. {}",
                report.errors().len(),
                viewer.t("import.error_count"),
                viewer.t("import.errors")
            ),
        ));
        blocks.push(Block::Table(error_table(&viewer, &report)));
        blocks.extend(notice_blocks(&viewer, &report));
        blocks.push(Block::Form(upload_form(&viewer)));
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            page(&viewer, blocks).render_html()?,
        )
            .into_response());
    }
    {
        let mut uploads = crate::sync::lock(&state.uploads);
        keep_pending(&mut uploads, token.clone(), pending);
    }
    blocks.push(Block::Notice("ok", viewer.t("import.ok").into()));
    blocks.push(Block::Facts(counts(&viewer, &report)));
    blocks.extend(notice_blocks(&viewer, &report));
    blocks.push(Block::Form(Form::post(
        "confirm",
        format!("/imports/{token}"),
        viewer.t("action.confirm"),
    )));
    Ok(page(&viewer, blocks).render_html()?.into_response())
}

/// POST /imports/{token}: writes the checked file (checked again, inside the transaction).
pub async fn confirm(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    viewer.require(Action::Import)?;
    let pending = {
        let mut uploads = crate::sync::lock(&state.uploads);
        match uploads.get(&token) {
            Some(p) if p.user_id == viewer.user.id => uploads.remove(&token),
            _ => None,
        }
    }
    .ok_or_else(|| WebError::NotFound("tệp chờ xác nhận (đã quá hạn hoặc đã ghi)".into()))?;
    let action = format!("web {}", pending.filename);
    let report = state
        .imports
        .import(
            &state,
            &pending.path,
            &format!("{} ({action})", viewer.author()),
            false,
        )
        .await??;
    let mut blocks = vec![Block::Facts(vec![(
        viewer.t("import.file_name").into(),
        pending.filename.clone(),
    )])];
    if !report.errors().is_empty() {
        blocks.push(Block::Notice("error", viewer.t("import.errors").into()));
        blocks.push(Block::Table(error_table(&viewer, &report)));
        blocks.extend(notice_blocks(&viewer, &report));
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            page(&viewer, blocks).render_html()?,
        )
            .into_response());
    }
    blocks.push(Block::Notice("ok", viewer.t("import.written").into()));
    blocks.push(Block::Facts(counts(&viewer, &report)));
    blocks.extend(notice_blocks(&viewer, &report));
    blocks.push(Block::Links(vec![(
        viewer.t("registry").into(),
        "/orgs".into(),
    )]));
    Ok(page(&viewer, blocks).render_html()?.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending(dir: &std::path::Path, user_id: i64, n: usize) -> PendingImport {
        let folder = dir.join(format!("u{user_id}-{n}"));
        std::fs::create_dir_all(&folder).unwrap();
        let path = folder.join("so.csv");
        std::fs::write(&path, "x").unwrap();
        PendingImport {
            path,
            filename: "so.csv".into(),
            user_id,
            uploaded: Instant::now(),
        }
    }

    #[test]
    fn a_user_leaves_at_most_a_few_uploads_waiting_and_their_files_go_with_them() {
        let dir = tempfile::tempdir().unwrap();
        let mut uploads = std::collections::HashMap::new();
        keep_pending(&mut uploads, "other".into(), pending(dir.path(), 2, 0));
        for n in 0..PENDING_PER_USER + 2 {
            keep_pending(&mut uploads, format!("t{n}"), pending(dir.path(), 1, n));
        }
        let mine = uploads.values().filter(|p| p.user_id == 1).count();
        assert_eq!(mine, PENDING_PER_USER);
        assert!(uploads.contains_key("other"), "another user's upload stays");
        assert!(!uploads.contains_key("t0") && !uploads.contains_key("t1"));
        assert!(uploads.contains_key(&format!("t{}", PENDING_PER_USER + 1)));
        assert!(
            !dir.path().join("u1-0").exists(),
            "the oldest file is removed"
        );
        assert!(dir.path().join("u1-4").exists());
    }
}
