"""The server's shared question bank: /questions list, add, vote, random, remove.

In a server, members share one bank: anyone may add, vote (one vote each, toggled)
and browse; a question is removed by its author or by someone with Manage Server.
In DMs the default bank is shown read-only. The list's buttons carry everything
they need in their custom_id, so they keep working after a restart and act only as
the member who presses them, in the server they press them in.
"""

from __future__ import annotations

import functools
import math
import random
import re
from typing import TYPE_CHECKING, Any, NamedTuple

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.models import CATEGORIES, BankSort, Category, Vote
from bot.domain.questions import QUESTION_MAX_CHARS, load_default_questions, validate_question
from bot.store.guild import BankQuestion
from bot.types import AnyInteraction, Interaction, bot_of
from bot.ui.choices import CategoryOption, SortOption
from bot.ui.components import GuardedItem, PersistentView
from bot.ui.embeds import make_embed
from bot.ui.errors import UserError
from bot.ui.limits import CHOICE_NAME, CHOICES, clip
from bot.ui.meeting_options import row_id
from bot.ui.render import member_text
from bot.ui.respond import reply, with_notices
from bot.ui.views import ask_to_confirm
from cogs._common import EVERYWHERE, server_id

if TYPE_CHECKING:
    from bot.client import InterviewBot

PER_PAGE = 5  # one row of ▲ buttons, one row of Previous / Next
VOTE = "▲"


class Entry(NamedTuple):
    """A question as a page of the bank lists it (votes None where nobody can vote: the
    default bank in DMs)."""

    text: str
    category: str
    votes: int | None


def _quoted(text: str, limit: int = 300) -> str:
    return f"“{member_text(clip(text, limit))}”"


@functools.cache
def default_bank() -> tuple[Entry, ...]:
    """The default bank from data/questions.toml, read once (shown read-only in DMs)."""
    return tuple(Entry(q.text, q.category, None) for q in load_default_questions())


def in_a_server(interaction: AnyInteraction) -> int:
    """The server's id, or a refusal saying the command needs the server's shared bank."""
    name = interaction.command.qualified_name if interaction.command else "questions"
    return server_id(
        interaction,
        f"**/{name}** works in a server, where the club shares its question bank. Here in "
        "DMs you can browse the default questions with `/questions list` or "
        "`/questions random`.",
    )


# -- rendering (pure) ------------------------------------------------------------------


def question_label(question: BankQuestion) -> str:
    """How a bank question reads among autocomplete choices."""
    suffix = f" · {question.category} {VOTE}{question.votes}"
    return clip(question.text, CHOICE_NAME - len(suffix)) + suffix


def entry_line(number: int, entry: Entry) -> str:
    """One question on a page of the bank, numbered as its ▲ button is."""
    tags = entry.category if entry.votes is None else f"{entry.category} · {VOTE} {entry.votes}"
    return f"**{number}.** {member_text(entry.text)}\n-# {tags}"


def bank_embed(
    entries: list[Entry], *, page: int, pages: int, category: str | None, sort: str, shared: bool
) -> discord.Embed:
    """One page of the bank."""
    where = "The club's question bank" if shared else "The default question bank"
    title = where + (f" — {category}" if category else "")
    first = page * PER_PAGE + 1
    lines = [entry_line(first + n, entry) for n, entry in enumerate(entries)]
    if not lines:
        body = (
            'No questions here yet. Add one with `/questions add text:"…"`.'
            if shared
            else "No default questions in this category."
        )
    else:
        body = "\n\n".join(lines)
    hint = (
        f"Press {VOTE} n to vote for question n (again to take it back)"
        if shared
        else "Read-only here; in a server, members add and vote on questions"
    )
    footer = " · ".join(
        part
        for part in (
            f"Page {page + 1} of {pages}" if pages > 1 else None,
            "most votes first" if sort == "top" and shared else None,
            "newest first" if sort == "new" and shared else None,
            hint,
        )
        if part
    )
    return make_embed(title, body, footer=footer)


# -- the bank's page and its buttons ----------------------------------------------------


