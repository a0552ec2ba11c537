"""A load-time rewrite of the YOLO head that onnxruntime runs slowly on the CPU.

Ultralytics exports the DFL box decoding as ``Transpose(0,2,1,3) -> Softmax(axis=1) ->
Conv(1x1, 16 -> 1)``. onnxruntime's CPU Softmax over a non-last axis of that (1, 16, 4, N)
tensor takes about 10 ms per frame at 480x640 on this machine's cores (12 % of the whole
model). The same computation as ``Transpose(0,1,3,2) -> Softmax(axis=-1) -> MatMul(16 x 1)``
gives identical outputs (max difference 0.0 on the shared export) and takes under 1 ms.

The rewrite is done in memory when the model is loaded (the file is never changed) and needs
the ``onnx`` package; without it, or when the pattern is not found, the model runs as it is.
Runs on the caller's thread.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)


def _attribute(node: Any, name: str) -> Any:
    from onnx import helper

    for attribute in node.attribute:
        if attribute.name == name:
            return helper.get_attribute_value(attribute)
    return None


def _consumers(graph: Any, tensor: str) -> list[Any]:
    return [n for n in graph.node if tensor in n.input]


def rewrite_dfl_softmax(model: Any) -> int:
    """Rewrite every matching DFL block of ``model`` (an ``onnx.ModelProto``) in place.

    Returns how many blocks were rewritten (0: the model is unchanged)."""
    from onnx import helper, numpy_helper

    graph = model.graph
    initializers = {i.name: i for i in graph.initializer}
    outputs = {o.name for o in graph.output}
    graph_inputs = {i.name for i in graph.input}
    rewritten = 0
    for transpose in [n for n in graph.node if n.op_type == "Transpose"]:
        if list(_attribute(transpose, "perm") or []) != [0, 2, 1, 3]:
            continue
        after_transpose = _consumers(graph, transpose.output[0])
        if len(after_transpose) != 1 or after_transpose[0].op_type != "Softmax":
            continue
        softmax = after_transpose[0]
        if transpose.output[0] in outputs or softmax.output[0] in outputs:
            continue
        if _attribute(softmax, "axis") != 1:
            continue
        after_softmax = _consumers(graph, softmax.output[0])
        if len(after_softmax) != 1 or after_softmax[0].op_type != "Conv":
            continue
        conv = after_softmax[0]
        if len(conv.input) != 2 or conv.input[1] not in initializers:
            continue  # a bias, or weights computed at run time: leave it alone
        if conv.input[1] in graph_inputs or conv.output[0] in outputs:
            continue  # the shape of a graph output would change (N,1 instead of 1,N)
        after_conv = _consumers(graph, conv.output[0])
        if len(after_conv) != 1 or after_conv[0].op_type != "Reshape":
            continue
        target = initializers.get(after_conv[0].input[1])
        if target is None or 0 in numpy_helper.to_array(target).tolist():
            continue  # a 0 ("copy this input dimension") would read the new layout wrongly
        padding = _attribute(conv, "auto_pad") or b"NOTSET"
        if any(_attribute(conv, "pads") or [0]) or padding not in (b"NOTSET", b"VALID"):
            continue
        weights = numpy_helper.to_array(initializers[conv.input[1]])
        if weights.ndim != 4 or weights.shape[0] != 1 or weights.shape[2:] != (1, 1):
            continue
        strides = _attribute(conv, "strides") or [1, 1]
        if (_attribute(conv, "group") or 1) != 1 or any(step != 1 for step in strides):
            continue
        bins = int(weights.shape[1])
        matmul_weights = f"{conv.input[1]}__as_matmul"
        if matmul_weights not in initializers:  # two blocks may share one weight tensor
            initializers[matmul_weights] = numpy_helper.from_array(
                weights.reshape(bins, 1).astype(np.float32), matmul_weights
            )
            graph.initializer.append(initializers[matmul_weights])
        transpose.ClearField("attribute")
        transpose.attribute.append(helper.make_attribute("perm", [0, 1, 3, 2]))
        softmax.ClearField("attribute")
        softmax.attribute.append(helper.make_attribute("axis", -1))
        matmul = helper.make_node(
            "MatMul", [softmax.output[0], matmul_weights], [conv.output[0]], name=conv.name
        )
        position = list(graph.node).index(conv)
        graph.node.remove(conv)
        graph.node.insert(position, matmul)
        if not _consumers(graph, conv.input[1]):  # the conv's weights are used by nothing now
            graph.initializer.remove(initializers.pop(conv.input[1]))
        rewritten += 1
    if rewritten:
        graph.ClearField("value_info")  # shapes inside the block changed; onnxruntime re-infers
    return rewritten


def load_for_onnxruntime(path: Path) -> bytes | str:
    """The model as bytes with the DFL rewrite, or the path itself when there is nothing to do
    (no ``onnx`` package, no matching block, or a file ``onnx`` cannot parse: onnxruntime then
    reports the problem itself)."""
    try:
        import onnx
    except ImportError:
        logger.info("onnx package not installed: %s runs without the DFL rewrite", path.name)
        return str(path)
    try:
        model = onnx.load(str(path))
    except Exception:  # a corrupt file: let onnxruntime say what is wrong with it
        return str(path)
    try:
        count = rewrite_dfl_softmax(model)
    except Exception:  # never let an optimisation stop a valid model from loading
        logger.exception("%s: DFL rewrite failed; the model runs as it is", path.name)
        return str(path)
    if not count:
        return str(path)
    logger.debug("%s: %d DFL softmax block(s) rewritten for onnxruntime", path.name, count)
    return model.SerializeToString()
