//! Reads YARRRML mappings into the same [`Mapping`] model as RML, so that the executor does not
//! know which syntax the publisher wrote.
//!
//! YARRRML is the YAML syntax most people write mappings in; its shortcuts (`[p, o, en~lang]`,
//! `$(ref)` templates, named sources) are desugared here, the way the reference yarrrml-parser
//! turns them into RML. Each mapping becomes one triples map per source and subject. Errors name
//! the file, the mapping and the key, e.g. `mappings.objects.po[3]` (positions count from 1,
//! like the RML reader's).

mod po;
mod source;
mod value;

use super::error::Error;
use super::model::{LogicalSource, Mapping, ObjectMap, PredicateObjectMap, SubjectMap, TermMap};
use super::rml::SourceResolver;
use po::{Object, Pom};
use std::collections::HashMap;
use std::path::Path;
use value::{Position, Spec};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;
use yaml_rust2::{Yaml, YamlLoader, yaml::Hash};

/// Prefixes every YARRRML document may use without declaring them (those of the reference
/// yarrrml-parser, plus the Dublin Core and OWL ones); a declared prefix overrides them.
const DEFAULT_PREFIXES: &[(&str, &str)] = &[
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("schema", "http://schema.org/"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("dc", "http://purl.org/dc/elements/1.1/"),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("void", "http://rdfs.org/ns/void#"),
    ("rr", "http://www.w3.org/ns/r2rml#"),
    ("rml", "http://semweb.mmlab.be/ns/rml#"),
    ("ql", "http://semweb.mmlab.be/ns/ql#"),
    ("fnml", "http://semweb.mmlab.be/ns/fnml#"),
    ("fno", "https://w3id.org/function/ontology#"),
    ("grel", "http://users.ugent.be/~bjdmeest/function/grel.ttl#"),
    ("idlab-fn", "http://example.com/idlab/function/"),
];

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

/// The most nodes a document may hold once its aliases are expanded. The YAML loader copies the
/// anchored node at every alias, so a few hundred bytes of nested aliases would expand to
/// gigabytes (found by the yarrrml fuzz target); a real mapping holds a few thousand nodes.
const MAX_NODES: u64 = 1_000_000;

/// Parses the YARRRML mapping in `text`, read from `path`.
pub fn parse(text: &str, path: &Path, resolve: &SourceResolver<'_>) -> Result<Mapping, Error> {
    let fail = |message: String| Error::Yarrrml {
        path: path.to_owned(),
        message,
    };
    check_expansion(text).map_err(fail)?;
    let documents = YamlLoader::load_from_str(text).map_err(|e| fail(e.to_string()))?;
    let root = match documents.as_slice() {
        [Yaml::Hash(root)] => root,
        [] => return Err(fail("the document is empty".into())),
        [_] => {
            return Err(fail(
                "the document must be a YAML mapping with a `mappings` key".into(),
            ));
        }
        _ => return Err(fail("holds more than one YAML document".into())),
    };
    let mut doc = Doc {
        path,
        resolve,
        prefixes: DEFAULT_PREFIXES
            .iter()
            .map(|(p, ns)| ((*p).to_owned(), (*ns).to_owned()))
            .collect(),
        base: None,
        sources: HashMap::new(),
    };
    check_keys(
        root,
        &[
            "prefixes", "base", "sources", "mappings", "mapping", "m", "authors",
        ],
    )
    .map_err(fail)?;
    if let Some((key, prefixes)) = get(root, &["prefixes"]).map_err(fail)? {
        let Yaml::Hash(prefixes) = prefixes else {
            return Err(fail(format!("`{key}` must map prefixes to namespace IRIs")));
        };
        for (prefix, namespace) in prefixes {
            match (scalar(prefix), scalar(namespace)) {
                (Some(p), Some(ns)) => doc.prefixes.insert(p, ns),
                _ => return Err(fail(format!("`{key}` must map prefixes to namespace IRIs"))),
            };
        }
    }
    if let Some((key, base)) = get(root, &["base"]).map_err(fail)? {
        let base = scalar(base)
            .filter(|b| oxigraph::model::NamedNode::new(b).is_ok())
            .ok_or_else(|| fail(format!("`{key}` must be an absolute IRI")))?;
        doc.base = Some(base);
    }
    if let Some((key, sources)) = get(root, &["sources"]).map_err(fail)? {
        let Yaml::Hash(sources) = sources else {
            return Err(fail(format!("`{key}` must map source names to sources")));
        };
        for (name, def) in sources {
            let name = scalar(name)
                .ok_or_else(|| fail(format!("`{key}` must map source names to sources")))?;
            let source = doc
                .source(def)
                .map_err(|m| fail(format!("`{key}.{name}`: {m}")))?;
            doc.sources.insert(name, source);
        }
    }
    let (key, mappings) = get(root, &["mappings", "mapping", "m"])
        .map_err(fail)?
        .ok_or_else(|| fail("has no `mappings`".into()))?;
    let Yaml::Hash(mappings) = mappings else {
        return Err(fail(format!("`{key}` must map mapping names to mappings")));
    };
    if mappings.is_empty() {
        return Err(fail(format!("`{key}` is empty")));
    }
    doc.mappings(key, mappings)
}

/// Counts the nodes of `text` with its aliases expanded, without expanding them; what does
/// not parse is left for the loader to report.
fn check_expansion(text: &str) -> Result<(), String> {
    #[derive(Default)]
    struct Count {
        nodes: u64,
        /// The collections being read: their anchor and the count when they started.
        open: Vec<(usize, u64)>,
        /// Expanded size of each anchored node.
        sizes: HashMap<usize, u64>,
    }
    impl MarkedEventReceiver for Count {
        fn on_event(&mut self, event: Event, _: Marker) {
            match event {
                Event::Scalar(_, _, anchor, _) => {
                    self.nodes = self.nodes.saturating_add(1);
                    if anchor > 0 {
                        self.sizes.insert(anchor, 1);
                    }
                }
                Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                    self.nodes = self.nodes.saturating_add(1);
                    self.open.push((anchor, self.nodes));
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    if let Some((anchor, start)) = self.open.pop() {
                        if anchor > 0 {
                            self.sizes.insert(anchor, self.nodes - start + 1);
                        }
                    }
                }
                Event::Alias(anchor) => {
                    let size = self.sizes.get(&anchor).copied().unwrap_or(1);
                    self.nodes = self.nodes.saturating_add(size);
                }
                _ => {}
            }
        }
    }
    let mut count = Count::default();
    // The loader copies aliases as the events come, before it meets a later syntax error: the
    // nodes up to an error count too.
    let _ = Parser::new_from_str(text).load(&mut count, true);
    if count.nodes > MAX_NODES {
        return Err(format!(
            "its aliases expand to more than {MAX_NODES} YAML nodes ({})",
            count.nodes
        ));
    }
    Ok(())
}

