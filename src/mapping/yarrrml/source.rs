//! YARRRML sources — `[file~csv]`, `[file~jsonpath, iterator]`, the long form with `access` and
//! `referenceFormulation`, and names of sources declared under the top-level `sources` key.

use super::super::model::{CsvDialect, Formulation, LogicalSource};
use super::value::split_suffix;
use super::{Doc, check_keys, get, scalar};
use yaml_rust2::Yaml;

/// Reference formulations YARRRML names; the model reads only some of them so far.
const FORMULATIONS: &[&str] = &["csv", "jsonpath", "xpath", "dwca"];

impl Doc<'_> {
    /// The `sources` of a mapping: one source or a list of them. A list of two strings where
    /// the second is neither a source nor a named one is a single shortcut `[file, iterator]`.
    ///
    /// An error comes with the position of the faulty source in the list, if any (`[2]`).
    pub(super) fn mapping_sources(
        &self,
        yaml: &Yaml,
    ) -> Result<Vec<LogicalSource>, (String, String)> {
        let whole = |m: String| (String::new(), m);
        match yaml {
            Yaml::Array(items) if items.is_empty() => Err(whole("is an empty list".into())),
            Yaml::Array(items) => {
                let single = match items.as_slice() {
                    [Yaml::String(_), Yaml::String(iterator)] => {
                        !self.sources.contains_key(iterator)
                            && split_suffix(iterator, FORMULATIONS).1.is_none()
                    }
                    _ => false,
                };
                if single {
                    return Ok(vec![self.source(yaml).map_err(whole)?]);
                }
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.source(item).map_err(|m| (format!("[{}]", i + 1), m)))
                    .collect()
            }
            other => Ok(vec![self.source(other).map_err(whole)?]),
        }
    }

    /// One source: a declared name, `file~formulation`, `[file~formulation, iterator]`, or
    /// `{access, referenceFormulation, iterator}`.
    pub(super) fn source(&self, yaml: &Yaml) -> Result<LogicalSource, String> {
        match yaml {
            Yaml::String(name) if self.sources.contains_key(name) => Ok(self.sources[name].clone()),
            Yaml::String(shortcut) => self.shortcut(shortcut, None),
            Yaml::Array(items) => match items.as_slice() {
                [Yaml::String(name)] if self.sources.contains_key(name) => {
                    Ok(self.sources[name].clone())
                }
                [Yaml::String(shortcut)] => self.shortcut(shortcut, None),
                [Yaml::String(shortcut), iterator] => {
                    let iterator = scalar(iterator).ok_or("the iterator must be a string")?;
                    self.shortcut(shortcut, Some(iterator))
                }
                _ => Err(
                    "a source must be [file~formulation] or [file~formulation, iterator]".into(),
                ),
            },
            Yaml::Hash(hash) => {
                check_keys(
                    hash,
                    &[
                        "access",
                        "referenceFormulation",
                        "iterator",
                        "null",
                        "delimiter",
                        "encoding",
                    ],
                )?;
                let string = |aliases: &[&'static str]| -> Result<Option<String>, String> {
                    match get(hash, aliases)? {
                        Some((key, v)) => scalar(v)
                            .map(Some)
                            .ok_or_else(|| format!("`{key}` must be a string")),
                        None => Ok(None),
                    }
                };
                let access = string(&["access"])?.ok_or("has no `access` (the file to read)")?;
                let formulation = string(&["referenceFormulation"])?;
                let nulls = match get(hash, &["null"])? {
                    None => Vec::new(),
                    Some((_, Yaml::Array(values))) => values
                        .iter()
                        .map(|v| scalar(v).ok_or("`null` must be a string or a list of strings"))
                        .collect::<Result<_, _>>()?,
                    Some((_, v)) => {
                        vec![scalar(v).ok_or("`null` must be a string or a list of strings")?]
                    }
                };
                let dialect = CsvDialect::parse(
                    string(&["delimiter"])?.as_deref(),
                    string(&["encoding"])?.as_deref(),
                )?;
                let mut source = self.logical_source(
                    &access,
                    formulation.as_deref(),
                    string(&["iterator"])?,
                    nulls,
                )?;
                source.dialect = dialect;
                Ok(source)
            }
            _ => Err(
                "a source must be a name, [file~formulation, iterator] or a mapping with `access`"
                    .into(),
            ),
        }
    }

    fn shortcut(&self, text: &str, iterator: Option<String>) -> Result<LogicalSource, String> {
        let (file, formulation) = split_suffix(text, FORMULATIONS);
        self.logical_source(file, formulation, iterator, Vec::new())
    }

    /// Builds the logical source; without a formulation, the file's extension tells it.
    fn logical_source(
        &self,
        file: &str,
        formulation: Option<&str>,
        iterator: Option<String>,
        nulls: Vec<String>,
    ) -> Result<LogicalSource, String> {
        if file.is_empty() {
            return Err("the source names no file".into());
        }
        let name = match formulation {
            // Full or prefixed IRIs: ql:CSV, rml:JSONPath, http://semweb.mmlab.be/ns/ql#XPath.
            Some(f) => f
                .rsplit([':', '#', '/'])
                .next()
                .unwrap_or(f)
                .to_ascii_lowercase(),
            None => match file.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()) {
                Some(e) if e == "csv" => "csv".into(),
                Some(e) if matches!(e.as_str(), "json" | "jsonl" | "ndjson") => "jsonpath".into(),
                Some(e) if e == "zip" => "dwca".into(),
                // A Darwin Core Archive's descriptor: the archive is read through it.
                Some(_) if file.rsplit('/').next() == Some("meta.xml") => "dwca".into(),
                Some(e) if e == "xml" => "xpath".into(),
                _ => {
                    return Err(format!(
                        "cannot tell how to read `{file}`: write `{file}~csv`, `~jsonpath` or `~xpath`"
                    ));
                }
            },
        };
        let formulation = match name.as_str() {
            "csv" => Formulation::Csv,
            "jsonpath" => Formulation::JsonPath,
            "xpath" => Formulation::XPath,
            "dwca" | "darwincore" | "darwincorearchive" => Formulation::DarwinCore,
            other => {
                return Err(format!(
                    "unknown reference formulation `{other}` (known: csv, jsonpath, xpath, dwca)"
                ));
            }
        };
        Ok(LogicalSource {
            path: (self.resolve)(file),
            formulation,
            iterator,
            nulls,
            // YARRRML has no syntax for XPath namespaces; prefixed XPaths use the document's
            // own declarations.
            namespaces: Vec::new(),
            dialect: CsvDialect::default(),
        })
    }
}
