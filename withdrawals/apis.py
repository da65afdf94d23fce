api_patterns: list = []
