"""Harvest a running vitrine's DCAT catalogue the way udata (data.gouv.fr) does.

Usage: python harvest_udata.py http://127.0.0.1:PORT [--expect-datasets N] [--min-pages K]

Reimplements the behaviour of udata's DCAT harvest backend (udata/harvest/backends/dcat.py,
DcatBackend.get_format / walk_graph / process_one_datasets_page, with the HTTP helpers of
udata/harvest/backends/base.py and the format tables of udata/rdf.py), then checks what udata
needs to build a dataset (udata/core/dataset/rdf.py dataset_from_rdf, resource_from_rdf):

* format: guess_format on the source URL's extension (rdflib's suffix map plus json/jsonld ->
  json-ld, xml -> xml); for the extension-less /catalog, a HEAD without an Accept header and the
  media type of its Content-Type (the part before ';') looked up in udata's ACCEPTED_MIME_TYPES.
  Every later page is parsed with that same format, so it must come in the same Content-Type.
* requests like udata's: User-Agent "uData/0.1 dcat"; GETs carry what python-requests adds
  (Accept: */*, Accept-Encoding: gzip, deflate); redirects are NOT followed
  (BaseBackend.allow_redirects = False, raise_if_redirect): any 3xx is a failure. The body is
  decoded as requests' Response.text does (a text/* type without charset means ISO-8859-1).
* walk: parse each page, find a node typed hydra:PartialCollectionView (next page: hydra:next) or
  hydra:PagedCollection (hydra:nextPage), follow it until there is none. udata has no loop guard
  (it would spin until HARVEST_MAX_ITEMS); here a URL seen twice, or a page naming itself like an
  earlier one, stops the walk and is reported.
* datasets: subjects typed dcat:Dataset or dcat:DatasetSeries, minus the stubs udata skips (no
  title, only referenced by dcat:servesDataset or dct:hasPart). Each needs a literal
  dct:identifier (udata's remote id; a duplicate fails ensure_unique_remote_id), a dct:title in
  @fr (DEFAULT_LANGUAGE of data.gouv.fr), a licence (dct:license on the dataset or a
  distribution) and a distribution whose URL answers: downloadURL probed with GET Range: bytes=0-0
  (200/206), accessURL with GET (200). Only URLs on the server under test are probed.
* the same walk on /catalog.ttl, /catalog.rdf and /catalog.jsonld must find the same datasets.

Prints "harvest: ..." (pages and datasets per format), then one line per problem; exit 1 if any.
Also imported by dcat_ap_pyshacl.py for the walk.
"""
import argparse
import sys
import urllib.error
import urllib.request
import zlib
from urllib.parse import quote, urlsplit

from rdflib import Graph, Literal, Namespace
from rdflib.namespace import DCTERMS, RDF
from rdflib.util import SUFFIX_FORMAT_MAP
from rdflib.util import guess_format as rdflib_guess_format

DCAT = Namespace("http://www.w3.org/ns/dcat#")  # open namespace: udata also reads dcat:distributions
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
KNOWN_PAGINATION = ((HYDRA.PartialCollectionView, HYDRA.next), (HYDRA.PagedCollection, HYDRA.nextPage))
# udata.rdf.ACCEPTED_MIME_TYPES and FORMAT_MAP
MIME_FORMATS = {
    "application/rdf+xml": "xml", "application/xml": "xml", "text/xml": "xml", "text/n3": "n3",
    "application/x-turtle": "turtle", "text/turtle": "turtle", "application/n-triples": "nt",
    "application/ld+json": "json-ld", "application/json": "json-ld", "application/trig": "trig",
}
EXT_FORMATS = {**SUFFIX_FORMAT_MAP, "json": "json-ld", "jsonld": "json-ld", "xml": "xml"}
UA = {"User-Agent": "uData/0.1 dcat"}
GET_HEADERS = {**UA, "Accept": "*/*", "Accept-Encoding": "gzip, deflate"}  # python-requests' defaults
MAX_PAGES = 1000


def guess_format(string):
    """udata.rdf.guess_format: a known media type, else rdflib's guess on the extension."""
    return MIME_FORMATS.get(string) or rdflib_guess_format(string, EXT_FORMATS)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # urllib then raises HTTPError with the 3xx status


_opener = urllib.request.build_opener(_NoRedirect)


def http(method, url, headers, limit=None):
    """(status, headers, body) without following redirects; a 4xx/5xx/3xx is returned, not raised."""
    url = quote(url, safe="!#$%&'()*+,/:;=?@[]~")  # percent-encode an IRI as requests' requote_uri does
    req = urllib.request.Request(url, method=method, headers=headers)
    try:
        resp = _opener.open(req, timeout=30)
    except urllib.error.HTTPError as e:
        resp = e
    with resp:
        body = resp.read(limit) if limit else resp.read()
        status = resp.status if hasattr(resp, "status") else resp.code
        return status, resp.headers, body


