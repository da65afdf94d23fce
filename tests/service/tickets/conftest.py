"""Named users for the ticket tests, built lean (no accounts, no units): the centre's 12329 desk, a clerk in each
branch, two members and an outsider."""

from datetime import date
from types import SimpleNamespace

import pytest

from fund.demo import make_id_number
from fund.people.models import Person, Post, User
from tests.conftest import PASSWORD, BranchFactory


@pytest.fixture
def people(reference_data):
    from fund.people.services import member_login_create, staff_create

    a, b = BranchFactory(code="01", name="市直管理部"), BranchFactory(code="02", name="高新区管理部")

    def staff(username, branch, posts, centre_wide=False, phone=""):
        user = staff_create(actor=None, username=username, name=username, branch=branch, posts=posts,
                            employee_number=username, password=PASSWORD, centre_wide=centre_wide)
        if phone:
            User.objects.filter(pk=user.pk).update(phone=phone)
            user.phone = phone
        return user

    def member(seq, name):
        person = Person.objects.create(id_number=make_id_number(birth=date(1990, 1, seq), seq=seq), name=name, sex="1",
                                       birth_date=date(1990, 1, seq), phone=f"1380000000{seq}")
        return member_login_create(person=person, password=PASSWORD)

    return SimpleNamespace(
        branch_a=a, branch_b=b,
        desk=staff("desk", a, [Post.ACCEPT], centre_wide=True),
        clerk_a=staff("clerk_a", a, [Post.ACCEPT], phone="13900000001"),
        colleague_a=staff("colleague_a", a, [Post.ACCEPT]),
        clerk_b=staff("clerk_b", b, [Post.ACCEPT]),
        owner=member(1, "张三"), other_member=member(2, "李四"),
        outsider=User.objects.create_user(username="outsider", password=PASSWORD),
    )
