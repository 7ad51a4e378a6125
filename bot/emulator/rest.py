"""The emulator's REST API (``/api/v10/...``): the routes discord.py uses, Discord's way.

Every response body is JSON with a content type of exactly ``application/json`` (discord.py
only decodes JSON when the header matches exactly). Unknown routes answer 404 and are
logged loudly and recorded in ``Emulator.unknown_routes``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from aiohttp import BodyPartReader, web

from .models import LOADING, BotResponse, Channel, InteractionRecord, Message
from .ratelimits import Refusal
from .validation import (
    FILES_MAX,
    flatten_errors,
    is_empty_message,
    upload_too_large,
    validate_choices,
    validate_command,
    validate_message,
    validate_modal,
)

if TYPE_CHECKING:
    from .server import Emulator, RequestLog

log = logging.getLogger(__name__)

API_PREFIX = "/api/v10"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Files = list[tuple[str, bytes, str | None]]

# Which callback types each interaction type accepts.
ALLOWED_CALLBACKS = {
    2: {4, 5, 9, 10},
    3: {4, 5, 6, 7, 9, 10},
    4: {8},
    5: {4, 5, 6, 7, 10},
}
MESSAGE_CALLBACKS = {4, 7}

# The log entry of the request being handled (set by the middleware, filled by read_body).
_current_log: ContextVar[RequestLog | None] = ContextVar("emulator_request_log", default=None)


class ApiError(Exception):
    """An error answered in Discord's JSON shape."""

    def __init__(
        self, status: int, code: int, message: str, errors: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors

    def response(self) -> web.Response:
        """The JSON error response."""
        body: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors:
            body["errors"] = self.errors
        return json_response(body, status=self.status)


def json_response(
    data: Any, *, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """A response whose Content-Type is exactly ``application/json`` (no charset)."""
    response = web.Response(body=json.dumps(data).encode(), status=status, headers=headers)
    response.headers["Content-Type"] = "application/json"
    return response


def no_content() -> web.Response:
    """An empty 204 response."""
    return web.Response(status=204)


def _not_found(what: str, code: int) -> ApiError:
    return ApiError(404, code, f"Unknown {what}")


def _form_error(code: str, message: str) -> dict[str, Any]:
    """One field's entry in a 400 Invalid Form Body's ``errors``."""
    return {"_errors": [{"code": code, "message": message}]}


def _read_back(message: Message) -> dict[str, Any]:
    """A message as a read (GET) returns it: Discord echoes a nonce only when the message
    is created (in the POST answer and MESSAGE_CREATE), never when it is read back."""
    data = message.payload()
    data.pop("nonce", None)
    return data


def _route_template(request: web.Request) -> str | None:
    """The path template of the API route `request` matched (e.g.
    ``/channels/{channel_id}/messages``), or None for an unknown route."""
    resource = request.match_info.route.resource
    if resource is None or not resource.canonical.startswith(API_PREFIX + "/"):
        return None  # the catch-all of unknown routes
    return resource.canonical.removeprefix(API_PREFIX)


def _snowflake(request: web.Request, key: str) -> int:
    try:
        return int(request.match_info[key])
    except ValueError:
        raise ApiError(
            400,
            50035,
            "Invalid Form Body",
            {
                key: {
                    "_errors": [
                        {"code": "NUMBER_TYPE_COERCE", "message": "Value is not snowflake."}
                    ]
                }
            },
        ) from None


async def read_body(request: web.Request) -> tuple[Any, Files]:
    """Parse a JSON body, or a multipart body of ``payload_json`` plus ``files[n]`` parts.

    Returns ``(json, files)`` with ``files`` as ``(filename, bytes, content_type)`` in index
    order. The JSON is also stored on the request's log entry.
    """
    payload: Any = None
    indexed: list[tuple[int, str, bytes, str | None]] = []
    if request.content_type.startswith("multipart/"):
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader):
                continue  # Discord's uploads never nest multipart bodies
            name = part.name or ""
            if name == "payload_json":
                payload = json.loads(await part.text())
            elif name.startswith("files[") or name.startswith("file"):
                digits = "".join(ch for ch in name if ch.isdigit())
                data = await part.read(decode=False)
                filename = getattr(part, "filename", None) or f"file{digits or 0}"
                content_type = part.headers.get("Content-Type")
                indexed.append((int(digits or len(indexed)), filename, bytes(data), content_type))
            else:
                log.warning("REST: ignoring multipart field %r", name)
    elif request.body_exists:
        raw = await request.read()
        if raw:
            try:
                payload = json.loads(raw)
            except ValueError:
                raise ApiError(400, 50109, "The request body contains invalid JSON.") from None
    entry = _current_log.get()
    if entry is not None:
        entry.json = payload
    indexed.sort(key=lambda item: item[0])
    return payload, [(name, data, ctype) for _, name, data, ctype in indexed]


class RestApi:
    """Route handlers bound to one :class:`~bot.emulator.server.Emulator`."""

    def __init__(self, emu: Emulator) -> None:
        self.emu = emu

    # ------------------------------------------------------------------ plumbing

    def add_routes(self, app: web.Application) -> None:
        """Register every route on ``app`` (the catch-all 404 last)."""
        p = API_PREFIX
        r = app.router
        r.add_get(p + "/users/@me", self.get_me)
        r.add_get(p + "/users/{user_id}", self.get_user)
        r.add_post(p + "/users/@me/channels", self.create_dm)
        r.add_get(p + "/oauth2/applications/@me", self.get_application)
        r.add_get(p + "/applications/@me", self.get_application)
        r.add_get(p + "/gateway", self.get_gateway)
        r.add_get(p + "/gateway/bot", self.get_gateway)
        for base in ("/applications/{app_id}", "/applications/{app_id}/guilds/{guild_id}"):
            r.add_get(p + base + "/commands", self.list_commands)
            r.add_put(p + base + "/commands", self.put_commands)
            r.add_post(p + base + "/commands", self.upsert_command)
            r.add_get(p + base + "/commands/{command_id}", self.get_command)
            r.add_patch(p + base + "/commands/{command_id}", self.edit_command)
            r.add_delete(p + base + "/commands/{command_id}", self.delete_command)
        r.add_post(p + "/interactions/{interaction_id}/{token}/callback", self.callback)
        r.add_post(p + "/webhooks/{app_id}/{token}", self.create_followup)
        msg = p + "/webhooks/{app_id}/{token}/messages/{message_id}"
        r.add_get(msg, self.get_webhook_message)
        r.add_patch(msg, self.edit_webhook_message)
        r.add_delete(msg, self.delete_webhook_message)
        r.add_get(p + "/channels/{channel_id}", self.get_channel)
        r.add_get(p + "/channels/{channel_id}/messages", self.list_messages)
        r.add_post(p + "/channels/{channel_id}/messages", self.create_message)
        one = p + "/channels/{channel_id}/messages/{message_id}"
        r.add_get(one, self.get_message)
        r.add_patch(one, self.edit_message)
        r.add_delete(one, self.delete_message)
        r.add_post(p + "/channels/{channel_id}/typing", self.ok_no_content)
        r.add_route("*", one + "/reactions/{tail:.*}", self.ok_no_content)
        r.add_get(p + "/guilds/{guild_id}", self.get_guild)
        r.add_get(p + "/guilds/{guild_id}/channels", self.get_guild_channels)
        r.add_get(p + "/guilds/{guild_id}/roles", self.get_guild_roles)
        r.add_get(p + "/guilds/{guild_id}/members", self.list_members)
        r.add_get(p + "/guilds/{guild_id}/members/{user_id}", self.get_member)
        r.add_get("/attachments/{attachment_id}/{filename}", self.get_attachment)
        r.add_route("*", "/{tail:.*}", self.unknown_route)

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Log requests, enforce auth, inject rate limits, render errors, wake waiters."""
        from .server import RequestLog

        emu = self.emu
        if not request.path.startswith(API_PREFIX):
            return await handler(request)
        path = request.path[len(API_PREFIX) :] or "/"
        entry = RequestLog(request.method, path, dict(request.query))
        _current_log.set(entry)
        emu.requests.append(entry)
        log.debug("REST %s %s", request.method, path)
        if emu._should_rate_limit(request.method, path):
            entry.status = 429
            emu.rate_limited.append(f"{request.method} {path}")
            log.info("REST: answering %s %s with a global 429", request.method, path)
            forced = Refusal.global_limit(emu.rate_limit_retry_after)
            return json_response(forced.body(), status=429, headers=forced.all_headers())
        if (
            not path.startswith(("/interactions/", "/webhooks/"))
            and request.headers.get("Authorization") != f"Bot {emu.token}"
        ):
            entry.status = 401
            log.error("REST: %s %s with a missing or wrong token", request.method, path)
            return json_response({"message": "401: Unauthorized", "code": 0}, status=401)
        refusal, limit_headers = emu.rate_limits.admit(
            request.method, _route_template(request), path, request.match_info
        )
        if refusal is not None:
            entry.status = 429
            emu.rate_limited.append(f"{request.method} {path}")
            log.warning(
                "REST: %s %s over Discord's %s rate limit; answering 429",
                request.method,
                path,
                "global" if refusal.is_global else "per-route",
            )
            return json_response(refusal.body(), status=429, headers=refusal.all_headers())
        try:
            response = await handler(request)
        except ApiError as exc:
            response = exc.response()
        response.headers.update(limit_headers)
        entry.status = response.status
        if request.method != "GET":
            # Finish sending the response before waking the driver, so the bot has its
            # answer (and e.g. has stored its view) before the next interaction arrives.
            await response.prepare(request)
            await response.write_eof()
            await emu.notify()
        return response

    def _reject(
        self,
        request: web.Request,
        errors: dict[str, Any],
        *,
        record: InteractionRecord | None = None,
        code: int = 50035,
        message: str = "Invalid Form Body",
        status: int = 400,
    ) -> ApiError:
        """Record a limit violation loudly and build the error (a 400 unless said) to raise."""
        from .server import Violation

        details = flatten_errors(errors) if errors else [message]
        violation = Violation(request.method, request.path, code, message, errors, details)
        self.emu.violations.append(violation)
        log.error("Discord would reject the bot's request: %s", violation)
        if record is not None:
            record.rejections.append(str(violation))
        return ApiError(status, code, message, errors or None)

    def _check_message(
        self,
        request: web.Request,
        data: dict[str, Any],
        files: Files,
        *,
        edit: bool = False,
        record: InteractionRecord | None = None,
    ) -> None:
        errors = validate_message(data, has_files=bool(files), edit=edit)
        if errors:
            raise self._reject(request, errors, record=record)
        if not edit and is_empty_message(data, has_files=bool(files)):
            raise self._reject(
                request, {}, record=record, code=50006, message="Cannot send an empty message"
            )
        if len(files) > FILES_MAX:
            raise self._reject(
                request,
                {},
                record=record,
                code=30015,
                message=f"Maximum number of attachments in a message reached ({FILES_MAX})",
            )
        if upload_too_large([len(content) for _, content, _ in files]):
            raise self._reject(
                request,
                {},
                record=record,
                code=40005,
                message="Request entity too large",
                status=413,
            )

    async def unknown_route(self, request: web.Request) -> web.Response:
        """404 for anything not implemented — logged loudly so missing routes are obvious."""
        route = f"{request.method} {request.path}"
        self.emu.unknown_routes.append(route)
        log.error("EMULATOR: no route for %s — add it to bot/emulator/rest.py", route)
        return json_response({"message": "404: Not Found", "code": 0}, status=404)

    async def ok_no_content(self, request: web.Request) -> web.Response:
        """204 for fire-and-forget routes (typing, reactions)."""
        return no_content()

    # ------------------------------------------------------------------ users & app

    async def get_me(self, request: web.Request) -> web.Response:
        """``GET /users/@me``: the bot user."""
        return json_response(
            {**self.emu.bot.payload(), "verified": True, "mfa_enabled": False, "locale": "en-US"}
        )

    async def get_user(self, request: web.Request) -> web.Response:
        """``GET /users/{id}``."""
        user = self.emu.users.get(_snowflake(request, "user_id"))
        if user is None:
            raise _not_found("User", 10013)
        return json_response(user.payload())

    async def create_dm(self, request: web.Request) -> web.Response:
        """``POST /users/@me/channels``: open (or return) the DM channel with a user."""
        body, _ = await read_body(request)
        user = self.emu.users.get(int((body or {}).get("recipient_id") or 0))
        if user is None:
            raise _not_found("User", 10013)
        return json_response(self.emu.dm_channel(user).payload())

    async def get_application(self, request: web.Request) -> web.Response:
        """``GET /oauth2/applications/@me``: application info (owner, flags...)."""
        emu = self.emu
        return json_response(
            {
                "id": str(emu.application_id),
                "name": emu.bot.name,
                "icon": None,
                "description": "",
                "summary": "",
                "type": None,
                "rpc_origins": [],
                "bot_public": True,
                "bot_require_code_grant": False,
                "bot": emu.bot.payload(),
                "owner": emu.owner.payload(),
                "team": None,
                "verify_key": "0" * 64,
                "flags": 0,
                "tags": [],
                "redirect_uris": [],
                "approximate_guild_count": len(emu.guilds),
                "integration_types_config": {"0": {}, "1": {}},
            }
        )

    async def get_gateway(self, request: web.Request) -> web.Response:
        """``GET /gateway`` and ``/gateway/bot``."""
        return json_response(
            {
                "url": self.emu.gateway_url.rstrip("/"),
                "shards": 1,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 1000,
                    "reset_after": 0,
                    "max_concurrency": 1,
                },
            }
        )

    # ------------------------------------------------------------------ commands

    def _command_list(self, request: web.Request) -> tuple[list[dict[str, Any]], int | None]:
        app_id = _snowflake(request, "app_id")
        if app_id != self.emu.application_id:
            raise _not_found("Application", 10002)
        if "guild_id" not in request.match_info:
            return self.emu.global_commands, None
        guild_id = _snowflake(request, "guild_id")
        if guild_id not in self.emu.guilds:
            raise ApiError(403, 50001, "Missing Access")
        return self.emu.guild_commands.setdefault(guild_id, []), guild_id

    def _stored_command(
        self, payload: dict[str, Any], existing: list[dict[str, Any]], guild_id: int | None
    ) -> dict[str, Any]:
        ctype = payload.get("type", 1)
        old = next(
            (c for c in existing if c["name"] == payload.get("name") and c["type"] == ctype), None
        )
        command: dict[str, Any] = {
            "type": 1,
            "description": "",
            "options": [],
            "default_member_permissions": None,
            "dm_permission": True,
            "nsfw": False,
            "contexts": None,
            "integration_types": [0],
            **payload,
        }
        command["type"] = ctype
        command["id"] = old["id"] if old else str(self.emu.snowflakes.next())
        command["application_id"] = str(self.emu.application_id)
        command["version"] = str(self.emu.snowflakes.next())
        if guild_id is not None:
            command["guild_id"] = str(guild_id)
        return command

    def _validate_commands(self, request: web.Request, payloads: list[dict[str, Any]]) -> None:
        errors = {str(i): e for i, p in enumerate(payloads) if (e := validate_command(p))}
        if errors:
            raise self._reject(request, errors)

    async def list_commands(self, request: web.Request) -> web.Response:
        """``GET .../commands``."""
        commands, _ = self._command_list(request)
        return json_response(commands)

    async def put_commands(self, request: web.Request) -> web.Response:
        """``PUT .../commands``: bulk overwrite (what ``tree.sync()`` does)."""
        commands, guild_id = self._command_list(request)
        body, _ = await read_body(request)
        payloads = list(body or [])
        self._validate_commands(request, payloads)
        stored = [self._stored_command(p, commands, guild_id) for p in payloads]
        commands[:] = stored
        log.info(
            "synced %d %s command(s): %s",
            len(stored),
            f"guild {guild_id}" if guild_id else "global",
            ", ".join(c["name"] for c in stored),
        )
        return json_response(stored)

    async def upsert_command(self, request: web.Request) -> web.Response:
        """``POST .../commands``: create or replace one command."""
        commands, guild_id = self._command_list(request)
        body, _ = await read_body(request)
        self._validate_commands(request, [body])
        command = self._stored_command(body, commands, guild_id)
        commands[:] = [c for c in commands if c["id"] != command["id"]] + [command]
        return json_response(command, status=201)

    def _find_command(self, request: web.Request) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        commands, _ = self._command_list(request)
        command_id = request.match_info["command_id"]
        command = next((c for c in commands if c["id"] == command_id), None)
        if command is None:
            raise _not_found("application command", 10063)
        return commands, command

    async def get_command(self, request: web.Request) -> web.Response:
        """``GET .../commands/{id}``."""
        _, command = self._find_command(request)
        return json_response(command)

    async def edit_command(self, request: web.Request) -> web.Response:
        """``PATCH .../commands/{id}``."""
        _, command = self._find_command(request)
        body, _ = await read_body(request)
        command.update(body or {})
        return json_response(command)

    async def delete_command(self, request: web.Request) -> web.Response:
        """``DELETE .../commands/{id}``."""
        commands, command = self._find_command(request)
        commands.remove(command)
        return no_content()

    # ------------------------------------------------------------------ interactions

    def _record_for(self, request: web.Request) -> InteractionRecord:
        record = self.emu._interaction_for_token(request.match_info["token"])
        if record is None:
            raise _not_found("Webhook", 10015)
        if "app_id" in request.match_info and (
            _snowflake(request, "app_id") != self.emu.application_id
        ):
            raise _not_found("Webhook", 10015)
        return record

    def _channel_of(self, record: InteractionRecord) -> Channel:
        return self.emu.channels[record.channel_id]

    async def callback(self, request: web.Request) -> web.Response:
        """``POST /interactions/{id}/{token}/callback``: the bot's initial response."""
        emu = self.emu
        record = emu._interaction_for_token(request.match_info["token"])
        if record is None or str(record.id) != request.match_info["interaction_id"]:
            raise _not_found("interaction", 10062)
        body, files = await read_body(request)
        body = body or {}
        ctype = body.get("type")
        data = body.get("data") or {}
        if record.callback_type is not None:
            raise ApiError(400, 40060, "Interaction has already been acknowledged.")
        if ctype not in ALLOWED_CALLBACKS.get(record.type, set()):
            raise self._reject(
                request,
                {
                    "type": {
                        "_errors": [
                            {
                                "code": "INTERACTION_RESPONSE_TYPE_INVALID",
                                "message": f"Callback type {ctype} is not valid for "
                                f"interaction type {record.type}",
                            }
                        ]
                    }
                },
                record=record,
            )
        if ctype in MESSAGE_CALLBACKS:
            self._check_message(request, data, files, edit=ctype == 7, record=record)
        elif ctype == 8:
            if errors := validate_choices(data):
                raise self._reject(request, {"data": errors}, record=record)
        elif ctype == 9 and (errors := validate_modal(data)):
            raise self._reject(request, {"data": errors}, record=record)

        record.callback_type = ctype
        emu._record_response(
            record,
            BotResponse("callback", ctype, data, [(n, b) for n, b, _ in files]),
        )
        channel = self._channel_of(record)
        message: Message | None = None
        if ctype == 4:
            message = emu._create_message(channel, data, files, record=record)
        elif ctype == 5:
            flags = LOADING | (int(data.get("flags") or 0) & 64)
            message = emu._create_message(channel, {"flags": flags}, [], record=record)
        elif ctype in (6, 7):
            message = emu.messages.get(record.component_message_id or 0)
            if message is not None and ctype == 7:
                emu._edit_message(message, data, files)
        elif ctype == 8:
            record.choices = list(data.get("choices") or [])
        elif ctype == 9:
            record.modal = data
        if message is not None:
            record.original_message_id = message.id
            record.responses[-1].message_id = message.id
        if ctype not in (5, 6):
            record.settled = True

        interaction: dict[str, Any] = {
            "id": str(record.id),
            "type": record.type,
            "response_message_loading": ctype == 5,
            "response_message_ephemeral": bool(message is not None and message.ephemeral),
        }
        result: dict[str, Any] = {"interaction": interaction}
        if message is not None:
            interaction["response_message_id"] = str(message.id)
            result["resource"] = {"type": ctype, "message": message.payload()}
        return json_response(result)

    def _webhook_message(self, request: web.Request, record: InteractionRecord) -> Message:
        raw = request.match_info["message_id"]
        if raw == "@original":
            message_id = record.original_message_id
        else:
            message_id = int(raw) if raw.isdigit() else None
            if message_id not in record.followup_ids and message_id != record.original_message_id:
                message_id = None
        message = self.emu.messages.get(message_id or 0)
        if message is None or message.deleted:
            raise _not_found("Message", 10008)
        return message

    async def create_followup(self, request: web.Request) -> web.StreamResponse:
        """``POST /webhooks/{app}/{token}``: a followup message."""
        emu = self.emu
        record = self._record_for(request)
        if record.callback_type is None:
            raise _not_found("Webhook", 10015)
        body, files = await read_body(request)
        body = body or {}
        self._check_message(request, body, files, record=record)
        original = emu.messages.get(record.original_message_id or 0)
        if record.callback_type == 5 and original is not None and original.loading:
            # The first followup after a "thinking" deferral replaces the loading message.
            message = emu._edit_message(original, body, files)
        else:
            message = emu._create_message(self._channel_of(record), body, files, record=record)
        record.followup_ids.append(message.id)
        emu._record_response(
            record,
            BotResponse("followup", None, body, [(n, b) for n, b, _ in files], message.id),
        )
        record.settled = True
        if request.query.get("wait", "").lower() in ("true", "1"):
            return json_response(message.payload())
        return no_content()

    async def get_webhook_message(self, request: web.Request) -> web.Response:
        """``GET /webhooks/{app}/{token}/messages/{id|@original}``."""
        record = self._record_for(request)
        return json_response(self._webhook_message(request, record).payload())

    async def edit_webhook_message(self, request: web.Request) -> web.Response:
        """``PATCH /webhooks/{app}/{token}/messages/{id|@original}``."""
        emu = self.emu
        record = self._record_for(request)
        message = self._webhook_message(request, record)
        body, files = await read_body(request)
        body = body or {}
        self._check_message(request, body, files, edit=True, record=record)
        emu._edit_message(message, body, files)
        is_original = message.id == record.original_message_id
        emu._record_response(
            record,
            BotResponse(
                "edit_original" if is_original else "edit_followup",
                None,
                body,
                [(n, b) for n, b, _ in files],
                message.id,
            ),
        )
        if is_original:
            record.settled = True
        return json_response(message.payload())

    async def delete_webhook_message(self, request: web.Request) -> web.Response:
        """``DELETE /webhooks/{app}/{token}/messages/{id|@original}``."""
        record = self._record_for(request)
        message = self._webhook_message(request, record)
        self.emu._delete_message(message)
        is_original = message.id == record.original_message_id
        kind = "delete_original" if is_original else "delete_followup"
        self.emu._record_response(record, BotResponse(kind, None, {}, [], message.id))
        if is_original:
            record.settled = True
        return no_content()

    # ------------------------------------------------------------------ channels & messages

    def _channel(self, request: web.Request) -> Channel:
        channel = self.emu.channels.get(_snowflake(request, "channel_id"))
        if channel is None:
            raise _not_found("Channel", 10003)
        return channel

    def _message(self, request: web.Request, channel: Channel) -> Message:
        message = self.emu.messages.get(_snowflake(request, "message_id"))
        if (
            message is None
            or message.deleted
            or message.channel_id != channel.id
            or message.ephemeral
        ):
            raise _not_found("Message", 10008)
        return message

    async def get_channel(self, request: web.Request) -> web.Response:
        """``GET /channels/{id}``."""
        return json_response(self._channel(request).payload())

    async def list_messages(self, request: web.Request) -> web.Response:
        """``GET /channels/{id}/messages``, as Discord pages it: always newest first, at
        most ``limit`` (1–100, default 50), and at most one of ``before`` (the newest
        messages older than that id), ``after`` (the oldest messages newer than it) or
        ``around`` (up to ``limit // 2`` older, and that message with the newer ones
        after it: ``limit`` in all). The ids need not be messages (a snowflake made
        from a time is fine). Like Discord, a message read back has no ``nonce``.
        """
        channel = self._channel(request)
        query = request.query
        errors: dict[str, Any] = {}
        limit = 50
        if "limit" in query:
            try:
                limit = int(query["limit"])
            except ValueError:
                errors["limit"] = _form_error("NUMBER_TYPE_COERCE", "Value is not int.")
            else:
                if not 1 <= limit <= 100:
                    errors["limit"] = _form_error(
                        "NUMBER_TYPE_MAX" if limit > 100 else "NUMBER_TYPE_MIN",
                        "int value should be between 1 and 100.",
                    )
        anchors: dict[str, int] = {}
        for key in ("before", "after", "around"):
            if key in query:
                try:
                    anchors[key] = int(query[key])
                except ValueError:
                    errors[key] = _form_error("NUMBER_TYPE_COERCE", "Value is not snowflake.")
        if len(anchors) > 1:
            errors["around"] = _form_error(
                "BASE_TYPE_BAD_COMBINATION", "Only one of before, after or around may be given."
            )
        if errors:
            raise self._reject(request, errors)
        oldest_first = [m for m in self.emu.channel_messages(channel.id) if not m.ephemeral]
        if "before" in anchors:
            page = [m for m in oldest_first if m.id < anchors["before"]][-limit:]
        elif "after" in anchors:
            page = [m for m in oldest_first if m.id > anchors["after"]][:limit]
        elif "around" in anchors:
            older = [m for m in oldest_first if m.id < anchors["around"]]
            older = older[max(0, len(older) - limit // 2) :] if limit // 2 else []
            newer = [m for m in oldest_first if m.id >= anchors["around"]]
            page = older + newer[: limit - len(older)]
        else:
            page = oldest_first[-limit:]
        return json_response([_read_back(m) for m in reversed(page)])

    async def create_message(self, request: web.Request) -> web.Response:
        """``POST /channels/{id}/messages``: with nonce de-duplication and closed-DM 403s."""
        emu = self.emu
        channel = self._channel(request)
        body, files = await read_body(request)
        body = body or {}
        if emu._is_dm_closed(channel):
            log.info("REST: DM to %s refused (DMs closed)", channel.recipient)
            raise ApiError(403, 50007, "Cannot send messages to this user")
        self._check_message(request, body, files)
        nonce = body.get("nonce")
        if nonce is not None and body.get("enforce_nonce"):
            earlier = emu._find_nonce(emu.bot.id, str(nonce))
            if earlier is not None:
                log.info("REST: nonce %s already used; returning message %s", nonce, earlier.id)
                return json_response(earlier.payload())
        message = emu._create_message(channel, body, files)
        if nonce is not None:
            emu._nonces[(emu.bot.id, str(nonce))] = message
        return json_response(message.payload())

    async def get_message(self, request: web.Request) -> web.Response:
        """``GET /channels/{id}/messages/{id}``."""
        channel = self._channel(request)
        return json_response(self._message(request, channel).payload())

    async def edit_message(self, request: web.Request) -> web.Response:
        """``PATCH /channels/{id}/messages/{id}``."""
        emu = self.emu
        channel = self._channel(request)
        message = self._message(request, channel)
        body, files = await read_body(request)
        body = body or {}
        self._check_message(request, body, files, edit=True)
        emu._edit_message(message, body, files)
        # A component interaction deferred with type 6 settles when its message is edited.
        for record in emu.interactions.values():
            if record.callback_type == 6 and record.original_message_id == message.id:
                record.settled = True
        return json_response(message.payload())

    async def delete_message(self, request: web.Request) -> web.Response:
        """``DELETE /channels/{id}/messages/{id}``."""
        channel = self._channel(request)
        self.emu._delete_message(self._message(request, channel))
        return no_content()

    # ------------------------------------------------------------------ guilds

    def _guild(self, request: web.Request) -> Any:
        guild = self.emu.guilds.get(_snowflake(request, "guild_id"))
        if guild is None:
            raise _not_found("Guild", 10004)
        return guild

    async def get_guild(self, request: web.Request) -> web.Response:
        """``GET /guilds/{id}``."""
        data = self._guild(request).payload()
        for key in ("channels", "members", "threads", "voice_states", "presences"):
            data.pop(key, None)
        return json_response(data)

    async def get_guild_channels(self, request: web.Request) -> web.Response:
        """``GET /guilds/{id}/channels``."""
        return json_response([c.payload() for c in self._guild(request).channels.values()])

    async def get_guild_roles(self, request: web.Request) -> web.Response:
        """``GET /guilds/{id}/roles``."""
        return json_response([r.payload() for r in self._guild(request).roles.values()])

    async def list_members(self, request: web.Request) -> web.Response:
        """``GET /guilds/{id}/members``."""
        limit = int(request.query.get("limit", "1"))
        members = list(self._guild(request).members.values())[:limit]
        return json_response([m.payload() for m in members])

    async def get_member(self, request: web.Request) -> web.Response:
        """``GET /guilds/{id}/members/{user_id}``."""
        member = self._guild(request).members.get(_snowflake(request, "user_id"))
        if member is None:
            raise _not_found("Member", 10007)
        return json_response(member.payload())

    # ------------------------------------------------------------------ files

    async def get_attachment(self, request: web.Request) -> web.Response:
        """``GET /attachments/{id}/{filename}``: download a stored file (like Discord's CDN)."""
        try:
            attachment = self.emu.attachments.get(int(request.match_info["attachment_id"]))
        except ValueError:
            attachment = None
        if attachment is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(
            body=attachment.data,
            content_type=attachment.content_type or "application/octet-stream",
        )
