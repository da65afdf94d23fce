"""The staff blacklist pages and the public disclosure of units."""

from datetime import date, timedelta

import pytest
from django.test import Client

from fund.audit.masking import mask_id_number
from fund.audit.models import PersonView
from fund.demo import make_credit_code, make_id_number
from risk.models import BlacklistEntry, Category, SubjectKind
from risk.services import blacklist_add, blacklist_lift
from tests.clock import today

pytestmark = pytest.mark.django_db

PERSON = make_id_number(birth=date(1985, 6, 12), seq=901)
UNIT = make_credit_code(951)


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def person_entry(actor, **overrides):
    values = dict(actor=actor, subject_kind=SubjectKind.PERSON, id_number=PERSON, name="郭骗提",
                  category=Category.FRAUD_WITHDRAWAL, reason="伪造购房合同骗提", listed_on=today() - timedelta(days=3))
    values.update(overrides)
    return blacklist_add(**values)


def unit_entry(actor, **overrides):
    values = dict(actor=actor, subject_kind=SubjectKind.UNIT, credit_code=UNIT, name="鑫达商贸有限公司",
                  category=Category.STOPPED_AFTER_LOAN, reason="职工贷款后停缴", listed_on=today() - timedelta(days=3))
    values.update(overrides)
    return blacklist_add(**values)


@pytest.mark.parametrize("who", ["outsider", "member_a", "unit_a_op", "dev_a"])
def test_the_staff_pages_do_not_exist_for_anyone_but_staff(world, officers, who):
    entry = person_entry(officers.risk)
    client = browser(getattr(world, who))
    assert client.get("/staff/risk/blacklist/").status_code == 404
    assert client.get("/staff/risk/blacklist/new/").status_code == 404
    assert client.get(f"/staff/risk/blacklist/{entry.pk}/").status_code == 404
    assert client.post("/staff/risk/blacklist/new/", {"name": "x"}).status_code == 404
    assert client.post(f"/staff/risk/blacklist/{entry.pk}/lift/", {"reason": "解除"}).status_code == 404
    entry.refresh_from_db()
    assert entry.lifted_at is None and BlacklistEntry.objects.count() == 1


def test_signed_out_visitors_are_sent_to_sign_in(officers):
    assert Client().get("/staff/risk/blacklist/").status_code == 302


def test_any_staff_reads_the_list_masked_and_only_officers_open_whole_id_numbers(world, officers):
    person_entry(officers.risk)
    unit_entry(officers.risk)
    clerk_page = browser(world.clerk_b).get("/staff/risk/blacklist/").content.decode()
    assert "郭骗提" in clerk_page and "鑫达商贸有限公司" in clerk_page
    assert PERSON not in clerk_page and mask_id_number(PERSON) in clerk_page
    assert "列入黑名单</a>" not in clerk_page  # no add button for a reader
    officer_page = browser(officers.risk).get("/staff/risk/blacklist/").content.decode()
    # The list is masked for officers too: the whole number is on the entry's page, where the view is logged.
    assert PERSON not in officer_page and mask_id_number(PERSON) in officer_page and "列入黑名单</a>" in officer_page


def test_the_list_filters_by_kind_category_state_and_search(world, officers):
    lifted = person_entry(officers.risk)
    blacklist_lift(actor=officers.risk_b, entry=lifted, reason="复核有误")
    person_entry(officers.risk, id_number=make_id_number(birth=date(1980, 2, 2), seq=9), name="钱骗贷",
                 category=Category.FRAUD_LOAN)
    person_entry(officers.risk, id_number=make_id_number(birth=date(1981, 3, 3), seq=11), name="孙过期",
                 listed_on=date(2018, 1, 1))
    unit_entry(officers.risk)
    client = browser(officers.risk)

    def names(query: str) -> set[str]:
        page = client.get(f"/staff/risk/blacklist/?{query}").content.decode()
        return {n for n in ("郭骗提", "钱骗贷", "孙过期", "鑫达商贸有限公司") if n in page}

    assert names("kind=unit") == {"鑫达商贸有限公司"}
    assert names("kind=person&category=fraud_loan") == {"钱骗贷"}
    assert names("state=in_force") == {"钱骗贷", "鑫达商贸有限公司"}
    assert names("state=lifted") == {"郭骗提"}
    assert names("state=expired") == {"孙过期"}
    assert names(f"q={PERSON}") == {"郭骗提"}
    assert names("q=鑫达") == {"鑫达商贸有限公司"}


def test_a_clerk_may_not_open_the_add_form(world, officers):
    assert browser(world.clerk).get("/staff/risk/blacklist/new/").status_code == 403
    response = browser(world.clerk).post("/staff/risk/blacklist/new/", {
        "subject_kind": "person", "id_number": PERSON, "name": "郭某", "category": "fraud_withdrawal",
        "reason": "骗提", "listed_on": today().isoformat(), "bans_withdrawal": "on", "bans_loan": "on",
    })
    assert response.status_code == 403 and not BlacklistEntry.objects.exists()


