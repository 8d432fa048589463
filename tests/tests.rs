//! Integration tests, one module per topic. They run the library on the bundled demo and the
//! built `vitrine` binary; no network beyond what a module says.

mod util;

mod backends;

mod browser;
mod catalog;
mod cli;
mod clients;
mod commons;
mod conformance;
mod crash;
mod darwin;
mod demo;
mod documents;
mod edm;
mod functions;
mod hostile;
mod http;
mod iiif;
mod ingest;
mod items;
mod labels;
mod mapping;
mod oai;
mod profiles;
mod queries;
mod rdf_sources;
mod reconcile;
mod remote;
mod security;
mod serve;
mod shacl;
mod shacl_conformance;
mod shapes;
mod sources;
mod sparql;
mod sparql_protocol;
mod store;
mod validation;
mod wikidata;
mod yarrrml;
