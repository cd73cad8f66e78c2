"""Services: each change to the domain as one transaction, with its outbox and audit rows.

They know storage and the views (messages/, for the notices they queue), never Telegram or
the handlers; bot/context.py builds them, the handlers call them.
"""
