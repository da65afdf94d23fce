"""The risk line's API, one module per topic (urls.py imports each)."""
