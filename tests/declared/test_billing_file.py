"""Billing signals declared in a providers file (`billing = [...]` on an `http-speech` table and on its socket tables):
the sandbox sends them and the benchmark reads them — a header of the HTTP answer, a field of the socket's final
message —, the job's cost the billed one at the team's `[prices]`; a mistake in a signal is one line."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from harness.core.errors import UsageError
from harness.core.prices.units import Unit
from harness.core.protocols.websocket_speech import socket_of
from tests.helpers.providers_file import declared_providers, providers_file_in_effect

FILE = """
[providers.billbox]
protocol = "http-speech"
base_url = "https://billbox.example"
key_env = "BILLBOX_API_KEY"
path = "/speak"
text = "/text"
voice = "/voice"
formats = {{ wav = "pcm_s16le/16000/wav" }}
models = ["box-1"]
voices = ["ember"]
billing = [{{ unit = "characters", header = "x-billed-characters", evidence = "the gateway's reference: the header" }}]
{extra}

[providers.billbox.sockets.live]
path = "/live"
text = {{ message = {{ type = "text", text = "{{text}}" }} }}
end = {{ message = {{ type = "end" }} }}
final = {{ message = {{ type = "done" }} }}
error = {{ message = {{ type = "error", message = "{{message}}" }} }}
billing = [{{ unit = "characters", at = "/usage/characters", evidence = "the gateway's reference: done.usage" }}]

[prices."billbox/box-1"]
amount = "10"
unit = "characters"
per = "1000000"

[prices."billbox/box-1-ws"]
amount = "20"
unit = "characters"
per = "1000000"
"""


def test_the_tables_declare_a_header_and_a_final_message_field() -> None:
    (provider,) = declared_providers(FILE.format(extra=""))
    (synthesis,) = provider.family.syntheses
    assert [(s.unit, s.header) for s in synthesis.billing] == [(Unit.CHARACTERS, "x-billed-characters")]
    (channel,) = provider.channels
    assert [(s.unit, s.at) for s in socket_of(channel).billing] == [(Unit.CHARACTERS, "/usage/characters")]


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ('billing = [{ unit = "furlongs", at = "/x", evidence = "e" }]', "billing.0.unit"),
        ('billing = [{ unit = "characters", evidence = "e" }]', "a header or a JSON pointer, exactly one"),
        ('billing = [{ unit = "characters", at = "/x" }]', "billing.0.evidence"),
        ('billing = [{ unit = "characters", at = "/x", evidence = "e", scale = -1 }]', "scale is a positive number"),
    ],
)
def test_a_mistake_in_a_signal_is_one_line(extra: str, words: str) -> None:
    table = FILE.format(extra="").replace(
        'billing = [{ unit = "characters", header = "x-billed-characters", evidence = "the gateway\'s reference: the '
        'header" }]',
        extra,
    )
    with pytest.raises(UsageError) as raised:
        declared_providers(table)
    assert words in str(raised.value) and "\n" not in str(raised.value), str(raised.value)


def test_the_benchmark_reads_the_header_and_the_socket_final_message(tmp_path: Path) -> None:
    from harness.runner.plan.config import BenchConfig
    from harness.runner.session import run_bench_session

    path = tmp_path / "tts-harness.toml"
    path.write_text(FILE.format(extra=""), encoding="utf-8")
    with providers_file_in_effect(path):
        result = run_bench_session(
            BenchConfig(
                out=tmp_path,
                score=False,
                report=False,
                providers=("billbox",),
                corpus=("en_read:1",),
                sandbox_profile="fast",
            )
        )
    db = sqlite3.connect(result.db_path)
    db.row_factory = sqlite3.Row
    try:
        rows = {
            row["model"]: dict(row)
            for row in db.execute(
                "SELECT j.model, j.outcome, j.error_message, c.usd, c.planned_usd, c.billed_units_json, c.cost_source, "
                "k.text FROM jobs j JOIN costs c USING (run_id, job_key) JOIN clips k ON k.clip_id = j.job_key "
                "WHERE j.run_id = ?",
                (result.run_id,),
            )
        }
        drift = db.execute(
            "SELECT count(*) FROM drift WHERE run_id = ? AND kind LIKE 'billing%'", (result.run_id,)
        ).fetchone()[0]
    finally:
        db.close()
    assert {model: (row["outcome"], row["cost_source"]) for model, row in rows.items()} == {
        "box-1": ("ok", "billed"),
        "box-1-ws": ("ok", "billed"),
    }, [row["error_message"] for row in rows.values()]
    for model, per_million in (("box-1", 10), ("box-1-ws", 20)):
        row = rows[model]
        assert json.loads(row["billed_units_json"]) == {"characters": len(row["text"])}
        assert row["usd"] == pytest.approx(len(row["text"]) * per_million / 1e6) == pytest.approx(row["planned_usd"])
    assert drift == 0
