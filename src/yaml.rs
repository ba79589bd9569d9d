//! YAML reading with positions: the only module that knows about serde_yaml.
//!
//! serde_yaml parses the text and reports syntax errors with their line and column, but its
//! values carry no positions. Curators need every problem pointed at a line, so this module
//! pairs the parsed value with an *outline* of the text: a small scan of block-style YAML that
//! records where each mapping key and each sequence item starts. The two are walked together
//! to give every [`Node`] the position of the key or item that introduced it. Flow-style YAML
//! (`{a: 1}` on one line) still parses; its inner nodes get the position of the enclosing line.
//!
//! The rest of dossier sees only [`Node`], so the YAML library can be swapped here alone.

use crate::diag::Pos;

/// A parsed YAML value with the position of the text that introduced it.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Yaml,
    /// Where the key (for mapping values) or the `-` (for sequence items) stands.
    pub pos: Pos,
    /// Where the value itself starts, when it is on the same line as its key.
    pub value_pos: Pos,
}

/// The kinds of YAML value dossier reads.
#[derive(Clone, Debug, PartialEq)]
pub enum Yaml {
    Null,
    Bool(bool),
    /// A number, kept as written (after YAML's normalisation, e.g. `12_000` is `12000`).
    Number(String),
    String(String),
    Seq(Vec<Node>),
    /// Keys in file order.
    Map(Vec<(String, Node)>),
}

impl Yaml {
    /// What the value is, for error messages ("expected a string, found a list").
    pub fn describe(&self) -> &'static str {
        match self {
            Yaml::Null => "nothing",
            Yaml::Bool(_) => "true/false",
            Yaml::Number(_) => "a number",
            Yaml::String(_) => "a string",
            Yaml::Seq(_) => "a list",
            Yaml::Map(_) => "a mapping",
        }
    }
}

impl Node {
    /// The value as text when it is a scalar (strings, numbers and booleans as written).
    pub fn as_scalar(&self) -> Option<String> {
        match &self.value {
            Yaml::String(s) | Yaml::Number(s) => Some(s.clone()),
            Yaml::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
}

/// A syntax error: where it is, what is wrong and, where the cause is recognised (a quote
/// that closes early, a tab, a key without its colon), what to write instead.
#[derive(Clone, Debug)]
pub struct SyntaxError {
    pub pos: Pos,
    pub message: String,
    /// What to do, when the cause is known.
    pub help: Option<String>,
}

/// How deeply collections may nest (block and flow together). A dossier's deepest is five
/// (claims, a claim, its quotes, a quote, its value); the YAML parser slows down on deep
/// nesting far sooner than it refuses it (80 KB of `[` took 11 seconds), so deeper text is
/// refused before it is parsed.
pub const MAX_DEPTH: usize = 64;

/// Parses a YAML document. `line_offset` is added to every line (for front matter that starts
/// after a `---` line). An empty document parses as [`Yaml::Null`]. Text nested deeper than
/// [`MAX_DEPTH`], or holding a character YAML does not allow, is refused before the parser
/// sees it, with the line and column of the first place at fault.
pub fn parse(text: &str, line_offset: usize) -> Result<Node, SyntaxError> {
    prescan(text).map_err(|mut e| {
        e.pos.line += line_offset;
        e
    })?;
    let value: serde_yaml::Value = match serde_yaml::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let pos = e
                .location()
                .map(|l| error_pos(text, l.index()))
                .unwrap_or(Pos::new(1, 1));
            let message = e.to_string();
            // serde_yaml appends " at line N column M"; the position is shown separately.
            let message = match message.find(" at line ") {
                Some(i) => message[..i].to_string(),
                None => message,
            };
            return Err(
                explain(text, pos, &message, line_offset).unwrap_or(SyntaxError {
                    pos: Pos::new(pos.line + line_offset, pos.col),
                    message,
                    help: None,
                }),
            );
        }
    };
    let outline = Outline::scan(text);
    let root_pos = Pos::new(1 + line_offset, 1);
    Ok(convert(
        value,
        &outline,
        Some(0),
        root_pos,
        root_pos,
        line_offset,
    ))
}

