"""日终处理 for staff: the page and the API show the business date and each run's steps to centre-wide staff and
to 财务 and 委贷管理; only a centre-wide director starts a catch-up (403 for the others who may look); anyone
else — a branch clerk, a member, a login with no role — is told there is no such page (404)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from rest_framework.test import APIClient

from fund.close.models import CloseRun, CloseRunState, CloseStepRun
from fund.close.selectors import close_date_due
from tests import clock
from tests.api_contract import Contract
from tests.close.conftest import ORDER, closed

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_page_shows_the_business_date_and_each_steps_state_counts_and_error(steps, world):
    today = clock.today()
    closed(today - 3 * DAY)
    steps.fail["test.debit", today - DAY] = "受托银行无应答"
    from fund.close.services import close_catch_up

    close_catch_up(today=today)
    html = browser(world.director).get("/staff/close/").content.decode()
    business = today - DAY
    assert f"当前营业日 {business.year}年{business.month}月{business.day}日" in html
    assert "批量扣款：RuntimeError: 受托银行无应答" in html and "处理笔数：1" in html
    assert html.index(f"{today - DAY:%Y-%m-%d}") < html.index(f"{today - 2 * DAY:%Y-%m-%d}")  # newest first
    assert "立即执行日终" in html and "逾期处理" in html and "推进计数" in html


@pytest.mark.parametrize("who", ["director", "finance", "loan_admin"])
def test_centre_wide_staff_and_the_finance_and_loan_posts_may_look(steps, world, finance, loan_admin, who):
    user = {"director": world.director, "finance": finance, "loan_admin": loan_admin}[who]
    response = browser(user).get("/staff/close/")
    assert response.status_code == 200 and "日终记录" in response.content.decode()
    assert ("立即执行日终" in response.content.decode()) is (who == "director")
    assert api(user).get("/api/close/runs/").status_code == 200


@pytest.mark.parametrize("who", ["clerk", "member", "outsider", "unit_operator"])
def test_it_tells_others_there_is_no_such_page(steps, world, who):
    user = {"clerk": world.clerk, "member": world.member_a, "outsider": world.outsider,
            "unit_operator": world.unit_a_op}[who]
    closed(clock.today() - DAY)
    client = browser(user)
    assert client.get("/staff/close/").status_code == 404
    assert client.get("/staff/close/status/").status_code == 404
    assert client.post("/staff/close/start/").status_code == 404
    assert api(user).get("/api/close/runs/").status_code == 404
    assert api(user).get(f"/api/close/runs/{clock.today() - DAY:%Y-%m-%d}/").status_code == 404
    assert api(user).post("/api/close/catch-up/", {}, format="json").status_code == 404
    assert steps.calls == [] and CloseRun.objects.count() == 1


def test_the_link_is_in_the_sidebar_only_of_those_who_may_look(world, finance):
    assert 'href="/staff/close/"' in browser(finance).get("/staff/").content.decode()
    assert 'href="/staff/close/"' not in browser(world.clerk).get("/staff/").content.decode()


def test_it_refuses_a_start_by_a_post_that_may_only_look(steps, world, finance, django_capture_on_commit_callbacks):
    closed(clock.today() - 3 * DAY)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert browser(finance).post("/staff/close/start/").status_code == 403
        assert api(finance).post("/api/close/catch-up/", {}, format="json").status_code == 403
    assert callbacks == [] and steps.calls == []


def test_the_directors_button_queues_the_close_of_every_date_due(steps, world, django_capture_on_commit_callbacks):
    due = close_date_due()
    closed(due - 3 * DAY)
    client = browser(world.director)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/staff/close/start/")
    assert response.status_code == 302 and "?since=" in response["Location"]
    assert steps.dates() == [due - 2 * DAY, due - DAY, due]
    assert list(CloseRun.objects.filter(business_date__gt=due - 3 * DAY).values_list("triggered_by", flat=True)) == \
        [world.director.pk] * 3
    page = client.get(response["Location"]).content.decode()
    assert "已提交日终处理" in page and f"无，日终已处理至 {due:%Y-%m-%d}" in page
    # nothing is due any more: nothing queued
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post("/staff/close/start/")
    assert callbacks == [] and len(steps.dates()) == 3


def test_the_status_card_polls_while_a_close_is_going_and_stops_after(steps, world):
    from django.utils import timezone

    client = browser(world.director)
    day = clock.today() - DAY
    earlier = timezone.now() - timedelta(minutes=1)
    run = CloseRun.objects.create(business_date=day, state=CloseRunState.RUNNING, started_at=earlier,
                                  heartbeat_at=earlier)
    CloseStepRun.objects.create(run=run, name="test.overdue", label="逾期处理", position=1, state="done")
    CloseStepRun.objects.create(run=run, name="test.debit", label="批量扣款", position=2, state="running")
    fragment = client.get("/staff/close/status/").content.decode()
    assert 'hx-trigger="every 2s"' in fragment and 'aria-valuenow="50"' in fragment and "批量扣款" in fragment
    CloseRun.objects.filter(pk=run.pk).update(state=CloseRunState.DONE)
    assert 'hx-trigger' not in client.get("/staff/close/status/").content.decode()
    # just queued by the director: it polls until the run starts
    since = int(timezone.now().timestamp()) - 1
    assert 'hx-trigger="every 2s"' in client.get(f"/staff/close/status/?since={since}").content.decode()
    CloseRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now())  # it ran (here: was resumed) since
    assert 'hx-trigger' not in client.get(f"/staff/close/status/?since={since}").content.decode()
    assert 'hx-trigger' not in client.get("/staff/close/status/?since=12345").content.decode()  # long ago
    assert client.get("/staff/close/status/?since=x").status_code == 200


def test_the_api_lists_the_runs_with_their_steps_and_answers_a_date(steps, world):
    contract = Contract.load()
    today = clock.today()
    closed(today - 3 * DAY)
    from fund.close.services import close_catch_up

    close_catch_up(today=today - DAY)
    director = api(world.director)
    page = contract.call(director, "get", "/api/close/runs/").json()
    assert page["count"] == 3 and [r["business_date"] for r in page["results"]] == [
        f"{today - DAY:%Y-%m-%d}", f"{today - 2 * DAY:%Y-%m-%d}", f"{today - 3 * DAY:%Y-%m-%d}"]
    run = contract.call(director, "get", "/api/close/runs/{business_date}/",
                        business_date=f"{today - DAY:%Y-%m-%d}").json()
    assert run["state"] == "done" and [s["name"] for s in run["steps"]] == ORDER
    assert run["steps"][1]["counts"] == {"处理笔数": 5} and run["steps"][1]["seconds"] is not None
    for missing in (f"{today:%Y-%m-%d}", "none", "2027-02-30"):
        assert contract.call(director, "get", "/api/close/runs/{business_date}/", business_date=missing).status_code == 404


def test_the_api_queues_a_catch_up_and_answers_202(steps, world, django_capture_on_commit_callbacks):
    contract = Contract.load()
    today = clock.today()
    closed(today - 3 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        response = contract.call(api(world.director), "post", "/api/close/catch-up/", {"through": f"{today - DAY:%Y-%m-%d}"})
    assert response.status_code == 202
    assert response.json()["dates"] == [f"{today - 2 * DAY:%Y-%m-%d}", f"{today - DAY:%Y-%m-%d}"]
    assert steps.dates() == [today - 2 * DAY, today - DAY]
    with django_capture_on_commit_callbacks(execute=True):
        again = contract.call(api(world.director), "post", "/api/close/catch-up/", {"through": f"{today - DAY:%Y-%m-%d}"})
    assert again.status_code == 202 and again.json() == {"business_date": f"{today:%Y-%m-%d}", "dates": []}


@pytest.mark.parametrize("through", [lambda: f"{clock.today() + DAY:%Y-%m-%d}", lambda: "明天", lambda: 20270101])
def test_it_refuses_a_catch_up_through_a_date_after_today_or_no_date(steps, world, through,
                                                                     django_capture_on_commit_callbacks):
    contract = Contract.load()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = contract.call(api(world.director), "post", "/api/close/catch-up/", {"through": through()})
    assert response.status_code == 400 and "through" in response.json()
    assert callbacks == [] and steps.calls == [] and not CloseRun.objects.exists()
