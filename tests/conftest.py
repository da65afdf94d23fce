"""Named users of every kind, built through the real services, for access and flow tests.

    world.clerk       受理, 市直管理部            world.clerk_b    受理, 高新区管理部
    world.director    分管副主任, centre-wide     world.auditor    稽核, centre-wide
    world.unit_a_op   operator of unit A (市直)    world.unit_b_op  operator of unit B (高新区)
    world.member_a    member in unit A            world.member_b   member in unit B
    world.dev_a       developer A's operator      world.dev_b      developer B's operator
    world.outsider    a login with no role at all
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import factory
import pytest

from fund.demo import DEMO_PASSWORD, make_credit_code, make_id_number
from fund.people.models import Branch, Developer, Post, User
from tests import clock

# FUND_TEST_TODAY=2027-02-10 runs the whole suite at that date (tests/clock.py): the clock moves here, before
# pytest imports any test module (Django and the apps are set up earlier, and read no date at import).
_TRAVELLED_TO = clock.travel_from_environment()

PASSWORD = DEMO_PASSWORD


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Branch
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{n + 1:02d}")
    name = factory.LazyAttribute(lambda o: f"第{o.code}管理部")


class DeveloperFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Developer

    name = factory.Sequence(lambda n: f"示范置业{n}有限公司")
    credit_code = factory.Sequence(lambda n: make_credit_code(800 + n))


@dataclass
class World:
    branch_a: Branch
    branch_b: Branch
    clerk: User
    clerk_b: User
    director: User
    auditor: User
    unit_a: Any
    unit_b: Any
    unit_a_op: User
    unit_b_op: User
    account_a: Any
    account_b: Any
    member_a: User
    member_b: User
    developer_a: Developer
    developer_b: Developer
    dev_a: User
    dev_b: User
    outsider: User


def open_unit(actor: User, branch: Branch, seq: int, **overrides: Any) -> Any:
    from deposits.services import unit_account_open

    values = dict(
        actor=actor, branch=branch, name=f"测试单位{seq}", credit_code=make_credit_code(seq),
        bank_name="建设银行", bank_account=f"37050{seq:08d}", unit_ratio=Decimal("0.12"),
        member_ratio=Decimal("0.12"), pay_day=15, opened_on=date(2025, 1, 10),
    )
    values.update(overrides)
    bank_account_at_the_bank(values.get("bank_account"), values.get("name"), values.get("credit_code"))
    return unit_account_open(**values)


def member_name(seq: int, prefix: str = "职工") -> str:
    """A name a person can have (职工一二 for 12): names are letters, not digits (fund.validation)."""
    return prefix + "".join("零一二三四五六七八九"[int(d)] for d in str(seq))


@pytest.fixture
def bank_depths(monkeypatch: Any) -> list[int]:
    """For each account check with the bank, how many transactions were open around it beyond those the test
    runs in: 0 is outside any transaction, as an outside call must be."""
    from django.db import connection

    from fund.integrations import bank

    baseline = len(connection.atomic_blocks)
    depths: list[int] = []
    real = bank.entrusted_bank

    class Watched:
        def __getattr__(self, name: str) -> Any:
            if name == "verify_account":
                depths.append(len(connection.atomic_blocks) - baseline)
            return getattr(real(), name)

    monkeypatch.setattr(bank, "entrusted_bank", Watched)
    return depths


def bank_account_at_the_bank(number: Any, name: Any, holder_id: Any = "") -> None:
    """The account at the sandbox bank, as a real unit or member has it before giving it to the centre
    (opening checks it with the bank). Nonsense input is left for the service under test to refuse."""
    from fund.integrations.models import SandboxBankAccount

    if isinstance(number, str) and number.isdigit() and len(number) <= 32 and isinstance(name, str) and name.strip():
        SandboxBankAccount.objects.get_or_create(account_number=number, defaults={
            "name": name.strip(), "holder_id": holder_id if isinstance(holder_id, str) else "", "bank_name": "建设银行"})


def open_member(actor: User, unit: Any, seq: int, **overrides: Any) -> Any:
    from deposits.services import member_account_open

    values = dict(
        actor=actor, unit=unit, id_number=make_id_number(birth=date(1990, 3, 7), seq=seq), name=member_name(seq),
        base=Decimal("8000.00"), phone=f"1380000{seq:04d}", opened_on=date(2025, 1, 10),
    )
    values.update(overrides)
    return member_account_open(**values)


def deposit_months(clerk: Any, account: Any, months: int, start: date = date(2025, 2, 1)) -> None:
    """`months` monthly deposits of `account` from `start`, posted as the window would."""
    from deposits.services.accounts import monthly_deposit_post
    from fund.dates import add_months

    for i in range(months):
        monthly_deposit_post(actor=clerk, account=account, month=add_months(start, i))


@pytest.fixture(scope="session")
def django_db_setup(request: Any, django_test_environment: None, django_db_blocker: Any, django_db_modify_db_settings: None) -> Any:
    """pytest-django's database setup, on a copy of a migrated template instead of a database migrated each run
    (tests/database_template.py). The database is serialized only if a test asks for a serialized rollback."""
    from django.test.utils import setup_databases, teardown_databases

    from tests.database_template import clone_test_database

    def serialized(item: Any) -> bool:
        marker = item.get_closest_marker("django_db")
        return bool(marker and marker.kwargs.get("serialized_rollback")) or (
            "django_db_serialized_rollback" in getattr(item, "fixturenames", ()))

    verbosity = request.config.option.verbose
    aliases = {"default"} if any(serialized(item) for item in request.session.items) else set()
    with django_db_blocker.unblock():
        clone_test_database()
        databases = setup_databases(verbosity=verbosity, interactive=False, keepdb=True, serialized_aliases=aliases)
    yield
    with django_db_blocker.unblock():
        teardown_databases(databases, verbosity=verbosity)


@pytest.fixture(scope="session", autouse=True)
def _deleting_flush() -> Any:
    """After a transactional test, empty the tables that have rows instead of truncating all (tests/fast_flush.py)."""
    from tests.fast_flush import deleting_flush

    with deleting_flush():
        yield


@pytest.fixture
def reference_data(db: Any) -> None:
    """The chart of accounts and policy defaults that migrations seed. Transactional tests (a real worker,
    a live server) truncate every table afterwards, so the ones that follow put them back."""
    from fund.ledger.chart import chart_seed
    from fund.policy.services import policy_defaults_seed

    chart_seed()
    policy_defaults_seed()


# The world, made once per test module (a fifth of a second and ~230 statements each time): inside a transaction
# opened before the module's first test that asks for it and rolled back after its last, as test_demo_data does
# with the demo; each test's own transaction nests in it as a savepoint and rolls back, and each test gets fresh
# instances read back by primary key. A test that cannot share it gets its own, made as before: a transactional
# test (a live server or a real worker commits, and empties the tables afterwards), or one after a test of the
# module that does not ask for the world (the shared one is rolled back before that test, so it never sees rows
# it did not make). The world's dates are fixed (opened 10 January 2025), so a test that moves the clock before
# asking for it finds the same world as one that does not.


def _transactional(item: Any) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server", "worker"} & set(getattr(item, "fixturenames", ())))


@dataclass
class SharedWorld:
    keys: dict[str, tuple[type, int]]
    rollback: Any  # closes the module's transaction (once)
    open: bool = True

    def fresh(self) -> World:
        by_model: dict[type, set[int]] = {}
        for model, pk in self.keys.values():
            by_model.setdefault(model, set()).add(pk)
        rows = {model: model._default_manager.in_bulk(pks) for model, pks in by_model.items()}
        return World(**{name: rows[model][pk] for name, (model, pk) in self.keys.items()})

    def close(self) -> None:
        if self.open:
            self.open = False
            self.rollback()


_SHARED: list[SharedWorld] = []  # the one open in this process, if any


@pytest.fixture(scope="module")
def _module_world(request: Any, django_db_setup: None, django_db_blocker: Any) -> Any:
    from django.db import transaction

    from fund.ledger.chart import chart_seed
    from fund.policy.services import policy_defaults_seed

    if _transactional(request._pyfuncitem):
        yield None
        return
    with django_db_blocker.unblock():
        block = transaction.atomic()
        block._from_testcase = True  # type: ignore[attr-defined]  # as Django marks its own (fund.transactions)
        block.__enter__()

    def rollback() -> None:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            block.__exit__(None, None, None)
        _SHARED.clear()

    try:
        with django_db_blocker.unblock():
            chart_seed()
            policy_defaults_seed()
            made = world_make()
    except BaseException:
        rollback()
        raise
    shared = SharedWorld(keys={name: (type(obj), obj.pk) for name, obj in vars(made).items()}, rollback=rollback)
    _SHARED[:] = [shared]
    yield shared
    shared.close()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: Any) -> None:
    """Roll the shared world back before a test that must not see it (see above)."""
    if _SHARED and ("world" not in getattr(item, "fixturenames", ()) or _transactional(item)):
        _SHARED[0].close()


@pytest.fixture
def world(request: Any, _module_world: Any, reference_data: None) -> World:
    shared = _module_world
    if shared is not None and shared.open and not _transactional(request.node):
        return shared.fresh()
    return world_make()


def world_make() -> World:
    """The named users and their units, accounts and developers, made through the services."""
    from fund.people.services import member_login_create, operator_create, staff_create

    a, b = BranchFactory(code="01", name="市直管理部"), BranchFactory(code="02", name="高新区管理部")

    def staff(username: str, branch: Branch, posts: list[str], centre_wide: bool = False) -> User:
        return staff_create(
            actor=None, username=username, name=username, branch=branch, posts=posts,
            employee_number=username, password=PASSWORD, centre_wide=centre_wide,
        )

    clerk = staff("clerk", a, [Post.ACCEPT])
    clerk_b = staff("clerk_b", b, [Post.ACCEPT])
    director = staff("director", a, [Post.DIRECTOR, Post.APPROVE], centre_wide=True)
    auditor = staff("auditor", a, [Post.AUDIT], centre_wide=True)
    unit_a, unit_b = open_unit(clerk, a, 1), open_unit(clerk_b, b, 2)
    unit_a_op = operator_create(actor=clerk, username="unit_a", name="甲单位经办", password=PASSWORD, employer=unit_a.employer)
    unit_b_op = operator_create(actor=clerk_b, username="unit_b", name="乙单位经办", password=PASSWORD, employer=unit_b.employer)
    account_a, account_b = open_member(clerk, unit_a, 1), open_member(clerk_b, unit_b, 2)
    member_a = member_login_create(person=account_a.person, password=PASSWORD)
    member_b = member_login_create(person=account_b.person, password=PASSWORD)
    developer_a, developer_b = DeveloperFactory(), DeveloperFactory()
    dev_a = operator_create(actor=clerk, username="dev_a", name="甲开发", password=PASSWORD, developer=developer_a)
    dev_b = operator_create(actor=clerk, username="dev_b", name="乙开发", password=PASSWORD, developer=developer_b)
    outsider = User.objects.create_user(username="outsider", password=PASSWORD)
    return World(
        branch_a=a, branch_b=b, clerk=clerk, clerk_b=clerk_b, director=director, auditor=auditor,
        unit_a=unit_a, unit_b=unit_b, unit_a_op=unit_a_op, unit_b_op=unit_b_op, account_a=account_a,
        account_b=account_b, member_a=member_a, member_b=member_b, developer_a=developer_a,
        developer_b=developer_b, dev_a=dev_a, dev_b=dev_b, outsider=outsider,
    )


@pytest.fixture
def worker(transactional_db: Any, reference_data: None, tmp_path: Any) -> Any:
    """A real Celery worker on the test database and a Redis database of its own (tests/worker_support.py)."""
    from worker_support import worker_process

    yield from worker_process(transactional_db, reference_data, tmp_path)


# Headless Chromium for every browser test (tests/browser_support.py), without each module importing them.
from tests.browser_support import browser, page  # noqa: E402, F401


def pytest_report_header(config: Any) -> str | None:
    if _TRAVELLED_TO is None:
        return None
    return f"clock: {clock.TODAY_VARIABLE} moved it to {_TRAVELLED_TO.isoformat()} (ticking)"


def pytest_unconfigure(config: Any) -> None:
    clock.stop()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """Under pytest-xdist (scripts/test runs two processes), the tests that start a real Celery worker (the
    `worker` marker or fixture) run in one process, one after another: a worker is a heavy subprocess, and two at
    once on two cores starve the rest. (Each process has its own Redis database besides: worker_support.)"""
    for item in items:
        if item.get_closest_marker("worker") or "worker" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("celery-worker"))
    # Within each run of one module's tests of one kind (pytest-django has put the transactional ones last), the
    # tests that use the world go first, so the module makes it once (see _module_world).
    ordered: list[Any] = []
    run: list[Any] = []
    for item in [*items, None]:
        if run and (item is None or (getattr(item, "module", None), _transactional(item)) != (getattr(run[0], "module", None), _transactional(run[0]))):
            ordered += sorted(run, key=lambda it: "world" not in getattr(it, "fixturenames", ()))
            run = []
        if item is not None:
            run.append(item)
    items[:] = ordered
