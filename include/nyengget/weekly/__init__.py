"""The weekly stage: matches per week, the `nyengget_weekly` list, review decisions."""
