"""Fixtures for the LTI tests: the platform emulator (served over HTTP once per session, reset for each test),
its registration here, and `launch`, which plays the browser between the platform and the tool."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client
from jwcrypto import jwk
from lti_platform import CLIENT_ID, DEPLOYMENT_ID, Launch, Platform, http_get_json, serve

from lessons.lti_jwt import tool_key_create
from lessons.models import LtiPlatform, LtiToolKey


@pytest.fixture(scope="session")
def platform_server() -> Iterator[Platform]:
    key = jwk.JWK.generate(kty="RSA", size=2048, kid="platform-key-1")
    # Another key under the same kid: what a forger without the platform's private key would sign with.
    forger = jwk.JWK.generate(kty="RSA", size=2048, kid="platform-key-1")
    platform = Platform(key=key, forger_key=forger)
    server = serve(platform)
    yield platform
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def tool_private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(autouse=True)
def tool_key(db: None, tool_private_key: rsa.RSAPrivateKey) -> LtiToolKey:
    """The tool's key pair, made once for the session (making one takes half a second)."""
    return tool_key_create(tool_private_key)


@pytest.fixture
def platform(platform_server: Platform) -> Platform:
    platform_server.reset()
    return platform_server


@pytest.fixture
def registration(db: None, platform: Platform) -> LtiPlatform:
    """The platform as a site administrator registers it in the admin, and the tool's JWKS (read from the
    tool's endpoint) registered with the platform."""
    platform.tool_jwks = json.loads(Client().get("/lti/jwks/").content)
    return LtiPlatform.objects.create(
        name="Example LMS",
        issuer=platform.issuer,
        client_id=CLIENT_ID,
        deployment_ids=f"other-deployment\n{DEPLOYMENT_ID}",
        jwks_url=platform.url("/jwks"),
        auth_login_url=platform.url("/auth"),
        token_url=platform.url("/token"),
    )


@pytest.fixture
def launch(platform: Platform, registration: LtiPlatform) -> Launch:
    """`launch(client, claims, **token_options)`: the login initiation, the platform's authentication over
    HTTP, and the posted launch; returns the tool's answer to the launch (and `.id_token`, `.state`)."""

    def run(client: Client, claims: dict[str, Any], **token_options: Any) -> Any:
        started = client.post(
            "/lti/login/",
            {
                "iss": platform.issuer,
                "login_hint": claims["sub"],
                "target_link_uri": "http://testserver/lti/launch/",
                "client_id": CLIENT_ID,
                "lti_message_hint": "hint-1",
            },
        )
        assert started.status_code == 302, started.content
        assert started["Location"].startswith(platform.url("/auth?"))
        platform.next_launch = claims
        platform.next_token_options = token_options
        posted = http_get_json(started["Location"])
        response = client.post("/lti/launch/", {"id_token": posted["id_token"], "state": posted["state"]})
        response.id_token = posted["id_token"]
        response.state = posted["state"]
        return response

    return run


def query_of(url: str) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
