"""``dkg serve``: a read-only SPARQL 1.1 endpoint over a snapshot of the built store.

The server is Oxigraph's own (``oxigraph serve-read-only`` from the ``oxigraph`` package): the
SPARQL 1.1 Protocol at ``/query`` with content negotiation (results as JSON, XML, CSV, TSV;
graphs as Turtle, N-Triples, JSON-LD, ...), the Graph Store Protocol at ``/store`` for reading
graphs. democracy-kg serves its own query editor at ``/`` (:mod:`graph.editor`), declares the project
prefixes for every query (:func:`read_request`), and adds the safe defaults:

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
  every answer carries ``nosniff``, ``DENY`` framing and ``no-referrer`` headers;
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

import http.client
import ipaddress
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ontology.errors import DkgError

from .editor import CSP as EDITOR_CSP
from .sparql_text import QueryRefused, check_query
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
        super().__init__(address, _ForwardingHandler)
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


MAX_REQUEST_BYTES = 8 << 20  # a query is text; nothing larger is ever needed by a read-only endpoint
#: Answers up to this size are spooled in memory, larger ones in a temporary file.
SPOOL_IN_MEMORY = 16 << 20
_CANCELLED = b"operation has been cancelled"
_HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
               "transfer-encoding", "upgrade", "host", "content-length"}
#: Sent with every answer: no MIME sniffing, no framing by other sites, no referrer to elsewhere.
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
                    "Content-Security-Policy": "frame-ancestors 'none'", "Referrer-Policy": "no-referrer"}
_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}



_FEDERATED = "http://www.w3.org/ns/sparql-service-description#BasicFederatedQuery"


def describe_service(data: bytes, media: str, base: str = "http://127.0.0.1/query") -> bytes:
    """Oxigraph's service description without ``sd:BasicFederatedQuery``: this endpoint refuses
    ``SERVICE`` (anything that is not RDF in a known format passes unchanged)."""
    import pyoxigraph as ox

    rdf_format = ox.RdfFormat.from_media_type(media) if media else None
    if rdf_format is None or _FEDERATED.encode() not in data and b"BasicFederatedQuery" not in data:
        return data
    try:
        triples = [ox.Triple(q.subject, q.predicate, q.object)
                   for q in ox.parse(data, format=rdf_format, base_iri=base) if q.object != ox.NamedNode(_FEDERATED)]
    except (SyntaxError, ValueError):
        return data
    return ox.serialize(triples, format=rdf_format)


def read_request(method: str, path: str, content_type: str,
                 body: bytes | None) -> tuple[str | None, str, bytes | None]:
    """The SPARQL text a protocol request carries (``None`` when it carries none), and the request
    (path and body) with ``PREFIX`` lines added for the project prefixes its query uses but does
    not declare, so any client (curl, YASGUI, SPARQLWrapper) can write ``org:memberOf`` bare.

    >>> text, path, _ = read_request("GET", "/query?query=ASK%7B%3Fs+org%3AmemberOf+%3Fo%7D", "", None)
    >>> print(text)
    PREFIX org: <http://www.w3.org/ns/org#>
    ASK{?s org:memberOf ?o}
    >>> path
    '/query?query=PREFIX+org%3A+%3Chttp%3A%2F%2Fwww.w3.org%2Fns%2Forg%23%3E%0AASK%7B%3Fs+org%3AmemberOf+%3Fo%7D'
    >>> read_request("POST", "/query", "application/x-www-form-urlencoded", b"query=SELECT+*")[0]
    'SELECT *'
    >>> read_request("POST", "/update", "application/sparql-update", b"DROP ALL")[0]
    'DROP ALL'
    """
    from .sparql import standalone

    texts: list[str] = []

    def rewrite(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
        out = []
        for key, value in pairs:
            if key == "query":
                value = standalone(value)
            if key in ("query", "update"):
                texts.append(value)
            out.append((key, value))
        return out

    parts = urllib.parse.urlsplit(path)
    params = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    if any(key in ("query", "update") for key, _ in params):
        path = urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(rewrite(params))))
    kind = content_type.split(";")[0].strip().lower()
    if method == "POST" and body:
        if kind == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True)
            if any(key in ("query", "update") for key, _ in form):
                body = urllib.parse.urlencode(rewrite(form)).encode()
        elif kind == "application/sparql-query":
            text = standalone(body.decode("utf-8"))
            texts.append(text)
            body = text.encode("utf-8")
        elif kind == "application/sparql-update":
            texts.append(body.decode("utf-8"))
    return ("\n".join(texts) if texts else None), path, body


class _ForwardingHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # one request per connection; the body ends when the connection closes
    server: GuardedEndpoint

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._forward()

    do_POST = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = do_PATCH = do_GET

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - quiet: the backend is the server
        pass

    def _host_allowed(self) -> bool:
        """On a loopback address only loopback names: a page elsewhere cannot rebind its DNS name here."""
        if not is_loopback(self.server.server_address[0]):
            return True
        host = (self.headers.get("Host") or "").strip().lower()
        if host.startswith("["):
            name = host[:host.find("]") + 1]
        else:
            name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        return name in _LOOPBACK_NAMES

    def _forward(self) -> None:
        if not self._host_allowed():
            self._error(421, f"this endpoint answers at {self.server.server_address[0]} or localhost, "
                             f"not {self.headers.get('Host', '')!r}")
            return
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self._error(411, "send the request body with a Content-Length")
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self._error(400, "bad Content-Length")
            return
        if length > MAX_REQUEST_BYTES:
            remaining = min(length, 8 * MAX_REQUEST_BYTES)  # drain some, so the client reads the answer
            while remaining > 0 and (chunk := self.rfile.read(min(remaining, 1 << 20))):
                remaining -= len(chunk)
            self._error(413, f"request body over {MAX_REQUEST_BYTES // (1 << 20)} MiB; this endpoint only answers queries")
            return
        body = self.rfile.read(length) if length else None
        if self.command in ("GET", "HEAD") and urllib.parse.urlsplit(self.path).path in ("/", "/index.html"):
            self._page(self.server.editor, "text/html; charset=utf-8", EDITOR_CSP)
            return
        try:
            text, path, body = read_request(self.command, self.path, self.headers.get("Content-Type", ""), body)
            if text is not None:
                check_query(text)
        except UnicodeDecodeError:
            self._error(400, "the query is not UTF-8 text")
            return
        except QueryRefused as err:
            self._error(400, f"query refused: {err}")
            return
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        if body is not None:
            headers["Content-Length"] = str(len(body))
        request_id, _, port = self.server.begin()
        # The whole answer is read from the backend first, as fast as it comes, into a spool; only
        # then does the client get it. So the watchdog times the backend's work alone (a slow
        # client no longer runs a download into the timeout and gets half a file with "200 OK"),
        # a cancelled or cut answer becomes an error status, and every answer has a
        # Content-Length the client can check its copy against.
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port)
                connection.request(self.command, path, body=body, headers=headers)
                response = connection.getresponse()
                while chunk := response.read(1 << 16):
                    spool.write(chunk)
                connection.close()
            except (OSError, http.client.HTTPException):
                stopped = self.server.end(request_id)
                self._error(503, f"query stopped: it ran past the {self.server.timeout} s timeout" if stopped
                            else "the SPARQL backend is unavailable; retry")
                return
            stopped = self.server.end(request_id)
            size = spool.tell()
            spool.seek(max(0, size - 200))
            tail = spool.read()
            if stopped or (response.status == 200 and _CANCELLED in tail):
                self._error(503, f"query stopped: it ran past the {self.server.timeout} s timeout")
                return
            spool.seek(0)
            kind = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
            if text is None and response.status == 200 and size < (1 << 20) and kind != "text/html":
                # The service description names the address it was asked at: the guard's, not
                # the backend's private port.
                public = f"http://{self.headers.get('Host') or '127.0.0.1'}".encode()
                rewritten = describe_service(spool.read().replace(f"http://127.0.0.1:{port}".encode(), public), kind,
                                             public.decode() + urllib.parse.urlsplit(self.path).path)
                spool.seek(0)
                spool.truncate()
                spool.write(rewritten)
                size = len(rewritten)
                spool.seek(0)
            try:
                self.send_response_only(response.status, response.reason)
                for key, value in response.getheaders():
                    if key.lower() not in _HOP_BY_HOP and key not in SECURITY_HEADERS:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(size))
                self._security_headers()
                self.end_headers()
                if self.command != "HEAD":
                    shutil.copyfileobj(spool, self.wfile, 1 << 16)
            except OSError:
                pass  # the client went away

    def _page(self, page: bytes, media: str, csp: str) -> None:
        try:
            self.send_response_only(200)
            self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(len(page)))
            self.send_header("Cache-Control", "no-cache")
            self._security_headers(csp)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(page)
        except OSError:
            pass  # the client went away

    def _security_headers(self, csp: str | None = None) -> None:
        for key, value in SECURITY_HEADERS.items():
            self.send_header(key, csp if csp and key == "Content-Security-Policy" else value)

    def _error(self, status: int, message: str) -> None:
        data = (message + "\n").encode()
        try:
            self.send_response_only(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self._security_headers()
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass  # the client went away


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
