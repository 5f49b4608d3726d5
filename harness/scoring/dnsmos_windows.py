"""DNSMOS P.835 over a clip's overlapping windows, its full-resolution convolutions computed once per clip.

The reference runs the P.835 model on every 9.01 s window, one second apart: a 3 s clip (repeated to 12.4 s)
is three windows, 27 s of audio through the model for 12 s of distinct samples. Nine tenths of the model's
time are its first 3x3 convolutions over the whole spectrogram (900 frames x 161 bins, 128 channels). Those
layers are shift-equivariant in time: an output frame depends only on the input frames within `radius` of
it (one per layer). So the model is split into three parts:

  front  samples -> log-power spectrogram, per window (a few ms; 100 frames a second, so window k's frames
         are frames 100k.. of the clip, and consecutive windows' spectrograms stitch into one);
  stack  the full-resolution convolutions, run once over the stitched spectrogram of consecutive windows;
         each window's rows are cut from it, except the `radius` rows at each of its edges, where the
         window alone sees the convolutions' zero padding: those come from a pass over the window's own
         2 * radius edge frames, exactly as the whole model computes them;
  head   pooling, the smaller convolutions and the dense layers, per window.

Each window's outputs are the whole model's (tests/scoring/test_dnsmos_windows.py compares them, window for
window, with the unsplit model); a 3 s clip costs about half, a long clip a quarter.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

FRAMES_PER_SECOND = 100  # the model frames 16 kHz audio every 160 samples: 9.01 s -> 900 frames
# At most this many windows share one pass of the stack: its first layer holds 128 channels x frames x 161
# bins (74 MB a window alone; seven together are 1,500 frames, 125 MB). Seven, because a clip shorter than the
# model's input is repeated to under 18.02 s, whose kept windows are 0 to 6 at most (the reference drops 7 to
# 23): every such clip is one pass. Six made a 17 s clip a pass of six and one of one, 24 s of frames through the
# stack for 16 (a fifth more time for a third of the README run's clips); longer clips pass in runs of seven.
MAX_WINDOWS_PER_PASS = 7


class SplitP835:
    """The P.835 model as front, stack and head sessions; `raw_scores` gives each window's model outputs."""

    def __init__(self, model_path: Path, options: Any) -> None:
        import onnx
        import onnxruntime

        model = onnx.load(str(model_path))
        spectrogram, stacked, self.radius = _split_points(model)
        (graph_input,) = [i.name for i in model.graph.input]
        (graph_output,) = [o.name for o in model.graph.output]

        def session(inputs: str, outputs: str) -> Any:
            part = _subgraph(model, inputs, outputs)
            return onnxruntime.InferenceSession(part.SerializeToString(), options, providers=["CPUExecutionProvider"])

        self._front, self._stack, self._head = (
            session(graph_input, spectrogram),
            session(spectrogram, stacked),
            session(stacked, graph_output),
        )
        self._names = (graph_input, spectrogram, stacked)

    def raw_scores(
        self, audio: np.ndarray, windows: Sequence[int], window_samples: int, sample_rate: int
    ) -> list[np.ndarray]:
        """The model's outputs for each window `audio[k * sample_rate:][:window_samples]`, k in `windows`."""
        scores: list[np.ndarray] = []
        for run in _consecutive_runs(windows, MAX_WINDOWS_PER_PASS):
            scores.extend(self._run(audio, run, window_samples, sample_rate))
        return scores

    def _run(self, audio: np.ndarray, run: list[int], window_samples: int, sample_rate: int) -> list[np.ndarray]:
        samples_name, spectrogram_name, stacked_name = self._names
        spectrograms = [
            self._front.run(None, {samples_name: audio[k * sample_rate :][:window_samples][np.newaxis]})[0] for k in run
        ]
        frames = spectrograms[0].shape[2]
        stitched = np.concatenate(
            [spectrograms[0], *(s[:, :, frames - FRAMES_PER_SECOND :] for s in spectrograms[1:])], axis=2
        )
        stacked = self._stack.run(None, {spectrogram_name: stitched})[0]
        edge = 2 * self.radius
        scores = []
        for offset, spectrogram in enumerate(spectrograms):
            window = stacked[:, :, offset * FRAMES_PER_SECOND :][:, :, :frames].copy()
            if self.radius:
                first = self._stack.run(None, {spectrogram_name: np.ascontiguousarray(spectrogram[:, :, :edge])})[0]
                last = self._stack.run(None, {spectrogram_name: np.ascontiguousarray(spectrogram[:, :, -edge:])})[0]
                window[:, :, : self.radius] = first[:, :, : self.radius]
                window[:, :, -self.radius :] = last[:, :, -self.radius :]
            scores.append(self._head.run(None, {stacked_name: window})[0][0])
        return scores


