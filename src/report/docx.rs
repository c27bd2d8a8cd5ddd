//! The report as an official document (Decree 30/2020 layout) in DOCX.

use crate::domain::report::Figures;
use crate::domain::text;
use crate::error::{Error, Result};
use crate::report::decree30::{DocumentFrame, render_docx};
use crate::store::settings::Deployment;
use time::Date;

/// Renders the Markdown body of a report inside the deployment's document frame.
pub fn render(
    figures: &Figures,
    body_markdown: &str,
    deployment: &Deployment,
    issued_on: Date,
    number: Option<&str>,
) -> Result<Vec<u8>> {
    let frame = frame(figures, deployment, issued_on, number);
    render_docx(&frame, body_markdown).map_err(|e| Error::Render(e.to_string()))
}

/// The header, title and signature block around a report.
pub fn frame(
    figures: &Figures,
    deployment: &Deployment,
    issued_on: Date,
    number: Option<&str>,
) -> DocumentFrame {
    let place = if deployment.place.is_empty() {
        figures
            .area
            .name
            .trim_start_matches("Tỉnh ")
            .trim_start_matches("Thành phố ")
            .to_string()
    } else {
        deployment.place.clone()
    };
    DocumentFrame {
        parent_body: deployment.parent_body.to_uppercase(),
        issuing_body: deployment.issuing_body.to_uppercase(),
        number: match number {
            // An issued number is written in full ("125/BC-LMHTX"); a draft leaves room for it.
            Some(n) if n.contains('/') => format!("Số: {n}"),
            Some(n) => format!("Số: {n}/BC-{}", deployment.issuer_code),
            None => format!("Số:        /BC-{}", deployment.issuer_code),
        },
        place_date: format!("{place}, {}", text::document_date(issued_on)),
        title: "BÁO CÁO".into(),
        subject: format!(
            "Tình hình kinh tế tập thể, hợp tác xã {}",
            figures.period.label
        ),
        signer_capacity: deployment.signer_capacity.to_uppercase(),
        signer_position: deployment.signer_position.to_uppercase(),
        signer_name: deployment.signer_name.clone(),
        recipients: deployment.recipients.clone(),
        created: format!("{issued_on}T00:00:00Z"),
    }
}
