//! Files published with records (a dossier's PDF, its plates), kept where an edit of the export
//! cannot reach them.
//!
//! The mapping checks a file while it maps its record (`vfn:fileSha256`, see
//! [`crate::mapping::functions`]) and publishes its checksum. The ingest then copies each file
//! of a record it publishes into `files/sha256/ab/ab…` beside the store, named by the SHA-256 of
//! what it copied, and checks that it is the checksum the record publishes (a file changed
//! between the two reads quarantines its record). `/files/{dataset}/{path}` (see
//! `server::files`) finds the checksum in the published graph and serves that copy.
//!
//! Why copies and not the export's folder: what is published is what was validated, until the
//! next publication: the export can be edited, moved or deleted under a running server without
//! changing a byte it serves, and a previous version's files stay as long as some reader may ask
//! for them. Content addressing makes the copy idempotent (a file published twice is stored
//! once) and gives `/files/` its `ETag`. Only a file whose checksum the published graph names
//! can be served: a path in a request is never joined to a folder.

use crate::mapping::functions::file;
use crate::mapping::{MappedRecord, RecordError};
use crate::vocab::{dcat, spdx};
use oxigraph::model::{NamedOrBlankNodeRef, TermRef};
use std::path::{Path, PathBuf};

/// The folder of kept files for a store at `store_path`.
pub fn folder(store_path: &Path) -> PathBuf {
    store_path.parent().unwrap_or(Path::new(".")).join("files")
}

/// Where the copy of a file with checksum `sha256` is, if `sha256` is one (64 lowercase hex
/// digits): anything else never becomes a path.
pub fn kept(folder: &Path, sha256: &str) -> Option<PathBuf> {
    let valid = sha256.len() == 64
        && sha256
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    valid.then(|| folder.join("sha256").join(&sha256[..2]).join(sha256))
}

/// The IRI prefix of dataset `id`'s files: `{base}files/{id}/`.
pub fn prefix(base: &str, id: &str) -> String {
    format!("{base}files/{id}/")
}

/// Copies the local files `record` publishes (its `dcat:downloadURL`s under `prefix`) into
/// `folder`, after checking each against the checksum the record publishes for it.
pub fn keep(record: &MappedRecord<'_>, prefix: &str, folder: &Path) -> Result<(), RecordError> {
    let error = |message: String| RecordError {
        position: record.position.clone(),
        field: None,
        message,
    };
    let quads: Vec<_> = record.quads().collect();
    for download in quads.iter().filter(|q| q.predicate == dcat::DOWNLOAD_URL) {
        let TermRef::NamedNode(url) = download.object else {
            continue;
        };
        let Some(encoded) = url.as_str().strip_prefix(prefix) else {
            continue;
        };
        let relative = percent_encoding::percent_decode_str(encoded)
            .decode_utf8()
            .map_err(|_| error(format!("<{url}> does not name a file")))?;
        // The checksum the record publishes for this distribution.
        let expected = quads
            .iter()
            .filter(|q| q.subject == download.subject && q.predicate == spdx::CHECKSUM)
            .filter_map(|q| match q.object {
                TermRef::NamedNode(n) => Some(NamedOrBlankNodeRef::from(n)),
                TermRef::BlankNode(b) => Some(NamedOrBlankNodeRef::from(b)),
                _ => None,
            })
            .flat_map(|c| {
                quads
                    .iter()
                    .filter(move |q| q.subject == c && q.predicate == spdx::CHECKSUM_VALUE)
            })
            .find_map(|q| match q.object {
                TermRef::Literal(l) => Some(l.value().to_ascii_lowercase()),
                _ => None,
            })
            .ok_or_else(|| error(format!("<{url}> is published without its spdx:checksum")))?;
        let source = record
            .position
            .source
            .parent()
            .unwrap_or(Path::new("."))
            .join(relative.as_ref());
        copy(&source, &expected, folder).map_err(error)?;
    }
    Ok(())
}

/// Copies `source` to its place in `folder` unless it is there already, then checks what was
/// copied.
fn copy(source: &Path, expected: &str, folder: &Path) -> Result<(), String> {
    let target =
        kept(folder, expected).ok_or_else(|| format!("\"{expected}\" is not a SHA-256 in hex"))?;
    if target.is_file() {
        return Ok(());
    }
    let parent = target.parent().unwrap_or(folder);
    let io = |e: std::io::Error| format!("cannot keep {}: {e}", source.display());
    std::fs::create_dir_all(parent).map_err(io)?;
    // Copied under a temporary name, checked, then renamed: a reader never sees half a file.
    let temporary = parent.join(format!(".{expected}.{}", std::process::id()));
    std::fs::copy(source, &temporary).map_err(io)?;
    let actual = file::sha256(&temporary).map_err(io)?;
    if actual != expected {
        let _ = std::fs::remove_file(&temporary);
        return Err(format!(
            "file {} changed while it was published (SHA-256 {actual}, expected {expected})",
            source.display()
        ));
    }
    std::fs::rename(&temporary, &target).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_checksums_become_paths() {
        let folder = Path::new("/srv/files");
        let hex = "0123456789abcdef".repeat(4);
        assert_eq!(
            kept(folder, &hex).unwrap(),
            folder.join("sha256/01").join(&hex)
        );
        assert!(kept(folder, "../../etc/passwd").is_none());
        assert!(kept(folder, &hex.to_uppercase()).is_none());
        assert!(kept(folder, &hex[1..]).is_none());
    }
}
