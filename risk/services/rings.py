"""Running the link graph: extraction, connected components, suspected rings (see risk.models.rings).

Decided by bench/link_graph.py: the keys are not stored. One SQL statement unpivots each application into its
(applicant, kind, value) keys and groups them, and only keys used by two or more applicants come back to
Python, so every run is a full rebuild (a changed card or a corrected certificate number is seen the next night)
with no high-water mark to keep. The graph is one of applicants (a person's applications are linked by the person
anyway, and most sharing is a member's own repeated applications): union-find over person ids, families joined
by the ID numbers applications name (spouse, home owner, co-borrower). Only the suspects' applications are then
read again, for the evidence.

A key used by more applicants than policy `risk_link_hub_people` is a public one (a developer's supervision
account, a placeholder phone a clerk typed) and links nothing; it is counted on the run. Units (employers)
never link — a big employer would join half the city — but a unit shared inside a ring is shown as context in
its evidence.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from fund.policy.selectors import policy_value
from fund.workflow.moves import MoveTable, move_status

from ..models import AppKind, LinkGraphRun, Ring, RingLink, RingMember, RingState, RunState, RunTrigger

logger = logging.getLogger(__name__)

RING_MOVES = MoveTable(Ring, noun="疑似团伙", moves={RingState.OPEN: {RingState.CLOSED}, RingState.CLOSED: {RingState.OPEN}})
RUN_MOVES = MoveTable(LinkGraphRun, noun="关联图谱计算", moves={
    RunState.QUEUED: {RunState.RUNNING, RunState.FAILED},
    RunState.RUNNING: {RunState.DONE, RunState.FAILED},
})

# Kinds whose sharing among unrelated people is itself a ring (rule b).
CONTACT_KINDS = ("card", "phone")
KIND_LABELS = {
    "person": "身份证号", "phone": "手机号码", "card": "银行卡号", "certificate": "不动产权证号", "invoice": "购房发票号",
    "contract": "购房合同号", "place": "房屋坐落", "medical": "病历（医院+病案号）", "agent": "中介/代办人",
    "seller": "售房人收款账户", "unit": "工作单位",
}
RULE_LABELS = {"size": "关联人数超过阈值", "card": "不同家庭共用银行卡", "phone": "不同家庭共用手机号码"}
# An advisory lock key (any constant bigint): one run at a time, whoever starts it.
_LOCK = 0x72696E6773  # "rings"

# Text keys compare without blanks and punctuation, upper-cased (a record number typed "ab-123 " is AB123).
_NORM = "upper(regexp_replace(coalesce({}, ''), '[[:space:][:punct:]，。、（）：；－—]', '', 'g'))"


def _norm(expr: str) -> str:
    return _NORM.format(expr)


def _loan_agent_expr() -> str:
    """The loan application's agent, if the model has one yet (an FK id or a name); '' otherwise."""
    from loans.models import LoanApplication

    # Looked up by name among the fields: the field is added by another change, and may not be there yet.
    agent = {f.name: f for f in LoanApplication._meta.get_fields()}.get("agent")
    column = getattr(agent, "column", None)
    if not column:
        return "''"
    if getattr(agent, "is_relation", False):
        return f"coalesce(l.{column}::text, '')"
    return _norm(f"l.{column}")


