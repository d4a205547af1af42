"""``dkg serve``: a read-only SPARQL 1.1 endpoint over a snapshot of the built store.

The server is Oxigraph's own (``oxigraph serve-read-only`` from the ``oxigraph`` package): the
SPARQL 1.1 Protocol at ``/query`` with content negotiation (results as JSON, XML, CSV, TSV;
graphs as Turtle, N-Triples, JSON-LD, ...), the Graph Store Protocol at ``/store`` for reading
graphs. democracy-kg serves its own query editor at ``/`` (:mod:`graph.editor`), declares the project
prefixes for every query (:func:`graph.serve_handler.read_request`), and adds the safe defaults:

- **read-only**: updates and Graph Store writes are refused by the server itself;
- **loopback**: it binds to ``127.0.0.1`` unless told otherwise (and warns when told);
- **a query timeout** (:data:`DEFAULT_TIMEOUT` seconds): a runaway query is stopped and the
  server keeps answering. Oxigraph cancels a query only while it streams results, so a guard
  (:class:`GuardedEndpoint`) listens on the public address, forwards to Oxigraph on a private
  loopback port, and replaces the Oxigraph process when a request overstays the timeout;
- **closed to the outside**: the guard reads every query before Oxigraph does and refuses
  ``SERVICE`` clauses (the endpoint never fetches from another address for a client), text over
  :data:`graph.sparql_text.MAX_QUERY_CHARS` and nesting deeper than
  :data:`graph.sparql_text.MAX_NESTING` (which would overflow the backend's stack); on a
  loopback address it answers only requests addressed to a loopback name (no DNS rebinding);
  every answer carries ``nosniff``, ``DENY`` framing and ``no-referrer`` headers (the request
  side is :mod:`graph.serve_handler`);
- **whole answers or errors**: the guard spools the backend's answer before sending it with its
  ``Content-Length``; a query the timeout stopped is a ``503``, never a ``200`` with half a file;
- **union default graph**, as ``dkg query``: the same questions give the same answers;
- **a snapshot**: the server opens the release that ``build/current`` points to when it starts.
  Builds never write into a published release (they write a new one and swap the link), so a
  build running meanwhile can neither corrupt what is served nor show a half-built graph. The
  server pins its release (``.serving-<pid>`` in it) so that newer builds do not prune it; a
  restart serves the newest build.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from http.server import ThreadingHTTPServer
from pathlib import Path

from ontology.errors import DkgError

from .serve_handler import ForwardingHandler, is_loopback
from .store import DEFAULT_BUILD_DIR, BuildLayout, StoreNotFound, pin_release, resolve_store_path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30


class ServeError(DkgError, RuntimeError):
    """The server cannot start (no store, no oxigraph binary, bad address)."""


def oxigraph_binary() -> str:
    """The ``oxigraph`` server program: beside this Python (the project venv) or on ``PATH``."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise ServeError("the Oxigraph server program is not installed; run 'make serve' or 'pip install oxigraph'")


def snapshot(location: Path | str = DEFAULT_BUILD_DIR) -> tuple[Path, Path | None]:
    """The store directory to serve and its release (``None`` when given a bare store directory)."""
    layout = BuildLayout(location)
    if layout.current.is_symlink():
        release = layout.current.resolve()
        store = release / "store"
        if not (store / "CURRENT").exists():
            raise StoreNotFound(f"the current release {release} has no store; rebuild with 'dkg build'")
        return store, release
    if Path(location).name.startswith(".staging-") or Path(location).parent.name.startswith(".staging-"):
        raise ServeError(f"{location} is a build in progress; serve the build directory once the build is done")
    return resolve_store_path(location), None


def server_command(store: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                   timeout: int = DEFAULT_TIMEOUT, cors: bool = False, program: str = "oxigraph") -> list[str]:
    """The ``oxigraph serve-read-only`` command line for ``store``.

    >>> server_command(Path("/b/store"), port=7999, timeout=5)
    ['oxigraph', 'serve-read-only', '--location', '/b/store', '--bind', '127.0.0.1:7999', '--union-default-graph', '--timeout-s', '5']
    """
    if not 0 < port < 65536:
        raise ServeError(f"port {port} is out of range")
    if timeout <= 0:
        raise ServeError("the query timeout must be a positive number of seconds")
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    cmd = [program, "serve-read-only", "--location", str(store), "--bind", bind, "--union-default-graph",
           "--timeout-s", str(timeout)]
    if cors:
        cmd.append("--cors")
    return cmd


