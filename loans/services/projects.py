"""PLACEHOLDER for L2: `project_lendable(project)`, the smallest honest version (the merger keeps L2's)."""

from __future__ import annotations

from loans.models import Project, ProjectState


def project_lendable(project: Project) -> str | None:
    """None when an off-plan loan may be made in `project`, else the reason in Chinese."""
    if project.state != ProjectState.ADMITTED:
        return f"楼盘“{project.name}”{project.get_state_display()}，未通过住房公积金贷款准入，不能申请期房贷款"
    return None
