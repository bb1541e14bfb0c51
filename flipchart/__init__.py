"""Flipchart: a school team's audit of adaptive teaching practice, and its meeting."""
