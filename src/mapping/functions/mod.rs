//! The fixed set of RML-FNML functions a mapping may call.
//!
//! Museums clean their exports with a handful of string operations (split a multi-valued cell,
//! trim, replace, change case, join) and need one thing no generic tool does: read French
//! heritage dates (`vers 1890`, `2e moitié du XVIIe siècle`) into CIDOC-CRM time-span bounds.
//! The set is closed on purpose: no user code runs inside the publisher, and a function IRI is
//! resolved when the mapping is read, so a typo is a mapping error naming the term map, not a
//! silent gap in the published data.
//!
//! The string functions answer to the IRIs RMLMapper and Morph-KGC use (GREL, plus Morph-KGC's
//! and IDLab's `concat`), so mappings written for them run unchanged:
//!
//! | function | parameters |
//! |---|---|
//! | `grel:toUpperCase`, `grel:toLowerCase`, `grel:string_trim` | `grel:valueParam` |
//! | `grel:string_replace` (the find string is a regular expression, `$1` in the replacement) | `grel:valueParam`, `grel:p_string_find`, `grel:p_string_replace` |
//! | `grel:string_split` (one value per part) | `grel:valueParam`, `grel:p_string_sep` |
//! | `grel:array_join` (all the values of `p_array_a` at once) | `grel:p_array_a`, optional `grel:p_string_sep` |
//! | Morph-KGC `built-in.ttl#concat` | `grel:valueParameter1`, `grel:valueParameter2`, optional `grel:p_string_sep` |
//! | `idlab-fn:concat` | `idlab-fn:str`, `idlab-fn:otherStr`, optional `idlab-fn:delimiter` |
//! | `vfn:dateBegin`, `vfn:dateEnd`, `vfn:dateLabel` ([`date`]) | `vfn:value` |
//! | `vfn:dimensionValue`, `vfn:dimensionUnit` ([`dimension`]) | `vfn:value`, `vfn:kind` |
//! | `vfn:agentName`, `vfn:agentDates`, `vfn:agentRole`, `vfn:agentIri`, `vfn:personIri` ([`agent`]) | `vfn:value` |
//! | `vfn:wikidata`, `vfn:idref`, `vfn:ark`, `vfn:arkName`, `vfn:language` ([`identifier`]) | `vfn:value` |
//! | `vfn:identifierProblem` ([`identifier`]) | `vfn:value`, `vfn:scheme` (`wikidata`, `idref`, `ark`) |
//! | `vfn:dwcDate` ([`dwc`]: Darwin Core `year`/`month`/`day` → ISO 8601) | `vfn:year`, optional `vfn:month`, `vfn:day`, `vfn:precision` |
//! | `vfn:wktPoint` ([`dwc`]: decimal coordinates → GeoSPARQL WKT, by datum) | `vfn:latitude`, `vfn:longitude`, optional `vfn:datum` |
//! | `vfn:basisOfRecord` ([`dwc`]: the class IRI of a basis of record, any case) | `vfn:value`, optional `vfn:as` (`dwc`, `crm`) |
//! | `vfn:dwcList`, `vfn:dwcListItem` ([`dwc`]: the parts of a list-valued term, all or the n-th) | `vfn:value` (and `vfn:index`, from 1) |
//! | `vfn:dwcAgentIri` ([`agent`]: `vfn:agentIri` of a plain name, initials kept: `G. Sjöstedt` → `id/agent/g-sjostedt`) | `vfn:value` |
//! | `vfn:fileUrl`, `fileIri`, `fileChecksumIri`, `fileSha256`, `fileSize`, `fileMediaType`, `fileName` ([`file`]) | `vfn:value`, optional `vfn:prefix`, `vfn:suffix`, `vfn:expected` (a SHA-256 the file must have) |
//!
//! `grel:` is `http://users.ugent.be/~bjdmeest/function/grel.ttl#`, `idlab-fn:` is
//! `https://w3id.org/imec/idlab/function#`, `vfn:` is `https://w3id.org/vitrine/fn#`. GREL's
//! parameters were renamed over the years and each tool kept a different generation, so the
//! older and newer names are both accepted (`valueParam`/`valueParameter`,
//! `p_string_sep`/`param_string_sep`, `p_array_a`/`p_array`…); the date functions also accept
//! `grel:valueParam`.
//!
//! Multi-valued inputs (a reference with several values, or a nested `string_split`): the
//! function is applied to each value, and to every combination when several inputs have more
//! than one; the results are all kept. `array_join` is the exception: it takes the whole list.
//! An input with no value gives no result, like an empty cell; an empty result is no value.

