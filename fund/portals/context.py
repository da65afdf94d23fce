from django.conf import settings
from django.http import HttpRequest

from fund.people.roles import roles_of


def portal(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    return {
        "centre_name": settings.FUND_CENTRE_NAME,
        "roles": roles_of(user) if user is not None and user.is_authenticated else None,
    }
