//! XML logical sources (`rml:XPath`): library and archive exports (OAI-DC, SRU, EAD…) are XML.
//!
//! `rml:iterator` is an XPath 1.0 expression selecting the record nodes; every reference is an
//! XPath expression evaluated with the record node as context (`title`, `@id`, `dc:title`,
//! `route/stop/@id`); a node-set gives one value per node, its string value.
//!
//! Harvested files are large, so when the iterator is a plain absolute path (`/a/p:b/c`, no
//! predicates, no `//`) the file is streamed with quick-xml: each record element is cut out with
//! the namespace declarations in scope and only that fragment is parsed, so memory stays bounded
//! (references then cannot look above the record). Any other iterator falls back to parsing the
//! whole document with sxd-document.
//!
//! Prefixes are those of `rml:namespace`; a prefix the mapping does not declare falls back to the
//! document's own declaration in scope at the record, so `dc:title` works on an OAI-DC file
//! without ceremony.

use super::{Record, Records, Values};
use crate::mapping::error::{Error, RecordError, RecordPosition, panic_message};
use crate::mapping::model::LogicalSource;
use quick_xml::events::{BytesStart, Event};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::sync::Arc;
use sxd_document::dom;
use sxd_xpath::nodeset::Node;
use sxd_xpath::{Context, Factory, Value, XPath};

/// The values of every reference of the mapping in one record, computed when it is read.
struct XmlRecord {
    values: HashMap<String, Vec<String>>,
    position: RecordPosition,
}

impl Record for XmlRecord {
    fn values(&self, reference: &str) -> Result<Values<'_>, String> {
        Ok(self
            .values
            .get(reference)
            .map(|v| v.iter().map(|s| Cow::Borrowed(s.as_str())).collect())
            .unwrap_or_default())
    }

    fn position(&self) -> &RecordPosition {
        &self.position
    }
}

/// The compiled references of a source and what every record evaluation needs.
struct Queries {
    references: Vec<(String, XPath)>,
    /// `rml:namespace` declarations; they win over the document's.
    namespaces: Vec<(String, String)>,
    nulls: Vec<String>,
}

impl Queries {
    /// An evaluation context knowing the mapping's prefixes, then the document's `in_scope` ones.
    fn context<'d>(&self, in_scope: &[(String, String)]) -> Context<'d> {
        let mut context = Context::new();
        for (prefix, uri) in in_scope.iter().chain(&self.namespaces) {
            context.set_namespace(prefix, uri);
        }
        context
    }

    /// Evaluates every reference on `node`; `Err` names the reference the XPath library
    /// failed on.
    fn evaluate<'d>(
        &self,
        context: &Context<'d>,
        node: Node<'d>,
    ) -> Result<HashMap<String, Vec<String>>, (String, String)> {
        let mut values = HashMap::with_capacity(self.references.len());
        for (reference, xpath) in &self.references {
            let found: Vec<String> = match evaluate(xpath, context, node) {
                Ok(Ok(Value::Nodeset(nodes))) => string_values(nodes.document_order()),
                Ok(Ok(other)) => vec![other.into_string()],
                // Unknown function: no value, like a missing element.
                Ok(Err(_)) => Vec::new(),
                Err(message) => return Err((reference.clone(), message)),
            };
            let found: Vec<String> = found
                .into_iter()
                .filter(|v| !v.is_empty() && !self.nulls.contains(v))
                .collect();
            values.insert(reference.clone(), found);
        }
        Ok(values)
    }
}

/// Evaluates `xpath`, turning a panic of sxd-xpath into an error: it panics on a name test
/// whose prefix nothing declares (`q:b` when neither `rml:namespace` nor the document binds
/// `q`), which a mapping can only find out on a real export.
fn evaluate<'d>(
    xpath: &XPath,
    context: &Context<'d>,
    node: Node<'d>,
) -> Result<Result<Value<'d>, sxd_xpath::ExecutionError>, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        xpath.evaluate(context, node)
    }))
    .map_err(|panic| {
        let what = panic_message(panic.as_ref());
        format!(
            "the XPath cannot be evaluated here ({what}): is a namespace prefix declared \
                 neither by the mapping (rml:namespace) nor by the document?"
        )
    })
}

