"""Seeded synthetic records at CORDIS scale, in the curated record format.

Full scale (``scale=1.0``): 40,000 organisations, 35,000 projects, 170,000 participations,
400 method references drawn from the method scheme; organisations join projects with a
heavy-tailed (Zipf-like) popularity, so few organisations take part in many projects, as in CORDIS.
The same seed and scale always give the same files.
"""

from __future__ import annotations

import csv
import itertools
import random
import sys
from pathlib import Path

from ontology.vocab import load_vocabularies

FULL = {"organisations": 40_000, "projects": 35_000, "participations": 170_000, "cities": 2_000}
COUNTRIES = ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU",
             "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "NO", "CH", "GB", "RS", "UA", "TR", "IS"]


def generate(out: Path, scale: float = 1.0, seed: int = 42) -> dict[str, int]:
    """Write a synthetic record set to ``out``; return the number of rows per file."""
    rng = random.Random(seed)
    vocab = load_vocabularies()
    methods = sorted(vocab.keys("method"))
    themes = sorted(vocab.keys("theme"))
    orgtypes = sorted(vocab.keys("orgtype"))
    n = {k: max(10, int(v * scale)) for k, v in FULL.items()}
    out.mkdir(parents=True, exist_ok=True)

    def write(name: str, header: list[str], rows) -> int:  # noqa: ANN001
        with (out / name).open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            count = 0
            for row in rows:
                w.writerow(row)
                count += 1
        return count

    counts = {}
    counts["sources"] = write("sources.csv", ["id", "title", "type", "url", "retrieved"],
                              [["synthetic", "Synthetic benchmark records", "dataset", "https://example.org/synthetic", "2026-11-22"]])
    counts["programmes"] = write("programmes.csv", ["id", "name", "type", "start", "end", "source"],
                                 [[f"programme-{i}", f"Programme {i}", "funding-programme", str(2000 + i), str(2006 + i), "synthetic"]
                                  for i in range(10)])
    # A city's id is its country code and name (ontology.namespaces.city_key), as the records require.
    cities = [(f"{cc.lower()}-city-{i}", cc) for i, cc in enumerate(rng.choice(COUNTRIES) for _ in range(n["cities"]))]
    counts["cities"] = write("cities.csv", ["id", "name", "country", "source"],
                             [[c, f"City {i}", cc, "synthetic"] for i, (c, cc) in enumerate(cities)])
    org_rows = []
    for i in range(n["organisations"]):
        city, country = rng.choice(cities)
        org_rows.append([f"org-{i}", f"Organisation {i} ‘{rng.choice('ABCDEFG')}’", rng.choice(orgtypes), city, country,
                         f"{100000000 + i}", "synthetic"])
    counts["organisations"] = write("organisations.csv", ["id", "name", "type", "city", "country", "pic", "source"], org_rows)
    method_refs = 0
    proj_rows = []
    for i in range(n["projects"]):
        start = rng.randint(2007, 2022)
        ms = ""
        if method_refs < 400 * scale:
            ms = "|".join(rng.sample(methods, 2))
            method_refs += 2
        proj_rows.append([f"project-{i}", f"Project {i}: a \"study\" of participation", f"P{i}", str(100000 + i),
                          f"{start}-{rng.randint(1, 12):02d}-01", f"{start + rng.randint(1, 4)}-12-31",
                          f"programme-{rng.randrange(10)}", ms, rng.choice(themes), "synthetic"])
    counts["projects"] = write("projects.csv", ["id", "name", "acronym", "cordis_id", "start", "end", "funder", "methods", "themes", "source"], proj_rows)
    # Zipf-like popularity: organisation k is chosen with weight 1/(k+1)^0.8.
    weights = [1 / (k + 1) ** 0.8 for k in range(n["organisations"])]
    seen: set[tuple[int, int]] = set()
    part_rows = []
    roles = ["participant"] * 6 + ["coordinator", "partner", "third-party", "associated-partner"]
    while len(part_rows) < n["participations"]:
        orgs = rng.choices(range(n["organisations"]), weights=weights, k=4096)
        for o in orgs:
            p = rng.randrange(n["projects"])
            if (o, p) in seen:
                continue
            seen.add((o, p))
            row = proj_rows[p]
            part_rows.append([f"org-{o}", f"project-{p}", rng.choice(roles), row[4], row[5], "synthetic"])
            if len(part_rows) == n["participations"]:
                break
    counts["participations"] = write("participations.csv", ["agent", "target", "role", "start", "end", "source"], part_rows)
    return counts


