"""The on-disk store: Oxigraph (RocksDB) in a release directory that builds swap atomically.

Layout of a build directory (default ``build/``)::

    build/
      current -> releases/<id>        symlink, replaced atomically (rename) by a successful build
      store   -> current/store        Oxigraph store (open read-only with :func:`open_store`)
      dumps   -> current/dumps        democracy-kg.nq (canonical), .trig, one .ttl per graph
      releases/<id>/                  one complete build: store/, dumps/, report.json
      releases/.staging-<id>/         a build in progress; never read; removed when stale

A build writes a new release beside the current one and only then points ``current`` at it,
so a failed or killed build leaves the previous store and dumps untouched and queryable.

Stores are plugins chosen by name, as in rdflib: :data:`BACKENDS` maps a name to an opener
(``oxigraph`` is the embedded default; ``sparql`` is any remote SPARQL 1.1 endpoint, see
:mod:`graph.remote`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple, TypeVar

import pyoxigraph as ox
import rdflib
from oxrdflib import OxigraphStore

from ontology.errors import DkgError

from .dumps import is_pending, start_background
from .remote import SparqlEndpoint

DEFAULT_BUILD_DIR = Path("build")
#: Each graph's counts (graph.void.graph_profiles), in a release, for the next rebuild.
PROFILES_NAME = "profiles.json"
T = TypeVar("T")


class StoreNotFound(DkgError, FileNotFoundError):
    """There is no built store at the given place."""


class LayoutError(DkgError, ValueError):
    """The build directory holds something a build must not overwrite."""


class BuildLayout:
    """Paths of one build directory (see the module docstring)."""

    def __init__(self, root: Path | str = DEFAULT_BUILD_DIR):
        self.root = Path(root)

    releases = property(lambda self: self.root / "releases")
    current = property(lambda self: self.root / "current")
    store = property(lambda self: self.root / "store")
    dumps = property(lambda self: self.root / "dumps")

    def new_staging(self, release_id: str) -> Path:
        path = self.releases / f".staging-{release_id}"
        path.mkdir(parents=True)
        return path

    def check(self) -> None:
        """Refuse a build directory the build could not publish into, before any work is done.

        ``store``, ``dumps`` and ``current`` must be absent or the links a build makes; the root
        and ``releases`` must be directories (or absent).
        """
        if self.root.exists() and not self.root.is_dir():
            raise LayoutError(f"{self.root} is a file, not a build directory; choose another --out")
        if self.releases.exists() and not self.releases.is_dir():
            raise LayoutError(f"{self.releases} is a file; a build directory keeps its releases there")
        for link in (self.store, self.dumps, self.current):
            if (link.exists() or link.is_symlink()) and not link.is_symlink():
                raise LayoutError(f"{link} exists and is not a link made by dkg build; move it away or "
                                  "choose another --out")

    @contextlib.contextmanager
    def _lock(self):  # noqa: ANN202
        """An exclusive lock on the build directory, held while a release is published and pruned."""
        with open(self.root / ".lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def publish(self, staging: Path, release_id: str, keep: int = 2, *, replacing: Path | None = None) -> Path:
        """Make ``staging`` the current release in one atomic rename; prune old releases.

        ``replacing``: the release ``staging`` was made from; if another one became current
        meanwhile (a build that finished first), nothing is published (:class:`LayoutError`).
        """
        self.check()
        release = self.releases / release_id
        with self._lock():
            if replacing is not None and self.current.resolve() != replacing:
                raise LayoutError(f"a newer release ({self.current.resolve().name}) was published while this one was "
                                  f"made from {replacing.name}; nothing was published: run the command again")
            staging.rename(release)
            tmp = self.root / f".current-{os.getpid()}"
            if tmp.is_symlink() or tmp.exists():
                tmp.unlink()
            tmp.symlink_to(Path("releases") / release_id)
            os.replace(tmp, self.current)  # atomic on POSIX: readers see the old or the new release
            for name, target in (("store", "current/store"), ("dumps", "current/dumps")):
                link = self.root / name
                if not link.is_symlink():
                    link.symlink_to(target)
            self._prune(keep)
        return release

    def _prune(self, keep: int) -> None:
        # Keep the newest `keep` releases: a reader that opened the previous one keeps working.
        # A release that a running `dkg serve` pinned is kept whatever its age, and so is the one
        # `current` points to *now*, read under the lock: builds that race may publish in another
        # order than their ids sort.
        current = self.current.resolve()
        releases = sorted((p for p in self.releases.iterdir() if not p.name.startswith(".")), key=lambda p: p.name)
        for old in releases[:-keep]:
            if old.resolve() != current and not is_pinned(old):
                shutil.rmtree(old, ignore_errors=True)

    def remove_stale_staging(self) -> list[Path]:
        """Delete staging directories of builds whose process is gone (killed or crashed)."""
        removed = []
        if not self.releases.is_dir():
            return removed
        for path in self.releases.glob(".staging-*"):
            pid = path.name.rsplit("-", 1)[-1]
            if not (pid.isdigit() and _alive(int(pid))):
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
        return removed


def new_release_id(when: dt.datetime | None = None) -> str:
    """A release id that sorts by time: ``<UTC time to the microsecond>Z-<pid>`` (``when``: now)."""
    return f"{when or dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%S%fZ}-{os.getpid()}"


def derive_release(location: Path | str, change: Callable[[ox.Store], T]) -> tuple[Path, T]:
    """Publish a new release: the current one with ``change`` applied to a copy of its store.

    A published release is never written to: a server reading it, or a reader that opened it,
    keeps seeing what was published. The copy is a RocksDB checkpoint (``Store.backup``: hard
    links to the immutable table files, so it costs little whatever the store's size); the other
    files of the release (dumps, reports) are hard-linked too. The new release then replaces
    ``current`` atomically, like a build's (:meth:`BuildLayout.publish`), and older releases are
    pruned by the same rule. If ``change`` fails, nothing is published.

    ``location`` is a build directory (or the store of one of its releases). A store directory
    outside any build layout is the caller's own, not a published release: it is changed in place.

    Parameters
    ----------
    location : path
        A build directory, ``build/store``, or a plain store directory.
    change : callable
        Called with the writable store of the new release; its return value is passed back.

    Returns
    -------
    (Path, object)
        The store directory that was changed, and what ``change`` returned.
    """
    path = Path(location)
    root = _build_root(path)
    if root is None:
        store_dir = resolve_store_path(path)
        return store_dir, _changed(store_dir, change)
    layout = BuildLayout(root)
    layout.remove_stale_staging()
    current = layout.current.resolve()
    release_id = new_release_id()
    staging = layout.new_staging(release_id)
    try:
        ox.Store.read_only(str(current / "store")).backup(str(staging / "store"))
        for item in current.iterdir():
            if item.name != "store" and not item.name.startswith("."):
                if item.is_dir():  # without files being written (a derived-dumps writer's temporaries)
                    shutil.copytree(item, staging / item.name, copy_function=os.link, ignore=_unfinished)
                else:
                    os.link(item, staging / item.name)
        outcome = _changed(staging / "store", change)
        release = layout.publish(staging, release_id, replacing=current)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if is_pending(current):  # the build's writer was still at work: the new release gets its own
        start_background(release)
    return release / "store", outcome


def _unfinished(folder: str, names: list[str]) -> list[str]:
    """Temporary files (``.name.xxxx.tmp``) and markers other than a completed one: not copied."""
    return [n for n in names if n.startswith(".") and n != ".derived-complete"]


def _changed(store_dir: Path, change: Callable[[ox.Store], T]) -> T:
    store = ox.Store(str(store_dir))
    try:
        outcome = change(store)
        store.flush()
        return outcome
    finally:
        del store


def _build_root(path: Path) -> Path | None:
    """The build directory ``path`` belongs to (``build``, ``build/store``, ``build/current``,
    ``build/releases/<id>[/store]``), or None for a store outside any build layout."""
    for candidate in (path, *path.resolve().parents[:3]):
        if (candidate / "current").is_symlink() and (candidate / "releases").is_dir():
            return candidate
    if (path / "current").is_symlink():
        return path
    return None


PIN_PREFIX = ".serving-"


def pin_release(release: Path) -> Path:
    """Mark ``release`` as in use by this process (a server) so builds do not prune it.

    Returns the pin file; delete it to unpin. Pins of processes that are gone do not count.
    """
    pin = release / f"{PIN_PREFIX}{os.getpid()}"
    pin.touch()
    return pin


def is_pinned(release: Path) -> bool:
    """Whether a live process has pinned ``release`` (:func:`pin_release`)."""
    for pin in release.glob(f"{PIN_PREFIX}*"):
        pid = pin.name.removeprefix(PIN_PREFIX)
        if pid.isdigit() and _alive(int(pid)):
            return True
    return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def resolve_store_path(location: Path | str) -> Path:
    """A store directory from a build directory (``build``) or a store path (``build/store``)."""
    path = Path(location)
    for candidate in (path / "store", path):
        if (candidate / "CURRENT").exists() or (candidate.is_dir() and any(candidate.glob("*.sst"))):
            return candidate.resolve()
    raise StoreNotFound(f"no built store at {path}; run 'dkg build' (or 'make run') first")


class ReleaseRef(NamedTuple):
    """One published release of a build directory, by id (:func:`release_of`)."""

    root: Path
    id: str

    @property
    def path(self) -> Path:
        """The release's directory (``<root>/releases/<id>``)."""
        return self.root / "releases" / self.id

    def cache(self, kind: str, *, prune: bool = False) -> Path:
        """Where what is kept for this release lives (``<root>/cache/<kind>/<id>``). With
        ``prune`` (a writer's call), the folders of releases that are gone are first removed
        from ``<root>/cache/<kind>``: what was kept for them can never be read again.

        >>> import tempfile
        >>> root = Path(tempfile.mkdtemp())
        >>> (root / "releases" / "r2").mkdir(parents=True)
        >>> (root / "cache" / "tables" / "r1").mkdir(parents=True)
        >>> ReleaseRef(root, "r2").cache("tables").relative_to(root).as_posix()
        'cache/tables/r2'
        >>> _ = ReleaseRef(root, "r2").cache("tables", prune=True)
        >>> (root / "cache" / "tables" / "r1").exists()
        False
        """
        kept = self.root / "cache" / kind
        if prune and kept.is_dir():
            for other in kept.iterdir():
                if other.name != self.id and not (self.root / "releases" / other.name).is_dir():
                    shutil.rmtree(other, ignore_errors=True)
        return kept / self.id


def release_of(location: Path | str) -> ReleaseRef | None:
    """The release whose store ``location`` names now.

    ``location`` is a build directory (its ``current`` release), ``build/store`` or a release's
    store. A build that publishes later does not change the answer: callers resolve once and
    keep reading that release. None for a store outside any build layout.

    >>> release_of("/nonexistent")
    Traceback (most recent call last):
    ...
    graph.store.StoreNotFound: no built store at /nonexistent; run 'dkg build' (or 'make run') first
    """
    release = resolve_store_path(location).parent
    if release.parent.name == "releases" and (release.parent.parent / "current").is_symlink():
        return ReleaseRef(release.parent.parent, release.name)
    return None


def _open_oxigraph(location: Path | str, read_only: bool = True) -> ox.Store:
    path = resolve_store_path(location)
    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except (OSError, RuntimeError) as err:  # RocksDB reports a damaged store as RuntimeError
        raise StoreNotFound(f"{path}: the store cannot be opened ({err}); rebuild it with 'dkg build'") from None


def _open_sparql(location: Path | str, read_only: bool = True) -> SparqlEndpoint:
    if not read_only:
        raise ValueError("remote SPARQL endpoints are opened for queries only; use 'dkg push' to upload")
    return SparqlEndpoint(str(location))


#: Store backends by name: each opens a store that :func:`graph.sparql.run_query` can query.
BACKENDS: dict[str, Callable[..., ox.Store | SparqlEndpoint]] = {"oxigraph": _open_oxigraph, "sparql": _open_sparql}


def open_store(location: Path | str = DEFAULT_BUILD_DIR, backend: str = "oxigraph", read_only: bool = True) -> ox.Store | SparqlEndpoint:
    """Open a built store for fast SPARQL (pyoxigraph API), or a remote endpoint (``backend="sparql"``).

    >>> open_store("/nonexistent")
    Traceback (most recent call last):
    ...
    graph.store.StoreNotFound: no built store at /nonexistent; run 'dkg build' (or 'make run') first
    """
    try:
        opener = BACKENDS[backend]
    except KeyError:
        raise ValueError(f"unknown store backend {backend!r}; known: {', '.join(BACKENDS)}") from None
    return opener(location, read_only=read_only)


def open_dataset(location: Path | str = DEFAULT_BUILD_DIR, read_only: bool = True) -> rdflib.Dataset:
    """Open a built store behind rdflib's API (oxrdflib); the default graph is the union of all graphs."""
    store = OxigraphStore(store=open_store(location, read_only=read_only))
    return rdflib.Dataset(store=store, default_union=True)
