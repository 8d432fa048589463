//! Files a record names (a dossier's PDF, its plates), read where the export sits.
//!
//! A record names one file (the files sheet of a dossier export has one row per file: RML maps a
//! multi-valued cell to every combination of subjects and objects, so per-file facts need one
//! record per file): a path relative to the folder of the export, or an `http(s)` URL, and may
//! give its SHA-256 in hex (`vfn:expected`).
//!
//! The checks happen here, while the record is mapped, so that a problem is a record error
//! naming the export, the record number and the `files` field, and the record is quarantined
//! like any other that cannot be mapped: a missing file, a path that leaves the export's folder
//! (absolute, `..`), a checksum in the record that the file does not have. When the record
//! gives no checksum, the one computed is published: the ingest then keeps that exact content
//! (see [`crate::files`]). Remote URLs are linked as they are and never fetched.

use crate::formats;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// What a file function gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// `vfn:fileUrl`: where the file is downloaded (`{prefix}{path}`, or the remote URL).
    Url,
    /// `vfn:fileIri`: the IRI of the file as a resource (`{prefix}{path}{suffix}`).
    Iri,
    /// `vfn:fileChecksumIri`: the same for the file's checksum node, when its checksum is
    /// known (a local file, or a URL the record gives a checksum for).
    ChecksumIri,
    /// `vfn:fileSha256`: the checksum, verified against the record's.
    Sha256,
    /// `vfn:fileSize`: bytes, local files only.
    Size,
    /// `vfn:fileMediaType`: IANA's IRI for the type its extension says.
    MediaType,
    /// `vfn:fileName`: the last segment of the path or URL.
    Name,
}

/// One entry of a files cell.
#[derive(Debug, PartialEq, Eq)]
struct Entry<'a> {
    target: Target<'a>,
    sha256: Option<String>,
}

#[derive(Debug, PartialEq, Eq)]
enum Target<'a> {
    /// A path under the export's folder, checked to stay there.
    Local(&'a str),
    Remote(&'a str),
}

fn parse<'a>(entry: &'a str, expected: &str) -> Result<Entry<'a>, String> {
    let target = entry.trim();
    let hex = expected.trim().to_ascii_lowercase();
    let sha256 = if hex.is_empty() {
        None
    } else if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        Some(hex)
    } else {
        return Err(format!(
            "file `{target}`: the record's checksum \"{hex}\" is not a SHA-256 (64 hexadecimal digits)"
        ));
    };
    if target.starts_with("https://") || target.starts_with("http://") {
        return Ok(Entry {
            target: Target::Remote(target),
            sha256,
        });
    }
    let path = Path::new(target);
    let stays = !target.is_empty()
        && !target.contains('\\')
        && !target.contains(':')
        && path.components().all(|c| matches!(c, Component::Normal(_)));
    if !stays {
        return Err(format!(
            "file `{target}` is not a path inside the export's folder (no absolute path, no `..`)"
        ));
    }
    Ok(Entry {
        target: Target::Local(target),
        sha256,
    })
}