/// One value per node; adjacent text nodes (split by sxd at entities and CDATA sections) are one
/// text node in the XPath data model, so they give one value. (sxd lists preceding siblings
/// nearest first.)
fn string_values(nodes: Vec<Node<'_>>) -> Vec<String> {
    let mut values: Vec<String> = Vec::with_capacity(nodes.len());
    let mut last_text: Option<Node<'_>> = None;
    for node in nodes {
        let is_text = matches!(node, Node::Text(_));
        let follows_last = last_text.is_some()
            && is_text
            && node.preceding_siblings().first().copied() == last_text;
        match values.last_mut() {
            Some(value) if follows_last => value.push_str(&node.string_value()),
            _ => values.push(node.string_value()),
        }
        last_text = is_text.then_some(node);
    }
    values
}

/// Compiles an XPath expression, accepting the `element@attribute` shorthand some RML tools
/// write for `element/@attribute`.
fn compile(expression: &str) -> Result<XPath, String> {
    let factory = Factory::new();
    let built = match factory.build(expression) {
        Ok(built) => built,
        Err(e) => {
            let shorthand = expression
                .rsplit_once('@')
                .filter(|(before, after)| {
                    !before.is_empty()
                        && !before.ends_with(['/', '@', '['])
                        && !after.is_empty()
                        && after
                            .chars()
                            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'))
                })
                .and_then(|(before, after)| factory.build(&format!("{before}/@{after}")).ok());
            match shorthand {
                Some(built) => built,
                None => return Err(e.to_string()),
            }
        }
    };
    built.ok_or_else(|| "empty expression".to_owned())
}

/// The prefixes declared on and above `element`, as (prefix, IRI).
fn in_scope(element: dom::Element<'_>) -> Vec<(String, String)> {
    element
        .namespaces_in_scope()
        .iter()
        .filter(|ns| ns.prefix() != "xml")
        .map(|ns| (ns.prefix().to_owned(), ns.uri().to_owned()))
        .collect()
}

