//! Heritage date text → the outer bounds of the period it names.
//!
//! Catalogues date works in free text: `1890`, `vers 1890`, `1890-1895`, `XIXe siècle`,
//! `2e moitié du XVIIe siècle`. CIDOC-CRM wants instants: the begin of the begin (`P82a`) and the
//! end of the end (`P82b`) of an `E52_Time-Span`, so that a query for "works made in 1880" can
//! compare intervals instead of parsing strings. This module turns the text into a [`Span`] of
//! two days; the caller writes them as `xsd:dateTime` lexical forms.
//!
//! Conventions (one place, so they stay consistent):
//! - **Centuries are the years that start with their number minus one**: the XIXe siècle is
//!   1800–1899, as cataloguers and readers use it (not the strict 1801–1900). The Ier siècle
//!   starts in year 1 (there is no year 0 in dates written as text).
//! - **Parts of a century** are cut from those hundred years: quarters of 25 years
//!   (`4e quart du XIXe siècle` = 1875–1899), halves of 50, thirds of 33/33/34 (`1er tiers`
//!   = 00–32); `début` = the first 30 years (00–29), `milieu` = the middle 30 (35–64), `fin` = the
//!   last 30 (70–99). `dernier quart|tiers`, `dernière moitié` are the last part.
//! - **Circa** (`vers`, `v.`, `circa`, `ca.`, `c.`, `env.`, `environ`, or a trailing `?` / `(?)`)
//!   widens the period by 5 whole years on each side: `vers 1890` = 1885-01-01 … 1895-12-31.
//! - **Ranges** (`A-B`, `A - B`, `A/B`, `entre A et B`, `de A à B`) go from the beginning of A to
//!   the end of B, where A and B are any of the forms here; a range that ends before it begins is
//!   not read. A circa word before the whole range widens both ends (`vers 1890-1895` =
//!   1885–1900); one inside it widens its own end only (`1890 - vers 1895` = 1890–1900).
//! - A **year** is 1890-01-01 … 1890-12-31, a month the whole month, a day that day; `années 1890`
//!   is the decade 1890–1899.
//! - Anything else is not read (`None`): the caller reports it, it never guesses.

use regex::Regex;
use std::sync::LazyLock;

/// A day of the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

/// The outer bounds of a period, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub begin: Day,
    pub end: Day,
}

/// How many years `vers 1890` reaches on each side.
pub const CIRCA_YEARS: i32 = 5;

impl Span {
    fn years(first: i32, last: i32) -> Self {
        Span {
            begin: Day {
                year: first.max(1),
                month: 1,
                day: 1,
            },
            end: Day {
                year: last,
                month: 12,
                day: 31,
            },
        }
    }

    fn circa(self) -> Self {
        Span::years(self.begin.year - CIRCA_YEARS, self.end.year + CIRCA_YEARS)
    }

    /// The `xsd:dateTime` lexical form of the first instant of the period.
    pub fn begin_of_begin(&self) -> String {
        let Day { year, month, day } = self.begin;
        format!("{year:04}-{month:02}-{day:02}T00:00:00")
    }

    /// The `xsd:dateTime` lexical form of the last second of the period.
    pub fn end_of_end(&self) -> String {
        let Day { year, month, day } = self.end;
        format!("{year:04}-{month:02}-{day:02}T23:59:59")
    }
}

/// Reads `text` as a date, a period or a range of them; `None` when it is none of the forms the
/// module documents.
pub fn parse(text: &str) -> Option<Span> {
    let text = normalise(text);
    // A leading `vers` makes the whole range approximate: `vers 1890-1895` = 1885–1900.
    let (body, circa) = strip_circa(&text);
    let span = range(body)?;
    Some(if circa { span.circa() } else { span })
}

/// Lower case, accents and typographic variants folded, spaces collapsed: the patterns below
/// then only deal with one spelling of each word.
fn normalise(text: &str) -> String {
    let folded: String = text
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'ᵉ' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ʳ' => 'r',
            '–' | '—' | '‐' | '‑' | '−' => '-',
            c if c.is_whitespace() => ' ',
            c => c,
        })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Removes the words that mark an approximate date; says whether there was one.
