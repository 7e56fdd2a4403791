"""Emails: rendering (Jinja2, autoescaped), the exactly-once outbox, and delivery (SMTP or .eml files)."""
