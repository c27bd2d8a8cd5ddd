//! The report as a standalone HTML page (no external assets).

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};

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
///
/// The template escapes the text users typed; should Markdown slip through anyway (a custom
/// template printing a value `|safe`), raw HTML is shown as text, images as their
/// description, and links other than http(s) and mail as their text.
pub fn body(body_markdown: &str) -> String {
    let mut body = String::new();
    // Whether each open link is written (links do not nest, but a stack costs nothing).
    let mut links: Vec<bool> = Vec::new();
    let events = Parser::new_ext(body_markdown, Options::ENABLE_TABLES).filter_map(|e| match e {
        Event::Html(s) | Event::InlineHtml(s) => Some(Event::Text(s)),
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        Event::Start(Tag::Link { ref dest_url, .. }) => {
            let keep = is_safe_target(dest_url);
            links.push(keep);
            keep.then_some(e)
        }
        Event::End(TagEnd::Link) => links.pop().unwrap_or(false).then_some(e),
        other => Some(other),
    });
    html::push_html(&mut body, events);
    body
}

/// Whether a link may be followed from a report: web and mail addresses only, never
/// `javascript:`, `data:`, `vbscript:` or anything a browser would run or open locally.
fn is_safe_target(url: &str) -> bool {
    let url = url.trim_start().to_ascii_lowercase();
    ["https://", "http://", "mailto:"]
        .iter()
        .any(|scheme| url.starts_with(scheme))
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

#[cfg(test)]
mod tests {
    use super::body;

    #[test]
    fn raw_html_is_shown_as_text() {
        let html =
            body("a <script>alert(1)</script> <img src=x onerror=alert(1)>\n\n<div>b</div>\n");
        assert!(!html.contains("<script") && !html.contains("<img") && !html.contains("<div"));
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
    }

    #[test]
    fn links_that_would_run_code_are_their_text_and_images_their_description() {
        let html = body(
            "[một](javascript:alert(1)) [hai](JavaScript:alert(1)) [ba](data:text/html,x) \
             [bốn](vbscript:msgbox) [năm]( javascript:x) <javascript:alert(1)> ![sáu](http://e/p.png) \
             [bảy](https://example.org) [tám](mailto:a@example.org)",
        );
        for text in ["một", "hai", "ba", "bốn", "năm", "sáu"] {
            assert!(html.contains(text), "{text} in {html}");
        }
        assert!(!html.contains("<img"), "{html}");
        assert_eq!(html.matches("<a ").count(), 2, "{html}");
        assert!(
            html.contains("<a href=\"https://example.org\">bảy</a>"),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"mailto:a@example.org\">tám</a>"),
            "{html}"
        );
    }
}
