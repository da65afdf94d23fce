"""Routes of this app; fund/urls.py mounts each list in its portal."""

from .apis import api_patterns
from .views.member import member_patterns
from .views.staff import staff_patterns

__all__ = ["api_patterns", "member_patterns", "staff_patterns"]
