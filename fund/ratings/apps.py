"""好差评."""
from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "fund.ratings"
    label = "ratings"
    verbose_name = "好差评"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from fund.audit.actions import register_actions, register_audit_keys, register_audit_values
        from fund.portals.nav import SERVICES, register_nav
        from fund.tracking.services import register_step_listener

        from .models import FollowUpOutcome, FollowUpState, RatingChannel
        from .services import rating_step_listener

        register_step_listener(rating_step_listener)
        register_actions({"ratings": "好差评", "ratings.rated": "办件评价", "ratings.follow_up": "差评整改",
                          "ratings.follow_up.opened": "生成差评整改", "ratings.follow_up.assigned": "分派差评整改",
                          "ratings.follow_up.closed": "差评整改办结"})
        register_audit_keys({"stars": "评价星级", "rating_channel": "评价方式", "rating_comment": "评价内容",
                             "follow_up_due": "整改时限", "assignee": "整改责任人", "follow_up_outcome": "整改结果",
                             "follow_up_note": "整改情况"})
        register_audit_values("rating_channel", RatingChannel)
        register_audit_values("follow_up_outcome", FollowUpOutcome)
        register_audit_values("state", FollowUpState, prefix="ratings.follow_up")
        register_nav("staff", _("好差评"), "staff:ratings", order=295, group=SERVICES, icon="users")
        register_nav("member", _("待评价"), "member:ratings_pending", order=540, icon="check", group=SERVICES)
        register_nav("unit", _("待评价"), "unit:ratings_pending", order=540, icon="check", group=SERVICES)
