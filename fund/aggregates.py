"""SQL aggregates Django lacks, one of each: the median (PostgreSQL's percentile_cont) of a value or of an
interval in seconds. Used by the loans' handling times, the window assessment and whoever needs a median next."""

from django.db.models import Aggregate, FloatField


class Median(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class MedianSeconds(Median):
    """The median of an interval, in seconds."""

    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM %(expressions)s))"
