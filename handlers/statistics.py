"""/statistik (alias /statistics): usage numbers and a chart per region, for admins only."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot.context import App, Context
from bot.stats import COMMENTS_COLOUR, INTEREST_COLOUR, Series, render_bars
from handlers.common import admin_of, private_command, reply
from messages.catalog import t
from messages.statistics import chart_caption, has_chart, statistics_text
from storage.stats import StatsRepository


async def statistics_command(update: Update, context: Context) -> None:
    """Send the numbers, then the chart as a photo."""
    found = await admin_of(update, context)
    chat = update.effective_chat
    if found is None or chat is None:
        return
    language, _ = found
    data = context.bot_data
    stats = await StatsRepository(data.db).collect(data.clock())
    await reply(update, statistics_text(language, stats, data.settings.tz))
    if not has_chart(stats):
        return  # the text says what the chart will show
    series = [
        Series(
            t(language, "stats.chart_comments"),
            COMMENTS_COLOUR,
            [r.comments for r in stats.regions],
        ),
        Series(
            t(language, "stats.chart_interest"),
            INTEREST_COLOUR,
            [r.interest for r in stats.regions],
        ),
    ]
    png = await asyncio.to_thread(
        render_bars, t(language, "stats.chart_title"), [r.name for r in stats.regions], series
    )
    await context.bot.send_photo(
        chat.id, png, caption=chart_caption(language, stats, data.settings.tz)
    )


def register(app: App) -> None:
    """The admin command."""
    app.add_handler(private_command(["statistik", "statistics"], statistics_command))
