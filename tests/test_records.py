"""Bad input: every class of problem is reported with file, line, field, value and expectation,
all at once, and nothing is built."""

from __future__ import annotations

import pytest

from ingest.records import load_records


def append(path, line: str) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(line + "\n")


def problems_of(directory):
    _, problems = load_records(directory)
    return problems


def last_line(path) -> int:
    """The line number of the last row of a record file (where an appended row lands)."""
    return len(path.read_text(encoding="utf-8").splitlines())


def only(problems, file, field):
    found = [p for p in problems if p.file == file and p.field == field]
    assert found, f"no problem for {file} {field} in {[str(p) for p in problems]}"
    return found[0]


def test_seed_records_are_clean(records):
    recs, problems = load_records(records)
    assert problems == []
    # The curated field (issue 15): at least 40 organisations and cities and 10 events and programmes.
    kinds = [type(row.record).kind for row in recs.index.values()]
    assert kinds.count("organisation") + kinds.count("city") >= 40
    assert kinds.count("event") + kinds.count("programme") >= 10


def test_every_curated_source_has_a_page_address(records):
    recs, _ = load_records(records)
    sources = [row.record for row in recs.index.values() if type(row.record).kind == "source"]
    assert sources and all(s.url and s.url.startswith(("http://", "https://")) for s in sources)


@pytest.mark.parametrize("value", ["2020-13-01", "01/11/2022", "2021-02-30", "20201"])
def test_bad_dates(records, value):
    append(records / "projects.csv", f"bad-date,Bad date,,,{value},,,,,,,,,,nets4dem-about,")
    p = only(problems_of(records), "projects.csv", "start")
    assert p.value == value and p.line == last_line(records / "projects.csv")
    assert "ISO 8601" in p.message


def test_end_before_start(records):
    append(records / "projects.csv", "backwards,Backwards,,,2022-11-01,2020-11-02,,,,,,,,,nets4dem-about,")
    p = only(problems_of(records), "projects.csv", "end")
    assert p.value == "2020-11-02" and "before start (2022-11-01)" in p.message


def test_end_before_start_across_precisions(records):
    append(records / "claims.csv", "c-x,ec-net,cities,exactly,3,2021,2020-06,,ec-net-international-projects,")
    assert "before start" in only(problems_of(records), "claims.csv", "end").message


def test_unknown_country(records):
    append(records / "cities.csv", "xx-atlantis,Atlantis,XX,,eurocities-nets4dem-webinar,")
    p = only(problems_of(records), "cities.csv", "country")
    assert p.value == "XX" and p.line == last_line(records / "cities.csv") and "ISO 3166-1" in p.message


def test_city_ids_are_country_and_name(records):
    # Sources mint the same key (city/<cc>-<name>), so the curated city and theirs are one node.
    append(records / "cities.csv", "ghent,Ghent,BE,,eurocities-nets4dem-webinar,")
    append(records / "cities.csv", "pl-poznan-2,Poznań,PL,,eurocities-nets4dem-webinar,")
    problems = [p for p in problems_of(records) if p.file == "cities.csv" and p.field == "id"]
    assert [(p.value, p.message) for p in problems] == [
        ("ghent", "a city's id is its country code and name: expected 'be-ghent'"),
        ("pl-poznan-2", "a city's id is its country code and name: expected 'pl-poznan'")]


def test_cities_take_part_and_bring_contributions(records):
    from graph.build import generate_lines

    append(records / "participations.csv",
           "es-barcelona,democracy-lab-grenoble-2025,participant-city,,,A fixture challenge,eurocities-nets4dem-webinar,")
    lines, _ = generate_lines(records)
    key = "es-barcelona--participant-city--democracy-lab-grenoble-2025"
    mine = [line for line in lines if f"/membership/{key}>" in line.split(" ", 1)[0]]
    assert any("<http://www.w3.org/ns/org#member> <https://w3id.org/democracy-kg/id/city/es-barcelona>" in line
               for line in mine)
    assert any('ontology#contribution> "A fixture challenge"@en' in line for line in mine)


def test_unknown_and_missing_fields(records):
    text = (records / "cities.csv").read_text(encoding="utf-8").replace("id,name,country", "id,nmae,country", 1)
    (records / "cities.csv").write_text(text, encoding="utf-8")
    problems = problems_of(records)
    assert only(problems, "cities.csv", "nmae").message.startswith("unknown field")
    assert only(problems, "cities.csv", "name").message == "required field missing from the header"


