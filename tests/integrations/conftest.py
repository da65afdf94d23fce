"""Fixtures for the outside-system tests: demo-like people and employers, seeded into the sandboxes."""

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from fund.demo import DEMO_PASSWORD, make_credit_code, make_id_number
from fund.integrations.seed import SeedSummary, seed_sandbox


@dataclass(frozen=True)
class PersonRow:
    id_number: str
    name: str
    sex: str
    birth_date: date
    phone: str


@dataclass(frozen=True)
class EmployerRow:
    credit_code: str
    name: str


SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢"


@pytest.fixture
def people() -> list[PersonRow]:
    rows = []
    for i in range(30):
        male = i % 2 == 0
        birth = date(1962 + i, 1 + i % 12, 1 + i % 27)
        rows.append(
            PersonRow(
                id_number=make_id_number(birth=birth, seq=i + 1, male=male),
                name=f"{SURNAMES[i % len(SURNAMES)]}{'伟' if male else '芳'}{i}",
                sex="1" if male else "2",
                birth_date=birth,
                phone=f"1390537{i:04d}",
            )
        )
    return rows


@pytest.fixture
def employers() -> list[EmployerRow]:
    return [EmployerRow(credit_code=make_credit_code(900 + i), name=f"示范市第{i + 1}机械厂") for i in range(3)]


@pytest.fixture
def seeded(db: Any, people: list[PersonRow], employers: list[EmployerRow]) -> SeedSummary:
    return seed_sandbox(people=people, employers=employers)


@pytest.fixture
def staff_user(db: Any) -> Any:
    from fund.people.models import Branch, Post
    from fund.people.services import staff_create

    branch = Branch.objects.create(code="91", name="测试管理部")
    return staff_create(
        actor=None, username="finance_t", name="财务测试", branch=branch, posts=[Post.FINANCE],
        employee_number="T0001", password=DEMO_PASSWORD,
    )


@pytest.fixture
def outsider(db: Any) -> Any:
    from fund.people.models import User

    # A Django is_staff flag alone does not make a member of the centre's staff.
    return User.objects.create_user(username="outsider_t", password=DEMO_PASSWORD, is_staff=True)
