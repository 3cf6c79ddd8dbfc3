"""Story consumption: the Telegram application, subscriptions, matching, fan-out and delivery."""
