"""„🔎 Ideen suchen“: /suche [Wörter], the menu button, the words as a one-step dialogue, and
the pages of results (an idea opened from them leads back to its page)."""

from __future__ import annotations

from telegram import Update

from bot.context import App, Context
from handlers import dialog
from handlers.buttons import on_tap
from handlers.common import answer, language_of, private_command, reply, show
from messages import actions as cb
from messages import search as views
from storage.models import Draft
from storage.search import QueryTooLong, search_words

FLOW = "search"
STEP = "words"


async def search_command(update: Update, context: Context) -> None:
    """/suche Wörter: the results; /suche alone: ask for the words."""
    language = await language_of(update, context)
    message = update.effective_message
    user = update.effective_user
    if message is None or message.text is None or user is None:
        return
    parts = message.text.split(maxsplit=1)
    if len(parts) < 2:
        await dialog.begin(context, user.id, FLOW, STEP)
        await reply(update, views.prompt(language), views.prompt_keyboard(language))
        return
    await _search_typed(update, context, language, user.id, parts[1], in_dialog=False)


async def _on_text(
    update: Update, context: Context, draft: Draft, language: str, text: str
) -> None:
    """The words of the search the dialogue asked for."""
    await _search_typed(update, context, language, draft.user_id, text, in_dialog=True)


async def _search_typed(
    update: Update, context: Context, language: str, user_id: int, text: str, *, in_dialog: bool
) -> None:
    """Search for typed words; unusable words keep (or start) the dialogue with a hint."""
    problem = None
    try:
        if not search_words(text):
            problem = "search.no_words"
    except QueryTooLong:
        problem = "search.too_long"
    if problem is not None:
        await dialog.begin(context, user_id, FLOW, STEP)
        await reply(update, views.prompt(language, problem), views.prompt_keyboard(language))
        return
    if in_dialog:
        await dialog.finish(context, user_id)
    await _show_results(update, context, language, text, None, 0)


async def _prompt(update: Update, context: Context, _draft: Draft, language: str) -> None:
    """The question again (after a photo or a sticker)."""
    await reply(update, views.prompt(language), views.prompt_keyboard(language))


async def _show_results(
    update: Update,
    context: Context,
    language: str,
    words: str,
    query_id: int | None,
    page_number: int,
) -> None:
    """A page of results, or what to do when nothing was found."""
    data = context.bot_data
    page = await data.search.search(words, page=page_number)
    if page.total == 0:
        await show(update, views.nothing(language, words), views.elsewhere_keyboard(language))
        return
    if query_id is None:  # kept only now: a search without results needs no buttons to page
        query_id = await data.search.remember(words, data.clock())
    text = views.results(language, words, page)
    await show(update, text, views.results_keyboard(language, query_id, page))


async def on_button(
    update: Update, context: Context, action: cb.SearchStart | cb.SearchResults
) -> None:
    """A new search (ask for the words), or another page of one."""
    language = await language_of(update, context)
    await answer(update)
    user = update.effective_user
    if user is None:
        return
    if isinstance(action, cb.SearchStart):
        await dialog.begin(context, user.id, FLOW, STEP)
        await show(update, views.prompt(language), views.prompt_keyboard(language))
        return
    data = context.bot_data
    words = await data.search.recall(action.query_id, data.clock())
    if words is None:
        await show(update, views.expired(language), views.elsewhere_keyboard(language))
        return
    await _show_results(update, context, language, words, action.query_id, action.page)


def register(app: App) -> None:
    """/suche (/search), its dialogue and its buttons."""
    app.add_handler(private_command(["suche", "search"], search_command))
    dialog.add_flow(app, dialog.Flow(FLOW, "search.flow", _on_text, _prompt))
    app.add_handler(on_tap(on_button))