def extraction_sql(*, persons: bool = False) -> str:
    """(node, person, kind, value) for every key of every application — node: the application (withdrawal id × 2,
    loan application id × 2 + 1), person: its applicant — or, with `persons`, only the applications of the
    applicants in the array parameter %(persons)s. bench/link_graph.py times the whole SELECT as the floor."""
    only = "AND p.id = ANY(%(persons)s)" if persons else ""
    return f"""
    SELECT w.id * 2 AS node, p.id AS person, k.kind, k.value
      FROM withdrawals_withdrawal w
      JOIN deposits_memberaccount a ON a.id = w.account_id
      JOIN people_person p ON p.id = a.person_id
     CROSS JOIN LATERAL (VALUES
        ('person', p.id_number),
        ('person', upper(w.other_id_number)),
        ('phone', regexp_replace(p.phone, '[^0-9]', '', 'g')),
        ('card', regexp_replace(w.payee_card, '[^0-9]', '', 'g')),
        ('certificate', {_norm("w.details->>'certificate_number'")}),
        ('invoice', {_norm("w.details->>'invoice_number'")}),
        ('contract', {_norm("w.details->>'contract_number'")}),
        ('place', {_norm("w.home_place")}),
        ('medical', CASE WHEN {_norm("w.details->'medical'->>'hospital'")} <> ''
                          AND {_norm("w.details->'medical'->>'record_number'")} <> ''
                         THEN {_norm("w.details->'medical'->>'hospital'")} || '|'
                              || {_norm("w.details->'medical'->>'record_number'")} END),
        ('agent', {_norm("w.details->>'agent'")}),
        ('unit', a.unit_id::text)
     ) AS k(kind, value)
     WHERE w.standing_id IS NULL AND k.value <> '' {only}
    UNION ALL
    SELECT l.id * 2 + 1, p.id, k.kind, k.value
      FROM loans_loanapplication l
      JOIN people_person p ON p.id = l.borrower_id
      JOIN deposits_memberaccount a ON a.id = l.account_id
      LEFT JOIN loans_loan n ON n.application_id = l.id
     CROSS JOIN LATERAL (VALUES
        ('person', p.id_number),
        ('person', upper(l.spouse_id_number)),
        ('phone', regexp_replace(p.phone, '[^0-9]', '', 'g')),
        ('card', regexp_replace(coalesce(n.repayment_card, ''), '[^0-9]', '', 'g')),
        ('certificate', {_norm("l.certificate_number")}),
        ('contract', {_norm("l.purchase_contract")}),
        ('place', {_norm("l.home_address")}),
        ('seller', CASE WHEN l.project_id IS NULL THEN regexp_replace(l.seller_account, '[^0-9]', '', 'g') END),
        ('agent', {_loan_agent_expr()}),
        ('unit', a.unit_id::text)
     ) AS k(kind, value)
     WHERE k.value <> '' {only}
    UNION ALL
    SELECT c.application_id * 2 + 1, l.borrower_id, 'person', cp.id_number
      FROM loans_coborrower c JOIN people_person cp ON cp.id = c.person_id
      JOIN loans_loanapplication l ON l.id = c.application_id JOIN people_person p ON p.id = l.borrower_id
     WHERE true {only}
    """


def shared_keys_sql() -> str:
    """Keys used by two or more applicants (units excluded: they never link), with the applicants (repeated
    once per application: Python makes them distinct, cheaper than DISTINCT in the grouping)."""
    return f"""
    SELECT kind, value, array_agg(person)
      FROM ({extraction_sql()}) keys
     WHERE kind <> 'unit'
     GROUP BY kind, value
    HAVING min(person) < max(person)
    """


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        parent = self.parent
        root = parent.setdefault(x, x)
        while root != parent[root]:
            root = parent[root]
        while x != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass
class _Node:
    kind: str
    app_id: int
    number: str
    person_id: int
    branch_id: int
    state: str
    submitted_at: Any


@dataclass
class FoundRing:
    nodes: list[int]
    reasons: list[dict[str, str]]
    links: list[tuple[str, str, list[int], bool]]  # kind, value, nodes, links
    people: int

    @property
    def fingerprint(self) -> str:
        return hashlib.sha1(",".join(map(str, sorted(self.nodes))).encode()).hexdigest()


def node_ref(node: int) -> str:
    return f"{AppKind.LOAN if node % 2 else AppKind.WITHDRAWAL}:{node // 2}"


