//! Markdown: the only module that knows about pulldown-cmark.
//!
//! An article is parsed once into a [`Doc`]: its events, and the *plain text* a reader sees
//! (the text of every paragraph, heading and list item, without markup), split into blocks.
//! Quotes are found in the plain text ([`crate::anchor`]); the article page is rendered from
//! the same events with the quoted ranges wrapped in `<mark>`, split wherever Markdown markup
//! (emphasis, links) interrupts them, so the highlight shows the original characters.
//!
//! Everything rendered here is sanitised: raw HTML in Markdown is shown as text, links with
//! script-capable schemes are neutralised, and images become links (a dossier page loads
//! nothing from other hosts).

use std::collections::BTreeMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

/// A parsed Markdown document with its plain text. It owns its text, so it can be kept
/// between builds.
pub struct Doc {
    events: Vec<Event<'static>>,
    /// For each event: where its text starts in `plain` (text-like events only).
    text_at: Vec<Option<usize>>,
    /// For each event: where it starts in the Markdown source.
    source_at: Vec<usize>,
    /// The text a reader sees; blocks separated by `\n`.
    pub plain: String,
    /// The ranges of `plain` that are blocks (paragraphs, headings, list items, cells).
    pub blocks: Vec<Range<usize>>,
}

/// A range of plain text to highlight, with HTML to insert where it starts and ends.
#[derive(Clone, Debug)]
pub struct Highlight {
    pub range: Range<usize>,
    /// Inserted just before the first highlighted character (an anchor, say).
    pub before: String,
    /// Inserted just after the last highlighted character (links back to claims, say).
    pub after: String,
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

fn is_block(tag_end: &TagEnd) -> bool {
    !matches!(
        tag_end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
}

fn is_block_start(tag: &Tag) -> bool {
    !matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Link { .. }
            | Tag::Image { .. }
            | Tag::Superscript
            | Tag::Subscript
    )
}

/// Whether a link target is safe to put in an `href`.
fn safe_url(url: &str) -> bool {
    let lower: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    match lower.find(':') {
        None => true,
        Some(i) => {
            let scheme = &lower[..i];
            // A colon after a path or query character is not a scheme.
            scheme.contains(['/', '?', '#']) || matches!(scheme, "http" | "https" | "mailto")
        }
    }
}

/// Turns one event into its sanitised form.
fn sanitise(ev: Event<'_>) -> Event<'_> {
    match ev {
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        // Images become links to the image: a page loads nothing from other hosts.
        Event::Start(
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }
            | Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            },
        ) => Event::Start(Tag::Link {
            link_type,
            dest_url: if safe_url(&dest_url) {
                dest_url
            } else {
                CowStr::Borrowed("#")
            },
            title,
            id,
        }),
        Event::End(TagEnd::Image) => Event::End(TagEnd::Link),
        other => other,
    }
}

impl Doc {
    /// Parses `md` (sanitising as it goes) and builds its plain text.
    pub fn parse(md: &str) -> Doc {
        let mut events = Vec::new();
        let mut text_at = Vec::new();
        let mut source_at = Vec::new();
        let mut plain = String::with_capacity(md.len());
        let mut blocks = Vec::new();
        let mut block_start: Option<usize> = None;
        let close = |plain: &mut String,
                     block_start: &mut Option<usize>,
                     blocks: &mut Vec<Range<usize>>| {
            if let Some(s) = block_start.take() {
                blocks.push(s..plain.len());
                plain.push('\n');
            }
        };
        for (ev, range) in Parser::new_ext(md, options()).into_offset_iter() {
            let ev = sanitise(ev).into_static();
            let mut at = None;
            match &ev {
                Event::Text(t) | Event::Code(t) => {
                    if block_start.is_none() {
                        block_start = Some(plain.len());
                    }
                    at = Some(plain.len());
                    plain.push_str(t);
                }
                Event::SoftBreak | Event::HardBreak if block_start.is_some() => plain.push(' '),
                Event::Start(tag) if is_block_start(tag) => {
                    close(&mut plain, &mut block_start, &mut blocks)
                }
                Event::End(tag) if is_block(tag) => {
                    close(&mut plain, &mut block_start, &mut blocks)
                }
                _ => {}
            }
            events.push(ev);
            text_at.push(at);
            source_at.push(range.start);
        }
        close(&mut plain, &mut block_start, &mut blocks);
        Doc {
            events,
            text_at,
            source_at,
            plain,
            blocks,
        }
    }

