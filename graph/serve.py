"""``dkg serve``: a read-only SPARQL 1.1 endpoint over a snapshot of the built store.

The server is Oxigraph's own (``oxigraph serve-read-only`` from the ``oxigraph`` package): the
SPARQL 1.1 Protocol at ``/query`` with content negotiation (results as JSON, XML, CSV, TSV;
graphs as Turtle, N-Triples, JSON-LD, ...), the Graph Store Protocol at ``/store`` for reading
graphs, and the query editor page it ships at ``/``. democracy-kg adds the safe defaults:

- **read-only**: updates and Graph Store writes are refused by the server itself;
- **loopback**: it binds to ``127.0.0.1`` unless told otherwise (and warns when told);
- **a query timeout** (:data:`DEFAULT_TIMEOUT` seconds): a runaway query is stopped and the
  server keeps answering;
- **union default graph**, as ``dkg query``: the same questions give the same answers;
- **a snapshot**: the server opens the release that ``build/current`` points to when it starts.
  Builds never write into a published release (they write a new one and swap the link), so a
  build running meanwhile can neither corrupt what is served nor show a half-built graph. The
  server pins its release (``.serving-<pid>`` in it) so that newer builds do not prune it; a
  restart serves the newest build.
"""

from __future__ import annotations

import ipaddress
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from .store import DEFAULT_BUILD_DIR, BuildLayout, StoreNotFound, pin_release, resolve_store_path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30


class ServeError(RuntimeError):
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


def is_loopback(host: str) -> bool:
    """``True`` for ``localhost`` and loopback addresses.

    >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(location: Path | str = DEFAULT_BUILD_DIR, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          timeout: int = DEFAULT_TIMEOUT, cors: bool = False, say: Callable[[str], None] = print) -> int:
    """Run the read-only endpoint until it is stopped (Ctrl-C or SIGTERM); returns its exit code."""
    store, release = snapshot(location)
    cmd = server_command(store, host, port, timeout, cors, program=oxigraph_binary())
    pin = pin_release(release) if release else None
    shown = f"[{host}]" if ":" in host else host
    say(f"serving {release or store} read-only (snapshot; restart to serve a newer build)")
    say(f"  SPARQL endpoint  http://{shown}:{port}/query   (query timeout {timeout} s, union default graph)")
    say(f"  query editor     http://{shown}:{port}/")
    say(f"  graphs           http://{shown}:{port}/store?graph=<graph IRI>")
    if not is_loopback(host):
        say(f"warning: listening on {host}: anyone who can reach this machine can query the graph")
    process = subprocess.Popen(cmd)

    def stop(signum, frame):  # noqa: ANN001, ARG001
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        if process.poll() is None:
            process.kill()
        if pin is not None:
            pin.unlink(missing_ok=True)
