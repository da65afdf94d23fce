"""Named people for the policy tests: a centre-wide director (may set policy), a branch director and a clerk
(may read, not set), a member (reads the API only) and an auditor."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from fund.people.models import Branch, Post, StaffProfile, User


@pytest.fixture
def branch(db: Any) -> Branch:
    return Branch.objects.create(code="01", name="市直管理部")


@pytest.fixture
def other_branch(db: Any) -> Branch:
    return Branch.objects.create(code="02", name="任城管理部")


def _staff(username: str, branch: Branch, posts: list[str], *, centre_wide: bool, number: str) -> User:
    user = User.objects.create_user(username=username, password="Zx-9policy-test", first_name=username)
    StaffProfile.objects.create(
        user=user, branch=branch, posts=posts, centre_wide=centre_wide, employee_number=number
    )
    return user


@pytest.fixture
def director(branch: Branch) -> User:
    return _staff("director", branch, [Post.DIRECTOR, Post.APPROVE], centre_wide=True, number="D001")


@pytest.fixture
def branch_director(other_branch: Branch) -> User:
    return _staff("branch_director", other_branch, [Post.DIRECTOR], centre_wide=False, number="D002")


@pytest.fixture
def clerk(branch: Branch) -> User:
    return _staff("clerk", branch, [Post.ACCEPT], centre_wide=True, number="C001")


@pytest.fixture
def member(db: Any) -> User:
    return User.objects.create_user(username="member", password="Zx-9policy-test")


@pytest.fixture
def today() -> Any:
    return timezone.localdate()


@pytest.fixture
def tomorrow(today: Any) -> Any:
    return today + timedelta(days=1)


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def api_as(api: APIClient) -> Any:
    def login(user: User) -> APIClient:
        api.force_authenticate(user)
        return api

    return login
