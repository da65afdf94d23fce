from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class ChineseByDefaultMiddleware:
    """Serve Simplified Chinese unless the user chose another language with the switch (a cookie).

    A browser's Accept-Language is ignored: a Chinese government service speaks Chinese first, and a
    visitor whose browser happens to be set to English still gets the page their colleagues see.
    Must come before LocaleMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
