"""Projects (楼盘) and their admission. PLACEHOLDER for L2, who owns this module: only the agreed
`project_lendable` so that the eligibility rules can call it; L2's version replaces this file."""

from __future__ import annotations

from ..models import Project, ProjectState


def project_lendable(project: Project) -> str | None:
    """None when an off-plan loan may be made in `project`, else the reason in Chinese."""
    if project.state == ProjectState.ADMITTED:
        return None
    return f"楼盘“{project.name}”{project.get_state_display()}，不能办理期房贷款"