pub(super) fn open(
    source: &LogicalSource,
    triples_map: &str,
    references: &[&str],
) -> Result<Records, Error> {
    let source_error = super::source_error(source, triples_map);
    let iterator = source.iterator.as_deref().unwrap_or("/*").trim();
    let mut compiled = Vec::with_capacity(references.len());
    for reference in references {
        let xpath = compile(reference).map_err(|e| {
            source_error(format!("reference `{reference}` is not a valid XPath: {e}"))
        })?;
        compiled.push(((*reference).to_owned(), xpath));
    }
    let queries = Queries {
        references: compiled,
        namespaces: source.namespaces.clone(),
        nulls: source.nulls.clone(),
    };
    let file = File::open(&source.path).map_err(|e| source_error(e.to_string()))?;
    if let Some(steps) = simple_path(iterator) {
        let mut reader = quick_xml::Reader::from_reader(BufReader::new(file));
        reader.config_mut().expand_empty_elements = false;
        // A mismatched end tag inside a record (`<title>…</titel>`) is that record's error,
        // found when the cut-out record is parsed; checked here, it would end the file.
        reader.config_mut().check_end_names = false;
        // So is a bare `&` (`Dupont & fils`), which sxd refuses in the record alone.
        reader.config_mut().allow_dangling_amp = true;
        return Ok(Box::new(Stream {
            reader,
            buf: Vec::new(),
            steps,
            stack: Vec::new(),
            queries,
            path: source.path.as_path().into(),
            record: 0,
            done: false,
            context: RefCell::new(None),
        }));
    }
    let xpath = compile(iterator).map_err(|e| {
        source_error(format!(
            "rml:iterator `{iterator}` is not a valid XPath: {e}"
        ))
    })?;
    let text = std::io::read_to_string(file).map_err(|e| source_error(e.to_string()))?;
    let package = sxd_document::parser::parse(&text)
        .map_err(|e| source_error(format!("not well-formed XML: {e}")))?;
    let document = package.as_document();
    let top = document
        .root()
        .children()
        .into_iter()
        .find_map(|c| c.element())
        .ok_or_else(|| source_error("the document has no element".into()))?;
    let context = queries.context(&in_scope(top));
    // A relative iterator (`country`) reads from the document element, as RML tools do.
    let start: Node<'_> = if iterator.starts_with('/') {
        document.root().into()
    } else {
        top.into()
    };
    let nodes = match evaluate(&xpath, &context, start)
        .map_err(|e| source_error(format!("rml:iterator `{iterator}`: {e}")))?
    {
        Ok(Value::Nodeset(nodes)) => nodes.document_order(),
        Ok(_) => {
            return Err(source_error(format!(
                "rml:iterator `{iterator}` does not select nodes"
            )));
        }
        Err(e) => {
            return Err(source_error(format!(
                "rml:iterator `{iterator}` cannot be evaluated: {e}"
            )));
        }
    };
    let mut records = Vec::with_capacity(nodes.len());
    for (i, node) in nodes.into_iter().enumerate() {
        let element = node
            .element()
            .or_else(|| node.parent().and_then(Node::element));
        let context = match element {
            Some(e) => queries.context(&in_scope(e)),
            None => queries.context(&[]),
        };
        let position = RecordPosition {
            source: source.path.as_path().into(),
            record: i as u64 + 1,
        };
        records.push(match queries.evaluate(&context, node) {
            Ok(values) => Ok(Box::new(XmlRecord { values, position }) as Box<dyn Record + Send>),
            Err((reference, message)) => Err(RecordError {
                position,
                field: Some(reference),
                message,
            }),
        });
    }
    Ok(Box::new(records.into_iter()))
}

/// One step of a streamable iterator: an optional prefix and a local name or `*`.
#[derive(Debug, PartialEq)]
struct Step {
    prefix: Option<String>,
    local: String,
}

