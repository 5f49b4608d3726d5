"""A run in a language (`bench run --language es`, or a corpus's own): the models that speak it are planned, each
request naming the language and a voice of it as its declaration says (a locale's voice where the voice decides the
language); the others are named in one line; a run none of whose models speaks it is a usage error. Also for a user's
own provider declared in a providers file."""

from __future__ import annotations

import json

import pytest

from harness.core.corpora import corpus_of
from harness.core.errors import UsageError
from harness.core.languages import primary, speaks, tag_for
from harness.core.registry import providers
from harness.core.spec import SynthesisInput
from harness.runner.plan.config import WorkloadSettings
from harness.runner.plan.jobs import Selection, select
from harness.runner.plan.languages import in_language, run_language
from tests.helpers.providers_file import declared_providers

SPANISH = "El perro marrón corre por el parque."


def _chosen(*names: str) -> list[Selection]:
    return select(providers(), list(names), [])


def test_a_spanish_run_plans_the_models_that_speak_it_and_names_the_others_in_one_line() -> None:
    workload = WorkloadSettings(providers=("elevenlabs", "deepgram"), language="es")
    spoken = in_language(workload, _chosen("elevenlabs", "deepgram"))
    assert [c.name for c in spoken.corpora] == [corpus_of("es")] and corpus_of("es").startswith("es_")
    assert spoken.selections and {s.provider.name for s in spoken.selections} == {"elevenlabs"}
    assert len(spoken.notes) == 1 and "\n" not in spoken.notes[0]
    assert spoken.notes[0].startswith("not in es (3 model(s), left out): deepgram/aura-2-thalia-en")


def test_a_run_no_model_of_which_speaks_the_language_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match=r"none of the 3 chosen model\(s\) speaks 'es'"):
        in_language(WorkloadSettings(language="es"), _chosen("deepgram"))


def test_a_corpus_in_one_language_is_the_runs_language_and_english_changes_nothing() -> None:
    spoken = in_language(WorkloadSettings(corpus=("es_short",)), _chosen("elevenlabs", "deepgram"))
    assert {s.provider.name for s in spoken.selections} == {"elevenlabs"} and spoken.notes
    english = in_language(WorkloadSettings(), _chosen("elevenlabs", "deepgram"))
    assert len(english.selections) == len(_chosen("elevenlabs", "deepgram")) and english.notes == []
    assert run_language(None, english.corpora) is None


@pytest.mark.parametrize(
    ("provider", "model", "where", "expected"),
    [
        ("azure", "neural", ("voice", "language"), ("es-ES-ElviraNeural", "es-ES")),
        ("google", "chirp3-hd", ("voice",), ({"languageCode": "es-ES", "name": "es-ES-Chirp3-HD-Kore"},)),
        ("polly", "standard", ("VoiceId", "LanguageCode"), ("Conchita", "es-ES")),
        ("cartesia", "sonic-3", ("language",), ("es",)),
        ("sarvam", "bulbul:v3", ("language_code",), ("hi-IN",)),
    ],
)
def test_each_request_names_the_language_and_a_voice_of_it(
    provider: str, model: str, where: tuple[str, ...], expected: tuple[object, ...]
) -> None:
    language = "hi" if provider == "sarvam" else "es"
    offering = providers()[provider].offering(model)
    asked = offering.build(SynthesisInput(SPANISH, language=language))
    assert tuple(asked[key] for key in where) == expected
    english = offering.build(SynthesisInput(SPANISH))
    assert all(english[key] != asked[key] for key in where)  # English keeps the model's own voice and language


def test_language_tags_match_on_their_language() -> None:
    assert primary("cmn-Hans-CN") == "zh" and primary("pt_BR") == "pt" and primary("arb") == "ar"
    assert tag_for(("en-US", "es-MX", "es-ES"), "es-ES") == "es-ES" and tag_for(("en-US", "es-MX"), "es") == "es-MX"
    assert speaks(("cmn-CN",), "zh") and not speaks(("en",), "es")


def test_a_providers_file_server_declares_its_languages_and_where_the_request_names_one() -> None:
    table = """
[providers.mybox]
protocol = "http-speech"
base_url = "https://box.example"
key_env = "MYBOX_API_KEY"
path = "/speak"
text = "/text"
voice = "/voice"
language = "/lang"
languages = ["en-US", "es-ES"]
formats = { wav = "pcm_s16le/16000/wav" }
models = ["box-1"]
voices = ["ember"]
"""
    (mybox,) = declared_providers(table)
    offering = mybox.offerings[0]
    assert offering.languages == ("en-US", "es-ES")
    assert offering.build(SynthesisInput(SPANISH, language="es"))["lang"] == "es-ES"
    spoken = in_language(
        WorkloadSettings(language="es"), [*select({"mybox": mybox}, ["mybox"], []), *_chosen("deepgram")]
    )
    assert [s.label for s in spoken.selections] == ["mybox/box-1"]


def test_providers_shows_each_models_languages(monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from harness.cli import app

    monkeypatch.setenv("COLUMNS", "400")
    shown = CliRunner().invoke(app, ["providers"])
    assert shown.exit_code == 0, shown.output
    assert "languages of eleven_multilingual_v2 (29): en, ja, zh, de, hi" in shown.output
    assert "languages of aura-2-thalia-en" not in shown.output  # English only: no line
    described = CliRunner().invoke(app, ["providers", "--json"])
    by_name = {item["name"]: item for item in json.loads(described.output)}
    assert by_name["azure"]["languages"]["neural"][:2] == ["en-US", "en-GB"]
