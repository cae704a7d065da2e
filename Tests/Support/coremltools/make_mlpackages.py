#!/usr/bin/env python3
"""Write tiny .mlpackage files with coremltools and print, as JSON, what coremltools itself reads back.

    make_mlpackages.py OUT_DIR

Each model is a linear layer (64x32) and a 3x3 convolution (16x8x3x3) built with the MIL builder,
then saved dense (float32, float16) or compressed with coremltools.optimize.coreml: palettized
2/4/6/8-bit (mode="uniform"), int8 linear quantization and 50 % magnitude pruning, for the iOS18
opset (typed sub-byte blobs, constexpr_lut_to_dense / constexpr_blockwise_shift_scale /
constexpr_sparse_to_dense) and, for 4-bit palettization, int8 and pruning, also the iOS16 opset
(packed uint8 indices and masks, constexpr_affine_dequantize).

For each model the JSON holds:
  blobs:   every BLOBFILE-backed value in the protobuf program (coremltools' own protobuf reader):
           const values and inline op arguments, named as coremltools names them on load, with the
           unique-value count and sparsity get_weights_metadata computes for them; and the iOS16
           constexpr ops' blob attributes (named <op>_<attribute>; get_weights_metadata does not list
           them, so their statistics come from the loaded op's attribute value);
  weights: every constexpr op's output (the dense weight): name, op type, dtype, dense shape, and the
           unique values and sparsity of the dense value coremltools materialises;
  weight_bin_count: the blob count in the weight.bin header;
  expect:  the compression the model was written with.
"""
import json
import os
import struct
import sys

import numpy as np
import coremltools as ct
import coremltools.optimize.coreml as cto
from coremltools.converters.mil import Builder as mb
from coremltools.converters.mil.frontend.milproto import load as milproto_load

MIL_NAMES = {"FLOAT16": "fp16", "FLOAT32": "fp32", "FLOAT64": "fp64", "BFLOAT16": "bf16", "BOOL": "bool",
             "INT4": "int4", "INT8": "int8", "INT16": "int16", "INT32": "int32", "INT64": "int64",
             "UINT1": "uint1", "UINT2": "uint2", "UINT3": "uint3", "UINT4": "uint4", "UINT6": "uint6",
             "UINT8": "uint8", "UINT16": "uint16", "UINT32": "uint32", "UINT64": "uint64"}


def dense_model(target, precision):
    rng = np.random.default_rng(7)
    linear_weight = rng.standard_normal((64, 32)).astype(np.float32)
    conv_weight = rng.standard_normal((16, 8, 3, 3)).astype(np.float32)

    @mb.program(input_specs=[mb.TensorSpec(shape=(1, 32)), mb.TensorSpec(shape=(1, 8, 12, 12))], opset_version=target)
    def prog(x, image):
        return mb.linear(x=x, weight=linear_weight, name="fc"), mb.conv(x=image, weight=conv_weight, name="conv")

    return ct.convert(prog, convert_to="mlprogram", compute_precision=precision, minimum_deployment_target=target)


def variants():
    ios16, ios18 = ct.target.iOS16, ct.target.iOS18
    fp16 = ct.precision.FLOAT16
    yield "float32", dense_model(ios18, ct.precision.FLOAT32), None
    base18 = dense_model(ios18, fp16)
    yield "float16", base18, None
    for bits in (2, 4, 6, 8):
        config = cto.OptimizationConfig(global_config=cto.OpPalettizerConfig(mode="uniform", nbits=bits, weight_threshold=512))
        yield f"palettized{bits}", cto.palettize_weights(base18, config), {"kind": "palettized", "bits": bits}
    int8 = cto.OptimizationConfig(global_config=cto.OpLinearQuantizerConfig(mode="linear_symmetric", weight_threshold=512))
    sparse = cto.OptimizationConfig(global_config=cto.OpMagnitudePrunerConfig(target_sparsity=0.5, weight_threshold=512))
    yield "int8", cto.linear_quantize_weights(base18, int8), {"kind": "affine", "bits": 8}
    yield "sparse", cto.prune_weights(base18, sparse), {"kind": "sparse"}
    base16 = dense_model(ios16, fp16)
    palette16 = cto.OptimizationConfig(global_config=cto.OpPalettizerConfig(mode="uniform", nbits=4, weight_threshold=512))
    yield "palettized4-ios16", cto.palettize_weights(base16, palette16), {"kind": "palettized", "bits": 4}
    yield "int8-ios16", cto.linear_quantize_weights(base16, int8), {"kind": "affine", "bits": 8}
    yield "sparse-ios16", cto.prune_weights(base16, sparse), {"kind": "sparse"}


