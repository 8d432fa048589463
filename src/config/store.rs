//! `[store]`: where the triples live — the embedded store in a folder, or a SPARQL 1.1 store the
//! publisher already runs — and where dumps are written.

use crate::store::RemoteSettings;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where the store keeps its files, and which store it is.
#[derive(Debug, Clone)]
pub struct StoreConfig {
    /// Absolute path of the embedded store's folder; with a remote store, the local folder
    /// holding the staging stores, the writer's lock and the control socket.
    pub path: PathBuf,
    /// Absolute path of the folder the dumps are written to at each publication.
    pub dumps: PathBuf,
    pub backend: Backend,
}

/// `backend = …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// `"oxigraph"` (the default): Oxigraph embedded in the vitrine process.
    Embedded,
    /// `"sparql"`: a remote store over the SPARQL 1.1 protocols.
    Sparql(RemoteSettings),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStore {
    path: Option<PathBuf>,
    dumps: Option<PathBuf>,
    backend: Option<String>,
    query_endpoint: Option<String>,
    update_endpoint: Option<String>,
    graph_store_endpoint: Option<String>,
    user: Option<String>,
    password_env: Option<String>,
    push_batch: Option<usize>,
    push_connections: Option<usize>,
    retry_for: Option<String>,
    timeout: Option<String>,
}

impl RawStore {
    /// Checks the keys; `invalid(key, message)` makes the error naming `store.{key}`.
    pub(super) fn check(
        self,
        root: &Path,
        invalid: &dyn Fn(String, String) -> super::Error,
    ) -> Result<StoreConfig, super::Error> {
        let bad = |key: &str, message: String| invalid(format!("store.{key}"), message);
        let remote_keys = [
            ("query_endpoint", self.query_endpoint.is_some()),
            ("update_endpoint", self.update_endpoint.is_some()),
            ("graph_store_endpoint", self.graph_store_endpoint.is_some()),
            ("user", self.user.is_some()),
            ("password_env", self.password_env.is_some()),
            ("push_batch", self.push_batch.is_some()),
            ("push_connections", self.push_connections.is_some()),
            ("retry_for", self.retry_for.is_some()),
            ("timeout", self.timeout.is_some()),
        ];
        let backend = match self.backend.as_deref().unwrap_or("oxigraph") {
            "oxigraph" => {
                if let Some((key, _)) = remote_keys.iter().find(|(_, given)| *given) {
                    return Err(bad(
                        key,
                        "only applies to a remote store (`backend = \"sparql\"`)".into(),
                    ));
                }
                Backend::Embedded
            }
            "sparql" => Backend::Sparql(self.remote(&bad)?),
            other => {
                return Err(bad(
                    "backend",
                    format!("`{other}` is not a store: use \"oxigraph\" (embedded) or \"sparql\""),
                ));
            }
        };
        Ok(StoreConfig {
            path: root.join(self.path.as_deref().unwrap_or(Path::new("store"))),
            dumps: root.join(self.dumps.as_deref().unwrap_or(Path::new("dumps"))),
            backend,
        })
    }

    fn remote(
        &self,
        bad: &dyn Fn(&str, String) -> super::Error,
    ) -> Result<RemoteSettings, super::Error> {
        let endpoint = |key: &str, value: &Option<String>| -> Result<String, super::Error> {
            let Some(url) = value else {
                return Err(bad(key, "is required with `backend = \"sparql\"`".into()));
            };
            let parsed: Result<ureq::http::Uri, _> = url.parse();
            match parsed {
                Ok(uri)
                    if matches!(uri.scheme_str(), Some("http" | "https"))
                        && uri.host().is_some() =>
                {
                    Ok(url.clone())
                }
                _ => Err(bad(key, format!("`{url}` is not an http(s) URL"))),
            }
        };
        let mut settings = RemoteSettings::new(
            endpoint("query_endpoint", &self.query_endpoint)?,
            endpoint("update_endpoint", &self.update_endpoint)?,
            endpoint("graph_store_endpoint", &self.graph_store_endpoint)?,
        );
        match (&self.user, &self.password_env) {
            (Some(_), None) => {
                return Err(bad(
                    "password_env",
                    "is required with `user`: the name of the environment variable holding the password".into(),
                ));
            }
            (None, Some(_)) => {
                return Err(bad("user", "is required with `password_env`".into()));
            }
            _ => {}
        }
        settings.user.clone_from(&self.user);
        settings.password_env.clone_from(&self.password_env);
        let positive = |key: &str, n: Option<usize>, default: usize| match n {
            Some(0) => Err(bad(key, "must be at least 1".into())),
            Some(n) => Ok(n),
            None => Ok(default),
        };
        settings.push_batch = positive("push_batch", self.push_batch, settings.push_batch)?;
        settings.push_connections = positive(
            "push_connections",
            self.push_connections,
            settings.push_connections,
        )?;
        let duration = |key: &str, text: &Option<String>, default: Duration| match text {
            Some(t) => humantime::parse_duration(t)
                .map_err(|e| bad(key, format!("`{t}`: {e} (e.g. \"2m\")"))),
            None => Ok(default),
        };
        settings.retry_for = duration("retry_for", &self.retry_for, settings.retry_for)?;
        settings.timeout = duration("timeout", &self.timeout, settings.timeout)?;
        Ok(settings)
    }
}
