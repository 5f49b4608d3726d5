"""Where each provider host lives on the sandbox, and the absolute URLs the sandbox hands out.

One server serves every provider: host `gateway` of provider `pixazo` is mounted at `/pixazo/gateway`,
and beneath a mount the documented paths work unchanged (the rule itself, shared with the clients, is
`harness.core.target`). Every absolute URL in an answer (polling URL, media URL, webhook payload) is
built from the origin the client used plus the mount, so it points back at the sandbox however the
client reached it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from harness.core.spec import Provider
from harness.core.target import CONTROL_PREFIX, MEDIA_HOST, mount_path

__all__ = ["CONTROL_PREFIX", "MEDIA_HOST", "Urls", "fill", "mount_path"]

_PARAM = re.compile(r"{([^}:]+)(?::[^}]+)?}")


def fill(template: str, params: Mapping[str, object]) -> tuple[str, dict[str, str]]:
    """A path template with its `{name}` parameters filled; the parameters it does not use are returned."""
    left = {k: str(v) for k, v in params.items()}

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in left:
            raise KeyError(f"path {template!r} needs parameter {name!r}; given: {', '.join(params) or 'none'}")
        return quote(left.pop(name), safe="")

    return _PARAM.sub(replace, template), left


@dataclass(frozen=True, slots=True)
class Urls:
    """Absolute sandbox URLs for one provider, as seen by one client (its origin)."""

    origin: str  # "http://127.0.0.1:8765"
    provider: Provider
    media_path: str  # the emulation's media path template beneath the media host
    media_host: str = MEDIA_HOST  # the host key whose mount serves results

    def base(self, host: str) -> str:
        return self.origin + mount_path(self.provider.name, host)

    def endpoint(self, key: str, **params: object) -> str:
        """The URL of a documented endpoint; parameters not in its path go to the query string."""
        endpoint = self.provider.endpoint(key)
        path, rest = fill(endpoint.path, params)
        query = f"?{urlencode(rest)}" if rest else ""
        return self.base(endpoint.host) + path + query

    def media(self, **params: object) -> str:
        path, _ = fill(self.media_path, params)
        return self.base(self.media_host) + path
