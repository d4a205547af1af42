"""A rebuild maps only the sources that changed (issue 19): same bytes, less work."""

from __future__ import annotations

import shutil

import pytest

import ingest.sources as sources_module
from graph.build import build

from .conftest import LIBRARY_FIXTURE, SEED_RECORDS


@pytest.fixture()
def fixture_sources(tmp_path):
    """A copy of the library's source fixtures, so that a test can edit an input file."""
    fixtures = LIBRARY_FIXTURE.parent
    for name in ("cordis", "participedia", "assemblies"):
        shutil.copytree(fixtures / name, tmp_path / "fixtures" / name)
    shutil.copytree(LIBRARY_FIXTURE, tmp_path / "fixtures" / "library")
    return tmp_path / "fixtures" / "library" / "sources.toml"


def _mapped(monkeypatch) -> list[str]:
    """The names of the sources the adapters map from now on (the cache serves the others)."""
    seen: list[str] = []
    real = sources_module.map_source

    def counting(config, vocab=None):  # noqa: ANN001, ANN202
        seen.append(config.name)
        return real(config, vocab)

    monkeypatch.setattr("graph.front_end.map_source", counting)
    return seen


def test_a_rebuild_maps_only_the_sources_whose_files_or_settings_changed(fixture_sources, tmp_path, monkeypatch):
    out = tmp_path / "build"
    first = build(SEED_RECORDS, out, sources=fixture_sources, derived="none")
    canonical = (first.release / "dumps" / "democracy-kg.nq").read_bytes()
    names = [s.name for s in first.sources]

    seen = _mapped(monkeypatch)
    again = build(SEED_RECORDS, out, sources=fixture_sources, derived="none")
    assert seen == []  # nothing read or mapped again
    assert (again.release / "dumps" / "democracy-kg.nq").read_bytes() == canonical
    assert [s.counts for s in again.sources] == [s.counts for s in first.sources]
    assert [[ledger.as_dict() for ledger in s.ledgers] for s in again.sources] == \
        [[ledger.as_dict() for ledger in s.ledgers] for s in first.sources]

    organisations = fixture_sources.parent.parent / "cordis" / "h2020" / "organization.csv"
    organisations.write_bytes(organisations.read_bytes().replace(b"\n", b"\r\n", 1))  # same rows, other bytes
    build(SEED_RECORDS, out, sources=fixture_sources, derived="none")
    assert seen == ["cordis-h2020"]

    seen.clear()
    text = fixture_sources.read_text(encoding="utf-8")
    fixture_sources.write_text(text.replace('title = "Participedia test fixture"', 'title = "Participedia"'),
                               encoding="utf-8")
    build(SEED_RECORDS, out, sources=fixture_sources, derived="none")
    assert seen == ["participedia"]
    assert set(names) >= {"cordis-h2020", "participedia"}


def test_a_damaged_cache_entry_is_mapped_again(fixture_sources, tmp_path, monkeypatch):
    out = tmp_path / "build"
    build(SEED_RECORDS, out, sources=fixture_sources, derived="none")
    entries = sorted((out / "cache" / "sources").glob("*.pickle"))
    assert entries
    entries[0].write_bytes(b"not a pickle")
    seen = _mapped(monkeypatch)
    build(SEED_RECORDS, out, sources=fixture_sources, derived="none")
    assert seen == [entries[0].name.split(".")[0]]


def test_a_cached_source_s_city_names_follow_the_curated_cities(fixture_sources, tmp_path, monkeypatch):
    """The cache keeps a source's lines sorted in a file the build merges as it is, but a source's
    name of a city the curated records name becomes an alternative name: those lines stay out of
    the file, and a rebuild from the cache equals a build without it, both ways."""
    records = tmp_path / "records"
    shutil.copytree(SEED_RECORDS, records)
    cities = records / "cities.csv"
    original = cities.read_text(encoding="utf-8")
    source = original.splitlines()[1].split(",")[4]
    out = tmp_path / "build"
    first = build(records, out, sources=fixture_sources, derived="none")
    exeter_label = ('<https://w3id.org/democracy-kg/id/city/gb-exeter> <http://www.w3.org/2000/01/rdf-schema#label> '
                    '"Exeter" <https://w3id.org/democracy-kg/graph/cordis-horizon-europe> .')
    first_dump = (first.release / "dumps" / "democracy-kg.nq").read_bytes()
    assert exeter_label in first_dump.decode("utf-8").splitlines()
    assert sorted(p.suffix for p in (out / "cache" / "sources").iterdir()) == sorted([".nq", ".pickle"] * 4)

    seen = _mapped(monkeypatch)
    cities.write_text(original + f"gb-exeter,Exeter,GB,,{source},\n", encoding="utf-8")
    cached = build(records, out, sources=fixture_sources, derived="none")
    fresh = build(records, tmp_path / "fresh", sources=fixture_sources, derived="none")
    assert seen == ["cordis-h2020", "cordis-horizon-europe", "participedia", "assemblies"]  # the fresh build's
    dump = (cached.release / "dumps" / "democracy-kg.nq").read_bytes()
    assert dump == (fresh.release / "dumps" / "democracy-kg.nq").read_bytes()
    assert exeter_label.encode() not in dump
    assert exeter_label.replace("rdf-schema#label", "skos/core#altLabel").replace(
        "http://www.w3.org/2000/01/skos", "http://www.w3.org/2004/02/skos").encode() in dump

    cities.write_text(original, encoding="utf-8")
    back = build(records, out, sources=fixture_sources, derived="none")
    assert (back.release / "dumps" / "democracy-kg.nq").read_bytes() == first_dump
    assert not (back.release / "parts").exists() and not list(back.release.glob("*.unsorted*"))