/// The document-wide settings every mapping reads.
struct Doc<'a> {
    path: &'a Path,
    resolve: &'a SourceResolver<'a>,
    prefixes: HashMap<String, String>,
    base: Option<String>,
    sources: HashMap<String, LogicalSource>,
}

/// A mapping once its sources and subjects are known, before its predicate–objects are.
struct Head<'y> {
    name: String,
    key: String,
    def: &'y Hash,
    sources: Vec<LogicalSource>,
    subjects: Vec<TermMap>,
    graphs: Vec<TermMap>,
    /// Its triples maps, as indices into the mapping being built: one per source and subject.
    maps: Vec<usize>,
}

/// Identifies a key of one mapping, for errors.
pub(super) struct Ctx<'a> {
    doc: &'a Doc<'a>,
    mapping: &'a str,
}

impl Ctx<'_> {
    fn error(&self, key: &str, message: impl Into<String>) -> Error {
        Error::Invalid {
            path: self.doc.path.to_owned(),
            triples_map: self.mapping.to_owned(),
            term: key.to_owned(),
            message: message.into(),
        }
    }

    fn term_map(&self, raw: &str, spec: &Spec<'_>, key: &str) -> Result<TermMap, Error> {
        let expand = |s: &str| self.doc.expand(s, spec.position);
        value::term_map(raw, spec, &expand).map_err(|m| self.error(key, m))
    }

    fn function_term_map(
        &self,
        call: super::model::FunctionCall,
        spec: &Spec<'_>,
        key: &str,
    ) -> Result<TermMap, Error> {
        let expand = |s: &str| self.doc.expand(s, spec.position);
        value::function_term_map(call, spec, &expand).map_err(|m| self.error(key, m))
    }
}

