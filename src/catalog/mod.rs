//! Federation with the portals: the DCAT-AP catalogue, VoID, and the dumps both point to.
//!
//! Dumps and their statistics are written once per publication ([`dump::refresh`], called by
//! the ingest after `publish` and by the server at start for anything stale); the catalogue
//! and VoID documents are built from the config, the published view and those manifests, so
//! they never disagree with what is published. `quality` scores a catalogue the way
//! data.europa.eu does.

pub mod check;
pub mod dcat;
pub mod dump;
pub mod quality;
pub mod void;