def test_an_officer_lists_a_person_through_the_form(officers):
    client = browser(officers.risk)
    form = {"subject_kind": "person", "id_number": PERSON, "name": "郭某", "category": "fraud_withdrawal",
            "reason": "伪造购房合同骗提", "listed_on": today().isoformat(), "bans_withdrawal": "on", "bans_loan": "on"}
    response = client.post("/staff/risk/blacklist/new/", form)
    entry = BlacklistEntry.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/risk/blacklist/{entry.pk}/"
    assert entry.listed_by == officers.risk and entry.bans_withdrawal and entry.bans_loan
    assert entry.until.year == today().year + 5


def test_bad_form_input_is_shown_by_the_field_and_nothing_is_written(officers):
    form = {"subject_kind": "person", "id_number": "370802199003070000", "name": "郭某", "category": "fraud_loan",
            "reason": "", "listed_on": today().isoformat()}
    page = browser(officers.risk).post("/staff/risk/blacklist/new/", form)
    text = page.content.decode()
    # Every mistake at once: the missing reason and the bad check digit.
    assert page.status_code == 200 and "该字段是必填项" in text and "身份证号码校验位不正确" in text
    form.update(reason="骗贷", id_number=PERSON, until=(today() - timedelta(days=1)).isoformat())
    text = browser(officers.risk).post("/staff/risk/blacklist/new/", form).content.decode()
    assert "限制截止日期须晚于列入日期" in text  # the service's error, put on its field
    assert not BlacklistEntry.objects.exists()


def test_the_detail_page_logs_an_officers_view_of_a_members_full_id(world, officers):
    account = world.account_a
    entry = person_entry(officers.risk, id_number=account.person.id_number, name=account.person.name)
    page = browser(officers.risk_b).get(f"/staff/risk/blacklist/{entry.pk}/").content.decode()
    assert account.person.id_number in page and "确认解除" in page
    assert PersonView.objects.filter(actor=officers.risk_b, person=account.person).exists()
    # The clerk sees the masked number, so nothing of the full record was shown.
    page = browser(world.clerk).get(f"/staff/risk/blacklist/{entry.pk}/").content.decode()
    assert account.person.id_number not in page and "确认解除" not in page
    assert not PersonView.objects.filter(actor=world.clerk).exists()


def test_another_officer_lifts_from_the_detail_page_and_the_lister_may_not(officers):
    entry = person_entry(officers.risk)
    page = browser(officers.risk).get(f"/staff/risk/blacklist/{entry.pk}/").content.decode()
    assert "确认解除" not in page  # the lister is not offered the form
    assert browser(officers.risk).post(f"/staff/risk/blacklist/{entry.pk}/lift/", {"reason": "自己解除"}).status_code == 403
    empty = browser(officers.risk_b).post(f"/staff/risk/blacklist/{entry.pk}/lift/", {"reason": ""})
    assert empty.status_code == 400
    entry.refresh_from_db()
    assert entry.lifted_at is None
    done = browser(officers.risk_b).post(f"/staff/risk/blacklist/{entry.pk}/lift/", {"reason": "复核有误"})
    assert done.status_code == 302
    entry.refresh_from_db()
    assert entry.lifted_by == officers.risk_b
    assert "复核有误" in browser(officers.risk).get(f"/staff/risk/blacklist/{entry.pk}/").content.decode()


def test_the_public_page_discloses_units_in_force_and_never_persons(world, officers):
    person_entry(officers.risk)
    unit_entry(officers.risk)
    lifted = unit_entry(officers.risk, credit_code=make_credit_code(952), name="已解除建材公司")
    blacklist_lift(actor=officers.risk_b, entry=lifted, reason="已补缴")
    unit_entry(officers.risk, credit_code=make_credit_code(953), name="早已到期物流公司", listed_on=date(2018, 1, 1))
    for client in (Client(), browser(world.member_a)):
        response = client.get("/risk/units/")
        page = response.content.decode()
        assert response.status_code == 200
        assert "鑫达商贸有限公司" in page and UNIT in page and "贷后停缴" in page
        assert "郭骗提" not in page and PERSON not in page and mask_id_number(PERSON) not in page
        assert "已解除建材公司" not in page and "早已到期物流公司" not in page


def test_auditors_read_the_blacklist_in_the_admin_and_change_nothing(world, officers):
    entry = person_entry(officers.risk)
    client = browser(world.auditor)
    assert client.get("/admin/risk/blacklistentry/").status_code == 200
    assert client.get(f"/admin/risk/blacklistentry/{entry.pk}/change/").status_code == 200  # the read-only view
    assert client.get("/admin/risk/blacklistentry/add/").status_code == 403
    assert client.post(f"/admin/risk/blacklistentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert BlacklistEntry.objects.filter(pk=entry.pk).exists()


def test_the_demo_rows_load_and_cover_every_state(world, officers):
    from risk.demo import demo_blacklist

    entries = demo_blacklist(lister=officers.risk, lifter=world.director, today=today())
    assert {e.state for e in entries} == {"in_force", "expired", "lifted"}
    assert {e.subject_kind for e in entries if e.public} == {"unit"}