impl Doc<'_> {
    fn mappings(&self, key: &str, mappings: &Hash) -> Result<Mapping, Error> {
        let mut heads = Vec::new();
        let mut count = 0;
        for (name, def) in mappings {
            let Some(name) = scalar(name) else {
                return Err(self.doc_error(key, "mapping names must be strings"));
            };
            let mkey = format!("{key}.{name}");
            let ctx = Ctx {
                doc: self,
                mapping: &name,
            };
            let Yaml::Hash(def) = def else {
                return Err(ctx.error(&mkey, "a mapping must be a YAML mapping with `s` and `po`"));
            };
            let head = self.head(&ctx, &mkey, def, count)?;
            count += head.maps.len();
            heads.push(head);
        }
        let index: HashMap<&str, &Head<'_>> = heads.iter().map(|h| (h.name.as_str(), h)).collect();
        let mut triples_maps = Vec::with_capacity(count);
        for head in &heads {
            let ctx = Ctx {
                doc: self,
                mapping: &head.name,
            };
            let poms = po::predicate_objects(&ctx, &head.key, head.def)?;
            for source in &head.sources {
                for subject in &head.subjects {
                    let predicate_objects = poms
                        .iter()
                        .map(|pom| resolve_pom(&ctx, pom, source, &index))
                        .collect::<Result<_, _>>()?;
                    triples_maps.push(super::model::TriplesMap {
                        name: if head.maps.len() == 1 {
                            head.name.clone()
                        } else {
                            format!("{}[{}]", head.name, triples_maps.len() - head.maps[0] + 1)
                        },
                        source: source.clone(),
                        subject: SubjectMap {
                            term: subject.clone(),
                            classes: Vec::new(),
                            graphs: head.graphs.clone(),
                        },
                        predicate_objects,
                        base_iri: None,
                    });
                }
            }
        }
        Ok(Mapping {
            triples_maps,
            base_iri: self.base.clone(),
        })
    }

    /// Reads the sources, subjects and graphs of a mapping.
    fn head<'y>(
        &self,
        ctx: &Ctx<'_>,
        key: &str,
        def: &'y Hash,
        first: usize,
    ) -> Result<Head<'y>, Error> {
        check_keys(
            def,
            &[
                "sources",
                "source",
                "s",
                "subject",
                "subjects",
                "po",
                "predicateobjects",
                "g",
                "graph",
                "graphs",
                "authors",
            ],
        )
        .map_err(|m| ctx.error(key, m))?;
        let (skey, sources) = get(def, &["sources", "source"])
            .map_err(|m| ctx.error(key, m))?
            .ok_or_else(|| ctx.error(key, "has no `sources`"))?;
        let skey = format!("{key}.{skey}");
        let sources = self
            .mapping_sources(sources)
            .map_err(|(at, m)| ctx.error(&format!("{skey}{at}"), m))?;
        let (subject_key, subjects) = get(def, &["s", "subject", "subjects"])
            .map_err(|m| ctx.error(key, m))?
            .ok_or_else(|| {
                ctx.error(
                    key,
                    "has no `s` (subject); vitrine needs one, e.g. `s: ex:$(id)` or `s: $(id)~blanknode`",
                )
            })?;
        let subject_key = format!("{key}.{subject_key}");
        let subjects = self.terms(ctx, &subject_key, subjects, Position::Subject)?;
        let graphs = match get(def, &["g", "graph", "graphs"]).map_err(|m| ctx.error(key, m))? {
            Some((gkey, graphs)) => {
                self.terms(ctx, &format!("{key}.{gkey}"), graphs, Position::Graph)?
            }
            None => Vec::new(),
        };
        let graphs = normalise_default_graph(graphs);
        let maps = (first..first + sources.len() * subjects.len()).collect();
        Ok(Head {
            name: ctx.mapping.to_owned(),
            key: key.to_owned(),
            def,
            sources,
            subjects,
            graphs,
            maps,
        })
    }

    /// Subjects or graphs: one value or a list of them, each `value~type` or `{value, type}`.
    fn terms(
        &self,
        ctx: &Ctx<'_>,
        key: &str,
        yaml: &Yaml,
        position: Position,
    ) -> Result<Vec<TermMap>, Error> {
        let items: Vec<(String, &Yaml)> = match yaml {
            Yaml::Array(items) if !items.is_empty() => items
                .iter()
                .enumerate()
                .map(|(i, y)| (format!("{key}[{}]", i + 1), y))
                .collect(),
            Yaml::Array(_) => return Err(ctx.error(key, "is an empty list")),
            other => vec![(key.to_owned(), other)],
        };
        items
            .into_iter()
            .map(|(key, item)| po::term(ctx, &key, item, position))
            .collect()
    }

    /// Expands a prefixed name at the start of `text` (`ex:$(id)` → `http://ex.org/$(id)`);
    /// `a` as a predicate is `rdf:type`.
    fn expand(&self, text: &str, position: Position) -> String {
        if text == "a" && position == Position::Predicate {
            return RDF_TYPE.to_owned();
        }
        if let Some((prefix, local)) = text.split_once(':') {
            let is_name = prefix
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
            if is_name && !local.starts_with("//") {
                if let Some(namespace) = self.prefixes.get(prefix) {
                    return format!("{namespace}{local}");
                }
            }
        }
        text.to_owned()
    }

    fn doc_error(&self, key: &str, message: &str) -> Error {
        Error::Yarrrml {
            path: self.path.to_owned(),
            message: format!("`{key}`: {message}"),
        }
    }
}

