"""The club network (issue 15): /network join, edit, pause, leave, find and requests,
and the DMs of a request for a conversation.

A server's directory lives in its own store (bot/store/network.py), so a member sees only
the directory of the server they run the command in. What a request owes a member by DM
(the request to the person listed, the answer or its lapse to the asker, the
introduction) goes through the server's outbox to the member's own store and is timed
and sent by the reminder engine, once, like any reminder. The request's buttons carry
the server, the request and the person it was sent to in their custom_id: they work
after a restart and act only for that person.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.draft_check import RuleResult
from bot.domain.models import Reminder, ReminderKind, Stage
from bot.domain.network import (
    ANSWERED_NO,
    FIELD_MAX,
    MESSAGE_MAX,
    MONTHLY_LIMIT_DEFAULT,
    MONTHLY_LIMIT_MAX,
    MONTHLY_LIMIT_MIN,
    OPEN_PER_ASKER,
    ORGANIZATION_MAX,
    ROLE_MAX,
    Answer,
    InvalidContact,
    InvalidField,
    Listing,
    NetworkRequest,
    Refusal,
    RequestStatus,
    Search,
    Share,
    checked_contact,
    field_suggestions,
    find,
    message_problems,
    parse_fields,
)
from bot.domain.timeparse import WhenError, parse_until
from bot.reminders import Outgoing
from bot.store import MemberStore
from bot.store.network import EXPIRY_STEP
from bot.types import AnyInteraction, Interaction, bot_of
from bot.ui.choices import EnumChoices, StageOption
from bot.ui.components import GuardedItem, GuardedModal, OwnedView, PersistentView
from bot.ui.embeds import WARN, make_embed
from bot.ui.errors import UserError
from bot.ui.limits import CHOICE_NAME, CONTENT, SELECT_LABEL, clip
from bot.ui.render import format_when, member_code, member_link, member_text
from bot.ui.respond import reply
from bot.ui.time_zone import require_timezone, rerun, zone_line
from cogs._common import EVERYWHERE, server_id, text_option

if TYPE_CHECKING:
    from bot.client import InterviewBot

# Saves the listing being joined or edited with the contact given (the form's answer).
SaveListing = Callable[[AnyInteraction, "str | None"], Awaitable[None]]
ShareOption = app_commands.Transform[Share, EnumChoices(Share, "share")]
MonthlyLimit = app_commands.Range[int, MONTHLY_LIMIT_MIN, MONTHLY_LIMIT_MAX]
DISPLAY_NAME_MAX = 80
PER_PAGE = 5
UNTIL_MAX = 100
EXAMPLE_MESSAGE = (
    "Hi! I'm a sophomore exploring data science and would love to hear how you got into "
    "the field. Would you have 20 minutes in the next few weeks, whenever suits you?"
)

SHARE_WORDS = {
    Share.NOTHING: "nothing beyond your name here (they reach you in this server)",
    Share.LINKEDIN: "your LinkedIn profile",
    Share.EMAIL: "your email address",
}


def in_a_server(interaction: AnyInteraction) -> int:
    """The server's id, or a refusal: the directory belongs to a server."""
    return server_id(
        interaction,
        "The club network lives in a server: run **/network** there, where its members "
        "list themselves and find each other. Here in DMs your own pipeline works as "
        "usual, e.g. `/prospect list`.",
    )


def display_name(interaction: AnyInteraction) -> str:
    """The member's name in this server, as the directory shows them."""
    name = " ".join(interaction.user.display_name.split()) or interaction.user.name
    return clip(name, DISPLAY_NAME_MAX)


def server_name(bot: InterviewBot, guild_id: int | None) -> str:
    """A server's name for a DM (escaped: its officers chose it), or a stand-in."""
    guild = bot.get_guild(guild_id) if guild_id is not None else None
    return f"**{member_text(guild.name)}**" if guild is not None else "your club's server"


# -- rendering (pure) --------------------------------------------------------------------
def listing_lines(listing: Listing) -> str:
    """What the directory shows of a listing: role, organization, fields, stage."""
    work = " at ".join(member_text(p) for p in (listing.role, listing.organization) if p)
    lines = [work or "-# no role given"]
    if listing.fields:
        lines.append("Talks about: " + ", ".join(member_text(f) for f in listing.fields))
    if listing.stage is not None:
        lines.append(f"Career stage: {listing.stage}")
    return "\n".join(lines)


def listing_embed(listing: Listing, *, title: str) -> discord.Embed:
    """A member's own listing, as they set it (monthly limit and sharing included)."""
    share = SHARE_WORDS[listing.share]
    if listing.contact:
        share += f" ({member_link(listing.contact)})"
    return make_embed(
        title,
        f"**{member_text(listing.display_name)}**\n{listing_lines(listing)}",
        fields=[
            ("Requests a month", f"at most {listing.monthly_limit}"),
            ("Shared when you accept", share),
        ],
    )


