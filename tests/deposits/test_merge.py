"""合并销户: a person's duplicate account merged into the one they keep — interest to the day, the whole
balance with its 当年/上年 split, the source closed 03, once however often asked; refusals in Chinese by field;
who may see and do it (404 outside scope, 403 for a post that may not act)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from deposits.models import (
    AccountEvent,
    AccountMerge,
    BillState,
    MemberAccount,
    MemberState,
    RemittanceBill,
    RemittanceBillLine,
)
from deposits.selectors import duplicate_accounts_for_user
from deposits.services import merge as merge_service
from deposits.services import monthly_deposit_post
from deposits.services.interest import interest_to_date
from deposits.services.merge import (
    member_account_merge,
    member_account_merge_preview,
)
from fund.audit.models import AuditEvent
from fund.ledger import chart
from fund.ledger.models import BusinessType, JournalEntry, SubAccount
from fund.ledger.selectors import ledger_reconcile
from fund.ledger.services import Movement, credit, debit, entry_post, interest_settle_set
from tests.clients import api, page
from tests.conftest import open_member, open_unit

pytestmark = pytest.mark.django_db

SEQ = 60
D = Decimal


def sub(account) -> SubAccount:
    return SubAccount.objects.get(pk=account.sub_account_id)


def duplicate(world):
    """One person, two accounts in branch A: a legacy one (99 其他, taken over from the old system) holding
    money, and the active one a second unit opened on 2025-05-01, still empty.

    The legacy account: 1 920.00 (当年) and 3 600.00 brought over (上年结转) on 2025-03-15, another 1 920.00
    (当年) on 2025-04-15.
    """
    old = open_member(world.clerk, world.unit_a, SEQ)
    monthly_deposit_post(actor=world.clerk, account=old, month=date(2025, 2, 1), value_date=date(2025, 3, 15))
    entry_post(
        business_type=BusinessType.GJ_TRANSFER_IN, reference="test:brought-over", idempotency_key="test:brought-over",
        value_date=date(2025, 3, 15), legs=[debit(chart.BANK, D("3600.00")), credit(chart.MEMBER_DEPOSITS, D("3600.00"))],
        movements=[Movement(old.sub_account_id, D("3600.00"), current_year=D("0"), prior_year=D("3600.00"))],
    )
    monthly_deposit_post(actor=world.clerk, account=old, month=date(2025, 3, 1), value_date=date(2025, 4, 15))
    MemberAccount.objects.filter(pk=old.pk).update(state=MemberState.OTHER)
    second_unit = open_unit(world.clerk, world.branch_a, 3)
    new = open_member(world.clerk, second_unit, SEQ, opened_on=date(2025, 5, 1))
    assert old.person_id == new.person_id
    return MemberAccount.objects.get(pk=old.pk), new


# ---- the money -------------------------------------------------------------------------------------------

def test_merge_moves_the_balance_with_its_split_and_interest_to_the_day(world):
    old, new = duplicate(world)
    assert sub(old).balance == D("7440.00")
    merge, created = member_account_merge(actor=world.clerk, source=old, target=new, reason="历史数据重复开户",
                                          today=date(2025, 6, 1))
    assert created
    # Interest through 31 May, by hand (1.5 % ÷ 360):
    #   当年 积数 = 1 920 × 31 days (15 Mar – 14 Apr) + 3 840 × 47 days (15 Apr – 31 May) = 240 000 → 10.00
    #   上年 积数 = 3 600 × 78 days                                                     = 280 800 → 11.70
    assert (merge.principal, merge.interest, merge.amount) == (D("7440.00"), D("21.70"), D("7461.70"))
    # This year's deposits stay 当年归集; the brought-over money and the interest are 上年结转.
    assert (merge.current_year, merge.prior_year) == (D("3840.00"), D("3621.70"))
    target = sub(new)
    assert (target.balance, target.current_year, target.prior_year) == (D("7461.70"), D("3840.00"), D("3621.70"))
    source = sub(old)
    assert (source.balance, source.current_year, source.prior_year) == (D("0.00"), D("0.00"), D("0.00"))
    assert source.accumulation == 0 and source.closed_period_end is None  # nothing left for a settlement to pay

    old.refresh_from_db()
    assert old.state == MemberState.MERGED == "03"
    assert MemberAccount.objects.get(pk=new.pk).state == MemberState.NORMAL
    # One interest entry (年终结息) and one balanced internal transfer (Dr 201 / Cr 201).
    assert merge.interest_entry.business_type == BusinessType.GJ_INTEREST
    assert merge.entry.business_type == BusinessType.GJ_TRANSFER_INTERNAL == "GJ06"
    lines = sorted(merge.entry.lines.values_list("account__code", "debit", "credit"))
    assert lines == [("201", D("0.00"), D("7461.70")), ("201", D("7461.70"), D("0.00"))]
    rows = {r.sub_account_id: r for r in merge.entry.sub_rows.all()}
    assert (rows[old.sub_account_id].amount, rows[old.sub_account_id].prior_year_amount) == (D("-7461.70"), D("-3611.70"))
    assert (rows[new.sub_account_id].current_year_amount, rows[new.sub_account_id].prior_year_amount) == (
        D("3840.00"), D("3621.70"))
    # The merged money earns in the target from the merge day on: 10 days to 10 June.
    #   当年 3 840.00 × 10 = 38 400 → 1.60;  上年 3 621.70 × 10 = 36 217 → 1.51
    assert interest_to_date(sub(new), date(2025, 6, 10)) == (D("1.60"), D("1.51"))

    # A business record on each account and an audit row.
    assert AccountEvent.objects.get(account=old).new_state == MemberState.MERGED
    assert AccountEvent.objects.get(account=new).business_type == "GJ06"
    audit = AuditEvent.objects.get(action="deposits.member.merged")
    assert audit.old["state"] == "99" and audit.new["target"] == new.number and audit.actor == world.clerk
    assert ledger_reconcile() == []


def test_after_30_june_last_years_deposits_arrive_as_carried_over_and_are_never_paid_twice(world):
    old, new = duplicate(world)
    merge, _ = member_account_merge(actor=world.clerk, source=old, target=new, today=date(2025, 7, 10))
    # The year to 30 June 2025 is not settled yet; the legacy account is paid for it and for 1–9 July:
    #   closed year: 当年 1 920 × 31 + 3 840 × 77 = 355 200 → 14.80; 上年 3 600 × 108 = 388 800 → 16.20
    #   1–9 July: all 7 440 is carried over now, × 9 = 66 960 → 2.79 (上年)
    assert merge.interest == D("33.79")
    # Deposits of the year that has ended are 上年结转 in the target, not 当年.
    assert (merge.current_year, merge.prior_year) == (D("0.00"), D("7473.79"))
    assert (sub(new).current_year, sub(new).prior_year) == (D("0.00"), D("7473.79"))
    # The annual settlement of that year, run afterwards, pays no one for those days again.
    settled = interest_settle_set(
        control_code=chart.MEMBER_DEPOSITS, period_start=date(2024, 7, 1), period_end=date(2025, 6, 30),
        rate=D("0.015"), expense_code=chart.INTEREST_EXPENSE, key_prefix="test-settle", reference="test-settle",
        after_id=0, limit=1000,
    )
    assert settled.interest == 0
    assert sub(new).balance == D("7473.79")
    assert ledger_reconcile() == []


def test_a_replay_posts_nothing_and_a_second_target_is_refused(world):
    old, new = duplicate(world)
    first, created = member_account_merge(actor=world.clerk, source=old, target=new, today=date(2025, 6, 1))
    entries, balance = JournalEntry.objects.count(), sub(new).balance
    again, created_again = member_account_merge(actor=world.clerk, source=old, target=new, today=date(2025, 6, 1))
    assert created and not created_again and again.pk == first.pk
    assert JournalEntry.objects.count() == entries and sub(new).balance == balance
    assert AccountMerge.objects.count() == 1 and AuditEvent.objects.filter(action="deposits.member.merged").count() == 1
    with pytest.raises(ValidationError) as exc:
        member_account_merge(actor=world.director, source=old, target=world.account_b, today=date(2025, 6, 1))
    assert "已于2025-06-01合并至个人账户" in exc.value.message_dict["source"][0]
    assert ledger_reconcile() == []


def test_the_preview_computes_what_the_merge_then_does(world):
    old, new = duplicate(world)
    preview = member_account_merge_preview(source=old, target=new, today=date(2025, 6, 1))
    assert not preview.blockers
    assert (preview.amount, preview.interest_current, preview.interest_prior) == (D("7461.70"), D("10.00"), D("11.70"))
    assert JournalEntry.objects.filter(business_type=BusinessType.GJ_INTEREST).count() == 0  # nothing posted
    merge, _ = member_account_merge(actor=world.clerk, source=old, target=new, today=date(2025, 6, 1))
    assert (merge.amount, merge.current_year, merge.prior_year) == (preview.amount, preview.current_year, preview.prior_year)


# ---- refusals --------------------------------------------------------------------------------------------

def _unchanged(world, old, new, entries):
    assert JournalEntry.objects.count() == entries
    assert not AccountMerge.objects.exists()
    assert MemberAccount.objects.get(pk=old.pk).state == old.state
    assert MemberAccount.objects.get(pk=new.pk).state == new.state
    assert sub(old).balance == D("7440.00") and sub(new).balance == 0


def test_self_merge_and_another_persons_account_are_refused(world):
    old, new = duplicate(world)
    entries = JournalEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        member_account_merge(actor=world.clerk, source=old, target=old)
    assert exc.value.message_dict["target"] == ["并入账户不能与并出账户相同"]
    with pytest.raises(ValidationError) as exc:
        member_account_merge(actor=world.clerk, source=old, target=world.account_a)  # member_a's own account
    assert "不属于同一职工" in exc.value.message_dict["target"][0]
    _unchanged(world, old, new, entries)


def test_a_frozen_source_and_a_closed_or_parked_target_are_refused(world):
    old, new = duplicate(world)
    entries = JournalEntry.objects.count()
    MemberAccount.objects.filter(pk=new.pk).update(state=MemberState.FROZEN)
    with pytest.raises(ValidationError) as exc:  # the frozen active account may not give its money away
        member_account_merge(actor=world.clerk, source=new, target=old)
    errors = exc.value.message_dict
    assert errors["source"] == ["并出账户已冻结，解冻后才能合并"]
    assert errors["target"] == ["并入账户状态为“其他”，须为正常或封存"]
    with pytest.raises(ValidationError) as exc:  # nor may a frozen account take money in
        member_account_merge(actor=world.clerk, source=old, target=new)
    assert exc.value.message_dict["target"] == ["并入账户状态为“冻结”，须为正常或封存"]
    MemberAccount.objects.filter(pk=new.pk).update(state=MemberState.NORMAL)
    _unchanged(world, old, MemberAccount.objects.get(pk=new.pk), entries)


def test_an_unpaid_bill_on_the_source_or_a_registered_blocker_refuses(world, monkeypatch):
    old, new = duplicate(world)
    entries = JournalEntry.objects.count()
    bill = RemittanceBill.objects.create(number="HJ-TEST-1", unit=world.unit_a, month=date(2025, 4, 1),
                                         state=BillState.CONFIRMED, created_by=world.clerk)
    RemittanceBillLine.objects.create(bill=bill, account=old, month=date(2025, 4, 1), base=D("8000"),
                                      unit_amount=D("960"), member_amount=D("960"))
    with pytest.raises(ValidationError) as exc:
        member_account_merge(actor=world.clerk, source=old, target=new)
    assert exc.value.message_dict["source"] == ["并出账户有未入账的汇补缴单（HJ-TEST-1），请先入账或作废"]
    RemittanceBill.objects.filter(pk=bill.pk).update(state=BillState.CANCELLED)
    monkeypatch.setattr(merge_service, "MERGE_BLOCKERS", [lambda account: "有办理中的提取业务"])
    with pytest.raises(ValidationError) as exc:
        member_account_merge(actor=world.clerk, source=old, target=new)
    assert exc.value.message_dict["source"] == ["有办理中的提取业务"]
    _unchanged(world, old, new, entries)


def test_only_window_staff_who_see_both_accounts_may_merge(world):
    old, new = duplicate(world)
    for who in (world.auditor, world.clerk_b, world.unit_a_op, world.member_a):
        with pytest.raises(PermissionDenied):
            member_account_merge(actor=who, source=old, target=new)
    assert not AccountMerge.objects.exists()
    merge, _ = member_account_merge(actor=world.director, source=old, target=new)  # centre-wide director
    assert merge.actor == world.director


# ---- pages -----------------------------------------------------------------------------------------------

def test_the_window_merges_through_the_page_once(world):
    old, new = duplicate(world)
    client = page(world.clerk)
    person = old.person
    body = client.get(f"/staff/merge/?id_number={person.id_number}").content.decode()
    assert old.number in body and new.number in body and "7,440.00" in body
    form = {"id_number": person.id_number, "source": old.pk, "target": new.pk, "reason": "重复开户"}
    preview = client.post("/staff/merge/", {**form, "step": "preview"})
    assert preview.status_code == 200 and "确认合并销户" in preview.content.decode()
    assert not AccountMerge.objects.exists()  # the preview posts nothing
    done = client.post("/staff/merge/", {**form, "step": "confirm"})
    merge = AccountMerge.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/staff/merge/{merge.pk}/"
    assert sub(new).balance == merge.amount == merge.principal + merge.interest and merge.principal == D("7440.00")
    assert MemberAccount.objects.get(pk=old.pk).state == MemberState.MERGED
    entries = JournalEntry.objects.count()
    again = client.post("/staff/merge/", {**form, "step": "confirm"}, follow=True)  # the form sent twice
    assert "未重复记账" in again.content.decode() and JournalEntry.objects.count() == entries
    detail = client.get(f"/staff/merge/{merge.pk}/").content.decode()
    assert merge.entry.number in detail and "合并销户" in detail
    assert ledger_reconcile() == []


def test_the_page_shows_refusals_by_field_and_writes_nothing(world):
    old, new = duplicate(world)
    response = page(world.clerk).post(
        "/staff/merge/", {"id_number": old.person.id_number, "source": new.pk, "target": new.pk, "step": "confirm"}
    )
    assert response.status_code == 400
    assert "并入账户不能与并出账户相同" in response.content.decode()
    assert not AccountMerge.objects.exists()


def test_who_may_see_and_use_the_merge_pages(world):
    old, new = duplicate(world)
    for who in (world.unit_a_op, world.member_a, world.outsider, world.dev_a):
        assert page(who).get("/staff/merge/").status_code == 404
        assert page(who).get("/staff/merge/duplicates/").status_code == 404
    # Branch B's clerk finds nothing under the ID number and may not act on branch A's accounts.
    body = page(world.clerk_b).get(f"/staff/merge/?id_number={old.person.id_number}").content.decode()
    assert old.number not in body and "不在您的管理部范围内" in body
    form = {"id_number": old.person.id_number, "source": old.pk, "target": new.pk, "step": "confirm"}
    assert page(world.clerk_b).post("/staff/merge/", form).status_code == 404
    # The auditor reads but may not merge.
    assert old.number in page(world.auditor).get(f"/staff/merge/?id_number={old.person.id_number}").content.decode()
    assert page(world.auditor).post("/staff/merge/", form).status_code == 403
    assert not AccountMerge.objects.exists()
    merge, _ = member_account_merge(actor=world.clerk, source=old, target=new)
    assert page(world.clerk_b).get(f"/staff/merge/{merge.pk}/").status_code == 404
    assert page(world.clerk).get(f"/staff/merge/{merge.pk}/").status_code == 200


def test_suspected_duplicates_list_persons_with_two_open_accounts(world):
    old, new = duplicate(world)
    rows = duplicate_accounts_for_user(world.clerk)
    assert [r.id_number for r in rows] == [old.person.id_number]
    assert {a.pk for a in rows[0].accounts} == {old.pk, new.pk} and rows[0].balance == D("7440.00")
    assert duplicate_accounts_for_user(world.clerk_b) == []  # another branch's people
    body = page(world.clerk).get("/staff/merge/duplicates/").content.decode()
    assert old.number in body and world.account_a.number not in body
    member_account_merge(actor=world.clerk, source=old, target=new)
    assert duplicate_accounts_for_user(world.clerk) == []  # merged: one account left


def test_the_duplicates_list_links_to_the_merge_by_person_never_by_id_number(world):
    old, _ = duplicate(world)
    body = page(world.clerk).get("/staff/merge/duplicates/").content.decode()
    assert f"/staff/merge/?person={old.person_id}" in body and old.person.id_number not in body
    opened = page(world.clerk).get(f"/staff/merge/?person={old.person_id}").content.decode()
    assert old.number in opened
    # The key finds nothing for a clerk whose branch holds none of the person's accounts.
    assert old.number not in page(world.clerk_b).get(f"/staff/merge/?person={old.person_id}").content.decode()


# ---- API -------------------------------------------------------------------------------------------------

def test_the_api_merges_once_and_answers_4xx(world):
    old, new = duplicate(world)
    clerk = api(world.clerk)
    listed = clerk.get("/api/deposits/merge/accounts/", {"id_number": old.person.id_number})
    assert listed.status_code == 200 and {a["number"] for a in listed.json()} == {old.number, new.number}
    preview = clerk.get("/api/deposits/merge/preview/", {"source": old.pk, "target": new.pk})
    assert preview.status_code == 200 and preview.json()["blockers"] == {}
    assert D(preview.json()["principal"]) == D("7440.00")
    self_merge = clerk.post("/api/deposits/merges/", {"source": old.pk, "target": old.pk}, format="json")
    assert self_merge.status_code == 400 and self_merge.json()["target"] == ["并入账户不能与并出账户相同"]
    assert clerk.post("/api/deposits/merges/", {"source": "x"}, format="json").status_code == 400
    created = clerk.post("/api/deposits/merges/", {"source": old.pk, "target": new.pk, "reason": "重复"}, format="json")
    assert created.status_code == 201, created.content
    entries = JournalEntry.objects.count()
    replay = clerk.post("/api/deposits/merges/", {"source": old.pk, "target": new.pk}, format="json")
    assert replay.status_code == 200 and replay.json()["id"] == created.json()["id"]
    assert JournalEntry.objects.count() == entries
    assert D(created.json()["amount"]) == sub(new).balance
    assert clerk.get(f"/api/deposits/merges/{created.json()['id']}/").status_code == 200
    assert [m["id"] for m in clerk.get("/api/deposits/merges/").json()] == [created.json()["id"]]
    assert ledger_reconcile() == []


def test_the_api_refuses_whoever_may_not_merge(world):
    old, new = duplicate(world)
    body = {"source": old.pk, "target": new.pk}
    for who in (world.unit_a_op, world.member_a, world.outsider, world.clerk_b):
        assert api(who).post("/api/deposits/merges/", body, format="json").status_code == 404
        assert api(who).get("/api/deposits/merge/preview/", body).status_code == 404
    # The member may not merge even their own accounts; staff who only read are refused (403).
    own = MemberAccount.objects.filter(person=world.member_a.person).first()
    assert api(world.member_a).post("/api/deposits/merges/", {"source": own.pk, "target": own.pk}).status_code == 404
    assert api(world.auditor).post("/api/deposits/merges/", body, format="json").status_code == 403
    assert APIClient().post("/api/deposits/merges/", body, format="json").status_code in (401, 403)
    assert not AccountMerge.objects.exists()


def test_an_empty_duplicate_closes_without_a_posting(world):
    empty = open_member(world.clerk, world.unit_a, SEQ + 1)
    MemberAccount.objects.filter(pk=empty.pk).update(state=MemberState.OTHER)
    keep = open_member(world.clerk, open_unit(world.clerk, world.branch_a, 4), SEQ + 1)
    entries = JournalEntry.objects.count()
    merge, created = member_account_merge(actor=world.clerk, source=empty, target=keep)
    assert created and merge.amount == 0 and merge.entry is None and merge.interest_entry is None
    assert JournalEntry.objects.count() == entries
    assert MemberAccount.objects.get(pk=empty.pk).state == MemberState.MERGED
    assert ledger_reconcile() == []
