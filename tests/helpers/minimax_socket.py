"""One MiniMax socket session against a sandbox, as its clients speak it: `task_start` with a model, the text,
`task_finish`; the events seen in order ("audio" for each frame carrying audio). What the catalogue tests ask of
a model name on the socket: spoken (`task_started`, audio, `task_finished`) or refused (`task_failed`)."""

from __future__ import annotations

import json

from harness.sandbox import Sandbox

TEXT = "The quick brown fox jumps over the lazy dog."


async def minimax_socket_events(sandbox: Sandbox, model: str, text: str = TEXT) -> list[str]:
    from websockets.asyncio.client import connect  # the sandbox extra's

    events: list[str] = []
    url = sandbox.base_url("minimax", "api").replace("http://", "ws://") + "/ws/v1/t2a_v2"
    headers = {"Authorization": f"Bearer {sandbox.default_key('minimax')}"}
    async with connect(url, additional_headers=headers) as socket:
        events.append(json.loads(await socket.recv())["event"])  # connected_success
        await socket.send(
            json.dumps(
                {
                    "event": "task_start",
                    "model": model,
                    "voice_setting": {"voice_id": "English_expressive_narrator"},
                    "audio_setting": {"format": "pcm", "sample_rate": 32000},
                }
            )
        )
        answer = json.loads(await socket.recv())
        events.append(answer.get("event") or "audio")
        if answer.get("event") == "task_started":
            await socket.send(json.dumps({"event": "task_continue", "text": text}))
            await socket.send(json.dumps({"event": "task_finish"}))
            async for frame in socket:
                message = json.loads(frame)
                if message.get("data", {}).get("audio"):
                    events.append("audio")
                if message.get("event") in ("task_finished", "task_failed"):
                    events.append(message["event"])
                    break
    return events
