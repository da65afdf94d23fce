"""The demo's operators are people: the header shows a person's name, never one cut from the unit's name
("示范市第经办人" was the first four characters of 示范市第一人民医院 with 经办人 after them)."""

import random
from datetime import date

import pytest
from django.test import Client
from django.utils.html import escape
from guardian.shortcuts import get_users_with_perms

from fund.demo import DemoContext, seed_core
from fund.validation import clean_person_name

pytestmark = pytest.mark.django_db


def test_each_demo_unit_operator_is_shown_by_a_persons_name(reference_data, monkeypatch):
    from deposits import demo

    monkeypatch.setattr(demo, "monthly_deposit_post", lambda **kwargs: None)  # a year of postings is not the point
    ctx = DemoContext(rng=random.Random(1), today=date(2026, 3, 20))
    seed_core(ctx)
    demo.seed(ctx)
    assert ctx.employers
    for employer in ctx.employers:
        users = list(get_users_with_perms(employer, only_with_perms_in=["act_for_employer"]))
        assert users, employer.name
        for user in users:
            name = user.get_full_name()
            assert clean_person_name(name) == name
            assert "经办" not in name and employer.name[:2] not in name
            client = Client()
            client.force_login(user)
            assert escape(name) in client.get("/unit/").content.decode()
        assert employer.contact_name and "经办" not in employer.contact_name
