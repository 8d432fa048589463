//! Text that goes into a Commons file page or a Commons file name, made safe for it.
//!
//! A value from the data lands inside a `{{Artwork|…}}` parameter: a `|` would start another
//! parameter, `{{`/`}}` a template, `[[` a link, `<` a tag, `~~~` a signature (uploads go
//! through the pre-save transform), a line break a new line of the page. Each becomes an HTML
//! character reference, which the page shows as the character itself.

/// `text` as the value of a template parameter: one line, nothing the parser acts on.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous = ' ';
    for c in text.chars() {
        match c {
            '|' => out.push_str("&#124;"),
            '{' => out.push_str("&#123;"),
            '}' => out.push_str("&#125;"),
            '[' => out.push_str("&#91;"),
            ']' => out.push_str("&#93;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '~' => out.push_str("&#126;"),
            // `''` starts italics.
            '\'' if previous == '\'' => out.push_str("&#39;"),
            '=' if out.is_empty() => out.push_str("&#61;"),
            c if c.is_control() || c.is_whitespace() => {
                if !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c => out.push(c),
        }
        previous = c;
    }
    out.trim_end().to_owned()
}

/// A language template around `text` (`{{fr|1=…}}`), so Commons shows each reader the title in
/// their language; plain text for an untagged literal or a tag Commons has no template for.
pub fn in_language(text: &str, lang: Option<&str>) -> String {
    match lang {
        Some(l) if (2..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_lowercase()) => {
            format!("{{{{{l}|1={}}}}}", escape(text))
        }
        _ => escape(text),
    }
}

/// The longest a file name may be on Commons, in bytes, extension included.
const MAX_TITLE_BYTES: usize = 240;

/// A Commons file name from its parts (`Title - Artist - Museum - inventory`), the extension
/// added: characters MediaWiki forbids or rewrites in file names (`# < > [ ] | { } : / \`, a
/// `%` before two hex digits, control characters, `~~~`) become `-` or a space, and the title
/// (the first part) is shortened so that the name fits Commons' 240 bytes.
pub fn file_title(parts: &[&str], suffix: &str, extension: Option<&str>) -> String {
    let parts: Vec<String> = parts
        .iter()
        .map(|p| clean(p))
        .filter(|p| !p.is_empty())
        .collect();
    let ending = match extension {
        Some(e) => format!("{suffix}.{e}"),
        None => suffix.to_owned(),
    };
    let mut stem = parts.join(" - ");
    if stem.len() + ending.len() > MAX_TITLE_BYTES
        && let Some((first, rest)) = parts.split_first()
    {
        let rest: String = rest.iter().map(|p| format!(" - {p}")).collect();
        let room = MAX_TITLE_BYTES.saturating_sub(ending.len() + rest.len());
        stem = if room >= 20 {
            format!("{}{rest}", truncate(first, room))
        } else {
            truncate(&stem, MAX_TITLE_BYTES.saturating_sub(ending.len())).to_owned()
        };
    }
    format!("{}{ending}", stem.trim())
}

fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let hex = |j: usize| chars.get(j).is_some_and(char::is_ascii_hexdigit);
        match c {
            '#' | '<' | '>' | '[' | ']' | '|' | '{' | '}' | ':' | '/' | '\\' => dash(&mut out),
            '%' if hex(i + 1) && hex(i + 2) => dash(&mut out),
            '~' if out.ends_with("~~") => {}
            '_' => out.push(' '),
            c if c.is_control() || c.is_whitespace() => out.push(' '),
            c => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One `-` for a run of forbidden characters (`{{` → `-`).
fn dash(out: &mut String) {
    if !out.ends_with('-') {
        out.push('-');
    }
}

/// The longest prefix of `text` within `bytes`, cut at a character boundary.
fn truncate(text: &str, bytes: usize) -> &str {
    let mut end = bytes.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_cannot_break_out_of_their_parameter() {
        assert_eq!(
            escape("a|b {{Delete}} [[Category:X]]\nnext ~~~~ <b> & ''it''"),
            "a&#124;b &#123;&#123;Delete&#125;&#125; &#91;&#91;Category:X&#93;&#93; next \
             &#126;&#126;&#126;&#126; &lt;b&gt; &amp; '&#39;it'&#39;"
        );
        assert_eq!(escape("  l'Hydre\t "), "l'Hydre");
        assert_eq!(in_language("Marat", Some("fr")), "{{fr|1=Marat}}");
        assert_eq!(in_language("Marat", Some("fr-x-old")), "Marat");
        assert_eq!(in_language("a}}b", None), "a&#125;&#125;b");
    }

    #[test]
    fn file_titles_keep_to_what_commons_accepts() {
        assert_eq!(
            file_title(
                &[
                    "Échelle 1:1 000 000 [carte]",
                    "BOZE Joseph",
                    "Musée #1",
                    "50%2F"
                ],
                "",
                Some("jpg")
            ),
            "Échelle 1-1 000 000 -carte- - BOZE Joseph - Musée -1 - 50-2F.jpg"
        );
        assert_eq!(file_title(&["a_b", "", "c"], " (2)", None), "a b - c (2)");
        let long = "é".repeat(300);
        let title = file_title(&[&long, "Artist", "Museum", "P123"], " (2)", Some("jpg"));
        assert!(title.len() <= MAX_TITLE_BYTES, "{}", title.len());
        assert!(
            title.ends_with("é - Artist - Museum - P123 (2).jpg"),
            "{title}"
        );
    }
}
