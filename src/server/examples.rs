//! The example queries of `queries/`, compiled in: the query page offers them by title.

/// Each example's text, in file order. `tests/queries.rs` checks that the query page lists
/// every file of `queries/`.
const TEXTS: &[&str] = &[
    include_str!("../../queries/01-works-by-artist-over-a-period.rq"),
    include_str!("../../queries/02-acquisitions-per-decade-and-mode.rq"),
    include_str!("../../queries/03-objects-per-material.rq"),
    include_str!("../../queries/04-artists-born-in-a-place.rq"),
    include_str!("../../queries/05-books-by-language.rq"),
    include_str!("../../queries/06-works-with-an-image-and-no-date.rq"),
    include_str!("../../queries/07-links-to-wikidata.rq"),
    include_str!("../../queries/08-agents-in-two-datasets.rq"),
    include_str!("../../queries/09-library-authors-performed-on-stage.rq"),
    include_str!("../../queries/10-painters-whose-texts-are-performed.rq"),
    include_str!("../../queries/11-works-performed-by-author.rq"),
    include_str!("../../queries/12-roles-of-a-performer.rq"),
    include_str!("../../queries/13-events-per-venue-and-type.rq"),
    include_str!("../../queries/14-works-per-museum.rq"),
    include_str!("../../queries/15-federated-wikidata-birth-dates.rq"),
    include_str!("../../queries/16-specimens-per-collector.rq"),
    include_str!("../../queries/17-specimens-per-decade.rq"),
    include_str!("../../queries/18-specimens-per-taxon.rq"),
    include_str!("../../queries/19-specimens-with-an-image-and-no-coordinates.rq"),
    include_str!("../../queries/20-specimens-in-another-datum.rq"),
    include_str!("../../queries/21-dossiers-on-19th-century-painting-for-a-level.rq"),
];

/// An example query, with the title and description its comments give.
#[derive(Debug, Clone, serde::Serialize)]
pub(super) struct Example {
    pub title: String,
    pub description: String,
    pub text: &'static str,
    /// Calls another endpoint through `SERVICE`.
    pub federated: bool,
}

/// The examples, in file order.
pub(super) fn examples() -> Vec<Example> {
    TEXTS
        .iter()
        .map(|text| {
            let comment = |key: &str| {
                text.lines()
                    .find_map(|l| l.strip_prefix(&format!("# {key}:")))
                    .map(|v| v.trim().to_owned())
                    .unwrap_or_default()
            };
            Example {
                title: comment("title"),
                description: comment("description"),
                text,
                federated: comment("federated") == "true",
            }
        })
        .collect()
}
