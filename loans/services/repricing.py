"""The yearly schedule and re-pricing on 1 January. PLACEHOLDER for H5."""


def repricing_run(year: int) -> dict[str, int]:
    """Store every active loan's instalments of `year`, re-pricing where the rate changed. PLACEHOLDER for H5."""
    return {}
