"""`civic harvest` (the binary) with real servers and real RDF writers (docs/harvesting.md):

- from `civic serve` on the bundled datasets through its CKAN Action API: every package's CSV gathered into a store of
  its own, each under its municipality, then a second run that only asks (every file answers 304);
- from Python's `http.server` (a real web server: Last-Modified, If-Modified-Since → 304) serving 岩国市's CP932 AED
  list and 宇部市's workbook, described by DCAT-AP catalogues that rdflib writes — Turtle and JSON-LD, rdflib's own
  serialisers, not Civic's — and by a plain list of URLs.

Run by integration/clients/run.sh (CIVIC_BIN is the binary, CIVIC_URL the server).
"""

import functools
import http.server
import json
import os
import shutil
import subprocess
import tempfile
import threading
import urllib.request

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

BASE = os.environ["CIVIC_URL"].rstrip("/")
CIVIC = os.environ["CIVIC_BIN"]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "Tests", "CivicHarvestTests", "Fixtures")


def harvest(db, *arguments):
    result = subprocess.run([CIVIC, "harvest", "--db", db, "--delay", "0", "--json", *arguments], capture_output=True, text=True, timeout=300)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)[0], result.returncode


@pytest.fixture()
def folder():
    path = tempfile.mkdtemp(prefix="civic-harvester-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture()
def web_server(folder):
    """Python's http.server on the folder `files/`, in a thread; its base URL."""
    files = os.path.join(folder, "files")
    os.makedirs(files)
    handler = functools.partial(QuietHandler, directory=files)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", files
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    requests = []

    def log_message(self, format, *args):
        QuietHandler.requests.append((self.command, self.path, self.headers.get("If-Modified-Since")))


def test_a_civic_portal_is_harvested_through_its_ckan_api_then_only_asked(folder):
    with urllib.request.urlopen(BASE + "/api/3/action/package_search?rows=1000", timeout=30) as response:
        packages = json.load(response)["result"]["results"]
    codes = {package["name"]: package["owner_org"] for package in packages}
    db = os.path.join(folder, "portal.sqlite")
    first, status = harvest(db, "--ckan", BASE, "--name", "clients")
    assert status == 0 and "gatherError" not in first
    harvested = {item["dataset"]: item for item in first["items"]}
    assert set(harvested) == set(codes), (set(harvested) ^ set(codes))
    assert all(item["outcome"] == "new" and item["municipalityCode"] == codes[name] for name, item in harvested.items())
    assert first["downloaded"] == len(codes)
    # Nothing changed since (this check runs before any client writes): conditional requests only.
    second, _ = harvest(db, "--ckan", BASE, "--name", "clients")
    unchanged = [item for item in second["items"] if item["outcome"] == "unchanged"]
    assert second["notModified"] + second["downloaded"] == len(codes) and len(unchanged) >= len(codes) - 1


def dcat_graph(base):
    """A DCAT-AP catalogue of the two files, made with rdflib."""
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("foaf", FOAF)
    catalogue = URIRef(base + "/catalog")
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    for identifier, title, publisher, file, media in [
        ("iwakuni-aed", "岩国市 AED設置場所一覧", "山口県岩国市", "352080_aed.csv", "text/csv"),
        ("ube-evacuation", "宇部市 緊急避難場所及び避難所", "宇部市", "ube_evacuation.xlsx",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ]:
        dataset = URIRef(f"{base}/dataset/{identifier}")
        graph.add((catalogue, DCAT.dataset, dataset))
        graph.add((dataset, RDF.type, DCAT.Dataset))
        graph.add((dataset, DCTERMS.identifier, Literal(identifier)))
        graph.add((dataset, DCTERMS.title, Literal(title, lang="ja")))
        agent = BNode()
        graph.add((dataset, DCTERMS.publisher, agent))
        graph.add((agent, RDF.type, FOAF.Organization))
        graph.add((agent, FOAF.name, Literal(publisher)))
        graph.add((dataset, DCTERMS.license, URIRef("http://creativecommons.org/licenses/by/4.0/")))
        distribution = BNode()
        graph.add((dataset, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCAT.downloadURL, URIRef(f"{base}/{file}")))
        graph.add((distribution, DCAT.mediaType, URIRef(f"http://www.iana.org/assignments/media-types/{media}")))
    return graph


@pytest.mark.parametrize("rdf_format,name", [("turtle", "catalog.ttl"), ("json-ld", "catalog.jsonld")])
def test_dcat_catalogues_written_by_rdflib_are_harvested_from_a_real_web_server(folder, web_server, rdf_format, name):
    base, files = web_server
    shutil.copy(os.path.join(FIXTURES, "iwakuni_aed_cp932.csv"), os.path.join(files, "352080_aed.csv"))
    shutil.copy(os.path.join(FIXTURES, "ube_evacuation.xlsx"), os.path.join(files, "ube_evacuation.xlsx"))
    dcat_graph(base).serialize(destination=os.path.join(files, name), format=rdf_format)
    db = os.path.join(folder, "portal.sqlite")
    first, status = harvest(db, "--dcat", f"{base}/{name}", "--name", "yamaguchi")
    assert status == 0, first
    items = {item["dataset"]: item for item in first["items"]}
    assert items["iwakuni-aed"]["outcome"] == "new" and items["iwakuni-aed"]["encoding"] == "CP932"
    assert items["iwakuni-aed"]["standard"] == "aed" and items["iwakuni-aed"]["records"] == 174
    assert items["iwakuni-aed"]["municipalityCode"] == "352080"
    assert items["ube-evacuation"]["format"] == "xlsx" and items["ube-evacuation"]["municipalityCode"] == "352021"
    # http.server answers If-Modified-Since with 304: nothing downloaded again.
    QuietHandler.requests.clear()
    second, _ = harvest(db, "--dcat", f"{base}/{name}", "--name", "yamaguchi")
    assert second["notModified"] == 2 and second["downloaded"] == 0
    assert sum(1 for method, path, since in QuietHandler.requests if since and not path.startswith("/catalog")) == 2


def test_a_list_of_urls_with_a_broken_link_reports_it_and_harvests_the_rest(folder, web_server):
    base, files = web_server
    shutil.copy(os.path.join(FIXTURES, "ube_cultural_property.xls"), os.path.join(files, "ube_cultural_property.xls"))
    with open(os.path.join(files, "urls.txt"), "w", encoding="utf-8") as out:
        out.write(f"{base}/ube_cultural_property.xls\t352021\t宇部市 文化財\n{base}/missing.csv\t352021\n")
    report, status = harvest(os.path.join(folder, "portal.sqlite"), "--list", f"{base}/urls.txt", "--name", "ube")
    assert status == 1  # one file failed
    outcomes = {item["url"].rsplit("/", 1)[1]: item for item in report["items"]}
    assert outcomes["ube_cultural_property.xls"]["outcome"] == "new" and outcomes["ube_cultural_property.xls"]["format"] == "xls"
    assert outcomes["missing.csv"]["outcome"] == "failed" and outcomes["missing.csv"]["reason"] == "HTTP 404"
