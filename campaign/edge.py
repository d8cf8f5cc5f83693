"""The edge: what no request may bring in, refused with a clear Chinese 400 before any view runs.

- `ContentSecurityPolicyMiddleware`: the Content-Security-Policy header of every response;
- `BadInputMiddleware`: query strings and form posts with NUL characters (PostgreSQL refuses
  them in text) or a charset that cannot be decoded;
- `StrictJSONParser`: API bodies must be a JSON object, nested at most `MAX_DEPTH` deep, with no
  NUL characters anywhere;
- `AuditedTokenAuthentication`: a token's user is the author of the request's audited changes;
- `api_exception_handler`: a service's `ValidationError` is a 400 and its `Conflict` a 409 with the
  stored version, so API views need no try/except of their own.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
    QueryDict,
)
from django.utils.datastructures import MultiValueDict
from django.views.defaults import page_not_found
from rest_framework import exceptions, status
from rest_framework.authentication import TokenAuthentication
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

MAX_DEPTH = 32
NUL = "\x00"
BAD_INPUT = "请求中含有无效字符或无法识别的编码，请检查后重新提交。"


logger = logging.getLogger(__name__)


class ContentSecurityPolicyMiddleware:
    """Every page says where its parts may come from: the app serves every asset itself (no CDN on
    a government intranet), signatures are data: images and photo previews blob: ones."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.policy = "; ".join(
            f"{name} {' '.join(sources)}"
            for name, sources in settings.CONTENT_SECURITY_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


class ConflictError(Exception):
    """Someone else saved the same thing after the version the user was editing (HTTP 409)."""

    def __init__(self, message: str, current: dict[str, Any]):
        super().__init__(message)
        self.current = current


def _has_nul(values) -> bool:
    return any(NUL in key or any(NUL in v for v in vs) for key, vs in values.lists())


class BadInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            bad = _has_nul(request.GET)
            if not bad and request.method == "POST" and _is_form(request):
                bad = _has_nul(request.POST)
        except (UnicodeDecodeError, LookupError, ValueError, BadRequest):
            # Django refuses a urlencoded body declared in another charset (BadRequest); answered
            # here, before anything else (the DEBUG error page, a 400 view) reads the body again
            # and turns the refusal into a bare 500
            request._post, request._files = QueryDict(), MultiValueDict()
            bad = True
        if bad:
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": BAD_INPUT}, status=400)
            return HttpResponseBadRequest(BAD_INPUT, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _is_form(request: HttpRequest) -> bool:
    # multipart bodies (uploads) are not parsed here, before authentication: their text fields
    # go through forms and serializers, which refuse NUL characters themselves
    return request.content_type == "application/x-www-form-urlencoded"


class AuditedTokenAuthentication(TokenAuthentication):
    """Token authentication that also names the caller as the author in the audit history."""

    def authenticate(self, request):
        from campaign.history import audit_actor

        result = super().authenticate(request)
        if result is not None:
            audit_actor(result[0])
        return result


def check_json(value: Any) -> None:
    """Refuse JSON nested too deep or holding NUL characters (PostgreSQL cannot store them)."""
    _check(value)


def _check(value: Any, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise exceptions.ParseError(f"请求内容嵌套过深（最多 {MAX_DEPTH} 层）。")
    if isinstance(value, str):
        if NUL in value:
            raise exceptions.ParseError("请求内容含有无效的空字符。")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check(key, depth + 1)
            _check(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check(item, depth + 1)


class StrictJSONParser(JSONParser):
    """JSON bodies of the API: one object, not too deep, no NUL characters."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise exceptions.ParseError(f"请求内容嵌套过深（最多 {MAX_DEPTH} 层）。") from exc
        except exceptions.ParseError as exc:
            raise exceptions.ParseError("请求内容不是有效的 JSON。") from exc
        if not isinstance(data, dict):
            raise exceptions.ParseError("请求内容须为一个 JSON 对象（{…}）。")
        _check(data)
        return data


def _messages(exc: ValidationError) -> Any:
    if hasattr(exc, "error_dict"):
        return {
            field: [str(m) for m in errs for m in m.messages]
            for field, errs in exc.error_dict.items()
        }
    return {"detail": exc.messages}


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, plus the service errors every API view would otherwise catch itself."""
    # imported here: rest_framework.views reads the parser setting, which names this module
    from rest_framework.views import exception_handler

    if isinstance(exc, ValidationError):
        return Response(_messages(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ConflictError):
        return Response(
            # the stored version as the API shows values: related rows by their id
            {
                "detail": str(exc),
                "current": {k: getattr(v, "pk", v) for k, v in exc.current.items()},
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or "您没有执行此操作的权限。")
    return exception_handler(exc, context)


class NotFoundPageMiddleware:
    """With DEBUG on (`make run`'s default) a 404 still shows our own Chinese page: Django's
    technical page lists every URL of the site to whoever mistypes one. It stays available behind
    TECHNICAL_ERROR_PAGES=1 for a developer. (403 already renders templates/403.html.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def _ours(self, request: HttpRequest) -> bool:
        return (
            settings.DEBUG
            and not settings.TECHNICAL_ERROR_PAGES
            and not request.path.startswith("/api/")
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # an address that matches no route: Django answered with its technical page
        if (
            response.status_code == 404
            and getattr(request, "resolver_match", None) is None
            and self._ours(request)
        ):
            return page_not_found(request, Http404())
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, Http404) and self._ours(request):
            return page_not_found(request, exception)
        return None


class IdempotencyMiddleware:
    """An API write sent with an `Idempotency-Key` header is done once: the same key from the same
    caller within a day gets the first answer again instead of a second write. The phone's outbox
    sends one key per entry, so an entry sent from two tabs at once, or sent again because its
    answer was lost on a weak connection, never adds a photo or a line twice.

    Only successful answers are kept (a refusal may be retried after the cause is fixed); while the
    first request is still running, the same key is answered 503 with Retry-After, which the
    outbox retries.
    """

    HEADER = "HTTP_IDEMPOTENCY_KEY"
    KEEP = 24 * 60 * 60
    RUNNING = 120  # longer than any write takes; a crashed request frees its key after this

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.META.get(self.HEADER, "")
        if request.method != "POST" or not key or not request.path.startswith("/api/"):
            return self.get_response(request)
        if len(key) > 100:
            return JsonResponse({"detail": "Idempotency-Key 过长（最多 100 个字符）。"}, status=400)
        caller = self._caller(request)
        if caller is None:  # nobody to keep it for (a sign-in): the write is done as sent
            return self.get_response(request)
        from django.core.cache import cache

        slot = self.slot(caller, request.path, key)
        try:
            fresh = cache.add(slot, {"running": True}, self.RUNNING)
            kept = None if fresh else cache.get(slot)
        except Exception:  # the cache is down: the write goes through unguarded, not refused
            logger.exception("idempotency cache unavailable")
            return self.get_response(request)
        if not fresh:
            if kept and not kept.get("running"):
                return self._replay(kept)
            busy = JsonResponse({"detail": "同一内容正在提交，请稍候。"}, status=503)
            busy["Retry-After"] = "2"
            return busy
        try:
            response = self.get_response(request)
        except BaseException:
            self._forget(cache, slot)
            raise
        if 200 <= response.status_code < 300 and not response.streaming:
            try:
                cache.set(
                    slot,
                    {
                        "status": response.status_code,
                        "body": response.content,
                        "type": response.get("Content-Type", ""),
                    },
                    self.KEEP,
                )
            except Exception:  # the write is done; only its replay is lost
                logger.exception("idempotency cache unavailable")
        else:
            self._forget(cache, slot)
        return response

    @staticmethod
    def slot(caller: str, path: str, key: str) -> str:
        return "idempotency:" + hashlib.sha256(f"{caller}|{path}|{key}".encode()).hexdigest()

    @staticmethod
    def _forget(cache, slot: str) -> None:
        try:
            cache.delete(slot)
        except Exception:
            logger.exception("idempotency cache unavailable")

    @staticmethod
    def _caller(request: HttpRequest) -> str | None:
        """Who sent it: the signed-in user, or the API token (hashed: it is a secret); None for
        an anonymous request, whose answers are never kept (a sign-in's token is nobody's to
        replay)."""
        user = getattr(request, "user", None)
        if getattr(user, "is_authenticated", False):
            return f"user:{user.pk}"
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header.startswith("Token ") and len(header) > 6:
            return "token:" + hashlib.sha256(header.encode()).hexdigest()
        return None

    @staticmethod
    def _replay(kept: dict) -> HttpResponse:
        response = HttpResponse(kept["body"], status=kept["status"], content_type=kept["type"])
        response["Idempotent-Replayed"] = "true"
        return response
