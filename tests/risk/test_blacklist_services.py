"""Listing and lifting: who may, the period from policy, four-eyes, audit, and bad input refused whole."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from fund.audit.models import AuditEvent
from fund.demo import make_credit_code, make_id_number
from fund.policy.models import PolicyValue
from risk.models import BlacklistEntry, Category, SubjectKind
from risk.selectors import blacklist_check
from risk.services import blacklist_add, blacklist_lift
from tests.clock import today

pytestmark = pytest.mark.django_db

PERSON = make_id_number(birth=date(1985, 6, 12), seq=901)
UNIT = make_credit_code(951)


def add(actor, **overrides):
    values = dict(
        actor=actor, subject_kind=SubjectKind.PERSON, id_number=PERSON, name="郭某某",
        category=Category.FRAUD_WITHDRAWAL, reason="伪造购房合同骗提", listed_on=today() - timedelta(days=5),
    )
    values.update(overrides)
    return blacklist_add(**values)


def errors_of(exc_info) -> dict:
    return exc_info.value.message_dict


# ---- the period ------------------------------------------------------------------------------------------

def test_until_defaults_to_the_policy_years_in_force_on_the_listing_date(officers):
    # The centre shortens the period to 3 years from 1 June 2025: a listing follows the value of its own day.
    PolicyValue.objects.create(
        name="risk_blacklist_years", number=Decimal("3"), effective_from=date(2025, 6, 1), note="测试：调整为3年"
    )
    before = add(officers.risk, listed_on=date(2025, 5, 31))
    after = add(officers.risk, id_number=make_id_number(birth=date(1990, 1, 1), seq=77), listed_on=date(2025, 6, 1))
    assert before.until == date(2030, 5, 31)
    assert after.until == date(2028, 6, 1)


def test_a_listing_on_29_february_runs_full_years(officers):
    assert add(officers.risk, listed_on=date(2024, 2, 29)).until == date(2029, 3, 1)


def test_an_explicit_until_wins_over_the_policy(officers):
    assert add(officers.risk, until=today() + timedelta(days=100)).until == today() + timedelta(days=100)


def test_units_are_public_and_persons_never(officers):
    person = add(officers.risk)
    unit = add(officers.risk, subject_kind=SubjectKind.UNIT, id_number="", credit_code=UNIT, name="鑫达商贸",
               category=Category.STOPPED_AFTER_LOAN)
    assert (person.public, unit.public) == (False, True)
    # The database refuses a public person whatever code writes it.
    with pytest.raises(IntegrityError), transaction.atomic():
        BlacklistEntry.objects.filter(pk=person.pk).update(public=True)


# ---- who may list and lift -------------------------------------------------------------------------------

def test_risk_officers_and_directors_may_list(world, officers):
    assert add(officers.risk).listed_by == officers.risk
    other = make_id_number(birth=date(1970, 1, 1), seq=3)
    assert add(world.director, id_number=other).listed_by == world.director


@pytest.mark.parametrize("who", ["clerk", "clerk_b", "auditor", "member_a", "unit_a_op", "dev_a", "outsider"])
def test_nobody_else_may_list(world, officers, who):
    with pytest.raises(PermissionDenied):
        add(getattr(world, who))
    assert not BlacklistEntry.objects.exists()


@pytest.mark.parametrize("who", ["clerk", "auditor", "member_a", "unit_a_op", "outsider"])
def test_nobody_else_may_lift(world, officers, who):
    entry = add(officers.risk)
    with pytest.raises(PermissionDenied):
        blacklist_lift(actor=getattr(world, who), entry=entry, reason="无权解除")
    entry.refresh_from_db()
    assert entry.lifted_at is None


def test_the_officer_who_listed_an_entry_may_not_lift_it(officers):
    entry = add(officers.risk)
    with pytest.raises(PermissionDenied, match="列入人不能解除"):
        blacklist_lift(actor=officers.risk, entry=entry, reason="我自己解除")
    entry.refresh_from_db()
    assert entry.lifted_at is None and blacklist_check(id_number=PERSON, business="loan") == entry


def test_another_officer_lifts_with_a_reason_and_the_record_stays(world, officers):
    entry = add(officers.risk)
    lifted = blacklist_lift(actor=officers.risk_b, entry=entry, reason="法院判决撤销原认定")
    assert lifted.lifted_by == officers.risk_b and lifted.lift_reason == "法院判决撤销原认定"
    assert lifted.state == "lifted"
    assert BlacklistEntry.objects.filter(pk=entry.pk).exists()  # nothing is deleted
    # A director may lift too (another entry, listed by the officer).
    second = add(officers.risk, category=Category.OTHER)
    assert blacklist_lift(actor=world.director, entry=second, reason="复核").lifted_by == world.director


def test_a_lift_needs_a_reason(officers):
    entry = add(officers.risk)
    with pytest.raises(ValidationError) as exc:
        blacklist_lift(actor=officers.risk_b, entry=entry, reason="  ")
    assert errors_of(exc) == {"reason": ["请填写解除原因"]}


def test_an_entry_is_lifted_once_even_from_a_stale_copy(world, officers):
    entry = add(officers.risk)
    stale = BlacklistEntry.objects.get(pk=entry.pk)
    blacklist_lift(actor=officers.risk_b, entry=entry, reason="第一次解除")
    with pytest.raises(ValidationError) as exc:
        blacklist_lift(actor=world.director, entry=stale, reason="第二次解除")
    assert "已解除" in errors_of(exc)["reason"][0]
    entry.refresh_from_db()
    assert entry.lifted_by == officers.risk_b and entry.lift_reason == "第一次解除"
    assert AuditEvent.objects.filter(action="risk.blacklist.lifted").count() == 1


def test_an_expired_entry_is_not_lifted(officers):
    entry = add(officers.risk, listed_on=date(2018, 1, 1))
    assert entry.state == "expired"
    with pytest.raises(ValidationError) as exc:
        blacklist_lift(actor=officers.risk_b, entry=entry, reason="补解除")
    assert "到期" in errors_of(exc)["reason"][0]


def test_listing_and_lifting_are_audited(officers):
    entry = add(officers.risk)
    added = AuditEvent.objects.get(action="risk.blacklist.added", target_id=str(entry.pk))
    assert added.actor == officers.risk and added.reason == "伪造购房合同骗提"
    assert added.new["category"] == "fraud_withdrawal" and added.new["until"] == str(entry.until)
    assert added.new["id_number"] != PERSON and added.new["id_number"].endswith(PERSON[-4:])  # masked
    blacklist_lift(actor=officers.risk_b, entry=entry, reason="复核认定有误")
    lifted = AuditEvent.objects.get(action="risk.blacklist.lifted", target_id=str(entry.pk))
    assert lifted.actor == officers.risk_b and lifted.reason == "复核认定有误"
    assert lifted.old["state"] == "in_force" and lifted.new["state"] == "lifted"


# ---- bad input -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"id_number": PERSON[:-1] + ("0" if PERSON[-1] != "0" else "1")}, "id_number", "身份证号码校验位不正确"),
        ({"id_number": "12345"}, "id_number", "身份证号码应为18位"),
        ({"id_number": ""}, "id_number", "请填写身份证号码"),
        ({"credit_code": UNIT}, "credit_code", "个人黑名单不填写统一社会信用代码"),
        ({"subject_kind": SubjectKind.UNIT, "id_number": "", "credit_code": "91370800MA0000000X"}, "credit_code",
         "统一社会信用代码校验位不正确"),
        ({"subject_kind": SubjectKind.UNIT}, "id_number", "单位黑名单不填写身份证号码"),
        ({"subject_kind": "robot"}, "subject_kind", "请选择对象类型（个人或单位）"),
        ({"name": " "}, "name", "请填写姓名或单位名称"),
        ({"category": "gossip"}, "category", "请选择失信类别"),
        ({"reason": ""}, "reason", "请填写列入事由"),
        ({"reason": "   "}, "reason", "请填写列入事由"),
        ({"until": lambda today: today - timedelta(days=5)}, "until", "限制截止日期须晚于列入日期"),
        ({"until": lambda today: today - timedelta(days=6)}, "until", "限制截止日期须晚于列入日期"),
        ({"listed_on": lambda today: today + timedelta(days=1)}, "listed_on", "列入日期不能晚于今天"),
        ({"listed_on": date(2010, 1, 1)}, "listed_on", "没有生效的黑名单期限政策"),
        ({"bans_withdrawal": False, "bans_loan": False}, "bans_withdrawal", "至少限制提取或贷款"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(officers, change, field, message):
    change = {key: value(today()) if callable(value) else value for key, value in change.items()}  # dates: today's
    with pytest.raises(ValidationError) as exc:
        add(officers.risk, **change)
    assert message in " ".join(errors_of(exc)[field])
    assert not BlacklistEntry.objects.exists()
    assert not AuditEvent.objects.filter(action="risk.blacklist.added").exists()


def test_a_subject_in_force_for_a_category_is_not_listed_twice(officers):
    first = add(officers.risk)
    with pytest.raises(ValidationError) as exc:
        add(officers.risk_b, listed_on=today(), reason="重复列入")
    assert "不能重复列入" in errors_of(exc)["category"][0]
    assert BlacklistEntry.objects.count() == 1
    # Another category for the same person is a separate listing.
    add(officers.risk, category=Category.FRAUD_LOAN)
    # Once lifted, the person may be listed again for the same category.
    blacklist_lift(actor=officers.risk_b, entry=first, reason="解除后重新认定")
    assert add(officers.risk, listed_on=today()).category == Category.FRAUD_WITHDRAWAL


def test_an_expired_listing_does_not_stand_in_the_way_of_a_new_one(officers):
    old = add(officers.risk, listed_on=date(2018, 1, 1))
    new = add(officers.risk)
    assert old.until <= new.listed_on


def test_the_database_refuses_overlapping_unlifted_entries_whatever_code_writes_them(officers):
    entry = add(officers.risk)
    fields = {f.name: getattr(entry, f.name) for f in BlacklistEntry._meta.concrete_fields if f.name != "id"}
    fields["listed_on"] = entry.until - timedelta(days=1)
    fields["until"] = entry.until + timedelta(days=365)
    with pytest.raises(IntegrityError), transaction.atomic():
        BlacklistEntry.objects.create(**fields)


# ---- lifting through the staff inbox ---------------------------------------------------------------------

def test_a_lift_request_waits_in_the_inbox_of_the_other_officers_with_its_due_date(world, officers):
    from fund.policy.selectors import policy_value
    from fund.workdays import add_working_days
    from fund.workflow.services import work_items_for_user
    from risk.services import blacklist_lift_request

    entry = add(officers.risk)
    item = blacklist_lift_request(actor=officers.risk_b, entry=entry, reason="法院撤销原认定")
    assert item.due_on == add_working_days(today(), int(policy_value("risk_blacklist_lift_days")))
    assert list(work_items_for_user(officers.risk)) == [item]
    assert item.subject == entry and item.subject.get_staff_url() == f"/staff/risk/blacklist/{entry.pk}/"
    assert not work_items_for_user(officers.risk_b).exists()  # the requester does not decide
    clerk = world.clerk
    assert not work_items_for_user(clerk).exists()  # not a risk post
    with pytest.raises(PermissionDenied, match="自己提交"):
        blacklist_lift(actor=officers.risk_b, entry=entry, reason="我自己批")
    with pytest.raises(PermissionDenied, match="列入人不能解除"):
        blacklist_lift(actor=officers.risk, entry=entry, reason="列入人批")
    with pytest.raises(PermissionDenied):
        blacklist_lift(actor=clerk, entry=entry, reason="无权")
    assert blacklist_lift(actor=world.director, entry=entry, reason="同意解除").lifted_by == world.director
    assert not work_items_for_user(world.director).exists()
