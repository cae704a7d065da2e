#!/usr/bin/env python3
"""Write a small Core ML Stable Diffusion repo in the layouts Apple publishes on the Hub.

    make_coreml_repo.py OUT_DIR [--kind sd|sdxl|sdxl-refiner|controlnet|sd3|t5-tokenizer]
                        [--variants original,split_einsum] [--text-dim 768] [--chunked]
                        [--zip NAME] [--no-folders] [--packages] [--safety-checker]
                        [--controlled-unet] [--t5 root|compiled] [--tokenizer-files DIR]
                        [--seed TEXT] [--unet-mib N] [--latent-size N]

Each compiled model is a hand-made .mlmodelc folder: a small MIL text program (model.mil) whose
const weight is a BLOBFILE reference into weights/weight.bin (64-byte header, 64-byte aligned blob
records), metadata.json (a one-element array whose inputSchema/outputSchema carry the names and
shapes of Apple's real Stable Diffusion models, and an op histogram that marks the attention
variant), coremldata.bin and analytics/coremldata.bin. Layouts written:

  {variant}/compiled/{TextEncoder,Unet,VAEDecoder,VAEEncoder}.mlmodelc   (unless --no-folders)
  {variant}/compiled/UnetChunk{1,2}.mlmodelc instead of Unet             (--chunked)
  {variant}/packages/*.mlpackage                                         (--packages)
  NAME_{variant}_compiled.zip at the root, holding the compiled models   (--zip NAME)

--kind controlnet writes a ControlNet model alone (ControlNet.mlmodelc), like Apple's
coreml-ControlNet repos. --kind sd3 writes SD3's models (TextEncoder, TextEncoder2,
MultiModalDiffusionTransformer, VAEDecoder); --t5 root adds TextEncoderT5.mlmodelc at the repo root
(where argmaxinc/coreml-stable-diffusion-3-medium keeps it), --t5 compiled adds it to the compiled
models. --latent-size N converts for another resolution (latents N x N, images 8N x 8N; default 64 for
sd and controlnet, 128 for SDXL), e.g. a ControlNet that does not fit a base model. --kind t5-tokenizer writes only tokenizer.json and tokenizer_config.json in the layout of
google-t5/t5-small (a handful of pieces, not the real vocabulary). Only the Python standard library
is used.
"""
import argparse
import hashlib
import json
import os
import struct
import zipfile

BLOB_SENTINEL = 0xDEADBEEF
DTYPE_FP16 = 1
# Fixed entry times keep the zips byte-identical between runs (a changed zip would be a new commit).
FIXED_TIME = (2024, 1, 1, 0, 0, 0)


def pseudo_random_bytes(seed, count):
    out = bytearray()
    counter = 0
    while len(out) < count:
        out += hashlib.sha256(f"{seed}:{counter}".encode()).digest()
        counter += 1
    return bytes(out[:count])


def weight_bin(blobs):
    """weight.bin: header {u32 count, u32 version=2, reserved} then, per blob, a 64-byte record at a
    64-byte boundary {u32 sentinel, u32 dtype, u64 size, u64 data offset, u64 padding bits} and the data.
    Returns the file bytes and each blob record's offset (what model.mil's BLOBFILE offset names)."""
    out = bytearray(struct.pack("<II", len(blobs), 2).ljust(64, b"\0"))
    offsets = []
    for data in blobs:
        out += b"\0" * (-len(out) % 64)
        record_offset = len(out)
        offsets.append(record_offset)
        data_offset = record_offset + 64
        out += struct.pack("<IIQQQ", BLOB_SENTINEL, DTYPE_FP16, len(data), data_offset, 0).ljust(64, b"\0")
        out += data
    out += b"\0" * (-len(out) % 64)
    return bytes(out), offsets


