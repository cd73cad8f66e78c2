"""„🗺 Karte“ (/karte, /map): a picture of NRW with the 16 regions and their number of ideas,
and the regions as buttons below it, numbered as on the picture.

The picture is drawn with Pillow (bot.map_picture, in a thread: ~15–30 ms of CPU that would
otherwise hold up every other update) and uploaded once; Telegram's file_id is then re-sent
until the counts change (BotData.map_photos). A region's button opens its page below the
picture (handlers.common.show sends views of a picture's buttons as new messages).
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.error import BadRequest

from bot.context import App, Context
from bot.map_picture import load_layout, render_map
from handlers.buttons import on_tap
from handlers.common import answer, language_of, private_command, send_picture
from messages import actions as cb
from messages.catalog import t
from messages.content import region_name
from messages.keyboards import Button, keyboard, menu_row
from messages.regions import map_button, map_caption
from messages.render import label

logger = logging.getLogger(__name__)

PER_ROW = 2  # region buttons in a row


async def map_command(update: Update, context: Context) -> None:
    """/karte: the map."""
    await send_map(update, context, await language_of(update, context))


async def send_map(update: Update, context: Context, language: str) -> None:
    """The map picture with a button per region (by Telegram's file_id where it has it)."""
    data = context.bot_data
    regions = {r.slug: r for r in await data.regions.list_with_counts()}
    placed = [(spot, regions[spot.slug]) for spot in load_layout().regions if spot.slug in regions]
    counts = tuple(region.idea_count for _, region in placed)
    buttons: list[Button] = [
        (
            map_button(
                language,
                spot.number,
                region_name(language, region.name, region.name_en),
                region.idea_count,
            ),
            cb.RegionIdeas(region.id, 0),
        )
        for spot, region in placed
    ]
    rows = [buttons[i : i + PER_ROW] for i in range(0, len(buttons), PER_ROW)]
    rows += [[(label(language, "map.button.list"), cb.RegionList())], menu_row(language)]
    markup = keyboard(rows)
    without = await data.ideas.count_without_region()
    caption = map_caption(language, sum(counts), sum(1 for c in counts if c), without)
    cached = data.map_photos.get(language)
    if cached is not None and cached[0] == counts:
        try:
            await send_picture(update, cached[1], caption, markup)
            return
        except BadRequest as exc:  # Telegram no longer knows the file: upload it again
            logger.warning("The map's file_id was refused (%s); uploading it again", exc.message)
    png = await asyncio.to_thread(
        render_map,
        {spot.slug: region.idea_count for spot, region in placed},
        title=t(language, "map.title"),
        legend=t(language, "map.legend"),
    )
    file_id = await send_picture(update, png, caption, markup, "ideenlandkarte.png")
    if file_id is not None:
        data.map_photos[language] = (counts, file_id)


async def on_button(update: Update, context: Context, _action: cb.ShowMap) -> None:
    """„🗺 Karte“: the map as a new message (a text cannot become a picture)."""
    language = await language_of(update, context)
    await answer(update)
    await send_map(update, context, language)


def register(app: App) -> None:
    """/karte and the map button."""
    app.add_handler(private_command(["karte", "map"], map_command))
    app.add_handler(on_tap(on_button))