/// Recognises the usual causes of a syntax error that the parser reports at `pos` (of `text`,
/// whose first line is line `1 + off` of its file), and says them in a curator's words, at
/// the place of the cause: a tab in the indentation, a quoted string that closes early (a
/// quotation mark inside a quote), a key without its colon (which the parser notices only on
/// the next line). `None` when the cause is none of these.
fn explain(text: &str, pos: Pos, message: &str, off: usize) -> Option<SyntaxError> {
    let index = crate::diag::LineIndex::new(text);
    let line = |n: usize| index.line(text, n);
    let tab = |n: usize| {
        let l = line(n)?;
        let lead = l.len() - l.trim_start_matches([' ', '\t', '-']).len();
        let col = l[..lead].chars().position(|c| c == '\t')?;
        let (line_no, col) = (n + off, col + 1);
        Some(SyntaxError {
            pos: Pos::new(line_no, col),
            message: format!("a tab at line {line_no} column {col}: YAML indents with spaces"),
            help: Some(
                "replace the tab with spaces (as many as the lines above it are indented)"
                    .to_string(),
            ),
        })
    };
    if let Some(e) = tab(pos.line) {
        return Some(e);
    }
    if let Some(e) = line(pos.line).and_then(|l| early_quote(l, pos.line + off)) {
        return Some(e);
    }
    let mapping_values = message.contains("mapping values are not allowed");
    if mapping_values
        && let Some(l) = line(pos.line)
        && let (_, rest) = after_dashes(l)
        && let Some((key, after)) = split_key(rest)
        && l.len() - after.len() < char_offset(l, pos.col)
    {
        // `claim: The count: two`: a `: ` inside a plain value.
        let value = after.trim();
        let quoted = format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""));
        return Some(SyntaxError {
            pos: Pos::new(pos.line + off, pos.col),
            message: format!(
                "the value of `{key}` holds `: `, which YAML reads as the start of another key"
            ),
            help: Some(format!("put the value in quotes: `{key}: {quoted}`")),
        });
    }
    if mapping_values || message.contains("could not find expected ':'") {
        // The line without its colon: the error's own line, or (as the parser goes on to the
        // next line looking for the colon) one of the few before it.
        for n in (pos.line.saturating_sub(3).max(1)..=pos.line).rev() {
            let Some(l) = line(n) else { continue };
            let (col, rest) = after_dashes(l);
            if rest.is_empty() || rest.starts_with('#') {
                continue;
            }
            if split_key(rest).is_some() {
                continue;
            }
            let key_len = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(rest.len());
            let (key, value) = rest.split_at(key_len);
            let value = value.trim();
            if key.is_empty() {
                break;
            }
            let written = if value.is_empty() {
                format!("{key}:")
            } else {
                format!("{key}: {value}")
            };
            return Some(SyntaxError {
                pos: Pos::new(n + off, col + 1),
                message: format!("`{rest}` has no colon after the key `{key}`"),
                help: Some(format!("write `{written}`")),
            });
        }
    }
    if message.contains("end of stream") || message.contains("quoted scalar") {
        // A string opened and never closed: the last line, at or before the error, whose
        // value opens a quote that the line does not close.
        for n in (pos.line.saturating_sub(50).max(1)..=pos.line).rev() {
            let Some(l) = line(n) else { continue };
            if let Some((col, q)) = unclosed_quote(l) {
                return Some(SyntaxError {
                    pos: Pos::new(n + off, col),
                    message: format!(
                        "the string opened at line {} column {col} is never closed",
                        n + off
                    ),
                    help: Some(format!("end the string with `{q}` where its text ends")),
                });
            }
        }
    }
    tab(pos.line.saturating_sub(1))
}

/// The byte offset of 1-based character column `col` of `line`.
fn char_offset(line: &str, col: usize) -> usize {
    line.char_indices()
        .nth(col.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i)
}

/// The column (1-based, in characters) and the quote character of a quoted value that opens
/// on `line` and does not close on it.
fn unclosed_quote(line: &str) -> Option<(usize, char)> {
    let (open, q, close) = quoted_value(line)?;
    match close {
        Some(_) => None,
        None => Some((line[..open].chars().count() + 1, q)),
    }
}

