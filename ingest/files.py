"""Files replaced whole: readers see the old file or the new one, never a half-written one.

Examples
--------
>>> import tempfile
>>> target = Path(tempfile.mkdtemp()) / "map.html"
>>> with replacing(target) as temp:
...     _ = temp.write_text("<html></html>")
>>> target.read_text(), sorted(p.name for p in target.parent.iterdir())
('<html></html>', ['map.html'])
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def replacing(path: Path | str) -> Iterator[Path]:
    """A temporary path beside ``path``; renamed over ``path`` (atomically) when the block ends
    without an error, removed otherwise, so a failed or killed write leaves the old file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        os.chmod(temp, 0o644)  # mkstemp makes it private; published files are for reading
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