mod agent;
mod date;
mod dimension;
mod dwc;
pub(crate) mod file;
mod identifier;

use super::model::{FunctionCall, Value};
use super::source::{Record, Values};
use super::template::Encoding;
use oxigraph::model::{Literal, NamedNode, Term};
use regex::Regex;
use std::borrow::Cow;

macro_rules! grel {
    ($local:literal) => {
        concat!("http://users.ugent.be/~bjdmeest/function/grel.ttl#", $local)
    };
}
macro_rules! idlab {
    ($local:literal) => {
        concat!("https://w3id.org/imec/idlab/function#", $local)
    };
}
macro_rules! vfn {
    ($local:literal) => {
        concat!("https://w3id.org/vitrine/fn#", $local)
    };
}

/// A built-in function, resolved from its IRI when the mapping is read.
#[derive(Debug, Clone)]
pub enum Function {
    ToUpperCase,
    ToLowerCase,
    Trim,
    /// `grel:string_replace`; the pattern is compiled once when the mapping gives it as a
    /// constant, else for each record.
    Replace(Option<Regex>),
    Split,
    Join,
    Concat,
    DateBegin,
    DateEnd,
    DateLabel,
    DimensionValue,
    DimensionUnit,
    AgentName,
    AgentDates,
    AgentRole,
    AgentIri,
    PersonIri,
    Wikidata,
    IdRef,
    Ark,
    ArkName,
    Language,
    IdentifierProblem,
    DwcDate,
    WktPoint,
    BasisOfRecord,
    DwcList,
    DwcListItem,
    DwcAgentIri,
    /// `vfn:fileUrl`, `fileIri`, `fileSha256`, `fileSize`, `fileMediaType`, `fileName`.
    File(file::Part),
}

/// A parameter of a built-in, as a mapping names it.
#[derive(Debug)]
struct Parameter {
    /// Every IRI accepted for it; the first is the one messages show.
    iris: &'static [&'static str],
    /// The value when the mapping does not give the parameter; `None` means it is required.
    default: Option<&'static str>,
}

const VALUE: Parameter = Parameter {
    iris: &[grel!("valueParam"), grel!("valueParameter")],
    default: None,
};
const SEPARATOR: Parameter = Parameter {
    iris: &[grel!("p_string_sep"), grel!("param_string_sep")],
    default: None,
};
const OPTIONAL_SEPARATOR: Parameter = Parameter {
    default: Some(""),
    ..SEPARATOR
};
const DATE: Parameter = Parameter {
    iris: &[vfn!("value"), grel!("valueParam"), grel!("valueParameter")],
    default: None,
};

const KIND: Parameter = Parameter {
    iris: &[vfn!("kind")],
    default: None,
};
const PREFIX: Parameter = Parameter {
    iris: &[vfn!("prefix")],
    default: Some(""),
};
const SUFFIX: Parameter = Parameter {
    iris: &[vfn!("suffix")],
    default: Some(""),
};
const EXPECTED: Parameter = Parameter {
    iris: &[vfn!("expected")],
    default: Some(""),
};
/// The parameters of every file function, so `apply` reads them the same way.
const FILE: &[Parameter] = &[DATE, PREFIX, SUFFIX, EXPECTED];
const SCHEME: Parameter = Parameter {
    iris: &[vfn!("scheme")],
    default: None,
};

const YEAR: Parameter = Parameter {
    iris: &[vfn!("year")],
    default: None,
};
const MONTH: Parameter = Parameter {
    iris: &[vfn!("month")],
    default: Some(""),
};
const DAY: Parameter = Parameter {
    iris: &[vfn!("day")],
    default: Some(""),
};
const PRECISION: Parameter = Parameter {
    iris: &[vfn!("precision")],
    default: Some(""),
};
const LATITUDE: Parameter = Parameter {
    iris: &[vfn!("latitude")],
    default: None,
};
const LONGITUDE: Parameter = Parameter {
    iris: &[vfn!("longitude")],
    default: None,
};
const DATUM: Parameter = Parameter {
    iris: &[vfn!("datum")],
    default: Some(""),
};

