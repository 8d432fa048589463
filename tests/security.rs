//! What an anonymous visitor can send the public site, through the real binary: hostile item
//! paths get a clear 4xx or 404 and never reach anything but published data, nothing they send
//! comes back unescaped, and pages carry the security headers.

use crate::util::{Server, http};
use base64::Engine;
use sha2::Digest;

#[test]
fn hostile_item_paths_and_security_headers() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&crate::util::ingested_demo(dir.path(), |text| text).0);
    let addr = server.addr.as_str();
    let long = format!("/id/{}", "a".repeat(10_000));
    let paths = [
        "/id/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/id/joconde/%22%3E%3Cimg%20src=x%3E",
        "/id/%7B%7D",
        "/id/../vitrine.toml",
        "/id/..%2F..%2Fvitrine.toml",
        "/id/%2e%2e/%2e%2e/vitrine.toml",
        "/id/joconde/%00",
        "/id/%C0%AF",
        "/id/%FF%FE",
        "/dumps/..%2Fvitrine.toml",
        "/dumps/%2e%2e/vitrine.toml",
        "/vitrine/metadata",
        "/id/vitrine/version/joconde/1",
        long.as_str(),
    ];
    for path in paths {
        for accept in ["text/html", "text/turtle"] {
            let reply = http(addr, "GET", path, &[("Accept", accept)], b"").unwrap();
            assert!(
                (400..500).contains(&reply.status),
                "{path} ({accept}): {}",
                reply.status
            );
            let text = reply.text();
            assert!(!text.contains("<script>alert"), "{path}: echoed unescaped");
            assert!(!text.contains("<img src=x>"), "{path}: echoed unescaped");
            assert!(!text.contains("base_iri"), "{path}: a file was served");
        }
    }

    // An HTML page: its inline style is allowed by hash, nothing else runs.
    let page = http(
        addr,
        "GET",
        "/id/joconde/000PE000015",
        &[("Accept", "text/html")],
        b"",
    )
    .unwrap();
    assert_eq!(page.status, 200);
    let csp = page
        .header("content-security-policy")
        .expect("a CSP on HTML")
        .to_owned();
    let text = page.text();
    let style = text
        .split_once("<style>")
        .and_then(|(_, rest)| rest.split_once("</style>"))
        .map(|(style, _)| style)
        .expect("the page has its style");
    let hash =
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(style.as_bytes()));
    assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
    assert!(
        csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert!(!csp.contains("script-src"), "no script is allowed: {csp}");
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert!(page.header("referrer-policy").is_some());

    // RDF documents have no CSP to carry, but are not sniffed either.
    let turtle = http(
        addr,
        "GET",
        "/id/joconde/000PE000015",
        &[("Accept", "text/turtle")],
        b"",
    )
    .unwrap();
    assert_eq!(turtle.status, 200);
    assert!(turtle.header("content-security-policy").is_none());
    assert_eq!(turtle.header("x-content-type-options"), Some("nosniff"));
}

/// Reads from `stream` until the server closes it or `limit` passes: what came, how long it
/// took, and whether the server closed the connection.
fn read_until_closed(
    stream: &mut std::net::TcpStream,
    limit: std::time::Duration,
) -> (String, std::time::Duration, bool) {
    use std::io::Read;
    let started = std::time::Instant::now();
    stream
        .set_read_timeout(Some(std::time::Duration::from_millis(100)))
        .unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let mut closed = false;
    while started.elapsed() < limit {
        match stream.read(&mut buf) {
            Ok(0) => {
                closed = true;
                break;
            }
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                closed = true;
                break;
            }
            Err(_) => {}
        }
    }
    (
        String::from_utf8_lossy(&got).into_owned(),
        started.elapsed(),
        closed,
    )
}

