"""The tickets' forms and the ledger's filter (page and API). They parse input only; fund.tickets.services decides."""

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from fund.people.models import Branch, User

from .models import Category, Channel, Satisfaction, Ticket, TicketState

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
CONTENT = forms.Textarea(attrs={"rows": 5})


class TicketStaffForm(forms.Form):
    channel = forms.ChoiceField(label="来源", choices=[(c, Channel(c).label) for c in (Channel.HOTLINE, Channel.LETTER)])
    category = forms.ChoiceField(label="类别", choices=Category.choices)
    name = forms.CharField(label="诉求人", max_length=60)
    phone = forms.CharField(label="联系电话", max_length=30, required=False, help_text="热线工单必填；手机号码可收到答复短信和评价链接")
    subject = forms.CharField(label="标题", max_length=60)
    content = forms.CharField(label="诉求内容", max_length=2000, widget=CONTENT)


class TicketOnlineForm(forms.Form):
    """The member's, unit's and public form: no channel (the portal says it)."""

    category = forms.ChoiceField(label="类别", choices=Category.choices)
    subject = forms.CharField(label="标题", max_length=60)
    content = forms.CharField(label="诉求内容", max_length=2000, widget=CONTENT)
    name = forms.CharField(label="姓名", max_length=60)
    phone = forms.CharField(label="手机号码", max_length=30, help_text="答复以短信告知，并附评价链接")


class TicketAssignForm(forms.Form):
    responsible = forms.ModelChoiceField(label="责任人", queryset=User.objects.none(), empty_label="请选择责任人")

    def __init__(self, *args: Any, choices: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["responsible"]
        field.queryset = choices  # type: ignore[attr-defined]
        field.label_from_instance = lambda u: f"{u.staff_profile.branch.name} · {u}"  # type: ignore[attr-defined]


class TicketReplyForm(forms.Form):
    reply = forms.CharField(label="答复内容", max_length=2000, widget=CONTENT)


class TicketRateForm(forms.Form):
    satisfaction = forms.ChoiceField(label="满意度", choices=Satisfaction.choices, widget=forms.RadioSelect)


class TicketCallbackForm(TicketRateForm):
    note = forms.CharField(label="回访记录", max_length=200, help_text="回访时间、方式与诉求人意见")


class TicketCloseForm(forms.Form):
    note = forms.CharField(label="办结说明", max_length=200, help_text="如：三次回访未接通")


class TicketRatesForm(forms.Form):
    start = forms.DateField(label="登记日期自", required=False, widget=DATE)
    end = forms.DateField(label="至", required=False, widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "结束日期不能早于开始日期")
        if start and end and (end - start).days > 366 * 3:
            self.add_error("end", "统计区间不能超过三年")
        return data


class TicketFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label="状态", choices=TicketState.choices, empty_label="全部状态")
    category = django_filters.ChoiceFilter(label="类别", choices=Category.choices, empty_label="全部类别")
    channel = django_filters.ChoiceFilter(label="来源", choices=Channel.choices, empty_label="全部来源")
    branch = django_filters.ModelChoiceFilter(label="责任管理部", queryset=Branch.objects.all(), empty_label="全部管理部")
    registered_from = django_filters.DateFilter(label="登记日期自", field_name="registered_on", lookup_expr="gte",
                                                widget=DATE)
    registered_to = django_filters.DateFilter(label="至", field_name="registered_on", lookup_expr="lte", widget=DATE)
    due = django_filters.ChoiceFilter(label="期限", method="by_due", empty_label="全部",
                                      choices=[("overdue", "已超期未答复"), ("late", "超期答复"), ("mine", "我负责的待答复")])
    q = django_filters.CharFilter(label="工单编号、诉求人、电话或标题", max_length=60, method="search")

    class Meta:
        model = Ticket
        fields = ["state", "category", "channel", "branch", "registered_from", "registered_to", "due", "q"]

    def by_due(self, queryset: QuerySet[Ticket], name: str, value: Any) -> QuerySet[Ticket]:
        open_ = Q(state__in=[TicketState.REGISTERED, TicketState.ASSIGNED])
        if value == "overdue":
            return queryset.filter(open_, due_on__lt=timezone.localdate())
        if value == "late":
            from django.db.models import F

            return queryset.filter(first_replied_on__gt=F("first_due_on"))
        user = getattr(self.request, "user", None)
        return queryset.filter(responsible=user, state=TicketState.ASSIGNED) if user else queryset.none()

    def search(self, queryset: QuerySet[Ticket], name: str, value: Any) -> QuerySet[Ticket]:
        q = value.strip()
        if not q:
            return queryset
        return queryset.filter(Q(number=q.upper()) | Q(name__icontains=q) | Q(phone=q) | Q(subject__icontains=q))