def _nodes_load(nodes: Iterable[int]) -> dict[int, _Node]:
    """The number, applicant, branch and state of each application."""
    nodes = list(nodes)
    out: dict[int, _Node] = {}
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT w.id, w.number, a.person_id, w.branch_id, w.state, w.submitted_at
              FROM withdrawals_withdrawal w JOIN deposits_memberaccount a ON a.id = w.account_id
             WHERE w.id = ANY(%s)""", [[n // 2 for n in nodes if n % 2 == 0]])
        for app_id, number, person_id, branch_id, state, at in cursor.fetchall():
            out[app_id * 2] = _Node(AppKind.WITHDRAWAL, app_id, number, person_id, branch_id, state, at)
        cursor.execute("""
            SELECT l.id, l.number, l.borrower_id, l.branch_id, l.state, l.created_at
              FROM loans_loanapplication l WHERE l.id = ANY(%s)""", [[n // 2 for n in nodes if n % 2 == 1]])
        for app_id, number, person_id, branch_id, state, at in cursor.fetchall():
            out[app_id * 2 + 1] = _Node(AppKind.LOAN, app_id, number, person_id, branch_id, state, at)
    return out


@dataclass
class Found:
    rings: list[FoundRing]
    info: dict[int, _Node]  # the applications of the rings
    components: int  # groups of two or more linked applicants
    hubs: int  # keys used by more applicants than the cap: linking nothing


def rings_find(rows: Iterable[tuple[str, str, list[int]]], *, min_people: int, cap: int) -> Found:
    """The suspected rings among the shared keys `rows` (kind, value, applicants), with their evidence.

    The graph is one of applicants (a person's applications are linked by the person anyway): far fewer
    nodes and keys than applications, since most sharing is a member's own repeated applications. Families
    are the applicants joined by `person` keys — the ID number of a spouse, home owner or co-borrower an
    application names is that person's own key."""
    graph, families = _UnionFind(), _UnionFind()
    groups: list[tuple[str, str, list[int]]] = []
    hubs: set[tuple[str, str]] = set()
    for kind, value, people in rows:
        people = sorted(set(people))
        if len(people) > cap:
            hubs.add((kind, value))
            continue
        groups.append((kind, value, people))
        first = people[0]
        for other in people[1:]:
            graph.union(first, other)
            if kind == "person":
                families.union(first, other)
    components: dict[int, list[int]] = defaultdict(list)
    for person in graph.parent:
        components[graph.find(person)].append(person)
    contacts: dict[int, list[tuple[str, str, list[int]]]] = defaultdict(list)
    for kind, value, people in groups:
        if kind in CONTACT_KINDS:
            contacts[graph.find(people[0])].append((kind, value, people))

    suspects: dict[int, list[dict[str, str]]] = {}
    for root, people in components.items():
        households = {families.find(p) for p in people}
        reasons: list[dict[str, str]] = []
        if len(households) > min_people:
            # A family counts once: a couple and their parents buying and selling among themselves is no ring.
            reasons.append({"rule": "size", "summary": f"关联 {len(people)} 名申请人（{len(households)} 个家庭），"
                                                       f"超过 {min_people} 人"})
        for kind, value, users in contacts.get(root, ()):
            if len({families.find(p) for p in users}) > 1:
                reasons.append({"rule": kind, "summary": f"{KIND_LABELS[kind]} {_masked(kind, value)} 由 {len(users)}"
                                                         f" 名无亲属关系的申请人共用"})
        if reasons:
            suspects[root] = reasons
    ring_of = {p: root for root in suspects for p in components[root]}
    if not ring_of:
        return Found(rings=[], info={}, components=len(components), hubs=len(hubs))

    # Evidence, per application, for the suspects' applicants only.
    keys: dict[int, dict[tuple[str, str], set[int]]] = defaultdict(lambda: defaultdict(set))
    nodes: dict[int, set[int]] = defaultdict(set)
    with connection.cursor() as cursor:
        cursor.execute(extraction_sql(persons=True), {"persons": list(ring_of)})
        for node, person, kind, value in cursor.fetchall():
            root = ring_of[person]
            nodes[root].add(node)
            keys[root][(kind, value)].add(node)
    info = _nodes_load(n for ns in nodes.values() for n in ns)
    found = []
    for root, reasons in suspects.items():
        links = [(kind, value, sorted(shared), kind != "unit" and (kind, value) not in hubs)
                 for (kind, value), shared in sorted(keys[root].items()) if len(shared) > 1]
        found.append(FoundRing(nodes=sorted(n for n in nodes[root] if n in info), reasons=reasons, links=links,
                               people=len(components[root])))
    return Found(rings=found, info=info, components=len(components), hubs=len(hubs))


def _masked(kind: str, value: str) -> str:
    from fund.audit.masking import mask_bank_card, mask_phone

    return mask_bank_card(value) if kind in ("card", "seller") else mask_phone(value) if kind == "phone" else value


# ------------------------------------------------------------------ runs


def link_graph_run_create(*, actor: Any, business_date: date, trigger: str = RunTrigger.MANUAL) -> LinkGraphRun:
    """A queued run; the caller queues its task on commit (views) or runs it at once (the close)."""
    return LinkGraphRun.objects.create(trigger=trigger, business_date=business_date, requested_by=actor)


def _progress(run: LinkGraphRun, stage: str, percent: int) -> None:
    run.stage, run.percent = stage, percent
    LinkGraphRun.objects.filter(pk=run.pk).update(stage=stage, percent=percent)


def link_graph_run(run: LinkGraphRun) -> LinkGraphRun:
    """Compute the graph and store its rings. Outside any transaction: progress is committed as it goes, and
    the rings are written in one transaction at the end, so a failed run leaves the previous rings as they
    were. A second run while one is going waits for it (an advisory lock), then computes afresh."""
    if run.state != RunState.QUEUED:
        return run
    move_status(run, RunState.RUNNING, table=RUN_MOVES, actor=run.requested_by, action="risk.rings.run_started",
                started_at=timezone.now())
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [_LOCK])
        try:
            _compute(run)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_LOCK])
    except Exception as exc:
        logger.exception("link graph run %s failed", run.pk)
        run.refresh_from_db()
        move_status(run, RunState.FAILED, table=RUN_MOVES, actor=run.requested_by, action="risk.rings.run_failed",
                    error=str(exc)[:500], finished_at=timezone.now())
        raise
    return run