class Backend:
    """One ``oxigraph serve-read-only`` process on a private loopback port."""

    def __init__(self, store: Path, timeout: int, cors: bool):
        self.port = _free_port()
        self.process = subprocess.Popen(server_command(store, "127.0.0.1", self.port, timeout, cors, program=oxigraph_binary()),
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while True:
            if self.process.poll() is not None:
                raise ServeError(f"the Oxigraph server stopped at once: {self.process.stderr.read().decode(errors='replace')[:500]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    self.kill()
                    raise ServeError("the Oxigraph server did not start within 30 s") from None
                time.sleep(0.05)

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


class GuardedEndpoint(ThreadingHTTPServer):
    """The public address: forwards every request to the Oxigraph backend and enforces the timeout.

    Oxigraph's own ``--timeout-s`` cancels a query only while it streams results; a query that
    computes for long without producing a row (a large join that a filter empties) runs on
    (oxigraph/oxigraph#1336). The guard times every request: one still running ``GRACE`` seconds
    past the timeout gets a ``503`` answer, and the backend is replaced by a fresh process (a
    few tenths of a second: the store is read-only and immutable), which is the only way to stop
    the query. Requests in flight on the old backend at that moment get a ``503`` saying why.
    """

    daemon_threads = True
    GRACE = 2.0
    #: Connections waiting to be accepted (the default of 5 made 200 simultaneous clients wait seconds).
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], store: Path, timeout: int, cors: bool = False,
                 say: Callable[[str], None] = print):
        self.store, self.timeout, self.cors, self.say = store, timeout, cors, say
        from .editor import editor_page
        from .library import load_library

        self.editor = editor_page(load_library()).encode("utf-8")
        self.lock = threading.Lock()
        self.backend = Backend(store, timeout, cors)
        self.generation = 0
        self.inflight: dict[int, tuple[int, float]] = {}
        self.stopped: set[int] = set()
        self.restarts = 0
        self._next_id = 0
        self._closing = threading.Event()
        super().__init__(address, ForwardingHandler)
        self._watchdog = threading.Thread(target=self._watch, name="dkg-serve-watchdog", daemon=True)
        self._watchdog.start()

    def begin(self) -> tuple[int, int, int]:
        with self.lock:
            self._next_id += 1
            self.inflight[self._next_id] = (self.generation, time.monotonic())
            return self._next_id, self.generation, self.backend.port

    def end(self, request_id: int) -> bool:
        """Forget a request; ``True`` when the guard stopped it (its backend was replaced)."""
        with self.lock:
            self.inflight.pop(request_id, None)
            if request_id in self.stopped:
                self.stopped.discard(request_id)
                return True
            return False

    def _watch(self) -> None:
        while not self._closing.wait(0.25):
            now = time.monotonic()
            with self.lock:
                overdue = [rid for rid, (gen, start) in self.inflight.items()
                           if gen == self.generation and now - start > self.timeout + self.GRACE]
                crashed = not self.backend.alive()
            if overdue or crashed:
                self._replace_backend("a query ran past the timeout" if overdue else "the Oxigraph server stopped")

    def _replace_backend(self, reason: str) -> None:
        fresh = Backend(self.store, self.timeout, self.cors)
        with self.lock:
            old, old_generation = self.backend, self.generation
            self.backend, self.generation = fresh, self.generation + 1
            self.stopped.update(rid for rid, (gen, _) in self.inflight.items() if gen == old_generation)
            self.restarts += 1
        old.kill()
        self.say(f"restarted the SPARQL backend: {reason}")

    def server_close(self) -> None:
        self._closing.set()
        super().server_close()
        with self.lock:
            self.backend.kill()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(location: Path | str = DEFAULT_BUILD_DIR, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          timeout: int = DEFAULT_TIMEOUT, cors: bool = False, say: Callable[[str], None] = print) -> int:
    """Run the read-only endpoint until it is stopped (Ctrl-C or SIGTERM); returns the exit code."""
    store, release = snapshot(location)
    server_command(store, host, port, timeout, cors)  # checks port and timeout
    pin = pin_release(release) if release else None
    try:
        try:
            endpoint = GuardedEndpoint((host, port), store, timeout, cors, say=say)
        except OSError as err:
            raise ServeError(f"cannot listen on {host}:{port}: {err.strerror or err}") from None
        shown = f"[{host}]" if ":" in host else host
        say(f"serving {release or store} read-only (snapshot; restart to serve a newer build)")
        say(f"  SPARQL endpoint  http://{shown}:{port}/query   (query timeout {timeout} s, union default graph)")
        say(f"  query editor     http://{shown}:{port}/")
        say(f"  graphs           http://{shown}:{port}/store?graph=<graph IRI>")
        if not is_loopback(host):
            say(f"warning: listening on {host}: anyone who can reach this machine can query the graph")

        def stop(signum, frame):  # noqa: ANN001, ARG001
            raise KeyboardInterrupt

        previous = signal.signal(signal.SIGTERM, stop)
        try:
            endpoint.serve_forever(poll_interval=0.25)
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            endpoint.server_close()
        return 0
    finally:
        if pin is not None:
            pin.unlink(missing_ok=True)
