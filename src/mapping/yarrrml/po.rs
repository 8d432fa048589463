//! YARRRML predicate–objects in all their shapes: `[p, o]`, `[p, o, xsd:type]`,
//! `[p, o, en~lang]`, `[[p1, p2], [o1, o2]]`, and the long form with `predicates` and `objects`,
//! whose objects may reference another mapping with a join `condition`. An object, a subject or a
//! graph may also be a built-in function call: `{function: grel:string_split, parameters:
//! [[grel:valueParam, $(col)], [grel:p_string_sep, ";"]]}`, whose parameter values may be calls
//! in turn.

use super::super::error::Error;
use super::super::model::{FunctionCall, Join, TermMap, TermType, Value};
use super::value::{self, Position, Spec, split_suffix};
use super::{Ctx, RDF_TYPE, check_keys, get, has_any, scalar};
use oxigraph::model::{Literal, NamedNode};
use yaml_rust2::{Yaml, yaml::Hash};

/// A predicate–object map whose references to other mappings are still names.
pub(super) struct Pom {
    pub predicates: Vec<TermMap>,
    pub objects: Vec<Object>,
    pub graphs: Vec<TermMap>,
}

pub(super) enum Object {
    Term(TermMap),
    /// `{mapping: name, condition: …}`: the subjects of another mapping.
    Mapping {
        name: String,
        joins: Vec<Join>,
        /// Where it is written, for errors found when the name is resolved.
        key: String,
    },
}

const TERM_TYPES: &[&str] = &["iri", "literal", "blanknode", "lang"];
const FUNCTION_KEYS: &[&str] = &["function", "fn", "f"];

/// The `po` of a mapping (none is allowed: the mapping then only makes its subjects' types).
pub(super) fn predicate_objects(ctx: &Ctx<'_>, key: &str, def: &Hash) -> Result<Vec<Pom>, Error> {
    let Some((po_key, po)) =
        get(def, &["po", "predicateobjects"]).map_err(|m| ctx.error(key, m))?
    else {
        return Ok(Vec::new());
    };
    let key = format!("{key}.{po_key}");
    let Yaml::Array(items) = po else {
        return Err(ctx.error(&key, "must be a list of predicate–objects"));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| pom(ctx, &format!("{key}[{}]", i + 1), item))
        .collect()
}