def write_large_weight_bin(path, size, seed):
    """One fp16 blob of `size` bytes (a repeated 1 MiB pseudo-random block, written streaming):
    benchmark models of real size without holding them in memory."""
    block = pseudo_random_bytes(seed, 1 << 20)
    with open(path, "wb") as f:
        f.write(struct.pack("<II", 1, 2).ljust(64, b"\0"))
        f.write(struct.pack("<IIQQQ", BLOB_SENTINEL, DTYPE_FP16, size, 128, 0).ljust(64, b"\0"))
        left = size
        while left > 0:
            f.write(block[:min(left, len(block))])
            left -= len(block)
        f.write(b"\0" * (-(128 + size) % 64))
    return 64, size // 2


def mil_type(shape, dtype="fp32"):
    return f"tensor<{dtype}, [{', '.join(str(d) for d in shape)}]>"


def model_mil(inputs, outputs, blob_offset, blob_count):
    """A MIL program: a BLOBFILE const, a reduction over it, and each output filled from it."""
    args = ", ".join(f"{mil_type(shape)} {name}" for name, shape in inputs)
    lines = [
        "program(1.0)",
        '[buildInfo = dict<tensor<string, []>, tensor<string, []>>({{"coremlc-component-MIL", "3304.5.2"}, '
        '{"coremlc-version", "3304.6.2"}, {"coremltools-version", "7.2"}})]',
        "{",
        f"    func main<ios16>({args}) {{",
        f'            {mil_type([blob_count], "fp16")} weight = const()[name = string("weight"), '
        f'val = {mil_type([blob_count], "fp16")}(BLOBFILE(path = string("@model_path/weights/weight.bin"), '
        f"offset = uint64({blob_offset})))];",
        '            tensor<int32, [1]> axes = const()[name = string("axes"), val = tensor<int32, [1]>([0])];',
        '            bool keep = const()[name = string("keep"), val = bool(false)];',
        '            tensor<fp16, []> level16 = reduce_mean(axes = axes, keep_dims = keep, x = weight)[name = string("level16")];',
        '            string to_fp32 = const()[name = string("to_fp32"), val = string("fp32")];',
        '            tensor<fp32, []> level = cast(dtype = to_fp32, x = level16)[name = string("level")];',
    ]
    for index, (name, shape) in enumerate(outputs):
        lines.append(f'            tensor<int32, [{len(shape)}]> shape_{index} = const()[name = string("shape_{index}"), '
                     f"val = tensor<int32, [{len(shape)}]>([{', '.join(str(d) for d in shape)}])];")
        lines.append(f'            {mil_type(shape)} {name} = fill(shape = shape_{index}, value = level)[name = string("{name}")];')
    lines.append(f"    }} -> ({', '.join(name for name, _ in outputs)});")
    lines.append("}")
    return "\n".join(lines) + "\n"


def schema_entry(name, shape):
    dims = " × ".join(str(d) for d in shape)
    return {
        "hasShapeFlexibility": "0", "isOptional": "0", "dataType": "Float32",
        "formattedType": f"MultiArray (Float32 {dims})", "shortDescription": "",
        "shape": "[" + ", ".join(str(d) for d in shape) + "]", "name": name, "type": "MultiArray",
    }


def histogram(variant, role):
    ops = {"Ios16.cast": 2, "Ios16.reduceMean": 1, "Fill": 1, "Ios16.add": 12, "Ios16.mul": 8}
    if role in ("text", "unet", "controlnet", "mmdit"):
        ops.update({"Ios16.softmax": 16, "Ios16.layerNorm": 8})
        if variant.startswith("split_einsum"):
            ops.update({"Ios16.einsum": 32, "Split": 4, "Concat": 4, "Ios16.conv": 24})
        else:
            ops.update({"Ios16.matmul": 32, "Ios16.linear": 24})
    else:
        ops.update({"Ios16.conv": 20, "Ios16.silu": 10})
    return ops