def _compute(run: LinkGraphRun) -> None:
    on = run.business_date
    cap = int(policy_value("risk_link_hub_people", on=on))
    min_people = int(policy_value("risk_ring_people", on=on))
    _progress(run, "提取申请关联标识", 10)
    with transaction.atomic(), connection.cursor() as cursor:
        # Enough memory for the grouping to hash rather than sort on disk; local to this transaction.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(shared_keys_sql())
        rows = cursor.fetchall()
        cursor.execute("SELECT (SELECT count(*) FROM withdrawals_withdrawal WHERE standing_id IS NULL)"
                       " + (SELECT count(*) FROM loans_loanapplication)")
        run.applications = cursor.fetchone()[0]
    _progress(run, "计算关联群组", 50)
    result = rings_find(rows, min_people=min_people, cap=cap)
    found, info, hubs = result.rings, result.info, result.hubs
    run.shared_keys, run.hub_keys, run.components = len(rows) - hubs, hubs, result.components
    _progress(run, "保存疑似团伙", 80)
    with transaction.atomic():
        new, closed = _store(run, found, info)
        run.rings, run.rings_new, run.rings_closed = len(found), new, closed
        move_status(run, RunState.DONE, table=RUN_MOVES, actor=run.requested_by, action="risk.rings.run_done",
                    finished_at=timezone.now(), stage="完成", percent=100, applications=run.applications,
                    shared_keys=run.shared_keys, hub_keys=hubs, components=run.components, rings=run.rings,
                    rings_new=new, rings_closed=closed)