const AS: Parameter = Parameter {
    iris: &[vfn!("as")],
    default: Some("dwc"),
};
const INDEX: Parameter = Parameter {
    iris: &[vfn!("index")],
    default: None,
};

/// A function IRI, what it runs and its parameters in the order [`Function::apply`] reads them.
type Builtin = (&'static str, fn() -> Function, &'static [Parameter]);

/// Every built-in.
const BUILTINS: &[Builtin] = &[
    (grel!("toUpperCase"), || Function::ToUpperCase, &[VALUE]),
    (grel!("toLowerCase"), || Function::ToLowerCase, &[VALUE]),
    (grel!("string_trim"), || Function::Trim, &[VALUE]),
    (
        grel!("string_replace"),
        || Function::Replace(None),
        &[
            VALUE,
            Parameter {
                iris: &[grel!("p_string_find"), grel!("param_string_find")],
                default: None,
            },
            Parameter {
                iris: &[grel!("p_string_replace"), grel!("param_string_replace")],
                default: None,
            },
        ],
    ),
    (
        grel!("string_split"),
        || Function::Split,
        &[VALUE, SEPARATOR],
    ),
    (
        grel!("array_join"),
        || Function::Join,
        &[
            Parameter {
                iris: &[grel!("p_array_a"), grel!("p_array"), grel!("param_array_a")],
                default: None,
            },
            OPTIONAL_SEPARATOR,
        ],
    ),
    (
        "https://github.com/morph-kgc/morph-kgc/function/built-in.ttl#concat",
        || Function::Concat,
        &[
            Parameter {
                iris: &[grel!("valueParameter1"), grel!("valueParam1")],
                default: None,
            },
            Parameter {
                iris: &[grel!("valueParameter2"), grel!("valueParam2")],
                default: None,
            },
            OPTIONAL_SEPARATOR,
        ],
    ),
    (
        idlab!("concat"),
        || Function::Concat,
        &[
            Parameter {
                iris: &[idlab!("str")],
                default: None,
            },
            Parameter {
                iris: &[idlab!("otherStr")],
                default: None,
            },
            Parameter {
                iris: &[idlab!("delimiter")],
                default: Some(""),
            },
        ],
    ),
    (vfn!("dateBegin"), || Function::DateBegin, &[DATE]),
    (vfn!("dateEnd"), || Function::DateEnd, &[DATE]),
    (vfn!("dateLabel"), || Function::DateLabel, &[DATE]),
    (
        vfn!("dimensionValue"),
        || Function::DimensionValue,
        &[DATE, KIND],
    ),
    (
        vfn!("dimensionUnit"),
        || Function::DimensionUnit,
        &[DATE, KIND],
    ),
    (vfn!("agentName"), || Function::AgentName, &[DATE]),
    (vfn!("agentDates"), || Function::AgentDates, &[DATE]),
    (vfn!("agentRole"), || Function::AgentRole, &[DATE]),
    (vfn!("agentIri"), || Function::AgentIri, &[DATE]),
    (vfn!("personIri"), || Function::PersonIri, &[DATE]),
    (vfn!("wikidata"), || Function::Wikidata, &[DATE]),
    (vfn!("idref"), || Function::IdRef, &[DATE]),
    (vfn!("ark"), || Function::Ark, &[DATE]),
    (vfn!("arkName"), || Function::ArkName, &[DATE]),
    (vfn!("language"), || Function::Language, &[DATE]),
    (
        vfn!("identifierProblem"),
        || Function::IdentifierProblem,
        &[DATE, SCHEME],
    ),
    (
        vfn!("dwcDate"),
        || Function::DwcDate,
        &[YEAR, MONTH, DAY, PRECISION],
    ),
    (
        vfn!("wktPoint"),
        || Function::WktPoint,
        &[LATITUDE, LONGITUDE, DATUM],
    ),
    (
        vfn!("basisOfRecord"),
        || Function::BasisOfRecord,
        &[DATE, AS],
    ),
    (vfn!("dwcList"), || Function::DwcList, &[DATE]),
    (vfn!("dwcAgentIri"), || Function::DwcAgentIri, &[DATE]),
    (
        vfn!("dwcListItem"),
        || Function::DwcListItem,
        &[DATE, INDEX],
    ),
    (vfn!("fileUrl"), || Function::File(file::Part::Url), FILE),
    (vfn!("fileIri"), || Function::File(file::Part::Iri), FILE),
    (
        vfn!("fileChecksumIri"),
        || Function::File(file::Part::ChecksumIri),
        FILE,
    ),
    (
        vfn!("fileSha256"),
        || Function::File(file::Part::Sha256),
        FILE,
    ),
    (vfn!("fileSize"), || Function::File(file::Part::Size), FILE),
    (
        vfn!("fileMediaType"),
        || Function::File(file::Part::MediaType),
        FILE,
    ),
    (vfn!("fileName"), || Function::File(file::Part::Name), FILE),
];

