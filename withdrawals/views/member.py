member_patterns: list = []
