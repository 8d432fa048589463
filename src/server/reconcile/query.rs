//! Reconciliation queries: a batch `{"q0": {query, type, limit, properties, type_strict}}`
//! answered with candidates scored 0–100.
//!
//! Candidates are the items whose labels share a word with the query in the search index
//! (within one typo for longer words). Their score is how alike the folded label and the folded
//! query are (100: the same words in the same order; 98: the same words in another order;
//! otherwise the larger of the shared-word ratio and the edit-distance ratio), blended with the
//! properties the query gives when it gives any: 70 % name, 30 % properties, each property
//! counting 1 when a value agrees, 0 when the candidate has values and none agrees, and ½ when it
//! has none. A candidate is a `match` only when its name is the query's (95 or more), no
//! property contradicts it and it is at least 10 points ahead of the next one: OpenRefine then
//! accepts it without asking.
//!
//! A query without a name but with an `identifier` or `sameAs` looks those up instead; its
//! properties are then the whole score.
//!
//! `type` filters by kind; `type_strict` is `any` (the default: one of the types), `all` (every
//! type: only possible when they name one kind) or `should` (a preference: candidates of other
//! kinds are kept, 10 points lower).

use super::properties::{self, Property, Shape, Value};
use super::{AppState, Error, id_of, iri_of, kind_of_type, type_json};
use crate::server::search::{Built, Indexed};
use oxigraph::model::{NamedNode, Term};
use rustc_hash::FxHashMap;
use serde::Deserialize;
use std::sync::Arc;

/// Candidates returned when a query gives no `limit`.
const DEFAULT_LIMIT: usize = 10;
/// The most candidates a query may ask for.
const MAX_LIMIT: usize = 100;
/// The most queries in one batch (OpenRefine sends 10 at a time): a batch is answered on one
/// thread, its cost bounded by this times the candidates of a query.
const MAX_BATCH: usize = 100;
/// The most candidates scored for one query, whatever its limit.
const MAX_POOL: usize = 200;
/// The name score from which a candidate can be a match.
const MATCH_NAME: f64 = 95.0;
/// How far ahead of the next candidate a match must be.
const MATCH_LEAD: f64 = 10.0;
/// What a candidate of another kind loses when the types are a preference.
const OTHER_KIND: f64 = 10.0;

/// A parsed batch, in the order of its keys.
pub(super) struct Batch(Vec<(String, Request)>);