impl FunctionCall {
    /// Resolves `function` to a built-in and binds the inputs the mapping gives, as
    /// (parameter IRI, value map) pairs, to its parameters. The error says what is wrong, for a
    /// mapping error naming the term map.
    pub(crate) fn new(function: &str, given: Vec<(NamedNode, Value)>) -> Result<Self, String> {
        let Some((_, make, parameters)) = BUILTINS.iter().find(|(iri, ..)| *iri == function) else {
            let known: Vec<&str> = BUILTINS.iter().map(|(iri, ..)| *iri).collect();
            return Err(format!(
                "unknown function <{function}>; the built-in functions are <{}>",
                known.join(">, <")
            ));
        };
        let mut bound: Vec<Option<(NamedNode, Value)>> = vec![None; parameters.len()];
        for (parameter, value) in given {
            let Some(i) = parameters
                .iter()
                .position(|p| p.iris.contains(&parameter.as_str()))
            else {
                let names: Vec<&str> = parameters.iter().map(|p| p.iris[0]).collect();
                return Err(format!(
                    "function <{function}> has no parameter {parameter}; its parameters are <{}>",
                    names.join(">, <")
                ));
            };
            if bound[i].is_some() {
                return Err(format!(
                    "function <{function}> is given parameter <{}> twice",
                    parameters[i].iris[0]
                ));
            }
            bound[i] = Some((parameter, value));
        }
        let inputs = bound
            .into_iter()
            .zip(parameters.iter())
            .map(|(input, parameter)| match (input, parameter.default) {
                (Some(input), _) => Ok(input),
                (None, Some(default)) => Ok((
                    NamedNode::new_unchecked(parameter.iris[0]),
                    Value::Constant(Literal::new_simple_literal(default).into()),
                )),
                (None, None) => Err(format!(
                    "function <{function}> needs parameter <{}>",
                    parameter.iris[0]
                )),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut function = make();
        if let (Function::Replace(compiled), Some((_, Value::Constant(Term::Literal(find))))) =
            (&mut function, inputs.get(1))
        {
            *compiled = Some(regex(find.value())?);
        }
        Ok(FunctionCall { function, inputs })
    }

    /// The values the function gives for `record`; an error says why a value could not be
    /// computed (an unreadable date…), for a record error.
    pub(crate) fn evaluate(&self, record: &dyn Record) -> Result<Vec<String>, String> {
        let values = self
            .inputs
            .iter()
            .enumerate()
            .map(|(i, (_, value))| {
                let mut values = strings(value, record)?;
                // An empty cell for an optional input (a month, a datum, a checksum the
                // record may give) is "not given", not "no result".
                if values.is_empty() && self.function.optional(i) {
                    values.push(String::new());
                }
                Ok(values)
            })
            .collect::<Result<Vec<_>, String>>()?;
        let mut results = Vec::new();
        // Files a record names are read beside its export.
        let folder = record
            .position()
            .source
            .parent()
            .unwrap_or(std::path::Path::new("."));
        if values.iter().any(Vec::is_empty) {
            return Ok(results);
        }
        // One call per combination of the values of the single-valued parameters.
        let mut chosen = vec![0; values.len()];
        loop {
            let args: Vec<&[String]> = values
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    if self.function.takes_list(i) {
                        v.as_slice()
                    } else {
                        std::slice::from_ref(&v[chosen[i]])
                    }
                })
                .collect();
            results.extend(
                self.function
                    .apply(&args, folder)?
                    .into_iter()
                    .filter(|r| !r.is_empty()),
            );
            let next = (0..values.len())
                .rev()
                .find(|&i| !self.function.takes_list(i) && chosen[i] + 1 < values[i].len());
            let Some(i) = next else {
                return Ok(results);
            };
            chosen[i] += 1;
            chosen[i + 1..].fill(0);
        }
    }
}

