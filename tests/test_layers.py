"""The apps stack in DESIGN.md's order; import-linter checks it (contract in pyproject.toml)."""

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = str(Path(sys.executable).with_name("lint-imports"))


def test_layers_contract_is_kept():
    result = subprocess.run([LINT_IMPORTS], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_an_upward_import_breaks_the_contract(tmp_path):
    # the same contract on a copy with one lower app importing a higher one must fail
    copy = tmp_path / "tree"
    copy.mkdir()
    for name in [
        "config",
        "campaign",
        "enterprises",
        "inspections",
        "cases",
        "rectification",
        "crosscheck",
        "reporting",
        "demo",
    ]:
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    (copy / "campaign" / "leak.py").write_text(
        textwrap.dedent("""
        from enterprises import models  # noqa: F401  (a lower app importing a higher one)
    """)
    )
    result = subprocess.run([LINT_IMPORTS], cwd=copy, capture_output=True, text=True)
    assert result.returncode != 0 and "campaign.leak -> enterprises.models" in result.stdout
