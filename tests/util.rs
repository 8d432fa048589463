//! Shared helpers: a demo publisher ingested once per test run, and a way to run the binary.

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use std::path::Path;
use std::process::Output;
use std::sync::OnceLock;
use tower::ServiceExt;
use vitrine::config::Config;
use vitrine::ingest::Summary;
use vitrine::server::AppState;
use vitrine::store::{Answer, Names, QueryOptions, Store};

/// The demo publisher, written to a temporary folder and ingested into its own store.
pub struct Demo {
    pub dir: tempfile::TempDir,
    pub config: Config,
    pub store: Store,
    pub summary: Summary,
}

/// The demo, ingested once per backend and shared by every test that only reads it: in the
/// embedded store, or in the remote store the running test is on (see
/// [`crate::backends::run`]).
pub fn demo() -> &'static Demo {
    static EMBEDDED: OnceLock<Demo> = OnceLock::new();
    static VIRTUOSO: OnceLock<Demo> = OnceLock::new();
    static OXIGRAPH: OnceLock<Demo> = OnceLock::new();
    let cell = match crate::backends::current() {
        None => &EMBEDDED,
        Some(crate::backends::Kind::Virtuoso) => &VIRTUOSO,
        Some(crate::backends::Kind::Oxigraph) => &OXIGRAPH,
    };
    cell.get_or_init(|| fresh_demo().expect("the demo ingests"))
}

/// A new demo publisher, ingested into the running test's backend (on a remote store, under a
/// base IRI of its own).
pub fn fresh_demo() -> anyhow::Result<Demo> {
    let dir = tempfile::tempdir()?;
    let config_path = vitrine::scaffold::init(dir.path())?;
    if let Some(kind) = crate::backends::current() {
        let text = std::fs::read_to_string(&config_path)?;
        let text = crate::backends::with_store(&text, kind).replacen(
            "base_iri = \"https://data.example.org/\"",
            &format!("base_iri = \"{}\"", crate::backends::unique_base()),
            1,
        );
        std::fs::write(&config_path, text)?;
    }
    let config = Config::load(&config_path)?;
    let store = open(&config);
    let summary = vitrine::ingest::ingest(&config, &store, &config.datasets[0], &|_| {})?;
    Ok(Demo {
        dir,
        config,
        store,
        summary,
    })
}

impl Demo {
    pub fn state(&self) -> AppState {
        AppState::new(self.store.clone(), self.config.clone())
    }

    /// The rows of the demo CSV, as the csv crate reads them.
    pub fn rows(&self) -> Vec<csv::StringRecord> {
        csv::Reader::from_path(self.dir.path().join("data/joconde.csv"))
            .unwrap()
            .records()
            .map(Result::unwrap)
            .collect()
    }

    /// Index of a column of the demo CSV.
    pub fn column(&self, name: &str) -> usize {
        csv::Reader::from_path(self.dir.path().join("data/joconde.csv"))
            .unwrap()
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == name)
            .unwrap()
    }
}

/// Opens the store of `config` for writing.
pub fn open(config: &Config) -> Store {
    Store::open_configured(&config.store, Names::new(&config.base_iri), "vitrine tests").unwrap()
}

/// An empty in-memory store minting under `base`.
pub fn memory(base: &str) -> Store {
    Store::in_memory(Names::new(&oxigraph::model::NamedNode::new(base).unwrap())).unwrap()
}

/// The rows of a SELECT, as maps from variable name to term.
pub fn select(
    store: &Store,
    query: &str,
) -> Vec<std::collections::BTreeMap<String, oxigraph::model::Term>> {
    let Answer::Solutions(solutions) = store
        .query(query, &QueryOptions::default())
        .unwrap_or_else(|e| panic!("{e}\n{query}"))
    else {
        panic!("not a SELECT: {query}")
    };
    let variables = solutions.variables().to_vec();
    solutions
        .map(|row| {
            variables
                .iter()
                .zip(row.unwrap())
                .filter_map(|(v, t)| Some((v.as_str().to_owned(), t?)))
                .collect()
        })
        .collect()
}