def directory_pages(found: Sequence[Listing], search: Search) -> list[discord.Embed]:
    """The search's listings, PER_PAGE a page, numbered as the menus name them."""
    asked = ", ".join(
        f"{name}: {member_text(str(value))}"
        for name, value in (
            ("field", search.field),
            ("organization", search.organization),
            ("stage", search.stage),
        )
        if value
    )
    title = "The club network" + (f" — {asked}" if asked else "")
    pages = []
    count = max(1, -(-len(found) // PER_PAGE))
    for page in range(count):
        on_page = found[page * PER_PAGE : (page + 1) * PER_PAGE]
        fields = [
            (f"{number}. {member_text(listing.display_name)}", listing_lines(listing))
            for number, listing in enumerate(on_page, start=page * PER_PAGE + 1)
        ]
        footer = f"Page {page + 1} of {count} · " if count > 1 else ""
        footer += "Best match first · pick someone below to ask for a conversation"
        pages.append(make_embed(title, None, fields=fields, footer=footer))
    return pages


def problems_embed(problems: list[RuleResult], text: str) -> discord.Embed:
    """Why a message wasn't sent, each with its fix, and the message to copy back."""
    fields = [(f"❌ {p.rule}", f"{p.detail}\n**Fix:** {p.fix}") for p in problems]
    body = clip(text.replace("```", "'''"), 3500)
    return make_embed(
        "Not sent yet: fix this first",
        f"Your message, to copy and edit:\n```\n{body}\n```",
        fields=fields,
        colour=WARN,
        footer="Checked like /outreach check: under 100 words, no job ask.",
    )


REFUSALS = {
    Refusal.SELF: "That's your own listing: ask someone else from `/network find`.",
    Refusal.NOT_LISTED: (
        "{name} isn't taking requests right now. Try someone else from `/network find`."
    ),
    Refusal.PAIR_OPEN: (
        "You already have a request waiting with {name}: they have 7 days to answer, and "
        "I'll DM you either way. `/network requests` shows it."
    ),
    Refusal.TOO_MANY_OPEN: (
        f"You have {OPEN_PER_ASKER} requests waiting for an answer in this server, the most "
        "at once. When one is answered or lapses (7 days at most) you can ask again; "
        "`/network requests` shows them."
    ),
}


def answer_text(request: NetworkRequest, server: str, listing: Listing | None) -> str | None:
    """The asker's DM about how their request went (step 0), or None when there is
    nothing to say. A decline, a "not now" and a listing gone read the same."""
    name = member_text(request.listed_name)
    if request.status is RequestStatus.ACCEPTED:
        if listing is not None and listing.contact and listing.share is Share.LINKEDIN:
            reach = f"Their LinkedIn: {member_link(listing.contact)}"
        elif listing is not None and listing.contact and listing.share is Share.EMAIL:
            reach = f"Their email: {member_text(listing.contact)}"
        else:
            reach = f"Reach them in {server}, where they're **{name}**."
        return (
            f"🎉 **{name}** accepted your request for a conversation ({server}'s club "
            f"network). {reach}\nWrite to them to find a time that suits them: 30 minutes, "
            "at their convenience. I've added them to your prospects (replied), so "
            f'`/meeting schedule prospect:{member_code(request.listed_name)} when:"…"` '
            "plans it, with a prep sheet before and a thank-you nudge after."
        )
    if request.status in ANSWERED_NO:
        return (
            f"**{name}** can't take on a conversation right now ({server}'s club network). "
            "Busy months happen; it's nothing about your message. Someone else may be "
            "glad to talk: `/network find`."
        )
    if request.status is RequestStatus.UNDELIVERED:
        return (
            f"Your request to **{name}** couldn't be delivered: they don't accept DMs from "
            "me, so it was closed and doesn't count against you. Try someone else from "
            "`/network find`."
        )
    return None


def expiry_text(request: NetworkRequest, server: str) -> str:
    """The asker's DM when a request lapsed unanswered."""
    return (
        f"No answer from **{member_text(request.listed_name)}** within 7 days, so your "
        f"request ({server}'s club network) has lapsed. It happens; try someone else from "
        "`/network find`."
    )


def ask_text(request: NetworkRequest, server: str) -> str:
    """The DM to the person listed: who asks, their message, and what each button does."""
    message = "\n".join(f"> {line}" for line in member_text(request.message).splitlines())
    return clip(
        f"💬 **{member_text(request.asker_name)}** asks you for a conversation through "
        f"{server}'s club network:\n{message}\n"
        f"Please answer by {format_when(request.expires_at)}. **Accept** introduces you "
        "to each other with what your listing shares; **Not now** and **Decline** read "
        "the same to them; **Block** also declines and hides you from them for good "
        "(they aren't told).",
        CONTENT,
    )


def intro_text(request: NetworkRequest, server: str, listing: Listing | None) -> str:
    """The DM to the person listed once they accepted: who the asker is."""
    shared = SHARE_WORDS[listing.share] if listing is not None else SHARE_WORDS[Share.NOTHING]
    return clip(
        f"🤝 You accepted **{member_text(request.asker_name)}**'s request ({server}'s club "
        f"network). They have {shared} and will write to you to find a time; you'll find "
        f"them in {server} as **{member_text(request.asker_name)}**. Thank you for giving "
        "a member your time.",
        CONTENT,
    )


# -- the request's buttons -----------------------------------------------------------
ANSWER_BUTTONS = {
    Answer.ACCEPT: ("Accept", discord.ButtonStyle.success),
    Answer.NOT_NOW: ("Not now", discord.ButtonStyle.secondary),
    Answer.DECLINE: ("Decline", discord.ButtonStyle.secondary),
    Answer.BLOCK: ("Block", discord.ButtonStyle.danger),
}


class AnswerButton(
    GuardedItem[discord.ui.Button],
    template=r"net:(?P<answer>accept|notnow|decline|block):(?P<guild>[0-9]+)"
    r":(?P<request>[0-9]+):(?P<owner>[0-9]+)",
):
    """One answer to a request for a conversation; its custom_id names the server, the
    request and the person it was sent to (anyone else is refused)."""

    refusal = "These buttons answer a request sent to someone else; they change nothing."

    def __init__(self, answer: Answer, guild_id: int, request_id: int, owner_id: int) -> None:
        label, style = ANSWER_BUTTONS[answer]
        custom_id = f"net:{answer}:{guild_id}:{request_id}:{owner_id}"
        super().__init__(discord.ui.Button(label=label, style=style, custom_id=custom_id))
        self.answer, self.guild_id, self.request_id = answer, guild_id, request_id
        self.owner_id = owner_id

    @classmethod
    async def from_custom_id(
        cls, interaction: AnyInteraction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> AnswerButton:
        """Rebuild the button from a press (also after a restart)."""
        return cls(
            Answer(match["answer"]), int(match["guild"]), int(match["request"]), int(match["owner"])
        )

    async def on_press(self, interaction: AnyInteraction) -> None:
        """Hand the answer to the network's cog."""
        cog = cast("Network | None", bot_of(interaction).get_cog(Network.__cog_name__))
        if cog is None:
            raise UserError("The club network is unavailable right now; try again soon.")
        await cog.on_answer(interaction, self.answer, self.guild_id, self.request_id)


def answer_view(guild_id: int, request: NetworkRequest) -> PersistentView:
    """Accept / Not now / Decline / Block for the person a request was sent to."""
    return PersistentView(
        *(AnswerButton(a, guild_id, request.id, request.listed_id) for a in ANSWER_BUTTONS)
    )


# -- forms and menus -------------------------------------------------------------------
class ContactForm(GuardedModal):
    """After /network join or edit with share linkedin or email: the link or address."""

    def __init__(self, owner_id: int, share: Share, current: str | None, save: SaveListing) -> None:
        super().__init__(
            owner_id,
            title="What you share when you accept",
            custom_id=f"network:contact:{owner_id}:{id(self)}",
        )
        label = "Your LinkedIn profile link" if share is Share.LINKEDIN else "Your email address"
        example = (
            "https://www.linkedin.com/in/your-name"
            if share is Share.LINKEDIN
            else "you@example.org"
        )
        self.share, self.save = share, save
        self.contact: discord.ui.TextInput[ContactForm] = discord.ui.TextInput(
            label=label, placeholder=example, default=current, max_length=300
        )
        self.add_item(self.contact)

    async def on_submit(self, interaction: AnyInteraction) -> None:
        """Check what was typed; save the listing with it."""
        try:
            contact = checked_contact(self.share, self.contact.value)
        except InvalidContact as error:
            raise UserError(f"{error} Nothing was saved: run the command again to retry.") from None
        await self.save(interaction, contact)


class AskForm(GuardedModal):
    """The short message of a request for a conversation."""

    def __init__(self, owner_id: int, guild_id: int, listing: Listing) -> None:
        super().__init__(
            owner_id,
            title=clip(f"Ask {listing.display_name} for a conversation", 45),
            custom_id=f"network:ask:{owner_id}:{id(self)}",
        )
        self.guild_id, self.listing = guild_id, listing
        self.message: discord.ui.TextInput[AskForm] = discord.ui.TextInput(
            label="Your message (under 100 words)",
            style=discord.TextStyle.paragraph,
            placeholder=clip(EXAMPLE_MESSAGE, 100),
            max_length=MESSAGE_MAX,
        )
        self.add_item(self.message)

    async def on_submit(self, interaction: AnyInteraction) -> None:
        """Check the message, then ask."""
        cog = cast("Network | None", bot_of(interaction).get_cog(Network.__cog_name__))
        if cog is None:
            raise UserError("The club network is unavailable right now; try again soon.")
        await cog.send_request(interaction, self.guild_id, self.listing, self.message.value)


class _AskSelect(discord.ui.Select["DirectoryView"]):
    async def callback(self, interaction: AnyInteraction) -> None:
        assert self.view is not None
        listing = self.view.pick(self.values[0])
        await interaction.response.send_modal(
            AskForm(interaction.user.id, self.view.guild_id, listing)
        )


class _RemoveSelect(discord.ui.Select["DirectoryView"]):
    async def callback(self, interaction: AnyInteraction) -> None:
        assert self.view is not None
        listing = self.view.pick(self.values[0])
        cog = cast("Network | None", bot_of(interaction).get_cog(Network.__cog_name__))
        if cog is None:
            raise UserError("The club network is unavailable right now; try again soon.")
        await cog.remove_by_officer(interaction, self.view.guild_id, listing)


class DirectoryView(OwnedView):
    """/network find's pages: a menu to ask someone on the page, Previous / Next, and for
    members with Manage Server a menu to remove a listing. (Not bot.ui.views.Paginator:
    its pages carry no per-page controls, and these menus change with the page.)"""

    def __init__(
        self,
        owner_id: int,
        guild_id: int,
        found: Sequence[Listing],
        pages: list[discord.Embed],
        *,
        officer: bool,
    ) -> None:
        super().__init__(owner_id)
        self.guild_id, self.found, self.pages, self.officer = guild_id, found, pages, officer
        self.index = 0
        self._build()

    def pick(self, value: str) -> Listing:
        """The listing a menu's value names (a forged value names none)."""
        for listing in self.found:
            if str(listing.user_id) == value:
                return listing
        raise UserError("Pick someone from the list.")

    def _options(self) -> list[discord.SelectOption]:
        first = self.index * PER_PAGE
        return [
            discord.SelectOption(
                label=clip(f"{number}. {listing.display_name}", SELECT_LABEL),
                value=str(listing.user_id),
            )
            for number, listing in enumerate(self.found[first : first + PER_PAGE], start=first + 1)
        ]

    def _build(self) -> None:
        self.clear_items()
        self.add_item(
            _AskSelect(placeholder="Ask for a conversation with…", options=self._options())
        )
        if len(self.pages) > 1:
            previous: discord.ui.Button[DirectoryView] = discord.ui.Button(
                label="Previous", style=discord.ButtonStyle.secondary, disabled=self.index == 0
            )
            following: discord.ui.Button[DirectoryView] = discord.ui.Button(
                label="Next",
                style=discord.ButtonStyle.secondary,
                disabled=self.index >= len(self.pages) - 1,
            )
            previous.callback = self._previous  # type: ignore[method-assign]
            following.callback = self._next  # type: ignore[method-assign]
            self.add_item(previous)
            self.add_item(following)
        if self.officer:
            self.add_item(
                _RemoveSelect(placeholder="Officers: remove a listing…", options=self._options())
            )

    async def _turn(self, interaction: AnyInteraction, step: int) -> None:
        self.index = min(max(self.index + step, 0), len(self.pages) - 1)
        self._build()
        await interaction.response.edit_message(embed=self.pages[self.index], view=self)

    async def _previous(self, interaction: AnyInteraction) -> None:
        await self._turn(interaction, -1)

    async def _next(self, interaction: AnyInteraction) -> None:
        await self._turn(interaction, 1)


class _ReceivedSelect(discord.ui.Select["OwnedView"]):
    """/network requests: pick a request sent to you to answer it."""

    def __init__(self, guild_id: int, received: Sequence[NetworkRequest]) -> None:
        super().__init__(
            placeholder="Answer a request…",
            options=[
                discord.SelectOption(label=clip(f"{r.asker_name}", SELECT_LABEL), value=str(r.id))
                for r in received[:25]
            ],
        )
        self.guild_id = guild_id
        self.received = {str(r.id): r for r in received}

    async def callback(self, interaction: AnyInteraction) -> None:
        request = self.received.get(self.values[0])
        if request is None:
            raise UserError("Pick a request from the list.")
        server = server_name(bot_of(interaction), self.guild_id)
        await interaction.response.send_message(
            ask_text(request, server),
            view=answer_view(self.guild_id, request),
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )


class _SentSelect(discord.ui.Select["OwnedView"]):
    """/network requests: pick a request you sent to take it back."""

    def __init__(self, guild_id: int, sent: Sequence[NetworkRequest]) -> None:
        super().__init__(
            placeholder="Withdraw a request…",
            options=[
                discord.SelectOption(label=clip(r.listed_name, SELECT_LABEL), value=str(r.id))
                for r in sent[:25]
            ],
        )
        self.guild_id = guild_id
        self.sent = {str(r.id): r for r in sent}

    async def callback(self, interaction: AnyInteraction) -> None:
        request = self.sent.get(self.values[0])
        if request is None:
            raise UserError("Pick a request from the list.")
        cog = bot_of(interaction).get_cog("Network")
        assert isinstance(cog, Network)
        await cog.withdraw(interaction, self.guild_id, request.id)


# -- the cog ---------------------------------------------------------------------------
class Network(commands.Cog, name="Network"):
    """A server's opt-in directory of members open to a conversation, and requests."""

    network = app_commands.Group(
        name="network",
        description="The club's network: members open to an informational interview",
        **EVERYWHERE,
    )

    def __init__(self, bot: InterviewBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        """Render the network's DMs and answer their buttons, even after a restart."""
        reminders = self.bot.reminders
        reminders.register(
            ReminderKind.NETWORK_ASK, self.render_ask, undelivered=self.ask_undelivered
        )
        reminders.register(ReminderKind.NETWORK_ANSWER, self.render_answer)
        reminders.register(ReminderKind.NETWORK_INTRO, self.render_intro)
        self.bot.add_dynamic_items(AnswerButton)

    async def cog_unload(self) -> None:
        """Stop answering the request buttons."""
        self.bot.remove_dynamic_items(AnswerButton)

    # -- /network join and edit ---------------------------------------------------------
    @network.command(name="join")
    @app_commands.describe(
        role="Your role, e.g. Data analyst",
        organization="Where you work or study",
        fields="Fields you can talk about, comma-separated (pick from the list or type)",
        stage="Your career stage",
        monthly_limit=f"Most requests a month ({MONTHLY_LIMIT_MIN}–{MONTHLY_LIMIT_MAX}; "
        f"default {MONTHLY_LIMIT_DEFAULT})",
        share="What an asker gets once you accept: nothing, your LinkedIn or your email",
    )
    async def join(
        self,
        interaction: Interaction,
        role: app_commands.Range[str, 1, ROLE_MAX] | None = None,
        organization: app_commands.Range[str, 1, ORGANIZATION_MAX] | None = None,
        fields: app_commands.Range[str, 1, 300] | None = None,
        stage: StageOption | None = None,
        monthly_limit: MonthlyLimit | None = None,
        share: ShareOption | None = None,
    ) -> None:
        """List yourself as open to informational interviews in this server."""
        await self._save(
            interaction, role, organization, fields, stage, monthly_limit, share, joining=True
        )

    @network.command(name="edit")
    @app_commands.describe(
        role="Your role, e.g. Data analyst",
        organization="Where you work or study",
        fields="Fields you can talk about, comma-separated (replaces the list)",
        stage="Your career stage",
        monthly_limit=f"Most requests a month ({MONTHLY_LIMIT_MIN}–{MONTHLY_LIMIT_MAX})",
        share="What an asker gets once you accept: nothing, your LinkedIn or your email",
    )
    async def edit(
        self,
        interaction: Interaction,
        role: app_commands.Range[str, 1, ROLE_MAX] | None = None,
        organization: app_commands.Range[str, 1, ORGANIZATION_MAX] | None = None,
        fields: app_commands.Range[str, 1, 300] | None = None,
        stage: StageOption | None = None,
        monthly_limit: MonthlyLimit | None = None,
        share: ShareOption | None = None,
    ) -> None:
        """Change your listing (only what you give); it also ends a pause."""
        await self._save(
            interaction, role, organization, fields, stage, monthly_limit, share, joining=False
        )

    @join.autocomplete("fields")
    @edit.autocomplete("fields")
    async def fields_autocomplete(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """The common career fields, completing the last comma-separated one."""
        return [
            app_commands.Choice(name=clip(choice, CHOICE_NAME), value=clip(choice, CHOICE_NAME))
            for choice in field_suggestions(current[:300])
        ]

    async def _save(
        self,
        interaction: Interaction,
        role: str | None,
        organization: str | None,
        fields: str | None,
        stage: Stage | None,
        monthly_limit: int | None,
        share: Share | None,
        *,
        joining: bool,
    ) -> None:
        guild_id = in_a_server(interaction)
        if monthly_limit is not None and not (
            MONTHLY_LIMIT_MIN <= monthly_limit <= MONTHLY_LIMIT_MAX
        ):
            raise UserError(
                f"monthly_limit must be {MONTHLY_LIMIT_MIN}–{MONTHLY_LIMIT_MAX} requests a "
                f"month, e.g. `/network edit monthly_limit:{MONTHLY_LIMIT_DEFAULT}`."
            )
        role = text_option(role, label="Role", limit=ROLE_MAX, example='role:"Data analyst"')
        organization = text_option(
            organization,
            label="Organization",
            limit=ORGANIZATION_MAX,
            example='organization:"Acme"',
        )
        try:
            field_list = parse_fields(fields) if fields is not None else None
        except InvalidField as error:
            raise UserError(
                f'{member_text(str(error))} Example: `fields:"Data Science, Healthcare"`.'
            ) from None
        async with self.bot.stores.guild(guild_id) as g:
            current = await g.get_listing(interaction.user.id)
        if current is None and not joining:
            raise UserError(
                "You're not listed in this server's network yet: `/network join` lists you."
            )
        chosen_share = share or (current.share if current else Share.NOTHING)
        values: dict[str, Any] = {
            "display_name": display_name(interaction),
            "role": role if role is not None else (current.role if current else None),
            "organization": organization
            if organization is not None
            else (current.organization if current else None),
            "fields": field_list if field_list is not None else (current.fields if current else ()),
            "stage": stage if stage is not None else (current.stage if current else None),
            "monthly_limit": monthly_limit
            if monthly_limit is not None
            else (current.monthly_limit if current else MONTHLY_LIMIT_DEFAULT),
            "share": chosen_share,
        }
        was_paused = current is not None and current.is_paused(self.bot.clock.now())

        async def save(answer: AnyInteraction, contact: str | None) -> None:
            async with self.bot.stores.guild(guild_id) as g:
                listing = await g.put_listing(interaction.user.id, contact=contact, **values)
            await reply(
                answer,
                _saved_text(current is None, was_paused),
                embed=listing_embed(listing, title="Your listing in this server's club network"),
            )

        keeps_contact = (
            current is not None and current.share is chosen_share and current.contact is not None
        )
        if chosen_share is Share.NOTHING:
            await save(interaction, None)
        elif share is None and keeps_contact:
            assert current is not None
            await save(interaction, current.contact)
        else:
            existing = current.contact if keeps_contact and current is not None else None
            await interaction.response.send_modal(
                ContactForm(interaction.user.id, chosen_share, existing, save)
            )

    # -- /network pause and leave --------------------------------------------------------
    @network.command(name="pause")
    @app_commands.describe(
        until='When to list you again, e.g. "Jan 15" or "in 3 weeks" '
        "(from the start of that day; none: until you resume)"
    )
    async def pause(
        self, interaction: Interaction, until: app_commands.Range[str, 1, UNTIL_MAX] | None = None
    ) -> None:
        """Stop new requests for a while; requests already sent to you stay open."""
        guild_id = in_a_server(interaction)
        ends: datetime | None = None
        note = ""
        if until is not None and until.strip():
            if not await require_timezone(interaction, continue_with=rerun(self.pause, until)):
                return
            async with self.bot.stores.member(interaction.user.id) as store:
                tz = ZoneInfo((await store.settings()).timezone)
            ends = self._resume_at(until, tz)
            if ends <= self.bot.clock.now():
                raise UserError(
                    f"{format_when(ends)} has passed: give a day ahead, e.g. "
                    '`/network pause until:"in 3 weeks"`.'
                )
            note = "\n" + zone_line(ends, tz)
        async with self.bot.stores.guild(guild_id) as g:
            paused = await g.pause_listing(interaction.user.id, ends)
        if not paused:
            raise UserError(
                "You're not listed in this server's network, so there's nothing to pause. "
                "`/network join` lists you."
            )
        when = (
            f"until {format_when(ends)}; you're listed again then by yourself, or sooner with "
            "`/network edit`"
            if ends is not None
            else "until you resume: `/network edit` (with no options) lists you again"
        )
        await reply(
            interaction,
            f"⏸️ Your listing is paused {when}. Meanwhile nobody finds you or sends a new "
            f"request; requests already sent to you can still be answered "
            f"(`/network requests`).{note}",
        )

    def _resume_at(self, text: str, tz: ZoneInfo) -> datetime:
        """When a pause ends: the time typed, or for a day alone ("Jan 15", "friday")
        the start of that day in the member's zone."""
        try:
            return parse_until(text, tz, self.bot.clock.now())
        except WhenError as error:
            raise UserError(member_text(str(error))) from None

    @network.command(name="leave")
    async def leave(self, interaction: Interaction) -> None:
        """Remove your listing from this server's network at once."""
        guild_id = in_a_server(interaction)
        async with self.bot.stores.guild(guild_id) as g:
            closed = await g.remove_listing(interaction.user.id)
        if closed is None:
            raise UserError(
                "You're not listed in this server's network; nothing changed. "
                "`/network join` lists you."
            )
        await self.bot.stores.hand_over(guild_id)
        waiting = (
            f" {len(closed)} request{'s' if len(closed) != 1 else ''} waiting for your answer "
            f"{'was' if len(closed) == 1 else 'were'} closed; each asker was told, kindly, "
            "that you can't take it on now."
            if closed
            else ""
        )
        await reply(
            interaction,
            f"You've left this server's club network: nobody can find or ask you here any "
            f"more.{waiting} `/network join` lists you again whenever you like.",
        )

    # -- /network find -----------------------------------------------------------------
    @network.command(name="find")
    @app_commands.describe(
        field="A field to talk about (pick one or type)",
        organization="Where they work or study",
        stage="Their career stage",
    )
    async def find(
        self,
        interaction: Interaction,
        field: app_commands.Range[str, 1, FIELD_MAX] | None = None,
        organization: app_commands.Range[str, 1, ORGANIZATION_MAX] | None = None,
        stage: StageOption | None = None,
    ) -> None:
        """Members open to a conversation, best match first."""
        guild_id = in_a_server(interaction)
        search = Search(
            field=" ".join(field.split()) or None if field else None,
            organization=" ".join(organization.split()) or None if organization else None,
            stage=stage,
        )
        async with self.bot.stores.guild(guild_id) as g:
            everyone = await g.listings()
            hidden = await g.hidden_from(interaction.user.id)
        found = find(
            everyone,
            search,
            asker_id=interaction.user.id,
            now=self.bot.clock.now(),
            hidden=list(hidden),
        )
        if not found:
            more = (
                " Try fewer options, e.g. `/network find`."
                if search != Search()
                else " Be the first: `/network join`."
            )
            await reply(interaction, f"No one in this server's network matches.{more}")
            return
        pages = directory_pages(found, search)
        officer = bool(interaction.permissions.manage_guild)
        view = DirectoryView(interaction.user.id, guild_id, found, pages, officer=officer)
        await reply(interaction, embed=pages[0], view=view)
        view.interaction = interaction

    @find.autocomplete("field")
    async def field_autocomplete(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """The common career fields, best match first."""
        return [
            app_commands.Choice(name=choice, value=choice)
            for choice in field_suggestions(current.replace(",", " ")[:FIELD_MAX])
            if len(choice) <= FIELD_MAX
        ]

    # -- /network requests -----------------------------------------------------------
    @network.command(name="requests")
    async def requests(self, interaction: Interaction) -> None:
        """Your open requests in this server, sent and received."""
        guild_id = in_a_server(interaction)
        async with self.bot.stores.guild(guild_id) as g:
            sent, received = await g.open_requests_of(interaction.user.id)
        if not sent and not received:
            await reply(
                interaction,
                "No requests waiting in this server. `/network find` shows who's open to a "
                "conversation.",
            )
            return
        fields = []
        if sent:
            fields.append(
                (
                    "You asked",
                    "\n".join(
                        f"**{member_text(r.listed_name)}**, asked {format_when(r.asked_at)}; "
                        f"lapses {format_when(r.expires_at)} if unanswered"
                        for r in sent
                    ),
                )
            )
        if received:
            fields.append(
                (
                    "Asking you",
                    "\n".join(
                        f"**{member_text(r.asker_name)}**: "
                        f"“{member_text(clip(r.message, 120))}” — answer by "
                        f"{format_when(r.expires_at)}"
                        for r in received
                    ),
                )
            )
        embed = make_embed("Your requests in this server's network", None, fields=fields)
        view: OwnedView | None = None
        if sent or received:
            view = OwnedView(interaction.user.id)
            if received:
                view.add_item(_ReceivedSelect(guild_id, received))
            if sent:
                view.add_item(_SentSelect(guild_id, sent))
        await reply(interaction, embed=embed, view=view)
        if view is not None:
            view.interaction = interaction

    # -- asking ----------------------------------------------------------------------------
    async def send_request(
        self, interaction: AnyInteraction, guild_id: int, listing: Listing, text: str
    ) -> None:
        """The form's message, checked, then the request (if the caps still allow)."""
        if interaction.guild_id != guild_id:
            raise UserError("Ask from the server whose directory you found them in.")
        text = text.strip()
        problems = message_problems(text)
        if problems:
            await reply(interaction, embed=problems_embed(problems, text))
            return
        async with self.bot.stores.guild(guild_id) as g:
            made = await g.ask(
                interaction.user.id, display_name(interaction), listing.user_id, text
            )
        if isinstance(made, Refusal):
            raise UserError(REFUSALS[made].format(name=f"**{member_text(listing.display_name)}**"))
        await self.bot.stores.hand_over(guild_id)
        await reply(
            interaction,
            f"📨 Sent to **{member_text(made.listed_name)}**. They have until "
            f"{format_when(made.expires_at)} to answer, and I'll DM you either way. "
            "`/network requests` shows what's waiting.",
        )

    async def remove_by_officer(
        self, interaction: AnyInteraction, guild_id: int, listing: Listing
    ) -> None:
        """An officer removes a listing (Manage Server, checked on the press itself)."""
        if interaction.guild_id != guild_id or not interaction.permissions.manage_guild:
            raise UserError("Only members with the Manage Server permission can remove a listing.")
        async with self.bot.stores.guild(guild_id) as g:
            closed = await g.remove_listing(listing.user_id)
        if closed is None:
            raise UserError(
                f"**{member_text(listing.display_name)}** isn't listed any more; nothing changed."
            )
        await self.bot.stores.hand_over(guild_id)
        await reply(
            interaction,
            f"Removed **{member_text(listing.display_name)}**'s listing. "
            f"{len(closed)} open request{'s' if len(closed) != 1 else ''} to them closed; "
            "each asker was told, kindly, that they can't take it on now.",
        )

    async def withdraw(self, interaction: AnyInteraction, guild_id: int, request_id: int) -> None:
        """The asker takes back a request still waiting for an answer."""
        if interaction.guild_id != guild_id:
            raise UserError("Withdraw it from the server you asked in.")
        async with self.bot.stores.guild(guild_id) as g:
            withdrawn = await g.withdraw(request_id, interaction.user.id)
        if withdrawn is None:
            raise UserError(
                "That request isn't one you sent, so nothing changed. `/network requests` "
                "lists yours."
            )
        request, changed = withdrawn
        name = member_text(request.listed_name)
        if not changed:
            raise UserError(f"Your request to **{name}** isn't waiting any more; nothing changed.")
        await reply(
            interaction,
            f"Withdrawn: **{name}** won't be asked, and it no longer counts toward your "
            "open requests. `/network find` to ask someone else.",
        )

    # -- answering -----------------------------------------------------------------------
    async def on_answer(
        self, interaction: AnyInteraction, answer: Answer, guild_id: int, request_id: int
    ) -> None:
        """Accept / Not now / Decline / Block, by the person the request was sent to."""
        not_yours = UserError(
            "That request isn't one addressed to you, so nothing changed. "
            "`/network requests` in the server lists the ones that are."
        )
        if not self.bot.stores.pool.exists("guilds", guild_id):
            raise not_yours
        async with self.bot.stores.guild(guild_id) as g:
            answered = await g.answer(request_id, interaction.user.id, answer)
        if answered is None:
            raise not_yours
        request, changed = answered
        await self.bot.stores.hand_over(guild_id)
        name = member_text(request.asker_name)
        if not changed:
            done = {
                RequestStatus.EXPIRED: f"This request from **{name}** lapsed after 7 days.",
                RequestStatus.CLOSED: f"This request from **{name}** was closed when your "
                "listing was removed.",
                RequestStatus.WITHDRAWN: f"**{name}** withdrew this request; there's nothing "
                "to answer.",
            }.get(request.status, f"You already answered **{name}**'s request.")
            if answer is Answer.BLOCK:
                done += f" **{name}** won't see you in the network again."
        elif answer is Answer.ACCEPT:
            done = (
                f"✅ Accepted: I've introduced you to **{name}**, who will write to you to "
                "find a time."
            )
        elif answer is Answer.BLOCK:
            done = (
                f"Declined, and **{name}** won't see you in the network again (they aren't told)."
            )
        else:
            done = f"Answered: **{name}** hears that you can't take it on right now."
        await interaction.response.edit_message(
            content=clip(done, CONTENT),
            embed=None,
            view=None,
            allowed_mentions=discord.AllowedMentions.none(),
        )

    # -- the DMs ---------------------------------------------------------------------------
    async def render_ask(self, store: MemberStore, reminder: Reminder) -> Outgoing | None:
        """The request's DM to the person listed, or None once it's no longer open."""
        request = await self._request(reminder, expire=False)
        if request is None or request.status is not RequestStatus.OPEN or request.silent:
            return None
        server = server_name(self.bot, reminder.server_id)
        assert reminder.server_id is not None
        return Outgoing(
            content=ask_text(request, server), view=answer_view(reminder.server_id, request)
        )

    async def ask_undelivered(self, user_id: int, reminder: Reminder) -> None:
        """The person listed can't get DMs: the request is closed and the asker told."""
        if reminder.server_id is None or not self.bot.stores.pool.exists(
            "guilds", reminder.server_id
        ):
            return
        async with self.bot.stores.guild(reminder.server_id) as g:
            await g.undelivered(reminder.subject_id)
        await self.bot.stores.hand_over(reminder.server_id)

    async def render_answer(self, store: MemberStore, reminder: Reminder) -> Outgoing | None:
        """The asker's DM: the answer (step 0), or at the 7-day mark, that it lapsed
        (step 1; None if it was answered)."""
        expiry = reminder.step == EXPIRY_STEP
        request = await self._request(reminder, expire=expiry)
        if request is None:
            return None
        server = server_name(self.bot, reminder.server_id)
        if expiry:
            if request.status is not RequestStatus.EXPIRED:
                return None
            return Outgoing(content=expiry_text(request, server))
        listing = await self._listing(reminder.server_id, request.listed_id)
        text = answer_text(request, server, listing)
        return None if text is None else Outgoing(content=clip(text, CONTENT))

    async def render_intro(self, store: MemberStore, reminder: Reminder) -> Outgoing | None:
        """The introduction to the person listed, once they accepted."""
        request = await self._request(reminder, expire=False)
        if request is None or request.status is not RequestStatus.ACCEPTED:
            return None
        listing = await self._listing(reminder.server_id, request.listed_id)
        return Outgoing(
            content=intro_text(request, server_name(self.bot, reminder.server_id), listing)
        )

    async def _request(self, reminder: Reminder, *, expire: bool) -> NetworkRequest | None:
        """The request a network DM is about (the member's store is held: member → guild
        is the one nesting allowed)."""
        if reminder.server_id is None or not self.bot.stores.pool.exists(
            "guilds", reminder.server_id
        ):
            return None
        async with self.bot.stores.guild(reminder.server_id) as g:
            if expire:
                return await g.expire(reminder.subject_id)
            return await g.get_request(reminder.subject_id)

    async def _listing(self, guild_id: int | None, user_id: int) -> Listing | None:
        if guild_id is None:
            return None
        async with self.bot.stores.guild(guild_id) as g:
            return await g.get_listing(user_id)


def _saved_text(new: bool, was_paused: bool) -> str:
    """The reply to /network join or edit."""
    if new:
        return (
            "✅ You're listed in this server's club network. Members find you with "
            "`/network find`; a request comes by DM with Accept, Not now and Decline. "
            "Change it with `/network edit`, take a break with `/network pause`, or "
            "`/network leave`."
        )
    resumed = " Your pause has ended: members can find you again." if was_paused else ""
    return f"✅ Your listing is updated.{resumed}"


async def setup(bot: InterviewBot) -> None:
    """Load the cog."""
    await bot.add_cog(Network(bot))
