//! `vitrine catalog --check`: the whole catalogue as a portal would harvest it, scored by
//! [`super::quality`], with its URLs requested and, when shapes are given, its DCAT-AP
//! compliance checked by vitrine's own SHACL validator.

use super::dcat::{Builder, Profile};
use crate::config::Config;
use crate::store::Store;
use crate::vocab::dcat;
use oxigraph::model::{Graph, NamedOrBlankNode, NamedOrBlankNodeRef, Term, Triple};
use std::collections::HashSet;
use std::path::PathBuf;

/// Why the check could not run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the config has no [catalog]: there is no catalogue to check")]
    NoCatalog,
    #[error("DCAT-AP shapes: {0}")]
    Shapes(String),
}

/// Every page of the catalogue, merged, as served under `site`.
pub fn whole_catalogue(
    config: &Config,
    store: &Store,
    site: &str,
    profile: Profile,
) -> Result<Vec<Triple>, Error> {
    let view = store.published();
    let builder = Builder::new(config, &view, site, profile).ok_or(Error::NoCatalog)?;
    let mut triples = Vec::new();
    let mut number = 1;
    loop {
        let page = builder.page(number, "");
        triples.extend(page.triples);
        if page.number >= page.pages {
            break;
        }
        number += 1;
    }
    triples.sort_by_cached_key(ToString::to_string);
    triples.dedup();
    Ok(triples)
}

/// The datasets with at least one SHACL violation of `shapes` on themselves or on one of their
/// distributions (the MQA counts compliance per dataset).
pub fn non_compliant(
    graph: &Graph,
    shapes: &[PathBuf],
) -> Result<HashSet<NamedOrBlankNode>, Error> {
    // The validator reads files: the catalogue goes through a scratch one.
    let data = std::env::temp_dir().join(format!("vitrine-catalog-{}.nt", std::process::id()));
    let mut text = String::new();
    for t in graph {
        text.push_str(&format!("{t} .\n"));
    }
    std::fs::write(&data, text).map_err(|e| Error::Shapes(format!("{}: {e}", data.display())))?;
    let validated = crate::validate::validate_files(shapes, std::slice::from_ref(&data));
    let _ = std::fs::remove_file(&data);
    let (report, _) = validated.map_err(|e| Error::Shapes(e.to_string()))?;
    let mut out = HashSet::new();
    for result in report.results() {
        if result.severity.as_str() != "http://www.w3.org/ns/shacl#Violation" {
            continue;
        }
        let focus = match &result.focus_node {
            Term::NamedNode(n) => NamedOrBlankNode::from(n.clone()),
            Term::BlankNode(b) => NamedOrBlankNode::from(b.clone()),
            _ => continue,
        };
        // A distribution's violation is its dataset's.
        let owners: Vec<NamedOrBlankNode> = graph
            .subjects_for_predicate_object(dcat::DISTRIBUTION_PROP, focus.as_ref())
            .map(NamedOrBlankNodeRef::into_owned)
            .collect();
        if owners.is_empty() {
            out.insert(focus);
        } else {
            out.extend(owners);
        }
    }
    Ok(out)
}
