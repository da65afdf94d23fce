from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "fund.people"
    verbose_name = "人员与角色"
    label = "people"

    def ready(self) -> None:
        from fund import checks  # noqa: F401 — registers the project's system checks
        from fund.audit.actions import register_actions, register_audit_values

        from .models import Post

        register_actions({
            "people": "人员与账号", "people.staff.created": "新建工作人员账号", "people.operator.created": "新建经办人账号",
            "people.operator.bound": "绑定经办人", "people.member_login.created": "开通个人网厅登录",
            "people.password.reset": "重置密码", "people.person.branch_changed": "变更归属管理部",
            "people.api_token.issued": "签发接口令牌", "people.api_token.evicted": "淘汰旧接口令牌",
            "people.api_token.revoked": "吊销接口令牌",
        })
        register_audit_values("posts", Post)
        register_audit_values("via", {"sms": "短信验证码"})
        register_audit_values("perm", {"people.act_for_employer": "代单位办理业务",
                                       "people.act_for_developer": "代开发企业办理业务"})

        from fund.audit.schedules import register_task_names

        register_task_names({"people.prune_sign_in_records": "清理过期的登录记录", "people.send_sms_many": "批量发送短信"})