/// The quoted value of a line `key: "..."` (or a list item `- "..."`): the byte where it
/// opens, its quote character, and the byte where it closes on the line, if it does.
/// Inside double quotes `\` escapes the next character; inside single quotes `''` is one `'`.
fn quoted_value(line: &str) -> Option<(usize, char, Option<usize>)> {
    let (_, rest) = after_dashes(line);
    let value = match split_key(rest) {
        Some((_, after)) => after.trim_start_matches(' '),
        None => rest,
    };
    let q = value.chars().next().filter(|&c| c == '"' || c == '\'')?;
    let open = line.len() - value.len();
    let mut chars = line[open + 1..].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if q == '"' && c == '\\' {
            chars.next();
        } else if c == q {
            if q == '\'' && chars.peek().is_some_and(|&(_, n)| n == '\'') {
                chars.next();
            } else {
                return Some((open, q, Some(open + 1 + i)));
            }
        }
    }
    Some((open, q, None))
}

/// A line's text after its indentation and any `- ` that open list items: the column (in
/// characters, from 0) where that text starts, and the text.
fn after_dashes(line: &str) -> (usize, &str) {
    let mut rest = line.trim_start_matches(' ');
    while let Some(r) = rest.strip_prefix("- ") {
        rest = r.trim_start_matches(' ');
    }
    (line[..line.len() - rest.len()].chars().count(), rest)
}

/// A line `key: "..."` (or a list item `- "..."`) whose quoted string closes before the end
/// of the value, so that more text follows it on the line: a quotation mark inside a quote.
/// `line_no` is the line's number in its file.
fn early_quote(line: &str, line_no: usize) -> Option<SyntaxError> {
    let (open, q, close) = quoted_value(line)?;
    let close = close?;
    let after = line[close + 1..].trim();
    if after.is_empty() || after.starts_with('#') {
        return None;
    }
    let col = line[..close].chars().count() + 1;
    let rule = match q {
        '"' => {
            "inside double quotes each quotation mark is written `\\\"`; or put the text in \
                single quotes (each `'` in it written `''`), or in a `>-` block scalar"
        }
        _ => {
            "inside single quotes each `'` is written `''`; or put the text in double quotes \
              (each `\"` in it written `\\\"`), or in a `>-` block scalar"
        }
    };
    // The fixed line, when the string plainly ends with the line.
    let trimmed = line.trim_end();
    let help = if trimmed.len() > close + 1 && trimmed.ends_with(q) {
        let inner = &trimmed[open + 1..trimmed.len() - 1];
        let mut fixed = String::with_capacity(trimmed.len() + 8);
        fixed.push_str(&line[..open + 1]);
        let mut chars = inner.chars().peekable();
        while let Some(c) = chars.next() {
            match (q, c) {
                ('"', '\\') => {
                    fixed.push(c);
                    fixed.extend(chars.next());
                }
                ('"', '"') => fixed.push_str("\\\""),
                ('\'', '\'') => {
                    fixed.push_str("''");
                    if chars.peek() == Some(&'\'') {
                        chars.next();
                    }
                }
                _ => fixed.push(c),
            }
        }
        fixed.push(q);
        format!("write the line as `{}`: {rule}", fixed.trim_start())
    } else {
        rule.to_string()
    };
    Some(SyntaxError {
        pos: Pos::new(line_no, col),
        message: format!(
            "the string's closing quote comes early at column {col}: `{after}` follows it on \
             the line, outside the string"
        ),
        help: Some(help),
    })
}

/// The position of a syntax error at byte `index` of `text`, counted as every other report
/// counts (lines end at `\n`; columns are characters). serde_yaml's own line and column count
/// a lone `\r` and U+0085 as line breaks too, and an error at the very end of a text that
/// ends with a line break (an unclosed `[`) falls on the line after the last, which the file
/// does not have: such an error is shown at the end of the last line.
fn error_pos(text: &str, index: usize) -> Pos {
    let mut index = index.min(text.len());
    if index == text.len() {
        let trimmed = text.strip_suffix('\n').unwrap_or(text);
        index = trimmed.strip_suffix('\r').unwrap_or(trimmed).len();
    }
    crate::diag::LineIndex::new(text).pos_of(text, index)
}

