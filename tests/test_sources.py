"""Configured sources in the build: one named graph each, rejects reported, re-ingest replaces."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from graph.build import build
from graph.cli import main
from graph.store import open_store
from ingest.sources import ConfigError, load_config

from .conftest import SEED_RECORDS, ask

FIXTURES = Path(__file__).parent / "fixtures" / "cordis"


def _config(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.fixture
def cordis_copy(tmp_path):
    target = tmp_path / "he"
    shutil.copytree(FIXTURES / "horizon-europe", target)
    return target


def _he_config(tmp_path, path, extra=""):
    return _config(tmp_path, f'[[source]]\nname = "cordis-he"\nadapter = "cordis"\npath = "{path}"\n'
                             f'retrieved = "2025-01-31"\n{extra}')


def test_build_with_a_cordis_source(tmp_path, cordis_copy):
    result = build(SEED_RECORDS, tmp_path / "out", sources=_he_config(tmp_path, cordis_copy))
    assert set(result.graphs) == {"curated", "ontology", "reference", "cordis-he", "resolution"}
    store = open_store(tmp_path / "out")
    assert ask(store, """SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/democracy-kg/graph/cordis-he> {
        ?m a org:Membership } }""") == [("6",)]
    # The source graph says where it came from and under which licence.
    assert ask(store, """SELECT ?licence WHERE { GRAPH <https://w3id.org/democracy-kg/graph/cordis-he> {
        <https://w3id.org/democracy-kg/graph/cordis-he> dcterms:license ?licence } }""") == [
        ("https://creativecommons.org/licenses/by/4.0/",)]
    with (result.layout.current / "rejects.csv").open(encoding="utf-8") as f:
        rejects = list(csv.DictReader(f))
    assert len(rejects) == 8 and {r["source"] for r in rejects} == {"cordis-he"}
    assert {"file", "line", "field", "value", "reason"} <= set(rejects[0])
    assert "source cordis-he: projects read 5" in result.summary()


def test_reingest_replaces_the_source_graph(tmp_path, cordis_copy):
    config = _he_config(tmp_path, cordis_copy)
    build(SEED_RECORDS, tmp_path / "out", sources=config)
    org_file = cordis_copy / "organization.csv"
    rows = org_file.read_text(encoding="utf-8").splitlines(keepends=True)
    org_file.write_text("".join(r for r in rows if "900000003" not in r), encoding="utf-8")
    build(SEED_RECORDS, tmp_path / "out", sources=config)
    store = open_store(tmp_path / "out")
    assert ask(store, "SELECT (COUNT(*) AS ?n) WHERE { <https://w3id.org/democracy-kg/id/organisation/pic-900000003> ?p ?o }") == [("0",)]
    assert ask(store, """SELECT (COUNT(*) AS ?n) WHERE { ?m a org:Membership ;
        org:organization <https://w3id.org/democracy-kg/id/project/cordis-101112280> }""") == [("2",)]


def test_optional_missing_source_is_skipped_and_said(tmp_path):
    config = _config(tmp_path, '[[source]]\nname = "cordis-x"\nadapter = "cordis"\npath = "nowhere"\noptional = true\n')
    result = build(SEED_RECORDS, tmp_path / "out", sources=config)
    assert "cordis-x" not in result.graphs
    assert "source cordis-x: skipped" in result.summary()


def test_filters_from_the_config(tmp_path):
    config = _config(tmp_path, f'[[source]]\nname = "cordis-society"\nadapter = "cordis"\npath = "{FIXTURES / "h2020"}"\n'
                               '[source.filter]\nparts = ["SC6"]\n')
    result = build(SEED_RECORDS, tmp_path / "out", sources=config)
    assert result.sources[0].counts["projects kept"] == 1


