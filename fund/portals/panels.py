"""Portal home pages are made of panels that the business lines register (fund never imports them).

    @register_panel("member", order=10, template="deposits/panels/member_account.html")
    def member_account(request): return {"account": ...}   # or None to hide the panel
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

PanelFn = Callable[[HttpRequest], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    portal: str
    order: int
    template: str
    build: PanelFn


_PANELS: list[Panel] = []


def register_panel(portal: str, *, order: int, template: str) -> Callable[[PanelFn], PanelFn]:
    def decorator(fn: PanelFn) -> PanelFn:
        _PANELS.append(Panel(portal=portal, order=order, template=template, build=fn))
        return fn

    return decorator


def panels_for(portal: str, request: HttpRequest) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for panel in sorted((p for p in _PANELS if p.portal == portal), key=lambda p: p.order):
        context = panel.build(request)
        if context is not None:
            out.append((panel.template, context))
    return out
