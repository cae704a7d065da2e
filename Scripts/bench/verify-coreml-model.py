#!/usr/bin/env python3
"""Write a Core ML model of SD 1.5 UNet size for Scripts/bench/verify-coreml.

    verify-coreml-model.py OUT_DIR [--weights 2000] [--mib 1700]

Writes OUT_DIR/Unet.mlmodelc (text MIL, metadata.json, coremldata.bin) and OUT_DIR/Unet.mlpackage
(Manifest.json and a Model protobuf built with coremltools' own proto classes), sharing one layout:
--weights fp16 const weights of varied [rows, 320] shapes summing to --mib MiB in weights/weight.bin
(64-byte records, data from a repeated pseudo-random block), each consumed by a linear op, plus
scalar and shape consts, adds, muls and reshapes between them: 7 ops per weight, about 14,000 ops and
2 MB of model.mil, more than an SD 1.5 UNet's program has.
"""
import argparse
import json
import os
import struct

from coremltools.proto import MIL_pb2, Model_pb2, FeatureTypes_pb2

COLUMNS = 320


def layout(weights, mib):
    """Rows per weight: a repeating spread of sizes, scaled so the fp16 data sums to `mib` MiB."""
    pattern = [1, 4, 9, 2, 16, 3, 6, 1, 12, 5]
    rows = [pattern[i % len(pattern)] for i in range(weights)]
    scale = (mib << 20) / (sum(rows) * COLUMNS * 2)
    return [max(1, int(r * scale)) for r in rows]


def write_weight_bin(path, rows):
    block = os.urandom(1 << 20)
    offsets = []
    with open(path, "wb") as f:
        f.write(struct.pack("<II", len(rows), 2).ljust(64, b"\0"))
        position = 64
        for r in rows:
            size = r * COLUMNS * 2
            offsets.append(position)
            f.write(struct.pack("<IIQQQ", 0xDEADBEEF, 1, size, position + 64, 0).ljust(64, b"\0"))
            left = size
            while left > 0:
                chunk = min(left, len(block))
                f.write(block[:chunk])
                left -= chunk
            padding = -(position + 64 + size) % 64
            f.write(b"\0" * padding)
            position += 64 + size + padding
    return offsets


def write_mlmodelc(folder, rows, offsets):
    os.makedirs(os.path.join(folder, "weights"), exist_ok=True)
    lines = ["program(1.0)", '[buildInfo = dict<string, string>({{"coremltools-version", "9.0"}})]', "{",
             "    func main<ios16>(tensor<fp16, [1, 320]> x) {"]
    previous = "x"
    for i, (r, offset) in enumerate(zip(rows, offsets)):
        lines.append(f'            tensor<fp16, [{r}, {COLUMNS}]> w{i} = const()[name = string("w{i}"), val = tensor<fp16, [{r}, {COLUMNS}]>'
                     f'(BLOBFILE(path = string("@model_path/weights/weight.bin"), offset = uint64({offset})))];')
        lines.append(f'            tensor<fp16, [1, {r}]> y{i} = linear(weight = w{i}, x = x)[name = string("y{i}")];')
        lines.append(f'            fp16 s{i} = const()[name = string("s{i}"), val = fp16(0x1.8p-3)];')
        lines.append(f'            tensor<fp16, [1, 320]> a{i} = add(x = {previous}, y = s{i})[name = string("a{i}")];')
        lines.append(f'            tensor<int32, [2]> p{i} = const()[name = string("p{i}"), val = tensor<int32, [2]>([1, 320])];')
        lines.append(f'            tensor<fp16, [1, 320]> m{i} = mul(x = a{i}, y = s{i})[name = string("m{i}")];')
        lines.append(f'            tensor<fp16, [1, 320]> r{i} = reshape(shape = p{i}, x = m{i})[name = string("r{i}")];')
        previous = f"r{i}"
    lines += [f"    }} -> ({previous});", "}"]
    with open(os.path.join(folder, "model.mil"), "w") as f:
        f.write("\n".join(lines) + "\n")
    schema = lambda name: {"name": name, "type": "MultiArray", "dataType": "Float16", "shape": "[1, 320]"}
    with open(os.path.join(folder, "metadata.json"), "w") as f:
        json.dump([{"specificationVersion": 7, "computePrecision": "Mixed (Float16, Int32)",
                    "mlProgramOperationTypeHistogram": {"Ios16.linear": len(rows), "Ios16.add": len(rows),
                                                        "Ios16.mul": len(rows), "Ios16.reshape": len(rows)},
                    "inputSchema": [schema("x")], "outputSchema": [schema(previous)], "userDefinedMetadata": {}}], f)
    with open(os.path.join(folder, "coremldata.bin"), "wb") as f:
        f.write(b"bench" * 64)


def tensor_type(data_type, shape):
    value = MIL_pb2.ValueType()
    value.tensorType.dataType = data_type
    value.tensorType.rank = len(shape)
    for d in shape:
        value.tensorType.dimensions.add().constant.size = d
    return value


