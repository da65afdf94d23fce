"""Celery tasks of the risk line, one module per topic (rings.py, screening.py).

Celery's autodiscovery imports `risk.tasks`; importing each topic module here registers its tasks.
"""

from importlib import import_module

for _topic in ("rings", "screening"):
    try:
        import_module(f"{__name__}.{_topic}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{_topic}":
            raise