def metadata(inputs, outputs, variant, role, class_name):
    return [{
        "metadataOutputVersion": "3.0",
        "storagePrecision": "Float16",
        "outputSchema": [schema_entry(n, s) for n, s in outputs],
        "modelParameters": [],
        "specificationVersion": 7,
        "mlProgramOperationTypeHistogram": histogram(variant, role),
        "computePrecision": "Mixed (Float16, Float32, Int32)",
        "isUpdatable": "0",
        "availability": {"macOS": "13.0", "tvOS": "16.0", "visionOS": "1.0", "watchOS": "9.0", "iOS": "16.0", "macCatalyst": "16.0"},
        "modelType": {"name": "MLModelType_mlProgram"},
        "userDefinedMetadata": {"com.github.apple.coremltools.source": "torch==2.1.0",
                                "com.github.apple.coremltools.version": "7.2",
                                "com.github.apple.ml-stable-diffusion.attention-implementation": variant.upper()},
        "inputSchema": [schema_entry(n, s) for n, s in inputs],
        "generatedClassName": class_name,
        "method": "predict",
    }]


def write_mlmodelc(folder, inputs, outputs, variant, role, seed, weight_bytes=0):
    os.makedirs(os.path.join(folder, "weights"), exist_ok=True)
    os.makedirs(os.path.join(folder, "analytics"), exist_ok=True)
    weight_path = os.path.join(folder, "weights", "weight.bin")
    if weight_bytes:
        blob_offset, blob_count = write_large_weight_bin(weight_path, weight_bytes, seed)
    else:
        blob_count = 16
        weights, offsets = weight_bin([pseudo_random_bytes(seed, blob_count * 2)])
        blob_offset = offsets[0]
        with open(weight_path, "wb") as f:
            f.write(weights)
    with open(os.path.join(folder, "model.mil"), "w") as f:
        f.write(model_mil(inputs, outputs, blob_offset, blob_count))
    class_name = "Stable_Diffusion_" + os.path.basename(folder).split(".")[0]
    with open(os.path.join(folder, "metadata.json"), "w") as f:
        json.dump(metadata(inputs, outputs, variant, role, class_name), f, indent=2, ensure_ascii=False)
    with open(os.path.join(folder, "coremldata.bin"), "wb") as f:
        f.write(b"CMLD" + pseudo_random_bytes(seed + ":coremldata", 380))
    with open(os.path.join(folder, "analytics", "coremldata.bin"), "wb") as f:
        f.write(pseudo_random_bytes(seed + ":analytics", 243))