def write_mlpackage(folder, rows, offsets):
    data = os.path.join(folder, "Data", "com.apple.CoreML")
    os.makedirs(os.path.join(data, "weights"), exist_ok=True)
    model = Model_pb2.Model(specificationVersion=7)
    for target, name in ((model.description.input, "x"), (model.description.output, f"r{len(rows) - 1}")):
        feature = target.add(name=name)
        feature.type.multiArrayType.dataType = FeatureTypes_pb2.ArrayFeatureType.FLOAT16
        feature.type.multiArrayType.shape.extend([1, 320])
    model.mlProgram.version = 1
    function = model.mlProgram.functions["main"]
    function.opset = "CoreML6"
    function.inputs.add(name="x", type=tensor_type(MIL_pb2.FLOAT16, [1, 320]))
    block = function.block_specializations["CoreML6"]

    def const(name, value_type):
        op = block.operations.add(type="const")
        op.outputs.add(name=name, type=value_type)
        op.attributes["name"].type.tensorType.dataType = MIL_pb2.STRING
        op.attributes["name"].immediateValue.tensor.strings.values.append(name)
        return op

    previous = "x"
    for i, (r, offset) in enumerate(zip(rows, offsets)):
        op = const(f"w{i}", tensor_type(MIL_pb2.FLOAT16, [r, COLUMNS]))
        op.attributes["val"].type.CopyFrom(tensor_type(MIL_pb2.FLOAT16, [r, COLUMNS]))
        op.attributes["val"].blobFileValue.fileName = "@model_path/weights/weight.bin"
        op.attributes["val"].blobFileValue.offset = offset
        linear = block.operations.add(type="linear")
        linear.inputs["weight"].arguments.add(name=f"w{i}")
        linear.inputs["x"].arguments.add(name="x")
        linear.outputs.add(name=f"y{i}", type=tensor_type(MIL_pb2.FLOAT16, [1, r]))
        scalar = const(f"s{i}", tensor_type(MIL_pb2.FLOAT16, []))
        scalar.attributes["val"].type.CopyFrom(tensor_type(MIL_pb2.FLOAT16, []))
        scalar.attributes["val"].immediateValue.tensor.bytes.values = struct.pack("<e", 0.1875)
        add = block.operations.add(type="add")
        add.inputs["x"].arguments.add(name=previous)
        add.inputs["y"].arguments.add(name=f"s{i}")
        add.outputs.add(name=f"a{i}", type=tensor_type(MIL_pb2.FLOAT16, [1, 320]))
        shape = const(f"p{i}", tensor_type(MIL_pb2.INT32, [2]))
        shape.attributes["val"].type.CopyFrom(tensor_type(MIL_pb2.INT32, [2]))
        shape.attributes["val"].immediateValue.tensor.ints.values.extend([1, 320])
        mul = block.operations.add(type="mul")
        mul.inputs["x"].arguments.add(name=f"a{i}")
        mul.inputs["y"].arguments.add(name=f"s{i}")
        mul.outputs.add(name=f"m{i}", type=tensor_type(MIL_pb2.FLOAT16, [1, 320]))
        reshape = block.operations.add(type="reshape")
        reshape.inputs["shape"].arguments.add(name=f"p{i}")
        reshape.inputs["x"].arguments.add(name=f"m{i}")
        reshape.outputs.add(name=f"r{i}", type=tensor_type(MIL_pb2.FLOAT16, [1, 320]))
        previous = f"r{i}"
    block.outputs.append(previous)
    with open(os.path.join(data, "model.mlmodel"), "wb") as f:
        f.write(model.SerializeToString())
    manifest = {"fileFormatVersion": "1.0.0", "rootModelIdentifier": "MODEL",
                "itemInfoEntries": {"MODEL": {"author": "com.apple.CoreML", "description": "CoreML Model Specification",
                                              "name": "model.mlmodel", "path": "com.apple.CoreML/model.mlmodel"},
                                    "WEIGHTS": {"author": "com.apple.CoreML", "description": "CoreML Model Weights",
                                                "name": "weights", "path": "com.apple.CoreML/weights"}}}
    with open(os.path.join(folder, "Manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--weights", type=int, default=2000)
    parser.add_argument("--mib", type=int, default=1700)
    args = parser.parse_args()
    rows = layout(args.weights, args.mib)
    compiled = os.path.join(args.out, "Unet.mlmodelc")
    package = os.path.join(args.out, "Unet.mlpackage")
    os.makedirs(os.path.join(compiled, "weights"), exist_ok=True)
    offsets = write_weight_bin(os.path.join(compiled, "weights", "weight.bin"), rows)
    write_mlmodelc(compiled, rows, offsets)
    write_mlpackage(package, rows, offsets)
    # One copy of the data: the package's weight.bin is a hard link to the compiled model's.
    os.link(os.path.join(compiled, "weights", "weight.bin"), os.path.join(package, "Data", "com.apple.CoreML", "weights", "weight.bin"))
    print(f"{len(rows)} weights, {os.path.getsize(os.path.join(compiled, 'weights', 'weight.bin')) / 2**20:.0f} MiB weight.bin")


if __name__ == "__main__":
    main()
