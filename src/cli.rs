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

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Map the datasets' records to RDF and publish them in the store.
    ///
    /// Exit status: 0 when every record was published, 1 when some were quarantined, 2 on error.
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
    /// Run a SPARQL query against the published data and print the answer.
    Query {
        /// The SPARQL query text.
        query: String,
        /// Output: `table` (default for SELECT/ASK), `json`, `xml`, `csv`, `tsv`; for CONSTRUCT and
        /// DESCRIBE: `ttl` (default), `nt`, `jsonld`, `rdf`.
        #[arg(long, short)]
        format: Option<String>,
    },
    /// Write a starter publisher (a commented vitrine.toml, sample records, mapping) into DIR.
    Init {
        /// Folder to create or fill (default: the current folder).
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
}