/// Turns a mapping's objects into model objects for the triples map reading `source`.
fn resolve_pom(
    ctx: &Ctx<'_>,
    pom: &Pom,
    source: &LogicalSource,
    index: &HashMap<&str, &Head<'_>>,
) -> Result<PredicateObjectMap, Error> {
    let mut objects = Vec::new();
    for object in &pom.objects {
        match object {
            Object::Term(t) => objects.push(ObjectMap::Term(t.clone())),
            Object::Mapping { name, joins, key } => {
                let parent = index.get(name.as_str()).ok_or_else(|| {
                    let mut known: Vec<&str> = index.keys().copied().collect();
                    known.sort_unstable();
                    ctx.error(
                        key,
                        format!(
                            "there is no mapping `{name}` (mappings: {})",
                            known.join(", ")
                        ),
                    )
                })?;
                // Without a condition the parent's subject is made from the child's own record,
                // so only the parent's triples maps reading the same source apply.
                let mut found = false;
                for (i, parent_source) in parent
                    .sources
                    .iter()
                    .flat_map(|s| std::iter::repeat_n(s, parent.subjects.len()))
                    .enumerate()
                {
                    if joins.is_empty() && parent_source != source {
                        continue;
                    }
                    found = true;
                    objects.push(ObjectMap::Parent {
                        parent: parent.maps[i],
                        joins: joins.clone(),
                    });
                }
                if !found {
                    return Err(ctx.error(
                        key,
                        format!(
                            "mapping `{name}` reads another source, so it needs a `condition` to join on"
                        ),
                    ));
                }
            }
        }
    }
    Ok(PredicateObjectMap {
        predicates: pom.predicates.clone(),
        objects,
        graphs: pom.graphs.clone(),
    })
}

