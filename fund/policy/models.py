"""Policy values with effective dates (the standard's 政策信息 table, one row per value and date).

A row is never edited or deleted: a change is a new row from a future date. A row scheduled for the future
by mistake is withdrawn (withdrawn_at set, once, while it is not yet in force) and the selector ignores it;
uniqueness of (name, effective_from) holds among rows that are not withdrawn, so the corrected value can
then be scheduled for the same date. The database enforces all of this (see migration 0002).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .definitions import BY_NAME, PolicyDefinition, PolicyScalar


class PolicyValue(models.Model):
    name = models.CharField("政策项", max_length=64, db_index=True)
    # Numbers (decimal and integer kinds) in `number`, choice kinds in `text`; percentages as fractions.
    number = models.DecimalField("数值", max_digits=20, decimal_places=6, null=True, blank=True)
    text = models.CharField("选项值", max_length=32, blank=True)
    effective_from = models.DateField("生效日期")
    note = models.CharField("依据", max_length=200, help_text="政策文件文号或调整原因")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="设置人", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("设置时间", auto_now_add=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="撤回人", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    withdraw_reason = models.CharField("撤回原因", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "政策参数"
        ordering = ["name", "-effective_from", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "effective_from"],
                condition=Q(withdrawn_at__isnull=True),
                name="policy_value_one_live_row_per_date",
            ),
            models.CheckConstraint(
                condition=(Q(number__isnull=False) & Q(text="")) | (Q(number__isnull=True) & ~Q(text="")),
                name="policy_value_number_xor_text",
            ),
        ]
        indexes = [models.Index(fields=["name", "effective_from"], name="policy_value_lookup")]

    def __str__(self) -> str:
        definition = BY_NAME.get(self.name)
        label = definition.label if definition else self.name
        return f"{label} {self.effective_from:%Y-%m-%d}"

    @property
    def definition(self) -> PolicyDefinition | None:
        return BY_NAME.get(self.name)

    @property
    def typed_value(self) -> PolicyScalar:
        definition = BY_NAME[self.name]
        return definition.from_stored(self.number, self.text)

    @property
    def display(self) -> str:
        definition = BY_NAME.get(self.name)
        if definition is None:
            return str(self.number if self.number is not None else self.text)
        return definition.display(self.typed_value)
