"""Who asked the room last: a neighbour's statement just after a resident's question is
likely their answer ("6시까지 하더라고요", "면사무소 가시면 돼요"), not county business.

Platforms mark replies and mentions (`Message.to_member`), but residents often just write
after the question. So each room remembers, per thread, when each resident last asked
something without addressing the bot; a message from someone else within REPLY_WITHIN that
asks nothing itself is then held to the bar of a reply (bot/faq/understand.py). Only who
and when are kept, never the text, and only for REPLY_WITHIN.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, delete, select

from bot.context import Context
from storage.models import RoomQuestion

REPLY_WITHIN = timedelta(minutes=10)


def follows_question(ctx: Context) -> bool:
    """Whether another resident asked something in this room and thread just before."""
    event = ctx.event
    asked = ctx.session.exec(
        select(RoomQuestion.id)
        .where(
            RoomQuestion.platform == event.platform,
            RoomQuestion.chat_id == event.chat_id,
            col(RoomQuestion.thread_id).is_(None)
            if event.thread_id is None
            else RoomQuestion.thread_id == event.thread_id,
            RoomQuestion.user_id != event.user_id,
            col(RoomQuestion.at) >= ctx.now - REPLY_WITHIN,
        )
        .limit(1)
    ).first()
    return asked is not None


def asked(ctx: Context) -> None:
    """Remember that this resident just asked the room something; questions older than
    REPLY_WITHIN (anyone's, anywhere) and this resident's earlier one here are dropped."""
    event = ctx.event
    ctx.session.exec(
        delete(RoomQuestion).where(
            (col(RoomQuestion.at) < ctx.now - REPLY_WITHIN)
            | (
                (col(RoomQuestion.platform) == event.platform)
                & (col(RoomQuestion.chat_id) == event.chat_id)
                & (col(RoomQuestion.user_id) == event.user_id)
            )
        )
    )
    ctx.session.add(
        RoomQuestion(
            platform=event.platform,
            chat_id=event.chat_id,
            thread_id=event.thread_id,
            user_id=event.user_id,
            at=ctx.now,
        )
    )