/// One query of a batch.
struct Request {
    text: String,
    /// The kinds candidates must have (empty: any).
    kinds: Vec<&'static str>,
    /// The kinds candidates should have (`type_strict: should`).
    preferred: Vec<&'static str>,
    /// The types asked for name no kind any item has: nothing can match.
    impossible: bool,
    limit: usize,
    properties: Vec<(&'static Property, Vec<Wanted>)>,
}

/// A value a query gives for a property.
enum Wanted {
    Text(String),
    /// A reconciled entity (`{"id": …}`): its IRI.
    Entity(String),
}

#[derive(Deserialize)]
struct RawRequest {
    #[serde(default)]
    query: String,
    #[serde(rename = "type")]
    types: Option<OneOrMany>,
    limit: Option<f64>,
    #[serde(default)]
    properties: Vec<RawProperty>,
    type_strict: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
struct RawProperty {
    pid: String,
    v: serde_json::Value,
}

/// Reads the `queries` field: a JSON object of queries.
pub(super) fn parse(text: &str) -> Result<Batch, Error> {
    let bad = |m: String| Error::BadRequest(format!("`queries`: {m}"));
    let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(text)
        .map_err(|e| bad(format!("not a JSON object of queries ({e})")))?;
    if map.len() > MAX_BATCH {
        return Err(bad(format!(
            "{} queries in one batch; send at most {MAX_BATCH}",
            map.len()
        )));
    }
    let mut batch = Vec::with_capacity(map.len());
    for (key, value) in map {
        let raw: RawRequest =
            serde_json::from_value(value).map_err(|e| bad(format!("{key}: {e}")))?;
        let request = request(raw).map_err(|m| bad(format!("{key}: {m}")))?;
        batch.push((key, request));
    }
    Ok(Batch(batch))
}

fn request(raw: RawRequest) -> Result<Request, String> {
    let types = match raw.types {
        None => Vec::new(),
        Some(OneOrMany::One(t)) => vec![t],
        Some(OneOrMany::Many(ts)) => ts,
    };
    let mut kinds: Vec<&'static str> = Vec::new();
    for t in &types {
        if let Some(k) = kind_of_type(t) {
            if !kinds.contains(&k) {
                kinds.push(k);
            }
        }
    }
    let strict = raw.type_strict.as_deref().unwrap_or("any");
    let (kinds, preferred, impossible) = match strict {
        "any" => (
            kinds.clone(),
            Vec::new(),
            !types.is_empty() && kinds.is_empty(),
        ),
        // One kind per item: several types can all hold only if they name one kind.
        "all" => (
            kinds.clone(),
            Vec::new(),
            !types.is_empty() && kinds.len() != 1,
        ),
        "should" => (Vec::new(), kinds, false),
        other => {
            return Err(format!(
                "type_strict is {other:?}; it is one of \"any\", \"all\", \"should\""
            ));
        }
    };
    let limit = match raw.limit {
        None => DEFAULT_LIMIT,
        Some(l) if l.is_finite() && l >= 0.0 => (l as usize).min(MAX_LIMIT),
        Some(l) => return Err(format!("limit {l} is not a number of candidates")),
    };
    let mut props = Vec::new();
    for p in raw.properties {
        let property = properties::named(&p.pid).ok_or_else(|| {
            format!(
                "unknown property {:?}; the properties are {}",
                p.pid,
                properties::ids()
            )
        })?;
        let mut wanted = Vec::new();
        let values = match p.v {
            serde_json::Value::Array(list) => list,
            one => vec![one],
        };
        for v in values {
            match v {
                serde_json::Value::String(s) if !s.trim().is_empty() => {
                    wanted.push(Wanted::Text(s));
                }
                serde_json::Value::Number(n) => wanted.push(Wanted::Text(n.to_string())),
                serde_json::Value::Bool(b) => wanted.push(Wanted::Text(b.to_string())),
                serde_json::Value::Object(o) => match o.get("id").and_then(|i| i.as_str()) {
                    Some(id) => wanted.push(Wanted::Entity(id.to_owned())),
                    None => return Err(format!("{}: an entity value needs an \"id\"", p.pid)),
                },
                _ => {}
            }
        }
        if !wanted.is_empty() {
            props.push((property, wanted));
        }
    }
    Ok(Request {
        text: raw.query,
        kinds,
        preferred,
        impossible,
        limit,
        properties: props,
    })
}

/// A candidate with its scores.
struct Scored {
    item: Indexed,
    name: f64,
    score: f64,
    /// A property the query gives disagrees with the candidate's values.
    contradicted: bool,
}

/// Answers a batch against the index `built` and the store.
pub(super) fn answer(
    state: &AppState,
    built: &Arc<Built>,
    batch: Batch,
) -> Result<serde_json::Value, Error> {
    let base = state.store.base_iri();
    let mut pools: Vec<Vec<Indexed>> = Vec::with_capacity(batch.0.len());
    for (_, r) in &batch.0 {
        let pool = if r.impossible {
            Vec::new()
        } else if r.text.trim().is_empty() {
            by_identifiers(state, built, r)?
        } else {
            // More than asked: properties may lift a candidate BM25 ranks lower.
            let size = (r.limit * 3).clamp(30, MAX_POOL);
            built.candidates(&r.text, &r.kinds, size)?
        };
        pools.push(pool);
    }
    // The values of every property the batch uses, one lookup per property for all
    // candidates.
    let mut values: FxHashMap<&'static str, FxHashMap<String, Vec<Value>>> = FxHashMap::default();
    for (_, r) in &batch.0 {
        for (property, _) in &r.properties {
            values.entry(property.id).or_default();
        }
    }
    if !values.is_empty() {
        let mut iris: Vec<NamedNode> = pools
            .iter()
            .flatten()
            .filter_map(|c| NamedNode::new(&c.iri).ok())
            .collect();
        iris.sort_unstable();
        iris.dedup();
        for (id, found) in values.iter_mut() {
            if let Some(property) = properties::named(id) {
                *found = properties::values(&state.store, &iris, property)?;
            }
        }
    }
    let none: FxHashMap<String, Vec<Value>> = FxHashMap::default();
    let mut out = serde_json::Map::new();
    for ((key, request), pool) in batch.0.into_iter().zip(pools) {
        let query = built.fold(&request.text);
        let mut scored: Vec<Scored> = pool
            .into_iter()
            .map(|item| {
                let name = item
                    .labels
                    .iter()
                    .map(|l| similarity(&query, &built.fold(l)))
                    .fold(0.0, f64::max)
                    * 100.0;
                let mut evidence = Vec::new();
                let mut contradicted = false;
                for (property, wanted) in &request.properties {
                    let have = values
                        .get(property.id)
                        .unwrap_or(&none)
                        .get(&item.iri)
                        .map_or(&[][..], Vec::as_slice);
                    let agreement = agree(built, base, property, wanted, have);
                    if agreement < 0.5 {
                        contradicted = true;
                    }
                    evidence.push(agreement);
                }
                let mean = evidence.iter().sum::<f64>() / evidence.len().max(1) as f64;
                // Without a name, the identifiers are the whole evidence.
                let name = if query.is_empty() { 100.0 * mean } else { name };
                let mut score = if evidence.is_empty() || query.is_empty() {
                    name
                } else {
                    0.7 * name + 30.0 * mean
                };
                if !request.preferred.is_empty() && !request.preferred.contains(&item.kind.as_str())
                {
                    score = (score - OTHER_KIND).max(0.0);
                }
                Scored {
                    item,
                    name,
                    score: (score * 100.0).round() / 100.0,
                    contradicted,
                }
            })
            .collect();
        // Stable: equal scores keep the index's order.
        scored.sort_by(|a, b| b.score.total_cmp(&a.score));
        scored.truncate(request.limit);
        let lead = match scored.as_slice() {
            [first, second, ..] => first.score - second.score,
            _ => f64::INFINITY,
        };
        let results: Vec<serde_json::Value> = scored
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let matched =
                    i == 0 && c.name >= MATCH_NAME && !c.contradicted && lead >= MATCH_LEAD;
                serde_json::json!({
                    "id": id_of(base, &c.item.iri),
                    "name": c.item.labels.first().cloned().unwrap_or_else(|| c.item.iri.clone()),
                    "score": c.score,
                    "match": matched,
                    "type": [type_json(&c.item.kind)],
                    "description": describe(&c.item),
                })
            })
            .collect();
        out.insert(key, serde_json::json!({"result": results}));
    }
    Ok(serde_json::Value::Object(out))
}

