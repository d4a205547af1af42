"""Documentation and size rules of the network package (``graph/network/``).

Every public function, class and method (a name without a leading underscore, in any module of
the package, and whatever ``graph/network/__init__.py`` exports) has a numpydoc docstring: a
one-line summary, ``Parameters`` naming every parameter, ``Returns`` (``Yields`` for a generator or
context manager; nothing for a function that returns ``None``), ``Raises`` where it raises on
purpose, and ``Examples`` with a doctest (pytest runs them through ``--doctest-modules``). Modules
stay under 400 lines and functions under 80. numpydoc is not a dependency, so the sections are read
here by their underlined headers.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "graph" / "network"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80


def _modules() -> list[Path]:
    return sorted(PACKAGE.glob("*.py"))


def _sections(doc: str) -> dict[str, str]:
    """The docstring's numpydoc sections by header, each with its text up to the next header."""
    lines = doc.splitlines()
    starts = [(i, lines[i].strip()) for i in range(len(lines) - 1)
              if lines[i].strip() and set(lines[i + 1].strip()) == {"-"}
              and len(lines[i + 1].strip()) == len(lines[i].strip())]
    out = {}
    for (i, header), end in zip(starts, [s for s, _ in starts[1:]] + [len(lines)]):
        out[header] = "\n".join(lines[i + 2:end])
    return out


def _documented_parameters(text: str) -> set[str]:
    """Parameter names of a Parameters section: ``name : type`` lines, or ``a, b, c`` groups."""
    names: set[str] = set()
    for line in text.splitlines():
        if line.strip() and not line.startswith((" ", "\t")):
            for name in line.split(" : ")[0].split(","):
                names.add(name.strip().lstrip("*"))
    return names


def _parameters(node: ast.FunctionDef, method: bool) -> list[str]:
    a = node.args
    names = [x.arg for x in (*a.posonlyargs, *a.args, *a.kwonlyargs)]
    names += [x.arg for x in (a.vararg, a.kwarg) if x is not None]
    return names[1:] if method and names and not _is_static(node) else names


def _is_static(node: ast.FunctionDef) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in node.decorator_list)


def _own_nodes(node: ast.AST):
    """The nodes of a function's body, nested functions and classes left out."""
    for child in ast.iter_child_nodes(node):
        if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            yield child
            yield from _own_nodes(child)


def _yields(node: ast.FunctionDef) -> bool:
    return any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in _own_nodes(node))


def _returns_none(node: ast.FunctionDef) -> bool:
    return isinstance(node.returns, ast.Constant) and node.returns.value is None


def _raises(node: ast.FunctionDef) -> bool:
    return any(isinstance(n, ast.Raise) and n.exc is not None for n in _own_nodes(node))


def _exported_names() -> set[str]:
    """Names in ``graph/network/__init__.py``'s ``__all__``."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets):
            return {ast.literal_eval(e) for e in node.value.elts}
    return set()


def _public_objects() -> list[tuple[str, ast.AST, bool]]:
    """``(qualified name, node, is a method)`` of every public function, class and method."""
    out = []
    exported = _exported_names()
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if not isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                continue
            if node.name.startswith("_") and node.name not in exported:
                continue
            out.append((f"{path.stem}.{node.name}", node, False))
            if isinstance(node, ast.ClassDef):
                out += [(f"{path.stem}.{node.name}.{m.name}", m, True) for m in node.body
                        if isinstance(m, ast.FunctionDef) and not m.name.startswith("_")]
    return out


def numpydoc_problems(name: str, node: ast.AST, method: bool) -> list[str]:
    """What the docstring of ``node`` lacks (empty when it is complete)."""
    doc = ast.get_docstring(node)
    if not doc:
        return [f"{name}: no docstring"]
    problems = []
    lines = doc.splitlines()
    if not lines[0].strip().endswith(".") or (len(lines) > 1 and lines[1].strip()):
        problems.append(f"{name}: the summary is not one line ending with a full stop")
    sections = _sections(doc)
    if isinstance(node, ast.ClassDef):
        if "Parameters" not in sections and "Attributes" not in sections:
            problems.append(f"{name}: no Parameters or Attributes section")
    else:
        wanted = _parameters(node, method)
        if wanted:
            if "Parameters" not in sections:
                problems.append(f"{name}: no Parameters section")
            else:
                missing = set(wanted) - _documented_parameters(sections["Parameters"])
                if missing:
                    problems.append(f"{name}: parameters not documented: {', '.join(sorted(missing))}")
        needed = "Yields" if _yields(node) else None if _returns_none(node) else "Returns"
        if needed and needed not in sections:
            problems.append(f"{name}: no {needed} section")
        if _raises(node) and "Raises" not in sections:
            problems.append(f"{name}: raises but has no Raises section")
    if "Examples" not in sections or ">>> " not in sections["Examples"]:
        problems.append(f"{name}: no Examples section with a doctest")
    return problems


def test_the_checker_sees_the_public_functions():
    names = {name for name, _, _ in _public_objects()}
    assert {"brokerage.brokerage", "analyse.analyse", "result.MetricTable", "result.MetricTable.column",
            "_igraph.to_igraph"} <= names
    assert not any(part.startswith("_") for name in names for part in name.split(".")[1:])


def test_the_checker_finds_what_is_missing():
    source = '''
def f(a, b):
    """Do it.

    Parameters
    ----------
    a : int
    """
    raise ValueError(a)
'''
    node = ast.parse(source).body[0]
    problems = " | ".join(numpydoc_problems("f", node, False))
    for lack in ("parameters not documented: b", "no Returns", "no Raises", "no Examples"):
        assert lack in problems


def test_every_public_network_function_has_numpydoc_and_an_example():
    problems = [p for name, node, method in _public_objects() for p in numpydoc_problems(name, node, method)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.name)
def test_network_modules_and_functions_are_short(path):
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_MODULE_LINES, f"{path.name}: {len(text.splitlines())} lines"
    long = [f"{node.name}: {node.end_lineno - node.lineno + 1} lines" for node in ast.walk(ast.parse(text))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert not long, f"{path.name}: " + ", ".join(long)


def test_doctests_need_no_built_store():
    # Examples build their own tiny inputs: none opens the build directory or a fixture store.
    for path in _modules():
        for line in path.read_text(encoding="utf-8").splitlines():
            if re.match(r"\s*(>>>|\.\.\.) ", line):
                assert not re.search(r"['\"]build['\"]|network_build|library_build", line), f"{path.name}: {line}"
