//! How a CSV file is written (`csvw:dialect`): French spreadsheet exports are often
//! `;`-separated and in Windows-1252, some quote with `'` or carry `#` comment lines.

use encoding_rs::Encoding;

/// The CSVW dialect properties vitrine reads; any other one is refused by name rather than
/// silently ignored, so a file is never read differently from what its mapping says.
pub const PROPERTIES: &str = "csvw:delimiter, csvw:encoding, csvw:quoteChar, csvw:trim, \
     csvw:commentPrefix, csvw:header true, csvw:headerRowCount 1, csvw:doubleQuote true";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvDialect {
    /// `csvw:delimiter`: one ASCII character, `,` by default.
    pub delimiter: u8,
    /// `csvw:encoding`, a WHATWG Encoding Standard label; UTF-8 by default. A byte-order mark
    /// at the start of the file wins over it.
    pub encoding: &'static Encoding,
    /// `csvw:quoteChar`, `"` by default.
    pub quote: u8,
    /// `csvw:trim`: spaces around values are dropped; off by default.
    pub trim: bool,
    /// `csvw:commentPrefix`: lines starting with it are skipped; none by default.
    pub comment: Option<u8>,
}

impl Default for CsvDialect {
    fn default() -> Self {
        Self {
            delimiter: b',',
            encoding: encoding_rs::UTF_8,
            quote: b'"',
            trim: false,
            comment: None,
        }
    }
}

impl CsvDialect {
    /// The dialect of `delimiter` and `encoding` (YARRRML keys, vitrine.toml, command line);
    /// the errors name the offending value.
    pub fn parse(delimiter: Option<&str>, encoding: Option<&str>) -> Result<Self, String> {
        let mut dialect = Self::default();
        if let Some(value) = delimiter {
            dialect.set("delimiter", value)?;
        }
        if let Some(value) = encoding {
            dialect.set("encoding", value)?;
        }
        Ok(dialect)
    }

    /// Sets CSVW property `property` (its local name) to `value`, as written.
    pub fn set(&mut self, property: &str, value: &str) -> Result<(), String> {
        let flag = |value: &str| match value.trim() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err(format!("{property} {value:?} must be true or false")),
        };
        match property {
            "delimiter" => self.delimiter = one_character(property, value)?,
            "quoteChar" => self.quote = one_character(property, value)?,
            "commentPrefix" => self.comment = Some(one_character(property, value)?),
            "trim" => self.trim = flag(value)?,
            "encoding" => {
                self.encoding = Encoding::for_label(value.trim().as_bytes()).ok_or_else(|| {
                    format!(
                        "encoding {value:?} is not a known label (e.g. UTF-8, windows-1252, ISO-8859-15)"
                    )
                })?;
            }
            // The defaults, which some mappings spell out.
            "header" | "doubleQuote" if flag(value)? => {}
            "headerRowCount" if value.trim() == "1" => {}
            "header" => {
                return Err(
                    "header false is not supported: the first row must name the columns".into(),
                );
            }
            "headerRowCount" => {
                return Err(format!(
                    "headerRowCount {value:?} is not supported: one header row names the columns"
                ));
            }
            "doubleQuote" => {
                return Err(
                    "doubleQuote false is not supported: quotes are escaped by doubling".into(),
                );
            }
            other => {
                return Err(format!(
                    "csvw:{other} is not supported (supported: {PROPERTIES})"
                ));
            }
        }
        Ok(())
    }
}

fn one_character(property: &str, value: &str) -> Result<u8, String> {
    match value.as_bytes() {
        [b] if b.is_ascii() && !matches!(b, b'\n' | b'\r') => Ok(*b),
        _ => Err(format!(
            "{property} {value:?} must be one ASCII character other than a line break"
        )),
    }
}

/// The delimiter and encoding of CSV files as said where the files are named (a dataset in
/// vitrine.toml, `vitrine map --delimiter --encoding`): they win over the mapping's dialect.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CsvOptions {
    pub delimiter: Option<u8>,
    pub encoding: Option<&'static Encoding>,
}

impl CsvOptions {
    /// Checks the options as written; the errors name the offending value.
    pub fn parse(delimiter: Option<&str>, encoding: Option<&str>) -> Result<Self, String> {
        let dialect = CsvDialect::parse(delimiter, encoding)?;
        Ok(Self {
            delimiter: delimiter.map(|_| dialect.delimiter),
            encoding: encoding.map(|_| dialect.encoding),
        })
    }

    pub fn apply(&self, dialect: &mut CsvDialect) {
        if let Some(delimiter) = self.delimiter {
            dialect.delimiter = delimiter;
        }
        if let Some(encoding) = self.encoding {
            dialect.encoding = encoding;
        }
    }
}
