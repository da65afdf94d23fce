"""催建 pages: employers paying social insurance in the city with no unit account (应建未建单位), their Excel
export, and recording a notice sent to one of them. The 催缴 list (units behind on remittance) is in
views/statements.py; both pages share the tabs in deposits/arrears/_tabs.html.

The employers have no account and so no branch: every staff member sees the whole list; recording a
notice is window business (受理 or a director).
"""

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from fund.exports import export_name, xlsx_response
from fund.portals.decorators import accept_post_required, portal_required
from fund.views import form_submit

from ..models import OpeningNotice, OpeningNoticeChannel
from ..selectors.arrears import unopened_unit_get, unopened_units_list
from ..services.arrears import opening_notice_record, unopened_units_workbook


class OpeningNoticeForm(forms.Form):
    channel = forms.ChoiceField(label="通知方式", choices=OpeningNoticeChannel.choices)
    contact = forms.CharField(label="联系人/电话", max_length=60, required=False)
    note = forms.CharField(label="说明", max_length=200, required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="如：已告知须在30日内办理住房公积金单位开户")


@portal_required("staff")
def staff_unopened_units(request: HttpRequest) -> HttpResponse:
    on = timezone.localdate()
    query = request.GET.get("q", "").strip()
    rows = unopened_units_list(on=on, query=query)
    totals = {
        "units": len(rows),
        "insured": sum(r.insured for r in rows),
        "noticed": sum(1 for r in rows if r.notices),
    }
    worst = max((r.insured for r in rows), default=0)
    chart = [
        {"label": r.name, "value": r.insured, "percent": round(100 * r.insured / worst)} for r in rows[:10]
    ]
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(
        request, "deposits/arrears/unopened.html",
        {"page_obj": page, "totals": totals, "chart": chart, "on": on, "q": query,
         "can_notice": request.roles.can_accept},
    )


@portal_required("staff")
def staff_unopened_units_export(request: HttpRequest) -> HttpResponse:
    on = timezone.localdate()
    rows = unopened_units_list(on=on, query=request.GET.get("q", ""))
    return xlsx_response(unopened_units_workbook(rows=rows, on=on), export_name("应建未建单位", on))


@portal_required("staff")
@accept_post_required
def staff_unopened_notice(request: HttpRequest, credit_code: str) -> HttpResponse:
    on = timezone.localdate()
    row = unopened_unit_get(credit_code=credit_code, on=on)
    if row is None:
        raise Http404("该单位不在应建未建单位名单中")
    form = OpeningNoticeForm(request.POST or None)
    if response := form_submit(
        request, form, lambda data: opening_notice_record(actor=request.user, credit_code=row.credit_code, on=on, **data),
        done=f"已记录对“{row.name}”的催建通知。", then="staff:arrears_unopened",
    ):
        return response
    notices = OpeningNotice.objects.filter(credit_code=row.credit_code).select_related("sent_by")[:20]
    return render(
        request, "deposits/arrears/notice.html", {"row": row, "form": form, "notices": notices},
        status=400 if form.errors else 200,
    )


staff_patterns = [
    path("arrears/unopened/", staff_unopened_units, name="arrears_unopened"),
    path("arrears/unopened/export/", staff_unopened_units_export, name="arrears_unopened_export"),
    path("arrears/unopened/<str:credit_code>/notice/", staff_unopened_notice, name="arrears_unopened_notice"),
]
