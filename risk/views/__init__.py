"""Pages of the risk line, one module per topic (urls.py imports each)."""
