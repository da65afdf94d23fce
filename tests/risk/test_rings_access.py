"""Who sees the suspected rings (pages and API), the ring page's drawing and evidence, and the run-now button."""

import pytest
from django.urls import reverse

from risk.models import LinkGraphRun, Ring
from tests.conftest import open_member
from tests.risk.test_rings_graph import CARD, run, withdrawal

pytestmark = pytest.mark.django_db


@pytest.fixture
def ring(world):
    """A ring of three applicants of branch A sharing one card."""
    for i, seq in enumerate((81, 82, 83), start=1):
        withdrawal(world, open_member(world.clerk, world.unit_a, seq), i, card=CARD)
    run()
    return Ring.objects.get()


def test_the_ring_page_draws_the_graph_and_lists_each_link_with_masked_values(client, world, officers, ring):
    client.force_login(officers.risk)
    page = client.get(reverse("staff:risk-ring", args=[ring.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and html.count('class="node node-person"') == 3 and html.count("node-application") == 3
    assert "6217 **** **** 0001" in html and CARD not in html  # the card, masked, in the drawing and the table
    assert "构成疑点" in html

    listing = client.get(reverse("staff:risk-rings"))
    assert ring.number in listing.content.decode()

    api = client.get(f"/api/risk/rings/{ring.pk}/").json()
    assert api["number"] == ring.number and len(api["members"]) == 3
    links = {link["kind"]: link for link in api["links"]}
    assert links["card"]["value"] == "6217 **** **** 0001" and links["card"]["flagged"] and links["card"]["links"]
    # All three work for the same unit: shown as context, by its name, not as a link.
    assert links["unit"]["value"] == world.unit_a.employer.name and not links["unit"]["links"]
    assert len(api["nodes"]) == 8 and len(api["edges"]) == 9  # 3 people — 3 applications — the card and the unit


@pytest.mark.parametrize("who", ["clerk", "auditor", "director"])
def test_staff_of_its_branch_and_centre_wide_staff_see_the_ring(client, world, ring, who):
    client.force_login(getattr(world, who))
    assert client.get(reverse("staff:risk-ring", args=[ring.pk])).status_code == 200
    assert [r["id"] for r in client.get("/api/risk/rings/").json()["results"]] == [ring.pk]


@pytest.mark.parametrize("who", ["clerk_b", "member_a", "unit_a_op", "outsider"])
def test_it_hides_the_ring_from_another_branch_and_from_outsiders(client, world, ring, who):
    client.force_login(getattr(world, who))
    assert client.get(f"/api/risk/rings/{ring.pk}/").status_code == 404
    if who == "clerk_b":
        assert client.get(reverse("staff:risk-ring", args=[ring.pk])).status_code == 404
        assert client.get("/api/risk/rings/").json()["results"] == []
    else:
        assert client.get("/api/risk/rings/").status_code == 404


def test_only_centre_wide_risk_officers_start_a_run_and_a_second_click_finds_the_first(
        client, world, officers, django_capture_on_commit_callbacks):
    from risk.tasks.rings import link_graph_run_task

    client.force_login(world.clerk)
    assert client.post("/api/risk/rings/runs/").status_code == 403
    client.force_login(officers.risk)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = client.post("/api/risk/rings/runs/").json()
        second = client.post("/api/risk/rings/runs/").json()
    assert first["id"] == second["id"] and first["state"] == "queued" and len(queued) == 1
    link_graph_run_task(first["id"])  # what the worker runs
    assert client.get(f"/api/risk/rings/runs/{first['id']}/").json()["state"] == "done"
    assert LinkGraphRun.objects.get().percent == 100
    progress = client.get(reverse("staff:risk-rings-run", args=[first["id"]]))
    assert progress.status_code == 200 and "已完成" in progress.content.decode()
    client.force_login(world.clerk)  # a branch's staff do not see the centre's runs
    assert client.get(reverse("staff:risk-rings-run", args=[first["id"]])).status_code == 404


def test_the_summary_counts_open_rings_the_user_sees(world, ring):
    from datetime import date

    from risk.selectors.rings import rings_summary

    assert rings_summary(world.clerk, on=date(2026, 6, 1))["rings"] == 1
    assert rings_summary(world.clerk, on=date(2026, 6, 1))["applications"] == 3
    assert rings_summary(world.clerk_b, on=date(2026, 6, 1))["rings"] == 0
