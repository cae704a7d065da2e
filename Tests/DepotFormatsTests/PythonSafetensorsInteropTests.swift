import DepotTestSupport
import Foundation
import Testing
@testable import DepotFormats

/// Files written by the Python `safetensors` package (the reference implementation) read
/// identically: names, dtypes, shapes, offsets and bytes, for every dtype it can write.
@Suite struct PythonSafetensorsInteropTests {
    /// Writes files with every dtype the package accepts (raw specs, so the packed and 8-bit floats
    /// are included), empty tensors and metadata, then describes each with the package's own reader.
    static let writer = #"""
    import ctypes, json, os, sys
    from safetensors import serialize_file, deserialize, TensorSpec
    out = sys.argv[1]
    dtypes = ["bool", "uint8", "int8", "int16", "uint16", "int32", "uint32", "int64", "uint64", "float16", "bfloat16",
              "float32", "float64", "float8_e4m3fn", "float8_e4m3fnuz", "float8_e5m2", "float8_e5m2fnuz", "float8_e8m0fnu",
              "float4_e2m1fn_x2", "complex64"]
    size = {"bool": 1, "uint8": 1, "int8": 1, "int16": 2, "uint16": 2, "int32": 4, "uint32": 4, "int64": 8, "uint64": 8,
            "float16": 2, "bfloat16": 2, "float32": 4, "float64": 8, "complex64": 8}
    keep = []
    def spec(dtype, shape, seed):
        count = 1
        for d in shape: count *= d
        length = count * size.get(dtype, 1)
        data = bytes((seed * 31 + i * 7) % 256 for i in range(length))
        if dtype == "bool": data = bytes(b % 2 for b in data)
        buf = ctypes.create_string_buffer(data, max(length, 1))
        keep.append(buf)
        return TensorSpec(dtype=dtype, shape=shape, data_ptr=ctypes.addressof(buf), data_len=length)
    files = {
        "every-dtype.safetensors": ({f"t.{d}": spec(d, [3, 2], i) for i, d in enumerate(dtypes)}, {"format": "pt", "note": "every dtype"}),
        "empty-tensors.safetensors": ({"empty": spec("float32", [0, 4], 1), "scalar": spec("float16", [], 2),
                                       "zero-dim": spec("int64", [2, 0, 3], 3), "after": spec("uint8", [5], 4)}, None),
        "unicode-names.safetensors": ({"é.weight": spec("float32", [2], 5), "😀": spec("bfloat16", [1, 1], 6)}, {"ключ": "значение"}),
    }
    manifest = {}
    for name, (tensors, metadata) in files.items():
        path = os.path.join(out, name)
        serialize_file(tensors, path, metadata=metadata)
        raw = open(path, "rb").read()
        n = int.from_bytes(raw[:8], "little")
        header = json.loads(raw[8:8 + n])
        entries = []
        for tensor, info in deserialize(raw):
            entries.append({"name": tensor, "dtype": info["dtype"], "shape": list(info["shape"]),
                            "offsets": header[tensor]["data_offsets"], "hex": bytes(info["data"]).hex()})
        manifest[name] = {"metadata": header.get("__metadata__"), "tensors": entries}
    print(json.dumps(manifest))
    """#

    struct Expected: Decodable {
        struct Tensor: Decodable { let name: String; let dtype: String; let shape: [Int]; let offsets: [Int]; let hex: String }
        let metadata: [String: String]?
        let tensors: [Tensor]
    }

    @Test func filesWrittenByPythonReadIdentically() throws {
        let folder = try TemporaryDirectory("depot-safetensors-python")
        let result = try runChecked(try TestEnvironment.python(), ["-c", Self.writer, folder.url.path])
        let manifest = try JSONDecoder().decode([String: Expected].self, from: result.stdoutData)
        #expect(manifest.count == 3)
        var dtypesSeen = Set<SafetensorsDType>()
        for (name, expected) in manifest {
            let file = try SafetensorsFile(url: folder.path(name))
            #expect(file.metadata == expected.metadata, "\(name)")
            #expect(Set(file.tensors.map(\.name)) == Set(expected.tensors.map(\.name)), "\(name)")
            for tensor in expected.tensors {
                let info = try file.tensor(tensor.name)
                dtypesSeen.insert(info.dtype)
                #expect(info.dtype.rawValue == tensor.dtype && info.shape == tensor.shape, "\(name): \(tensor.name)")
                #expect([info.dataOffsets.lowerBound, info.dataOffsets.upperBound] == tensor.offsets, "\(name): \(tensor.name)")
                let hex = try file.withRawBytes(of: tensor.name) { $0.map { String(format: "%02x", $0) }.joined() }
                #expect(hex == tensor.hex, "\(name): \(tensor.name)")
            }
        }
        // Everything the package writes, i.e. every dtype except the two FP6 formats it cannot produce.
        #expect(dtypesSeen == Set(SafetensorsDType.allCases).subtracting([.f6E2M3, .f6E3M2]))
    }

    @Test func floatValuesMatchNumpy() throws {
        let folder = try TemporaryDirectory("depot-safetensors-numpy")
        let script = #"""
        import json, sys, numpy as np
        from safetensors.numpy import save_file
        rng = np.random.default_rng(7)
        a = rng.standard_normal((5, 7)).astype(np.float32)
        b = (rng.standard_normal(300) * 100).astype(np.float16)
        c = np.array([0, -0.0, np.inf, -np.inf, 65504, 6e-8], dtype=np.float16)
        save_file({"a": a, "b": b, "c": c}, sys.argv[1], metadata={"format": "np"})
        print(json.dumps({"a": a.astype(float).tolist(), "b": b.astype(float).tolist(), "c": [str(v) for v in c.astype(float)]}))
        """#
        let url = folder.path("values.safetensors")
        let result = try runChecked(try TestEnvironment.python(), ["-c", script, url.path])
        let expected = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        let file = try SafetensorsFile(url: url)
        #expect(try file.floats("a") == (expected["a"] as? [[Double]])?.joined().map(Float.init))
        #expect(try file.floats("b") == (expected["b"] as? [Double])?.map(Float.init))
        // Python's and Swift's shortest float printing agree on these, signed zero and infinities included.
        #expect(try file.floats("c").map { "\(Double($0))" } == expected["c"] as? [String])
        #expect(file.metadata == ["format": "np"])
    }
}
