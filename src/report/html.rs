//! The report as a standalone HTML page (no external assets).

use pulldown_cmark::{Event, Options, Parser, html};

/// Converts the report's Markdown into a complete, printable HTML document.
pub fn render(title: &str, body_markdown: &str) -> String {
    let body = body(body_markdown);
    format!(
        "<!doctype html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1 class=\"title\">{}</h1>\n{body}</main>\n</body>\n</html>\n",
        escape(title),
        escape(title)
    )
}

/// The report's Markdown as an HTML fragment (for pages that frame it themselves).
pub fn body(body_markdown: &str) -> String {
    let mut body = String::new();
    // The narrative carries names typed by users; any HTML in them is shown as text.
    let events = Parser::new_ext(body_markdown, Options::ENABLE_TABLES).map(|e| match e {
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        other => other,
    });
    html::push_html(&mut body, events);
    body
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const STYLE: &str = "body{font-family:'Times New Roman','Liberation Serif',serif;font-size:14pt;\
line-height:1.4;color:#111;background:#fff;margin:0}main{max-width:60rem;margin:0 auto;padding:1.5rem}\
h1.title{text-align:center;font-size:15pt;text-transform:uppercase}h1{font-size:14pt}h2{font-size:14pt}\
p{text-align:justify;text-indent:1.27cm;margin:0 0 .5em}table{border-collapse:collapse;margin:1em 0;\
font-size:12pt;width:100%}th,td{border:1px solid #444;padding:.25em .5em}th{background:#eee}\
td:not(:first-child){text-align:right}@media print{main{padding:0}}";