fn convert(
    value: serde_yaml::Value,
    outline: &Outline,
    at: Option<usize>,
    pos: Pos,
    value_pos: Pos,
    off: usize,
) -> Node {
    use serde_yaml::Value as V;
    let y = match value {
        V::Null => Yaml::Null,
        V::Bool(b) => Yaml::Bool(b),
        V::Number(n) => Yaml::Number(n.to_string()),
        V::String(s) => Yaml::String(s),
        V::Sequence(items) => {
            let children: Vec<usize> = at
                .map(|i| outline.children(i, |e| e.key.is_none()))
                .unwrap_or_default();
            Yaml::Seq(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(k, v)| {
                        let child = children.get(k).copied();
                        let (p, vp) = child
                            .map(|c| outline.positions(c, off))
                            .unwrap_or((pos, pos));
                        convert(v, outline, child, p, vp, off)
                    })
                    .collect(),
            )
        }
        V::Mapping(map) => {
            let children: Vec<usize> = at
                .map(|i| outline.children(i, |e| e.key.is_some()))
                .unwrap_or_default();
            // By key, the first of each (as YAML reads duplicates): a mapping of many keys is
            // not searched once per key.
            let mut by_key: std::collections::HashMap<&str, usize> =
                std::collections::HashMap::with_capacity(children.len());
            for &c in &children {
                if let Some(k) = outline.entries[c].key.as_deref() {
                    by_key.entry(k).or_insert(c);
                }
            }
            Yaml::Map(
                map.into_iter()
                    .map(|(k, v)| {
                        let key = match k {
                            V::String(s) => s,
                            V::Number(n) => n.to_string(),
                            V::Bool(b) => b.to_string(),
                            other => format!("{other:?}"),
                        };
                        let child = by_key.get(key.as_str()).copied();
                        let (p, vp) = child
                            .map(|c| outline.positions(c, off))
                            .unwrap_or((pos, pos));
                        let node = convert(v, outline, child, p, vp, off);
                        (key, node)
                    })
                    .collect(),
            )
        }
        V::Tagged(t) => return convert(t.value, outline, at, pos, value_pos, off),
    };
    Node {
        value: y,
        pos,
        value_pos,
    }
}

/// Refuses, in one linear pass, what the YAML parser should not be given: characters YAML does
/// not allow (control characters; its own positions for them are byte offsets) and nesting
/// deeper than [`MAX_DEPTH`]. The nesting counted is block nesting (indentation levels, and
/// `- ` items opened on one line) plus flow nesting (`[` and `{` outside quoted text and
/// comments). A `[` inside a plain block value (`claim: the [sic] report`) opens nothing,
/// as in YAML.
fn prescan(text: &str) -> Result<(), SyntaxError> {
    let too_deep = |line: usize, col: usize, depth: usize| SyntaxError {
        pos: Pos::new(line + 1, col + 1),
        message: format!(
            "collections nested {depth} deep here (at most {MAX_DEPTH} are read): a `[` or `{{` \
             that is never closed, or indentation that keeps growing"
        ),
        help: Some(
            "close the `[` or `{`, or indent the lines as the fields above them".to_string(),
        ),
    };
    // Indentation of the open block collections.
    let mut indents: Vec<usize> = Vec::new();
    let mut flow = 0usize;
    // Inside a quoted scalar (which may run over several lines): its quote character.
    let mut quoted: Option<char> = None;
    // Lines indented more than this belong to a block scalar (`|`, `>`).
    let mut block_scalar: Option<usize> = None;
    for (lineno, line) in text.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if let Some((col, c)) = line.chars().enumerate().find(|&(_, c)| !allowed(c)) {
            return Err(SyntaxError {
                pos: Pos::new(lineno + 1, col + 1),
                message: format!(
                    "the character U+{:04X} is not allowed in YAML (a control character)",
                    c as u32
                ),
                help: Some("delete the character (it is invisible in most editors)".to_string()),
            });
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent..];
        if let Some(bi) = block_scalar {
            if rest.is_empty() || indent > bi {
                continue;
            }
            block_scalar = None;
        }
        if quoted.is_none() && flow == 0 {
            if rest.is_empty() || rest.starts_with('#') {
                continue;
            }
            while indents.last().is_some_and(|&i| i >= indent) {
                indents.pop();
            }
            indents.push(indent);
            if indents.len() > MAX_DEPTH {
                return Err(too_deep(lineno, indent, indents.len()));
            }
        }
        // Whether a value may start here (so `[`, `{` and quotes open something).
        let mut value_start = quoted.is_none();
        let mut prev_space = true;
        let mut chars = rest.char_indices().peekable();
        let mut items = 0usize;
        while let Some((i, c)) = chars.next() {
            let col = indent + rest[..i].chars().count();
            if let Some(q) = quoted {
                if q == '"' && c == '\\' {
                    chars.next();
                } else if c == q {
                    if q == '\'' && chars.peek().map(|&(_, n)| n) == Some('\'') {
                        chars.next();
                    } else {
                        quoted = None;
                        value_start = false;
                    }
                }
                prev_space = false;
                continue;
            }
            let next_is_space = chars.peek().is_none_or(|&(_, n)| n == ' ' || n == '\t');
            match c {
                '#' if prev_space => break,
                '"' | '\'' if value_start => quoted = Some(c),
                '[' | '{' if value_start || flow > 0 => {
                    flow += 1;
                    if indents.len() + items + flow > MAX_DEPTH {
                        return Err(too_deep(lineno, col, indents.len() + items + flow));
                    }
                    value_start = true;
                }
                ']' | '}' if flow > 0 => {
                    flow -= 1;
                    value_start = false;
                }
                ',' if flow > 0 => value_start = true,
                '-' if flow == 0 && value_start && next_is_space => {
                    items += 1;
                    if indents.len() + items > MAX_DEPTH {
                        return Err(too_deep(lineno, col, indents.len() + items));
                    }
                }
                ':' if next_is_space || flow > 0 => value_start = true,
                '|' | '>' if flow == 0 && value_start => {
                    block_scalar = Some(indent);
                    break;
                }
                ' ' | '\t' => {}
                _ => value_start = false,
            }
            prev_space = c == ' ' || c == '\t';
        }
    }
    Ok(())
}

