"""Routes of the loans line; fund/urls.py mounts each list in its portal (one module of views per topic adds its
patterns to these lists)."""

from django.urls import URLPattern, URLResolver

from .apis import applications as application_apis
from .apis import disbursement as disbursement_apis
from .apis import loans as loan_apis
from .apis import prepayment as prepayment_apis
from .apis import projects as project_apis
from .apis import quota as quota_apis
from .apis import repayment as repayment_apis
from .apis import signing as signing_apis
from .apis import timing as timing_apis
from .views import applications as application_views
from .views import channels, disbursement, estimate, projects, signing, timing
from .views import loan as loan_views
from .views import prepayment as prepayment_views
from .views import repayment as repayment_views
from .views import yearly as yearly_views

Patterns = list[URLPattern | URLResolver]

public_patterns: Patterns = [*estimate.public_patterns, *projects.public_patterns]
staff_patterns: Patterns = [
    *application_views.staff_patterns, *signing.staff_patterns, *disbursement.staff_patterns,
    *projects.staff_patterns, *timing.staff_patterns, *channels.staff_patterns,
    *yearly_views.staff_patterns, *repayment_views.staff_patterns, *loan_views.staff_patterns,
    *prepayment_views.staff_patterns,
]
member_patterns: Patterns = [*estimate.member_patterns, *loan_views.member_patterns, *channels.member_patterns,
                             *repayment_views.member_patterns, *prepayment_views.member_patterns]
developer_patterns: Patterns = [*projects.developer_patterns, *estimate.developer_patterns, *channels.developer_patterns]
bank_patterns: Patterns = [*channels.bank_patterns]
api_patterns: Patterns = [
    *quota_apis.api_patterns, *application_apis.api_patterns, *signing_apis.api_patterns,
    *disbursement_apis.api_patterns, *project_apis.api_patterns, *timing_apis.api_patterns,
    *repayment_apis.api_patterns, *loan_apis.api_patterns, *prepayment_apis.api_patterns,
]