fn pom(ctx: &Ctx<'_>, key: &str, item: &Yaml) -> Result<Pom, Error> {
    match item {
        Yaml::Array(parts) => {
            let (predicates, objects, extra) = match parts.as_slice() {
                [p, o] => (p, o, None),
                [p, o, extra] => (p, o, Some(extra)),
                _ => {
                    return Err(ctx.error(
                        key,
                        "must be [predicate, object] or [predicate, object, datatype or language~lang]",
                    ));
                }
            };
            let predicates = predicate_list(ctx, &format!("{key}[1]"), predicates)?;
            let extra =
                match extra {
                    Some(e) => Some(scalar(e).ok_or_else(|| {
                        ctx.error(key, "the datatype or language must be a string")
                    })?),
                    None => None,
                };
            let typed = is_rdf_type(&predicates);
            let objects = match objects {
                Yaml::Array(list) => list
                    .iter()
                    .enumerate()
                    .map(|(i, o)| (format!("{key}[2][{}]", i + 1), o))
                    .collect(),
                o => vec![(format!("{key}[2]"), o)],
            };
            if objects.is_empty() {
                return Err(ctx.error(&format!("{key}[2]"), "has no object"));
            }
            let objects = objects
                .into_iter()
                .map(|(okey, o)| {
                    object_item(ctx, &okey, o, extra.as_deref(), typed).map(Object::Term)
                })
                .collect::<Result<_, _>>()?;
            Ok(Pom {
                predicates,
                objects,
                graphs: Vec::new(),
            })
        }
        Yaml::Hash(hash) => {
            check_keys(
                hash,
                &[
                    "p",
                    "predicate",
                    "predicates",
                    "o",
                    "object",
                    "objects",
                    "g",
                    "graph",
                    "graphs",
                ],
            )
            .map_err(|m| ctx.error(key, m))?;
            let (pkey, predicates) = get(hash, &["p", "predicate", "predicates"])
                .map_err(|m| ctx.error(key, m))?
                .ok_or_else(|| ctx.error(key, "has no `p` (predicates)"))?;
            let predicates = predicate_list(ctx, &format!("{key}.{pkey}"), predicates)?;
            let typed = is_rdf_type(&predicates);
            let (okey, objects) = get(hash, &["o", "object", "objects"])
                .map_err(|m| ctx.error(key, m))?
                .ok_or_else(|| ctx.error(key, "has no `o` (objects)"))?;
            let okey = format!("{key}.{okey}");
            let objects = match objects {
                Yaml::Array(list) if list.is_empty() => {
                    return Err(ctx.error(&okey, "is an empty list"));
                }
                Yaml::Array(list) => list
                    .iter()
                    .enumerate()
                    .map(|(i, o)| long_object(ctx, &format!("{okey}[{}]", i + 1), o, typed))
                    .collect::<Result<_, _>>()?,
                o => vec![long_object(ctx, &okey, o, typed)?],
            };
            let graphs =
                match get(hash, &["g", "graph", "graphs"]).map_err(|m| ctx.error(key, m))? {
                    Some((gkey, graphs)) => {
                        let gkey = format!("{key}.{gkey}");
                        match graphs {
                            Yaml::Array(list) => list
                                .iter()
                                .enumerate()
                                .map(|(i, g)| {
                                    term(ctx, &format!("{gkey}[{}]", i + 1), g, Position::Graph)
                                })
                                .collect::<Result<Vec<_>, _>>()?,
                            g => vec![term(ctx, &gkey, g, Position::Graph)?],
                        }
                    }
                    None => Vec::new(),
                };
            Ok(Pom {
                predicates,
                objects,
                graphs: super::normalise_default_graph(graphs),
            })
        }
        _ => Err(ctx.error(
            key,
            "must be a list [predicate, object] or a mapping with `p` and `o`",
        )),
    }
}

/// One predicate or a list of them.
fn predicate_list(ctx: &Ctx<'_>, key: &str, yaml: &Yaml) -> Result<Vec<TermMap>, Error> {
    let items: Vec<(String, &Yaml)> = match yaml {
        Yaml::Array(list) if list.is_empty() => return Err(ctx.error(key, "has no predicate")),
        Yaml::Array(list) => list
            .iter()
            .enumerate()
            .map(|(i, p)| (format!("{key}[{}]", i + 1), p))
            .collect(),
        p => vec![(key.to_owned(), p)],
    };
    items
        .into_iter()
        .map(|(key, p)| term(ctx, &key, p, Position::Predicate))
        .collect()
}

/// Objects of `rdf:type` are classes, so IRIs unless written otherwise.
fn is_rdf_type(predicates: &[TermMap]) -> bool {
    predicates.iter().any(|p| {
        matches!(&p.value, Value::Constant(oxigraph::model::Term::NamedNode(n)) if n.as_str() == RDF_TYPE)
    })
}

/// A subject, predicate or graph: `value`, `value~iri`/`~blanknode`, or `{value, type}`.
pub(super) fn term(
    ctx: &Ctx<'_>,
    key: &str,
    yaml: &Yaml,
    position: Position,
) -> Result<TermMap, Error> {
    let (text, term_type) = match yaml {
        Yaml::Hash(hash) if has_any(hash, FUNCTION_KEYS) => {
            let call = function_call(ctx, key, hash, &["type"])?;
            let spec = Spec {
                position,
                term_type: match string(ctx, key, hash, &["type"])? {
                    Some(t) => Some(term_type(ctx, key, &t)?),
                    None => None,
                },
                language: None,
                datatype: None,
            };
            return ctx.function_term_map(call, &spec, key);
        }
        Yaml::Hash(hash) => {
            check_keys(hash, &["value", "v", "type"]).map_err(|m| ctx.error(key, m))?;
            let text = string(ctx, key, hash, &["value", "v"])?
                .ok_or_else(|| ctx.error(key, "has no `value`"))?;
            let term_type = match string(ctx, key, hash, &["type"])? {
                Some(t) => Some(term_type(ctx, key, &t)?),
                None => None,
            };
            (text, term_type)
        }
        other => {
            let text = scalar(other).ok_or_else(|| ctx.error(key, "must be a string"))?;
            let (value, suffix) = split_suffix(&text, TERM_TYPES);
            let term_type = match suffix {
                Some(s) => Some(term_type(ctx, key, s)?),
                None => None,
            };
            (value.to_owned(), term_type)
        }
    };
    let spec = Spec {
        position,
        term_type,
        language: None,
        datatype: None,
    };
    ctx.term_map(&text, &spec, key)
}

