"""Keys that never travel: AWS Signature Version 4, made and checked by botocore's own signer.

A provider whose `Auth.signer` is a `SigV4` sends no key: the harness signs each finished request
(`sign`, botocore's `SigV4Auth` over method, URL, signed headers and the body's hash), and the sandbox
checks a signature by making it again with the secret it knows for the key id the request names
(`verify`, the same signer, at the request's own `X-Amz-Date`). botocore is the `aws` extra
(`pip install tts-harness[aws]`); without it, signing is one usage error naming the extra.

The credential is one string, `ACCESS_KEY_ID:SECRET_ACCESS_KEY[:SESSION_TOKEN]`, assembled from the
environment by `credential_from` (so every face keeps one key per provider, redacted whole). A
credential without a colon is a sandbox key: it is its own id and its own secret.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from harness.core.errors import UsageError

ALGORITHM = "AWS4-HMAC-SHA256"
AMZ_DATE = "%Y%m%dT%H%M%SZ"
CLOCK_SKEW = timedelta(minutes=15)  # AWS refuses a signature whose X-Amz-Date is further off than this
_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/(\d{8})/([^/,\s]+)/([^/,\s]+)/aws4_request")
_SIGNED = re.compile(r"SignedHeaders=([^,\s]+)")
_SIGNATURE = re.compile(r"Signature=([0-9a-f]{64})")


def _botocore() -> Any:
    try:
        from botocore import auth, awsrequest, credentials
    except ImportError:
        raise UsageError("signing AWS requests needs botocore: pip install 'tts-harness[aws]'") from None
    return auth, awsrequest, credentials


def parts(credential: str) -> tuple[str, str, str | None]:
    """(key id, secret, session token) of a credential string."""
    key_id, sep, rest = credential.partition(":")
    if not sep:
        return credential, credential, None
    secret, _, token = rest.partition(":")
    return key_id, secret, token or None


@dataclass(frozen=True, slots=True)
class SigV4:
    """AWS Signature Version 4 for one service (`polly`), its credential from three variables."""

    service: str
    id_env: str = "AWS_ACCESS_KEY_ID"
    token_env: str = "AWS_SESSION_TOKEN"
    name: str = "AWS Signature V4"

    def credential_from(self, secret: str, environ: Mapping[str, str]) -> str | None:
        """The credential string for a secret key read from the environment, with its id (and session token)
        beside it; None when the id is not set."""
        key_id = environ.get(self.id_env, "").strip()
        if not key_id:
            return None
        token = environ.get(self.token_env, "").strip()
        return f"{key_id}:{secret}" + (f":{token}" if token else "")

    def unavailable(self) -> str | None:
        try:
            _botocore()
        except UsageError as missing:
            return str(missing)
        return None

    def sign(self, request: httpx.Request, key: str, region: str) -> None:
        auth, awsrequest, credentials = _botocore()
        key_id, secret, token = parts(key)
        signed = awsrequest.AWSRequest(
            method=request.method,
            url=str(request.url),
            data=request.content,
            headers={"Content-Type": request.headers.get("content-type", "")},
        )
        auth.SigV4Auth(credentials.Credentials(key_id, secret, token), self.service, region).add_auth(signed)
        for name in ("Authorization", "X-Amz-Date", "X-Amz-Security-Token"):
            if name in signed.headers:
                request.headers[name] = signed.headers[name]

    def curl_options(self, region: str, secret_variable: str) -> tuple[str, ...]:
        """curl signs SigV4 itself (curl 7.75+): `--aws-sigv4 aws:amz:REGION:SERVICE --user ID:SECRET`."""
        return ("--aws-sigv4", f"aws:amz:{region}:{self.service}", "--user", f"${self.id_env}:${secret_variable}")

    def key_id(self, headers: Mapping[str, str]) -> str | None:
        found = _CREDENTIAL.search(headers.get("authorization", ""))
        return found.group(1) if found else None

    def verify(self, method: str, url: str, headers: Mapping[str, str], body: bytes, key: str) -> str | None:
        """None when the request's signature is the one `key` makes over it; else why not (AWS's words)."""
        authorization = headers.get("authorization", "")
        scope, signed_names, signature = (
            _CREDENTIAL.search(authorization),
            _SIGNED.search(authorization),
            _SIGNATURE.search(authorization),
        )
        if not authorization.startswith(ALGORITHM) or not (scope and signed_names and signature):
            return "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters."
        amz_date = headers.get("x-amz-date", "")
        try:
            stamped = datetime.strptime(amz_date, AMZ_DATE).replace(tzinfo=UTC)
        except ValueError:
            return "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
        if abs(datetime.now(UTC) - stamped) > CLOCK_SKEW:
            return "Signature expired: the request's X-Amz-Date is more than 15 minutes from the server's time."
        _, date, region, service = scope.groups()
        if service != self.service or date != amz_date[:8]:
            return f"Credential should be scoped to a valid region and to the service '{self.service}'."
        auth, awsrequest, credentials = _botocore()
        key_id, secret, token = parts(key)
        names = signed_names.group(1).split(";")
        remade = awsrequest.AWSRequest(
            method=method, url=url, data=body, headers={name: headers.get(name, "") for name in names}
        )
        remade.context["timestamp"] = amz_date
        signer = auth.SigV4Auth(credentials.Credentials(key_id, secret, token), self.service, region)
        string_to_sign = signer.string_to_sign(remade, signer.canonical_request(remade))
        expected = signer.signature(string_to_sign, remade)
        if not hmac.compare_digest(expected, signature.group(1)):
            return (
                "The request signature we calculated does not match the signature you provided. Check your "
                "AWS Secret Access Key and signing method. Consult the service documentation for details."
            )
        return None
