"""Celery tasks of the deposits line, one module per topic (remittance.py, interest.py, …).

Celery's autodiscovery imports `deposits.tasks`; importing each topic module here registers its tasks.
"""

from importlib import import_module

for _topic in ("remittance", "interest", "base_adjustment", "statements", "lifecycle", "transfer", "voluntary"):
    try:
        import_module(f"{__name__}.{_topic}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{_topic}":
            raise
