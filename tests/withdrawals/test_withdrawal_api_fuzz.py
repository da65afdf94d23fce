"""Whatever a client sends to submit a withdrawal, the API answers 201/200 or a 4xx with a Chinese message,
never a 500; a refused request writes nothing and takes no money."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from withdrawals.models import Withdrawal

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
KEYS = ["account", "reason", "amount", "relation", "other_id_number", "other_name", "details", "payee_card",
        "payee_name", "materials"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**20, max_value=10**20),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40),
                    st.sampled_from(["07", "01", "03", "99-leave", "1e999", "NaN", "-0.00", "0.001", "１２３"]))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(st.text(max_size=10), inner, max_size=3)),
                      max_leaves=6)


@FUZZ
@given(body=st.dictionaries(st.sampled_from(KEYS), values, max_size=len(KEYS)), own_account=st.booleans())
def test_any_body_gets_an_answer_not_a_500(wd, body, own_account):
    client = APIClient()
    client.force_authenticate(wd.world.member_a)
    if own_account:  # half the bodies name the member's real account, so the checks past it are reached too
        body["account"] = wd.account.pk
    before, balance = Withdrawal.objects.count(), wd.balance
    # Encoded here, so NaN and Infinity reach the server as the literals a sloppy client would send.
    response = client.post("/api/withdrawals/", json.dumps(body, allow_nan=True), content_type="application/json")
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert Withdrawal.objects.count() == before and wd.balance == balance
        text = response.content.decode()
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text  # a message in Chinese
    else:
        Withdrawal.objects.filter(account=wd.account).update(state="cancelled")  # free the in-flight slot