/// A shortcut object: `value`, `value~iri`, with the shortcut's third element if any.
fn shortcut_object(
    ctx: &Ctx<'_>,
    key: &str,
    text: &str,
    extra: Option<&str>,
    typed: bool,
) -> Result<TermMap, Error> {
    let (value, suffix) = split_suffix(text, TERM_TYPES);
    let (extra_type, language, datatype) = extra_spec(ctx, key, extra)?;
    let spec = Spec {
        position: Position::Object,
        term_type: match suffix {
            Some(s) => Some(term_type(ctx, key, s)?),
            None if extra_type.is_some() => extra_type,
            None if typed && extra.is_none() => Some(TermType::Iri),
            None => None,
        },
        language,
        datatype,
    };
    ctx.term_map(value, &spec, key)
}

/// A term type, a language and a datatype, as the third element of a shortcut gives them.
type Extra<'e> = (Option<TermType>, Option<&'e str>, Option<&'e str>);

/// The third element of a shortcut: a language `en~lang`, a term type `~iri`, or a datatype.
fn extra_spec<'e>(ctx: &Ctx<'_>, key: &str, extra: Option<&'e str>) -> Result<Extra<'e>, Error> {
    Ok(match extra {
        None => (None, None, None),
        Some(e) => match split_suffix(e, TERM_TYPES) {
            (tag, Some("lang")) => (None, Some(tag), None),
            ("", Some(t)) => (Some(term_type(ctx, key, t)?), None, None),
            _ => (None, None, Some(e)),
        },
    })
}

/// A shortcut object: a value string or a function call, with the shortcut's third element.
fn object_item(
    ctx: &Ctx<'_>,
    key: &str,
    yaml: &Yaml,
    extra: Option<&str>,
    typed: bool,
) -> Result<TermMap, Error> {
    match yaml {
        Yaml::Hash(hash) if has_any(hash, FUNCTION_KEYS) => {
            let call = function_call(ctx, key, hash, &[])?;
            let (term_type, language, datatype) = extra_spec(ctx, key, extra)?;
            let spec = Spec {
                position: Position::Object,
                term_type: term_type.or((typed && extra.is_none()).then_some(TermType::Iri)),
                language,
                datatype,
            };
            ctx.function_term_map(call, &spec, key)
        }
        other => {
            let text = scalar(other).ok_or_else(|| {
                ctx.error(
                    key,
                    "a shortcut object must be a string or a {function: …, parameters: …}; use {p: …, o: …} for more",
                )
            })?;
            shortcut_object(ctx, key, &text, extra, typed)
        }
    }
}

