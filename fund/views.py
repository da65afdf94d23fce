"""What every page that runs a service does with its answer, written once.

A form page: valid form → the service → its refusal onto the form's fields → or a success message and a
redirect (`form_submit`). A one-button action: the service → each refusal as an error message, or the
success message (`attempt`). PermissionDenied is not caught: it stays the 403 (or the scoped 404) it is.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

T = TypeVar("T")


def apply_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError onto the form: by field where the form has that field, else above it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def form_submit(
    request: HttpRequest,
    form: forms.BaseForm,
    run: Callable[[dict[str, Any]], T],
    *,
    done: str | Callable[[T], str],
    then: str | Callable[[T], HttpResponse],
) -> HttpResponse | None:
    """Run `run(form.cleaned_data)` when the form is bound and valid.

    Done: the success message (`done`, or `done(result)`) and the redirect (`then` a URL name or path, or
    `then(result)`). Refused with a ValidationError: the errors are on the form and None comes back, so the
    view renders the form again; an unbound or invalid form also gives None."""
    if not form.is_bound or not form.is_valid():
        return None
    try:
        result = run(form.cleaned_data)
    except ValidationError as exc:
        apply_errors(form, exc)
        return None
    messages.success(request, done(result) if callable(done) else done)
    return then(result) if callable(then) else redirect(then)


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
