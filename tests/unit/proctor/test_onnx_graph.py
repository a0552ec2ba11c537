"""The DFL softmax rewrite on small hand-built graphs: same outputs, only the exact pattern."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from core.proctor.onnx_graph import load_for_onnxruntime, rewrite_dfl_softmax

ANCHORS = 50


def _dfl_model(
    *,
    perm: tuple[int, ...] = (0, 2, 1, 3),
    axis: int = 1,
    bias: bool = False,
    pads: bool = False,
    conv_is_output: bool = False,
    copy_dim: bool = False,
):
    """(1, 64, N) -> Reshape (1, 4, 16, N) -> Transpose -> Softmax -> Conv 1x1 -> (1, 4, N)."""
    weights = np.arange(16, dtype=np.float32).reshape(1, 16, 1, 1)
    initializers = [
        numpy_helper.from_array(np.array([1, 4, 16, ANCHORS], np.int64), "shape_in"),
        numpy_helper.from_array(
            np.array([1, 4, 0 if copy_dim else ANCHORS], np.int64), "shape_out"
        ),
        numpy_helper.from_array(weights, "dfl_weight"),
    ]
    conv_inputs = ["soft", "dfl_weight"]
    if bias:
        initializers.append(numpy_helper.from_array(np.array([0.5], np.float32), "dfl_bias"))
        conv_inputs.append("dfl_bias")
    nodes = [
        helper.make_node("Reshape", ["x", "shape_in"], ["r"], name="/m/dfl/Reshape"),
        helper.make_node("Transpose", ["r"], ["t"], perm=list(perm), name="/m/dfl/Transpose"),
        helper.make_node("Softmax", ["t"], ["soft"], axis=axis, name="/m/dfl/Softmax"),
        helper.make_node(
            "Conv",
            conv_inputs,
            ["c"],
            kernel_shape=[1, 1],
            pads=[1, 1, 1, 1] if pads else [0, 0, 0, 0],
            name="/m/dfl/conv",
        ),
        helper.make_node("Reshape", ["c", "shape_out"], ["y"], name="/m/dfl/Reshape_1"),
    ]
    graph = helper.make_graph(
        nodes,
        "dfl",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 64, ANCHORS])],
        [
            helper.make_tensor_value_info(name, TensorProto.FLOAT, None)
            for name in (["y", "c"] if conv_is_output else ["y"])
        ],
        initializers,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=9)


def _run(model_or_bytes: object, x: np.ndarray) -> np.ndarray:
    data = (
        model_or_bytes if isinstance(model_or_bytes, bytes) else model_or_bytes.SerializeToString()
    )
    session = ort.InferenceSession(data, providers=["CPUExecutionProvider"])
    return session.run(None, {"x": x})[0]


def test_rewrite_gives_the_same_outputs() -> None:
    x = np.random.default_rng(0).normal(size=(1, 64, ANCHORS)).astype(np.float32) * 4
    before = _run(_dfl_model(), x)
    model = _dfl_model()
    assert rewrite_dfl_softmax(model) == 1
    assert [n.op_type for n in model.graph.node] == [
        "Reshape", "Transpose", "Softmax", "MatMul", "Reshape",
    ]  # fmt: skip
    after = _run(model, x)
    assert after.shape == before.shape == (1, 4, ANCHORS)
    np.testing.assert_allclose(after, before, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"perm": (0, 1, 3, 2)},
        {"axis": 2},
        {"bias": True},
        {"pads": True},
        {"conv_is_output": True},
        {"copy_dim": True},
    ],
    ids=[
        "other transpose",
        "other softmax axis",
        "conv with bias",
        "conv with padding",
        "conv output is a graph output",
        "reshape copies a dimension",
    ],
)
def test_anything_else_is_left_alone(kwargs: dict) -> None:
    model = _dfl_model(**kwargs)
    before = model.SerializeToString()
    assert rewrite_dfl_softmax(model) == 0
    assert model.SerializeToString() == before


def test_load_gives_bytes_only_when_rewritten(tmp_path) -> None:
    plain = tmp_path / "plain.onnx"
    onnx.save(_dfl_model(bias=True), str(plain))
    assert load_for_onnxruntime(plain) == str(plain)
    dfl = tmp_path / "dfl.onnx"
    onnx.save(_dfl_model(), str(dfl))
    assert isinstance(load_for_onnxruntime(dfl), bytes)
    corrupt = tmp_path / "corrupt.onnx"
    corrupt.write_bytes(b"not a model")
    assert load_for_onnxruntime(corrupt) == str(corrupt)  # onnxruntime reports it
