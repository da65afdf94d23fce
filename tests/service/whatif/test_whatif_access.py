"""政策调整模拟 is the centre-wide director's: pages and API answer 404 to everyone else, as for a run that does not
exist; bad draft values are refused naming the field, nothing written."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from fund.policy.models import PolicyValue
from fund.whatif.models import WhatIfResult, WhatIfRun
from fund.whatif.services import whatif_run_create

pytestmark = pytest.mark.django_db

CAP = "withdrawal_rent_cap_per_year"


@pytest.fixture
def finished(world):
    """A finished run of the director's with one changed withdrawal row (results built directly)."""
    today = timezone.localdate()
    run = whatif_run_create(actor=world.director, values={CAP: "24000"}, replayers=["withdrawals"],
                            start=today.replace(day=1), end=today)
    WhatIfRun.objects.filter(pk=run.pk).update(state="done", percent=100, total=1, replayed=1)
    WhatIfResult.objects.create(
        run=run, replayer="withdrawals", subject="withdrawals.withdrawal:1", number="TQ0001", applicant="张* 3708**1234",
        month=today.replace(day=1), old_decision="approved", old_amount=Decimal("18000.00"), new_decision="approved",
        new_amount=Decimal("20000.00"), old_moved=Decimal("18000.00"), new_moved=Decimal("20000.00"), changed=True,
        note="租赁住房：年度限额",
    )
    run.refresh_from_db()
    return run


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_director_sees_the_result_side_by_side_with_its_chart_and_export(world, finished):
    client = _client(world.director)
    page = client.get(reverse("staff:whatif_run", args=[finished.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "TQ0001" in html and "data-whatif-chart" in html and "20,000.00" in html
    export = client.get(reverse("staff:whatif_run_export", args=[finished.pk]))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    api = APIClient()
    api.force_authenticate(world.director)
    body = api.get(f"/api/service/whatif/runs/{finished.pk}/").json()
    assert body["lines"][0]["changed"] == 1 and body["months"][0]["new_moved"] == "20000.00"
    assert api.get(f"/api/service/whatif/runs/{finished.pk}/changes/").json()["results"][0]["number"] == "TQ0001"


@pytest.mark.parametrize("who", ["clerk", "clerk_b", "auditor", "member_a", "outsider"])
def test_it_refuses_everyone_but_a_centre_wide_director_with_404(world, finished, who):
    user = getattr(world, who)
    client = _client(user)
    for name, args in (("staff:whatif_runs", []), ("staff:whatif_run", [finished.pk]),
                       ("staff:whatif_run_progress", [finished.pk]), ("staff:whatif_run_export", [finished.pk])):
        assert client.get(reverse(name, args=args)).status_code == 404, name
    api = APIClient()
    api.force_authenticate(user)
    assert api.get("/api/service/whatif/runs/").status_code == 404
    assert api.get(f"/api/service/whatif/runs/{finished.pk}/").status_code == 404
    assert api.post("/api/service/whatif/runs/", {"values": {CAP: "1"}}, format="json").status_code == 404
    assert WhatIfRun.objects.count() == 1


def test_it_refuses_a_bad_draft_value_naming_it_and_writes_nothing(world):
    api = APIClient()
    api.force_authenticate(world.director)
    answer = api.post("/api/service/whatif/runs/", {"values": {CAP: "-5"}}, format="json")
    assert answer.status_code == 400 and "租房提取年度限额" in str(answer.json())
    answer = api.post("/api/service/whatif/runs/", {"values": {"no_such": "1"}, "replayers": ["nothing"]}, format="json")
    assert answer.status_code == 400 and "no_such" in str(answer.json()) and "nothing" in str(answer.json())
    assert WhatIfRun.objects.count() == 0


def test_the_start_form_is_prefilled_from_a_scheduled_change(world):
    later = timezone.localdate().replace(day=1).replace(year=timezone.localdate().year + 1)
    value = PolicyValue.objects.create(name=CAP, number=Decimal("24000"), effective_from=later, note="示范文件")
    page = _client(world.director).get(reverse("staff:whatif_runs") + f"?from={value.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="24000"' in html and f'value="{value.pk}"' in html
    answer = _client(world.director).post(reverse("staff:whatif_runs"), {
        "period_start": timezone.localdate().replace(day=1), "period_end": timezone.localdate(),
        "replayers": ["withdrawals"], "name_1": CAP, "value_1": "24000", "source": value.pk,
    })
    run = WhatIfRun.objects.get()
    assert answer.status_code == 302 and run.source == value and run.values == {CAP: "24000.00"}
