"""The layers of docs/architecture.md are a real contract (import-linter, run by `make lint`):
it holds on the code as it is, and it fails as soon as core imports a domain app."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(project / "pyproject.toml")],
        cwd=project,
        env={"PYTHONPATH": str(project / "src"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def copy_of_project(tmp_path: Path) -> Path:
    shutil.copytree(
        ROOT / "src" / "clusterwork",
        tmp_path / "src" / "clusterwork",
        ignore=shutil.ignore_patterns("__pycache__", "static"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_layers_hold_on_the_code_as_it_is(tmp_path):
    result = lint_imports(copy_of_project(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line"),
    [
        # a top-level import of a domain app into core
        ("core/registry.py", "from clusterwork.clusters.models import Cluster  # noqa"),
        # a lazy one, inside a function, counts as much
        ("core/audit.py", "def _peek():\n    from clusterwork.people.models import Person  # noqa"),
        # the engine reaching for Django
        ("formation/engine/metric.py", "import django.db  # noqa"),
        # a cycle between two apps of one layer
        ("goals/selectors.py", "from clusterwork.stages import selectors as _stages  # noqa"),
    ],
)
def test_crossing_a_layer_breaks_the_contract(tmp_path, module, line):
    project = copy_of_project(tmp_path)
    target = project / "src" / "clusterwork" / module
    target.write_text(target.read_text() + "\n\n" + line + "\n")
    result = lint_imports(project)
    assert result.returncode == 1, result.stdout
    assert "BROKEN" in result.stdout
    assert f"clusterwork.{module[:-3].replace('/', '.')}" in result.stdout