async def bank_page(
    client: InterviewBot, guild_id: int | None, category: str | None, sort: str, page: int
) -> tuple[discord.Embed, discord.ui.View | None]:
    """A page of the bank (the server's, or the default one in DMs) with its buttons."""
    if guild_id is None:
        shown: list[tuple[int | None, Entry]] = [
            (None, entry) for entry in default_bank() if category in (None, entry.category)
        ]
    else:
        async with client.stores.guild(guild_id) as store:
            found = await store.list_questions(category=category, sort=sort)
        shown = [(q.id, Entry(q.text, q.category, q.votes)) for q in found]
    pages = max(1, math.ceil(len(shown) / PER_PAGE))
    page = min(max(page, 0), pages - 1)
    on_page = shown[page * PER_PAGE : (page + 1) * PER_PAGE]
    embed = bank_embed(
        [entry for _, entry in on_page],
        page=page,
        pages=pages,
        category=category,
        sort=sort,
        shared=guild_id is not None,
    )
    view = PersistentView()
    state: dict[str, Any] = {"page": page, "category": category or "", "sort": sort}
    for number, (question_id, _) in enumerate(on_page, start=page * PER_PAGE + 1):
        if question_id is not None:
            view.add_item(VoteButton(question_id, label=f"{VOTE} {number}", **state))
    if pages > 1:
        view.add_item(PageButton("prev", disabled=page == 0, **state))
        view.add_item(PageButton("next", disabled=page >= pages - 1, **state))
    return embed, (view if view.children else None)


def _state(match: re.Match[str]) -> dict[str, Any]:
    category = match["category"]
    return {
        "page": int(match["page"]),
        # A forged category is ignored rather than trusted.
        "category": category if category in CATEGORIES else "",
        "sort": match["sort"],
    }