/// Whether YAML allows the character in a document: printable characters, tab and line
/// breaks (YAML 1.2, section 5.1).
fn allowed(c: char) -> bool {
    match c {
        '\t' | '\n' | '\r' | '\u{85}' => true,
        '\u{FFFE}' | '\u{FFFF}' => false,
        c => !c.is_control(),
    }
}

/// One key or sequence item found by the outline scan.
#[derive(Debug)]
struct Entry {
    /// 0-based line and column (in characters).
    line: usize,
    col: usize,
    /// Where the value starts on the same line, if it does.
    value_col: Option<usize>,
    /// `Some(name)` for a mapping key, `None` for a sequence item.
    key: Option<String>,
    parent: Option<usize>,
}

/// The block structure of a YAML text: where keys and sequence items stand.
#[derive(Debug)]
struct Outline {
    /// Entry 0 is the document root.
    entries: Vec<Entry>,
    /// The children of each entry, in file order.
    kids: Vec<Vec<usize>>,
}

impl Outline {
    fn scan(text: &str) -> Outline {
        let mut entries = vec![Entry {
            line: 0,
            col: 0,
            value_col: None,
            key: None,
            parent: None,
        }];
        // Stack of open entries (indices) whose children may follow; root is implicit.
        let mut stack: Vec<usize> = Vec::new();
        // Block scalars (`|`, `>`) swallow deeper-indented lines.
        let mut block_scalar_indent: Option<usize> = None;
        for (lineno, raw) in text.lines().enumerate() {
            let indent = raw.chars().take_while(|c| *c == ' ').count();
            let trimmed = raw.trim_start_matches(' ');
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if let Some(bi) = block_scalar_indent {
                if indent > bi {
                    continue;
                }
                block_scalar_indent = None;
            }
            if trimmed == "---" || trimmed == "..." {
                continue;
            }
            let mut col = indent;
            let mut rest = trimmed;
            loop {
                // Sequence item: "- " or a lone "-".
                if rest == "-" || rest.starts_with("- ") {
                    let parent = Self::parent_for(&entries, &mut stack, col, true);
                    let after = rest[1..].trim_start_matches(' ');
                    let value_col = if after.is_empty() {
                        None
                    } else {
                        Some(col + (rest.len() - after.len()))
                    };
                    entries.push(Entry {
                        line: lineno,
                        col,
                        value_col,
                        key: None,
                        parent: Some(parent),
                    });
                    stack.push(entries.len() - 1);
                    let skip = rest.len() - after.len();
                    col += rest[..skip].chars().count();
                    rest = after;
                    if rest.is_empty() {
                        break;
                    }
                    continue;
                }
                if let Some((key, after_colon)) = split_key(rest) {
                    let parent = Self::parent_for(&entries, &mut stack, col, false);
                    let value = after_colon.trim_start_matches(' ');
                    let value_col = if value.is_empty() || value.starts_with('#') {
                        None
                    } else {
                        Some(col + rest[..rest.len() - value.len()].chars().count())
                    };
                    entries.push(Entry {
                        line: lineno,
                        col,
                        value_col,
                        key: Some(key),
                        parent: Some(parent),
                    });
                    stack.push(entries.len() - 1);
                    if value.starts_with('|') || value.starts_with('>') {
                        block_scalar_indent = Some(col);
                    }
                }
                break;
            }
        }
        let mut kids = vec![Vec::new(); entries.len()];
        for (i, e) in entries.iter().enumerate() {
            if let Some(p) = e.parent {
                kids[p].push(i);
            }
        }
        Outline { entries, kids }
    }