def test_required_value_empty(records):
    append(records / "organisations.csv", "no-type,No type,,,,,,,,,,,,,,,eurocities-nets4dem-webinar,")
    p = only(problems_of(records), "organisations.csv", "type")
    assert p.message == "required field is empty"


def test_duplicate_ids_across_files(records):
    append(records / "cities.csv", "eurocities,Eurocities town,BE,,eurocities-nets4dem-webinar,")
    # Files are read in a fixed order (sources, cities, organisations, ...): the later one is flagged.
    p = only(problems_of(records), "organisations.csv", "id")
    line = last_line(records / "cities.csv")
    assert p.value == "eurocities" and f"duplicate id (first at cities.csv:{line})" in p.message


def test_duplicate_participation(records):
    append(records / "participations.csv", "eurocities,democracy-lab,organiser,,,,eurocities-nets4dem-webinar,")
    assert "duplicate participation" in only(problems_of(records), "participations.csv", "agent").message


def test_references_to_missing_ids_and_wrong_kinds(records):
    append(records / "participations.csv", "eurocities,no-such-project,partner,,,,eurocities-nets4dem-webinar,")
    append(records / "participations.csv", "democracy-lab,ec-net,partner,,,,eurocities-nets4dem-webinar,")
    problems = problems_of(records)
    missing = only(problems, "participations.csv", "target")
    assert missing.value == "no-such-project" and "no record has this id" in missing.message
    wrong = only(problems, "participations.csv", "agent")
    assert wrong.value == "democracy-lab" and wrong.message == "refers to a programme; expected an organisation or a city"


def test_participedia_ids_are_numbers(records):
    append(records / "organisations.csv", "x-org,X,,,network,,,,,,62x,,,,,,eurocities-nets4dem-webinar,")
    p = only(problems_of(records), "organisations.csv", "participedia")
    assert p.value == "62x" and "Participedia entry" in p.message


def test_unknown_vocabulary_key(records):
    append(records / "projects.csv", "p-x,P,,,,,,,,,,,town-hall-meeting,,nets4dem-about,")
    p = only(problems_of(records), "projects.csv", "methods")
    assert p.value == "town-hall-meeting" and "unknown method concept" in p.message


def test_non_utf8_file(records):
    (records / "cities.csv").write_bytes("id,name,country,source\nbrussels,Bruxelles \u2013 ville,BE,x\n".encode("cp1252"))
    p = only(problems_of(records), "cities.csv", "")
    assert p.line == 2 and "not UTF-8" in p.message and p.value == "96"


def test_empty_file(records):
    (records / "outputs.csv").write_bytes(b"")
    assert "empty file" in only(problems_of(records), "outputs.csv", "").message


def test_stray_bom(records):
    path = records / "cities.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    p = only(problems_of(records), "cities.csv", "")
    assert p.line == 1 and "byte order mark" in p.message


def test_ragged_row_and_unknown_file(records):
    append(records / "cities.csv", "ghent,Ghent")
    (records / "people.csv").write_text("id\nx\n", encoding="utf-8")
    problems = problems_of(records)
    assert any(p.file == "cities.csv" and "row has 2 cells" in p.message for p in problems)
    assert any(p.file == "people.csv" and "unknown record file" in p.message for p in problems)


def test_all_problems_reported_together(records):
    append(records / "cities.csv", "xx-atlantis,Atlantis,XX,,eurocities-nets4dem-webinar,")
    append(records / "projects.csv", "bad-date,Bad date,,,2020-13-01,,,,,,,,,,nets4dem-about,")
    append(records / "participations.csv", "eurocities,nowhere,partner,,,,eurocities-nets4dem-webinar,")
    (records / "outputs.csv").write_bytes(b"")
    problems = problems_of(records)
    assert {p.file for p in problems} == {"cities.csv", "projects.csv", "participations.csv", "outputs.csv"}
    # Each problem names where it is and what was expected.
    assert all(p.message for p in problems)
    line = last_line(records / "cities.csv")
    assert str(only(problems, "cities.csv", "country")).startswith(f"cities.csv:{line}: country = 'XX':")


def test_claim_value_rules(records):
    append(records / "claims.csv", "c-none,ec-net,cities,about,,,,,ec-net-international-projects,")
    append(records / "claims.csv", "c-num,ec-net,cities,approximately,1 000,,,,ec-net-international-projects,")
    problems = problems_of(records)
    assert any(p.field == "qualifier" and p.value == "about" for p in problems)
    assert any(p.field == "value" and p.value == "1 000" for p in problems)
