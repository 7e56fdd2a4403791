"""Source adapters: each module has `collect(ctx) -> Parsed` and names the real pages it follows."""
