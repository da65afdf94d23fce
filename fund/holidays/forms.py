"""The entry form of a year's holiday schedule. It parses input only; fund.holidays.services decides."""

from django import forms

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
LINES_HELP = ("每行一个节日：名称 开始日期 至 结束日期 调休上班 日期 日期……，日期可写 2027-02-06、02-06 或 2月6日。"
              "放假期间的周末也在起止日期内；调休上班只填周六、周日。例：春节 2027-02-05 至 2027-02-13 调休上班 2027-02-14")


class HolidayScheduleForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    effective_from = forms.DateField(label="启用日期", required=False, widget=DATE, help_text="不填为今天；须不早于今天")
    notice = forms.CharField(label="通知文号", max_length=60, required=False, help_text="如：国办发明电〔2026〕7号")
    note = forms.CharField(label="说明", max_length=200, required=False, help_text="更正上一版本的，写明更正原因")
    lines = forms.CharField(label="放假安排", max_length=2000, help_text=LINES_HELP,
                            widget=forms.Textarea(attrs={"rows": 8}))
