"""好差评: rates per staff member worked by hand, one rating per application, a bad rating's one follow-up, the
SMS link that works once and refuses a forged token, and who sees what."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from fund.people.models import Post
from fund.people.services import staff_create
from fund.ratings import services
from fund.ratings.models import FollowUp, FollowUpState, Rating, RatingInvitation
from fund.ratings.selectors import rating_rates, ratings_for_user
from fund.ratings.services import (
    follow_up_assign,
    follow_up_close,
    rating_invite,
    rating_submit,
)
from fund.ratings.tokens import invite_token
from tests import clock
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 16)


def rate(application: Any, stars: int, comment: str = "", actor: Any = None) -> Rating:
    return rating_submit(application=application, stars=stars, comment=comment, channel="online", actor=actor)


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_rates_per_staff_member_item_and_branch_are_worked_by_hand(world, application_of):
    clerk, clerk_b = world.clerk, world.clerk_b
    for stars, item in ((5, "TQ-01"), (4, "TQ-01"), (1, "TQ-02")):
        rate(application_of(handled_by=clerk, item_code=item), stars)
    for stars in (3, 2):
        rate(application_of(handled_by=clerk_b, branch=world.branch_b, item_code="TQ-02"), stars)
    by_staff = {r.key: r for r in rating_rates(ratings_for_user(world.director), by="staff")}
    # clerk: 5, 4, 1 → 3 ratings, average 10/3 = 3.33, good 2 (66.67 %), bad 1 (the 1 star: 1 ≤ 2)
    mine = by_staff[clerk.pk]
    assert (mine.count, mine.average, mine.good, mine.bad) == (3, Decimal("3.33"), 2, 1)
    assert (mine.good_share, mine.bad_share, mine.good_pct) == (Decimal("0.6667"), Decimal("0.3333"), "66.7%")
    # clerk_b: 3, 2 → average 2.50, no good, one bad (2 ≤ 2), the 3 is neither
    theirs = by_staff[clerk_b.pk]
    assert (theirs.count, theirs.average, theirs.good, theirs.bad, theirs.bad_share) == (2, Decimal("2.50"), 0, 1, Decimal("0.5"))
    by_item = {r.key: (r.count, r.average, r.bad) for r in rating_rates(ratings_for_user(world.director), by="item")}
    assert by_item == {"TQ-01": (2, Decimal("4.50"), 0), "TQ-02": (3, Decimal("2.00"), 2)}
    by_branch = {r.key: r.count for r in rating_rates(ratings_for_user(world.director), by="branch")}
    assert by_branch == {world.branch_a.pk: 3, world.branch_b.pk: 2}
    # A branch's clerk sees the branch's ratings only: clerk_b's two are not in clerk's figures.
    assert {r.key for r in rating_rates(ratings_for_user(clerk), by="staff")} == {clerk.pk}
    api = APIClient()
    api.force_authenticate(world.director)
    answer = api.get("/api/service/ratings/rates/", {"by": "staff", "month": f"{timezone.localdate():%Y-%m}"})
    assert answer.status_code == 200
    assert {row["key"]: row["average"] for row in answer.json()} == {str(clerk.pk): "3.33", str(clerk_b.pk): "2.50"}


def test_it_refuses_a_second_rating_of_one_application(world, application_of):
    application = application_of()
    rate(application, 5, actor=world.member_a)
    with pytest.raises(ValidationError, match="每件只能评价一次"):
        rate(application, 1, actor=world.member_a)
    api = APIClient()
    api.force_authenticate(world.member_a)
    again = api.post("/api/service/ratings/", {"application": application.number, "stars": 1}, format="json")
    assert again.status_code == 400 and "每件只能评价一次" in str(again.json())
    assert Rating.objects.filter(application=application).count() == 1
    assert Rating.objects.get(application=application).stars == 5


def test_it_refuses_stars_outside_one_to_five_and_a_long_comment_naming_the_field(world, application_of):
    application = application_of()
    for bad in (0, 6, "五", None, True):
        with pytest.raises(ValidationError) as refused:
            rate(application, bad)
        assert refused.value.message_dict == {"stars": ["评价星级应为 1 至 5 星"]}
    with pytest.raises(ValidationError) as refused:
        rate(application, 4, comment="很" * 301)
    assert refused.value.message_dict == {"comment": ["评价内容不能超过300字"]}
    with pytest.raises(ValidationError, match="尚未办结"):
        rate(application_of(outcome="open"), 5)
    with pytest.raises(ValidationError, match="超过评价有效期"):
        rate(application_of(finished_at=timezone.now() - timedelta(days=16)), 5)
    assert not Rating.objects.exists()


def test_a_bad_rating_opens_one_follow_up_for_the_branch_due_in_working_days(world, application_of):
    with clock.travel_to(MONDAY):
        bad = application_of()
        rate(bad, 2, comment="窗口人员态度差", actor=world.member_a)
        rate(application_of(), 3, actor=world.member_a)  # 3 stars is not bad (policy: 2 and below)
        with pytest.raises(ValidationError):
            rate(bad, 1, actor=world.member_a)
    follow_up = FollowUp.objects.get()
    assert follow_up.rating.application == bad and follow_up.branch == world.branch_a
    assert follow_up.state == FollowUpState.OPEN
    assert follow_up.due_on == date(2026, 3, 23)  # five working days after Monday 16 March


def test_a_follow_up_is_assigned_by_the_branch_head_and_closed_with_its_outcome(world, application_of):
    rate(application_of(handled_by=world.clerk), 1, comment="材料说明不清")
    follow_up = FollowUp.objects.get()
    with pytest.raises(PermissionDenied):
        follow_up_assign(actor=world.clerk_b, follow_up=follow_up, assignee=world.clerk_b)
    with pytest.raises(ValidationError) as refused:  # the person rated does not answer their own bad rating
        follow_up_assign(actor=world.director, follow_up=follow_up, assignee=world.clerk)
    assert "assignee" in refused.value.message_dict
    head = staff_create(actor=None, username="head_a", name="审批甲", branch=world.branch_a, posts=[Post.APPROVE],
                        employee_number="head_a", password=PASSWORD)
    follow_up = follow_up_assign(actor=head, follow_up=follow_up, assignee=head)
    assert (follow_up.state, follow_up.assigned_to) == (FollowUpState.ASSIGNED, head)
    with pytest.raises(ValidationError) as refused:
        follow_up_close(actor=head, follow_up=follow_up, outcome="nonsense", note="")
    assert set(refused.value.message_dict) == {"outcome", "outcome_note"}
    closed = follow_up_close(actor=head, follow_up=follow_up, outcome="rectified", note="已电话回访，重新讲解材料要求")
    assert (closed.state, closed.outcome, closed.closed_by) == (FollowUpState.DONE, "rectified", head)


def test_the_sms_link_rates_once_and_refuses_a_forged_token(world, application_of, monkeypatch, settings,
                                                            django_capture_on_commit_callbacks):
    settings.FUND_PUBLIC_BASE_URL = "https://gjj.example.gov.cn"
    sent: list[tuple[str, str]] = []
    monkeypatch.setattr("fund.people.tasks.send_sms.delay", lambda phone, text: sent.append((phone, text)))
    application = application_of()
    with django_capture_on_commit_callbacks(execute=True):
        services.rating_step_listener(application.pk, 0)
        services.rating_step_listener(application.pk, 0)  # a second finished step: invited once
    assert RatingInvitation.objects.filter(application=application, texted=True).count() == 1
    assert len(sent) == 1 and sent[0][0] == world.account_a.person.phone
    assert "https://gjj.example.gov.cn/service/ratings/r/" in sent[0][1]
    link = sent[0][1].split("/service/ratings/r/")[1].split("/")[0]
    page = f"/service/ratings/r/{link}/"
    client = Client()
    assert client.get(page).status_code == 200
    assert client.post(page, {"stars": "4", "comment": "办理很快"}).status_code == 302
    rating = Rating.objects.get(application=application)
    assert (rating.stars, rating.channel, rating.rated_by) == (4, "sms", None)
    again = client.post(page, {"stars": "1"})
    assert again.status_code == 200 and "已评价" in again.content.decode()
    assert Rating.objects.filter(application=application).count() == 1
    # Forged: another application's number under this signature, or a token made up; nothing is rated.
    other = application_of()
    forged = invite_token(application.pk).replace(invite_token(application.pk).split(":")[0], invite_token(other.pk).split(":")[0], 1)
    for token in (forged, link[:-2] + "xx", "abc"):
        assert Client().post(f"/service/ratings/r/{token}/", {"stars": "5"}).status_code == 404
    api = APIClient()
    refused = api.post("/api/service/ratings/link/", {"token": forged, "stars": 5}, format="json")
    assert refused.status_code == 400 and "token" in refused.json()
    assert not Rating.objects.filter(application=other).exists()
    assert api.post("/api/service/ratings/link/", {"token": invite_token(other.pk), "stars": 5},
                    format="json").status_code == 201


def test_only_a_finished_application_is_invited(world, application_of, monkeypatch):
    monkeypatch.setattr("fund.people.tasks.send_sms.delay", lambda *args: None)
    assert rating_invite(application_of(outcome="open").pk) is None
    assert rating_invite(application_of(outcome="refused").pk) is not None


def test_an_applicant_rates_only_their_own_applications(world, application_of):
    mine, units = application_of(), application_of(unit=True)
    member_b = signed_in(world.member_b)
    assert member_b.get(f"/member/ratings/{mine.number}/").status_code == 404
    assert member_b.post(f"/member/ratings/{mine.number}/", {"stars": "1"}).status_code == 404
    owner = signed_in(world.member_a)
    pending = owner.get("/member/ratings/").content.decode()
    assert mine.number in pending and units.number not in pending
    assert owner.post(f"/member/ratings/{mine.number}/", {"stars": "5"}).status_code == 302
    assert signed_in(world.unit_b_op).get(f"/unit/ratings/{units.number}/").status_code == 404
    assert units.number in signed_in(world.unit_a_op).get("/unit/ratings/").content.decode()
    api = APIClient()
    api.force_authenticate(world.member_b)
    assert api.post("/api/service/ratings/", {"application": units.number, "stars": 5}, format="json").status_code == 404
    assert list(Rating.objects.values_list("application__number", flat=True)) == [mine.number]


def test_staff_see_their_branch_and_others_see_no_staff_page(world, application_of):
    rate(application_of(handled_by=world.clerk), 5, comment="甲部好评")
    rate(application_of(handled_by=world.clerk_b, branch=world.branch_b), 5, comment="乙部好评")
    colleague = signed_in(world.clerk_b).get("/staff/ratings/?month=").content.decode()
    assert "乙部好评" in colleague and "甲部好评" not in colleague
    everything = signed_in(world.director).get("/staff/ratings/").content.decode()
    assert "乙部好评" in everything and "甲部好评" in everything and 'data-chart="stars"' in everything
    for outsider in (world.member_a, world.outsider):
        assert signed_in(outsider).get("/staff/ratings/").status_code in (302, 404)
        api = APIClient()
        api.force_authenticate(outsider)
        assert api.get("/api/service/ratings/").status_code == 404


def test_without_a_public_address_the_text_points_to_the_hall_not_to_a_bare_path(world, application_of, monkeypatch,
                                                                                 settings,
                                                                                 django_capture_on_commit_callbacks):
    settings.FUND_PUBLIC_BASE_URL = ""  # a worker has no request to take the address from
    sent: list[tuple[str, str]] = []
    monkeypatch.setattr("fund.people.tasks.send_sms.delay", lambda phone, text: sent.append((phone, text)))
    with django_capture_on_commit_callbacks(execute=True):
        services.rating_step_listener(application_of().pk, 0)
    [(_phone, text)] = sent
    assert "/service/" not in text and "待评价" in text