/// The answer to an ASK query.
pub fn ask(store: &Store, query: &str) -> bool {
    match store.query(query, &QueryOptions::default()) {
        Ok(Answer::Boolean(b)) => b,
        Ok(_) => panic!("not an ASK: {query}"),
        Err(e) => panic!("{e}\n{query}"),
    }
}

/// What a test publication records: a title, a licence, the counts.
pub fn provenance(store: &Store, dataset: &str, triples: u64) -> vitrine::store::Provenance {
    vitrine::store::Provenance {
        titles: vec![("en".into(), dataset.into())],
        license: oxigraph::model::NamedNode::new_unchecked("https://example.org/licence"),
        graph: store.names().graph(dataset),
        mapping: None,
        sources: Vec::new(),
        started: std::time::SystemTime::now(),
        ended: std::time::SystemTime::now(),
        records_read: triples,
        records_published: triples,
        record_errors: 0,
        triples,
    }
}

/// Runs a SELECT query that binds `?n` to one integer.
pub fn count(store: &Store, query: &str) -> u64 {
    let rows = select(store, query);
    match rows.first().and_then(|r| r.get("n")) {
        Some(oxigraph::model::Term::Literal(l)) => l.value().parse().unwrap(),
        other => panic!("?n is {other:?}"),
    }
}

pub const PREFIXES: &str = "PREFIX crm: <http://www.cidoc-crm.org/cidoc-crm/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
";

/// Runs the built binary in `dir` with `args`, without a terminal.
pub fn vitrine(dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .args(args)
        .current_dir(dir)
        .env_remove("VITRINE_CONFIG")
        .env("XDG_DATA_HOME", dir.join(".xdg"))
        .output()
        .expect("the binary runs")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn write(path: &Path, content: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

/// Runs `mapping` and returns its quads (sorted N-Quads lines) and its record errors.
pub fn run_mapping(mapping: &vitrine::mapping::Mapping, base: &str) -> (Vec<String>, Vec<String>) {
    let mut quads = Vec::new();
    let mut errors = Vec::new();
    for item in vitrine::mapping::Executor::new(mapping, base)
        .run()
        .unwrap()
    {
        match item {
            Ok(r) => {
                quads.extend(r.quads().map(|q| q.to_string()));
                errors.extend(r.errors.iter().map(ToString::to_string));
            }
            Err(e) => errors.push(e.to_string()),
        }
    }
    quads.sort();
    (quads, errors)
}

/// Writes an RML `mapping` as `dir/mapping.ttl` and runs it with base `http://example.org/base/`.
pub fn run_rml(dir: &Path, mapping: &str) -> (Vec<String>, Vec<String>) {
    let path = dir.join("mapping.ttl");
    write(&path, mapping);
    let mapping = vitrine::mapping::Mapping::from_path(&path).unwrap();
    run_mapping(&mapping, "http://example.org/base/")
}

/// Writes `dir/vitrine.toml` for one dataset `id`, mapped by `dir/m.ttl` from `sources` and
/// validated with `shapes` (paths relative to `dir`).
pub fn write_config(dir: &Path, id: &str, sources: &[&str], shapes: &[&str]) {
    let list = |files: &[&str]| {
        let quoted: Vec<String> = files.iter().map(|f| format!("\"{f}\"")).collect();
        format!("[{}]", quoted.join(", "))
    };
    write(
        &dir.join("vitrine.toml"),
        &format!(
            "base_iri = \"https://data.example.org/\"\n[publisher]\nname = \"M\"\n[store]\npath = \"store\"\n\
             [[datasets]]\nid = \"{id}\"\ntitle = {{ en = \"{id}\" }}\nlicense = \"https://example.org/l\"\n\
             mapping = \"m.ttl\"\nsources = {}\nshapes = {}\n",
            list(sources),
            list(shapes)
        ),
    );
}

/// What the HTTP application answered.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

/// A GET of `path` with `headers` through the router serving `state`.
pub fn get_through(state: AppState, path: &str, headers: &[(header::HeaderName, &str)]) -> Reply {
    let mut request = Request::get(path);
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    send(
        vitrine::server::app(state),
        request.body(Body::empty()).unwrap(),
    )
}

/// Sends `request` through `app`'s router (no socket), on a runtime of its own.
pub fn send(app: axum::Router, request: Request<Body>) -> Reply {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let response = app.oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    })
}

