"""What the onnxruntime peers of memoir-bench share (Benchmarks/text/peer.py, Benchmarks/rerank/peer.py): a
one-time ONNX export of a BERT-shaped Hugging Face model, written atomically, and one CPU session set up like the
Memoir side it is measured against (intra-op threads as given, one inter-op thread, sequential execution, every
graph optimisation).
"""
import os

BERT_INPUTS = ["input_ids", "attention_mask", "token_type_ids"]


def export(model, path, output_name, output_axes):
    """Exports `model` (called as model(input_ids, attention_mask, token_type_ids)) to `path` once; batch and
    sequence length stay dynamic on the inputs, `output_axes` names the output's dynamic axes."""
    import torch

    ids = torch.tensor([[101, 7592, 2088, 102], [101, 7592, 102, 0]])
    axes = {name: {0: "batch", 1: "sequence"} for name in BERT_INPUTS}
    axes[output_name] = output_axes
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(model.eval(), (ids, (ids != 0).long(), torch.zeros_like(ids)), path + ".tmp",
                          input_names=BERT_INPUTS, output_names=[output_name], dynamic_axes=axes,
                          opset_version=17, dynamo=False)
    os.replace(path + ".tmp", path)


def cpu_session(path, threads):
    """The session and the facts a result line reports about it."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    return session, {"onnxruntime": ort.__version__, "intra_op_threads": threads}