#[test]
fn slow_idle_and_oversized_clients_are_bounded() {
    use std::io::Write;
    use std::net::TcpStream;
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    let (publisher, _) = crate::util::ingested_demo(dir.path(), |text| text);
    crate::util::server_settings(
        &publisher,
        "header_timeout = \"1s\"\nmax_connections = 3\nmax_url_bytes = 2048\nmax_header_bytes = 16384",
    );
    let server = Server::start(&publisher);
    let addr = server.addr.as_str();

    // Slowloris: headers sent a byte every 200 ms never complete; the connection is closed
    // at the header deadline, not held.
    let mut slow = TcpStream::connect(addr).unwrap();
    let started = Instant::now();
    for byte in b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaa" {
        if slow.write_all(&[*byte]).is_err() {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
        if started.elapsed() > Duration::from_secs(6) {
            break;
        }
    }
    let (_, _, closed) = read_until_closed(&mut slow, Duration::from_secs(5));
    let held = started.elapsed();
    assert!(closed && held < Duration::from_secs(8), "held {held:?}");

    // Connections are counted: with 3 idle ones open, a fourth client waits; once the idle
    // ones reach the header deadline they are closed and it is answered.
    let idle: Vec<TcpStream> = (0..3).map(|_| TcpStream::connect(addr).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(100));
    let started = Instant::now();
    let (status, _) = crate::util::http_get(addr, "/health").unwrap();
    let waited = started.elapsed();
    assert_eq!(status, 200);
    assert!(
        waited >= Duration::from_millis(500) && waited < Duration::from_secs(5),
        "the fourth client waited {waited:?}"
    );
    for mut stream in idle {
        let (got, _, closed) = read_until_closed(&mut stream, Duration::from_secs(3));
        assert!(got.is_empty() || got.starts_with("HTTP/1.1 408"), "{got}");
        assert!(closed, "an idle connection stayed open");
    }

    // Oversized request targets and heads get their status, with a reason.
    let query = format!("/sparql?query={}", "a".repeat(3000));
    let reply = http(addr, "GET", &query, &[], b"").unwrap();
    assert_eq!(reply.status, 414);
    assert!(reply.text().contains("POST"), "{}", reply.text());
    let big = "b".repeat(20_000);
    let reply = http(addr, "GET", "/health", &[("X-Big", big.as_str())], b"");
    match reply {
        Ok(reply) => assert_eq!(reply.status, 431),
        // hyper may close the connection as soon as the head overflows its buffer.
        Err(e) => assert!(
            matches!(
                e.kind(),
                std::io::ErrorKind::ConnectionReset
                    | std::io::ErrorKind::BrokenPipe
                    | std::io::ErrorKind::UnexpectedEof
            ),
            "{e}"
        ),
    }
    // The server is still there for everyone else.
    assert_eq!(crate::util::http_get(addr, "/health").unwrap().0, 200);
}

#[test]
fn the_ingest_handover_socket_is_the_store_owners_only() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = tempfile::tempdir().unwrap();
    let (publisher, _) = crate::util::ingested_demo(dir.path(), |text| text);
    let mut server = Server::start(&publisher);
    let socket = publisher.join("store/control.sock");
    let mode = std::fs::metadata(&socket).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the control socket is the owner's only");

    // The peer check behind the mode: even with the socket opened to everyone by mistake,
    // another user's process is refused and nothing runs. Acting as another user needs root.
    let root = std::fs::metadata("/proc/self").unwrap().uid() == 0;
    // The system's Python: another user cannot reach a per-user one under /root.
    let tools = ["/usr/bin/setpriv", "/usr/bin/python3"]
        .iter()
        .all(|t| std::path::Path::new(t).exists());
    if !(root && tools) {
        println!(
            "security: the control socket's peer check was not run (needs root, setpriv, /usr/bin/python3)"
        );
        return;
    }
    for folder in [dir.path(), &publisher, &publisher.join("store")] {
        std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    std::fs::set_permissions(&socket, std::fs::Permissions::from_mode(0o666)).unwrap();
    let request = format!(
        r#"{{"Ingest": {{"config": "{}", "datasets": []}}}}"#,
        publisher.join("vitrine.toml").display()
    );
    let client = format!(
        "import socket, sys\ns = socket.socket(socket.AF_UNIX)\ns.connect({:?})\n\
         try:\n    s.sendall({request:?}.encode() + b'\\n')\n    s.settimeout(10)\n    got = s.recv(4096)\n\
         except (BrokenPipeError, ConnectionResetError):\n    got = b''\nsys.stdout.write(repr(got))\n",
        socket.display().to_string()
    );
    let out = std::process::Command::new("setpriv")
        .args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "/usr/bin/python3",
            "-c",
            &client,
        ])
        .output()
        .unwrap();
    let answer = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(answer, "b''", "another user's request got an answer");
    server.kill();
    let log = std::fs::read_to_string(publisher.join("serve.log")).unwrap();
    assert!(log.contains("refused a process of another user"), "{log}");
    assert!(!log.contains("ingest"), "nothing was ingested: {log}");
}
