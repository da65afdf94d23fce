"""The window assessment's weights (考核权重), with their history.

A `WeightSet` is the base score and one `Weight` per term (a built-in figure such as 超时环节 or a registered
source such as 稽核疑点), in force from a month: the set for a month is the latest from on or before it (the
newest row when two start the same month). Sets are never changed or deleted — the director makes a new one —
so every month's score can be explained by the weights it was computed with, and the history is the table.
The default set is data, written by this app's first migration.
"""

from django.conf import settings
from django.db import models


class WeightSet(models.Model):
    effective_from = models.DateField("生效月份", help_text="自该月起按此权重计分（月份第一天）")
    base = models.DecimalField("基础分", max_digits=6, decimal_places=2)
    note = models.CharField("调整说明", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="设置人", on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("设置时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "考核权重"
        ordering = ["-effective_from", "-id"]

    def __str__(self) -> str:
        return f"{self.effective_from:%Y-%m} 起的考核权重"


class Weight(models.Model):
    weight_set = models.ForeignKey(WeightSet, verbose_name="考核权重", on_delete=models.PROTECT, related_name="weights")
    term = models.CharField("考核项", max_length=40)
    per = models.DecimalField("每次分值", max_digits=6, decimal_places=2, help_text="每次加（正）或减（负）的分数")

    class Meta:
        verbose_name = verbose_name_plural = "考核项分值"
        ordering = ["weight_set", "id"]
        constraints = [models.UniqueConstraint(fields=["weight_set", "term"], name="assessment_weight_once")]

    def __str__(self) -> str:
        return f"{self.term} {self.per}"