@pytest.mark.parametrize("body, message", [
    ('[[source]]\nname = "x"\nadapter = "cordis"\n', "path is required"),
    ('[[source]]\nname = "x"\nadapter = "excel"\npath = "."\n', "unknown adapter"),
    ('[[source]]\nname = "curated"\nadapter = "cordis"\npath = "."\n', "reserved"),
    ('[[source]]\nname = "x"\nadapter = "cordis"\npath = "."\ncolour = "red"\n', "unknown key"),
    ('[[source]\nname = "x"\n', "not valid TOML"),
])
def test_config_errors_name_file_and_entry(tmp_path, body, message):
    with pytest.raises(ConfigError, match=message) as err:
        load_config(_config(tmp_path, body))
    assert "sources.toml" in str(err.value)


def test_required_missing_source_fails_the_build_and_keeps_previous(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", "--records", str(SEED_RECORDS), "--out", str(out), "--no-sources"]) == 0
    before = (out / "current").resolve()
    config = _config(tmp_path, '[[source]]\nname = "cordis-x"\nadapter = "cordis"\npath = "nowhere"\n')
    assert main(["build", "--records", str(SEED_RECORDS), "--out", str(out), "--sources", str(config)]) == 2
    assert "cordis-x" in capsys.readouterr().err
    assert (out / "current").resolve() == before


def test_unknown_filter_is_an_error(tmp_path):
    config = _config(tmp_path, f'[[source]]\nname = "c"\nadapter = "cordis"\npath = "{FIXTURES / "h2020"}"\n'
                               '[source.filter]\ncolour = ["red"]\n')
    with pytest.raises(ValueError, match="unknown CORDIS filter"):
        build(SEED_RECORDS, tmp_path / "out", sources=config)


def test_dkg_ingest_records_the_source_and_reingest_replaces(tmp_path, cordis_copy, capsys):
    sources = tmp_path / "sources.toml"
    sources.write_text("# my sources\n", encoding="utf-8")
    out = tmp_path / "out"
    args = ["ingest", "cordis", str(cordis_copy), "--name", "cordis-he", "--sources", str(sources),
            "--records", str(SEED_RECORDS), "--out", str(out), "--part", "HORIZON.2.2"]
    assert main(args) == 0
    assert "source cordis-he:" in capsys.readouterr().out
    entries = load_config(sources)
    assert [(e.name, e.adapter, e.path, e.filters) for e in entries] == [
        ("cordis-he", "cordis", cordis_copy.resolve(), {"parts": ["HORIZON.2.2"]})]
    assert sources.read_text(encoding="utf-8").startswith("# my sources\n")
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/democracy-kg/graph/cordis-he> { ?s ?p ?o } }"
    first = ask(open_store(out), count)
    # Ingesting again under the same name replaces the entry and the graph: same triples, no duplicates.
    assert main(args) == 0
    assert len(load_config(sources)) == 1
    assert ask(open_store(out), count) == first
    # A narrower filter shrinks the graph: no stale triples from the earlier ingest.
    assert main(args[:-2] + ["--project-id", "101112280"]) == 0
    assert ask(open_store(out), """SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/democracy-kg/graph/cordis-he> {
        ?p a schema:Project } }""") == [("1",)]


def test_dkg_ingest_refuses_filters_for_participedia(tmp_path, capsys):
    assert main(["ingest", "participedia", str(FIXTURES.parent / "participedia"), "--sources", str(tmp_path / "s.toml"),
                 "--part", "SC6"]) == 2
    assert "CORDIS sources only" in capsys.readouterr().err


def test_progress_bar_switch(monkeypatch):
    from ingest.sources.common import progress

    rows = [1, 2, 3]
    monkeypatch.setenv("DKG_PROGRESS", "0")
    assert progress(rows, 3, "x") is rows
    monkeypatch.setenv("DKG_PROGRESS", "1")
    bar = progress(rows, 3, "x")
    assert not bar.disable  # (tqdm marks itself disabled once closed, so check before iterating)
    assert list(bar) == rows


def test_dkg_validate_checks_configured_sources_and_lists_their_rejects(tmp_path, cordis_copy, capsys):
    import json

    config = _he_config(tmp_path, cordis_copy)
    assert main(["validate", "--records", str(SEED_RECORDS), "--sources", str(config), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["conforms"] is True
    rejects = out["sources"]["cordis-he"]["rejects"]
    assert len(rejects) == 8 and {"file", "line", "field", "value", "message"} <= set(rejects[0])
