"""Nothing offered that fails: every link and every button a staff page shows answers, for each post, with a
page and not a 403/404.

The walk signs in as 受理, 初审, 审批 and the auditor (as the demo has them) and goes from the staff home
through every page its links reach (the navigation, the lists, a member's, a unit's, a bill's, the guide):
it follows each link and submits each form empty (a refusal of the post answers 403 before any field is read).
"""

import re
from collections import deque
from datetime import date
from typing import Any

import pytest

from fund.people.models import Post
from fund.people.services import staff_create
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="(/[^"#]*)"')
POST_FORM = re.compile(r'<form[^>]*method="post"[^>]*action="(/[^"#]*)"|<form[^>]*action="(/[^"#]*)"[^>]*method="post"')
SKIP = ("/static/", "/media/", "/accounts/logout", "/admin/logout", "/accounts/password")
WINDOW_ONLY = ["/staff/units/open/", "/staff/members/open/", "/staff/members/internal-transfer/",
               "/staff/members/voluntary/", "/staff/withdrawals/new/"]


@pytest.fixture
def posts(world: Any) -> dict[str, Any]:
    def staff(username: str, posts: list[str], centre_wide: bool = False) -> Any:
        return staff_create(actor=None, username=username, name=username, branch=world.branch_a, posts=posts,
                            employee_number=username, password=PASSWORD, centre_wide=centre_wide)

    return {
        "受理": world.clerk,
        "初审": staff("reviewer", [Post.REVIEW]),
        "审批": staff("approver", [Post.APPROVE]),
        "稽核": world.auditor,
    }


def page_of(client: Any, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def offered(html: str) -> tuple[set[str], set[str]]:
    links = {h.replace("&amp;", "&") for h in HREF.findall(html) if not h.startswith(SKIP)}
    forms = {(a or b).replace("&amp;", "&") for a, b in POST_FORM.findall(html)}
    return links, {f for f in forms if not f.startswith(SKIP)}


def walk(client: Any, start: str, limit: int = 300) -> list[str]:
    """Breadth-first from `start` through the links of each page (every list page once, exports and files left
    out); each link is followed and each form submitted empty. Returns what answered 403/404."""
    queue, seen, seen_forms, failures = deque([start]), {start}, set(), []
    visited = 0
    while queue and visited < limit:
        url = queue.popleft()
        visited += 1
        response = client.get(url)
        if response.status_code in (403, 404):
            failures.append(f"GET {url}: {response.status_code}")
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        links, forms = offered(response.content.decode())
        for action in sorted(forms - seen_forms):
            seen_forms.add(action)
            status = client.post(action, {}).status_code
            if status in (403, 404):
                failures.append(f"{url} -> POST {action}: {status}")
        for href in sorted(links):
            key = re.sub(r"page=\d+", "page=N", href)
            if key in seen or href.startswith(("/api/", "/admin/")) or any(w in href for w in ("export", "download", "pdf")):
                continue
            seen.add(key)
            queue.append(href)
    return failures


@pytest.mark.parametrize("post", ["受理", "初审", "审批", "稽核"])
def test_every_link_and_button_a_staff_page_offers_answers_for_the_post(client, world, posts, post):
    from deposits.services.remittance import bill_generate

    bill_generate(actor=world.unit_a_op, unit=world.unit_a, month=date(2025, 2, 1))  # a bill to confirm or void
    client.force_login(posts[post])
    failures = walk(client, "/staff/")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("post", ["初审", "审批", "稽核"])
def test_it_offers_window_business_only_to_the_accept_post(client, world, posts, post):
    """The other side of the walk: the 受理 post is still offered what it may do, the others are not."""
    client.force_login(posts["受理"])
    clerk_links, _ = offered(page_of(client, "/staff/"))
    assert set(WINDOW_ONLY) <= clerk_links
    assert f"/staff/members/{world.account_a.pk}/transfer/" in offered(page_of(client, f"/staff/members/{world.account_a.pk}/"))[0]
    client.force_login(posts[post])
    links, _ = offered(page_of(client, "/staff/"))
    assert not set(WINDOW_ONLY) & links
    member_links, member_forms = offered(page_of(client, f"/staff/members/{world.account_a.pk}/"))
    assert f"/staff/members/{world.account_a.pk}/transfer/" not in member_links
    assert f"/staff/members/{world.account_a.pk}/deposit/" not in member_forms


@pytest.mark.parametrize(("who", "home"), [("unit_a_op", "/unit/"), ("member_a", "/member/"), ("dev_a", "/developer/")])
def test_every_link_and_button_of_the_other_portals_answers(client, world, who, home):
    client.force_login(getattr(world, who))
    failures = walk(client, home)
    assert not failures, "\n".join(failures)
