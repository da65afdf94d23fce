"""Named people for the printing tests, built from the people models only (the core never needs a business
line to print):

    people.clerk       staff in branch A who requests the document
    people.colleague   other staff of branch A (sees documents about branch A's people)
    people.clerk_b     staff of branch B (sees nothing of branch A)
    people.subject     the member the document is about (a person of branch A with a login)
    people.member_b    another member
    people.operator    a unit operator of an employer in branch A
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from guardian.shortcuts import assign_perm
from stdnum.cn import ric

from fund.people.models import Branch, Employer, Person, Post, Sex, StaffProfile, User
from fund.printing.apps import NOTICE_KIND
from fund.printing.models import Document
from fund.printing.services import document_request

PASSWORD = "Zx-9printing-test"


def id_number(birth: date, seq: int) -> str:
    body = f"110101{birth:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body)


def make_person(name: str, branch: Branch, seq: int) -> Person:
    birth = date(1990, 3, 7)
    return Person.objects.create(
        id_number=id_number(birth, seq), name=name, sex=Sex.MALE, birth_date=birth, branch=branch
    )


def make_staff(username: str, branch: Branch, number: str) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, first_name=username)
    StaffProfile.objects.create(user=user, branch=branch, posts=[Post.ACCEPT], employee_number=number)
    return user


@dataclass
class People:
    branch_a: Branch
    branch_b: Branch
    clerk: User
    colleague: User
    clerk_b: User
    subject: User
    member_b: User
    operator: User


def build_people() -> People:
    a = Branch.objects.create(code="01", name="市直管理部")
    b = Branch.objects.create(code="02", name="高新区管理部")
    subject = User.objects.create_user(username="zhangsan", password=PASSWORD, person=make_person("张三丰", a, 11))
    member_b = User.objects.create_user(username="lisi", password=PASSWORD, person=make_person("李四", b, 12))
    operator = User.objects.create_user(username="unit_op", password=PASSWORD)
    employer = Employer.objects.create(name="示范科技有限公司", credit_code="91370800MA0000001A", branch=a)
    assign_perm("people.act_for_employer", operator, employer)
    return People(
        branch_a=a, branch_b=b, clerk=make_staff("clerk", a, "A001"), colleague=make_staff("colleague", a, "A002"),
        clerk_b=make_staff("clerk_b", b, "B001"), subject=subject, member_b=member_b, operator=operator,
    )


@pytest.fixture
def people(db: Any) -> People:
    return build_people()


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Any) -> Any:
    """Each test writes its PDFs to its own directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


NOTICE_CONTEXT = {
    "recipient": "张三丰",
    "paragraphs": ["您的住房公积金提取申请已受理，请于十个工作日内关注办理进度。"],
    "rows": [["业务类型", "提取"], ["申请金额", "50,000.00 元"]],
    "closing": "特此通知。",
}


@pytest.fixture
def request_notice(people: People) -> Any:
    """Request a notice about people.subject as people.clerk; keywords override the request."""

    def request_notice(**overrides: Any) -> Document:
        values: dict[str, Any] = dict(
            kind=NOTICE_KIND, context=NOTICE_CONTEXT, requested_by=people.clerk, subject=people.subject.person
        )
        values.update(overrides)
        return document_request(**values)

    return request_notice


@pytest.fixture
def issue(request_notice: Any, django_capture_on_commit_callbacks: Any) -> Any:
    """Request a notice and run what commit would queue (tasks run eagerly in tests): a ready document."""

    def issue(**overrides: Any) -> Document:
        with django_capture_on_commit_callbacks(execute=True):
            document = request_notice(**overrides)
        document.refresh_from_db()
        return document

    return issue