/// `{function: f, parameters: [[p, v], {parameter: p, value: v}…]}`, checked against the
/// built-in functions; `extra_keys` are the other keys allowed where the call is written.
fn function_call(
    ctx: &Ctx<'_>,
    key: &str,
    hash: &Hash,
    extra_keys: &[&str],
) -> Result<FunctionCall, Error> {
    let mut known = vec!["function", "fn", "f", "parameters", "pms"];
    known.extend_from_slice(extra_keys);
    check_keys(hash, &known).map_err(|m| ctx.error(key, m))?;
    let (fkey, function) = get(hash, FUNCTION_KEYS)
        .map_err(|m| ctx.error(key, m))?
        .ok_or_else(|| ctx.error(key, "has no `function`"))?;
    let function = scalar(function).ok_or_else(|| {
        ctx.error(
            &format!("{key}.{fkey}"),
            "must be a function IRI or prefixed name",
        )
    })?;
    let function = ctx.doc.expand(&function, Position::Object);
    let mut given = Vec::new();
    if let Some((pkey, parameters)) =
        get(hash, &["parameters", "pms"]).map_err(|m| ctx.error(key, m))?
    {
        let pkey = format!("{key}.{pkey}");
        let Yaml::Array(parameters) = parameters else {
            return Err(ctx.error(&pkey, "must be a list of [parameter, value]"));
        };
        for (i, parameter) in parameters.iter().enumerate() {
            let pkey = format!("{pkey}[{}]", i + 1);
            let (name, value) = match parameter {
                Yaml::Array(parts) => match parts.as_slice() {
                    [name, value] | [name, value, _] => (name, value),
                    _ => {
                        return Err(ctx.error(
                            &pkey,
                            "must be [parameter, value] or {parameter: …, value: …}",
                        ));
                    }
                },
                Yaml::Hash(p) => {
                    check_keys(
                        p,
                        &["parameter", "pm", "value", "v", "from", "type", "datatype"],
                    )
                    .map_err(|m| ctx.error(&pkey, m))?;
                    let (_, name) = get(p, &["parameter", "pm"])
                        .map_err(|m| ctx.error(&pkey, m))?
                        .ok_or_else(|| ctx.error(&pkey, "has no `parameter`"))?;
                    let (_, value) = get(p, &["value", "v"])
                        .map_err(|m| ctx.error(&pkey, m))?
                        .ok_or_else(|| ctx.error(&pkey, "has no `value`"))?;
                    (name, value)
                }
                _ => {
                    return Err(ctx.error(
                        &pkey,
                        "must be [parameter, value] or {parameter: …, value: …}",
                    ));
                }
            };
            let name = scalar(name)
                .ok_or_else(|| ctx.error(&pkey, "the parameter must be an IRI or prefixed name"))?;
            let iri = ctx.doc.expand(&name, Position::Object);
            let parameter = NamedNode::new(&iri).map_err(|_| {
                ctx.error(
                    &pkey,
                    format!(
                        "parameter `{name}` is not an IRI or a prefixed name with a known prefix"
                    ),
                )
            })?;
            given.push((parameter, function_input(ctx, &pkey, value)?));
        }
    }
    FunctionCall::new(&function, given).map_err(|m| ctx.error(key, m))
}

/// A parameter value: a constant, `$(reference)`, a template, or a nested function call.
fn function_input(ctx: &Ctx<'_>, key: &str, yaml: &Yaml) -> Result<Value, Error> {
    if let Yaml::Hash(hash) = yaml {
        if has_any(hash, FUNCTION_KEYS) {
            return Ok(Value::Function(Box::new(function_call(
                ctx,
                key,
                hash,
                &[],
            )?)));
        }
    }
    let text = scalar(yaml).ok_or_else(|| {
        ctx.error(
            key,
            "the value must be a string, $(reference) or {function: …, parameters: …}",
        )
    })?;
    let (text, suffix) = split_suffix(&text, &["iri", "literal"]);
    let is_iri = suffix == Some("iri");
    let text = if is_iri {
        ctx.doc.expand(text, Position::Object)
    } else {
        text.to_owned()
    };
    match value::parse(&text).map_err(|m| ctx.error(key, m))? {
        value::Parsed::Value(v) => Ok(v),
        value::Parsed::Constant(c) if is_iri => NamedNode::new(&c)
            .map(|n| Value::Constant(n.into()))
            .map_err(|e| ctx.error(key, format!("<{c}> is not a valid IRI: {e}"))),
        value::Parsed::Constant(c) => Ok(Value::Constant(Literal::new_simple_literal(c).into())),
    }
}

