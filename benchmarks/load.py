"""The load test: gunicorn as in production, locust headless on 127.0.0.1, county inspectors."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from benchmarks import env

PORT = 8765
FOLDER = env.ROOT / "var" / "bench-load"


def _photo(path: Path) -> None:
    """A phone-camera-sized JPEG (about 300 KB) of a noisy scene."""
    from PIL import Image

    rng = random.Random(3)
    width, height = 1280, 960
    image = Image.new("RGB", (width, height))
    image.putdata(
        [
            (
                int(x / width * 200) + rng.randint(0, 40),
                int(y / height * 180) + rng.randint(0, 40),
                90,
            )
            for y in range(height)
            for x in range(width)
        ]
    )
    image.save(path, "JPEG", quality=70)


def plan(users: int) -> Path:
    """One inspection in progress per inspector, each on their own record form."""
    from inspections.models import Inspection, InspectionFinding

    chosen, seen = [], set()
    in_progress = (
        Inspection.objects.filter(status="in_progress")
        .prefetch_related("members__user")
        .order_by("pk")
    )
    for inspection in in_progress:
        member = next((m.user for m in inspection.members.all() if m.user_id not in seen), None)
        if member is None:
            continue
        seen.add(member.pk)
        findings = dict(
            InspectionFinding.objects.filter(inspection=inspection)
            .order_by("pk")
            .values_list("pk", "revision")[:12]
        )
        chosen.append(
            {
                "username": member.username,
                "session": _session_for(member),
                "inspection": inspection.pk,
                "findings": findings,
            }
        )
        if len(chosen) == users:
            break
    if len(chosen) < users:
        raise SystemExit(f"只有 {len(chosen)} 名执法人员有进行中的检查，少于 {users}。")
    FOLDER.mkdir(parents=True, exist_ok=True)
    photo = FOLDER / "photo.jpg"
    if not photo.exists():
        _photo(photo)
    path = FOLDER / "plan.json"
    path.write_text(
        json.dumps({"inspectors": chosen, "photo": str(photo)}),
        encoding="utf-8",
    )
    return path


def _session_for(user) -> str:
    """A signed-in session, as an inspector has from logging in that morning.

    The load is the day's work on the record forms; 200 logins at once would measure only
    the password hash (PBKDF2 with a million rounds, by design about 0.5 s of CPU each).
    """
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer at {url}")


def run(factor: float, users: int, duration: str) -> dict:
    plan_path = plan(users)
    bin_dir = Path(sys.executable).parent
    environment = {
        **os.environ,
        **env.variables(factor),
        "GUNICORN_BIND": f"127.0.0.1:{PORT}",
        "LOAD_PLAN": str(plan_path),
    }
    server = subprocess.Popen(
        [str(bin_dir / "gunicorn"), "config.wsgi", "-c", "gunicorn.conf.py"],
        cwd=env.ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=open(FOLDER / "gunicorn.log", "w"),
    )
    try:
        _wait_for(f"http://127.0.0.1:{PORT}/healthz")
        subprocess.run(
            [
                str(bin_dir / "locust"),
                "-f",
                "benchmarks/locustfile.py",
                "--headless",
                "--users",
                str(users),
                "--spawn-rate",
                "20",
                "--run-time",
                duration,
                "--host",
                f"http://127.0.0.1:{PORT}",
                "--csv",
                str(FOLDER / "locust"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=env.ROOT,
            env=environment,
            check=False,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    rows = list(csv.DictReader(io.StringIO((FOLDER / "locust_stats.csv").read_text())))
    result = {"users": users, "duration": duration, "requests": []}
    for row in rows:
        entry = {
            "name": row["Name"],
            "count": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "median_ms": row["50%"],
            "p95_ms": row["95%"],
            "p99_ms": row["99%"],
            "rps": f"{float(row['Requests/s']):.1f}",
        }
        result["requests"].append(entry)
        print(
            f"  {entry['name']}: {entry['count']} 次, 失败 {entry['failures']}, "
            f"中位数 {entry['median_ms']} ms, 95 分位 {entry['p95_ms']} ms",
            flush=True,
        )
    failures = FOLDER / "locust_failures.csv"
    lines = failures.read_text().splitlines() if failures.exists() else []
    result["failure_samples"] = "\n".join(lines[:20]) if len(lines) > 1 else ""
    total = next(r for r in result["requests"] if r["name"] == "Aggregated")
    result["ok"] = total["failures"] == 0
    return result
