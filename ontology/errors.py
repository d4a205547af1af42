"""The one root of democracy-kg's exceptions, and the exit codes it carries.

Every error the project raises on purpose is a :class:`DkgError` (as every rdflib error is an
``rdflib.exceptions.Error``), so that a caller catches one class and the command line has one
``try``: it prints the message and returns ``exit_code``. Each subclass also keeps the builtin
base it always had (``ValueError``, ``FileNotFoundError``, ...), so ``except ValueError`` in
existing callers still catches it.

It lives on the ground floor because every layer raises it: ingest (record and config errors),
the store, the queries, the server.

Examples
--------
>>> from ontology.errors import DkgError, EXIT_INVALID, EXIT_USAGE
>>> class RecordsInvalid(DkgError):
...     exit_code = EXIT_INVALID
>>> try:
...     raise RecordsInvalid("3 problems in organisations.csv")
... except DkgError as err:
...     print(err.exit_code, err)
1 3 problems in organisations.csv
>>> DkgError("bad argument").exit_code == EXIT_USAGE
True
"""

from __future__ import annotations

#: Exit codes of every ``dkg`` command (documented in :mod:`graph.cli`).
EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class DkgError(Exception):
    """An error the user can act on: its message is shown as it is, never as a traceback.

    ``exit_code`` is ``EXIT_USAGE`` (2: bad input, missing store, unreachable endpoint) unless a
    subclass says ``EXIT_INVALID`` (1: the records or the graph fail validation).
    """

    exit_code: int = EXIT_USAGE
