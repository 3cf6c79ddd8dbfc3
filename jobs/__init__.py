"""Story production: sources, fetching, parsing, normalizing, dedupe, classification, publishing.

Nothing here knows about Telegram; `bot` consumes what this package writes to Redis.
"""
