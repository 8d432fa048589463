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
