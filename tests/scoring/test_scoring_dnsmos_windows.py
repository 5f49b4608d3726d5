"""DNSMOS P.835 split into front, stack and head (harness.scoring.dnsmos_windows) gives, window for window,
what the whole model gives: the stitched spectrograms, the stack's rows cut from one pass, the edge rows
recomputed and the runs of consecutive windows."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

import numpy as np
import pytest

from harness.scoring import dnsmos_windows
from harness.scoring.audio import decode_audio
from harness.scoring.dnsmos import INPUT_SAMPLES, SAMPLE_RATE, kept_windows
from tests.helpers.repo import VOICES

pytest.importorskip("onnx")
onnxruntime = pytest.importorskip("onnxruntime")
MODEL = Path(str(importlib.resources.files("speechmos") / "dnsmos_models" / "sig_bak_ovr.onnx"))


def _options() -> object:
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    return options


@pytest.fixture(scope="module")
def whole() -> object:
    return onnxruntime.InferenceSession(str(MODEL), _options(), providers=["CPUExecutionProvider"])


@pytest.fixture(scope="module")
def split() -> dnsmos_windows.SplitP835:
    return dnsmos_windows.SplitP835(MODEL, _options())


def test_the_stack_is_the_four_full_resolution_convolutions(split: dnsmos_windows.SplitP835) -> None:
    assert split.radius == 4


# joe_short (2.2 s) repeated to 17.5 s: windows 0-6 kept (7 and 8 are the reference's dropped ones), so one
# pass of seven windows; two windows far apart are two runs of one.
@pytest.mark.parametrize("windows", [kept_windows(int(17.5 * SAMPLE_RATE)), [2, 5]], ids=["consecutive", "apart"])
def test_each_window_scores_as_the_whole_model_scores_it(
    split: dnsmos_windows.SplitP835, whole: object, windows: list[int]
) -> None:
    audio = decode_audio((VOICES / "joe_short.wav").read_bytes()).mono_at(SAMPLE_RATE).astype(np.float32)
    while len(audio) < INPUT_SAMPLES + windows[-1] * SAMPLE_RATE:
        audio = np.concatenate((audio, audio))
    ours = split.raw_scores(audio, windows, INPUT_SAMPLES, SAMPLE_RATE)
    theirs = [
        whole.run(None, {"input_1": audio[k * SAMPLE_RATE :][:INPUT_SAMPLES][np.newaxis]})[0][0]  # type: ignore[attr-defined]
        for k in windows
    ]
    assert len(ours) == len(windows)
    np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs), rtol=0, atol=1e-6)


def test_runs_of_consecutive_windows_are_cut_to_the_longest_pass() -> None:
    assert dnsmos_windows._consecutive_runs([0, 1, 2, 4, 5, 24], 2) == [[0, 1], [2], [4, 5], [24]]


def test_a_clip_shorter_than_the_input_is_one_pass_of_the_stack() -> None:
    """The longest a short clip is repeated to (just under twice the input) keeps windows 0 to 6: one run."""
    longest = kept_windows(2 * INPUT_SAMPLES - 1)
    assert longest == list(range(7))
    assert dnsmos_windows._consecutive_runs(longest, dnsmos_windows.MAX_WINDOWS_PER_PASS) == [longest]


def test_the_windows_kept_are_the_references() -> None:
    # One a second while a whole 9.01 s window fits; the reference's float slice drops windows 7 to 23.
    assert kept_windows(12 * SAMPLE_RATE) == [0, 1, 2]
    assert kept_windows(int(17.5 * SAMPLE_RATE)) == [0, 1, 2, 3, 4, 5, 6]
    assert kept_windows(40 * SAMPLE_RATE) == [*range(7), *range(24, 31)]
