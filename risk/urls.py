"""Routes of this app; fund/urls.py mounts each list in its portal."""

staff_patterns: list = []
public_patterns: list = []
api_patterns: list = []
