//! How datasets and graphs are named under the publisher's base IRI.
//!
//! Needs no store: the catalogue, the server and a remote backend all name things the same way
//! from the base IRI alone. Two families of names:
//!
//! - **public**, stable across re-ingests: a dataset `{base}dataset/{id}` and its graph
//!   `{base}graph/{id}` (or the IRI the config gives it). These appear in queries and answers.
//! - **internal**, under `{base}vitrine/`: the metadata graph, one graph per loaded version
//!   (`{base}vitrine/version/{id}/{n}`) and the validation reports. No public query form can
//!   reach them; [`Names::is_internal`] tells them apart.
//!
//! Dataset ids are slugs (`[a-z0-9_-]+`, checked by the config), so `{base}graph/{id}` never
//! contains a `/` after the id and cannot be mistaken for an internal name.

use oxigraph::model::NamedNode;

/// The naming scheme of one publisher.
///
/// ```
/// use oxigraph::model::NamedNode;
/// use vitrine::store::Names;
/// let names = Names::new(&NamedNode::new("https://data.example.org/")?);
/// assert_eq!(names.graph("joconde").as_str(), "https://data.example.org/graph/joconde");
/// let version = names.version("joconde", 3);
/// assert!(names.is_internal(version.as_str()));
/// assert_eq!(names.parse_version(version.as_str()), Some(("joconde", 3)));
/// # Result::<_, Box<dyn std::error::Error>>::Ok(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    base: String,
}

impl Names {
    /// `base` ends with `/` (the config checks it).
    pub fn new(base: &NamedNode) -> Self {
        Self {
            base: base.as_str().to_owned(),
        }
    }

    /// The base IRI every name starts with.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// `{base}dataset/{id}`: the dataset itself (the catalogue's `dcat:Dataset`).
    pub fn dataset(&self, id: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{}dataset/{id}", self.base))
    }

    /// The dataset id named by a `{base}dataset/{id}` IRI.
    pub fn dataset_id<'a>(&self, iri: &'a str) -> Option<&'a str> {
        iri.strip_prefix(&self.base)?.strip_prefix("dataset/")
    }

    /// `{base}graph/{id}`: a dataset's public graph, unless the config names another.
    pub fn graph(&self, id: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{}graph/{id}", self.base))
    }

    /// `{base}id/`: every item IRI starts here.
    pub fn items(&self) -> String {
        format!("{}id/", self.base)
    }

    /// The graph holding what is published (pointers to the current versions) and provenance.
    pub fn metadata(&self) -> NamedNode {
        NamedNode::new_unchecked(format!("{}{INTERNAL}metadata", self.base))
    }

    /// The graph a version of a dataset is loaded into.
    pub fn version(&self, id: &str, number: u64) -> NamedNode {
        NamedNode::new_unchecked(format!("{}{INTERNAL}version/{id}/{number}", self.base))
    }

    /// The dataset id and number of a version graph, or `None` for any other IRI.
    pub fn parse_version<'a>(&self, iri: &'a str) -> Option<(&'a str, u64)> {
        let rest = iri
            .strip_prefix(&self.base)?
            .strip_prefix(INTERNAL)?
            .strip_prefix("version/")?;
        let (id, number) = rest.split_once('/')?;
        Some((id, number.parse().ok()?))
    }

    /// The graph holding a dataset's latest validation report.
    pub fn validation(&self, id: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{}{INTERNAL}validation/{id}", self.base))
    }

    /// Whether `iri` is one of the store's own graphs (metadata, versions, reports).
    pub fn is_internal(&self, iri: &str) -> bool {
        iri.strip_prefix(&self.base)
            .is_some_and(|rest| rest.starts_with(INTERNAL))
    }

    /// Whether `iri` names `version` or one of the provenance nodes minted under it
    /// (`{version}/ingest`, `{version}/source/0`…).
    pub fn is_under(iri: &str, version: &NamedNode) -> bool {
        iri == version.as_str() || is_part_of(iri, version.as_str())
    }
}

/// Whether `iri` is minted under `owner` (`…/painting/1/production`, `…/painting/1#image`):
/// a part of it, described, indexed and shown with it.
pub fn is_part_of(iri: &str, owner: &str) -> bool {
    iri.strip_prefix(owner)
        .is_some_and(|rest| rest.starts_with('/') || rest.starts_with('#'))
}

/// The path under the base IRI that internal graphs live in.
const INTERNAL: &str = "vitrine/";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_and_public_names_never_meet() {
        let names = Names::new(&NamedNode::new_unchecked("https://d.org/"));
        assert!(!names.is_internal(names.graph("metadata").as_str()));
        assert!(names.is_internal(names.metadata().as_str()));
        assert!(names.is_internal(names.validation("x").as_str()));
        assert_eq!(
            names.parse_version("https://d.org/vitrine/version/a/12"),
            Some(("a", 12))
        );
        assert_eq!(
            names.parse_version("https://d.org/vitrine/version/a/x"),
            None
        );
        assert_eq!(names.parse_version("https://d.org/graph/a"), None);
        let v = names.version("a", 1);
        assert!(Names::is_under(
            "https://d.org/vitrine/version/a/1/ingest",
            &v
        ));
        assert!(!Names::is_under("https://d.org/vitrine/version/a/12", &v));
        assert_eq!(names.dataset_id("https://d.org/dataset/a"), Some("a"));
    }
}