/// `../shared/conformance`, read by the ignored conformance tests that `.ci/run` runs.
pub fn shared_conformance() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance")
}

/// `vitrine init pub` in `dir`, edited by `edit` (the config text in, the new one out), then
/// `vitrine ingest` through the binary (exit 0, or 1 for quarantined records); the publisher's
/// folder and what the ingest printed on stderr.
pub fn ingested_demo(
    dir: &Path,
    edit: impl FnOnce(String) -> String,
) -> (std::path::PathBuf, String) {
    assert!(vitrine(dir, &["init", "pub"]).status.success());
    let publisher = dir.join("pub");
    let config = publisher.join("vitrine.toml");
    write(&config, &edit(std::fs::read_to_string(&config).unwrap()));
    let ingest = vitrine(&publisher, &["ingest"]);
    assert!(
        ingest.status.code().is_some_and(|c| c <= 1),
        "{}",
        stderr(&ingest)
    );
    (publisher, stderr(&ingest))
}

/// A `vitrine serve` process on a free loopback port, killed when dropped.
pub struct Server {
    pub child: std::process::Child,
    /// `127.0.0.1:port`.
    pub addr: String,
}

impl Server {
    /// Starts `vitrine serve` in `dir` and waits until it answers `/health`.
    pub fn start(dir: &Path) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let addr = format!("127.0.0.1:{port}");
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_vitrine"))
            .args(["serve", "--bind", &addr])
            .current_dir(dir)
            .env_remove("VITRINE_CONFIG")
            .env("XDG_DATA_HOME", dir.join(".xdg"))
            .stdout(std::process::Stdio::null())
            .stderr(
                std::fs::File::create(dir.join("serve.log"))
                    .map_or_else(|_| std::process::Stdio::null(), std::process::Stdio::from),
            )
            .spawn()
            .unwrap();
        let server = Server { child, addr };
        let started = std::time::Instant::now();
        let mut server = server;
        while http_get(&server.addr, "/health").is_err() {
            let log = || std::fs::read_to_string(dir.join("serve.log")).unwrap_or_default();
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("the server exited ({status}):\n{}", log());
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(60),
                "the server did not start:\n{}",
                log()
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        server
    }

    /// Kills the process at once (SIGKILL), as a crash would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// `GET path` over a fresh connection: (status, body).
pub fn http_get(addr: &str, path: &str) -> std::io::Result<(u16, String)> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(std::time::Duration::from_secs(60)))?;
    write!(
        stream,
        "GET {path} HTTP/1.0\r\nHost: {addr}\r\nAccept: */*\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("not an HTTP response: {text}")))?;
    let body = text
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, b)| b.to_owned());
    Ok((status, body))
}

/// Percent-encodes a query parameter.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A raw HTTP exchange over a fresh connection.
pub struct Exchange {
    pub status: u16,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Exchange {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `method path` with `headers` and `body` (HTTP/1.0, the connection closes after).
pub fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<Exchange> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(std::time::Duration::from_secs(120)))?;
    let mut request = format!("{method} {path} HTTP/1.0\r\nHost: {addr}\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    if !body.is_empty() {
        request.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes())?;
    stream.write_all(body)?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no end of headers"))?;
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("not an HTTP response: {head}")))?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Ok(Exchange {
        status,
        headers,
        body: response[split + 4..].to_vec(),
    })
}

/// Appends `text` to the `[server]` table of `dir/vitrine.toml` (the demo has one).
pub fn server_settings(dir: &Path, text: &str) {
    let path = dir.join("vitrine.toml");
    let config = std::fs::read_to_string(&path).unwrap();
    write(
        &path,
        &config.replacen("[server]\n", &format!("[server]\n{text}\n"), 1),
    );
}

/// JSON-LD, as the parsers name it.
pub fn jsonld() -> oxigraph::io::RdfFormat {
    oxigraph::io::RdfFormat::JsonLd {
        profile: oxigraph::io::JsonLdProfileSet::empty(),
    }
}

/// The rows of a tab-separated file with one header line (a Darwin Core Archive file), by
/// header name.
pub fn tsv(text: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            header
                .iter()
                .zip(l.split('\t'))
                .map(|(h, v)| ((*h).to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}
