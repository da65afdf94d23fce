"""Pages of the withdrawals line: the personal hall (member.py) and the staff workspace (staff.py)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def attempt(request: HttpRequest, action: Callable[[], Any], done: str, *, level: int = messages.SUCCESS) -> bool:
    """Run a one-button action (cancel, print, end); tell the user what happened, or each reason it was refused."""
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    messages.add_message(request, level, done)
    return True
