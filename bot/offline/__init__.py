"""Telegram without Telegram: what tests, benchmarks and `ideenlabor chat` run the bot on.

Nothing here runs in production. `fake_api` is an in-process Bot API (PTB's BaseRequest),
`fake_user` drives the application like a person, `playground*` is `ideenlabor chat`, and
`telegram_rules` holds Telegram's rules (limits, error descriptions, markup and HTML checks)
that both the in-process fake and the HTTP emulator (`tests/botapi_server.py`) enforce.
"""