    /// The byte offset in the Markdown source of a plain-text offset (exact unless escapes or
    /// entities stand before it in the same run of text).
    pub fn source_offset(&self, plain_offset: usize) -> usize {
        let mut best = 0;
        for (i, at) in self.text_at.iter().enumerate() {
            if let Some(s) = at {
                if *s > plain_offset {
                    break;
                }
                best = self.source_at[i] + (plain_offset - s);
            }
        }
        best
    }

    /// Renders the document as HTML, with `highlights` wrapped in `<mark>`.
    pub fn render(&self, highlights: &[Highlight]) -> String {
        // Coverage changes, and insertions, keyed by plain offset.
        let mut deltas: BTreeMap<usize, i32> = BTreeMap::new();
        let mut before: BTreeMap<usize, String> = BTreeMap::new();
        let mut after: BTreeMap<usize, String> = BTreeMap::new();
        for h in highlights {
            if h.range.is_empty() {
                continue;
            }
            *deltas.entry(h.range.start).or_default() += 1;
            *deltas.entry(h.range.end).or_default() -= 1;
            before.entry(h.range.start).or_default().push_str(&h.before);
            after.entry(h.range.end).or_default().push_str(&h.after);
        }
        let mut cuts: Vec<usize> = deltas.keys().copied().collect();
        cuts.dedup();

        let mut out_events: Vec<Event<'_>> =
            Vec::with_capacity(self.events.len() + highlights.len() * 4);
        let mut depth = 0i32;
        let mut applied = deltas.iter().peekable();
        for (ev, at) in self.events.iter().zip(&self.text_at) {
            let (Some(s), Event::Text(t) | Event::Code(t)) = (at, ev) else {
                out_events.push(ev.clone());
                continue;
            };
            let is_code = matches!(ev, Event::Code(_));
            let s = *s;
            let e = s + t.len();
            // Pieces of this text between cut points.
            let first = cuts.partition_point(|c| *c <= s);
            let mut points = vec![s];
            points.extend(cuts[first..].iter().copied().take_while(|c| *c < e));
            points.push(e);
            if is_code {
                out_events.push(Event::InlineHtml(CowStr::Borrowed("<code>")));
            }
            for w in points.windows(2) {
                let (a, b) = (w[0], w[1]);
                while let Some((off, d)) = applied.peek() {
                    if **off <= a {
                        depth += **d;
                        applied.next();
                    } else {
                        break;
                    }
                }
                if let Some(h) = before.get(&a) {
                    out_events.push(Event::InlineHtml(CowStr::Boxed(h.clone().into_boxed_str())));
                }
                let piece = &t[a - s..b - s];
                if depth > 0 {
                    let class = if depth > 1 {
                        "<mark class=\"quote overlap\">"
                    } else {
                        "<mark class=\"quote\">"
                    };
                    out_events.push(Event::InlineHtml(CowStr::Borrowed(class)));
                    out_events.push(Event::Text(CowStr::Borrowed(piece)));
                    out_events.push(Event::InlineHtml(CowStr::Borrowed("</mark>")));
                } else {
                    out_events.push(Event::Text(CowStr::Borrowed(piece)));
                }
                if let Some(h) = after.get(&b) {
                    out_events.push(Event::InlineHtml(CowStr::Boxed(h.clone().into_boxed_str())));
                }
            }
            if is_code {
                out_events.push(Event::InlineHtml(CowStr::Borrowed("</code>")));
            }
        }
        let mut html = String::with_capacity(self.plain.len() * 2);
        pulldown_cmark::html::push_html(&mut html, out_events.into_iter());
        html
    }
}

/// Renders a short Markdown text (a note, a description) as sanitised HTML.
pub fn to_html(md: &str) -> String {
    to_html_with(md, &|_| None)
}

/// A link of a note to a page of the site: `[text](claim:<id>)` or `[text](source:<id>)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// `claim` or `source`.
    pub scheme: String,
    pub id: String,
    /// Where the link stands in the Markdown (byte offsets).
    pub range: Range<usize>,
}

/// What a reference resolves to: the page's URL, and the text to show when the link has
/// none (`[](claim:x)`).
pub struct Resolved {
    pub url: String,
    pub text: String,
}

/// The schemes of [`Reference`]s.
pub const REFERENCE_SCHEMES: [&str; 2] = ["claim", "source"];