class Shapes:
    """Input/output names and shapes of Apple's converted models (batch 2 for the classifier-free guidance UNet)."""

    def __init__(self, kind, text_dim, latent_size=None):
        self.kind = kind
        self.text_dim = text_dim
        size = latent_size or (64 if kind in ("sd", "controlnet") else 128)
        self.latent = [4, size, size]
        self.pixels = [3, self.latent[1] * 8, self.latent[2] * 8]

    def text_encoder(self, second=False):
        dim = 1280 if second else self.text_dim
        outputs = [("last_hidden_state", [1, 77, dim]), ("pooled_outputs", [1, dim])]
        if self.kind in ("sdxl", "sdxl-refiner", "sd3"):
            outputs = [("hidden_embeds", [1, 77, dim]), ("pooled_outputs", [1, dim])]
        return [("input_ids", [1, 77])], outputs

    def unet_inputs(self, controlled=False):
        hidden = 2048 if self.kind == "sdxl" else 1280 if self.kind == "sdxl-refiner" else self.text_dim
        inputs = [("sample", [2] + self.latent), ("timestep", [2]), ("encoder_hidden_states", [2, hidden, 1, 77])]
        if self.kind in ("sdxl", "sdxl-refiner"):
            inputs += [("time_ids", [2, 5 if self.kind == "sdxl-refiner" else 6]), ("text_embeds", [2, 1280])]
        if controlled:
            inputs += self.residuals()
        return inputs

    def residuals(self):
        _, h, w = self.latent
        channels = [320, 320, 320, 320, 640, 640, 640, 1280, 1280, 1280, 1280, 1280]
        sizes = [1, 1, 1, 2, 2, 2, 4, 4, 4, 8, 8, 8]
        out = [(f"additional_residual_{i}", [2, c, h // s, w // s]) for i, (c, s) in enumerate(zip(channels, sizes))]
        return out + [("additional_residual_12", [2, 1280, h // 8, w // 8])]

    def unet(self, controlled=False):
        return self.unet_inputs(controlled), [("noise_pred", [2] + self.latent)]

    def unet_chunks(self):
        _, h, w = self.latent
        middle = [("mid_block_res_sample", [2, 1280, h // 8, w // 8])]
        return ((self.unet_inputs(), middle), (self.unet_inputs() + middle, [("noise_pred", [2] + self.latent)]))

    def vae_decoder(self):
        return [("z", [1] + self.latent)], [("image", [1] + self.pixels)]

    def vae_encoder(self):
        return [("sample", [1] + self.pixels)], [("latent_dist", [1, 8] + self.latent[1:])]

    def safety_checker(self):
        return ([("clip_input", [1, 3, 224, 224]), ("images", [1, 512, 512, 3])],
                [("filtered_images", [1, 512, 512, 3]), ("has_nsfw_concepts", [1])])

    def controlnet(self):
        inputs = [("sample", [2] + self.latent), ("timestep", [2]), ("encoder_hidden_states", [2, self.text_dim, 1, 77]),
                  ("controlnet_cond", [2] + self.pixels)]
        outputs = [(n.replace("additional_residual_", "down_block_res_samples_"), s) for n, s in self.residuals()[:-1]]
        return inputs, outputs + [("mid_block_res_sample", self.residuals()[-1][1])]

    def t5_encoder(self):
        return ([("input_ids", [1, 128]), ("attention_mask", [1, 128])], [("encoder_hidden_states", [1, 4096, 1, 128])])

    def mmdit(self):
        return ([("latent_image_embeddings", [2, 16, 128, 128]), ("token_level_text_embeddings", [2, 4096, 1, 154]),
                 ("pooled_text_embeddings", [2, 2048]), ("timestep", [2])],
                [("denoiser_output", [2, 16, 128, 128])])


def compiled_models(kind, text_dim, chunked, safety_checker, controlled_unet=False, latent_size=None):
    """Model name -> (inputs, outputs, role) for one compiled folder."""
    shapes = Shapes(kind, text_dim, latent_size)
    models = {}
    if kind == "controlnet":
        models["ControlNet"] = shapes.controlnet() + ("controlnet",)
        return models
    if kind == "sd3":
        models["TextEncoder"] = shapes.text_encoder() + ("text",)
        models["TextEncoder2"] = shapes.text_encoder(second=True) + ("text",)
        models["MultiModalDiffusionTransformer"] = shapes.mmdit() + ("mmdit",)
        models["VAEDecoder"] = ([("z", [1, 16, 128, 128])], [("image", [1, 3, 1024, 1024])], "vae")
        return models
    if kind == "sd":
        models["TextEncoder"] = shapes.text_encoder() + ("text",)
    elif kind == "sdxl":
        models["TextEncoder"] = shapes.text_encoder() + ("text",)
        models["TextEncoder2"] = shapes.text_encoder(second=True) + ("text",)
    else:
        models["TextEncoder2"] = shapes.text_encoder(second=True) + ("text",)
    if chunked:
        first, second = shapes.unet_chunks()
        models["UnetChunk1"] = first + ("unet",)
        models["UnetChunk2"] = second + ("unet",)
    else:
        models["Unet"] = shapes.unet() + ("unet",)
    models["VAEDecoder"] = shapes.vae_decoder() + ("vae",)
    models["VAEEncoder"] = shapes.vae_encoder() + ("vae",)
    if controlled_unet:
        models["ControlledUnet"] = shapes.unet(controlled=True) + ("unet",)
    if safety_checker:
        models["SafetyChecker"] = shapes.safety_checker() + ("safety",)
    return models


def write_t5_tokenizer(folder):
    """tokenizer.json (a Unigram model with T5's special tokens) and tokenizer_config.json, shaped like t5-small's."""
    pieces = [["<pad>", 0.0], ["</s>", 0.0], ["<unk>", 0.0], ["\u2581a", -3.1], ["\u2581photo", -8.2],
              ["\u2581of", -3.4], ["\u2581cat", -9.6], ["s", -4.2]]
    special = [{"id": i, "content": p[0], "single_word": False, "lstrip": False, "rstrip": False,
                "normalized": False, "special": True} for i, p in enumerate(pieces[:3])]
    tokenizer = {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": special,
        "normalizer": {"type": "Sequence", "normalizers": [{"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}]},
        "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581", "add_prefix_space": True},
        "post_processor": {"type": "TemplateProcessing",
                           "single": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
                           "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}},
                                    {"Sequence": {"id": "B", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
                           "special_tokens": {"</s>": {"id": "</s>", "ids": [1], "tokens": ["</s>"]}}},
        "decoder": {"type": "Metaspace", "replacement": "\u2581", "add_prefix_space": True},
        "model": {"type": "Unigram", "unk_id": 2, "vocab": pieces},
    }
    config = {"eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>", "extra_ids": 0,
              "model_max_length": 512, "tokenizer_class": "T5Tokenizer"}
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "tokenizer.json"), "w") as f:
        json.dump(tokenizer, f, indent=2)
    with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
        json.dump(config, f, indent=2)


PACKAGE_NAMES = {"TextEncoder": "text_encoder", "TextEncoder2": "text_encoder_2", "Unet": "unet",
                 "UnetChunk1": "unet_chunk1", "UnetChunk2": "unet_chunk2", "VAEDecoder": "vae_decoder",
                 "VAEEncoder": "vae_encoder", "SafetyChecker": "safety_checker", "ControlNet": "control-unet",
                 "MultiModalDiffusionTransformer": "mmdit", "ControlledUnet": "controlled_unet",
                 "TextEncoderT5": "text_encoder_t5"}


def write_mlpackage(folder, seed):
    """An .mlpackage as coremltools writes it: Manifest.json and Data/com.apple.CoreML/{model.mlmodel,weights/}."""
    data = os.path.join(folder, "Data", "com.apple.CoreML")
    os.makedirs(os.path.join(data, "weights"), exist_ok=True)
    with open(os.path.join(data, "model.mlmodel"), "wb") as f:
        # The smallest Model message depot's package reader accepts: specificationVersion = 7 and an
        # mlProgram (field 502) holding Program { version = 1 }, with no functions. Placeholder bytes
        # fail the structural check every pull runs.
        f.write(b"\x08\x07" + b"\xb2\x1f\x02\x08\x01")
    weights, _ = weight_bin([pseudo_random_bytes(seed + ":pkg", 32)])
    with open(os.path.join(data, "weights", "weight.bin"), "wb") as f:
        f.write(weights)
    model_id = hashlib.sha256((seed + "model").encode()).hexdigest()[:32].upper()
    weights_id = hashlib.sha256((seed + "weights").encode()).hexdigest()[:32].upper()
    manifest = {
        "fileFormatVersion": "1.0.0",
        "itemInfoEntries": {
            model_id: {"author": "com.apple.CoreML", "description": "CoreML Model Specification",
                       "name": "model.mlmodel", "path": "com.apple.CoreML/model.mlmodel"},
            weights_id: {"author": "com.apple.CoreML", "description": "CoreML Model Weights",
                         "name": "weights", "path": "com.apple.CoreML/weights"},
        },
        "rootModelIdentifier": model_id,
    }
    with open(os.path.join(folder, "Manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)


def write_zip(path, top, compiled_folder):
    """The root `<repo>_<variant>_compiled.zip`: one top folder holding the compiled models."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for root, dirs, files in os.walk(compiled_folder):
            dirs.sort()
            rel_root = os.path.relpath(root, compiled_folder)
            prefix = top if rel_root == "." else f"{top}/{rel_root}"
            archive.writestr(zipfile.ZipInfo(prefix + "/", date_time=FIXED_TIME), b"")
            for name in sorted(files):
                entry = zipfile.ZipInfo(f"{prefix}/{name}", date_time=FIXED_TIME)
                entry.compress_type = zipfile.ZIP_DEFLATED
                with open(os.path.join(root, name), "rb") as src, archive.open(entry, "w", force_zip64=True) as dst:
                    for chunk in iter(lambda: src.read(1 << 20), b""):
                        dst.write(chunk)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--kind", default="sd", choices=["sd", "sdxl", "sdxl-refiner", "controlnet", "sd3", "t5-tokenizer"])
    parser.add_argument("--variants", default="original,split_einsum")
    parser.add_argument("--text-dim", type=int, default=768)
    parser.add_argument("--chunked", action="store_true")
    parser.add_argument("--zip", metavar="NAME", help="also write NAME_{variant}_compiled.zip at the root")
    parser.add_argument("--no-folders", action="store_true", help="no {variant}/compiled/ folders (zip only)")
    parser.add_argument("--packages", action="store_true", help="also write {variant}/packages/*.mlpackage")
    parser.add_argument("--safety-checker", action="store_true")
    parser.add_argument("--controlled-unet", action="store_true", help="also ControlledUnet.mlmodelc (ControlNet support)")
    parser.add_argument("--t5", choices=["root", "compiled"], help="TextEncoderT5.mlmodelc at the repo root or among the compiled models")
    parser.add_argument("--tokenizer-files", metavar="DIR", help="copy vocab.json and merges.txt from DIR into compiled/")
    parser.add_argument("--seed", default="depot")
    parser.add_argument("--unet-mib", type=int, default=0, help="make the UNet's weight.bin this large (benchmarks)")
    parser.add_argument("--latent-size", type=int, help="latent height and width (another resolution than the kind's)")
    args = parser.parse_args()

    if args.kind == "t5-tokenizer":
        write_t5_tokenizer(args.out)
        return
    models = compiled_models(args.kind, args.text_dim, args.chunked, args.safety_checker, args.controlled_unet, args.latent_size)
    t5 = Shapes(args.kind, args.text_dim).t5_encoder() + ("text",)
    if args.t5 == "compiled":
        models["TextEncoderT5"] = t5
    elif args.t5 == "root":
        inputs, outputs, role = t5
        write_mlmodelc(os.path.join(args.out, "TextEncoderT5.mlmodelc"), inputs, outputs, "original", role, f"{args.seed}:t5")
    for variant in args.variants.split(","):
        compiled = os.path.join(args.out, variant, "compiled")
        for name, (inputs, outputs, role) in models.items():
            big = args.unet_mib << 20 if name.startswith("Unet") else 0
            write_mlmodelc(os.path.join(compiled, f"{name}.mlmodelc"), inputs, outputs, variant, role,
                           f"{args.seed}:{variant}:{name}", weight_bytes=big)
        if args.tokenizer_files:
            for tokenizer_file in ("vocab.json", "merges.txt"):
                with open(os.path.join(args.tokenizer_files, tokenizer_file), "rb") as src, \
                        open(os.path.join(compiled, tokenizer_file), "wb") as dst:
                    dst.write(src.read())
        if args.zip:
            top = f"{args.zip}_{variant}_compiled"
            write_zip(os.path.join(args.out, f"{top}.zip"), top, compiled)
        if args.no_folders:
            for root, dirs, files in os.walk(compiled, topdown=False):
                for name in files:
                    os.remove(os.path.join(root, name))
                for name in dirs:
                    os.rmdir(os.path.join(root, name))
            os.rmdir(compiled)
            os.rmdir(os.path.join(args.out, variant))
        if args.packages:
            for name in models:
                package = f"Stable_Diffusion_version_depot_fixture_{PACKAGE_NAMES[name]}.mlpackage"
                write_mlpackage(os.path.join(args.out, variant, "packages", package), f"{args.seed}:{variant}:{name}")
    with open(os.path.join(args.out, "README.md"), "w") as f:
        f.write(f"# depot Core ML fixture ({args.kind})\n\nHand-made by Tests/Support/coreml/make_coreml_repo.py; "
                "the models compute nothing useful.\n")


if __name__ == "__main__":
    main()
