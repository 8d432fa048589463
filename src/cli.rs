//! Command-line definitions. The doc comments are the `--help` text.

use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Publish a cultural institution's catalogue as linked open data.
///
/// Without --config, vitrine reads ./vitrine.toml; when there is none, it runs the bundled demo
/// (paintings from the Joconde national museum catalogue).
#[derive(Debug, Parser)]
#[command(name = "vitrine", version, about, long_about)]
pub struct Cli {
    /// The publisher's configuration file.
    #[arg(long, short, global = true, env = "VITRINE_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

/// What `vitrine export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportKind {
    /// The RDF dumps of every dataset and of the whole site.
    Dumps,
    /// QuickStatements for Wikidata.
    Wikidata,
    /// An upload sheet for Wikimedia Commons (CSV, Pattypan's column names).
    Commons,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Map the datasets' records to RDF and publish them in the store.
    ///
    /// Exit status: 0 when every record was published, 1 when some were quarantined, 2 on error
    /// (a dump that could not be written included: the datasets stay published).
    Ingest {
        /// Dataset ids to ingest (default: all of them).
        datasets: Vec<String>,
    },
    /// Serve the SPARQL endpoint, the item pages and the home page (ingests first if the store is empty).
    Serve {
        /// Address to listen on, overriding `[server] bind` (e.g. 127.0.0.1:9000).
        #[arg(long)]
        bind: Option<SocketAddr>,
    },
    /// Show what is published: each dataset's graph, version, publication time and counts.
    ///
    /// Reads the store without taking it: works beside a running server or ingest.
    Status,
    /// Write what is published for reuse: the dumps (the default), or one dataset for Wikidata
    /// or Wikimedia Commons.
    ///
    /// `dumps`: per dataset and for the whole site, N-Triples and Turtle, gzipped,
    /// byte-identical for the same data, with a JSON manifest each (the server and the ingest
    /// write them too, at each publication, into `[store] dumps`).
    ///
    /// `wikidata DATASET`: QuickStatements (v1) adding what Wikidata lacks — inventory number,
    /// collection, creator, inception, material, height, width, image — for the items that have
    /// a Wikidata item (`owl:sameAs`, `--matches`, or their identifier on Wikidata), each
    /// referenced to the item's URI. Refused for a dataset not under CC0 unless its
    /// `[datasets.wikidata]` says `facts_cc0 = true`.
    ///
    /// `commons DATASET`: a CSV with one row per image, in the columns of Pattypan's Artwork
    /// template (path, name, artist, title, date, medium, dimensions, institution,
    /// accession_number, source, permission, wikidata, license…) and a `wikitext` column with
    /// the whole {{Artwork}} template, for Pattypan (save it as .xls) or OpenRefine. Images
    /// already on Commons are named in `already_on_commons` and kept under their file name,
    /// which Pattypan skips. Refused for a dataset without images.
    ///
    /// Reads the store without taking it.
    Export {
        /// What to write.
        #[arg(value_enum, default_value = "dumps")]
        what: ExportKind,
        /// The dataset to export (`wikidata`, `commons`).
        dataset: Option<String>,
        /// Where to write: a folder for `dumps` (default: the config's `[store] dumps`), a
        /// file for the others (default: standard output).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// A CSV with a header, `key,wikidata`: Wikidata items for IRIs (items, artists,
        /// keepers) and material words the data does not link.
        #[arg(long)]
        matches: Option<PathBuf>,
        /// The SPARQL endpoint asked which items hold the identifiers and what they already say.
        #[arg(long, default_value = vitrine::reuse::wikidata::WDQS)]
        wikidata_endpoint: String,
        /// Ask Wikidata nothing: match only through `owl:sameAs` and `--matches`, and write every
        /// statement (QuickStatements then adds the reference to a statement that exists).
        #[arg(long)]
        offline: bool,
    },
    /// Print the DCAT-AP catalogue (every page in one Turtle document), or score it as
    /// data.europa.eu's Metadata Quality Assessment does (`--check`).
    ///
    /// Exit status with `--check`: 0 when the rating is Excellent, 1 otherwise, 2 on error.
    Catalog {
        /// Score the catalogue: per dimension, with what is missing.
        #[arg(long)]
        check: bool,
        /// The site's public root: URLs in the catalogue are built on it, and `--check`
        /// requests them there (default: http://{server.bind}/).
        #[arg(long)]
        url: Option<String>,
        /// DCAT-AP SHACL shapes files: `--check` counts a dataset as compliant when vitrine's
        /// validator finds no violation of them (without, compliance is not checked).
        #[arg(long)]
        shapes: Vec<PathBuf>,
        /// `dcat-ap-3` (default) or `dcat-ap-2`.
        #[arg(long, default_value = "dcat-ap-3")]
        profile: String,
    },
    /// Run a SPARQL query against the published data and print the answer.
    Query {
        /// The SPARQL query text.
        query: String,
        /// Output: `table` (default for SELECT/ASK), `json`, `xml`, `csv`, `tsv`; for CONSTRUCT and
        /// DESCRIBE: `ttl` (default), `jsonld`, `nt`, `nq`, `rdf`. Media types work too.
        #[arg(long, short)]
        format: Option<String>,
    },
    /// Run a mapping on its own and write the RDF it produces (no store, no config).
    ///
    /// Sources are resolved relative to the mapping's folder, unless `--source` gives a file of
    /// the same name. Exit status: 0 all records mapped, 1 some records could not be mapped
    /// (reported on stderr), 2 the mapping itself is wrong.
    Map {
        /// The mapping: RML (Turtle) or YARRRML (`.yml`, `.yaml`).
        #[arg(long, short)]
        mapping: PathBuf,
        /// A file to read for the logical source of the same file name, as `sources` in
        /// vitrine.toml (repeatable): runs a bundled profile on your own export.
        #[arg(long = "source", short)]
        sources: Vec<PathBuf>,
        /// Base IRI that relative IRIs are resolved against.
        #[arg(long, default_value = "http://example.com/")]
        base: String,
        /// The CSV sources' delimiter, over the mapping's (e.g. `;`).
        #[arg(long)]
        delimiter: Option<String>,
        /// The CSV sources' encoding, over the mapping's: a WHATWG label such as
        /// `windows-1252` or `ISO-8859-15`.
        #[arg(long)]
        encoding: Option<String>,
        /// Output file: N-Quads when it ends in `.nq`, Turtle for `.ttl`, TriG for `.trig`,
        /// N-Triples for `.nt` (default: N-Quads on standard output).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Validate RDF files against SHACL shapes (Core and SHACL-SPARQL), without a store.
    ///
    /// Shapes and data may be the same file. Formats are guessed from the extensions.
    /// Exit status: 0 the data conforms, 1 it does not (any validation result, of any
    /// severity, as `sh:conforms false`), 2 error (unreadable file, invalid shapes graph).
    Validate {
        /// Shapes graph file(s).
        #[arg(long, short, required = true, num_args = 1..)]
        shapes: Vec<PathBuf>,
        /// Data graph file(s).
        #[arg(long, short, required = true, num_args = 1..)]
        data: Vec<PathBuf>,
        /// Output: `text` (a summary) or `turtle` (the sh:ValidationReport graph).
        #[arg(long, short, default_value = "text")]
        format: String,
    },
    /// Write a starter publisher (a commented vitrine.toml, sample records, mapping) into DIR.
    Init {
        /// Folder to create or fill (default: the current folder).
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
}