fn reference_of(dest: &str) -> Option<(&str, &str)> {
    let (scheme, id) = dest.split_once(':')?;
    REFERENCE_SCHEMES
        .contains(&scheme)
        .then_some((scheme, id.trim()))
}

/// The references of a Markdown text, and its code spans (`` `x` ``) with their ranges.
pub fn references(md: &str) -> (Vec<Reference>, Vec<(String, Range<usize>)>) {
    let mut refs = Vec::new();
    let mut code = Vec::new();
    for (ev, range) in Parser::new_ext(md, options()).into_offset_iter() {
        match ev {
            Event::Start(Tag::Link { dest_url, .. }) => {
                if let Some((scheme, id)) = reference_of(&dest_url) {
                    refs.push(Reference {
                        scheme: scheme.to_string(),
                        id: id.to_string(),
                        range,
                    });
                }
            }
            Event::Code(c) => code.push((c.to_string(), range)),
            _ => {}
        }
    }
    (refs, code)
}

/// Renders a short Markdown text as sanitised HTML, with its references to the site's pages
/// (`claim:<id>`, `source:<id>`) resolved by `resolve` (an unresolved one links nowhere).
pub fn to_html_with(md: &str, resolve: &dyn Fn(&Reference) -> Option<Resolved>) -> String {
    let mut events: Vec<Event<'_>> = Vec::new();
    // The text to put in a reference whose link has none, while inside it.
    let mut fill: Option<String> = None;
    for (ev, range) in Parser::new_ext(md, options()).into_offset_iter() {
        match ev {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if reference_of(&dest_url).is_some() => {
                let (scheme, rid) = reference_of(&dest_url).unwrap_or(("", ""));
                let r = Reference {
                    scheme: scheme.to_string(),
                    id: rid.to_string(),
                    range,
                };
                let (url, text) = match resolve(&r) {
                    Some(x) => (CowStr::from(x.url), Some(x.text)),
                    None => (CowStr::Borrowed("#"), None),
                };
                fill = text;
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: url,
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Link) => {
                if let (Some(t), Some(Event::Start(Tag::Link { .. }))) =
                    (fill.take(), events.last())
                {
                    events.push(Event::Text(CowStr::from(t)));
                }
                events.push(Event::End(TagEnd::Link));
            }
            other => {
                fill = None;
                events.push(sanitise(other));
            }
        }
    }
    let mut html = String::with_capacity(md.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

/// Escapes text for HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_and_blocks() {
        let d = Doc::parse("One *two* [three](http://x).\nFour.\n\n## Head\n\n- item\n");
        assert_eq!(d.plain, "One two three. Four.\nHead\nitem\n");
        assert_eq!(d.blocks.len(), 3);
        assert_eq!(&d.plain[d.blocks[1].clone()], "Head");
    }

    #[test]
    fn highlight_across_emphasis() {
        let d = Doc::parse("Say *hello* world now.\n");
        let start = d.plain.find("hello").expect("found");
        let end = d.plain.find(" now").expect("found");
        let html = d.render(&[Highlight {
            range: start..end,
            before: "<span id=\"a\"></span>".into(),
            after: "<sup>1</sup>".into(),
        }]);
        assert_eq!(
            html,
            "<p>Say <em><span id=\"a\"></span><mark class=\"quote\">hello</mark></em><mark class=\"quote\"> world</mark><sup>1</sup> now.</p>\n"
        );
    }

    #[test]
    fn overlapping_highlights() {
        let d = Doc::parse("abc def ghi\n");
        let html = d.render(&[
            Highlight {
                range: 0..7,
                before: String::new(),
                after: String::new(),
            },
            Highlight {
                range: 4..11,
                before: String::new(),
                after: String::new(),
            },
        ]);
        assert!(html.contains("<mark class=\"quote\">abc </mark><mark class=\"quote overlap\">def</mark><mark class=\"quote\"> ghi</mark>"), "{html}");
    }

    #[test]
    fn sanitises_html_and_links() {
        let html = to_html(
            "<script>alert(1)</script>\n\n[x](javascript:alert(1)) ![i](http://evil/x.png) <b onclick=x>b</b>",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<b "), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn safe_urls() {
        assert!(safe_url("https://x.org/a:b"));
        assert!(safe_url("/local/path"));
        assert!(safe_url("page#a:b"));
        assert!(!safe_url("JavaScript:alert(1)"));
        assert!(!safe_url("java\nscript:alert(1)"));
        assert!(!safe_url("data:text/html,x"));
    }
}
