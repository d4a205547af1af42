"""The UK Citizens' Assembly Register adapter, on a hand-written fixture with the register's columns and
quirks (tests/fixtures/assemblies/README.md): every row a case or a reject, councils and facilitators
written several ways as one organisation each, and the same facilitator joined across sources."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from graph.build import build
from graph.store import open_store
from ingest.sources import ConfigError, load_config, map_source
from ingest.sources.assemblies import COLUMNS, assemblies_quads

from .conftest import SEED_RECORDS, ask

FIXTURE = Path(__file__).parent / "fixtures" / "assemblies"
ID = "https://w3id.org/democracy-kg/id/"
DKG = "https://w3id.org/democracy-kg/ontology#"


@pytest.fixture(scope="module")
def result():
    return assemblies_quads(FIXTURE, "assemblies")


def facts(result, subject: str) -> dict[str, list[str]]:
    """predicate -> objects of one subject, from the adapter's N-Quads lines."""
    out: dict[str, list[str]] = {}
    for line in result.lines:
        s, p, rest = line.split(" ", 2)
        if s == f"<{subject}>":
            out.setdefault(p.strip("<>").rsplit("/", 1)[-1].rsplit("#", 1)[-1], []).append(rest.rsplit(" <", 1)[0])
    return out


def test_every_column_of_the_register_is_mapped_or_said_to_be_left_out():
    header = next(csv.reader((FIXTURE / "register.csv").open(encoding="utf-8")))
    assert list(COLUMNS) == header  # the data package's 17 fields, in its order


def test_counts_add_up(result):
    c = result.counts
    assert (c["rows read"], c["cases mapped"], c["rejected rows"], c["empty rows"]) == (15, 12, 2, 1)
    assert c["rows read"] == c["cases mapped"] + c["rejected rows"] + c["empty rows"]
    assert (c["facilitators"], c["facilitator spellings joined"], c["commissioning bodies"]) == (5, 5, 9)


def test_bad_rows_and_fields_are_rejects_with_file_line_field_and_value(result):
    found = [(p.file, p.line, p.field, p.value) for p in result.rejects]
    assert found == [
        ("register.csv", 4, "url", "data/raw/assemblies/la-sam-2021-air-quality.yaml"),
        ("register.csv", 8, "number_participants", "12.5"),
        ("register.csv", 9, "assembly_year", "20x3"),
        ("register.csv", 10, "assembly_status", "Paused"),
        ("register.csv", 10, "licence_notes", "Copyright - Fixture University"),
        ("register.csv", 13, "unique_id", "la-exa-2020-climate-assembly"),
        ("register.csv", 14, "", "la-short-2020,Local Authority,SHO"),
        ("register.csv", 15, "local_authority_code", "Not a code!")]
    assert all(p.message for p in result.rejects)
    assert "duplicate id (first at line 2)" in result.rejects[5].message


def test_a_case_with_its_year_participants_theme_status_pages_and_method(result):
    case = facts(result, f"{ID}case/mysociety-la-exa-2020-climate-assembly")
    assert case["label"] == ['"Borough of Exampleton citizens\' assembly 2020: Climate Assembly"']
    assert case["startDate"] == ['"2020"^^<http://www.w3.org/2001/XMLSchema#gYear>']
    assert case["participantCount"] == ['"43"^^<http://www.w3.org/2001/XMLSchema#integer>']  # written 43.0
    assert case["status"] == [f"<{ID}status/completed>"]
    assert case["usesMethod"] == [f"<{ID}method/citizens-assembly>"]
    assert case["theme"] == [f"<{ID}assembly-theme/climate-assembly>"]
    assert case["url"] == ["<https://example.org/exampleton/climate-assembly>"]
    assert case["report"] == ["<https://example.org/exampleton/report.pdf>"]
    assert case["recordedVia"] == ['"InvolveTracker2021"']
    assert case["country"] == ["<http://publications.europa.eu/resource/authority/country/GBR>"]
    assert case["commissionedBy"] == [f"<{ID}organisation/uk-council-exa>"]
    assert case["facilitatedBy"] == [f"<{ID}organisation/mysociety-democratic-society>"]
    assert "description" not in case  # the register's prose is read, never stored
    report = facts(result, "https://example.org/exampleton/report.pdf")
    assert report["archivedAt"] == ["<https://example.org/cache/la-exa-2020-climate-assembly.pdf>"]
    assert report["rights"] == ['"CC BY-NC-SA 4.0"']
    # a jury is a jury: said in its description, its url or its id
    jury = facts(result, f"{ID}case/mysociety-la-exa-2022-climate-change")
    assert jury["usesMethod"] == [f"<{ID}method/citizens-jury>"]
    theme = facts(result, f"{ID}assembly-theme/climate-assembly")
    assert theme["broadMatch"] == [f"<{ID}theme/climate>"]


def test_commissioners_one_per_council_code_typed_and_placed(result):
    council = facts(result, f"{ID}organisation/uk-council-exa")
    # two names, one code: the name of the latest assembly is the label
    assert council["label"] == ['"Exampleton Borough Council"'] and council["altLabel"] == ['"Borough of Exampleton"']
    assert council["localAuthorityCode"] == ['"EXA"'] and council["classification"] == [f"<{ID}orgtype/local-government>"]
    assert council["country"] == ["<http://publications.europa.eu/resource/authority/country/GBR>"]
    nhs = facts(result, f"{ID}organisation/mysociety-nhs-fixture-clinical-commissioning-group")
    assert nhs["classification"] == [f"<{ID}orgtype/public-body>"] and "country" in nhs
    other = facts(result, f"{ID}organisation/mysociety-quietshire-partnership")
    assert other["classification"] == [f"<{ID}orgtype/other>"] and "country" not in other  # "Other" may be anywhere
    # a malformed code: the body is keyed by its name
    assert facts(result, f"{ID}organisation/mysociety-badcode-district-council")["label"] == ['"Badcode District Council"']