def _digest(ring: FoundRing) -> str:
    """What the ring's page shows, hashed: a ring found again unchanged is not rewritten."""
    body = json.dumps([ring.nodes, ring.reasons, ring.links], sort_keys=True, ensure_ascii=False)
    return hashlib.sha1(body.encode()).hexdigest()


def _match(found: list[FoundRing], stored: list[Ring]) -> list[tuple[FoundRing, Ring | None]]:
    """Each found ring's stored ring: the same members first (open or closed), then the open ring it shares
    most members with (at least half of that ring's members), each stored ring used once; None: a new ring."""
    by_fingerprint = {ring.fingerprint: ring for ring in stored}
    open_ids = {ring.pk: ring for ring in stored if ring.state == RingState.OPEN}
    taken: set[int] = set()
    pairs: list[tuple[FoundRing, Ring | None]] = []
    unmatched: list[FoundRing] = []
    for ring in found:
        match = by_fingerprint.get(ring.fingerprint)
        if match is not None and match.pk not in taken:
            taken.add(match.pk)
            pairs.append((ring, match))
        else:
            unmatched.append(ring)
    if not unmatched:
        return pairs
    ring_of: dict[int, int] = {}
    size: dict[int, int] = defaultdict(int)
    for ring_id, kind, app_id in RingMember.objects.filter(ring_id__in=list(open_ids)).values_list(
            "ring_id", "app_kind", "app_id").iterator(chunk_size=10_000):
        ring_of[app_id * 2 + (1 if kind == AppKind.LOAN else 0)] = ring_id
        size[ring_id] += 1
    for ring in unmatched:
        overlap: dict[int, int] = defaultdict(int)
        for node in ring.nodes:
            if node in ring_of:
                overlap[ring_of[node]] += 1
        best = max((rid for rid, shared in overlap.items() if rid not in taken and shared * 2 >= size[rid]),
                   key=lambda rid: (overlap[rid], -rid), default=None)
        if best is not None:
            taken.add(best)
        pairs.append((ring, open_ids.get(best) if best is not None else None))
    return pairs


def _store(run: LinkGraphRun, found: list[FoundRing], info: dict[int, _Node]) -> tuple[int, int]:
    """Store the run's rings set-based: new rings created, changed ones rewritten, unchanged ones only
    stamped with the run; open rings matched by nothing close (each with its status history)."""
    stored = list(Ring.objects.select_for_update().order_by("id"))
    pairs = _match(found, stored)
    now = timezone.now()
    creates: list[Ring] = []
    rewrite: list[tuple[FoundRing, Ring]] = []
    seen: list[int] = []
    for ring, row in pairs:
        digest = _digest(ring)
        if row is None:
            row = Ring(first_run=run, last_run=run, fingerprint=ring.fingerprint, digest=digest,
                       reasons=ring.reasons, applications=len(ring.nodes), people=ring.people)
            creates.append(row)
            rewrite.append((ring, row))
            continue
        seen.append(row.pk)
        if row.state == RingState.CLOSED:
            move_status(row, RingState.OPEN, table=RING_MOVES, action="risk.ring.reopened", closed_at=None,
                        actor=run.requested_by, reason="关联图谱再次发现")
        if row.digest != digest:
            row.fingerprint, row.digest, row.reasons = ring.fingerprint, digest, ring.reasons
            row.applications, row.people = len(ring.nodes), ring.people
            rewrite.append((ring, row))
    Ring.objects.bulk_create(creates, batch_size=2000)
    Ring.objects.filter(pk__in=seen).update(last_run=run)
    changed = [row for _, row in rewrite if row.pk not in {c.pk for c in creates}]
    Ring.objects.bulk_update(changed, ["fingerprint", "digest", "reasons", "applications", "people"], batch_size=2000)
    RingMember.objects.filter(ring__in=[row.pk for row in changed]).delete()
    RingLink.objects.filter(ring__in=[row.pk for row in changed]).delete()
    RingMember.objects.bulk_create((
        RingMember(ring=row, app_kind=info[n].kind, app_id=info[n].app_id, number=info[n].number,
                   person_id=info[n].person_id, branch_id=info[n].branch_id, state=info[n].state,
                   submitted_at=info[n].submitted_at)
        for ring, row in rewrite for n in ring.nodes), batch_size=5000)
    RingLink.objects.bulk_create((
        RingLink(ring=row, kind=kind, value=value[:240], members=[node_ref(n) for n in nodes], links=links)
        for ring, row in rewrite for kind, value, nodes, links in ring.links), batch_size=5000)
    kept = set(seen)
    closed = 0
    for row in stored:
        if row.state == RingState.OPEN and row.pk not in kept:
            move_status(row, RingState.CLOSED, table=RING_MOVES, action="risk.ring.closed", closed_at=now,
                        actor=run.requested_by, reason="关联图谱未再发现")
            closed += 1
    return len(creates), closed


