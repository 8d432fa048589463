//! The HTML pages in a real headless Chromium, against the real binary on loopback.
//!
//! Ignored by default because it needs Debian's `chromium`; `.ci/run` installs it and runs
//! these with `--ignored`.

use crate::util::{Server, stderr, vitrine};
use std::process::Command;

fn chromium_dom(url: &str) -> String {
    chromium_dom_in(url, None)
}

/// The DOM of `url`, with the browser's preferred languages set to `accept_language` if given.
fn chromium_dom_in(url: &str, accept_language: Option<&str>) -> String {
    let profile = tempfile::tempdir().unwrap();
    let accept_lang = accept_language.map(|l| format!("--accept-lang={l}"));
    let output = Command::new(std::env::var("CHROMIUM").unwrap_or_else(|_| "chromium".into()))
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            &format!("--user-data-dir={}", profile.path().display()),
            "--dump-dom",
        ])
        .args(accept_lang)
        .arg(url)
        .output()
        .expect("chromium runs (apt-get install chromium)");
    assert!(output.status.success(), "{}", stderr(&output));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
#[ignore = "needs Debian chromium; .ci/run installs it and runs ignored tests"]
fn pages_render_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    assert!(vitrine(dir.path(), &["init", "pub"]).status.success());
    let publisher = dir.path().join("pub");
    let ingest = vitrine(&publisher, &["ingest"]);
    assert!(ingest.status.success(), "{}", stderr(&ingest));
    let server = Server::start(&publisher);
    let bind = server.addr.clone();

    let home = chromium_dom(&format!("http://{bind}/"));
    assert!(home.contains("Peintures des musées de France"), "{home}");
    assert!(
        home.contains("<span class=\"records\">694</span>"),
        "{home}"
    );

    let item = chromium_dom(&format!("http://{bind}/id/joconde/000PE000015"));
    assert!(
        item.contains("<h1>L'Escalier Daru, au Louvre</h1>"),
        "{item}"
    );
    assert!(item.contains("href=\"/id/agent/andre-albert\""), "{item}");

    let artist = chromium_dom(&format!("http://{bind}/id/agent/grasset-frederic"));
    assert!(artist.contains("<h1>GRASSET Frédéric</h1>"), "{artist}");

    let query = chromium_dom(&format!(
        "http://{bind}/sparql?format=html&query=SELECT%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7B%20%3Fo%20a%20%3Chttp%3A%2F%2Fwww.cidoc-crm.org%2Fcidoc-crm%2FE22_Human-Made_Object%3E%20%7D"
    ));
    assert!(query.contains(">694<"), "{query}");

    // The query page: pick the first example question, as a visitor clicks it, and get a table
    // whose resources link into the site, named by their labels.
    let page = chromium_dom(&format!("http://{bind}/sparql"));
    let href = page
        .split("<a href=\"/sparql?query=")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the page lists example queries");
    let answer = chromium_dom(&format!(
        "http://{bind}/sparql?query={}",
        href.replace("&amp;", "&")
    ));
    let rows = answer.matches("<tr><td>").count();
    assert!(rows > 0, "{answer}");
    assert!(answer.contains("<td><a href=\"/id/joconde/"), "{answer}");
    assert!(
        answer.contains("download=\"\">csv</a>") || answer.contains(">csv</a>"),
        "{answer}"
    );

    // Vocabulary terms show their label in the reader's language, the compact name beside it.
    let french = chromium_dom_in(
        &format!("http://{bind}/id/joconde/000PE000015"),
        Some("fr-FR,fr"),
    );
    assert!(
        french.contains("lang=\"fr\">a été produit par</a><code class=\"detail\">crm:P108i_was_produced_by</code>"),
        "{french}"
    );
    let english = chromium_dom_in(
        &format!("http://{bind}/id/joconde/000PE000015"),
        Some("en-US,en"),
    );
    assert!(
        english.contains("lang=\"en\">was produced by</a>"),
        "{english}"
    );
    // The validation report of a dataset, as a table: the demo's paintings without an image.
    let report = chromium_dom(&format!("http://{bind}/validation/joconde"));
    assert!(report.contains("664 résultat(s)"), "{report}");
    assert!(
        report.contains("<td>Warning</td>") && report.contains("sh:MinCountConstraintComponent"),
        "{report}"
    );
}

/// A page in Chromium, kept offline (only loopback resolves): its DOM, the console messages it
/// logged, and a screenshot at `target/screenshots/{name}.png` for a person to look at.
fn chromium_page(url: &str, name: &str) -> (String, Vec<String>) {
    let profile = tempfile::tempdir().unwrap();
    let shots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let common = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--enable-logging=stderr",
        "--v=0",
    ];
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "chromium".into());
    let run = |extra: &[String]| {
        let output = Command::new(&chromium)
            .args(common)
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(extra)
            .arg(url)
            .output()
            .expect("chromium runs (apt-get install chromium)");
        assert!(output.status.success(), "{}", stderr(&output));
        output
    };
    let dom = run(&["--dump-dom".to_owned()]);
    run(&[
        "--window-size=1280,1600".to_owned(),
        format!(
            "--screenshot={}",
            shots.join(format!("{name}.png")).display()
        ),
    ]);
    let console = stderr(&dom)
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_owned)
        .collect();
    (String::from_utf8_lossy(&dom.stdout).into_owned(), console)
}

#[test]
#[ignore = "needs Debian chromium; .ci/run installs it and runs ignored tests"]
fn object_person_and_search_pages_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    assert!(vitrine(dir.path(), &["init", "pub"]).status.success());
    let publisher = dir.path().join("pub");
    let ingest = vitrine(&publisher, &["ingest"]);
    assert!(ingest.status.success(), "{}", stderr(&ingest));
    let server = Server::start(&publisher);
    let bind = server.addr.clone();

    // A portrait with an image on Wikimedia Commons (not fetched: the browser is offline).
    let (object, console) =
        chromium_page(&format!("http://{bind}/id/joconde/M5060000024"), "object");
    assert!(console.is_empty(), "{console:?}");
    assert!(
        object.contains("<h1>Portrait de Marcel Proust</h1>"),
        "{object}"
    );
    assert!(
        object.contains("<img src=\"http://commons.wikimedia.org/wiki/Special:FilePath/"),
        "{object}"
    );
    assert!(
        object.contains("alt=\"Portrait de Marcel Proust\""),
        "{object}"
    );
    // The production's artist, in the summary.
    assert!(
        object.contains("<dd class=\"makers\"><a href=\"/id/agent/blanche-jacques-emile\""),
        "{object}"
    );
    assert!(object.contains("application/ld+json"), "{object}");

    let (person, console) =
        chromium_page(&format!("http://{bind}/id/agent/monet-claude"), "person");
    assert!(console.is_empty(), "{console:?}");
    assert!(person.contains("<h1>MONET Claude</h1>"), "{person}");
    assert!(person.contains("id=\"incoming\""), "{person}");

    let (search, console) = chromium_page(&format!("http://{bind}/search?q=MONET"), "search");
    assert!(console.is_empty(), "{console:?}");
    assert!(
        search.contains("href=\"/id/agent/monet-claude\""),
        "{search}"
    );
    assert!(search.contains("résultat(s)"), "{search}");
}