/// The candidates of a query that gives no name: the items whose `identifier` or `sameAs`
/// is one the query gives (other properties then only score them).
fn by_identifiers(state: &AppState, built: &Built, r: &Request) -> Result<Vec<Indexed>, Error> {
    let mut found: Vec<Indexed> = Vec::new();
    for (property, wanted) in &r.properties {
        if !matches!(property.id, "identifier" | "sameAs") {
            continue;
        }
        let texts: Vec<&str> = wanted
            .iter()
            .map(|w| match w {
                Wanted::Text(t) | Wanted::Entity(t) => t.trim(),
            })
            .collect();
        for iri in properties::subjects(&state.store, property, &texts, MAX_POOL)? {
            if found.iter().any(|c| c.iri == iri) {
                continue;
            }
            if let Some(item) = built.item(&iri)? {
                if r.kinds.is_empty() || r.kinds.contains(&item.kind.as_str()) {
                    found.push(item);
                }
            }
        }
    }
    Ok(found)
}

/// A line telling candidates with the same name apart: makers, then the datasets.
pub(super) fn describe(item: &Indexed) -> String {
    let mut parts = item.makers.clone();
    parts.extend(item.datasets.iter().cloned());
    parts.join(" · ")
}

/// How well the values `have` agree with `wanted`: 1 yes, 0 no, ½ when there are none.
fn agree(built: &Built, base: &str, property: &Property, wanted: &[Wanted], have: &[Value]) -> f64 {
    if have.is_empty() {
        return 0.5;
    }
    let mut best: f64 = 0.0;
    for w in wanted {
        for h in have {
            let a = match (property.shape, w) {
                (Shape::Date, Wanted::Text(t)) => match (date(t), date_of(h)) {
                    (Some(a), Some(b)) => f64::from(u8::from(a.agrees(&b))),
                    _ => 0.0,
                },
                (Shape::Entity, Wanted::Entity(id)) => {
                    let same = iri_of(base, id).is_ok_and(|iri| h.text() == iri.as_str());
                    f64::from(u8::from(same))
                }
                (Shape::Entity, Wanted::Text(name)) => {
                    let label = h.label.as_deref().unwrap_or(h.text());
                    similarity(&built.fold(name), &built.fold(label))
                }
                (Shape::Link, w) => {
                    let v = match w {
                        Wanted::Text(t) | Wanted::Entity(t) => t.trim(),
                    };
                    let iri = h.text();
                    let tail = iri.rsplit(['/', '#']).next().unwrap_or(iri);
                    f64::from(u8::from(iri == v || tail.eq_ignore_ascii_case(v)))
                }
                (Shape::Text, w) => {
                    let v = match w {
                        Wanted::Text(t) | Wanted::Entity(t) => t,
                    };
                    if property.id == "identifier" {
                        f64::from(u8::from(built.fold(v) == built.fold(h.text())))
                    } else {
                        similarity(&built.fold(v), &built.fold(h.text()))
                    }
                }
                (Shape::Date, Wanted::Entity(_)) => 0.0,
            };
            best = best.max(a);
        }
    }
    best
}