/// An object of the long form: a shortcut string, `[value, datatype or language~lang]`,
/// `{value, type, datatype, language}` or `{mapping, condition}`.
fn long_object(ctx: &Ctx<'_>, key: &str, yaml: &Yaml, typed: bool) -> Result<Object, Error> {
    let hash = match yaml {
        Yaml::Hash(hash) => hash,
        Yaml::Array(parts) => {
            return match parts.as_slice() {
                [value] | [value, _] => {
                    let extra = match parts.get(1) {
                        Some(e) => Some(scalar(e).ok_or_else(|| {
                            ctx.error(key, "the datatype or language must be a string")
                        })?),
                        None => None,
                    };
                    object_item(ctx, key, value, extra.as_deref(), typed).map(Object::Term)
                }
                _ => Err(ctx.error(key, "must be [value] or [value, datatype or language~lang]")),
            };
        }
        other => {
            let text = scalar(other).ok_or_else(|| ctx.error(key, "must be a string"))?;
            return shortcut_object(ctx, key, &text, None, typed).map(Object::Term);
        }
    };
    if has_any(hash, FUNCTION_KEYS) {
        let call = function_call(ctx, key, hash, &["type", "datatype", "language", "lang"])?;
        let typing = ObjectTyping::read(ctx, key, hash, typed)?;
        return ctx
            .function_term_map(call, &typing.spec(), key)
            .map(Object::Term);
    }
    if has_any(hash, &["mapping"]) {
        check_keys(hash, &["mapping", "condition"]).map_err(|m| ctx.error(key, m))?;
        let name = string(ctx, key, hash, &["mapping"])?.unwrap_or_default();
        let joins = match get(hash, &["condition"]).map_err(|m| ctx.error(key, m))? {
            None => Vec::new(),
            Some((_, Yaml::Array(conditions))) => conditions
                .iter()
                .enumerate()
                .map(|(i, c)| join(ctx, &format!("{key}.condition[{}]", i + 1), c))
                .collect::<Result<_, _>>()?,
            Some((_, condition)) => vec![join(ctx, &format!("{key}.condition"), condition)?],
        };
        return Ok(Object::Mapping {
            name,
            joins,
            key: key.to_owned(),
        });
    }
    check_keys(
        hash,
        &["value", "v", "type", "datatype", "language", "lang"],
    )
    .map_err(|m| ctx.error(key, m))?;
    let text =
        string(ctx, key, hash, &["value", "v"])?.ok_or_else(|| ctx.error(key, "has no `value`"))?;
    let typing = ObjectTyping::read(ctx, key, hash, typed)?;
    ctx.term_map(&text, &typing.spec(), key).map(Object::Term)
}

/// The `type`, `datatype` and `language` keys of a long-form object, for a value or a function
/// call alike. `typed` objects (those of `a`) default to IRIs.
struct ObjectTyping {
    term_type: Option<TermType>,
    language: Option<String>,
    datatype: Option<String>,
}

impl ObjectTyping {
    fn read(ctx: &Ctx<'_>, key: &str, hash: &Hash, typed: bool) -> Result<Self, Error> {
        let language = string(ctx, key, hash, &["language", "lang"])?;
        let datatype = string(ctx, key, hash, &["datatype"])?;
        let term_type = match string(ctx, key, hash, &["type"])? {
            Some(t) => Some(term_type(ctx, key, &t)?),
            None if typed && language.is_none() && datatype.is_none() => Some(TermType::Iri),
            None => None,
        };
        Ok(Self {
            term_type,
            language,
            datatype,
        })
    }

    fn spec(&self) -> Spec<'_> {
        Spec {
            position: Position::Object,
            term_type: self.term_type,
            language: self.language.as_deref(),
            datatype: self.datatype.as_deref(),
        }
    }
}

