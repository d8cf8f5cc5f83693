"""`make run` serves the demo on the embedded default (SQLite): the migrations and the whole
demo must go through there too, not only on PostgreSQL (a JSON containment lookup once broke it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_demo_seeds_on_sqlite_as_make_run_does(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
        "REDIS_URL": "",
        "DEBUG": "1",
    }
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo"], ["seed_demo"]):
        done = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert done.returncode == 0, done.stderr[-3000:]
    assert "演示数据已就绪" in done.stdout and "问责记录" in done.stdout