def statistics(values):
    values = np.asarray(values)
    meta = cto.CoreMLWeightMetaData(values)
    return int(meta.unique_values), float(meta.sparsity)


def describe(path, expect):
    model = ct.models.MLModel(path, skip_model_load=True)
    spec = model.get_spec()
    metadata = cto.get_weights_metadata(model, weight_threshold=0)
    data_type = ct.proto.MIL_pb2.DataType.Name

    program = milproto_load.load(spec, spec.specificationVersion, file_weights_dir=model.weights_dir)
    loaded_ops = {op.name: op for function in program.functions.values() for op in function.operations}
    blobs = []
    for function in spec.mlProgram.functions.values():
        for op in function.block_specializations[function.opset].operations:
            op_name = op.attributes["name"].immediateValue.tensor.strings.values[0] if "name" in op.attributes else op.outputs[0].name
            values = []
            if op.type == "const" and op.attributes["val"].WhichOneof("value") == "blobFileValue":
                values.append((op.outputs[0].name, op.attributes["val"]))
            for argument_name, argument in op.inputs.items():
                for index, binding in enumerate(argument.arguments):
                    if binding.WhichOneof("binding") == "value" and binding.value.WhichOneof("value") == "blobFileValue":
                        values.append((f"{op_name}_{argument_name}_{index}", binding.value))
            attribute_values = {}
            if op.type != "const":
                for attribute, value in op.attributes.items():
                    if value.WhichOneof("value") == "blobFileValue":
                        name = f"{op_name}_{attribute}"
                        values.append((name, value))
                        attribute_values[name] = getattr(loaded_ops[op_name], attribute).val
            for name, value in values:
                tensor = value.type.tensorType
                entry = {"name": name, "dtype": MIL_NAMES[data_type(tensor.dataType)],
                         "shape": [d.constant.size for d in tensor.dimensions], "offset": value.blobFileValue.offset}
                if name in attribute_values:
                    entry["unique_values"], entry["sparsity"] = statistics(attribute_values[name])
                    blobs.append(entry)
                    continue
                if name not in metadata:
                    sys.exit(f"{path}: blob value {name} is not among get_weights_metadata's names {sorted(metadata)}")
                meta = metadata[name]
                entry.update({"metadata_shape": list(meta.val.shape), "unique_values": int(meta.unique_values),
                              "sparsity": float(meta.sparsity)})
                blobs.append(entry)

    weights = []
    for function in program.functions.values():
        for op in function.operations:
            if not op.op_type.startswith("constexpr_"):
                continue
            output = op.outputs[0]
            unique_values, sparsity = statistics(op.materialized_val_inference())
            weights.append({"name": output.name, "op": op.op_type, "shape": list(output.shape),
                            "dtype": ct.converters.mil.mil.types.builtin_to_string(output.dtype),
                            "unique_values": unique_values, "sparsity": sparsity})

    with open(os.path.join(path, "Data", "com.apple.CoreML", "weights", "weight.bin"), "rb") as f:
        count, = struct.unpack("<I", f.read(4))
    return {"path": path, "expect": expect, "blobs": blobs, "weights": weights, "weight_bin_count": count}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    report = {}
    for name, model, expect in variants():
        path = os.path.join(out, f"{name}.mlpackage")
        model.save(path)
        report[name] = describe(path, expect)
    json.dump(report, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
