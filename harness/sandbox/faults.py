"""Faults on demand: the failures a harness must survive, each one reproducible by name.

A test asks for a fault with a request header, `X-Sandbox-Fault: http-503` (several: comma-separated;
`http-<status>` works for any 4xx/5xx status);
the `chaos` profile draws them at its rates from the seeded generator. Request faults act on the request
that carries them; job faults, sent with a submit, shape that job's whole life (a status that goes
backwards, a job that never finishes, a duplicate webhook, truncated audio at download).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping
from enum import StrEnum

from harness.core.target import FAULT_HEADER  # the header's name is shared with the clients that send it


class Fault(StrEnum):
    # request faults: answer this request wrongly
    HTTP_500 = "http-500"  # the provider's error body with 500
    HTTP_503 = "http-503"  # 503 with Retry-After
    HTTP_429 = "http-429"  # 429 with Retry-After
    MALFORMED_JSON = "malformed-json"  # the real answer, its JSON cut short
    HTML_ERROR = "html-error"  # a 502 HTML page, as a gateway in front of the API sends
    CONNECTION_RESET = "connection-reset"  # TCP reset before any answer
    HANG = "hang"  # no answer until released, the clock passes the hang, or the real-time bound
    # job faults (on a submit) — truncated-audio also works on a media download
    TRUNCATED_AUDIO = "truncated-audio"  # the media download stops halfway
    STATUS_BACKWARDS = "status-backwards"  # PROCESSING, then QUEUED again, then on
    NEVER_FINISH = "never-finish"  # PROCESSING forever
    JOB_FAILED = "job-failed"  # ends in the provider's failed state
    JOB_ERROR = "job-error"  # ends in the provider's system-error state (uncharged where documented)
    DUPLICATE_WEBHOOK = "duplicate-webhook"  # the terminal callback is delivered twice
    MODEL_DISABLED = "model-disabled"  # the submit is refused as if the model were disabled
    # stream faults (a WebSocket's handshake) — what a realtime client must survive mid-utterance
    STALL_STREAM = "stall-stream"  # after the first audio, nothing more until released or the hang bound
    DROP_SOCKET = "drop-socket"  # after the first audio, the connection is cut without a close frame


REQUEST_FAULTS = frozenset(
    {
        Fault.HTTP_500,
        Fault.HTTP_503,
        Fault.HTTP_429,
        Fault.MALFORMED_JSON,
        Fault.HTML_ERROR,
        Fault.CONNECTION_RESET,
        Fault.HANG,
        Fault.MODEL_DISABLED,
    }
)
JOB_FAULTS = frozenset(
    {
        Fault.TRUNCATED_AUDIO,
        Fault.STATUS_BACKWARDS,
        Fault.NEVER_FINISH,
        Fault.JOB_FAILED,
        Fault.JOB_ERROR,
        Fault.DUPLICATE_WEBHOOK,
    }
)
STREAM_FAULTS = frozenset({Fault.STALL_STREAM, Fault.DROP_SOCKET})
# At most one of these shapes a job's end.
ENDINGS = (Fault.NEVER_FINISH, Fault.JOB_ERROR, Fault.JOB_FAILED)


class UnknownFault(ValueError):
    """A fault header naming no fault."""


_STATUS_FAULT = re.compile(r"^http-([45]\d\d)$")
_STALLS_FAULT = re.compile(r"^stall-(\d{1,2})$")


def _names(header: str | None) -> list[str]:
    return [name for raw in (header or "").split(",") if (name := raw.strip().lower())]


def parse_faults(header: str | None) -> frozenset[Fault]:
    """The faults a header asks for; `UnknownFault` lists the valid names.

    Besides the names below, `http-<status>` for any 4xx/5xx status is valid (see `status_faults`).
    """
    found: set[Fault] = set()
    for name in _names(header):
        try:
            found.add(Fault(name))
        except ValueError:
            if _STATUS_FAULT.match(name) or _STALLS_FAULT.match(name):
                continue
            valid = ", ".join(f.value for f in Fault)
            raise UnknownFault(
                f"{FAULT_HEADER}: unknown fault {name!r}; valid faults: {valid}, http-<4xx|5xx status>, "
                "or stall-<N> (a socket's stream)"
            ) from None
    return frozenset(found)


def status_faults(header: str | None) -> tuple[int, ...]:
    """The error statuses a header asks for (`http-404`, `http-402`, ...), in the order given.

    The answer is the provider's error body for that status, with the headers its spec documents for it
    (Retry-After with the profile's delay); http-429 and http-503 use the provider's own wording.
    """
    statuses = []
    for name in _names(header):
        match = _STATUS_FAULT.match(name)
        if match:
            statuses.append(int(match.group(1)))
    return tuple(statuses)


def stall_count(header: str | None) -> int:
    """How many times a socket's stream stalls (`stall-<N>`, N up to 99): after the first audio, each of the
    next N chunks is held until a listener playing from the first chunk has run dry, so the stream has at
    least N underruns, each one a truth the sandbox keeps (`/_sandbox/streams`: `stalls`, `underruns`)."""
    return sum(int(match.group(1)) for name in _names(header) if (match := _STALLS_FAULT.match(name)))


def draw_faults(rates: Mapping[Fault, float], rng: random.Random, among: Iterable[Fault]) -> frozenset[Fault]:
    """Faults drawn at `rates` (chaos profile), considering only `among`; one draw per fault, in enum order."""
    candidates = set(among)
    drawn = {fault for fault in Fault if fault in candidates and rng.random() < rates.get(fault, 0.0)}
    endings = [f for f in ENDINGS if f in drawn]
    for extra in endings[1:]:
        drawn.discard(extra)
    return frozenset(drawn)
