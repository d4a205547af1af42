"""The process's memory: Python's cyclic collector paused while big acyclic structures are
built, and memory freed by a dropped store handed back to the system.

Examples
--------
>>> import gc
>>> with collector_paused():
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while large structures without cycles are built.

    Every 700 new objects set off a collection, and as they all survive, the older generations'
    collections walk them and the rest of the process's objects again and again, for nothing to
    find. Measured: 5-10% of the largest named questions' time at H2020 scale (an answer's rows
    and terms, :func:`graph.sparql.run_query`), 17% of reading and mapping the synthetic 1x
    records (:func:`graph.build.build`), with the same peak memory. The collector runs as usual
    afterwards; one the caller has paused stays paused.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def release_free_memory() -> None:
    """Hand the memory freed by a dropped store back to the system before the next big step.

    glibc keeps freed blocks in per-thread arenas: without this, the on-disk loader that follows
    the in-memory copy took 600 MB more than its own peak at the synthetic 1x scale. A no-op
    where there is no glibc.
    """
    import ctypes
    import ctypes.util

    gc.collect()
    name = ctypes.util.find_library("c")
    try:
        trim = ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        trim = None
    if trim is not None:
        trim(0)
