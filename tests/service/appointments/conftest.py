"""Lean parties for the appointment tests: two branches, their staff, members (an owner and a colleague), a unit's
operator and an outsider, made directly (no accounts: a booking needs a person, not a deposit account)."""

from dataclasses import dataclass
from datetime import date, time
from typing import Any

import pytest

from fund.appointments.models import PeriodLabel, ServicePeriod
from fund.demo import make_credit_code, make_id_number
from fund.people.models import Branch, Employer, Person, Post, User
from tests.conftest import PASSWORD

ITEM = "TQ-09"  # 大病医疗提取: a window item with paper materials (the SMS lists them)


@dataclass
class Hall:
    branch_a: Branch
    branch_b: Branch
    head_a: User  # 审批, branch A: edits A's hours
    clerk_a: User  # 受理, branch A
    clerk_b: User  # 受理, branch B
    director: User  # centre-wide
    owner: User  # a member
    colleague: User  # another member
    unit_op: User  # operator of a unit of branch A
    employer: Employer
    outsider: User

    def member(self, seq: int, phone: str = "") -> User:
        return make_member(seq, phone=phone or f"1390000{seq:04d}")


def member_name(seq: int) -> str:
    return "职工" + "甲乙丙丁戊己庚辛壬癸"[seq % 10] + "子丑寅卯辰巳午未申酉"[seq // 10 % 10]


def make_member(seq: int, phone: str = "") -> User:
    from fund.people.services import member_login_create

    person = Person.objects.create(id_number=make_id_number(birth=date(1960, 1, 1), seq=seq), name=member_name(seq),
                                   sex="1", birth_date=date(1960, 1, 1), phone=phone)
    return member_login_create(person=person, password=PASSWORD)


def week(branch: Branch, weekdays: range | list[int], start: time = time(9), end: time = time(11), minutes: int = 30,
         capacity: int = 2, label: str = PeriodLabel.WORKDAY) -> None:
    ServicePeriod.objects.bulk_create([ServicePeriod(branch=branch, weekday=d, start=start, end=end, slot_minutes=minutes,
                                                     capacity=capacity, label=label) for d in weekdays])


@pytest.fixture
def hall(reference_data: Any) -> Hall:
    from fund.people.services import operator_create, staff_create

    a = Branch.objects.create(code="01", name="市直管理部", address="示范市人民路1号", phone="12329")
    b = Branch.objects.create(code="02", name="高新区管理部", address="示范市高新路8号")

    def staff(username: str, branch: Branch, posts: list[str], centre_wide: bool = False) -> User:
        return staff_create(actor=None, username=username, name=username, branch=branch, posts=posts,
                            employee_number=username, password=PASSWORD, centre_wide=centre_wide)

    employer = Employer.objects.create(name="示范市第一医院", credit_code=make_credit_code(501), branch=a,
                                       contact_phone="13911110000")
    return Hall(
        branch_a=a, branch_b=b, head_a=staff("head_a", a, [Post.APPROVE]), clerk_a=staff("clerk_a", a, [Post.ACCEPT]),
        clerk_b=staff("clerk_b", b, [Post.ACCEPT]), director=staff("director", a, [Post.DIRECTOR], centre_wide=True),
        owner=make_member(1, "13900000001"), colleague=make_member(2, "13900000002"),
        unit_op=operator_create(actor=None, username="unit_op", name="经办甲", password=PASSWORD, phone="13911112222",
                                employer=employer),
        employer=employer, outsider=User.objects.create_user(username="outsider", password=PASSWORD),
    )
