"""Work shared with one forked child process: the second core for Python work that threads cannot share.

An analysis of the whole H2020 network spends most of its time in Python loops (Burt's
constraint, brokerage roles, writing GEXF, GraphML and JSON) that hold the interpreter lock, so a
thread pool runs them one after the other. :func:`run_split` gives each task to one of two
processes: the caller runs its share while a forked child runs the rest and sends back what its
tasks returned, pickled. Forking, rather than starting a fresh interpreter, lets the child read the
caller's graph where it lies in memory instead of receiving a copy through a pipe.

:func:`run_in_child` runs one task in a child for what it leaves behind: Python keeps a memory
arena while any object in it lives, so the build reads and maps a large input there
(:mod:`graph.build`), and the arenas go back to the system with the child.

The split is the same for the same tasks and costs, and every task computes what it would in one
process (each seeds its own randomness), so the results do not depend on it: the tests compare
split and serial runs byte for byte. ``DKG_WORKERS=1`` (or a platform without ``fork``) runs
everything in the calling process.

Examples
--------
>>> run_split([lambda: 1 + 1, lambda: "two"], costs=[1.0, 1.0])
[2, 'two']
>>> split_tasks([5.0, 1.0, 3.0, 3.0])
([0, 1], [2, 3])
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from ontology.errors import DkgError

__all__ = ["run_split", "run_in_child", "split_tasks", "workers"]

T = TypeVar("T")


def workers() -> int:
    """How many processes :func:`run_split` uses: 2, or 1 with ``DKG_WORKERS=1``, one core, or no ``fork``.

    >>> workers() in (1, 2)
    True
    """
    if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        return 1
    return 1 if os.environ.get("DKG_WORKERS", "").strip() == "1" else 2


def split_tasks(costs: Sequence[float], here: Iterable[int] = ()) -> tuple[list[int], list[int]]:
    """Indices of the caller's tasks and of the child's: the tasks ``here`` to the caller, then each
    other task, costliest first, to the lighter side (ties to the caller). Both lists are in the
    tasks' order.

    Parameters
    ----------
    costs : sequence of float
        Each task's expected cost, in any unit.
    here : iterable of int
        Tasks that run in the caller (their results would be costly to send back).

    Returns
    -------
    (list of int, list of int)

    Examples
    --------
    >>> split_tasks([1.0, 1.0, 1.0])
    ([0, 2], [1])
    >>> split_tasks([1.0, 1.0, 1.0], here=[2])
    ([1, 2], [0])
    >>> split_tasks([])
    ([], [])
    """
    pinned = set(here)
    sides: tuple[list[int], list[int]] = (sorted(pinned), [])
    loads = [sum(costs[i] for i in pinned), 0.0]
    for i in sorted(set(range(len(costs))) - pinned, key=lambda i: (-costs[i], i)):
        side = 0 if loads[0] <= loads[1] else 1
        sides[side].append(i)
        loads[side] += costs[i]
    return sorted(sides[0]), sorted(sides[1])


def run_split(tasks: Sequence[Callable[[], T]], costs: Sequence[float] | None = None,
              on_done: Callable[[int], None] | None = None, *, here: Iterable[int] = (),
              serial: bool = False) -> list[T]:
    """Run ``tasks`` in this process and one forked child; return their results in the tasks' order.

    Parameters
    ----------
    tasks : sequence of callables
        Each takes no argument. A child's task must return something picklable; it may read
        anything the caller holds, but what it changes stays in the child.
    costs : sequence of float, optional
        Each task's expected cost (:func:`split_tasks`); equal costs by default.
    on_done : callable, optional
        Called with a task's index when it has finished (the child's, once the child is done).
    here : iterable of int
        Tasks that always run in this process (large results, or results the caller keeps
        working with).
    serial : bool, default False
        Run every task here, in order (work too small to be worth a fork).

    Returns
    -------
    list
        What each task returned.

    Raises
    ------
    Exception
        The first error of the caller's tasks, else the child's (re-raised here as it was raised
        there, or as ``RuntimeError`` with its text when it cannot be pickled), else a
        ``RuntimeError`` when the child ended without an answer (killed, out of memory).

    Examples
    --------
    >>> run_split([lambda: [1, 2], lambda: {"a": 3}, lambda: None])
    [[1, 2], {'a': 3}, None]
    >>> run_split([lambda: 1, lambda: 1 // 0])
    Traceback (most recent call last):
    ZeroDivisionError: integer division or modulo by zero
    """
    done = on_done or (lambda i: None)
    costs = list(costs) if costs is not None else [1.0] * len(tasks)
    if len(costs) != len(tasks):
        raise ValueError(f"{len(tasks)} tasks but {len(costs)} costs")
    mine, theirs = split_tasks(costs, here)
    results: dict[int, T] = {}
    if serial or workers() < 2 or not theirs:
        for i in range(len(tasks)):
            results[i] = tasks[i]()
            done(i)
        return [results[i] for i in range(len(tasks))]
    for i, result in zip(mine + theirs, _run_forked([tasks[i] for i in mine], [tasks[i] for i in theirs],
                                                    lambda j: done(mine[j]))):
        results[i] = result
    for i in theirs:
        done(i)
    return [results[i] for i in range(len(tasks))]


def _run_forked(mine: list[Callable[[], T]], theirs: list[Callable[[], T]],
                done: Callable[[int], None]) -> list[T]:
    """What ``mine`` (run here) and then ``theirs`` (run by a forked child) returned."""
    for stream in (sys.stdout, sys.stderr):  # else the child would print what is pending here again
        stream.flush()
    reader, writer = os.pipe()
    # While the child runs, this process's collector leaves the objects they share alone: a
    # collection writes to every object it walks, and each page written is copied for the child.
    gc.freeze()
    try:
        pid = os.fork()
    except BaseException:
        gc.unfreeze()
        raise
    if pid == 0:  # the child: never returns; os._exit skips the caller's cleanup (open stores, files)
        os.close(reader)
        _child(theirs, writer)
    os.close(writer)
    try:
        return _gather(pid, reader, mine, done)
    finally:
        gc.unfreeze()


def _gather(pid: int, reader: int, mine: list[Callable[[], T]], done: Callable[[int], None]) -> list[T]:
    """Run ``mine`` here, then read the child's answer and reap it (killed if ``mine`` fails)."""
    try:
        results = []
        for j, task in enumerate(mine):
            results.append(task())
            done(j)
        answer = _read_all(reader)
    except BaseException:
        os.close(reader)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    os.close(reader)
    _, status = os.waitpid(pid, 0)
    if not answer:
        raise RuntimeError(f"a worker process ended without an answer ({_describe(status)})")
    kind, value = pickle.loads(answer)
    if kind == "error":
        raise value
    return results + value


def run_in_child(task: Callable[[], T], *, fork: bool = True) -> T:
    """What ``task`` returns, computed in a forked child: the memory it allocates goes back to
    the system when the child ends.

    Python keeps a memory arena while any object in it lives, so millions of short-lived
    objects interleaved with a few long-lived ones leave the process hundreds of megabytes
    larger than what it still uses (measured: 306 MB of arenas holding 25 MB after the build's
    front end at the synthetic 1x scale). Work that allocates like that and leaves its result in
    files, or in a small object, runs here.

    Parameters
    ----------
    task : callable
        Takes no argument; returns something picklable.
    fork : bool, default True
        False (or :func:`workers` being 1) runs ``task`` in this process.

    Returns
    -------
    object
        What ``task`` returned.

    Raises
    ------
    Exception
        As :func:`run_split`.

    Examples
    --------
    >>> import os
    >>> run_in_child(os.getpid) != os.getpid()
    True
    >>> run_in_child(os.getpid, fork=False) == os.getpid()
    True
    """
    if not fork or workers() < 2:
        return task()
    return _run_forked([], [task], lambda j: None)[0]


def _child(tasks: list[Callable[[], object]], writer: int) -> None:
    gc.disable()  # short-lived: collecting would only touch (and copy) the caller's pages
    try:
        try:
            payload = pickle.dumps(("ok", [task() for task in tasks]), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as err:  # noqa: BLE001 - every error goes back to the caller
            payload = _error_payload(err)
        with os.fdopen(writer, "wb") as out:
            out.write(payload)
    finally:
        for stream in (sys.stdout, sys.stderr):  # what the tasks printed (os._exit flushes nothing)
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(0)


def _error_payload(err: BaseException) -> bytes:
    """The error pickled, if it comes back as itself; else the same message as an error of the
    same kind (a user's error keeps its exit code and never turns into a traceback)."""
    try:
        payload = pickle.dumps(("error", err), protocol=pickle.HIGHEST_PROTOCOL)
        back = pickle.loads(payload)[1]  # some errors pickle but cannot be rebuilt (required arguments)
        if type(back) is type(err) and str(back) == str(err):
            return payload
    except Exception:  # noqa: BLE001 - an error that cannot travel goes as its text
        pass
    if isinstance(err, DkgError):
        same = DkgError(str(err))
        same.exit_code = err.exit_code
        return pickle.dumps(("error", same))
    return pickle.dumps(("error", RuntimeError(f"{type(err).__name__}: {err}")))


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.WEXITSTATUS(status)}"
