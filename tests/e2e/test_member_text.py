"""Text from a member's LinkedIn export or their own typing is shown literally everywhere.

A connection named like a phishing lure ("Ann` [Verify your account](https://…)"), a
Position that is a masked link, a Company that mentions a role and @everyone: imported,
or typed into /prospect add, they go through every command and DM that shows them. No
reply, DM or embed part (content, title, description, field, footer) may hold a link
the member didn't give as one, nor a mention.
"""

from __future__ import annotations

from tests.support.e2e import settle
from tests.support.markup import clickable, masked_links, sent_parts

ANN_URL = "https://www.linkedin.com/in/ann-v"
BO_URL = "https://www.linkedin.com/in/bo-k"
# Links the member gave as links (a profile URL field): these may be clickable.
GIVEN_AS_LINKS = {ANN_URL, BO_URL}

CONNECTIONS = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email '
    'addresses are missing."\n'
    "\n"
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    f"Ann`,[Verify your account](https://evil.example/login),{ANN_URL},"
    "ann@evil.example,<@&123456789012345678> @everyone,"
    "[Claim your reward](https://evil.example/claim),01 Nov 2026\n"
    "Dee,<@123456789012345678>,,,[Acme](<https://evil.example/acme>),"
    "</mydata delete:123456789012345678>,02 Nov 2026\n"
).encode()

TYPED_NAME = "Bo [Click here](https://evil.example/typed) <#123456789012345678>"


async def prospect_ids(bot, user) -> dict[str, int]:
    async with bot.stores.member(user.id) as store:
        return {p.name.split()[0].rstrip("`"): p.id for p, _ in await store.list_prospects()}


async def test_phishing_names_and_positions_never_render_as_links_or_mentions(
    driver, emu, bot, clock, alice, bob, guild
):
    async def run(line: str):
        reply = await driver.run(line, user=alice, guild=guild)
        assert "Something went wrong" not in reply.text, reply.text
        return reply

    reply = await driver.run(
        "/prospect import",
        user=alice,
        guild=guild,
        attachments={"file": ("Connections.csv", CONNECTIONS)},
    )
    assert "2 added" in reply.text, reply.text
    await run(
        f'/prospect add name:"{TYPED_NAME}" role:"@everyone lead" '
        'organization:"[Bank](https://evil.example/bank)" '
        f'linkedin:"{BO_URL}" notes:"[Reset password](https://evil.example/reset) <@&1234>"'
    )
    ids = await prospect_ids(bot, alice)
    ann, dee, bo = ids["Ann"], ids["Dee"], ids["Bo"]
    await run('/settings profile name:"[Sam](https://evil.example/sam)" interest:"@here data"')
    await run("/settings show")

    for prospect in (ann, dee, bo):
        await run(f"/prospect show prospect:{prospect}")
        await run(f"/outreach draft prospect:{prospect}")
    await run("/prospect list")
    # Typed as a member would: part of the name, which several records might share.
    await run('/prospect show prospect:"Verify your account"')
    await run(f'/outreach sent prospect:{ann} when:"now"')
    await run(f"/outreach reply prospect:{dee} outcome:later")

    # Ann: a meeting soon, so its prep DM comes at once; then cancelled.
    await run(
        f'/meeting schedule prospect:{ann} when:"in 3 hours" '
        'place:"[Join the call](https://evil.example/zoom)"'
    )
    await driver.wait_for_dms(alice, count=1, interactions=False)
    await run(f'/meeting prep meeting:"{ann}"')
    await run("/meeting list")
    await run(f"/meeting calendar meeting:{ann}")
    meeting_ids = [m.id for m, _ in await _meetings(bot, alice)]
    await run(f"/meeting cancel meeting:{meeting_ids[0]}")
    # Bo: a meeting already held, with takeaways and referrals that are traps too.
    await run(
        f'/meeting log prospect:{bo} when:"yesterday 4pm" '
        'takeaways:"[Free gift](https://evil.example/gift) @everyone" '
        'referrals:"Cy [Win](https://evil.example/win) (see https://evil.example/note)"'
    )
    (held,) = [m.id for m, p in await _meetings(bot, alice) if p.id == bo]
    await run(f"/thanks draft meeting:{held}")
    await run("/progress")
    await run(
        '/questions add text:"Which [trends](https://evil.example/q) matter most to you?" '
        "category:trends"
    )
    await run("/questions list")
    await driver.run("/questions list", user=bob, guild=guild)

    # The DMs: the thank-you nudge (with the takeaways) and the 3B7 checkpoints.
    clock.advance(days=10)
    await settle(bot)
    await run("/progress")

    parts = list(sent_parts(emu.requests))
    assert len(parts) > 50, "every command above answered"
    shown = "\n".join(text for _, text in parts)
    for trap in ("Verify your account", "Claim your reward", "Click here", "Free gift", "Win"):
        assert trap in shown, f"{trap!r} is shown, as text"
    assert not [(where, text) for where, text in parts if masked_links(text)]
    found = [
        (where, link)
        for where, text in parts
        for link in clickable(text)
        if link not in GIVEN_AS_LINKS
    ]
    assert found == []
    assert any(BO_URL in text for _, text in parts), "a given profile link is still shown"


async def _meetings(bot, user):
    async with bot.stores.member(user.id) as store:
        return await store.list_meetings("all")
