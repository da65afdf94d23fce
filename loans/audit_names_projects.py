"""The Chinese names of the audit codes written by developer registration and project admission."""

from fund.audit.actions import register_actions, register_audit_keys, register_audit_values


def register_project_audit_names() -> None:
    from .models import ConstructionState, InspectionResult, ProjectState, RegistrationState

    register_actions({
        "loans": "贷款",
        "loans.developer_registration.submitted": "提交开发企业注册申请",
        "loans.developer_registration.approved": "开发企业注册通过",
        "loans.developer_registration.refused": "开发企业注册未通过",
        "loans.developer.registered": "登记开发企业",
        "loans.project.registered": "登记楼盘", "loans.project.building_added": "登记楼栋",
        "loans.project.inspected": "楼盘实地查验", "loans.project.admitted": "楼盘准入",
        "loans.project.refused": "楼盘不予准入", "loans.project.suspended": "暂停楼盘准入",
        "loans.project.resumed": "恢复楼盘准入", "loans.project.construction_changed": "变更楼盘建设状态",
    })
    register_audit_values("state", ProjectState, prefix="loans.project")
    register_audit_values("state", RegistrationState, prefix="loans.developer_registration")
    register_audit_values("construction", ConstructionState, prefix="loans.project")
    register_audit_values("result", InspectionResult, prefix="loans.project")
    register_audit_keys({
        "state_reason": "原因", "buildings": "楼栋数", "inspected_on": "查验日期", "inspector": "查验人",
        "result": "查验结论", "construction": "建设状态", "floors": "层数", "homes": "套数", "number": "编号",
        "opinion": "审核意见", "developer": "开发企业", "operator": "经办人", "credit_code": "统一社会信用代码",
        "username": "登录用户名", "name": "名称",
    })
