"""Clients signed in as a given user: `api(user)` for the REST API, `page(user)` for the pages."""

from typing import Any

from django.test import Client
from rest_framework.test import APIClient


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def page(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client
