"""A small LTI 1.3 platform (an LMS) of the tests' own, served over real HTTP on 127.0.0.1 from a thread.

It has its keys (jwcrypto), a JWKS, an authentication endpoint that answers the tool's OIDC redirect with the
id_token it would auto-post (as JSON, the browser's part being played by the test), a token endpoint that
checks the tool's signed client assertion against the tool's JWKS, an AGS line item with its scores
endpoint, a Names and Role Provisioning membership endpoint in two pages, and a deep linking return URL that
checks the tool's signed answer. `down` makes the token and score endpoints answer 503.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from jwcrypto import jwk
from jwcrypto import jwt as jwcrypto_jwt

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
CLIENT_ID = "quizsite-tool"
DEPLOYMENT_ID = "deployment-1"
CONTEXT_ID = "course-101"

# `launch(client, claims, **token_options)` (tests/lti/conftest.py).
Launch = Callable[..., Any]


def course_claims(*, sub: str, roles: list[str], **extra: Any) -> dict[str, Any]:
    claim = "https://purl.imsglobal.org/spec/lti/claim/"
    return {
        "sub": sub,
        "given_name": sub.title(),
        "family_name": "Example",
        claim + "roles": roles,
        claim + "context": {"id": CONTEXT_ID, "label": "CIV101", "title": "Civics 101"},
        **extra,
    }


def sign(claims: dict[str, Any], key: jwk.JWK) -> str:
    header = {"alg": "RS256", "kid": key.get("kid"), "typ": "JWT"}
    token = jwcrypto_jwt.JWT(header=json.dumps(header), claims=json.dumps(claims))
    token.make_signed_token(key)
    return str(token.serialize())


@dataclass
class Platform:
    key: jwk.JWK
    forger_key: jwk.JWK
    base_url: str = ""
    issuer: str = "https://lms.example.edu"
    down: bool = False
    tool_jwks: dict[str, Any] = field(default_factory=dict)
    # What the next authentication request answers with: the launch's claims, besides the standard ones.
    next_launch: dict[str, Any] = field(default_factory=dict)
    next_token_options: dict[str, Any] = field(default_factory=dict)
    auth_requests: list[dict[str, str]] = field(default_factory=list)
    scores: list[dict[str, Any]] = field(default_factory=list)
    tokens_issued: int = 0
    token_requests: int = 0
    deep_link_items: list[dict[str, Any]] = field(default_factory=list)
    members: list[dict[str, Any]] = field(default_factory=list)
    access_tokens: set[str] = field(default_factory=set)

    def reset(self) -> None:
        self.down = False
        self.tool_jwks = {}
        self.next_launch = {}
        self.next_token_options = {}
        self.auth_requests.clear()
        self.scores.clear()
        self.tokens_issued = 0
        self.token_requests = 0
        self.deep_link_items.clear()
        self.members.clear()
        self.access_tokens.clear()

    def url(self, path: str) -> str:
        return self.base_url + path

    # -- what a launch carries -------------------------------------------------------------------------

    def id_token(
        self,
        *,
        nonce: str,
        claims: dict[str, Any],
        audience: str = CLIENT_ID,
        expires_in: int = 300,
        issued_ago: int = 0,
        forged: bool = False,
        deployment_id: str = DEPLOYMENT_ID,
    ) -> str:
        now = int(time.time()) - issued_ago
        body = {
            "iss": self.issuer,
            "aud": audience,
            "iat": now,
            "exp": now + expires_in,
            "nonce": nonce,
            CLAIM + "version": "1.3.0",
            CLAIM + "deployment_id": deployment_id,
            **claims,
        }
        return sign(body, self.forger_key if forged else self.key)

    # -- the HTTP side ---------------------------------------------------------------------------------

    def authenticate(self, query: dict[str, str]) -> dict[str, str]:
        """The OIDC authentication endpoint: the id_token and state the browser would post to the tool."""
        self.auth_requests.append(query)
        required = ("scope", "response_type", "client_id", "redirect_uri", "login_hint", "state", "nonce")
        if any(not query.get(name) for name in required) or query["client_id"] != CLIENT_ID:
            raise ValueError("bad authentication request")
        options = dict(self.next_token_options)
        token = self.id_token(nonce=query["nonce"], claims=self.next_launch, **options)
        return {"id_token": token, "state": query["state"], "redirect_uri": query["redirect_uri"]}

    def verify_tool_jwt(self, token: str, *, audience: str) -> dict[str, Any]:
        keys = jwk.JWKSet.from_json(json.dumps(self.tool_jwks))
        checked = jwcrypto_jwt.JWT(jwt=token, key=keys, algs=["RS256"])
        claims: dict[str, Any] = json.loads(checked.claims)
        auds = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if audience not in auds:
            raise ValueError("wrong audience")
        return claims

    def issue_token(self, form: dict[str, str]) -> dict[str, Any]:
        if form.get("grant_type") != "client_credentials":
            raise ValueError("grant_type")
        if form.get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer":
            raise ValueError("client_assertion_type")
        claims = self.verify_tool_jwt(form["client_assertion"], audience=self.url("/token"))
        if claims["iss"] != CLIENT_ID or claims["sub"] != CLIENT_ID:
            raise ValueError("client")
        token = secrets.token_urlsafe(16)
        self.access_tokens.add(token)
        self.tokens_issued += 1
        return {
            "access_token": token,
            "token_type": "bearer",
            "expires_in": 3600,
            "scope": form.get("scope", ""),
        }


def serve(platform: Platform) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            return

        def _answer(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode() if body is not None else b""
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _authorised(self) -> bool:
            token = self.headers.get("Authorization", "").removeprefix("Bearer ")
            return token in platform.access_tokens

        def _body(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length", "0")))

        def do_GET(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(parts.query))
            if parts.path == "/jwks":
                self._answer(200, {"keys": [platform.key.export_public(as_dict=True)]})
            elif parts.path == "/auth":
                try:
                    self._answer(200, platform.authenticate(query))
                except ValueError as error:
                    self._answer(400, {"error": str(error)})
            elif parts.path == "/memberships":
                if not self._authorised():
                    self._answer(401, {"error": "token"})
                    return
                page = int(query.get("page", "1"))
                members = platform.members[:1] if page == 1 else platform.members[1:]
                headers = (
                    {"Link": f'<{platform.url("/memberships?page=2")}>; rel="next"'} if page == 1 else {}
                )
                self._answer(200, {"id": platform.url("/memberships"), "members": members}, headers)
            else:
                self._answer(404, {"error": "not found"})

        def do_POST(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            body = self._body()
            if parts.path == "/token":
                platform.token_requests += 1
                if platform.down:
                    self._answer(503, {"error": "down"})
                    return
                try:
                    self._answer(200, platform.issue_token(dict(urllib.parse.parse_qsl(body.decode()))))
                except (ValueError, KeyError, Exception) as error:
                    self._answer(400, {"error": str(error)})
            elif parts.path == "/lineitems/1/scores":
                if platform.down:
                    self._answer(503, {"error": "down"})
                elif not self._authorised():
                    self._answer(401, {"error": "token"})
                elif self.headers.get("Content-Type") != "application/vnd.ims.lis.v1.score+json":
                    self._answer(415, {"error": "media type"})
                else:
                    platform.scores.append(json.loads(body))
                    self._answer(200, {})
            elif parts.path == "/deep-link-return":
                form = dict(urllib.parse.parse_qsl(body.decode()))
                try:
                    claims = platform.verify_tool_jwt(form["JWT"], audience=platform.issuer)
                except Exception as error:
                    self._answer(400, {"error": str(error)})
                    return
                platform.deep_link_items += claims[
                    "https://purl.imsglobal.org/spec/lti-dl/claim/content_items"
                ]
                self._answer(200, {"received": len(platform.deep_link_items)})
            else:
                self._answer(404, {"error": "not found"})

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    platform.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def http_get_json(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=5) as answer:
        return dict(json.loads(answer.read()))


def http_post_form(url: str, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(url, data=urllib.parse.urlencode(form).encode(), method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, dict(json.loads(answer.read()))
    except urllib.error.HTTPError as error:
        return error.code, dict(json.loads(error.read() or b"{}"))
