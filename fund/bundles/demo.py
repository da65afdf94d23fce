"""Demo rows for 一件事 and 跨省通办: a new employee opened through the unit hall's bundle, and a cross-province
request waiting at the 通办 window. Run after the sandboxes are seeded, outside any transaction (the bundle's
checks ask the identity and bank sandboxes)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings

from fund.demo import make_id_number
from fund.people.models import Person, User

NEW_EMPLOYEE_NAME = "林新入"


def seed(ctx: Any) -> None:
    from fund.integrations.models import SandboxIdentity

    from .services import bundle_run, cross_request_submit

    operator = User.objects.filter(username="unit01").first()
    if operator is not None:
        new_id = make_id_number(birth=date(2001, 6, 18), seq=907)
        SandboxIdentity.objects.get_or_create(id_number=new_id, defaults=dict(
            name=NEW_EMPLOYEE_NAME, sex="1", birth_date=date(2001, 6, 18), hukou_city_code=settings.FUND_CITY_CODE,
            hukou_city_name="示范市"))
        bundle_run(actor=operator, code="YJS-01", client_token="demo-new-employee",
                   inputs={"id_number": new_id, "name": NEW_EMPLOYEE_NAME, "base": "6000", "phone": "13700009907"})
    # A member of this centre now living in another province, who asked the 通办 window for a hand.
    person = Person.objects.filter(id_number__in=SandboxIdentity.objects.values("id_number")).order_by("id").last()
    if person is not None:
        cross_request_submit(item_code="TQ-03", name=person.name, id_number=person.id_number, phone="13900009908",
                             province="四川省", note="已在成都定居，申请办理退休提取", ip=None)
