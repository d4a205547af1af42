"""The example sections of the question library: each is the question's answer on known data.

Every ``graph/queries/*.rq`` header ends with an example answer, computed on the seed records
plus the test fixtures (``tests/conftest.py`` builds that graph; ``tests/test_library.py``
checks that every header still tells the truth). ``python -m graph.examples BUILD_DIR``
rewrites them from a build of that data.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from .library import QUERIES_DIR, NamedQuery, load_library
from .query import execute, format_result
from .remote import SparqlEndpoint

#: How examples are shown in the headers: at most this many rows, cells cut to this width.
EXAMPLE_ROWS, EXAMPLE_WIDTH = 8, 40


def example_table(query: NamedQuery, store: ox.Store | SparqlEndpoint) -> str:
    """The example answer of ``query`` on ``store`` (with its example parameters), as the header shows it.

    Parameters
    ----------
    query : graph.library.NamedQuery
        A question of the library.
    store : pyoxigraph.Store or graph.remote.SparqlEndpoint
        The store to ask.

    Returns
    -------
    str
        A text table of at most :data:`EXAMPLE_ROWS` rows, cells cut to :data:`EXAMPLE_WIDTH`.

    Examples
    --------
    >>> from graph.library import parse_query_file
    >>> q = parse_query_file(None, text="SELECT ?n WHERE { VALUES ?n { 1 2 } }")
    >>> print(example_table(q, ox.Store()))
    n
    -
    1
    2
    """
    return format_result(execute(query, store, query.example_params), "table", EXAMPLE_ROWS, EXAMPLE_WIDTH)


def write_examples(store: ox.Store | SparqlEndpoint, directory: Path | str = QUERIES_DIR) -> list[str]:
    """Rewrite the example section of every question from its answer on ``store``.

    Parameters
    ----------
    store : pyoxigraph.Store or graph.remote.SparqlEndpoint
        A build of the seed records plus the test fixtures.
    directory : path, default the shipped library
        The folder of ``.rq`` files.

    Returns
    -------
    list of str
        The names of the questions whose file changed.
    """
    changed = []
    for query in load_library(directory).values():
        lines = query.text.splitlines()
        start = next(i for i, line in enumerate(lines) if line.lower().startswith("# example"))
        end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("#"))
        body = ["#   " + line if line else "#" for line in example_table(query, store).splitlines()]
        new = "\n".join(lines[:start + 1] + body + lines[end:]) + "\n"
        if new != query.text:
            query.path.write_text(new, encoding="utf-8")
            changed.append(query.name)
    return changed


if __name__ == "__main__":  # python -m graph.examples BUILD_DIR
    import argparse

    from graph.examples import write_examples as _write_examples  # this module's functions, not __main__'s
    from graph.store import open_store

    parser = argparse.ArgumentParser(description="Rewrite the question library's example sections.")
    parser.add_argument("build", type=Path, metavar="BUILD_DIR",
                        help="a build of the seed records plus the test fixtures (see tests/conftest.py)")
    arguments = parser.parse_args()
    print("\n".join(_write_examples(open_store(arguments.build))) or "examples are up to date")