/// A date as precise as its text: a year, perhaps a month, perhaps a day.
#[derive(Debug, PartialEq, Eq)]
struct Date<'a> {
    year: &'a str,
    month: Option<&'a str>,
    day: Option<&'a str>,
}

impl Date<'_> {
    /// The same year, and the same month and day as far as both say.
    fn agrees(&self, other: &Date<'_>) -> bool {
        let same = |a: Option<&str>, b: Option<&str>| a.zip(b).is_none_or(|(a, b)| a == b);
        self.year == other.year
            && same(self.month, other.month)
            && (self.month.is_none() || other.month.is_none() || same(self.day, other.day))
    }
}

/// The first date in `text`: "vers 1890", "1869-05-24", "2025-09-26T20:00:00".
fn date(text: &str) -> Option<Date<'_>> {
    let bytes = text.as_bytes();
    let digits = |at: usize, n: usize| {
        bytes.len() >= at + n
            && bytes[at..at + n].iter().all(u8::is_ascii_digit)
            && bytes.get(at + n).is_none_or(|b| !b.is_ascii_digit())
    };
    let start =
        (0..bytes.len()).find(|&i| (i == 0 || !bytes[i - 1].is_ascii_digit()) && digits(i, 4))?;
    let part = |at: usize| (bytes.get(at) == Some(&b'-') && digits(at + 1, 2)).then_some(at + 1);
    let month = part(start + 4);
    let day = month.and_then(|m| part(m + 2));
    Some(Date {
        year: &text[start..start + 4],
        month: month.map(|m| &text[m..m + 2]),
        day: day.map(|d| &text[d..d + 2]),
    })
}

fn date_of(value: &Value) -> Option<Date<'_>> {
    match &value.term {
        Term::Literal(l) => date(l.value()),
        _ => value.label.as_deref().and_then(date),
    }
}

