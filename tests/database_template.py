"""The test database copied from a migrated template instead of migrated each run.

Migrating a new database takes tens of seconds of CPU (more on a loaded machine), and pytest-xdist did it once
per process each run. The first process migrates a template database once for a given set of migrations
(`test_<DATABASE_NAME>_tpl_<fingerprint>`); every process then copies it with `CREATE DATABASE ... TEMPLATE`,
which takes about a second, and Django's `migrate` finds nothing to apply. The fingerprint covers every
installed app's migration files and the code their data migrations seed from, so a new or changed migration
builds a new template (and older templates of the same DATABASE_NAME are dropped). A PostgreSQL advisory lock
makes two processes, or two runs, build it once between them.
"""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import django
import psycopg
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection

# Modules outside the migration folders whose code the data migrations run (the chart and the policy defaults).
SEEDED_FROM = ("fund/ledger/chart.py", "fund/policy/definitions.py", "fund/policy/kinds.py")
LOCK_KEY = 0x66756E64  # any fixed number: the lock is only between test runs on this server


def fingerprint() -> str:
    digest = hashlib.sha256(django.get_version().encode())
    paths: list[Path] = []
    for app in apps.get_app_configs():
        folder = Path(app.path) / "migrations"
        if folder.is_dir():
            paths.extend(folder.glob("*.py"))
    for name in SEEDED_FROM:
        path = Path(settings.BASE_DIR) / name
        paths.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    for path in sorted(paths):
        digest.update(str(path.relative_to(path.parent.parent)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _server(settings_dict: dict[str, Any]) -> psycopg.Connection:
    """A connection to the server's maintenance database, for creating and dropping databases."""
    return psycopg.connect(
        dbname="postgres", host=settings_dict["HOST"], port=settings_dict["PORT"], user=settings_dict["USER"],
        password=settings_dict["PASSWORD"], autocommit=True,
    )


def _exists(server: psycopg.Connection, name: str) -> bool:
    return server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@contextmanager
def _pointed_at(name: str) -> Iterator[None]:
    """Django's connection on database `name` for a while (as create_test_db moves it to the test database)."""
    saved = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = settings.DATABASES[connection.alias]["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = settings.DATABASES[connection.alias]["NAME"] = saved


def _build(server: psycopg.Connection, template: str, prefix: str) -> None:
    """Migrate a new database and only then give it the template's name, so a build that was interrupted never
    leaves a half-migrated template behind; drop the templates of older migrations."""
    building = f"{template}_building"
    server.execute(f"DROP DATABASE IF EXISTS {_quoted(building)} WITH (FORCE)")
    server.execute(f"CREATE DATABASE {_quoted(building)}")
    with _pointed_at(building):
        call_command("migrate", verbosity=0, interactive=False, run_syncdb=True)
        call_command("createcachetable", verbosity=0)
    server.execute(f"ALTER DATABASE {_quoted(building)} RENAME TO {_quoted(template)}")
    stale = server.execute(
        "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s", [prefix + "%", template]
    ).fetchall()
    for (name,) in stale:
        server.execute(f"DROP DATABASE IF EXISTS {_quoted(name)} WITH (FORCE)")


def clone_test_database() -> str:
    """Create this process's test database (dropping a leftover one) as a copy of the migrated template; the
    caller then runs Django's setup with keepdb, which applies nothing. Returns the test database's name."""
    settings_dict = connection.settings_dict
    test_name = settings_dict["TEST"].get("NAME") or f"test_{settings_dict['NAME']}"
    prefix = f"test_{settings_dict['NAME']}_tpl_"
    template = prefix + fingerprint()
    if len(template) > 63:  # PostgreSQL's identifier limit
        raise RuntimeError(f"DATABASE_NAME is too long for a template database name: {template}")
    with _server(settings_dict) as server:
        server.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        try:
            if not _exists(server, template):
                _build(server, template, prefix)
            server.execute(f"DROP DATABASE IF EXISTS {_quoted(test_name)} WITH (FORCE)")
            server.execute(f"CREATE DATABASE {_quoted(test_name)} TEMPLATE {_quoted(template)}")
        finally:
            server.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
    return test_name
