"""Numpydoc sections on every public function and class of the package.

Walks ``__all__`` of every ``theorylab`` module. A public function that takes parameters must have a
``Parameters`` section; one that returns a value must have a ``Returns`` (or ``Yields``) section. A public
class whose constructor takes parameters must have a ``Parameters`` or ``Attributes`` section. Names
re-exported from another module are checked where they are defined.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import textwrap

import pytest

import theorylab

#: Modules whose public docstrings are owned by another helper this session and not yet converted. Each
#: entry is skipped with its reason; the lead shrinks this list at merge, and a module leaves it as soon as
#: its test passes (test_the_allow_list_has_no_module_that_already_passes keeps it honest).
NOT_YET_CONVERTED = {
    # Being converted at the end of session 5; they leave the list as they pass.
}


def _modules():
    names = ["theorylab"]
    for info in pkgutil.walk_packages(theorylab.__path__, "theorylab."):
        names.append(info.name)
    return sorted(n for n in names if not n.endswith("__main__"))


def _allow_listed(module_name: str) -> str | None:
    for prefix, owner in NOT_YET_CONVERTED.items():
        if module_name == prefix or module_name.startswith(prefix + "."):
            return owner
    return None


def _has_section(doc: str, *names: str) -> bool:
    lines = [ln.strip() for ln in doc.splitlines()]
    return any(lines[i] in names and set(lines[i + 1]) == {"-"} for i in range(len(lines) - 1) if lines[i + 1])


def _returns_value(fn) -> bool:
    ann = inspect.signature(fn).return_annotation
    if ann is not inspect.Signature.empty:
        return ann not in (None, "None")
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError):
        return False
    top = tree.body[0]
    for node in ast.walk(top):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) and node is not top:
            continue
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return True
        if isinstance(node, ast.Return) and node.value is not None and not (
                isinstance(node.value, ast.Constant) and node.value.value is None):
            return True
    return False


def _takes_parameters(fn) -> bool:
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    return any(p.name not in ("self", "cls") for p in params.values())


def problems(obj, name: str) -> list[str]:
    """Missing numpydoc sections of one public object (empty when it is fine)."""
    doc = inspect.getdoc(obj) or ""
    out = []
    if not doc:
        return [f"{name}: no docstring"]
    if inspect.isclass(obj):
        init = obj.__init__ if "__init__" in vars(obj) or hasattr(obj, "__dataclass_fields__") else None
        if init is not None and _takes_parameters(init) and not _has_section(doc, "Parameters", "Attributes"):
            out.append(f"{name}: class without a Parameters/Attributes section")
        return out
    fn = getattr(obj, "py_func", obj)                # numba dispatchers: check the Python function
    if not callable(fn):
        return out
    if _takes_parameters(fn) and not _has_section(doc, "Parameters"):
        out.append(f"{name}: no Parameters section")
    if _returns_value(fn) and not _has_section(doc, "Returns", "Yields"):
        out.append(f"{name}: no Returns section")
    return out


def _public_objects(module_name: str):
    module = importlib.import_module(module_name)
    for attr in getattr(module, "__all__", []):
        obj = getattr(module, attr, None)
        if obj is None or not (inspect.isclass(obj) or callable(obj)):
            continue                                  # constants and tables need no sections
        home = getattr(getattr(obj, "py_func", obj), "__module__", module_name)
        if home != module_name:
            continue                                  # re-export: checked where it is defined
        yield f"{module_name}.{attr}", obj


@pytest.mark.parametrize("module_name", _modules())
def test_public_functions_have_numpydoc_parameters_and_returns(module_name):
    owner = _allow_listed(module_name)
    if owner:
        pytest.skip(f"owned by {owner} this session; not yet converted (NOT_YET_CONVERTED)")
    found = [p for name, obj in _public_objects(module_name) for p in problems(obj, name)]
    assert not found, "\n".join(found)


def test_the_checker_sees_missing_sections():
    def bare(x):
        """Doubles."""
        return 2 * x

    def good(x):
        """Doubles.

        Parameters
        ----------
        x : float
            Input.

        Returns
        -------
        float
            Twice x.
        """
        return 2 * x

    assert len(problems(bare, "bare")) == 2
    assert problems(good, "good") == []


def test_the_allow_list_has_no_module_that_already_passes():
    """An entry (a module, or a package and everything under it) leaves the list once all of it passes."""
    def passes(module_name):
        try:
            return not [p for name, obj in _public_objects(module_name) for p in problems(obj, name)]
        except Exception:                                  # a module that fails to import does not pass
            return False

    modules = _modules()
    stale = [entry for entry in NOT_YET_CONVERTED
             if all(passes(m) for m in modules if m == entry or m.startswith(entry + "."))]
    assert not stale, f"remove from NOT_YET_CONVERTED (they pass now): {stale}"
