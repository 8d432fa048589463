//! The Europeana dump of each dataset: `edm/{dataset}.zip` in the dumps folder, one RDF/XML
//! file per record (`{local name}.xml`), the layout Europeana's Metis harvests, with a manifest
//! (`edm/{dataset}.json`) written last, like the other dumps' ([`crate::catalog::dump`]).
//!
//! Written at each publication for the datasets whose manifest is stale: another version, or
//! another publisher name or licence in the config (records carry both). A dataset none of
//! whose items has a record gets a manifest without a file, so the catalogue lists no empty
//! distribution.

use super::{Context, Record};
use crate::catalog::dump::{Error, File};
use crate::config::Config;
use crate::reuse::oai_dc;
use crate::store::{Published, Store, items};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The folder under the dumps folder (and under `/dumps/`).
pub const FOLDER: &str = "edm";

/// The version of the records' layout: a vitrine that makes them differently rewrites them.
const LAYOUT: u32 = 2;

/// Items described per store lookup.
const CHUNK: usize = 100;

/// What a dataset's Europeana dump holds.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    pub dataset: String,
    /// The records' layout ([`LAYOUT`] when written by this vitrine).
    pub layout: u32,
    /// The version dumped: (dataset, version number).
    pub versions: Vec<(String, u64)>,
    /// When that version was published.
    pub modified: String,
    /// The publisher name and licence the records were made with.
    pub context: (String, String),
    /// The archive, when some item has a record.
    pub file: Option<File>,
    /// Records written, and items of the dataset left out (see [`super::Refusal`]).
    pub records: u64,
    pub refused: u64,
}

/// Where the manifest of `dataset` is.
pub fn manifest_path(dir: &Path, dataset: &str) -> PathBuf {
    dir.join(FOLDER).join(format!("{dataset}.json"))
}

/// The manifest of `dataset`, when it describes what is published now with the config's
/// publisher and licence.
pub fn current_manifest(view: &Published, config: &Config, dataset: &str) -> Option<Manifest> {
    let d = view.get(dataset)?;
    let ctx = Context::of(config, dataset)?;
    let text = std::fs::read(manifest_path(&config.store.dumps, dataset)).ok()?;
    let m: Manifest = serde_json::from_slice(&text).ok()?;
    (m.layout == LAYOUT
        && m.versions == [(d.id.clone(), d.version.number)]
        && m.context == (ctx.publisher.to_owned(), ctx.licence.to_owned()))
        .then_some(m)
}

/// Writes the Europeana dump of every published dataset whose manifest is stale; returns the
/// ids written.
pub fn refresh(store: &Store, config: &Config) -> Result<Vec<String>, Error> {
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut written = Vec::new();
    let mut all = None;
    for d in store.published().datasets() {
        if config.dataset(&d.id).is_none()
            || current_manifest(&store.published(), config, &d.id).is_some()
        {
            continue;
        }
        let all = match &all {
            Some(all) => all,
            None => all.insert(items::list(store)?),
        };
        write(store, config, &d.id, all)?;
        written.push(d.id.clone());
    }
    Ok(written)
}

/// The name of an item's file in the archive: its local name, with anything but letters,
/// digits, `.`, `_` and `-` percent-encoded (no folders, no `..`).
fn entry_name(local: &str) -> String {
    let mut out = String::with_capacity(local.len() + 4);
    for b in local.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-') || (b == b'.' && !out.is_empty()) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out.push_str(".xml");
    out
}