/// `{function: equal, parameters: [[str1, $(child)], [str2, $(parent)]]}`.
fn join(ctx: &Ctx<'_>, key: &str, yaml: &Yaml) -> Result<Join, Error> {
    let Yaml::Hash(hash) = yaml else {
        return Err(ctx.error(
            key,
            "must be {function: equal, parameters: [[str1, $(child)], [str2, $(parent)]]}",
        ));
    };
    check_keys(hash, &["function", "fn", "f", "parameters", "pms"])
        .map_err(|m| ctx.error(key, m))?;
    let function = string(ctx, key, hash, FUNCTION_KEYS)?
        .ok_or_else(|| ctx.error(key, "has no `function`"))?;
    if !(function == "equal" || function.ends_with(":equal")) {
        return Err(ctx.error(
            key,
            format!("join conditions support only the `equal` function, not `{function}`"),
        ));
    }
    let (pkey, parameters) = get(hash, &["parameters", "pms"])
        .map_err(|m| ctx.error(key, m))?
        .ok_or_else(|| ctx.error(key, "has no `parameters`"))?;
    let pkey = format!("{key}.{pkey}");
    let Yaml::Array(parameters) = parameters else {
        return Err(ctx.error(&pkey, "must be a list of [name, $(reference)]"));
    };
    let (mut child, mut parent) = (None, None);
    for (i, parameter) in parameters.iter().enumerate() {
        let pkey = format!("{pkey}[{}]", i + 1);
        let (name, value, from) = match parameter {
            Yaml::Array(parts) => {
                let s: Vec<Option<String>> = parts.iter().map(scalar).collect();
                match s.as_slice() {
                    [Some(n), Some(v)] => (n.clone(), v.clone(), None),
                    [Some(n), Some(v), Some(f)] => (n.clone(), v.clone(), Some(f.clone())),
                    _ => {
                        return Err(ctx.error(
                            &pkey,
                            "must be [name, $(reference)] or [name, $(reference), s|o]",
                        ));
                    }
                }
            }
            Yaml::Hash(p) => {
                check_keys(p, &["parameter", "pm", "value", "v", "from"])
                    .map_err(|m| ctx.error(&pkey, m))?;
                (
                    string(ctx, &pkey, p, &["parameter", "pm"])?
                        .ok_or_else(|| ctx.error(&pkey, "has no `parameter`"))?,
                    string(ctx, &pkey, p, &["value", "v"])?
                        .ok_or_else(|| ctx.error(&pkey, "has no `value`"))?,
                    string(ctx, &pkey, p, &["from"])?,
                )
            }
            _ => return Err(ctx.error(&pkey, "must be [name, $(reference)]")),
        };
        let parsed = value::parse(&value).map_err(|m| ctx.error(&pkey, m))?;
        let value::Parsed::Value(Value::Reference(reference)) = parsed else {
            return Err(ctx.error(
                &pkey,
                format!("a join parameter must be a single $(reference), found `{value}`"),
            ));
        };
        let is_child = match from.as_deref() {
            Some("s" | "subject") => true,
            Some("o" | "object") => false,
            Some(other) => {
                return Err(ctx.error(&pkey, format!("`from` must be s or o, not `{other}`")));
            }
            None => match name.rsplit([':', '#', '/']).next().unwrap_or(&name) {
                "str1" | "valueParameter" => true,
                "str2" | "valueParameter2" => false,
                other => {
                    return Err(ctx.error(
                        &pkey,
                        format!("unknown parameter `{other}` of `equal` (str1 or str2)"),
                    ));
                }
            },
        };
        let slot = if is_child { &mut child } else { &mut parent };
        if slot.replace(reference).is_some() {
            return Err(ctx.error(&pkey, "repeats a side of the join"));
        }
    }
    match (child, parent) {
        (Some(child), Some(parent)) => Ok(Join {
            child: Value::Reference(child),
            parent: Value::Reference(parent),
        }),
        _ => Err(ctx.error(
            &pkey,
            "needs str1 (this mapping's reference) and str2 (the other mapping's)",
        )),
    }
}

fn term_type(ctx: &Ctx<'_>, key: &str, text: &str) -> Result<TermType, Error> {
    match text {
        "iri" => Ok(TermType::Iri),
        "literal" => Ok(TermType::Literal),
        "blanknode" => Ok(TermType::BlankNode),
        other => Err(ctx.error(
            key,
            format!(
                "unknown type `{other}` (iri, literal or blanknode; a datatype goes in `datatype`)"
            ),
        )),
    }
}

fn string(
    ctx: &Ctx<'_>,
    key: &str,
    hash: &Hash,
    aliases: &[&'static str],
) -> Result<Option<String>, Error> {
    match get(hash, aliases).map_err(|m| ctx.error(key, m))? {
        Some((k, v)) => scalar(v)
            .map(Some)
            .ok_or_else(|| ctx.error(key, format!("`{k}` must be a string"))),
        None => Ok(None),
    }
}
