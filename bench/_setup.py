"""Point Django at the benchmark database, creating and migrating it when missing."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_NAME", "fund_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fund.settings.local")


def setup(*, fresh: bool = True) -> None:
    """Connect Django to the benchmark database; with `fresh`, drop and recreate it first (it is ours)."""
    import psycopg

    name = os.environ["DATABASE_NAME"]
    dsn = dict(
        host=os.environ.get("DATABASE_HOST", "127.0.0.1"), port=os.environ.get("DATABASE_PORT", "55432"),
        user=os.environ.get("DATABASE_USER", "postgres"), dbname="postgres", autocommit=True,
    )
    with psycopg.connect(**dsn) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    # As the worker and web processes do once loaded (fund/celery.py, fund/gunicorn.py): the code measured here
    # runs in them, and its collections then walk what it made, not the whole of Django.
    from fund.runtime import freeze_startup_objects

    freeze_startup_objects()
