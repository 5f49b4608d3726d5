"""The catalogue watched: each run keeps its providers' listings (`catalogues`), and `history` lists what changed
from one run to the next as findings of the run where it changed. Proved against a Google laid out by a loopback
server written here (not the sandbox), whose voices listing gains a voice, loses one and newly shows a field
between two nights; and the diff itself on the documents' own listing shapes."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.core.catalogue import diff
from harness.history import read_history
from harness.providers.google import PROVIDER as GOOGLE
from harness.results import open_read_only, read_catalogues
from harness.runner.plan.config import BenchConfig
from harness.runner.session import run_bench_session
from tests.helpers.loopback import LoopbackServer, QuietHandler
from tests.helpers.wav import pcm_wav

AUDIO = {"audioContent": base64.b64encode(pcm_wav(16000, 16000, sample=b"\x10\x20")).decode()}
NIGHT_ONE = {
    "voices": [
        {
            "languageCodes": ["en-US"],
            "name": "en-US-Wavenet-F",
            "ssmlGender": "FEMALE",
            "naturalSampleRateHertz": 24000,
        },
        {
            "languageCodes": ["en-US"],
            "name": "en-US-Standard-C",
            "ssmlGender": "FEMALE",
            "naturalSampleRateHertz": 24000,
        },
    ]
}
NIGHT_TWO = {
    "voices": [
        {
            "languageCodes": ["en-US"],
            "name": "en-US-Wavenet-F",
            "ssmlGender": "FEMALE",
            "naturalSampleRateHertz": 24000,
            "deprecated": True,
        },
        {
            "languageCodes": ["en-US"],
            "name": "en-US-Chirp3-HD-Kore",
            "ssmlGender": "FEMALE",
            "naturalSampleRateHertz": 24000,
        },
    ]
}


class Night:
    listing: dict[str, Any] = NIGHT_ONE


class Google(QuietHandler):
    def do_POST(self) -> None:
        self.answer(200, json.dumps(AUDIO).encode(), {"Content-Type": "application/json"})

    def do_GET(self) -> None:
        found = self.path.split("?")[0].endswith("/google/api/v1/voices")
        self.answer(
            200 if found else 404,
            json.dumps(Night.listing if found else {}).encode(),
            {"Content-Type": "application/json"},
        )


@pytest.fixture
def served() -> Iterator[LoopbackServer]:
    server = LoopbackServer(Google)
    yield server
    server.close()
    Night.listing = NIGHT_ONE


def test_two_nights_listings_are_kept_and_their_changes_are_findings_of_the_second(
    tmp_path: Path, served: LoopbackServer
) -> None:
    config = BenchConfig(
        out=tmp_path,
        score=False,
        report=False,
        providers=("google",),
        models=("wavenet",),
        corpus=("en_read:1",),
        target=served.url,
        concurrency=1,
        budget=1.0,
    )
    first = run_bench_session(config, providers={"google": GOOGLE}).run_id
    Night.listing = NIGHT_TWO
    second = run_bench_session(config, providers={"google": GOOGLE}).run_id
    conn = open_read_only(tmp_path / "runs.db")
    try:
        kept = read_catalogues(conn, first)
    finally:
        conn.close()
    assert [(row.provider, row.endpoint, row.status) for row in kept] == [("google", "voices.list", 200)]
    assert json.loads(str(kept[0].body_json)) == NIGHT_ONE

    found = {f.what: f for f in read_history(tmp_path / "runs.db").findings if f.kind == "catalogue"}
    assert set(found) == {
        "newly listed: en-US-Chirp3-HD-Kore",
        "no longer listed: en-US-Standard-C",
        "the listing newly shows /voices/*/deprecated",
    }
    assert {f.first_run for f in found.values()} == {second}
    assert {f.model for f in found.values()} == {"catalogue voices.list"}


def test_the_diff_reads_each_documented_listing_shape() -> None:
    polly = {"Voices": [{"Id": "Joanna", "SupportedEngines": ["neural"]}]}
    assert diff(
        polly, {"Voices": [{"Id": "Joanna", "SupportedEngines": ["neural"]}, {"Id": "Ruth", "SupportedEngines": []}]}
    ) == ["newly listed: Ruth"]
    azure = [{"ShortName": "en-US-AvaNeural", "Status": "GA"}]
    assert diff(azure, [{"ShortName": "en-US-AvaNeural", "Status": "GA", "WordsPerMinute": "150"}]) == [
        "the listing newly shows /*/WordsPerMinute"
    ]
    assert diff(azure, azure) == []
