"""Find my region: a typed town, district or postcode leads to its region."""

from __future__ import annotations

import html

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.context import App, Context
from bot.places import FindResult
from handlers.buttons import on_tap
from handlers.common import answer, language_of, private_command, reply, show
from messages import actions as cb
from messages.catalog import Html, t
from messages.keyboards import Button, Keyboard, keyboard, menu_row
from messages.render import button_label, label, place_label
from storage.models import Place


async def find_command(update: Update, context: Context) -> None:
    """/region_finden: explain what to type."""
    language = await language_of(update, context)
    await reply(update, t(language, "find.prompt"), _fallback_keyboard(language))


async def on_button(update: Update, context: Context, _action: cb.FindRegion) -> None:
    """The "find my region" menu button."""
    language = await language_of(update, context)
    await answer(update)
    await show(update, t(language, "find.prompt"), _fallback_keyboard(language))


def _fallback_keyboard(language: str) -> Keyboard:
    return keyboard([[(label(language, "button.regions"), cb.RegionList())], menu_row(language)])


async def on_text(update: Update, context: Context) -> None:
    """Any typed text in a private chat is read as a place name or postcode."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    language = await language_of(update, context)
    result = context.bot_data.places.find(message.text)
    text, markup = await _answer_for(context, language, result, message.text)
    await reply(update, text, markup)


async def _region_names(context: Context, language: str) -> dict[int, str]:
    """Region id → name for an English reader, where it differs („Cologne Region“)."""
    if language != "en":
        return {}
    regions = await context.bot_data.regions.list_with_counts()
    return {r.id: r.name_en for r in regions if r.name_en}


async def _answer_for(
    context: Context, language: str, result: FindResult, query: str
) -> tuple[str, Keyboard]:
    names = await _region_names(context, language)
    if result.kind in ("exact", "postcode") and len(result.places) == 1:
        place = result.places[0]
        if result.kind == "postcode":
            text = t(
                language,
                "find.found_postcode",
                code=result.postcode,
                place=place.name,
                region=names.get(place.region_id, place.region_name),
            )
        else:
            text = t(
                language,
                "find.found",
                place=Html(place_label(language, place)),
                region=names.get(place.region_id, place.region_name),
            )
        button = await _region_button(context, language, place, names)
        return text, keyboard([button, menu_row(language)])
    if result.places:
        key = "find.found_many" if result.kind in ("exact", "postcode") else "find.suggest"
        query_text = result.postcode or query
        rows: list[list[Button]] = []
        place_names = [place.name for place in result.places]
        for place in result.places:
            # A button shows the whole label only where the name alone would not tell two
            # places apart; otherwise „Eslohe (Sauerland) (Hochsauerlandkreis) → …“ is cut.
            short = place_names.count(place.name) == 1 and place.kind != "locality"
            plain = html.escape(place.name) if short else place_label(language, place)
            rows.append(
                [
                    (
                        button_label(
                            f"{html.unescape(plain)} → "
                            f"{names.get(place.region_id, place.region_name)}"
                        ),
                        cb.RegionIdeas(place.region_id, 0),
                    )
                ]
            )
        rows.append(menu_row(language))
        return t(language, key, query=query_text), keyboard(rows)
    if result.kind == "unknown_postcode":
        return t(language, "find.postcode_unknown", code=result.postcode), _fallback_keyboard(
            language
        )
    if result.kind == "too_long":
        return t(language, "find.too_long"), _fallback_keyboard(language)
    return t(language, "find.nothing", query=query), _fallback_keyboard(language)


async def _region_button(
    context: Context, language: str, place: Place, names: dict[int, str]
) -> list[Button]:
    region = await context.bot_data.regions.get(place.region_id)
    count = region.idea_count if region else 0
    name = names.get(place.region_id, place.region_name)
    return [
        (
            label(language, "button.open_region", name=name, count=count),
            cb.RegionIdeas(place.region_id, 0),
        )
    ]


def register(app: App) -> None:
    """Region finder: command, menu button and free text."""
    private = filters.ChatType.PRIVATE
    app.add_handler(private_command(["region_finden", "find_region"], find_command))
    app.add_handler(on_tap(on_button))
    app.add_handler(
        MessageHandler(
            private & filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, on_text
        )
    )
