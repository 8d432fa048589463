//! The demo publisher that ships inside the binary, and `vitrine init`, which writes it out.
//!
//! The files are the ones in `examples/demo/`, compiled in, so `vitrine init` and the
//! no-config demo work from an installed binary with no source tree around.

use std::path::{Path, PathBuf};

/// The demo publisher's files, as (path relative to the publisher folder, content). The
/// profiles' mappings and shapes are links in `examples/demo/` to the repository's `mappings/`
/// and `shapes/`, so the demo always ships the profiles as they are.
pub const DEMO_FILES: &[(&str, &str)] = &[
    (
        "vitrine.toml",
        include_str!("../examples/demo/vitrine.toml"),
    ),
    ("README.md", include_str!("../examples/demo/README.md")),
    (
        "data/joconde.csv",
        include_str!("../examples/demo/data/joconde.csv"),
    ),
    (
        "data/bnf-bo.xml",
        include_str!("../examples/demo/data/bnf-bo.xml"),
    ),
    (
        "data/events.csv",
        include_str!("../examples/demo/data/events.csv"),
    ),
    (
        "data/participations.csv",
        include_str!("../examples/demo/data/participations.csv"),
    ),
    (
        "data/herbarium/meta.xml",
        include_str!("../examples/demo/data/herbarium/meta.xml"),
    ),
    (
        "data/herbarium/eml.xml",
        include_str!("../examples/demo/data/herbarium/eml.xml"),
    ),
    (
        "data/herbarium/occurrence.txt",
        include_str!("../examples/demo/data/herbarium/occurrence.txt"),
    ),
    (
        "data/herbarium/multimedia.txt",
        include_str!("../examples/demo/data/herbarium/multimedia.txt"),
    ),
    (
        "data/dossiers.csv",
        include_str!("../examples/demo/data/dossiers.csv"),
    ),
    (
        "data/dossier-files.csv",
        include_str!("../examples/demo/data/dossier-files.csv"),
    ),
    (
        "data/dossiers/make-files.py",
        include_str!("../examples/demo/data/dossiers/make-files.py"),
    ),
    (
        "data/dossiers/planches/index.html",
        include_str!("../examples/demo/data/dossiers/planches/index.html"),
    ),
    (
        "data/ATTRIBUTION.md",
        include_str!("../examples/demo/data/ATTRIBUTION.md"),
    ),
    (
        "mappings/museum.yarrrml.yml",
        include_str!("../examples/demo/mappings/museum.yarrrml.yml"),
    ),
    (
        "mappings/library.yarrrml.yml",
        include_str!("../examples/demo/mappings/library.yarrrml.yml"),
    ),
    (
        "mappings/events.yarrrml.yml",
        include_str!("../examples/demo/mappings/events.yarrrml.yml"),
    ),
    (
        "mappings/joconde.rml.ttl",
        include_str!("../examples/demo/mappings/joconde.rml.ttl"),
    ),
    (
        "mappings/natural-history.yarrrml.yml",
        include_str!("../examples/demo/mappings/natural-history.yarrrml.yml"),
    ),
    (
        "shapes/natural-history.shapes.ttl",
        include_str!("../examples/demo/shapes/natural-history.shapes.ttl"),
    ),
    (
        "shapes/museum.shapes.ttl",
        include_str!("../examples/demo/shapes/museum.shapes.ttl"),
    ),
    (
        "shapes/library.shapes.ttl",
        include_str!("../examples/demo/shapes/library.shapes.ttl"),
    ),
    (
        "shapes/events.shapes.ttl",
        include_str!("../examples/demo/shapes/events.shapes.ttl"),
    ),
    (
        "mappings/documents.yarrrml.yml",
        include_str!("../examples/demo/mappings/documents.yarrrml.yml"),
    ),
    (
        "shapes/documents.shapes.ttl",
        include_str!("../examples/demo/shapes/documents.shapes.ttl"),
    ),
    (
        "shapes/agents.shapes.ttl",
        include_str!("../examples/demo/shapes/agents.shapes.ttl"),
    ),
];

/// The demo's files that are not text (the dossiers' PDFs and plates), written the same way.
pub const DEMO_BINARY_FILES: &[(&str, &[u8])] = &[
    (
        "data/dossiers/algues-brunes-documentation.pdf",
        include_bytes!("../examples/demo/data/dossiers/algues-brunes-documentation.pdf"),
    ),
    (
        "data/dossiers/courbet-catalogue.pdf",
        include_bytes!("../examples/demo/data/dossiers/courbet-catalogue.pdf"),
    ),
    (
        "data/dossiers/gautier-conference.pdf",
        include_bytes!("../examples/demo/data/dossiers/gautier-conference.pdf"),
    ),
    (
        "data/dossiers/impressionnisme-dossier-enseignant.pdf",
        include_bytes!("../examples/demo/data/dossiers/impressionnisme-dossier-enseignant.pdf"),
    ),
    (
        "data/dossiers/impressionnisme-fiche-eleve.pdf",
        include_bytes!("../examples/demo/data/dossiers/impressionnisme-fiche-eleve.pdf"),
    ),
    (
        "data/dossiers/misanthrope-dossier-pedagogique.pdf",
        include_bytes!("../examples/demo/data/dossiers/misanthrope-dossier-pedagogique.pdf"),
    ),
    (
        "data/dossiers/miserables-fiche-mediation.pdf",
        include_bytes!("../examples/demo/data/dossiers/miserables-fiche-mediation.pdf"),
    ),
    (
        "data/dossiers/moreau-fiche-mediation.pdf",
        include_bytes!("../examples/demo/data/dossiers/moreau-fiche-mediation.pdf"),
    ),
    (
        "data/dossiers/planches/paysage-1.png",
        include_bytes!("../examples/demo/data/dossiers/planches/paysage-1.png"),
    ),
    (
        "data/dossiers/planches/paysage-2.png",
        include_bytes!("../examples/demo/data/dossiers/planches/paysage-2.png"),
    ),
];

/// Why a starter publisher could not be written.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The folder already holds a publisher; nothing was overwritten.
    #[error("{} already exists; vitrine init never overwrites a publisher", path.display())]
    Exists { path: PathBuf },
    /// A file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Writes the demo publisher into `dir`, refusing to overwrite any file.
pub fn init(dir: &Path) -> Result<PathBuf, Error> {
    let files = DEMO_FILES
        .iter()
        .map(|(p, c)| (*p, c.as_bytes()))
        .chain(DEMO_BINARY_FILES.iter().copied());
    if let Some((existing, _)) = files.clone().find(|(p, _)| dir.join(p).exists()) {
        return Err(Error::Exists {
            path: dir.join(existing),
        });
    }
    for (relative, content) in files {
        let path = dir.join(relative);
        let write = || -> std::io::Result<()> {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, content)
        };
        write().map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
    }
    Ok(dir.join("vitrine.toml"))
}

/// The configuration to use when none is given and `./vitrine.toml` does not exist: the demo in
/// the source tree when running from it (`cargo run`), else a copy written once under the user's
/// data folder.
pub fn demo_config() -> Result<PathBuf, Error> {
    let in_tree = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo/vitrine.toml");
    if in_tree.is_file() {
        return Ok(in_tree);
    }
    let data_home = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(std::env::temp_dir);
    let dir = data_home.join("vitrine/demo");
    let config = dir.join("vitrine.toml");
    if config.is_file() {
        return Ok(config);
    }
    init(&dir)
}