/// How alike two folded word lists are, 0 to 1.
fn similarity(a: &[String], b: &[String]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    let mut rest: Vec<&String> = b.iter().collect();
    let mut unmatched: Vec<&String> = Vec::new();
    let mut shared = 0usize;
    for w in a {
        match rest.iter().position(|x| *x == w) {
            Some(i) => {
                rest.swap_remove(i);
                shared += 1;
            }
            None => unmatched.push(w),
        }
    }
    if shared == a.len() && shared == b.len() {
        return 0.98;
    }
    // A longer word one typo away counts for most of a word ("cezane paul", "paul cezanne").
    let mut near = 0usize;
    for w in unmatched {
        let typo = |x: &&String| {
            w.chars().count() >= 5 && x.chars().count() >= 5 && edit_distance(w, x) <= 1
        };
        if let Some(i) = rest.iter().position(typo) {
            rest.swap_remove(i);
            near += 1;
        }
    }
    let words = 2.0 * (shared as f64 + 0.8 * near as f64) / (a.len() + b.len()) as f64;
    let (x, y) = (a.join(" "), b.join(" "));
    let longest = x.chars().count().max(y.chars().count());
    let letters = 1.0 - edit_distance(&x, &y) as f64 / longest as f64;
    // The ratio of edits stays below the same words reordered.
    words.max(letters).min(0.97)
}

/// Levenshtein distance over the first 100 characters of each (labels are short; a longer
/// text costs no more than that).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(100).collect();
    let b: Vec<char> = b.chars().take(100).collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            current[j + 1] = (previous[j] + cost)
                .min(previous[j + 1] + 1)
                .min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_owned).collect()
    }

    #[test]
    fn same_words_score_highest_then_reordered_then_typos() {
        assert_eq!(
            similarity(&words("monet claude"), &words("monet claude")),
            1.0
        );
        assert_eq!(
            similarity(&words("claude monet"), &words("monet claude")),
            0.98
        );
        let typo = similarity(&words("clade monet"), &words("claude monet"));
        assert!(typo > 0.9 && typo < 0.98, "{typo}");
        let swapped = similarity(&words("paul cezane"), &words("cezanne paul"));
        assert!((0.9..0.98).contains(&swapped), "{swapped}");
        let part = similarity(&words("monet"), &words("monet claude"));
        assert!(part < 0.7, "{part}");
        assert_eq!(similarity(&[], &words("a")), 0.0);
    }

    #[test]
    fn dates_agree_as_far_as_both_are_precise() {
        let d = |t| date(t).unwrap();
        assert_eq!(d("vers 1890").year, "1890");
        assert_eq!(d("1869-05-24").day, Some("24"));
        assert!(date("XIXe siècle").is_none() && date("12345").is_none());
        assert!(d("1890").agrees(&d("vers 1890")));
        assert!(d("2025-09-27").agrees(&d("2025-09-27T20:00:00")));
        assert!(!d("2025-09-27").agrees(&d("2025-09-26T20:00:00")));
        assert!(d("2025").agrees(&d("2025-09-26T20:00:00")));
        assert!(!d("1874").agrees(&d("1872")));
    }

    #[test]
    fn a_batch_reads_types_limits_and_properties() {
        let batch = parse(
            r#"{"q0": {"query": "Salomé", "type": ["object", "person"], "limit": 3,
                       "properties": [{"pid": "date", "v": 1874}], "type_strict": "should"},
                "q1": {"query": "x", "type": "urn:nothing"}}"#,
        )
        .unwrap();
        let (_, q0) = &batch.0[0];
        assert_eq!(q0.limit, 3);
        assert!(q0.kinds.is_empty());
        assert_eq!(q0.preferred, ["object", "person"]);
        assert!(matches!(&q0.properties[0].1[0], Wanted::Text(t) if t == "1874"));
        assert!(batch.0[1].1.impossible);
        for bad in [
            "{",
            "[1]",
            r#"{"q0": "Monet"}"#,
            r#"{"q0": {"query": "a", "type_strict": "maybe"}}"#,
            r#"{"q0": {"query": "a", "properties": [{"pid": "colour", "v": "red"}]}}"#,
            r#"{"q0": {"query": "a", "limit": -1}}"#,
        ] {
            let Err(Error::BadRequest(message)) = parse(bad) else {
                panic!("{bad} is accepted");
            };
            assert!(message.starts_with("`queries`"), "{message}");
        }
    }
}