def status_problem(what, url, status, headers, ok=(200,)):
    if 300 <= status < 400:
        location = headers.get("Location")
        return f"{what} {url}: redirect {status} to {location} (udata does not follow redirects)"
    if status not in ok:
        return f"{what} {url}: HTTP {status}"
    return None


def decode(body, headers):
    """Response body as python-requests' Response.text (what udata parses)."""
    encoding = headers.get("Content-Encoding", "")
    if encoding in ("gzip", "deflate"):
        body = zlib.decompress(body, 47 if encoding == "gzip" else 15)
    charset = headers.get_content_charset()
    if charset:
        return body.decode(charset, "replace"), None
    ctype = headers.get("Content-Type", "")
    if "text" in ctype:
        warn = None if body.isascii() else (
            f"Content-Type {ctype!r} has no charset: requests decodes text/* as ISO-8859-1 and "
            "udata would garble the non-ASCII characters")
        return body.decode("iso-8859-1"), warn
    return body.decode("utf-8", "replace"), None


def next_page(graph):
    """(view nodes, next URL) as walk_graph finds them: the first known class present wins."""
    for cls, prop in KNOWN_PAGINATION:
        views = list(graph.subjects(RDF.type, cls))
        if views:
            nxt = graph.value(views[0], prop)
            return views, (str(nxt) if nxt is not None else None)
    return [], None


def walk(url, fmt, problems):
    """Follow the hydra pages from url; returns [(url, content type, Graph)]."""
    pages, seen_urls, seen_views = [], set(), set()
    start_path = urlsplit(url).path
    while url:
        if url in seen_urls:
            problems.append(f"{url}: page already visited, the pagination loops")
            break
        if len(pages) >= MAX_PAGES:
            problems.append(f"{url}: more than {MAX_PAGES} pages, giving up")
            break
        seen_urls.add(url)
        try:
            status, headers, body = http("GET", url, GET_HEADERS)
        except OSError as e:
            problems.append(f"GET {url}: {e}")
            break
        problem = status_problem("GET", url, status, headers)
        if problem:
            problems.append(problem)
            break
        text, warn = decode(body, headers)
        if warn:
            problems.append(f"{url}: {warn}")
        graph = Graph()
        try:
            graph.parse(data=text, format=fmt)
        except Exception as e:  # noqa: BLE001 - udata fails the job on any parse error
            problems.append(f"{url}: does not parse as {fmt}: {str(e)[:300]!r}")
            break
        views, nxt = next_page(graph)
        if len(views) > 1:
            problems.append(f"{url}: {len(views)} pagination nodes, udata follows any one of them")
        if views:
            if views[0] in seen_views:
                problems.append(f"{url}: repeats the page {views[0]} seen before")
                break
            seen_views.add(views[0])
        ctype = headers.get("Content-Type", "")
        if pages and ctype.split(";")[0] != pages[0][1].split(";")[0]:
            problems.append(f"{url}: Content-Type {ctype!r}, the first page was {pages[0][1]!r}")
        pages.append((url, ctype, graph))
        if nxt:
            parts = urlsplit(nxt)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                problems.append(f"{url}: next page {nxt!r} is not an absolute http(s) URL")
                break
            if parts.path != start_path:
                problems.append(f"{url}: next page {nxt} leaves {start_path} (the serialisation changes)")
        url = nxt
    return pages


def harvested_datasets(graph):
    """process_one_datasets_page: dataset nodes udata would process on one page."""
    nodes = dict.fromkeys(graph.subjects(RDF.type, DCAT.Dataset))
    nodes.update(dict.fromkeys(graph.subjects(RDF.type, DCAT.DatasetSeries)))
    for node in nodes:
        links = [p for _, p in graph.subject_predicates(node)]
        stub = graph.value(node, DCTERMS.title) is None and len(links) == 1 \
            and links[0] in (DCAT.servesDataset, DCTERMS.hasPart)
        if not stub:
            yield node


class Prober:
    """GETs the distribution URLs on the server under test, once each."""

    def __init__(self, base):
        self.origin = urlsplit(base)[:2]
        self.results = {}

    def ok(self, url, download, problems):
        if urlsplit(url)[:2] != self.origin:
            return None  # not probed: test traffic stays on the server under test
        if url not in self.results:
            headers = {**GET_HEADERS, "Range": "bytes=0-0"} if download else GET_HEADERS
            try:
                status, resp_headers, _ = http("GET", url, headers, limit=65536)
                problem = status_problem("GET", url, status, resp_headers, (200, 206) if download else (200,))
            except OSError as e:
                problem = f"GET {url}: {e}"
            self.results[url] = problem
            if problem and "redirect" in problem:
                problems.append(problem)
        return self.results[url] is None