/// `rr:defaultGraph` is written as RML-Core's `rml:defaultGraph`, which the executor reads as
/// the default graph.
fn normalise_default_graph(graphs: Vec<TermMap>) -> Vec<TermMap> {
    graphs
        .into_iter()
        .map(|mut g| {
            if let super::model::Value::Constant(oxigraph::model::Term::NamedNode(n)) = &mut g.value
            {
                if n.as_str() == "http://www.w3.org/ns/r2rml#defaultGraph" {
                    *n = crate::vocab::rml::DEFAULT_GRAPH.into_owned();
                }
            }
            g
        })
        .collect()
}

/// A scalar as a string: YAML reads `42`, `1.5` and `true` as numbers and booleans.
fn scalar(yaml: &Yaml) -> Option<String> {
    match yaml {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A key as written: YAML reads the plain key `null` as a null, `true` as a boolean.
fn key_name(yaml: &Yaml) -> Option<String> {
    match yaml {
        Yaml::Null => Some("null".into()),
        other => scalar(other),
    }
}

/// The value of the first of `aliases` present in `hash`, with the alias as written; an error
/// when two aliases are present.
fn get<'y>(
    hash: &'y Hash,
    aliases: &[&'static str],
) -> Result<Option<(&'static str, &'y Yaml)>, String> {
    let mut found = None;
    for (key, value) in hash {
        let Some(alias) = key_name(key).and_then(|k| aliases.iter().find(|a| **a == k)) else {
            continue;
        };
        if let Some((other, _)) = found {
            return Err(format!(
                "has both `{other}` and `{alias}`, which mean the same"
            ));
        }
        found = Some((*alias, value));
    }
    Ok(found)
}

/// Whether `hash` has one of `keys`.
fn has_any(hash: &Hash, keys: &[&str]) -> bool {
    hash.keys()
        .filter_map(key_name)
        .any(|k| keys.contains(&k.as_str()))
}

/// Rejects keys outside `known`, so that a typo is not silently ignored.
fn check_keys(hash: &Hash, known: &[&str]) -> Result<(), String> {
    for key in hash.keys() {
        match key_name(key) {
            Some(k) if known.contains(&k.as_str()) => {}
            written => {
                let written = written.unwrap_or_else(|| format!("{key:?}"));
                return Err(format!(
                    "unknown key `{written}` (expected one of: {})",
                    known.join(", ")
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the yarrrml fuzz target: 500 bytes of nested aliases made the loader allocate
    /// more than 2 GB (each level copies the one below ten times).
    #[test]
    fn aliases_that_expand_without_bound_are_refused() {
        let mut text = String::from("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..9 {
            let aliases = vec![format!("*l{}", level - 1); 10].join(", ");
            text.push_str(&format!("l{level}: &l{level} [{aliases}]\n"));
        }
        text.push_str("mappings:\n  a:\n    s: http://ex.org/$(id)\n    po: *l8\n");
        let err = parse(&text, Path::new("bomb.yml"), &|w: &str| w.into())
            .unwrap_err()
            .to_string();
        assert!(err.contains("aliases expand to more than"), "{err}");
        // Then the fuzzer broke the last line: the loader copied the aliases before it met the
        // syntax error.
        let broken = text.replace("po: *l8", "p:o *l8");
        let err = parse(&broken, Path::new("bomb.yml"), &|w: &str| w.into())
            .unwrap_err()
            .to_string();
        assert!(err.contains("aliases expand to more than"), "{err}");
        // Aliases within bounds are read as before.
        let text = "prefixes: &p {ex: http://example.org/}\nmappings:\n  a:\n    sources: [[d.csv~csv]]\n    s: ex:$(id)\n    po: &po [[ex:name, $(name)]]\n  b:\n    sources: [[d.csv~csv]]\n    s: ex:b/$(id)\n    po: *po\n";
        let mapping = parse(text, Path::new("ok.yml"), &|w: &str| w.into()).unwrap();
        assert_eq!(mapping.triples_maps.len(), 2);
    }
}
