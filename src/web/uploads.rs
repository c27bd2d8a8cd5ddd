//! Uploaded workbooks on their way to the importer, for the import page and the API alike.

use crate::web::error::WebError;
use std::path::PathBuf;

/// Whether a file name is one the importer reads (.xlsx or .csv).
pub fn is_workbook(filename: &str) -> bool {
    let extension = std::path::Path::new(filename)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase)
        .unwrap_or_default();
    matches!(extension.as_str(), "xlsx" | "csv")
}

/// Writes an uploaded file to a folder of its own (named by `token`) under its own name,
/// because a CSV's sheet is named after its file; only letters, digits and - _ . are kept.
/// Remove the folder (the returned path's parent) when done.
pub async fn save_upload(token: &str, filename: &str, bytes: &[u8]) -> Result<PathBuf, WebError> {
    let dir = std::env::temp_dir().join(format!("htx-upload-{token}"));
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let safe: String = filename
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let path = dir.join(safe.trim_start_matches('.'));
    tokio::fs::write(&path, bytes)
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(path)
}