/// Writes the dump of `dataset` from `all`, the publication's items.
fn write(
    store: &Store,
    config: &Config,
    dataset: &str,
    all: &[oxigraph::model::NamedNode],
) -> Result<Manifest, Error> {
    let view = store.published();
    let d = view
        .get(dataset)
        .ok_or_else(|| Error::NotPublished(dataset.to_owned()))?;
    let ctx = Context::of(config, dataset).ok_or_else(|| Error::NotPublished(dataset.into()))?;
    let dir = config.store.dumps.join(FOLDER);
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| Error::Io { path, source }
    };
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let name = format!("{dataset}.zip");
    let path = dir.join(&name);
    let tmp = path.with_extension(format!("zip.{}.tmp", std::process::id()));
    let file = std::fs::File::create(&tmp).map_err(io(&tmp))?;
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
    // Deflated, dated 1980-01-01 (the format's epoch): the bytes depend on the records only.
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let zip_error = |path: &Path| {
        let path = path.to_owned();
        move |e: zip::result::ZipError| Error::Io {
            path,
            source: std::io::Error::other(e),
        }
    };
    let namespace = items::namespace(store.names(), dataset);
    let (mut records, mut refused) = (0, 0);
    for chunk in items::of_dataset(all, store.names(), dataset).chunks(CHUNK) {
        let (described, labels) = oai_dc::read(store, chunk)?;
        for item in &described {
            match Record::new(item, &labels, &ctx) {
                Ok(record) => {
                    let local = item.item.as_str().strip_prefix(&namespace).unwrap_or("");
                    zip.start_file(entry_name(local), options)
                        .map_err(zip_error(&tmp))?;
                    zip.write_all(&record.to_xml()).map_err(io(&tmp))?;
                    records += 1;
                }
                Err(_) => refused += 1,
            }
        }
    }
    let file = zip
        .finish()
        .map_err(zip_error(&tmp))?
        .into_inner()
        .map_err(|e| Error::Io {
            path: tmp.clone(),
            source: e.into_error(),
        })?;
    file.sync_all().map_err(io(&tmp))?;
    drop(file);
    let file = if records > 0 {
        std::fs::rename(&tmp, &path).map_err(io(&path))?;
        Some(describe_file(&path, format!("{FOLDER}/{name}"))?)
    } else {
        let _ = std::fs::remove_file(&tmp);
        let _ = std::fs::remove_file(&path);
        None
    };
    let manifest = Manifest {
        dataset: dataset.to_owned(),
        layout: LAYOUT,
        versions: vec![(d.id.clone(), d.version.number)],
        modified: d.published.clone(),
        context: (ctx.publisher.to_owned(), ctx.licence.to_owned()),
        file,
        records,
        refused,
    };
    let json = serde_json::to_vec_pretty(&manifest).expect("a manifest serialises");
    let target = manifest_path(&config.store.dumps, dataset);
    let tmp = target.with_extension(format!("json.{}.tmp", std::process::id()));
    std::fs::write(&tmp, json).map_err(io(&tmp))?;
    std::fs::rename(&tmp, &target).map_err(io(&target))?;
    Ok(manifest)
}

/// Size and checksums of a written file.
fn describe_file(path: &Path, name: String) -> Result<File, Error> {
    let io = |source| Error::Io {
        path: path.to_owned(),
        source,
    };
    let mut f = std::fs::File::open(path).map_err(io)?;
    let (mut sha256, mut sha1) = (Sha256::new(), <sha1::Sha1 as sha1::Digest>::new());
    let mut buf = vec![0; 64 * 1024];
    let mut bytes = 0;
    loop {
        let n = f.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        bytes += n as u64;
        sha256.update(&buf[..n]);
        sha1::Digest::update(&mut sha1, &buf[..n]);
    }
    let hex = |b: &[u8]| b.iter().map(|b| format!("{b:02x}")).collect::<String>();
    Ok(File {
        path: name,
        bytes,
        sha256: hex(&sha256.finalize()),
        sha1: hex(&sha1::Digest::finalize(sha1)),
    })
}

#[cfg(test)]
mod tests {
    use super::entry_name;

    #[test]
    fn entry_names_stay_in_the_archive() {
        assert_eq!(entry_name("11040000343"), "11040000343.xml");
        assert_eq!(entry_name("a/b"), "a%2Fb.xml");
        assert_eq!(entry_name("../x"), "%2E.%2Fx.xml");
    }
}