/// The strings a value map gives for a record: the input of a function, a join key, a
/// language tag or a datatype.
pub(crate) fn strings(value: &Value, record: &dyn Record) -> Result<Vec<String>, String> {
    Ok(match value {
        Value::Constant(Term::Literal(l)) => vec![l.value().to_owned()],
        Value::Constant(Term::NamedNode(n)) => vec![n.as_str().to_owned()],
        Value::Constant(Term::BlankNode(_)) | Value::Fresh => Vec::new(),
        Value::Reference(r) => record.values(r)?.into_iter().map(Cow::into_owned).collect(),
        Value::Template(t) => {
            let mut failure = None;
            let expanded = t.expand_all(
                |r| {
                    record.values(r).unwrap_or_else(|e| {
                        failure = Some(e);
                        Values::new()
                    })
                },
                Encoding::Verbatim,
            );
            if let Some(e) = failure {
                return Err(e);
            }
            expanded.into_vec()
        }
        Value::Function(call) => call.evaluate(record)?,
    })
}

fn regex(pattern: &str) -> Result<Regex, String> {
    Regex::new(pattern).map_err(|e| {
        format!("grel:p_string_find \"{pattern}\" is not a valid regular expression: {e}")
    })
}

impl Function {
    /// Whether parameter `index` may be empty in a record without emptying the result (a
    /// month, a datum, a checksum the record may give): it is then passed as empty.
    fn optional(&self, index: usize) -> bool {
        match self {
            Function::DwcDate => (1..=3).contains(&index),
            Function::WktPoint => index == 2,
            Function::File(_) => index > 0,
            _ => false,
        }
    }

    /// Whether parameter `index` takes all the values of its input at once.
    fn takes_list(&self, index: usize) -> bool {
        matches!(self, Function::Join) && index == 0
    }

    /// Runs the function on one value per parameter (all of them for a list parameter).
    fn apply(&self, args: &[&[String]], folder: &std::path::Path) -> Result<Vec<String>, String> {
        let one = |i: usize| args[i][0].as_str();
        Ok(match self {
            Function::ToUpperCase => vec![one(0).to_uppercase()],
            Function::ToLowerCase => vec![one(0).to_lowercase()],
            Function::Trim => vec![one(0).trim().to_owned()],
            Function::Replace(compiled) => {
                let per_record;
                let pattern = match compiled {
                    Some(pattern) => pattern,
                    None => {
                        per_record = regex(one(1))?;
                        &per_record
                    }
                };
                vec![pattern.replace_all(one(0), one(2)).into_owned()]
            }
            Function::Split => {
                let separator = one(1);
                if separator.is_empty() {
                    return Err("grel:string_split: the separator is empty".into());
                }
                one(0).split(separator).map(str::to_owned).collect()
            }
            Function::Join => vec![args[0].join(one(1))],
            Function::Concat => vec![format!("{}{}{}", one(0), one(2), one(1))],
            Function::DateBegin => vec![span(one(0), "dateBegin")?.begin_of_begin()],
            Function::DateEnd => vec![span(one(0), "dateEnd")?.end_of_end()],
            Function::DateLabel => vec![one(0).trim().to_owned()],
            Function::DimensionValue => dimension::measure(one(0), one(1))?
                .map(|m| m.value)
                .into_iter()
                .collect(),
            Function::DimensionUnit => dimension::measure(one(0), one(1))?
                .map(|m| m.unit.to_owned())
                .into_iter()
                .collect(),
            Function::AgentName => agent::parse(one(0)).map(|h| h.name).into_iter().collect(),
            Function::AgentDates => agent::parse(one(0))
                .and_then(|h| h.dates.map(str::to_owned))
                .into_iter()
                .collect(),
            Function::AgentRole => agent::parse(one(0))
                .and_then(|h| h.role.map(str::to_owned))
                .into_iter()
                .collect(),
            Function::AgentIri => agent::iri(one(0)).into_iter().collect(),
            Function::PersonIri => agent::iri(one(0))
                .filter(|_| agent::is_person(one(0)))
                .into_iter()
                .collect(),
            Function::Wikidata => identifier::wikidata(one(0)).into_iter().collect(),
            Function::IdRef => identifier::idref(one(0)).into_iter().collect(),
            Function::Ark => identifier::ark(one(0)).into_iter().collect(),
            Function::ArkName => identifier::ark_name(one(0)).into_iter().collect(),
            Function::Language => identifier::language(one(0)).into_iter().collect(),
            Function::IdentifierProblem => {
                identifier::problem(one(0), one(1))?.into_iter().collect()
            }
            Function::DwcDate => dwc::date(one(0), one(1), one(2), one(3))?
                .into_iter()
                .collect(),
            Function::WktPoint => dwc::wkt_point(one(0), one(1), one(2))?
                .into_iter()
                .collect(),
            Function::BasisOfRecord => dwc::basis_of_record(one(0), one(1))?.into_iter().collect(),
            Function::DwcList => dwc::list(one(0)),
            Function::DwcAgentIri => agent::plain_iri(one(0)).into_iter().collect(),
            Function::DwcListItem => {
                let index: usize = one(1).trim().parse().map_err(|_| {
                    format!("vfn:dwcListItem: index \"{}\" is not a number", one(1))
                })?;
                dwc::list(one(0))
                    .into_iter()
                    .nth(index.wrapping_sub(1))
                    .into_iter()
                    .collect()
            }
            Function::File(part) => file::apply(*part, one(0), [one(1), one(2), one(3)], folder)?,
        })
    }
}