def check_datasets(label, pages, prober, problems):
    """The per-dataset checks; returns {identifier: @fr title}."""
    found = {}
    for url, _, graph in pages:
        for node in harvested_datasets(graph):
            ids = list(graph.objects(node, DCTERMS.identifier))
            if len(ids) != 1 or not isinstance(ids[0], Literal):
                problems.append(f"{label} {url}: {node} needs one literal dct:identifier, has {ids}")
                continue
            ident = str(ids[0])
            if ident in found:
                problems.append(f"{label} {url}: identifier {ident!r} already harvested on an earlier page")
                continue
            titles = [t for t in graph.objects(node, DCTERMS.title)
                      if isinstance(t, Literal) and t.language == "fr"]
            if not titles:
                problems.append(f"{label}: {ident} has no dct:title in @fr")
            found[ident] = str(titles[0]) if titles else None
            dists = [*graph.objects(node, DCAT.distribution), *graph.objects(node, DCAT.distributions)]
            licences = list(graph.objects(node, DCTERMS.license))
            licences += [lic for d in dists for lic in graph.objects(d, DCTERMS.license)]
            if not licences:
                problems.append(f"{label}: {ident} has no dct:license")
            answered, probed = False, []
            for d in dists:
                for prop, download in ((DCAT.downloadURL, True), (DCAT.accessURL, False)):
                    for link in graph.objects(d, prop):
                        ok = prober.ok(str(link), download, problems)
                        if ok is not None:
                            probed.append(str(link))
                        answered = answered or bool(ok)
            if not dists:
                problems.append(f"{label}: {ident} has no dcat:distribution")
            elif not answered:
                detail = "; ".join(prober.results[u] for u in probed) or "no URL on the server under test"
                problems.append(f"{label}: {ident}: no distribution URL answers ({detail})")
    return found


def total_items(pages):
    return {int(v) for _, _, g in pages for v in g.objects(None, HYDRA.totalItems)}


def detect_format(url, problems):
    """DcatBackend.get_format: the URL's extension, else the media type a HEAD announces."""
    fmt = guess_format(url)
    if fmt:
        return fmt, None
    try:
        status, headers, _ = http("HEAD", url, dict(UA))
    except OSError as e:
        problems.append(f"HEAD {url}: {e}")
        return None, None
    problem = status_problem("HEAD", url, status, headers)
    mime = headers.get("Content-Type", "").split(";", 1)[0]
    fmt = guess_format(mime) if mime else None
    if problem or not fmt:
        problems.append(problem or f"HEAD {url}: unsupported Content-Type {mime!r}")
        return None, None
    return fmt, mime


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base")
    parser.add_argument("--expect-datasets", type=int)
    parser.add_argument("--min-pages", type=int)
    args = parser.parse_args()
    base = args.base.rstrip("/")
    problems, summary, reference = [], [], None
    prober = Prober(base)
    for path in ("/catalog", "/catalog.ttl", "/catalog.rdf", "/catalog.jsonld"):
        url = base + path
        fmt, mime = detect_format(url, problems)
        pages = walk(url, fmt, problems) if fmt else []
        if mime and pages and pages[0][1].split(";", 1)[0] != mime:
            problems.append(f"GET {url}: Content-Type {pages[0][1]!r}, the HEAD said {mime!r}")
        found = check_datasets(path, pages, prober, problems)
        summary.append(f"{path} {len(pages)} pages {len(found)} datasets")
        if pages and not found:
            problems.append(f"{path}: no dataset harvested")
        totals = total_items(pages)
        if totals and totals != {len(found)}:
            problems.append(f"{path}: hydra:totalItems {sorted(totals)} but {len(found)} datasets harvested")
        if args.expect_datasets is not None and len(found) != args.expect_datasets:
            problems.append(f"{path}: {len(found)} datasets, expected {args.expect_datasets}")
        if args.min_pages is not None and len(pages) < args.min_pages:
            problems.append(f"{path}: {len(pages)} pages, expected at least {args.min_pages}")
        if not pages:
            continue  # already reported; comparing would only repeat it
        if reference is None:
            reference = (path, found)
        elif found != reference[1]:
            diff = sorted(set(found.items()) ^ set(reference[1].items()), key=str)
            problems.append(f"{path}: not the datasets of {reference[0]}: differ on {diff[:5]}")
    print("harvest: " + "; ".join(summary))
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