fn strip_circa(text: &str) -> (&str, bool) {
    const PREFIXES: [&str; 9] = [
        "vers ", "v. ", "v.", "circa ", "ca. ", "ca ", "c. ", "env. ", "environ ",
    ];
    const SUFFIXES: [&str; 3] = ["(?)", "[?]", "?"];
    let mut body = text;
    let mut circa = false;
    loop {
        let before = body;
        if let Some(rest) = PREFIXES.iter().find_map(|p| body.strip_prefix(p)) {
            body = rest.trim_start();
        }
        if let Some(rest) = SUFFIXES.iter().find_map(|s| body.strip_suffix(s)) {
            body = rest.trim_end();
        }
        if body == before {
            return (body, circa);
        }
        circa = true;
    }
}

/// A single period, or two joined as a range.
fn range(text: &str) -> Option<Span> {
    if let Some(span) = single(text) {
        return Some(span);
    }
    for (lead, middle) in [("entre ", " et "), ("de ", " a "), ("du ", " au ")] {
        if let Some((a, b)) = text
            .strip_prefix(lead)
            .and_then(|rest| rest.split_once(middle))
        {
            return join(a, b);
        }
    }
    // `1890-05-24` is one date, not a range: the split is only tried once the whole failed, and
    // at every separator, so `1890-05 - 1891-02` splits at the right one.
    text.char_indices()
        .filter(|&(_, c)| c == '-' || c == '/')
        .find_map(|(i, _)| join(text[..i].trim(), text[i + 1..].trim()))
}

/// One end of a range: a period, possibly approximate on its own (`vers 1890 - 1895`).
fn side(text: &str) -> Option<Span> {
    let (body, circa) = strip_circa(text);
    let span = single(body)?;
    Some(if circa { span.circa() } else { span })
}

fn join(a: &str, b: &str) -> Option<Span> {
    let end = side(b)?;
    // `19e-20e siècle`: the first century borrows the word from the second.
    let begin = side(a).or_else(|| {
        let word = CENTURY_WORD.find(b)?;
        side(&format!("{a} {}", word.as_str().trim()))
    })?;
    (begin.begin <= end.end).then_some(Span {
        begin: begin.begin,
        end: end.end,
    })
}

static ISO_DAY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{4})-(\d{2})-(\d{2})$").unwrap());
static ISO_MONTH: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\d{4})-(\d{2})$").unwrap());
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\d{3,4})$").unwrap());
static FRENCH_NUMERIC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,2})/(\d{1,2})/(\d{4})$").unwrap());
static FRENCH_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(\d{1,2})(?:er)? )?(janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre) (\d{3,4})$",
    )
    .unwrap()
});
static DECADE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^annees (\d{3})0$").unwrap());
static CENTURY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^
        (?:le\ |la\ )?
        (?:(?: (?P<vague>debut|milieu|fin)
             | (?P<ordinal>1er|1re|1ere|premier|premiere|2e|2eme|2nd|2nde|deuxieme|second|seconde
                |3e|3eme|troisieme|4e|4eme|quatrieme|dernier|derniere)
               \ (?P<unit>quart|moitie|tiers) )
           (?:\ du|\ de\ la)?\ )?
        (?:(?P<arabic>\d{1,2})|(?P<roman>[ivxlc]+))\ ?(?P<suffix>er|re|ere|eme|e)
        (?P<word>\ ?(?:siecles?|s\.|s))?
        $",
    )
    .unwrap()
});
static CENTURY_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r" ?(?:siecles?|s\.|s)$").unwrap());

const MONTHS: [&str; 12] = [
    "janvier",
    "fevrier",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "decembre",
];

