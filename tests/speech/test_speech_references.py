from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import pytest

from harness.speech import Engine, SpeechEngine, decode, encode, unavailable_reason
from harness.speech import make_references as refs


def test_committed_references_meet_their_bounds(voices_dir: Path) -> None:
    manifest = json.loads((voices_dir / refs.MANIFEST).read_text(encoding="utf-8"))
    by_file = {entry["file"]: entry for entry in manifest["clips"]}
    assert set(by_file) == {r.name for r in refs.REFERENCES}
    for reference in refs.REFERENCES:
        data = (voices_dir / reference.name).read_bytes()
        clip = decode(data)
        assert len(data) < refs.MAX_BYTES
        assert clip.sample_rate == 22050
        assert reference.min_s <= clip.duration_s <= reference.max_s
        assert by_file[reference.name]["sha256"] == hashlib.sha256(data).hexdigest()
        assert by_file[reference.name]["text"] == reference.text
    # What the cloning tests rely on: PixelAPI wants >= 5 s at >= 16 kHz, and a clip that is too short.
    assert decode((voices_dir / "joe_reference.wav").read_bytes()).duration_s >= 6.0
    assert decode((voices_dir / "espeak_reference.wav").read_bytes()).duration_s >= 6.0
    assert decode((voices_dir / "joe_short.wav").read_bytes()).duration_s < 5.0


def test_committed_references_match_fresh_renders(rendering_engine: SpeechEngine, voices_dir: Path) -> None:
    assert refs.check_references(voices_dir, rendering_engine) == []


@pytest.mark.skipif(unavailable_reason(Engine.ESPEAK) is not None, reason="writing every reference needs espeak-ng")
def test_main_writes_then_checks(
    engine: SpeechEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(refs, "SpeechEngine", lambda: engine)  # reuse the session's loaded voice
    assert refs.main(["--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*(r.name for r in refs.REFERENCES), refs.MANIFEST])
    assert refs.main(["--check", "--out", str(tmp_path)]) == 0
    (tmp_path / "joe_short.wav").unlink()
    assert refs.main(["--check", "--out", str(tmp_path)]) == 1
    assert "joe_short.wav: missing" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("short_by", "drifted"), [(0, False), (refs.PIPER_FRAME, False), (3 * refs.PIPER_FRAME, True), (100, True)]
)
def test_a_render_a_frame_apart_is_the_same_clip_but_more_is_drift(
    rendering_engine: SpeechEngine, voices_dir: Path, tmp_path: Path, short_by: int, drifted: bool
) -> None:
    """Another CPU may round a phoneme to its neighbouring 256-sample frame (one frame longer was seen on an EPYC
    without AVX-512): a whole frame or two apart is the same clip; more frames, or a cut not on a frame, is drift."""
    piper_clips = [r for r in refs.REFERENCES if r.rendition.engine is Engine.PIPER]
    for reference in refs.REFERENCES:
        if reference not in piper_clips:
            (tmp_path / reference.name).write_bytes((voices_dir / reference.name).read_bytes())
    subject = min(piper_clips, key=lambda r: len(r.text))
    for reference in piper_clips:
        fresh = decode(refs.render_reference(rendering_engine, reference))
        if reference is subject and short_by:
            fresh = dataclasses.replace(fresh, samples=fresh.samples[:-short_by])
        (tmp_path / reference.name).write_bytes(encode(fresh, "wav"))
    problems = refs.check_references(tmp_path, rendering_engine)
    assert [p for p in problems if subject.name in p] != [] if drifted else problems == []
