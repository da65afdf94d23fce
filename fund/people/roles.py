"""What a user may be: staff, a unit's operator, a member, a developer's operator, an auditor.

Roles are read, never stored as a flag: a StaffProfile makes staff, a linked Person with an account makes a
member, a guardian object permission on an Employer or Developer makes an operator.
"""

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import CharField, OuterRef, Value
from django.db.models.functions import Concat
from guardian.models import UserObjectPermission

from .models import Developer, Employer, EntrustedBank, Post, StaffProfile, User

GRANTS = ("act_for_employer", "act_for_developer", "act_for_bank")  # the object permissions that make a unit's or developer's operator


@dataclass
class Roles:
    user: Any
    staff: StaffProfile | None = None
    employers: list[Employer] = field(default_factory=list)
    developers: list[Developer] = field(default_factory=list)
    banks: list[EntrustedBank] = field(default_factory=list)

    @property
    def is_staff(self) -> bool:
        return self.staff is not None

    @property
    def is_member(self) -> bool:
        return self.user.person_id is not None

    @property
    def is_unit_operator(self) -> bool:
        return bool(self.employers)

    @property
    def is_developer(self) -> bool:
        return bool(self.developers)

    @property
    def is_bank_operator(self) -> bool:
        return bool(self.banks)

    @property
    def bank(self) -> EntrustedBank | None:
        return self.banks[0] if self.banks else None

    @property
    def is_auditor(self) -> bool:
        return bool(self.user.is_staff and (self.user.is_superuser or self.has_post(Post.AUDIT)))

    @property
    def employer(self) -> Employer | None:
        return self.employers[0] if self.employers else None

    @property
    def developer(self) -> Developer | None:
        return self.developers[0] if self.developers else None

    def has_post(self, post: str) -> bool:
        return self.staff is not None and post in self.staff.posts

    @property
    def can_accept(self) -> bool:
        """受理: open accounts and take business at the window. Other posts (初审, 审批, 财务, 稽核 …) read only.

        The one rule for window business: services and accept_post_required refuse on it, and templates show
        the links and buttons of that business only `{% if roles.can_accept %}` (the portal context processor
        puts `roles` in every page), so no post is offered what answers 403."""
        return self.has_post(Post.ACCEPT) or self.has_post(Post.DIRECTOR)

    @property
    def handles_payments(self) -> bool:
        """财务 (or the director): sees every outgoing payment and retries or hands it off (fund.payments)."""
        return self.has_post(Post.FINANCE) or self.has_post(Post.DIRECTOR)

    @cached_property
    def portals(self) -> list[tuple[str, str]]:
        """(url name, label) of each portal this user may enter, in the order they are offered."""
        out = []
        if self.is_staff:
            out.append(("staff:home", "综合窗口"))
        if self.is_unit_operator:
            out.append(("unit:home", "单位网厅"))
        if self.is_member:
            out.append(("member:home", "个人网厅"))
        if self.is_developer:
            out.append(("developer:home", "开发企业"))
        if self.is_auditor:
            # An auditor and nothing else starts in the read-only admin, where their work is.
            only_audit = self.staff is not None and set(self.staff.posts) == {Post.AUDIT}
            out.insert(0 if only_audit else len(out), ("admin:index", "稽核查询"))
        return out


def roles_of(user: Any) -> Roles:
    cached = getattr(user, "_fund_roles", None)
    if cached is not None:
        return cached
    if not user.is_authenticated:
        return Roles(user=user)
    # The staff profile and the operator grants (guardian's generic object permissions, as `assign_perm`
    # writes them) in one query: every request asks, and most users are members with neither.
    grants = (UserObjectPermission.objects.filter(user=OuterRef("pk"), permission__content_type__app_label="people",
                                                  permission__codename__in=GRANTS)
              .values(pair=Concat("permission__codename", Value(":"), "object_pk", output_field=CharField())))
    row = (User.objects.filter(pk=user.pk).select_related("staff_profile__branch")
           .annotate(grants=ArraySubquery(grants)).get())
    try:
        staff = row.staff_profile
    except StaffProfile.DoesNotExist:
        staff = None
    granted: dict[str, list[str]] = {codename: [] for codename in GRANTS}
    for pair in row.grants:
        codename, _, object_pk = pair.partition(":")
        granted[codename].append(object_pk)
    roles = Roles(
        user=user,
        staff=staff,
        employers=list(Employer.objects.filter(pk__in=granted["act_for_employer"]).order_by("pk"))
        if granted["act_for_employer"] else [],
        developers=list(Developer.objects.filter(pk__in=granted["act_for_developer"]).order_by("pk"))
        if granted["act_for_developer"] else [],
        banks=list(EntrustedBank.objects.filter(pk__in=granted["act_for_bank"]).order_by("pk"))
        if granted["act_for_bank"] else [],
    )
    user._fund_roles = roles
    return roles