/// The steps of `/a/p:b/c` when the iterator is such a plain absolute child path.
fn simple_path(iterator: &str) -> Option<Vec<Step>> {
    let rest = iterator.strip_prefix('/')?;
    let name_ok = |s: &str| {
        s == "*"
            || (s
                .chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_')
                && s.chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.')))
    };
    rest.split('/')
        .map(|step| {
            let (prefix, local) = match step.split_once(':') {
                Some((p, l)) => (Some(p), l),
                None => (None, step),
            };
            let ok = name_ok(local) && prefix.is_none_or(|p| p != "*" && name_ok(p));
            ok.then(|| Step {
                prefix: prefix.map(str::to_owned),
                local: local.to_owned(),
            })
        })
        .collect()
}

/// An open element while streaming, above the records.
struct Frame {
    /// Namespace declarations on this element: (prefix, IRI), `""` for the default namespace.
    declarations: Vec<(String, String)>,
    /// Whether this element and its ancestors match the first steps of the iterator.
    on_path: bool,
}

/// Namespace bindings as (prefix, IRI).
type Prefixes = Vec<(String, String)>;

/// A record element cut out as a document of its own (bytes: a record that is not UTF-8 is
/// that record's error, not the file's), and the prefixes in scope there.
type Fragment = (Vec<u8>, Prefixes);

/// Streams the records of an XML file whose iterator is a [`simple_path`].
struct Stream {
    reader: quick_xml::Reader<BufReader<File>>,
    buf: Vec<u8>,
    steps: Vec<Step>,
    stack: Vec<Frame>,
    queries: Queries,
    path: Arc<Path>,
    record: u64,
    done: bool,
    /// The evaluation context of the last record and the prefixes it was built for.
    context: RefCell<Option<(Prefixes, Context<'static>)>>,
}

impl Iterator for Stream {
    type Item = Result<Box<dyn Record + Send>, RecordError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.next_fragment() {
            Ok(Some((fragment, in_scope))) => {
                self.record += 1;
                Some(self.record_of(&fragment, &in_scope))
            }
            Ok(None) => {
                self.done = true;
                None
            }
            Err(message) => {
                // The rest of a malformed file cannot be trusted: report once and stop.
                self.done = true;
                self.record += 1;
                Some(Err(RecordError {
                    position: self.here(),
                    field: None,
                    message,
                }))
            }
        }
    }
}

impl Stream {
    fn here(&self) -> RecordPosition {
        RecordPosition {
            source: Arc::clone(&self.path),
            record: self.record,
        }
    }

    /// Parses one cut-out record and evaluates the references on its element.
    fn record_of(
        &self,
        fragment: &[u8],
        in_scope: &[(String, String)],
    ) -> Result<Box<dyn Record + Send>, RecordError> {
        let fragment = std::str::from_utf8(fragment).map_err(|e| RecordError {
            position: self.here(),
            field: None,
            message: format!("record element is not UTF-8: {e}"),
        })?;
        let package = sxd_document::parser::parse(fragment).map_err(|e| RecordError {
            position: self.here(),
            field: None,
            message: format!("record element is not well-formed XML: {e}"),
        })?;
        let document = package.as_document();
        let element = document
            .root()
            .children()
            .into_iter()
            .find_map(|c| c.element());
        let values = match element {
            Some(element) => {
                // Building a context registers every XPath function: reuse it while the
                // prefixes in scope stay the same, as they do from record to record.
                let mut cached = self.context.borrow_mut();
                if cached.as_ref().is_none_or(|(scope, _)| scope != in_scope) {
                    *cached = Some((in_scope.to_vec(), self.queries.context(in_scope)));
                }
                let (_, context) = cached.as_ref().expect("set above");
                self.queries
                    .evaluate(context, element.into())
                    .map_err(|(reference, message)| RecordError {
                        position: self.here(),
                        field: Some(reference),
                        message,
                    })?
            }
            None => HashMap::new(),
        };
        Ok(Box::new(XmlRecord {
            values,
            position: self.here(),
        }))
    }

    /// Namespace declarations in scope, outermost first (inner ones override when collected).
    fn declarations(&self, own: &[(String, String)]) -> Vec<(String, String)> {
        let mut all: Vec<(String, String)> = Vec::new();
        for (prefix, uri) in self.stack.iter().flat_map(|f| &f.declarations).chain(own) {
            all.retain(|(p, _)| p != prefix);
            all.push((prefix.clone(), uri.clone()));
        }
        all
    }

    /// Reads up to the next record element and returns it as a standalone document, with the
    /// prefixes in scope there (default namespace excluded).
    fn next_fragment(&mut self) -> Result<Option<Fragment>, String> {
        loop {
            self.buf.clear();
            let event = self
                .reader
                .read_event_into(&mut self.buf)
                .map_err(|e| malformed(&self.reader, &e))?;
            let (start, empty) = match event {
                Event::Start(start) => (start.into_owned(), false),
                Event::Empty(start) => (start.into_owned(), true),
                Event::End(_) => {
                    self.stack.pop();
                    continue;
                }
                Event::Eof => return Ok(None),
                _ => continue,
            };
            let own = declarations_of(&start);
            let depth = self.stack.len();
            let parent_on_path = self.stack.last().is_none_or(|f| f.on_path);
            let on_path = parent_on_path
                && depth < self.steps.len()
                && self.matches(&self.steps[depth], &start, &own);
            if on_path && depth + 1 == self.steps.len() {
                let scope = self.declarations(&own);
                let fragment = self.cut(start, empty, &scope)?;
                let prefixes = scope.into_iter().filter(|(p, _)| !p.is_empty()).collect();
                return Ok(Some((fragment, prefixes)));
            }
            if !empty {
                self.stack.push(Frame {
                    declarations: own,
                    on_path,
                });
            }
        }
    }

    /// Whether the element `start` matches `step`, prefixes resolved by the mapping first, then
    /// by the document.
    fn matches(&self, step: &Step, start: &BytesStart<'_>, own: &[(String, String)]) -> bool {
        let name = start.name();
        if step.local != "*" && name.local_name().as_ref() != step.local.as_bytes() {
            return false;
        }
        let scope = self.declarations(own);
        let resolve = |prefix: &str| -> Option<&str> {
            scope
                .iter()
                .rev()
                .find(|(p, _)| p == prefix)
                .map(|(_, uri)| uri.as_str())
                .filter(|uri| !uri.is_empty())
        };
        let element_prefix = name
            .prefix()
            .map(|p| String::from_utf8_lossy(p.as_ref()).into_owned())
            .unwrap_or_default();
        let element_ns = resolve(&element_prefix);
        let step_ns = match &step.prefix {
            // XPath 1.0: an unprefixed name test is in no namespace.
            None => None,
            Some(prefix) => self
                .queries
                .namespaces
                .iter()
                .find(|(p, _)| p == prefix)
                .map(|(_, uri)| uri.as_str())
                .or_else(|| resolve(prefix.as_str()))
                .or(Some("")),
        };
        element_ns == step_ns
    }

    /// Copies the record element starting with `start` up to its end tag into a document of its
    /// own, declaring on it the namespaces in `scope`.
    fn cut(
        &mut self,
        start: BytesStart<'static>,
        empty: bool,
        scope: &[(String, String)],
    ) -> Result<Vec<u8>, String> {
        let own = declarations_of(&start);
        let mut root = start;
        for (prefix, uri) in scope {
            if own.iter().any(|(p, _)| p == prefix) {
                continue;
            }
            let key = if prefix.is_empty() {
                "xmlns".to_owned()
            } else {
                format!("xmlns:{prefix}")
            };
            root.push_attribute((key.as_str(), uri.as_str()));
        }
        let mut writer = quick_xml::Writer::new(Vec::new());
        let write_error = |e: std::io::Error| e.to_string();
        if empty {
            writer
                .write_event(Event::Empty(root))
                .map_err(write_error)?;
        } else {
            writer
                .write_event(Event::Start(root))
                .map_err(write_error)?;
            let mut depth = 1usize;
            while depth > 0 {
                self.buf.clear();
                let event = self
                    .reader
                    .read_event_into(&mut self.buf)
                    .map_err(|e| malformed(&self.reader, &e))?;
                match &event {
                    Event::Start(_) => depth += 1,
                    Event::End(_) => depth -= 1,
                    Event::Eof => return Err("unexpected end of file inside a record".into()),
                    Event::Decl(_) | Event::DocType(_) => continue,
                    _ => {}
                }
                writer.write_event(event).map_err(write_error)?;
            }
        }
        Ok(writer.into_inner())
    }
}

fn malformed(reader: &quick_xml::Reader<BufReader<File>>, error: &quick_xml::Error) -> String {
    format!(
        "malformed XML at byte {}: {error}",
        reader.buffer_position()
    )
}

/// The `xmlns` / `xmlns:p` attributes of an element, as (prefix, IRI), `""` for the default.
fn declarations_of(start: &BytesStart<'_>) -> Vec<(String, String)> {
    start
        .attributes()
        .flatten()
        .filter_map(|attr| {
            let key = attr.key.as_ref();
            let prefix = if key == b"xmlns" {
                String::new()
            } else {
                String::from_utf8_lossy(key.strip_prefix(b"xmlns:")?).into_owned()
            };
            let uri = attr.unescape_value().ok()?.into_owned();
            Some((prefix, uri))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::model::Formulation;

    #[test]
    fn simple_paths_are_streamed_others_not() {
        let steps = simple_path("/srw:records/srw:record").unwrap();
        assert_eq!(steps.len(), 2);
        assert_eq!(steps[1].prefix.as_deref(), Some("srw"));
        assert_eq!(steps[1].local, "record");
        assert!(simple_path("/a/*/c").is_some());
        for not_simple in ["a/b", "//a", "/a//b", "/a/b[1]", "/a/@id", "/", "/a/text()"] {
            assert!(simple_path(not_simple).is_none(), "{not_simple}");
        }
    }

    #[test]
    fn attribute_shorthand_is_accepted() {
        assert!(compile("neighbor@name").is_ok());
        assert!(compile("@name").is_ok());
        assert!(compile("a[").is_err());
        assert!(compile("").is_err());
    }

    fn records(text: &str, iterator: &str, references: &[&str]) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.xml");
        std::fs::write(&path, text).unwrap();
        let source = LogicalSource {
            path,
            formulation: Formulation::XPath,
            iterator: Some(iterator.to_owned()),
            nulls: vec!["-".to_owned()],
            namespaces: vec![("x".to_owned(), "urn:x".to_owned())],
            dialect: Default::default(),
        };
        open(&source, "tm", references)
            .unwrap()
            .map(|r| match r {
                Ok(r) => {
                    let values: Vec<String> = references
                        .iter()
                        .map(|reference| r.values(reference).unwrap().join("|"))
                        .collect();
                    format!("{}:{}", r.position().record, values.join(","))
                }
                Err(e) => format!("{}!{}", e.position.record, e.message),
            })
            .collect()
    }

    #[test]
    fn an_undeclared_prefix_fails_the_record_not_the_run() {
        // Found by the `source_xml` fuzz target: sxd-xpath panics on `q:b` when nothing binds
        // `q`, which aborted `vitrine map`.
        let got = records("<a><b/></a>", "/a", &["q:b"]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].starts_with("1!") && got[0].contains("namespace prefix"),
            "{got:?}"
        );
        let got = records("<r><a/><a><c/></a></r>", "/r/a[c]", &["q:b"]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].contains("namespace prefix"), "{got:?}");
        // In the iterator, it is the source's error.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.xml");
        std::fs::write(&path, "<a><b/></a>").unwrap();
        let source = LogicalSource {
            path,
            formulation: Formulation::XPath,
            iterator: Some("/a[q:b]".to_owned()),
            nulls: Vec::new(),
            namespaces: Vec::new(),
            dialect: Default::default(),
        };
        let error = open(&source, "tm", &[]).err().unwrap().to_string();
        assert!(error.contains("rml:iterator `/a[q:b]`"), "{error}");
    }

    #[test]
    fn streaming_and_whole_document_agree() {
        let text = r#"<?xml version="1.0"?>
            <r xmlns="urn:x" xmlns:d="urn:d"><it n="1"><d:v>a</d:v><d:v>b</d:v><d:v>-</d:v></it>
            <it n="2"><![CDATA[<c>]]>&lt;e&gt;</it><other/><it n="3"/></r>"#;
        let refs = ["@n", "d:v", "text()", "string(@n)"];
        let streamed = records(text, "/x:r/x:it", &refs);
        assert_eq!(streamed, ["1:1,a|b,,1", "2:2,,<c><e>,2", "3:3,,,3"]);
        assert_eq!(records(text, "/x:r/x:it[@n]", &refs), streamed);
        // No namespace on the step: XPath 1.0 does not use the default namespace.
        assert!(records(text, "/r/it", &refs).is_empty());
    }

    #[test]
    fn root_element_as_the_record() {
        let text = "<a xmlns:p=\"urn:p\"><p:b>1</p:b></a>";
        assert_eq!(records(text, "/a", &["p:b"]), ["1:1"]);
        assert_eq!(records(text, "/*", &["p:b"]), ["1:1"]);
    }
}