    /// Pops the stack to the entry that a new entry at `col` belongs to and returns it.
    fn parent_for(entries: &[Entry], stack: &mut Vec<usize>, col: usize, is_item: bool) -> usize {
        while let Some(&top) = stack.last() {
            let e = &entries[top];
            // An item at the same column as a key with no inline value belongs to that key
            // (YAML's "indentless" sequences: `quotes:` followed by `- source:` at one indent).
            let indentless = is_item && e.key.is_some() && e.col == col && e.value_col.is_none();
            if e.col < col || indentless {
                return top;
            }
            stack.pop();
        }
        0
    }

    fn children(&self, parent: usize, filter: impl Fn(&Entry) -> bool) -> Vec<usize> {
        // A key line like `- id: x` opens an item whose first key is on the same line, so the
        // key entries of a mapping inside an item are the item's children.
        self.kids[parent]
            .iter()
            .copied()
            .filter(|&i| filter(&self.entries[i]))
            .collect()
    }

    fn positions(&self, i: usize, off: usize) -> (Pos, Pos) {
        let e = &self.entries[i];
        let pos = Pos::new(e.line + 1 + off, e.col + 1);
        let vp = e
            .value_col
            .map(|c| Pos::new(e.line + 1 + off, c + 1))
            .unwrap_or(pos);
        (pos, vp)
    }
}