/// The SHA-256 of a file, in lowercase hex.
pub fn sha256(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0; 1 << 16];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Percent-encodes what an IRI path segment cannot hold as is, keeping `/` and non-ASCII
/// letters (the way templates make IRIs).
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_ascii_alphanumeric() || "-._~/".contains(c) || !c.is_ascii() {
            out.push(c);
        } else {
            let mut buffer = [0; 4];
            for b in c.encode_utf8(&mut buffer).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// Runs `part` on one entry; `folder` is the export's. `prefix` and `suffix` are used by the
/// URL and IRI parts, `expected` (the record's checksum, or nothing) by the checksum.
pub(super) fn apply(
    part: Part,
    entry: &str,
    [prefix, suffix, expected]: [&str; 3],
    folder: &Path,
) -> Result<Vec<String>, String> {
    // What names the file (its IRIs, its URL) and its checksum report a bad entry, so that
    // the row is quarantined even when its subjects are never made; the executor keeps one
    // copy of a record's repeated error. Descriptive parts just give nothing.
    let parsed = match (parse(entry, expected), part) {
        (Ok(parsed), _) => parsed,
        (Err(message), Part::Sha256 | Part::Url | Part::Iri | Part::ChecksumIri) => {
            return Err(message);
        }
        (Err(_), _) => return Ok(Vec::new()),
    };
    let local = |p: &str| -> PathBuf { folder.join(p) };
    Ok(match (part, &parsed.target) {
        (Part::Url, Target::Remote(url)) => vec![(*url).to_owned()],
        (Part::Url, Target::Local(path)) => vec![format!("{prefix}{}", encode_path(path))],
        (Part::ChecksumIri, Target::Remote(_)) if parsed.sha256.is_none() => Vec::new(),
        (Part::Iri | Part::ChecksumIri, Target::Local(path)) => {
            vec![format!("{prefix}{}{suffix}", encode_path(path))]
        }
        (Part::Iri | Part::ChecksumIri, Target::Remote(url)) => {
            let key = hex(&Sha256::digest(url.as_bytes())[..8]);
            vec![format!("{prefix}url-{key}{suffix}")]
        }
        (Part::Sha256, Target::Remote(_)) => parsed.sha256.into_iter().collect(),
        (Part::Sha256, Target::Local(path)) => {
            let file = local(path);
            if !file.is_file() {
                return Err(format!(
                    "file `{path}` is not in the export's folder ({})",
                    folder.display()
                ));
            }
            let actual = sha256(&file).map_err(|e| format!("file `{path}` cannot be read: {e}"))?;
            match parsed.sha256 {
                Some(expected) if expected != actual => {
                    return Err(format!(
                        "file `{path}` has SHA-256 {actual}, the record says {expected} \
                         (the file changed since the export, or the record names another one)"
                    ));
                }
                _ => vec![actual],
            }
        }
        (Part::Size, Target::Local(path)) => std::fs::metadata(local(path))
            .ok()
            .filter(std::fs::Metadata::is_file)
            .map(|m| m.len().to_string())
            .into_iter()
            .collect(),
        (Part::Size, Target::Remote(_)) => Vec::new(),
        (Part::MediaType, Target::Local(name) | Target::Remote(name)) => {
            let name = name.split(['?', '#']).next().unwrap_or_default();
            vec![format!(
                "{}{}",
                formats::IANA_MEDIA_TYPES,
                formats::file_media_type(name)
            )]
        }
        (Part::Name, Target::Local(name) | Target::Remote(name)) => {
            let name = name.split(['?', '#']).next().unwrap_or_default();
            name.trim_end_matches('/')
                .rsplit('/')
                .next()
                .filter(|n| !n.is_empty())
                .map(str::to_owned)
                .into_iter()
                .collect()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_stay_in_the_export_folder() {
        assert!(parse("../secret.pdf", "").is_err());
        assert!(parse("/etc/passwd", "").is_err());
        assert!(parse("a/../../b.pdf", "").is_err());
        assert!(parse("C:\\x.pdf", "").is_err());
        assert!(parse("", "").is_err());
        assert_eq!(
            parse(" dossiers/a b.pdf ", "").unwrap().target,
            Target::Local("dossiers/a b.pdf")
        );
        assert!(parse("a.pdf", "12").is_err());
        let hex = "ab".repeat(32);
        assert_eq!(
            parse("a.pdf", &hex.to_uppercase()).unwrap().sha256,
            Some(hex)
        );
        assert_eq!(
            parse("https://example.org/c.pdf", "").unwrap().target,
            Target::Remote("https://example.org/c.pdf")
        );
    }

    #[test]
    fn files_are_checked_against_their_checksum() {
        let dir = std::env::temp_dir().join(format!("vitrine-file-fn-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a b.pdf"), b"%PDF-1.4\n").unwrap();
        let good = sha256(&dir.join("a b.pdf")).unwrap();
        let checked =
            |entry: &str, expected: &str| apply(Part::Sha256, entry, ["", "", expected], &dir);
        let run = |part, entry: &str| apply(part, entry, ["files/d/", "", ""], &dir);
        assert_eq!(run(Part::Sha256, "a b.pdf").unwrap(), vec![good.clone()]);
        assert_eq!(checked("a b.pdf", &good).unwrap(), vec![good]);
        let wrong = "0".repeat(64);
        assert!(
            checked("a b.pdf", &wrong)
                .unwrap_err()
                .contains("the record says")
        );
        assert!(
            run(Part::Sha256, "missing.pdf")
                .unwrap_err()
                .contains("missing.pdf")
        );
        assert!(run(Part::Size, "missing.pdf").unwrap().is_empty());
        assert_eq!(run(Part::Size, "a b.pdf").unwrap(), vec!["9".to_owned()]);
        assert_eq!(
            run(Part::Url, "a b.pdf").unwrap(),
            vec!["files/d/a%20b.pdf"]
        );
        assert_eq!(
            run(Part::MediaType, "a b.pdf").unwrap(),
            vec!["http://www.iana.org/assignments/media-types/application/pdf"]
        );
        assert_eq!(run(Part::Name, "x/a b.pdf").unwrap(), vec!["a b.pdf"]);
        assert!(run(Part::Url, "../x.pdf").is_err());
        assert!(run(Part::Size, "../x.pdf").unwrap().is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