class VoteButton(
    GuardedItem[discord.ui.Button],
    template=r"qbank:vote:(?P<id>\d+):(?P<page>\d+):(?P<category>[a-z]*):(?P<sort>top|new)",
):
    """▲ n: toggles the presser's own vote on one question, then refreshes the page."""

    def __init__(self, question_id: int, *, label: str, page: int, category: str, sort: str):
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.primary,
                custom_id=f"qbank:vote:{question_id}:{page}:{category}:{sort}",
                row=0,
            )
        )
        self.question_id = question_id
        self.page, self.category, self.sort = page, category, sort

    @classmethod
    async def from_custom_id(
        cls, interaction: AnyInteraction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> VoteButton:
        """Rebuild the button from a press (also after a restart)."""
        label = getattr(item, "label", None) or VOTE
        return cls(int(match["id"]), label=label, **_state(match))

    async def on_press(self, interaction: AnyInteraction) -> None:
        """Toggle the presser's vote in the server the button was pressed in."""
        guild_id = in_a_server(interaction)
        async with bot_of(interaction).stores.guild(guild_id) as store:
            question = await store.get_question(self.question_id)
            result = (
                None
                if question is None
                else await store.toggle_vote(self.question_id, interaction.user.id)
            )
        embed, view = await bank_page(
            bot_of(interaction), guild_id, self.category or None, self.sort, self.page
        )
        await interaction.response.edit_message(embed=embed, view=view)
        if question is None or result is None:
            await interaction.followup.send(
                "That question was removed from the bank, so there is nothing to vote on.",
                ephemeral=True,
            )
            return
        await interaction.followup.send(_vote_message(question.text, result), ephemeral=True)


class PageButton(
    GuardedItem[discord.ui.Button],
    template=r"qbank:page:(?P<to>prev|next):(?P<page>\d+):(?P<category>[a-z]*):(?P<sort>top|new)",
):
    """Previous / Next through the bank; anyone who can see the list may turn its pages."""

    def __init__(self, to: str, *, page: int, category: str, sort: str, disabled: bool = False):
        super().__init__(
            discord.ui.Button(
                label="Previous" if to == "prev" else "Next",
                style=discord.ButtonStyle.secondary,
                custom_id=f"qbank:page:{to}:{page}:{category}:{sort}",
                disabled=disabled,
                row=1,
            )
        )
        self.to = to
        self.page, self.category, self.sort = page, category, sort

    @classmethod
    async def from_custom_id(
        cls, interaction: AnyInteraction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> PageButton:
        """Rebuild the button from a press (also after a restart)."""
        return cls(match["to"], **_state(match))

    async def on_press(self, interaction: AnyInteraction) -> None:
        """Show the page before or after."""
        target = self.page - 1 if self.to == "prev" else self.page + 1
        embed, view = await bank_page(
            bot_of(interaction), interaction.guild_id, self.category or None, self.sort, target
        )
        await interaction.response.edit_message(embed=embed, view=view)


def _vote_message(text: str, vote: Vote) -> str:
    count = f"{vote.votes} vote" + ("" if vote.votes == 1 else "s")
    if vote.voted:
        return f"You voted for {_quoted(text)} — it has {count} now. Vote again to take it back."
    return f"You took back your vote for {_quoted(text)} — it has {count} now."


# -- the `question` option ----------------------------------------------------------------


class QuestionTransformer(app_commands.Transformer):
    """`question` options: autocomplete over this server's bank, resolve to a BankQuestion."""

    async def autocomplete(  # type: ignore[override]  # these options are strings
        self, interaction: AnyInteraction, value: str
    ) -> list[app_commands.Choice[str]]:
        """Up to 25 of the server's questions, best match first (none in DMs)."""
        if interaction.guild_id is None:
            return []
        async with bot_of(interaction).stores.guild(interaction.guild_id) as store:
            found = await store.search_questions(value, limit=CHOICES)
        return [app_commands.Choice(name=question_label(q), value=str(q.id)) for q in found]

    async def transform(self, interaction: AnyInteraction, value: Any) -> BankQuestion:
        """The question with this id (or wording) in this server's bank only."""
        guild_id = in_a_server(interaction)
        text = str(value).strip()
        async with bot_of(interaction).stores.guild(guild_id) as store:
            number = row_id(text)
            question = await store.get_question(number) if number is not None else None
            if question is None:
                question = await store.find_question_by_text(text)
            if question is None:
                found = await store.search_questions(text, limit=2)
                question = found[0] if len(found) == 1 else None
        if question is None:
            raise UserError(
                f"I can't find {_quoted(text, 80)} in this server's question bank. Start typing "
                "and pick one of the suggestions, e.g. `question:typical week`."
            )
        return question


QuestionOption = app_commands.Transform[BankQuestion, QuestionTransformer]


class Questions(commands.Cog):
    """The club's shared interview questions."""

    questions = app_commands.Group(
        name="questions",
        description="Step 3: the club's shared bank of interview questions",
        **EVERYWHERE,
    )

    def __init__(self, bot: InterviewBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        """The list's buttons are answered by pattern, so old lists work after a restart."""
        self.bot.add_dynamic_items(VoteButton, PageButton)

    async def cog_unload(self) -> None:
        """Stop answering the list's buttons."""
        self.bot.remove_dynamic_items(VoteButton, PageButton)

    @questions.command(name="list")
    @app_commands.describe(category="Only this TIARA category", sort="top (most votes) or new")
    async def list_(
        self,
        interaction: Interaction,
        category: CategoryOption | None = None,
        sort: SortOption = BankSort.TOP,
    ) -> None:
        """The club's question bank, with ▲ buttons to vote."""
        embed, view = await bank_page(self.bot, interaction.guild_id, category, sort, 0)
        if interaction.guild_id is None:
            await reply(interaction, embed=embed, view=view)
            return
        # The server's bank is shared, so its page is public; the member's own notices
        # (e.g. "your DMs are closed") must not be, so they follow ephemerally.
        notices = await with_notices(interaction, None)
        await interaction.response.send_message(
            embed=embed,
            view=view or discord.utils.MISSING,
            allowed_mentions=discord.AllowedMentions.none(),
        )
        if notices:
            await interaction.followup.send(notices, ephemeral=True)

    @questions.command(name="add")
    @app_commands.describe(
        text="The question, e.g. What does a typical week look like for you?",
        category="TIARA: trends, insights, advice, resources, assignments (default: other)",
    )
    async def add(
        self,
        interaction: Interaction,
        text: app_commands.Range[str, 1, QUESTION_MAX_CHARS],
        category: CategoryOption = Category.OTHER,
    ) -> None:
        """Add a question to the club's bank."""
        guild_id = in_a_server(interaction)
        try:
            clean = validate_question(text)
        except ValueError as error:
            raise UserError(str(error)) from None
        async with self.bot.stores.guild(guild_id) as store:
            question, added = await store.add_question(clean, category, interaction.user.id)
        if not added:
            raise UserError(
                f"The bank already has a question like that: {_quoted(question.text)} "
                f"({question.category}, {VOTE} {question.votes}). Vote for it instead with "
                f"`/questions vote question:{question.id}`, or ask something different."
            )
        await reply(
            interaction,
            f"Added to the club's bank under **{category}**: {_quoted(question.text)}. "
            f"Members vote with `/questions vote question:{question.id}` or the {VOTE} buttons "
            "of `/questions list`.",
        )

    @questions.command(name="vote")
    @app_commands.describe(question="Start typing a question")
    async def vote(self, interaction: Interaction, question: QuestionOption) -> None:
        """Vote for a question (again to take your vote back)."""
        guild_id = in_a_server(interaction)
        async with self.bot.stores.guild(guild_id) as store:
            result = await store.toggle_vote(question.id, interaction.user.id)
        if result is None:
            raise UserError("That question was removed from the bank in the meantime.")
        await reply(interaction, _vote_message(question.text, result))

    @questions.command(name="random")
    @app_commands.describe(category="Only this TIARA category", count="How many (1–10)")
    async def random_(
        self,
        interaction: Interaction,
        category: CategoryOption | None = None,
        count: app_commands.Range[int, 1, 10] = 3,
    ) -> None:
        """A few questions picked at random, to practise or to freshen a prep sheet."""
        if not 1 <= count <= 10:
            raise UserError("count must be between 1 and 10, e.g. `count:3`.")
        if interaction.guild_id is None:
            pool = [entry for entry in default_bank() if category in (None, entry.category)]
            picked = random.sample(pool, min(count, len(pool)))
        else:
            async with self.bot.stores.guild(interaction.guild_id) as store:
                found = await store.random_questions(count, category=category)
            picked = [Entry(q.text, q.category, q.votes) for q in found]
        title = f"{len(picked)} random question" + ("" if len(picked) == 1 else "s")
        body = (
            "\n\n".join(entry_line(n, entry) for n, entry in enumerate(picked, start=1))
            or "No questions in that category yet. Add one with "
            f'`/questions add text:"…"{f" category:{category}" if category else ""}`.'
        )
        where = "the club's bank" if interaction.guild_id else "the default bank"
        footer = f"From {where}" + (f" · {category}" if category else "")
        await reply(interaction, embed=make_embed(title, body, footer=footer))

    @questions.command(name="remove")
    @app_commands.describe(question="Start typing a question")
    async def remove(self, interaction: Interaction, question: QuestionOption) -> None:
        """Remove a question (its author, or someone with Manage Server; asks first)."""
        guild_id = in_a_server(interaction)
        is_author = question.author_id == interaction.user.id
        if not is_author and not interaction.permissions.manage_guild:
            raise UserError(
                "Only the member who added a question, or someone with the Manage Server "
                "permission, can remove it. You can take back your own vote with "
                f"`/questions vote question:{question.id}`."
            )
        quoted = _quoted(question.text)
        pressed = await ask_to_confirm(
            interaction,
            f"Remove {quoted} ({question.category}, {VOTE} {question.votes}) from the club's "
            "bank for everyone? Its votes go with it; this can't be undone.",
            confirm_label="Remove",
            kept=f"{quoted} stays.",
        )
        if pressed is None:
            return
        async with self.bot.stores.guild(guild_id) as store:
            removed = await store.remove_question(question.id)
        text = f"Removed {quoted} from the bank." if removed else f"{quoted} was already gone."
        await pressed.response.edit_message(content=text, view=None)


async def setup(bot: InterviewBot) -> None:
    """Load the cog."""
    await bot.add_cog(Questions(bot))