if __name__ == "__main__":
    print(generate(Path(sys.argv[1]), float(sys.argv[2]) if len(sys.argv) > 2 else 1.0))


#: The real H2020 participations set (../shared/data/README.md): projects, participations, PICs.
H2020 = {"projects": 31_451, "participations": 144_726, "organisations": 35_871}
PARTS = ["SC1", "SC2", "SC3", "SC4", "SC5", "SC6", "SC7", "SWAFS", "ERC", "MSCA", "LEIT-ICT", "LEIT-NMP", "INFRA", "FET"]
SCHEMES = ["RIA", "IA", "CSA", "ERC-STG", "ERC-COG", "MSCA-IF-EF-ST", "SME-2"]
ROLES = ["coordinator"] + ["participant"] * 8 + ["thirdParty", "partner"]
ACTIVITIES = ["HES", "REC", "PRC", "PUB", "OTH"]


def generate_cordis(out: Path, scale: float = 1.0, seed: int = 42) -> dict[str, int]:
    """CORDIS tables in the H2020 layout (``;``-separated), ``scale`` times the real set's size.

    Organisations take part with a heavy-tailed popularity (a few in thousands of projects, most
    in one), names for about a quarter of them, CORDIS country codes; the same seed and scale
    always give the same files.
    """
    rng = random.Random(seed)
    n = {k: max(10, int(v * scale)) for k, v in H2020.items()}
    out.mkdir(parents=True, exist_ok=True)
    pics = [str(900_000_000 + i) for i in range(n["organisations"])]
    weights = [1.0 / (i + 1) ** 0.9 for i in range(n["organisations"])]
    cumulative = list(itertools.accumulate(weights))  # choices() would re-add the weights per call
    countries = [c if c not in ("GR", "GB") else {"GR": "EL", "GB": "UK"}[c] for c in COUNTRIES]
    org_country = [rng.choice(countries) for _ in pics]
    org_activity = [rng.choice(ACTIVITIES) for _ in pics]
    org_name = [f"SYNTHETIC ORGANISATION {i}" if rng.random() < 0.25 else "" for i in range(len(pics))]
    with (out / "project.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\n")
        w.writerow(["id", "acronym", "status", "title", "startDate", "endDate", "totalCost", "ecMaxContribution",
                    "frameworkProgramme", "fundingScheme", "programmePart", "rcn"])
        for i in range(n["projects"]):
            year = 2014 + rng.randrange(7)
            cost = rng.randrange(50_000, 10_000_000)
            rcn = str(190_000 + i)
            w.writerow([rcn, f"P{i}", "", "", f"{year}-{rng.randrange(1, 13):02d}-01", f"{year + 3}-{rng.randrange(1, 13):02d}-28",
                        cost, cost, "H2020", rng.choice(SCHEMES), rng.choice(PARTS), rcn])
    per_project = n["participations"] / n["projects"]
    with (out / "organization.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\n")
        w.writerow(["projectID", "projectAcronym", "organisationID", "name", "shortName", "activityType", "country",
                    "order", "role", "ecContribution", "totalCost"])
        written = 0
        for i in range(n["projects"]):
            size = int(per_project) + (1 if rng.random() < per_project - int(per_project) else 0)
            members: set[str] = set()
            while len(members) < size:
                members.update(rng.choices(pics, cum_weights=cumulative, k=size - len(members)))
            for order, pic in enumerate(sorted(members), 1):
                k = int(pic) - 900_000_000
                w.writerow([190_000 + i, "", pic, org_name[k], "", org_activity[k], org_country[k], order,
                            "coordinator" if order == 1 else rng.choice(ROLES[1:]), rng.randrange(0, 2_000_000), ""])
                written += 1
    return {"projects": n["projects"], "participations": written, "organisations": n["organisations"]}