def test_facilitators_written_several_ways_are_one_each(result):
    names = {m.member: m.canonical.removeprefix(f"{ID}organisation/") for m in result.matches}
    assert names == {"Democratic Society": "mysociety-democratic-society", "Involve": "mysociety-involve",
                     "SHared Future": "mysociety-shared-future", "Citizn Juries": "mysociety-citizens-juries",
                     "Sorition Foundation": "mysociety-sortition"}
    assert {m.rule for m in result.matches} == {"spelling"}
    demsoc = next(m for m in result.matches if m.member == "Democratic Society")
    assert demsoc.evidence == "'Democratic Society' (line 3, 6) and 'The Democratic Society' (line 2, 15) name one facilitator"
    # two facilitators in one cell, joined by "/" or "and"
    reform = facts(result, f"{ID}case/mysociety-n-fixtureland-2021-political-reform")
    assert sorted(reform["facilitatedBy"]) == [f"<{ID}organisation/mysociety-democratic-society>",
                                               f"<{ID}organisation/mysociety-sortition>"]
    university = facts(result, f"{ID}case/mysociety-org-fixture-university-2021-reform")
    assert sorted(university["facilitatedBy"]) == [f"<{ID}organisation/mysociety-involve>",
                                                   f"<{ID}organisation/mysociety-sortition>"]
    # an empty cell names no facilitator
    assert "facilitatedBy" not in facts(result, f"{ID}case/mysociety-org-emptyshire-2019-transport")
    # qualified memberships like every source's, with the role
    membership = facts(result, f"{ID}membership/mysociety-democratic-society--facilitator--mysociety-la-exa-2022-climate-change")
    assert membership["role"] == [f"<{ID}role/facilitator>"]


def test_the_same_lines_every_time(result):
    assert assemblies_quads(FIXTURE, "assemblies").lines == result.lines


def test_a_register_without_its_id_column_rejects_every_row(tmp_path):
    rows = list(csv.reader((FIXTURE / "register.csv").open(encoding="utf-8")))
    header = rows[0]
    keep = [i for i, h in enumerate(header) if h != "unique_id"]
    path = tmp_path / "register.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([[r[i] for i in keep if i < len(r)] for r in rows])
    text = path.read_text(encoding="utf-8").replace("org_name,", "org_name,surprise_column,", 1)
    path.write_text(text, encoding="utf-8")
    r = assemblies_quads(path, "assemblies")
    assert r.counts["cases mapped"] == 0
    assert r.counts["rows read"] == r.counts["rejected rows"] + r.counts["empty rows"]
    assert r.rejects[0].line == 1 and r.rejects[0].field == "surprise_column"
    assert all(p.field == "unique_id" for p in r.rejects[1:])


def test_configured_as_a_source(tmp_path):
    config = tmp_path / "sources.toml"
    config.write_text(f'[[source]]\nname = "uk-assemblies"\nadapter = "assemblies"\npath = "{FIXTURE}"\n', encoding="utf-8")
    [source] = load_config(config)
    assert map_source(source).counts["cases mapped"] == 12
    config.write_text(f'[[source]]\nname = "uk-assemblies"\nadapter = "assemblies"\npath = "{FIXTURE}"\n'
                      '[source.filter]\nyears = [2020]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="takes no filters"):
        map_source(load_config(config)[0])


def test_the_facilitator_is_one_organisation_across_the_register_participedia_and_the_records(tmp_path):
    """Demsoc: two spellings in the register, Participedia's organisation 6302, the curated record (which
    carries that Participedia id): one canonical node, each merge in matches.csv with its evidence."""
    records = tmp_path / "records"
    shutil.copytree(SEED_RECORDS, records)
    config = tmp_path / "sources.toml"
    fixtures = FIXTURE.parent
    config.write_text(
        f'[[source]]\nname = "participedia"\nadapter = "participedia"\npath = "{fixtures / "participedia"}"\n'
        f'[[source]]\nname = "assemblies"\nadapter = "assemblies"\npath = "{FIXTURE}"\n', encoding="utf-8")
    result = build(records, tmp_path / "out", sources=config)
    with (result.layout.current / "matches.csv").open(encoding="utf-8") as f:
        report = [r for r in csv.DictReader(f) if r["canonical"].endswith("democratic-society")]
    assert [(r["member"].removeprefix(f"{ID}organisation/"), r["member_source"], r["rule"]) for r in report] == [
        ("Democratic Society", "assemblies", "spelling"),
        ("mysociety-democratic-society", "assemblies", "name (no country)"),
        ("participedia-6302", "participedia", "Participedia id")]
    assert all(r["evidence"] for r in report)
    store = open_store(tmp_path / "out")
    members = ask(store, "SELECT ?m WHERE { ?m dkg:canonical organisation:democratic-society } ORDER BY ?m")
    assert [m.rsplit("/", 1)[-1] for (m,) in members] == [
        "democratic-society", "mysociety-democratic-society", "participedia-6302"]
    cases = ask(store, """SELECT (COUNT(DISTINCT ?case) AS ?n) WHERE {
        ?case dkg:facilitatedBy/dkg:canonical organisation:democratic-society }""")
    assert cases == [("4",)]  # both spellings' assemblies count for the one organisation