fn single(text: &str) -> Option<Span> {
    let number = |s: &str| s.parse::<i32>().ok();
    if let Some(c) = ISO_DAY.captures(text) {
        return day(number(&c[1])?, number(&c[2])?, number(&c[3])?);
    }
    if let Some(c) = ISO_MONTH.captures(text) {
        return month(number(&c[1])?, number(&c[2])?);
    }
    if let Some(c) = YEAR.captures(text) {
        let year = number(&c[1])?;
        return (year > 0).then(|| Span::years(year, year));
    }
    if let Some(c) = FRENCH_NUMERIC.captures(text) {
        return day(number(&c[3])?, number(&c[2])?, number(&c[1])?);
    }
    if let Some(c) = FRENCH_WORDS.captures(text) {
        let m = MONTHS.iter().position(|m| *m == &c[2])? as i32 + 1;
        let year = number(&c[3])?;
        return match c.get(1) {
            Some(d) => day(year, m, number(d.as_str())?),
            None => month(year, m),
        };
    }
    if let Some(c) = DECADE.captures(text) {
        let first = number(&c[1])? * 10;
        return Some(Span::years(first, first + 9));
    }
    century(text)
}

fn day(year: i32, month: i32, day: i32) -> Option<Span> {
    let (month, day) = (u32::try_from(month).ok()?, u32::try_from(day).ok()?);
    if year < 1 || !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let d = Day { year, month, day };
    Some(Span { begin: d, end: d })
}