def _consecutive_runs(windows: Sequence[int], longest: int) -> list[list[int]]:
    runs: list[list[int]] = []
    for index in windows:
        if runs and runs[-1][-1] == index - 1 and len(runs[-1]) < longest:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def _split_points(model: Any) -> tuple[str, str, int]:
    """The spectrogram (the first 2-D convolution's input), the stack's output (the first pooling's input)
    and the stack's radius in frames. Every node between them must be a stride-1 convolution padded to keep
    its size or an element-wise activation: only then does a frame's output depend on its neighbours alone."""
    from onnx import helper

    nodes = list(model.graph.node)
    convolutions = [
        i for i, node in enumerate(nodes) if node.op_type == "Conv" and len(_attribute(node, "kernel_shape") or ()) == 2
    ]
    pools = [i for i, node in enumerate(nodes) if node.op_type == "MaxPool"]
    if not convolutions or not pools or pools[0] < convolutions[0]:
        raise ValueError("DNSMOS: the P.835 model has no 2-D convolutions followed by a pooling to split at")
    first_conv, first_pool = convolutions[0], pools[0]
    radius = 0
    for node in nodes[first_conv:first_pool]:
        if node.op_type == "Conv":
            kernel, pads = _attribute(node, "kernel_shape"), _attribute(node, "pads")
            strides, dilations = _attribute(node, "strides") or [1, 1], _attribute(node, "dilations") or [1, 1]
            if (
                list(strides) != [1, 1]
                or list(dilations) != [1, 1]
                or pads is None
                or list(pads) != [(kernel[0] - 1) // 2, (kernel[1] - 1) // 2] * 2
            ):
                raise ValueError(
                    f"DNSMOS: {node.name} is not a size-keeping convolution: {helper.printable_node(node)}"
                )
            radius += (kernel[0] - 1) // 2
        elif node.op_type != "Relu":
            raise ValueError(f"DNSMOS: unexpected {node.op_type} between the spectrogram and the first pooling")
    return nodes[first_conv].input[0], nodes[first_pool].input[0], radius


def _attribute(node: Any, name: str) -> Any:
    from onnx import helper

    return next((helper.get_attribute_value(a) for a in node.attribute if a.name == name), None)


def _subgraph(model: Any, input_name: str, output_name: str) -> Any:
    """The nodes that compute `output_name` from `input_name` and the model's weights, as a model of its own
    whose shapes onnxruntime infers (the stack's time axis is free)."""
    from onnx import TensorProto, helper

    graph = model.graph
    producer = {output: node for node in graph.node for output in node.output}
    weights = {initializer.name: initializer for initializer in graph.initializer}
    needed: set[str] = set()
    pending = [output_name]
    while pending:
        name = pending.pop()
        if name == input_name or name in weights or name in needed:
            continue
        needed.add(name)
        pending.extend(producer[name].input)
    nodes = [node for node in graph.node if any(output in needed for output in node.output)]
    used = {name for node in nodes for name in node.input}
    part = helper.make_graph(
        nodes,
        f"{input_name}->{output_name}",
        [helper.make_tensor_value_info(input_name, TensorProto.FLOAT, None)],
        [helper.make_tensor_value_info(output_name, TensorProto.FLOAT, None)],
        [weights[name] for name in weights if name in used],
    )
    split = helper.make_model(part, opset_imports=model.opset_import)
    split.ir_version = model.ir_version
    return split
