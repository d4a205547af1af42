"""What :mod:`graph.serve`'s guard does with each request before and after Oxigraph answers it.

:class:`ForwardingHandler` answers the public address: it refuses what a read-only endpoint never
needs (a request addressed to a non-loopback name on a loopback address, chunked or oversized
bodies, ``SERVICE`` clauses and over-long or over-nested text, see :mod:`graph.sparql_text`),
serves the query editor at ``/``, adds the project prefixes a query uses (:func:`read_request`),
forwards the rest to the Oxigraph backend, spools its whole answer and sends it with a
``Content-Length`` and :data:`SECURITY_HEADERS` (a query the timeout stopped is a ``503``).
The process side (the backend, its watchdog, ``dkg serve``) is :mod:`graph.serve`.
"""

from __future__ import annotations

import http.client
import ipaddress
import shutil
import tempfile
import urllib.parse
from http.server import BaseHTTPRequestHandler
from typing import Protocol

from .editor import CSP as EDITOR_CSP
from .sparql_text import QueryRefused, check_query

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


class Guard(Protocol):
    """What the handler asks of the server it answers for (:class:`graph.serve.GuardedEndpoint`)."""

    server_address: tuple
    timeout: int
    editor: bytes

    def begin(self) -> tuple[int, int, int]: ...  # request id, backend generation, backend port

    def end(self, request_id: int) -> bool: ...  # True when the guard stopped the request


class ForwardingHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # one request per connection; the body ends when the connection closes
    server: Guard

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

    def _checked_request(self) -> tuple[str | None, str, bytes | None] | None:
        """The request's SPARQL text, path and body to forward; ``None`` when it has been answered
        here already (refused, or the query editor's page)."""
        if not self._host_allowed():
            self._error(421, f"this endpoint answers at {self.server.server_address[0]} or localhost, "
                             f"not {self.headers.get('Host', '')!r}")
            return None
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self._error(411, "send the request body with a Content-Length")
            return None
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self._error(400, "bad Content-Length")
            return None
        if length > MAX_REQUEST_BYTES:
            remaining = min(length, 8 * MAX_REQUEST_BYTES)  # drain some, so the client reads the answer
            while remaining > 0 and (chunk := self.rfile.read(min(remaining, 1 << 20))):
                remaining -= len(chunk)
            self._error(413, f"request body over {MAX_REQUEST_BYTES // (1 << 20)} MiB; this endpoint only answers queries")
            return None
        body = self.rfile.read(length) if length else None
        if self.command in ("GET", "HEAD") and urllib.parse.urlsplit(self.path).path in ("/", "/index.html"):
            self._page(self.server.editor, "text/html; charset=utf-8", EDITOR_CSP)
            return None
        try:
            text, path, body = read_request(self.command, self.path, self.headers.get("Content-Type", ""), body)
            if text is not None:
                check_query(text)
        except UnicodeDecodeError:
            self._error(400, "the query is not UTF-8 text")
            return None
        except QueryRefused as err:
            self._error(400, f"query refused: {err}")
            return None
        return text, path, body

    def _forward(self) -> None:
        checked = self._checked_request()
        if checked is None:
            return
        text, path, body = checked
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
                size = self._describe_at_public_address(spool, port, kind)
            self._relay(response, spool, size)

    def _describe_at_public_address(self, spool: tempfile.SpooledTemporaryFile, port: int, kind: str) -> int:
        """Rewrite the spooled service description in place; returns its new size. It names the
        address it was asked at: the guard's, not the backend's private port."""
        public = f"http://{self.headers.get('Host') or '127.0.0.1'}".encode()
        rewritten = describe_service(spool.read().replace(f"http://127.0.0.1:{port}".encode(), public), kind,
                                     public.decode() + urllib.parse.urlsplit(self.path).path)
        spool.seek(0)
        spool.truncate()
        spool.write(rewritten)
        spool.seek(0)
        return len(rewritten)

    def _relay(self, response: http.client.HTTPResponse, spool: tempfile.SpooledTemporaryFile, size: int) -> None:
        """Send the backend's spooled answer, with its headers and ours."""
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