/// Splits `key: value` into the key and what follows the colon. Handles plain and quoted keys.
fn split_key(s: &str) -> Option<(String, &str)> {
    let (key, rest) = if let Some(q) = s.strip_prefix('"').or_else(|| s.strip_prefix('\'')) {
        let quote = s.as_bytes()[0] as char;
        let end = q.find(quote)?;
        (q[..end].to_string(), &q[end + 1..])
    } else {
        let mut end = None;
        for (i, c) in s.char_indices() {
            if c == ':' {
                let next = s[i + 1..].chars().next();
                if next.is_none() || next == Some(' ') {
                    end = Some(i);
                    break;
                }
            }
            if c == '#' || c == '{' || c == '[' || c == '"' || c == '\'' {
                return None;
            }
        }
        let end = end?;
        (s[..end].trim_end().to_string(), &s[end..])
    };
    let after = rest.strip_prefix(':')?;
    if !(after.is_empty() || after.starts_with(' ')) {
        return None;
    }
    Some((key, after))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get<'a>(n: &'a Node, key: &str) -> &'a Node {
        match &n.value {
            Yaml::Map(m) => &m.iter().find(|(k, _)| k == key).expect("key").1,
            _ => panic!("not a map"),
        }
    }

    fn item(n: &Node, i: usize) -> &Node {
        match &n.value {
            Yaml::Seq(s) => &s[i],
            _ => panic!("not a seq"),
        }
    }

    #[test]
    fn syntax_errors_point_inside_the_text() {
        // Found by the `claims_yaml` fuzz target: an unclosed `[` at the end of a text that
        // ends with a line break was reported on the line after the last.
        let e = parse("- id: x\n  claim: [a\n", 0).expect_err("unclosed");
        assert_eq!(e.pos, Pos::new(2, 12));
        let e = parse("- id: x\r\n  claim: [a\r\n", 0).expect_err("unclosed");
        assert_eq!(e.pos, Pos::new(2, 12));
        // With the line offset of front matter (its text starts on line 2 of the file).
        let e = parse("title: [a\n", 1).expect_err("unclosed");
        assert_eq!(e.pos, Pos::new(2, 10));
        // A lone carriage return is a line break to the YAML parser, but not to an editor,
        // nor to the rest of the report (which counts `\n`).
        let e = parse("a: 1\rb: 2\rc: [x\n", 0).expect_err("unclosed");
        assert_eq!(e.pos.line, 1);
    }

    #[test]
    fn positions_of_keys_and_items() {
        let text = "# claims\n- id: a\n  claim: \"x\"\n  quotes:\n    - source: s\n      text: t\n    - source: u\n      text: v\n- id: b\n  quotes:\n  - source: w\n    text: z\n";
        let root = parse(text, 0).expect("parses");
        let a = item(&root, 0);
        assert_eq!(a.pos, Pos::new(2, 1));
        assert_eq!(get(a, "id").pos, Pos::new(2, 3));
        assert_eq!(get(a, "id").value_pos, Pos::new(2, 7));
        assert_eq!(get(a, "claim").pos, Pos::new(3, 3));
        let q1 = item(get(a, "quotes"), 1);
        assert_eq!(q1.pos, Pos::new(7, 5));
        assert_eq!(get(q1, "text").pos, Pos::new(8, 7));
        let b = item(&root, 1);
        assert_eq!(b.pos, Pos::new(9, 1));
        let q = item(get(b, "quotes"), 0);
        assert_eq!(get(q, "text").pos, Pos::new(12, 5));
    }

    #[test]
    fn block_scalars_do_not_confuse_the_outline() {
        let text = "- id: a\n  note: |\n    text: not a key\n    - not an item\n  claim: c\n";
        let root = parse(text, 3).expect("parses");
        let a = item(&root, 0);
        assert_eq!(get(a, "claim").pos, Pos::new(8, 3));
    }

    #[test]
    fn syntax_errors_have_positions() {
        let err = parse("a: [1, 2\nb: 3\n", 10).expect_err("fails");
        assert!(err.pos.line >= 11, "{err:?}");
        assert!(!err.message.contains(" at line "));
    }

    #[test]
    fn deep_flow_nesting_is_refused_at_its_line() {
        let text = format!("- id: a\n  claim: \"x\"\n  note: {}\n", "[".repeat(80_000));
        let err = parse(&text, 4).expect_err("refused");
        assert_eq!(err.pos.line, 7, "{err:?}");
        assert!(err.message.contains("nested"), "{err:?}");
        // Closed, shallow nesting parses.
        let ok = format!("a: {}1{}\n", "[".repeat(10), "]".repeat(10));
        parse(&ok, 0).expect("parses");
    }

    #[test]
    fn brackets_in_plain_and_quoted_text_open_nothing() {
        let many = "[".repeat(200);
        for text in [
            format!("a: the {many} report\n"),
            format!("a: \"{many}\"\n"),
            format!("a: '{many}'\n"),
            format!("a: b # {many}\n"),
            format!("a: |\n  {many}\nb: c\n"),
            format!("- a: \"it's \\\" {many}\"\n"),
            format!("a: 'it''s {many}'\n"),
            format!("a: \"two\n  lines {many}\"\n"),
        ] {
            assert!(prescan(&text).is_ok(), "{text}");
            parse(&text, 0).unwrap_or_else(|e| panic!("{text}: {e:?}"));
        }
    }

    #[test]
    fn deep_block_nesting_is_refused() {
        let mut text = String::new();
        for d in 0..(MAX_DEPTH + 5) {
            text.push_str(&" ".repeat(d));
            text.push_str("k:\n");
        }
        let err = parse(&text, 0).expect_err("refused");
        assert_eq!(err.pos.line, MAX_DEPTH + 1, "{err:?}");
        let items = format!("{}x\n", "- ".repeat(MAX_DEPTH + 1));
        assert!(parse(&items, 0).is_err());
    }

    #[test]
    fn control_characters_are_refused_where_they_stand() {
        let mut text = String::new();
        for i in 0..399 {
            text.push_str(&format!("k{i}: v\n"));
        }
        text.push_str("k399: ab\u{1}c\n");
        let err = parse(&text, 0).expect_err("refused");
        assert_eq!(err.pos, Pos::new(400, 9), "{err:?}");
        assert!(err.message.contains("U+0001"), "{err:?}");
        // Tabs and line breaks are fine.
        parse("a: \"x\ty\"\r\nb: 1\r\n", 0).expect("parses");
    }
}
