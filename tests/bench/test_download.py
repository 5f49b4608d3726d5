"""A finished job's audio is fetched through failures: a loopback media server written here misbehaves on
purpose (503 with Retry-After, a reset, a body cut short, an expired link), and the download retries,
resumes with a range request, refreshes the link, and gives the audio up only when it is gone for good."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest

from harness.core.retry import RetryPolicy
from harness.runner.deliver.deadline import Deadline
from harness.runner.deliver.download import Download, DownloadPolicy, Refresh, download
from harness.runner.deliver.media import inspect_audio
from tests.helpers.loopback import LoopbackServer, QuietHandler
from tests.helpers.wav import pcm_wav

AUDIO = pcm_wav(frames=16_000)


class MediaServer(LoopbackServer):
    """Serves `AUDIO` at every path; each path first plays its scripted misbehaviours, in order."""

    def __init__(self) -> None:
        self.scripts: dict[str, list[str]] = {}
        self.requests: list[tuple[str, str | None]] = []  # (path, Range header)
        server = self

        class Handler(QuietHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server.requests.append((self.path, self.headers.get("Range")))
                script = server.scripts.get(self.path, [])
                step = script.pop(0) if script else "ok"
                if step == "reset":
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                    self.close_connection = True
                    return
                if step.startswith("status-"):
                    status = int(step.split("-")[1])
                    self.answer(status, headers={"Retry-After": "3"} if status in (429, 503) else None)
                    return
                body, status, first, total = AUDIO, 200, 0, len(AUDIO)
                ranged = self.headers.get("Range")
                if ranged and step != "whole":  # "whole": a server that ignores Range and sends a 200
                    first = int(ranged.removeprefix("bytes=").rstrip("-"))
                    if step == "wrong-offset":  # a 206 that says honestly it starts elsewhere
                        first = max(first - 100, 0)
                    elif step == "other-total":  # a 206 of another file (a new rendering)
                        total = len(AUDIO) + 2
                    body, status = AUDIO[first:], 206
                self.send_response(status)
                self.send_header("Content-Type", "audio/wav")
                self.send_header("Accept-Ranges", "bytes")
                if status == 206:
                    self.send_header("Content-Range", f"bytes {first}-{first + len(body) - 1}/{total}")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if step == "cut":  # half the promised body, then the connection drops
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(body)

        super().__init__(Handler)


@pytest.fixture()
def media() -> Iterator[MediaServer]:
    server = MediaServer()
    yield server
    server.close()


class Sleeps:
    """Records every wait instead of waiting, and moves its clock by it (`clock`: a download's deadline)."""

    def __init__(self) -> None:
        self.waits: list[float] = []
        self.t = 0.0

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.t += seconds

    def clock(self) -> float:
        return self.t


def _check(body: bytes) -> str | None:
    return inspect_audio(body).problem


async def _fetch(
    media: MediaServer,
    path: str,
    sleeps: Sleeps,
    refresh: Refresh | None = None,
    retry: RetryPolicy = RetryPolicy(first_s=0.5),
    deadline: float | None = None,
) -> Download:
    async with httpx.AsyncClient() as client:
        return await download(
            client,
            f"{media.url}{path}",
            check=_check,
            sleep=sleeps,
            policy=DownloadPolicy(attempts=4, retry=retry),
            refresh=refresh,
            deadline=None if deadline is None else Deadline(deadline, deadline, sleeps.clock),
        )


async def test_a_503_is_retried_after_its_retry_after(media: MediaServer) -> None:
    media.scripts["/a.wav"] = ["status-503"]
    sleeps = Sleeps()
    result = await _fetch(media, "/a.wav", sleeps)
    assert result.exchange is not None and result.exchange.body == AUDIO
    assert sleeps.waits == [3.0] and len(result.failures) == 1


async def test_a_reset_is_retried_with_backoff(media: MediaServer) -> None:
    media.scripts["/b.wav"] = ["reset", "reset"]
    sleeps = Sleeps()
    result = await _fetch(media, "/b.wav", sleeps)
    assert result.exchange is not None and result.exchange.body == AUDIO
    assert sleeps.waits == [0.5, 1.0]


async def test_a_provider_s_documented_backoff_paces_the_retries(media: MediaServer) -> None:
    from harness.providers.pixelapi import PROVIDER

    media.scripts["/p.wav"] = ["reset"] * 3
    sleeps = Sleeps()
    result = await _fetch(media, "/p.wav", sleeps, retry=PROVIDER.retry)
    assert result.exchange is not None
    assert sleeps.waits == [2.0, 4.0, 8.0]  # "starting at 2 seconds, doubling on each retry"


async def test_a_body_cut_short_is_resumed_with_a_range_request(media: MediaServer) -> None:
    media.scripts["/c.wav"] = ["cut"]
    result = await _fetch(media, "/c.wav", Sleeps())
    assert result.exchange is not None and result.exchange.body == AUDIO
    assert result.resumed_from == len(AUDIO) // 2
    assert media.requests[-1] == ("/c.wav", f"bytes={len(AUDIO) // 2}-")


async def test_an_expired_link_is_refreshed_from_the_status_endpoint(media: MediaServer) -> None:
    media.scripts["/old.wav"] = ["status-403"] * 10
    asked: list[str] = []

    async def refresh() -> str | None:
        asked.append("status")
        return f"{media.url}/fresh.wav"

    result = await _fetch(media, "/old.wav", Sleeps(), refresh=refresh)
    assert result.exchange is not None and result.exchange.body == AUDIO
    assert result.refreshed == 1 and asked == ["status"]


async def test_audio_gone_for_good_is_lost_after_every_attempt(media: MediaServer) -> None:
    media.scripts["/gone.wav"] = ["status-503"] * 10
    result = await _fetch(media, "/gone.wav", Sleeps())
    assert result.exchange is None and len(result.failures) == 4


async def test_an_answer_no_retry_changes_is_not_retried(media: MediaServer) -> None:
    media.scripts["/denied.wav"] = ["status-401"] * 10
    result = await _fetch(media, "/denied.wav", Sleeps())
    assert result.exchange is None and len(media.requests) == 1


# --- never splice: a resumed body is appended only to a 206 that continues exactly what is held ---------


async def test_a_cut_resumed_then_cut_again_is_resumed_again(media: MediaServer) -> None:
    media.scripts["/twice.wav"] = ["cut", "cut"]
    result = await _fetch(media, "/twice.wav", Sleeps())
    assert result.exchange is not None and result.exchange.body == AUDIO
    half = len(AUDIO) // 2
    assert [r for _, r in media.requests] == [None, f"bytes={half}-", f"bytes={half + (len(AUDIO) - half) // 2}-"]


@pytest.mark.parametrize("answer", ["whole", "wrong-offset", "other-total"])
async def test_a_range_answer_that_does_not_continue_the_bytes_held_is_never_appended(
    media: MediaServer, answer: str
) -> None:
    """A 200 to a range request is the file from byte 0 (taken whole); a 206 from another offset or of another
    total is refused and the next request starts from byte 0. Either way the stored body is the file."""
    media.scripts["/r.wav"] = ["cut", answer]
    result = await _fetch(media, "/r.wav", Sleeps())
    assert result.exchange is not None and result.exchange.body == AUDIO
    assert result.resumed_from == 0
    if answer == "whole":
        assert len(media.requests) == 2 and result.restarts == 0
    else:
        assert result.restarts == 1 and media.requests[-1] == ("/r.wav", None)  # from byte 0 again


def test_a_206_is_appended_only_at_the_bytes_held_and_the_declared_total() -> None:
    from httpx import Headers

    from harness.runner.deliver.download import _Held, range_problem

    held = _Held(bytearray(b"x" * 100), 1000)
    assert range_problem(206, Headers({"Content-Range": "bytes 100-999/1000"}), held) is None
    assert "from byte 90" in (range_problem(206, Headers({"Content-Range": "bytes 90-999/1000"}), held) or "")
    assert "1002" in (range_problem(206, Headers({"Content-Range": "bytes 100-1001/1002"}), held) or "")
    assert "200" in (range_problem(200, Headers({"Content-Length": "1000"}), held) or "")
    assert "readable" in (range_problem(206, Headers({}), held) or "")
    assert range_problem(206, Headers({"Content-Range": "bytes 100-999/*"}), held) is not None


# --- an outage of the media host is waited out within the job's deadline -----------------------------


async def test_a_media_outage_longer_than_the_attempts_is_waited_out_within_the_deadline(media: MediaServer) -> None:
    media.scripts["/outage.wav"] = ["status-502"] * 15 + ["reset"] * 5  # ~5 minutes of backoff at the cap
    sleeps = Sleeps()
    result = await _fetch(media, "/outage.wav", sleeps, deadline=600.0)
    assert result.exchange is not None and result.exchange.body == AUDIO
    assert len(result.failures) == 20 and sleeps.t > 300  # more than `attempts`, as long as the deadline allows


async def test_a_media_outage_past_the_deadline_ends_without_audio(media: MediaServer) -> None:
    media.scripts["/down.wav"] = ["status-503"] * 100
    sleeps = Sleeps()
    result = await _fetch(media, "/down.wav", sleeps, deadline=20.0)
    assert result.exchange is None and sleeps.t < 20.0  # never slept past the deadline
    assert len(result.failures) >= 4
