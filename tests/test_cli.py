"""The dkg command line: help for every command and the documented exit codes."""

from __future__ import annotations

import json

import pytest

from graph.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, main

from .conftest import SEED_RECORDS


@pytest.mark.parametrize("command", ["build", "validate", "query", "stats"])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    assert command in capsys.readouterr().out


def test_usage_errors_exit_2(capsys, tmp_path):
    assert main([]) == EXIT_USAGE
    with pytest.raises(SystemExit) as exit_:
        main(["frobnicate"])
    assert exit_.value.code == EXIT_USAGE
    assert main(["build", "--records", str(tmp_path / "missing")]) == EXIT_USAGE
    assert main(["query", "SELECT * WHERE {?s ?p ?o}", "--store", str(tmp_path)]) == EXIT_USAGE
    assert "no built store" in capsys.readouterr().err


def test_build_query_stats(tmp_path, capsys):
    out = tmp_path / "b"
    assert main(["build", "--records", str(SEED_RECORDS), "--out", str(out), "--no-sources"]) == EXIT_OK
    assert "built" in capsys.readouterr().out
    assert main(["query", "SELECT ?n WHERE { project:ec-net rdfs:label ?n }", "--store", str(out), "--format", "csv"]) == EXIT_OK
    # (issue 17: CSV used to end with a blank line)
    assert capsys.readouterr().out == "n\nEuropean Citizenship Network of Towns\n"
    assert main(["query", "SELEC nonsense", "--store", str(out)]) == EXIT_USAGE
    assert "malformed SPARQL" in capsys.readouterr().err
    assert main(["stats", "--store", str(out), "--format", "json"]) == EXIT_OK
    stats = json.loads(capsys.readouterr().out)
    participations = (SEED_RECORDS / "participations.csv").read_text(encoding="utf-8").count("\n") - 1
    assert stats["classes"]["http://www.w3.org/ns/org#Membership"] == participations > 100
    assert "http://www.w3.org/ns/dcat#DataService" not in stats["classes"]  # VoID is not data


def test_query_from_file_and_json(tmp_path, capsys, seed_build):
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT ?lead WHERE { project:nets4dem-project dkg:coordinatedBy ?lead }", encoding="utf-8")
    assert main(["query", "-f", str(rq), "--store", str(seed_build.layout.root), "--format", "json"]) == EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert data["results"]["bindings"][0]["lead"]["value"].endswith("/organisation/democracy-reporting-international")


def test_invalid_records_exit_1_with_json_report(records, tmp_path, capsys):
    with (records / "projects.csv").open("a", encoding="utf-8") as f:
        f.write("bad,Bad,,,01/11/2022,,,,,,,,,,nets4dem-about,\n")
    assert main(["validate", "--records", str(records), "--format", "json", "--no-sources"]) == EXIT_INVALID
    report = json.loads(capsys.readouterr().out)
    assert report["conforms"] is False
    assert report["records"]["problems"][0] | {} == {**report["records"]["problems"][0], "file": "projects.csv",
                                                      "line": (records / "projects.csv").read_text(encoding="utf-8").count("\n"),
                                                      "field": "start", "value": "01/11/2022"}
    assert main(["build", "--records", str(records), "--out", str(tmp_path / "b"), "--no-sources"]) == EXIT_INVALID
    assert "previous graph (if any) is unchanged" in capsys.readouterr().err


def test_validate_seed_ok(capsys):
    assert main(["validate", "--records", str(SEED_RECORDS), "--no-sources"]) == EXIT_OK
    assert "conform" in capsys.readouterr().out
