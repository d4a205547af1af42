"""Real remote SPARQL stores for the tests, each on 127.0.0.1 with a throw-away database.

- :class:`Virtuoso`: Debian's ``virtuoso-opensource`` 7 (``virtuoso-t``), the store behind most
  public EU SPARQL services. A fresh database in a temporary directory (its ``dba`` password is
  ``dba``), the SQL port and the HTTP port on free loopback ports, in the foreground so the test
  owns the process. Graph Store Protocol at ``/sparql-graph-crud-auth`` (digest auth), SPARQL at
  ``/sparql``.
- :class:`OxigraphServer`: ``oxigraph serve`` (writable) with the union default graph.

``make test`` installs ``virtuoso-opensource`` when missing (Makefile ``system-deps``).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import requests

VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 0
NumberOfBuffers = 20000
MaxDirtyBuffers = 12000
DirsAllowed = ., {d}
ThreadsPerQuery = 2
MaxQueryMem = 1G

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}
ServerThreads = 8
Charset = UTF-8
MaxClientConnections = 8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 0
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 20, log: Path | None = None) -> None:
    """Wait until ``url`` answers ``ASK`` with 200; fail at once (with the log's tail) if the process ends."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            detail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
            raise RuntimeError(f"store exited with {process.returncode}: {detail}")
        try:
            if requests.get(url, params={"query": "ASK { ?s ?p ?o }"}, timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {seconds} s")


class Virtuoso:
    """``virtuoso-t`` on a throw-away database in ``directory``."""

    PROGRAM = "virtuoso-t"
    USER, PASSWORD = "dba", "dba"

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.sql_port, self.http_port = free_port(), free_port()
        ini = self.directory / "virtuoso.ini"
        ini.write_text(VIRTUOSO_INI.format(d=self.directory, sql_port=self.sql_port, http_port=self.http_port))
        self.process = subprocess.Popen([shutil.which(self.PROGRAM) or self.PROGRAM, "+foreground", "+configfile",
                                         str(ini)], cwd=self.directory, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.STDOUT)
        wait_until_up(self.query_url, self.process, 120, self.directory / "virtuoso.log")

    base = property(lambda self: f"http://127.0.0.1:{self.http_port}")
    query_url = property(lambda self: f"{self.base}/sparql")
    store_url = property(lambda self: f"{self.base}/sparql-graph-crud-auth")

    @staticmethod
    def available() -> bool:
        return shutil.which(Virtuoso.PROGRAM) is not None

    def stop(self) -> None:
        stop(self.process, 60)


class OxigraphServer:
    """``oxigraph serve`` (writable, union default graph) on a store in ``directory``."""

    def __init__(self, directory: Path):
        from graph.serve import oxigraph_binary

        self.port = free_port()
        self.process = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(directory), "--bind",
                                         f"127.0.0.1:{self.port}", "--union-default-graph"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        wait_until_up(self.query_url, self.process, 30)

    base = property(lambda self: f"http://127.0.0.1:{self.port}")
    query_url = property(lambda self: f"{self.base}/query")
    store_url = property(lambda self: f"{self.base}/store")

    def stop(self) -> None:
        stop(self.process)


def stop(process: subprocess.Popen, seconds: float = 30) -> None:
    """Terminate ``process``; kill it if it has not ended within ``seconds``."""
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
