"""窗口考核."""
from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "fund.assessment"
    label = "assessment"
    verbose_name = "窗口考核"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate
        from django.utils.translation import gettext_lazy as _

        from fund.audit.actions import register_actions, register_audit_keys
        from fund.portals.nav import SERVICES, register_nav

        register_actions({"assessment": "窗口考核", "assessment.weights.set": "调整考核权重"})
        register_audit_keys({"base_score": "基础分", "weights": "各项分值"})
        register_nav("staff", _("窗口考核"), "staff:assessment", order=297, group=SERVICES, icon="sliders")
        post_migrate.connect(_default_weights, dispatch_uid="fund.assessment.default_weights")


def _default_weights(sender: object, **kwargs: object) -> None:
    """After migrate (and a test flush, which empties every table): the default weights if none are there."""
    if getattr(sender, "label", "") != "assessment":
        return
    from .services import default_weights_seed

    default_weights_seed()
