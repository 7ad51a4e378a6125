"""A small throwaway bot that exercises every interaction kind the emulator supports."""

from __future__ import annotations

import io

import discord
from discord import app_commands
from discord.ext import commands

from bot.emulator import bot_kwargs

PEOPLE = ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Katherine Johnson"]


class DemoView(discord.ui.View):
    """A persistent view: two buttons and a select."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Yes", custom_id="demo:yes", style=discord.ButtonStyle.success)
    async def yes(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.edit_message(content="You said yes", view=None)

    @discord.ui.button(label="No", custom_id="demo:no", style=discord.ButtonStyle.danger)
    async def no(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.send_message("No it is", ephemeral=True)

    @discord.ui.button(label="Later", custom_id="demo:later")
    async def later(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.defer()
        await interaction.edit_original_response(content="Snoozed", view=None)

    @discord.ui.select(
        custom_id="demo:pick",
        placeholder="Pick a stage",
        options=[
            discord.SelectOption(label="Cold", value="cold"),
            discord.SelectOption(label="Warm", value="warm"),
        ],
    )
    async def pick(self, interaction: discord.Interaction, select: discord.ui.Select) -> None:
        await interaction.response.send_message(f"picked {select.values[0]}", ephemeral=True)


class ConfirmView(discord.ui.View):
    """A non-persistent view (random custom_ids, stored against the response message id)."""

    @discord.ui.button(label="Confirm")
    async def confirm(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.send_message("confirmed", ephemeral=True)


class NoteModal(discord.ui.Modal, title="Add a note"):
    body: discord.ui.TextInput = discord.ui.TextInput(
        label="Note", custom_id="note:body", style=discord.TextStyle.paragraph, min_length=2
    )
    mood: discord.ui.TextInput = discord.ui.TextInput(
        label="Mood", custom_id="note:mood", required=False, max_length=10
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            f"noted: {self.body.value} ({self.mood.value or 'no mood'})", ephemeral=True
        )


class DemoCog(commands.Cog):
    demo = app_commands.Group(name="demo", description="Demo commands")
    pipeline = app_commands.Group(name="pipeline", description="Pipeline", parent=demo)

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @demo.command(name="echo", description="Echo text")
    async def echo(
        self, interaction: discord.Interaction, text: str, times: app_commands.Range[int, 1, 3] = 1
    ) -> None:
        await interaction.response.send_message(" ".join([text] * times))

    @pipeline.command(name="move", description="Move a prospect")
    @app_commands.choices(
        stage=[
            app_commands.Choice(name="Cold", value="cold"),
            app_commands.Choice(name="Established", value="established"),
        ]
    )
    async def move(
        self, interaction: discord.Interaction, name: str, stage: app_commands.Choice[str]
    ) -> None:
        await interaction.response.send_message(f"{name} -> {stage.value}")

    @demo.command(name="find", description="Find a person")
    async def find(self, interaction: discord.Interaction, person: str) -> None:
        await interaction.response.send_message(f"found {person}", ephemeral=True)

    @find.autocomplete("person")
    async def find_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        matches = [p for p in PEOPLE if current.lower() in p.lower()] or PEOPLE
        return [app_commands.Choice(name=p, value=p.lower().replace(" ", "-")) for p in matches]

    @demo.command(name="upload", description="Upload a CSV")
    async def upload(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        data = await file.read()
        first = data.decode().splitlines()[0]
        await interaction.response.send_message(f"{file.filename}: {len(data)} bytes, {first}")

    @demo.command(name="slow", description="Defer then edit")
    async def slow(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await interaction.edit_original_response(
            content="done slowly", embed=discord.Embed(title="Result", description="All good")
        )

    @demo.command(name="followups", description="Defer then two followups")
    async def followups(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer()
        await interaction.followup.send("first")
        await interaction.followup.send("second", ephemeral=True)

    @demo.command(name="report", description="Send a file")
    async def report(self, interaction: discord.Interaction) -> None:
        file = discord.File(io.BytesIO(b"name,stage\nAda,cold\n"), filename="report.csv")
        await interaction.response.send_message("your report", file=file, ephemeral=True)

    @demo.command(name="buttons", description="Buttons and a select")
    async def buttons(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Pick one", view=DemoView())

    @demo.command(name="confirm", description="A one-off view")
    async def confirm(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Sure?", view=ConfirmView(timeout=60))

    @demo.command(name="note", description="Open a modal")
    async def note(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(NoteModal())

    @demo.command(name="dm", description="DM the invoker")
    async def dm(self, interaction: discord.Interaction) -> None:
        try:
            await interaction.user.send("Reminder: follow up with Ada", view=DemoView())
        except discord.Forbidden as exc:
            await interaction.response.send_message(f"forbidden {exc.code}", ephemeral=True)
        else:
            await interaction.response.send_message("sent you a DM", ephemeral=True)

    @demo.command(name="big", description="Break the content limit")
    async def big(self, interaction: discord.Interaction) -> None:
        assert interaction.channel is not None
        try:
            await interaction.channel.send("x" * 2001)  # type: ignore[union-attr]
        except discord.HTTPException as exc:
            await interaction.response.send_message(f"rejected {exc.status} {exc.code}")

    @demo.command(name="toolong", description="Answer with too much content")
    async def toolong(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("y" * 2001)

    @demo.command(name="silent", description="Defer and never answer")
    async def silent(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer()

    @demo.command(name="nonce", description="Send twice with one nonce")
    async def nonce(self, interaction: discord.Interaction) -> None:
        channel = interaction.channel
        first = await channel.send("only once", nonce=4242)  # type: ignore[union-attr]
        second = await channel.send("only once", nonce=4242)  # type: ignore[union-attr]
        await interaction.response.send_message(f"same={first.id == second.id}")

    @app_commands.command(name="admin", description="Managers only")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    async def admin(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            "@everyone admin ok", allowed_mentions=discord.AllowedMentions.none()
        )


class DemoBot(commands.Bot):
    """The throwaway bot: one cog, one persistent view."""

    def __init__(self) -> None:
        super().__init__(**bot_kwargs())  # type: ignore[arg-type]

    async def setup_hook(self) -> None:
        await self.add_cog(DemoCog(self))
        self.add_view(DemoView())
