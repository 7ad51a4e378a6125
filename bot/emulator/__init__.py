"""A local Discord emulator (REST + gateway) that the real discord.py client can log in to.

See :class:`Emulator` (the fake Discord), :class:`Driver` (acts as members) and
:func:`running_bot` (starts a bot against the emulator in-process).
"""

from .driver import Driver, DriverError, Modal, ModalField, Reply
from .harness import bot_kwargs, running_bot
from .models import Attachment, BotResponse, Guild, InteractionRecord, Message, User
from .server import Emulator, RequestLog, Violation

__all__ = [
    "Attachment",
    "BotResponse",
    "Driver",
    "DriverError",
    "Emulator",
    "Guild",
    "InteractionRecord",
    "Message",
    "Modal",
    "ModalField",
    "Reply",
    "RequestLog",
    "User",
    "Violation",
    "bot_kwargs",
    "running_bot",
]
