"""Button handlers: a feature names the actions it answers in its handler's signature.

    async def on_button(update: Update, context: Context, action: ShowIdea | RegionList) -> None:
        ...

    app.add_handler(on_tap(on_button))

`on_tap` reads the actions from the type of the third parameter, so the handler is called only
for buttons whose callback data parses to one of them (and passes `when`, if given) and gets the
parsed action; anything else goes on to the next handler, and in the end to the "no longer
valid" answer (handlers.fallback).
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Awaitable, Callable
from typing import Any, Union, get_args, get_origin, get_type_hints

from telegram import InlineKeyboardButton, Message, Update
from telegram.ext import Application, BaseHandler

from bot.context import Context
from messages.actions import Action, parse

OnTap = Callable[[Update, Context, Any], Awaitable[None]]


class TapHandler(BaseHandler[Update, Context, None]):
    """Buttons whose action is one of `kinds` (and passes `when`); see on_tap()."""

    def __init__(
        self,
        on_tap: OnTap,
        kinds: tuple[type[Action], ...],
        when: Callable[[Any], bool] | None = None,
    ) -> None:
        super().__init__(on_tap, block=True)  # type: ignore[arg-type]  # called with the action
        self.on_tap = on_tap
        self.kinds = kinds
        self.when = when

    def check_update(self, update: object) -> Action | None:
        """The action of a tapped button this handler answers, else None."""
        if not isinstance(update, Update) or update.callback_query is None:
            return None
        action = parse(update.callback_query.data)  # cached: every handler asks again
        if not isinstance(action, self.kinds) or (self.when is not None and not self.when(action)):
            return None
        return action

    async def handle_update(
        self,
        update: Update,
        application: Application[Any, Context, Any, Any, Any, Any],  # noqa: ARG002 (PTB)
        check_result: object,
        context: Context,
    ) -> None:
        """Call the feature's handler with the action check_update found."""
        await self.on_tap(update, context, check_result)


def on_tap(callback: OnTap, *, when: Callable[[Any], bool] | None = None) -> TapHandler:
    """A handler for the buttons whose actions `callback`'s third parameter is typed with."""
    return TapHandler(callback, actions_taken_by(callback), when)


def actions_taken_by(callback: OnTap) -> tuple[type[Action], ...]:
    """The action classes in the annotation of the callback's third parameter."""
    name = list(inspect.signature(callback).parameters)[2]
    hint = get_type_hints(callback)[name]
    kinds = get_args(hint) if get_origin(hint) in (Union, types.UnionType) else (hint,)
    if not kinds or not all(isinstance(k, type) and issubclass(k, Action) for k in kinds):
        raise TypeError(f"{callback.__qualname__}: type {name!r} with the actions it answers")
    return tuple(kinds)


def tapped_keyboard(update: Update) -> list[InlineKeyboardButton]:
    """The buttons of the message whose button was tapped (they tell which view it is)."""
    query = update.callback_query
    message = query.message if query else None
    if not isinstance(message, Message) or message.reply_markup is None:
        return []
    return [button for row in message.reply_markup.inline_keyboard for button in row]


def tapped_button_shown(update: Update) -> bool:
    """Whether the tapped data is on the message's keyboard (False for forged or outdated taps)."""
    query = update.callback_query
    return query is not None and any(b.callback_data == query.data for b in tapped_keyboard(update))