fn month(year: i32, month: i32) -> Option<Span> {
    let month = u32::try_from(month).ok()?;
    if year < 1 || !(1..=12).contains(&month) {
        return None;
    }
    Some(Span {
        begin: Day {
            year,
            month,
            day: 1,
        },
        end: Day {
            year,
            month,
            day: days_in_month(year, month),
        },
    })
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `XIXe siècle`, `19e s.`, `fin du XVIIe siècle`, `2e moitié du XVIIe siècle`…
fn century(text: &str) -> Option<Span> {
    let c = CENTURY.captures(text)?;
    let number = match (c.name("arabic"), c.name("roman")) {
        // A bare `2e` is too vague to be a century; a bare `XIXe` is not.
        (Some(a), _) if c.name("word").is_some() || c.name("unit").is_some() => {
            a.as_str().parse().ok()?
        }
        (None, Some(r)) => roman(r.as_str())?,
        _ => return None,
    };
    // `er` is for the first only: `Ier siècle`, not `Ver s` (which is the word `vers`).
    if !(1..=21).contains(&number) || (number != 1 && c["suffix"].ends_with('r')) {
        return None;
    }
    let start = (number - 1) * 100;
    let (first, last) = match (c.name("vague"), c.name("ordinal"), c.name("unit")) {
        (Some(v), _, _) => match v.as_str() {
            "debut" => (0, 29),
            "milieu" => (35, 64),
            _ => (70, 99),
        },
        (None, Some(o), Some(u)) => part(o.as_str(), u.as_str())?,
        _ => (0, 99),
    };
    Some(Span::years(start + first, start + last))
}

/// The years (offsets in the century) of the n-th quarter, half or third.
fn part(ordinal: &str, unit: &str) -> Option<(i32, i32)> {
    let parts: &[(i32, i32)] = match unit {
        "quart" => &[(0, 24), (25, 49), (50, 74), (75, 99)],
        "moitie" => &[(0, 49), (50, 99)],
        _ => &[(0, 32), (33, 65), (66, 99)],
    };
    let index = match ordinal {
        "dernier" | "derniere" => parts.len(),
        o if o.starts_with('1') || o.starts_with("prem") => 1,
        o if o.starts_with('2') || o.starts_with("deux") || o.starts_with("second") => 2,
        o if o.starts_with('3') || o.starts_with("trois") => 3,
        _ => 4,
    };
    parts.get(index - 1).copied()
}

/// A Roman numeral in canonical form (`xix`, not `xviiii`), up to 399.
fn roman(text: &str) -> Option<i32> {
    let value = |c| match c {
        'i' => Some(1),
        'v' => Some(5),
        'x' => Some(10),
        'l' => Some(50),
        'c' => Some(100),
        _ => None,
    };
    let digits: Vec<i32> = text.chars().map(value).collect::<Option<_>>()?;
    let mut total = 0;
    for (i, d) in digits.iter().enumerate() {
        match digits.get(i + 1) {
            Some(next) if next > d => total -= d,
            _ => total += d,
        }
    }
    (to_roman(total) == text).then_some(total)
}

fn to_roman(mut n: i32) -> String {
    const TABLE: [(i32, &str); 9] = [
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (value, letters) in TABLE {
        while n >= value {
            out.push_str(letters);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (text, day of the begin of the begin, day of the end of the end)
    const READ: &[(&str, &str, &str)] = &[
        // ISO and plain years
        ("1890-05-24", "1890-05-24", "1890-05-24"),
        ("1890-05", "1890-05-01", "1890-05-31"),
        ("1900-02", "1900-02-01", "1900-02-28"),
        ("2000-02", "2000-02-01", "2000-02-29"),
        ("1890", "1890-01-01", "1890-12-31"),
        (" 1890 ", "1890-01-01", "1890-12-31"),
        ("800", "0800-01-01", "0800-12-31"),
        ("24/05/1890", "1890-05-24", "1890-05-24"),
        ("24 mai 1890", "1890-05-24", "1890-05-24"),
        ("1er août 1914", "1914-08-01", "1914-08-01"),
        ("Février 1896", "1896-02-01", "1896-02-29"),
        ("années 1890", "1890-01-01", "1899-12-31"),
        // ranges
        ("1890-1895", "1890-01-01", "1895-12-31"),
        ("1890 - 1895", "1890-01-01", "1895-12-31"),
        ("1890–1895", "1890-01-01", "1895-12-31"),
        ("1890/1895", "1890-01-01", "1895-12-31"),
        ("entre 1890 et 1895", "1890-01-01", "1895-12-31"),
        ("Entre 1890 et 1895", "1890-01-01", "1895-12-31"),
        ("de 1890 à 1895", "1890-01-01", "1895-12-31"),
        ("1890-05 - 1891-02", "1890-05-01", "1891-02-28"),
        ("1890-05-24/1890-06-02", "1890-05-24", "1890-06-02"),
        ("1890 - XXe siècle", "1890-01-01", "1999-12-31"),
        ("XIXe-XXe siècle", "1800-01-01", "1999-12-31"),
        ("19e-20e siècle", "1800-01-01", "1999-12-31"),
        ("vers 1890 - 1895", "1885-01-01", "1900-12-31"),
        ("1890 - vers 1895", "1890-01-01", "1900-12-31"),
        // circa: ±5 whole years
        ("vers 1890", "1885-01-01", "1895-12-31"),
        ("Vers 1890", "1885-01-01", "1895-12-31"),
        ("v. 1890", "1885-01-01", "1895-12-31"),
        ("circa 1890", "1885-01-01", "1895-12-31"),
        ("ca. 1890", "1885-01-01", "1895-12-31"),
        ("1890 ?", "1885-01-01", "1895-12-31"),
        ("1890 (?)", "1885-01-01", "1895-12-31"),
        ("vers 1890-1895", "1885-01-01", "1900-12-31"),
        ("vers 1890-05-24", "1885-01-01", "1895-12-31"),
        // centuries: 1800–1899 for the XIXe
        ("19e siècle", "1800-01-01", "1899-12-31"),
        ("19ème siècle", "1800-01-01", "1899-12-31"),
        ("19e s.", "1800-01-01", "1899-12-31"),
        ("XIXe siècle", "1800-01-01", "1899-12-31"),
        ("XIX e siècle", "1800-01-01", "1899-12-31"),
        ("XIXᵉ siècle", "1800-01-01", "1899-12-31"),
        ("XIXème siècle", "1800-01-01", "1899-12-31"),
        ("XIXe", "1800-01-01", "1899-12-31"),
        ("xixe s", "1800-01-01", "1899-12-31"),
        ("XVIIe siècle", "1600-01-01", "1699-12-31"),
        ("XXIe siècle", "2000-01-01", "2099-12-31"),
        ("Ier siècle", "0001-01-01", "0099-12-31"),
        ("IVe siècle", "0300-01-01", "0399-12-31"),
        ("vers le XVe siècle", "1395-01-01", "1504-12-31"),
        // parts of a century
        ("4e quart du XIXe siècle", "1875-01-01", "1899-12-31"),
        ("1er quart du XXe siècle", "1900-01-01", "1924-12-31"),
        ("2e quart du XIXe siècle", "1825-01-01", "1849-12-31"),
        ("3e quart 19e siècle", "1850-01-01", "1874-12-31"),
        ("dernier quart du XVIIIe siècle", "1775-01-01", "1799-12-31"),
        ("premier quart du XVIe s.", "1500-01-01", "1524-12-31"),
        ("2e moitié du XVIIe siècle", "1650-01-01", "1699-12-31"),
        ("1re moitié du XVIIe siècle", "1600-01-01", "1649-12-31"),
        ("1ère moitié du XVIIe siècle", "1600-01-01", "1649-12-31"),
        ("seconde moitié du XVIIe siècle", "1650-01-01", "1699-12-31"),
        ("1er tiers du XXe siècle", "1900-01-01", "1932-12-31"),
        ("dernier tiers du XXe siècle", "1966-01-01", "1999-12-31"),
        ("début du XVIIe siècle", "1600-01-01", "1629-12-31"),
        ("milieu du XVIIe siècle", "1635-01-01", "1664-12-31"),
        ("fin du XVIIe siècle", "1670-01-01", "1699-12-31"),
        ("Fin XVIIe", "1670-01-01", "1699-12-31"),
        ("vers le milieu du XIXe siècle", "1830-01-01", "1869-12-31"),
        (
            "fin du XVIIIe siècle - début du XIXe siècle",
            "1770-01-01",
            "1829-12-31",
        ),
    ];

    /// Texts that are not read: no value, the caller reports them.
    const NOT_READ: &[&str] = &[
        "",
        "   ",
        "inconnu",
        "non daté",
        "1er quart",
        "2e",
        "19",
        "1890-13",
        "1890-02-30",
        "1895-1890",
        "XIXe siècle avant J.-C.",
        "XXXe siècle",
        "XIIIIe siècle",
        "3e moitié du XVIIe siècle",
        "entre 1890",
        "vers",
        "Ver siècle",
        "32 mai 1890",
        "1890 ou 1891",
    ];

    #[test]
    fn reads_heritage_dates() {
        let mut failures = Vec::new();
        for &(text, begin, end) in READ {
            let (begin, end) = (format!("{begin}T00:00:00"), format!("{end}T23:59:59"));
            match parse(text) {
                Some(span) if span.begin_of_begin() == begin && span.end_of_end() == end => {}
                Some(span) => failures.push(format!(
                    "{text:?}: got {} … {}, expected {begin} … {end}",
                    span.begin_of_begin(),
                    span.end_of_end()
                )),
                None => failures.push(format!("{text:?}: not read")),
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        let read: Vec<_> = NOT_READ
            .iter()
            .filter_map(|t| parse(t).map(|s| format!("{t:?} → {s:?}")))
            .collect();
        assert!(read.is_empty(), "{read:#?}");
    }

    #[test]
    fn roman_numerals_are_canonical() {
        assert_eq!(roman("xix"), Some(19));
        assert_eq!(roman("xiv"), Some(14));
        assert_eq!(roman("xxi"), Some(21));
        assert_eq!(roman("iiii"), None);
        assert_eq!(roman("ic"), None);
    }

    #[test]
    fn every_part_of_a_century_is_inside_it() {
        for unit in ["quart", "moitie", "tiers"] {
            for ordinal in ["1er", "2e", "3e", "4e", "dernier"] {
                if let Some((first, last)) = part(ordinal, unit) {
                    assert!((0..=99).contains(&first) && first <= last && last <= 99);
                }
            }
        }
    }
}