def link_graph_run_request(*, actor: Any) -> LinkGraphRun:
    """风控 asks for a run now (the 立即计算 button): queued for a worker after commit. A run already queued or
    going is returned instead of a second one."""
    from django.core.exceptions import PermissionDenied

    from fund.close.selectors import business_date_current

    from ..selectors.rings import link_graph_can_run

    if not link_graph_can_run(actor):
        raise PermissionDenied("只有全中心范围的风控岗可以立即计算关联图谱")
    with transaction.atomic():
        # Two clicks at once queue one run: they queue in turn on this lock, and the second finds the first.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK + 1])
        live = LinkGraphRun.objects.filter(state__in=(RunState.QUEUED, RunState.RUNNING)).first()
        if live is not None:
            return live
        run = link_graph_run_create(actor=actor, business_date=business_date_current())
        from ..tasks.rings import link_graph_run_task

        transaction.on_commit(lambda: link_graph_run_task.delay(run.pk), robust=True)
    return run


def link_graph_run_by_id(run_id: int) -> LinkGraphRun | None:
    """The worker's entry: run a queued run; restart one a lost worker left going."""
    run = LinkGraphRun.objects.filter(pk=run_id).first()
    if run is None or run.state in (RunState.DONE, RunState.FAILED):
        return run
    if run.state == RunState.RUNNING:
        LinkGraphRun.objects.filter(pk=run.pk, state=RunState.RUNNING).update(state=RunState.QUEUED)
        run.state = RunState.QUEUED
    return link_graph_run(run)


def link_graph_step(business_date: date) -> dict[str, int]:
    """Close step 150 `risk.link_graph`: one run per business date (a resumed close finds the done run)."""
    run = (LinkGraphRun.objects.filter(trigger=RunTrigger.CLOSE, business_date=business_date)
           .exclude(state=RunState.FAILED).first())
    if run is None:
        run = link_graph_run_create(actor=None, business_date=business_date, trigger=RunTrigger.CLOSE)
    # A run the interrupted close left going starts again from the beginning (the work is a pure rebuild).
    run = link_graph_run_by_id(run.pk) or run
    return {"rings": run.rings, "new": run.rings_new, "closed": run.rings_closed, "applications": run.applications}


def ring_note_set(*, actor: Any, ring: Ring, note: str) -> Ring:
    """Staff's note on a ring (what was checked, what was found); kept across runs."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from fund.audit.services import audit_log

    from ..selectors.rings import ring_may_note

    if not ring_may_note(actor):
        raise PermissionDenied("只有风控岗或分管领导可以填写核查备注")
    note = (note or "").strip()
    if len(note) > 2000:
        raise ValidationError({"note": ["核查备注不能超过 2000 字"]})
    with transaction.atomic():
        locked = Ring.objects.select_for_update().get(pk=ring.pk)
        old = locked.note
        locked.note = note
        locked.save(update_fields=["note"])
        audit_log(actor=actor, action="risk.ring.noted", target=locked, old={"note": old}, new={"note": note})
    return locked
