//! The items of the publication: the resources that have a page of their own, as the sitemap
//! lists them and OAI-PMH and the Europeana export take them as records.
//!
//! One definition for every consumer, so a harvester and a crawler never disagree on what the
//! publication holds: an item is a typed IRI minted under the base, except the nodes minted
//! under another item (`…/production`, `…#image`: see [`is_part_of`]), which are parts of its
//! page. A dataset's records are the items in its own namespace, `{base}id/{dataset}/`; the
//! shared agents, places and periods (`{base}id/agent/…`) are items but no dataset's records.

use super::{Answer, Error, Names, QueryOptions, Store, is_part_of};
use oxigraph::model::{NamedNode, Term};

/// Every item of the current publication, sorted by IRI.
pub fn list(store: &Store) -> Result<Vec<NamedNode>, Error> {
    let prefix = store.base_iri();
    let query = format!(
        "SELECT DISTINCT ?s WHERE {{ ?s a ?type FILTER(isIRI(?s) && STRSTARTS(STR(?s), \"{prefix}\")) }}"
    );
    let Answer::Solutions(solutions) = store.query(&query, &QueryOptions::default())? else {
        return Ok(Vec::new());
    };
    let mut iris = Vec::new();
    for row in solutions {
        if let Some(Some(Term::NamedNode(n))) = row?.into_iter().next() {
            iris.push(n);
        }
    }
    iris.sort_unstable();
    // Sorted, a part comes right after an item it belongs to, or after other parts of it.
    let mut out: Vec<NamedNode> = Vec::with_capacity(iris.len());
    for iri in iris {
        if out
            .last()
            .is_some_and(|o| is_part_of(iri.as_str(), o.as_str()))
        {
            continue;
        }
        out.push(iri);
    }
    Ok(out)
}

/// `{base}id/{dataset}/`: where the records of `dataset` are minted.
pub fn namespace(names: &Names, dataset: &str) -> String {
    format!("{}{dataset}/", names.items())
}

/// The records of `dataset` among `items` (sorted, as [`list`] returns them): a contiguous run.
pub fn of_dataset<'a>(items: &'a [NamedNode], names: &Names, dataset: &str) -> &'a [NamedNode] {
    let prefix = namespace(names, dataset);
    let start = items.partition_point(|i| i.as_str() < prefix.as_str());
    let len = items[start..].partition_point(|i| i.as_str().starts_with(&prefix));
    &items[start..start + len]
}

/// The dataset whose namespace holds `iri`, among `datasets`.
pub fn dataset_of<'a>(
    iri: &str,
    names: &Names,
    datasets: &'a [super::PublishedDataset],
) -> Option<&'a super::PublishedDataset> {
    let local = iri.strip_prefix(&names.items())?;
    let (id, rest) = local.split_once('/')?;
    (!rest.is_empty()).then_some(())?;
    datasets.iter().find(|d| d.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dataset_s_records_are_a_run_of_the_sorted_items() {
        let names = Names::new(&NamedNode::new_unchecked("https://d.org/"));
        let items: Vec<NamedNode> = [
            "https://d.org/id/agent/x",
            "https://d.org/id/jo/1",
            "https://d.org/id/jo/2",
            "https://d.org/id/joconde/3",
            "https://d.org/id/place/p",
        ]
        .into_iter()
        .map(NamedNode::new_unchecked)
        .collect();
        let jo: Vec<&str> = of_dataset(&items, &names, "jo")
            .iter()
            .map(NamedNode::as_str)
            .collect();
        assert_eq!(jo, ["https://d.org/id/jo/1", "https://d.org/id/jo/2"]);
        assert_eq!(of_dataset(&items, &names, "joconde").len(), 1);
        assert!(of_dataset(&items, &names, "none").is_empty());
    }
}
