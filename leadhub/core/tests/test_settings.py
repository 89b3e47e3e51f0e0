from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PRODUCTION_ENV = {
    "LEADHUB_ENV": "production",
    "SECRET_KEY": "a-long-random-production-secret-" + "x9Q2" * 12,
    "ALLOWED_HOSTS": "leadhub.example.org",
    "DATABASE_URL": "",
    "EMAIL_HOST": "smtp.example.org",
}


def run_manage(*args: str, extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # A clean environment: nothing a test runner set (settings module, async overrides).
    skip = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in skip}
    env.update(extra_env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_production_settings_pass_djangos_deploy_checks(tmp_path: Path) -> None:
    env = {**PRODUCTION_ENV, "LEADHUB_VAR_DIR": str(tmp_path)}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", extra_env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = {**PRODUCTION_ENV, "SECRET_KEY": "", "LEADHUB_VAR_DIR": str(tmp_path)}
    result = run_manage("check", extra_env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
