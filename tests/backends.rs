//! The remote stores the remote-backend tests run against: a Virtuoso and an `oxigraph serve`
//! on loopback, started by `.ci/run` with `tests/stores/*.sh` and named by environment
//! variables (`VITRINE_TEST_VIRTUOSO`, `VITRINE_TEST_OXIGRAPH`: their base URL). Tests that
//! need them are ignored by `cargo test`; run without the variable, they fail and say so.
//!
//! Tests share each store, so every test publishes under a base IRI of its own: the metadata
//! graph and the version graphs of one base are invisible to the others.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use vitrine::store::{Names, RemoteSettings, Store};

/// The Virtuoso login `.ci/run` gives its throw-away database.
pub const VIRTUOSO_PASSWORD_ENV: &str = "VITRINE_TEST_VIRTUOSO_PASSWORD";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Virtuoso,
    Oxigraph,
}

impl Kind {
    fn variable(self) -> &'static str {
        match self {
            Kind::Virtuoso => "VITRINE_TEST_VIRTUOSO",
            Kind::Oxigraph => "VITRINE_TEST_OXIGRAPH",
        }
    }

    /// The store's base URL, e.g. `http://127.0.0.1:8890`.
    pub fn url(self) -> String {
        let variable = self.variable();
        std::env::var(variable).unwrap_or_else(|_| {
            panic!(
                "{variable} is not set: this test needs a running {self:?} store (`.ci/run` starts one with tests/stores/)"
            )
        })
    }

    /// The `[store]` keys reaching the store named by its environment variable.
    pub fn endpoints(self) -> (String, String, String) {
        self.endpoints_at(&self.url())
    }

    /// The `[store]` keys reaching a store of this kind at `url`.
    pub fn endpoints_at(self, url: &str) -> (String, String, String) {
        match self {
            // Reading is anonymous; writes go through the endpoints that ask for a login.
            Kind::Virtuoso => (
                format!("{url}/sparql"),
                format!("{url}/sparql-auth"),
                format!("{url}/sparql-graph-crud-auth"),
            ),
            Kind::Oxigraph => (
                format!("{url}/query"),
                format!("{url}/update"),
                format!("{url}/store"),
            ),
        }
    }

    pub fn settings(self) -> RemoteSettings {
        let (query, update, store) = self.endpoints();
        let mut settings = RemoteSettings::new(query, update, store);
        if self == Kind::Virtuoso {
            settings.user = Some("dba".into());
            settings.password_env = Some(VIRTUOSO_PASSWORD_ENV.into());
        }
        settings
    }

    /// The `[store]` table of a `vitrine.toml` using this store, its local folder in `store`.
    pub fn store_table(self) -> String {
        self.store_table_at(&self.url())
    }

    /// The same for a store of this kind at `url`.
    pub fn store_table_at(self, url: &str) -> String {
        let (query, update, store) = self.endpoints_at(url);
        let login = match self {
            Kind::Virtuoso => {
                format!("user = \"dba\"\npassword_env = \"{VIRTUOSO_PASSWORD_ENV}\"\n")
            }
            Kind::Oxigraph => String::new(),
        };
        format!(
            "[store]\npath = \"store\"\nbackend = \"sparql\"\nquery_endpoint = \"{query}\"\nupdate_endpoint = \"{update}\"\ngraph_store_endpoint = \"{store}\"\n{login}"
        )
    }
}

/// A base IRI no other test, in this run or an earlier one against the same store, uses.
pub fn unique_base() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    format!(
        "https://data.example.org/t{}-{nanos}-{}/",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// The remote store `kind`, written through a local folder at `path`.
pub fn open(kind: Kind, path: &Path, names: Names) -> Store {
    let backend =
        vitrine::store::Remote::open(kind.settings(), names.clone(), path, "vitrine tests")
            .unwrap_or_else(|e| panic!("{kind:?}: {e}"));
    Store::with_backend(std::sync::Arc::new(backend), names).unwrap()
}

/// Rewrites the `[store]` table of a config text to use `kind`.
pub fn with_store(config: &str, kind: Kind) -> String {
    replace_store_table(config, &kind.store_table())
}

/// Replaces the `[store]` table of a config text by `table`.
pub fn replace_store_table(config: &str, table: &str) -> String {
    let start = config
        .find("[store]")
        .expect("the config has a [store] table");
    let end = config[start + 1..]
        .find("\n[")
        .map_or(config.len(), |i| start + 2 + i);
    format!("{}{table}\n{}", &config[..start], &config[end..])
}

thread_local! {
    /// The backend the running test is on (`None`: the embedded store).
    static CURRENT: std::cell::Cell<Option<Kind>> = const { std::cell::Cell::new(None) };
}

/// The backend the running test is on.
pub fn current() -> Option<Kind> {
    CURRENT.with(std::cell::Cell::get)
}

/// Runs a test body on `backend` (tests run one per thread).
pub fn run(backend: Option<Kind>, body: fn()) {
    CURRENT.with(|c| c.set(backend));
    body();
}

/// Runs each listed test body on the embedded store, and (ignored by `cargo test`) on Virtuoso
/// and `oxigraph serve`: `embedded::name`, `virtuoso::name`, `oxigraph_server::name`.
macro_rules! on_every_backend {
    ($($test:ident),* $(,)?) => {
        mod embedded {
            $(
                #[test]
                fn $test() {
                    crate::backends::run(None, super::$test);
                }
            )*
        }
        mod virtuoso {
            $(
                #[test]
                #[ignore = "needs Virtuoso (started by .ci/run)"]
                fn $test() {
                    crate::backends::run(Some(crate::backends::Kind::Virtuoso), super::$test);
                }
            )*
        }
        mod oxigraph_server {
            $(
                #[test]
                #[ignore = "needs `oxigraph serve` (started by .ci/run)"]
                fn $test() {
                    crate::backends::run(Some(crate::backends::Kind::Oxigraph), super::$test);
                }
            )*
        }
    };
}
pub(crate) use on_every_backend;
