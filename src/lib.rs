//! vitrine publishes a cultural institution's catalogue as linked open data.
//!
//! The modules follow the pipeline, left to right:
//! `config` → [`mapping`] (records to RDF with RML, or RDF files as they are) → [`validate`]
//! (SHACL) → [`store`] (the store interface, the published view, atomic publishing) →
//! [`server`] (SPARQL endpoint, dereferenceable URIs, HTML). [`ingest`] and [`server`] are the
//! only places that wire stages together; a stage only ever calls the stages to its left.
//! `ARCHITECTURE.md` in the repository draws the whole picture.
#![doc(test(attr(deny(warnings))))]

pub mod authority;
pub mod catalog;
pub mod config;
pub mod files;
pub mod formats;
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing;
pub mod ingest;
pub mod labels;
pub mod mapping;
pub mod reuse;
pub mod scaffold;
pub mod server;
pub mod store;
pub mod validate;
pub mod vocab;
