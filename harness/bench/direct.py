"""Jobs whose answer is the audio itself: a plain audio body (sync), or a stream of Server-Sent Events
whose time to first audio is taken at the first *decodable* audio, not the first bytes.
"""

from __future__ import annotations

from harness.bench.exchange import ExchangeFailed, send
from harness.bench.job import JobBase
from harness.bench.media import FirstAudio, sse_audio
from harness.bench.streaming import StreamWatch, stream_figures
from harness.bench.timing import Mark
from harness.core.spec import Role
from harness.core.transport import error_of, retry_after_seconds


class Direct(JobBase):
    """Sends one request and reads the audio from its answer."""

    async def _direct(self) -> None:
        stream = self.endpoint.role is Role.STREAM
        self.r.delivery = "stream" if stream else "sync"
        detector = FirstAudio()
        first_audio: list[float] = []
        pending = bytearray()

        listener = StreamWatch()

        def watch(chunk: bytes, at: float) -> None:
            if stream:
                listener.feed(chunk, at)
            # Events may span chunks: decode only whole lines, and only until audio is found.
            if not stream or first_audio:
                return
            pending.extend(chunk)
            cut = pending.rfind(b"\n") + 1
            if cut and detector.feed(sse_audio(bytes(pending[:cut]))):
                first_audio.append(at)
            del pending[:cut]

        gate = self.s.gates[self.provider.name]
        await gate.ready()
        self.r.attempt += 1
        self._commit_submitting()
        request = self._request(self.endpoint, self.job.payload, "submit")
        try:
            exchange = await send(self.s.client, request, secrets=self.s.target.secrets, on_chunk=watch)
        except ExchangeFailed as failure:
            basis = "unknown-outcome:" if failure.reached_server else "not-sent:"
            self.charged += self.r.cost(charged=failure.reached_server, basis=basis + str(failure.error.error_class))
            self._fatal("stream" if stream else "submit", failure.error)
        self._note_http(exchange)
        response = exchange.response
        gate.note(response.status_code, response.headers, retry_after_seconds(response))
        self._violations(self.endpoint, exchange, "submit")
        error = error_of(response, self.s.target.secrets)
        self.r.final_status = str(response.status_code)
        if error is not None:
            self.r.cost(charged=False, basis=f"rejected:{response.status_code}")
            self._fatal("submit", error)
        self.charged += self.r.cost(charged=True, basis="documented-price")
        self.r.marks.set(Mark.TERMINAL, exchange.last_byte)
        if exchange.first_byte is not None:
            self.r.marks.set(Mark.MEDIA_FIRST_BYTE, exchange.first_byte)
        self.r.marks.set(Mark.MEDIA_LAST_BYTE, exchange.last_byte)
        if stream:
            if first_audio:
                self.r.marks.set(Mark.FIRST_AUDIO, first_audio[0])
            self.r.stream_figures = stream_figures(listener, exchange.sent, exchange.last_byte)
            audio = sse_audio(exchange.body)
            if audio:
                exchange.body = audio
        self._media(exchange, response.headers.get("content-type"), "stream" if stream else "submit")
