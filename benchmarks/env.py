"""The environment every benchmark process runs in: production settings on a database of its own."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/7")


def database_name(factor: float) -> str:
    """The factor's own database, or BENCH_DATABASE (one already generated at that factor)."""
    return os.environ.get("BENCH_DATABASE") or "ecs_bench_f" + f"{factor:g}".replace(".", "_")


def variables(factor: float) -> dict[str, str]:
    """DEBUG off as in production; plain HTTP on loopback (TLS ends at the proxy in production)."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"{POSTGRES}/{database_name(factor)}",
        "REDIS_URL": REDIS,
        "CELERY_TASK_ALWAYS_EAGER": "1",
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "MEDIA_ROOT": str(ROOT / "var" / "bench-media"),
        "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
        "PYTHONPATH": str(ROOT),
    }


def apply(factor: float) -> None:
    os.environ.update(variables(factor))
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    postgres = subprocess.run(
        ["psql", "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return (
        f"{platform.node()}: {os.cpu_count()} cores ({cpu}), {memory:.0f} GB, "
        f"{platform.platform()}, Python {platform.python_version()}, {postgres}"
    )
