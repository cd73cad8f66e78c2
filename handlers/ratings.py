"""Rating ideas with 1–5 stars: rate, change, withdraw; the idea view updates in place."""

from __future__ import annotations

import logging

from telegram import Update

from bot.context import App, Context
from bot.logs import person
from handlers import browse
from handlers.buttons import on_tap
from handlers.common import answer, language_of, show
from messages import actions as cb
from messages import comment_views as views
from messages.catalog import t
from messages.keyboards import Button, keyboard, menu_row
from messages.render import label
from storage.models import Idea

logger = logging.getLogger(__name__)

STARS = range(1, 6)


def _star_label(language: str, stars: int, mine: int | None) -> str:
    text = label(language, "citizen.button.stars", stars=stars)
    return label(language, "button.selected", label=text) if stars == mine else text


async def ask_stars(update: Update, context: Context, language: str, idea: Idea) -> None:
    """The star buttons, the current rating marked, and a way to withdraw it."""
    user_id = update.effective_user.id if update.effective_user else None
    mine = (await context.bot_data.ratings.summary(idea.id, user_id)).mine
    rows: list[list[Button]] = [
        [(_star_label(language, n, mine), cb.SetStars(idea.id, n)) for n in STARS]
    ]
    if mine:
        rows.append([(label(language, "citizen.button.withdraw"), cb.WithdrawRating(idea.id))])
    back = browse.carried_idea_link(update, idea)
    rows += [[(label(language, "citizen.button.back_to_idea"), back)], menu_row(language)]
    await show(update, views.rate_prompt(language, idea, mine), keyboard(rows))


async def on_button(
    update: Update, context: Context, action: cb.RateIdea | cb.SetStars | cb.WithdrawRating
) -> None:
    """Rate, change or withdraw; unknown ideas and impossible stars get a short answer."""
    language = await language_of(update, context)
    data = context.bot_data
    user = update.effective_user
    idea_id = getattr(action, "idea_id", 0)
    idea = await data.ideas.get(idea_id) if isinstance(idea_id, int) else None
    if user is None or idea is None:
        await answer(update, t(language, "citizen.gone"))
        return
    match action:
        case cb.RateIdea():
            await answer(update)
            await ask_stars(update, context, language, idea)
            return
        case cb.SetStars(stars=stars) if stars in STARS:
            await data.ratings.set(idea.id, user.id, stars, data.clock())
            logger.info("Idea %s rated %s by %s", idea.id, stars, person(user.id))
            await answer(update, t(language, "citizen.rate.thanks", stars=stars))
        case cb.WithdrawRating():
            if not await data.ratings.withdraw(idea.id, user.id):
                await answer(update, t(language, "citizen.rate.none"))
                return
            await answer(update, t(language, "citizen.rate.withdrawn"))
        case _:
            await answer(update, t(language, "citizen.gone"))
            return
    back = browse.list_of(browse.carried_idea_link(update, idea))
    await browse.show_idea(update, context, language, idea.id, back)


def register(app: App) -> None:
    """Rating buttons."""
    app.add_handler(on_tap(on_button))