fn span(text: &str, function: &str) -> Result<date::Span, String> {
    date::parse(text).ok_or_else(|| {
        format!(
            "vfn:{function} cannot read \"{text}\" as a date (it reads e.g. 1890, 1890-05-24, \
             vers 1890, 1890-1895, XIXe siècle, 2e moitié du XVIIe siècle)"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::RecordPosition;
    use std::collections::HashMap;

    struct Fields(HashMap<&'static str, Vec<&'static str>>, RecordPosition);

    impl Record for Fields {
        fn values(&self, reference: &str) -> Result<Values<'_>, String> {
            Ok(self
                .0
                .get(reference)
                .into_iter()
                .flatten()
                .map(|v| Cow::Borrowed(*v))
                .collect())
        }
        fn position(&self) -> &RecordPosition {
            &self.1
        }
    }

    fn record(fields: &[(&'static str, &[&'static str])]) -> Fields {
        Fields(
            fields.iter().map(|(k, v)| (*k, v.to_vec())).collect(),
            RecordPosition {
                source: std::path::Path::new("r.csv").into(),
                record: 1,
            },
        )
    }

    fn constant(s: &str) -> Value {
        Value::Constant(Literal::new_simple_literal(s).into())
    }

    fn call(function: &str, inputs: &[(&str, Value)]) -> Result<FunctionCall, String> {
        FunctionCall::new(
            function,
            inputs
                .iter()
                .map(|(p, v)| (NamedNode::new_unchecked(*p), v.clone()))
                .collect(),
        )
    }

    fn run(function: &str, inputs: &[(&str, Value)], fields: &Fields) -> Vec<String> {
        call(function, inputs).unwrap().evaluate(fields).unwrap()
    }

    #[test]
    fn string_functions() {
        let r = record(&[("x", &["  Café au lait "]), ("list", &["a", "b", "c"])]);
        let x = || Value::Reference("x".into());
        let value = grel!("valueParam");
        assert_eq!(
            run(grel!("toUpperCase"), &[(value, x())], &r),
            ["  CAFÉ AU LAIT "]
        );
        assert_eq!(
            run(grel!("toLowerCase"), &[(grel!("valueParameter"), x())], &r),
            ["  café au lait "]
        );
        assert_eq!(
            run(grel!("string_trim"), &[(value, x())], &r),
            ["Café au lait"]
        );
        let replace = [
            (value, x()),
            (grel!("p_string_find"), constant(r"\s+(\w+)")),
            (grel!("p_string_replace"), constant("_$1")),
        ];
        assert_eq!(
            run(grel!("string_replace"), &replace, &r),
            ["_Café_au_lait "]
        );
        let split = [(value, x()), (grel!("p_string_sep"), constant(" "))];
        assert_eq!(
            run(grel!("string_split"), &split, &r),
            ["Café", "au", "lait"],
            "empty parts are no values"
        );
        let join = [
            (grel!("p_array_a"), Value::Reference("list".into())),
            (grel!("p_string_sep"), constant("+")),
        ];
        assert_eq!(run(grel!("array_join"), &join, &r), ["a+b+c"]);
        let concat = [
            (idlab!("str"), constant("a")),
            (idlab!("otherStr"), Value::Reference("list".into())),
        ];
        assert_eq!(
            run(idlab!("concat"), &concat, &r),
            ["aa", "ab", "ac"],
            "one call per value, no delimiter by default"
        );
        let concat = [
            (grel!("valueParameter1"), constant("a")),
            (grel!("valueParameter2"), constant("b")),
            (grel!("p_string_sep"), constant("-")),
        ];
        assert_eq!(
            run(
                "https://github.com/morph-kgc/morph-kgc/function/built-in.ttl#concat",
                &concat,
                &r
            ),
            ["a-b"]
        );
        // A missing value gives no result.
        assert!(
            run(
                grel!("toUpperCase"),
                &[(value, Value::Reference("none".into()))],
                &r
            )
            .is_empty()
        );
    }

    #[test]
    fn nested_functions_apply_to_each_value() {
        let r = record(&[("s", &["oiseau ; étoile;lune"])]);
        let split = call(
            grel!("string_split"),
            &[
                (grel!("valueParam"), Value::Reference("s".into())),
                (grel!("p_string_sep"), constant(";")),
            ],
        )
        .unwrap();
        let upper_trim = call(
            grel!("string_trim"),
            &[(
                grel!("valueParam"),
                Value::Function(Box::new(
                    call(
                        grel!("toUpperCase"),
                        &[(grel!("valueParam"), Value::Function(Box::new(split)))],
                    )
                    .unwrap(),
                )),
            )],
        )
        .unwrap();
        assert_eq!(
            upper_trim.evaluate(&r).unwrap(),
            ["OISEAU", "ÉTOILE", "LUNE"]
        );
    }

    #[test]
    fn dates() {
        let r = record(&[("d", &[" vers 1890 "]), ("bad", &["un jour"])]);
        let d = [(vfn!("value"), Value::Reference("d".into()))];
        assert_eq!(run(vfn!("dateBegin"), &d, &r), ["1885-01-01T00:00:00"]);
        assert_eq!(run(vfn!("dateEnd"), &d, &r), ["1895-12-31T23:59:59"]);
        assert_eq!(run(vfn!("dateLabel"), &d, &r), ["vers 1890"]);
        let bad = call(
            vfn!("dateBegin"),
            &[(vfn!("value"), Value::Reference("bad".into()))],
        )
        .unwrap();
        let err = bad.evaluate(&r).unwrap_err();
        assert!(err.contains("cannot read \"un jour\" as a date"), "{err}");
    }

    #[test]
    fn mapping_errors_say_what_is_wrong() {
        let err = call("http://example.org/nope", &[]).unwrap_err();
        assert!(
            err.starts_with("unknown function <http://example.org/nope>"),
            "{err}"
        );
        assert!(err.contains(grel!("string_split")), "{err}");
        let err = call(
            grel!("string_split"),
            &[(grel!("valueParam"), constant("x"))],
        )
        .unwrap_err();
        assert!(
            err.contains(
                "needs parameter <http://users.ugent.be/~bjdmeest/function/grel.ttl#p_string_sep>"
            ),
            "{err}"
        );
        let err = call(
            grel!("toUpperCase"),
            &[(grel!("p_string_sep"), constant("x"))],
        )
        .unwrap_err();
        assert!(err.contains("has no parameter"), "{err}");
        let err = call(
            grel!("string_replace"),
            &[
                (grel!("valueParam"), constant("x")),
                (grel!("p_string_find"), constant("(")),
                (grel!("p_string_replace"), constant("")),
            ],
        )
        .unwrap_err();
        assert!(err.contains("is not a valid regular expression"), "{err}");
    }
}
