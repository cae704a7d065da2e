import DepotBundle
import DepotCore
import DepotPull
import DepotTestSupport
import Foundation
import Testing

/// `depot bundle` end to end over olah: generated Core ML repos pulled, bundled, compared with the contract.
@Suite(.serialized) struct BundlerTests {
    @Test func bundlesAnSD2RepoByLinkingVerifiedBlobs() async throws {
        let repo = try CoreMLRepo(["--packages"])
        let world = try BundleWorld([BundleWorld.sd21: repo.url])
        let report = try await world.bundler.bundle(BundleRequest(name: "coreml-sd-2.1-base", output: world.output()))

        // The tree is exactly the compiled folder of the default variant plus the tokenizer and bundle.json.
        let expected = (try fileTree(repo.compiled("split_einsum")) + ["vocab.json", "merges.txt", "bundle.json"]).sorted()
        #expect(try fileTree(world.output()) == expected)
        #expect(report.kind == .stableDiffusion)
        #expect(report.attention == .splitEinsum)
        #expect(report.copied == 0)
        #expect(report.linked == expected.count - 1)
        #expect(report.command == "swift run StableDiffusionSample \"a photo of a cat\" --resource-path \(world.output().path) --compute-units cpuAndGPU")

        // bundle.json lists every other file with its true size and SHA-256, and the models' commits.
        let manifest = try BundleManifest.read(from: world.output())
        #expect(manifest.files.map(\.path) == expected.filter { $0 != "bundle.json" })
        for file in manifest.files {
            let digest = try ContentHasher.digest(ofFileAt: world.output().appendingPathComponent(file.path).path)
            #expect(digest.sha256 == file.sha256, "\(file.path)")
            #expect(digest.size == file.size, "\(file.path)")
        }
        #expect(manifest.models.map(\.repo) == [BundleWorld.sd21, BundleWorld.clip])
        #expect(manifest.models.allSatisfy { $0.commit.count == 40 })
        #expect(manifest.command == report.command)
        #expect(manifest.depotVersion == DepotVersion.current)

        // Hard links share the blob's inode (the snapshot symlink is followed, not linked).
        let snapshot = try await world.service.snapshotFolder(of: "coreml-sd-2.1-base/split-einsum")
        let blob = snapshot.appendingPathComponent("split_einsum/compiled/Unet.mlmodelc/weights/weight.bin").resolvingSymlinksInPath().path
        let bundled = try inode(world.output().appendingPathComponent("Unet.mlmodelc/weights/weight.bin").path)
        #expect(bundled.inode == (try inode(blob)).inode)
        #expect(bundled.links >= 2)

        #expect(ResourceFolderChecker().check(world.output()).ok)
    }

    @Test func copyVariantAndForceReplacement() async throws {
        let repo = try CoreMLRepo()
        let world = try BundleWorld([BundleWorld.sd21: repo.url])
        let output = world.output()
        let first = try await world.bundler.bundle(BundleRequest(name: "coreml-sd-2.1-base", output: output, variant: "original", copy: true))
        #expect(first.attention == .original)
        #expect(first.linked == 0)
        #expect(try inode(output.appendingPathComponent("Unet.mlmodelc/weights/weight.bin").path).links == 1)

        // An existing folder is kept unless --force.
        await #expect(throws: BundleError.self) {
            try await world.bundler.bundle(BundleRequest(name: "coreml-sd-2.1-base", output: output, variant: "original"))
        }
        #expect(try BundleManifest.read(from: output).models[0].commit == first.models[0].commit)

        // A new revision on the Hub, pulled, then bundled again with --force replaces the folder.
        let changed = try CoreMLRepo(["--seed", "second-revision"])
        let commits = try world.hub.sync([BundleWorld.sd21: changed.url])
        let model = try world.service.resolve("coreml-sd-2.1-base/original")
        _ = try await world.service.pull(model)
        let second = try await world.bundler.bundle(BundleRequest(name: "coreml-sd-2.1-base", output: output, variant: "original", force: true))
        #expect(second.models[0].commit == commits[BundleWorld.sd21])
        #expect(second.models[0].commit != first.models[0].commit)
        let manifest = try BundleManifest.read(from: output)
        #expect(manifest.models[0].commit == second.models[0].commit)
        let weight = try ContentHasher.digest(ofFileAt: output.appendingPathComponent("Unet.mlmodelc/weights/weight.bin").path)
        #expect(manifest.files.first { $0.path == "Unet.mlmodelc/weights/weight.bin" }?.sha256 == weight.sha256)
        #expect(try ContentHasher.digest(ofFileAt: changed.compiled("original").appendingPathComponent("Unet.mlmodelc/weights/weight.bin").path) == weight)
        // No staging or set-aside folder is left beside it.
        let siblings = try FileManager.default.contentsOfDirectory(atPath: world.home.url.path).filter { $0.contains("depot-staging") }
        #expect(siblings.isEmpty)
    }

    @Test func packagesOnlyRepoIsRefusedWithTheCompileCommand() async throws {
        let repo = try CoreMLRepo(["--no-folders", "--packages", "--variants", "split_einsum"])
        let world = try BundleWorld([BundleWorld.sd21: repo.url])
        do {
            _ = try await world.bundler.bundle(BundleRequest(name: "coreml-sd-2.1-base", output: world.output()))
            Issue.record("a packages-only repo was bundled")
        } catch let error as BundleError {
            #expect(String(describing: error).contains("xcrun coremlcompiler compile Stable_Diffusion_version_depot_fixture_"))
        }
        #expect(!FileManager.default.fileExists(atPath: world.output().path))
    }
}

/// Repos that ship their compiled models only as a root `<repo>_<variant>_compiled.zip`.
@Suite(.serialized) struct BundleFromArchiveTests {
    @Test func bundlesFromTheRootZipAndReusesTheExtraction() async throws {
        let repoID = "apple/coreml-stable-diffusion-2-1-base-palettized"
        let repo = try CoreMLRepo(["--variants", "split_einsum_v2", "--zip", "coreml-stable-diffusion-2-1-base-palettized", "--no-folders"])
        let reference = try CoreMLRepo(["--variants", "split_einsum_v2"])
        let world = try BundleWorld([repoID: repo.url])
        let report = try await world.bundler.bundle(BundleRequest(name: "coreml-sd-2.1-base-palettized", output: world.output()))
        #expect(report.models[0].source == "coreml-stable-diffusion-2-1-base-palettized_split_einsum_v2_compiled.zip")
        #expect(try fileTree(world.output()) == (try fileTree(reference.compiled("split_einsum_v2")) + ["vocab.json", "merges.txt", "bundle.json"]).sorted())
        let manifest = try BundleManifest.read(from: world.output())
        for file in manifest.files {
            let digest = try DepotCore.ContentHasher.digest(ofFileAt: world.output().appendingPathComponent(file.path).path)
            #expect(digest.sha256 == file.sha256, "\(file.path)")
        }
        let extracted = world.home.path("depot-home/extracted")
        let first = try FileManager.default.contentsOfDirectory(atPath: extracted.path).sorted()
        #expect(first.count == 2)  // {sha256}/ and the {sha256}.lock of whoever extracts it
        let zipSHA256 = try #require(first.first { !$0.hasSuffix(".lock") })
        let record = try #require(try await world.service.catalog.extraction(ofArchive: zipSHA256))
        #expect(record.folder == extracted.appendingPathComponent(zipSHA256).path)
        #expect(record.files.count == manifest.files.count - 2)  // all but vocab.json and merges.txt
        _ = try await world.bundler.bundle(BundleRequest(name: "coreml-sd-2.1-base-palettized", output: world.output("Second")))
        #expect(try FileManager.default.contentsOfDirectory(atPath: extracted.path).sorted() == first)
        #expect(ResourceFolderChecker().check(world.output("Second")).ok)
    }
}

/// `--controlnet` and `--refiner`: extra models renamed into Apple's names.
@Suite(.serialized) struct BundleAdditionsTests {
    @Test func controlNetGoesUnderItsPascalCaseName() async throws {
        let base = try CoreMLRepo(["--controlled-unet"])
        let controlnet = try CoreMLRepo(["--kind", "controlnet"])
        let world = try BundleWorld([BundleWorld.sd21: base.url, "lllyasviel/sd-controlnet-mlsd": controlnet.url])
        let report = try await world.bundler.bundle(BundleRequest(name: "coreml-sd-2.1-base", output: world.output(),
                                                                  controlNets: ["lllyasviel/sd-controlnet-mlsd"]))
        #expect(report.models.map(\.role) == ["pipeline", "tokenizer", "controlnet"])
        let tree = try fileTree(world.output())
        let expected = try fileTree(controlnet.compiled().appendingPathComponent("ControlNet.mlmodelc")).map { "controlnet/LllyasvielSdControlnetMlsd.mlmodelc/\($0)" }
        #expect(tree.filter { $0.hasPrefix("controlnet/") } == expected)
        #expect(tree.contains("ControlledUnet.mlmodelc/model.mil"))
        #expect(ResourceFolderChecker().check(world.output()).ok)
        let manifest = try BundleManifest.read(from: world.output())
        #expect(manifest.files.filter { $0.model == 2 }.count == expected.count)
    }

    @Test func controlNetWithoutControlledUnetIsRefusedAndNothingIsWritten() async throws {
        let base = try CoreMLRepo()
        let controlnet = try CoreMLRepo(["--kind", "controlnet"])
        let world = try BundleWorld([BundleWorld.sd21: base.url, "lllyasviel/sd-controlnet-mlsd": controlnet.url])
        await #expect(throws: BundleError.self) {
            try await world.bundler.bundle(BundleRequest(name: "coreml-sd-2.1-base", output: world.output(),
                                                         controlNets: ["lllyasviel/sd-controlnet-mlsd"]))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: world.home.url.path).sorted() == ["depot-home", "hf-home"])
    }

    @Test func controlNetForAnotherResolutionIsRefusedBeforeTheFolderIsInstalled() async throws {
        let base = try CoreMLRepo(["--controlled-unet"])
        let controlnet = try CoreMLRepo(["--kind", "controlnet", "--latent-size", "96"])
        let world = try BundleWorld([BundleWorld.sd21: base.url, "lllyasviel/sd-controlnet-mlsd": controlnet.url])
        let error = await #expect(throws: BundleError.self) {
            try await world.bundler.bundle(BundleRequest(name: "coreml-sd-2.1-base", output: world.output(),
                                                         controlNets: ["lllyasviel/sd-controlnet-mlsd"]))
        }
        let text = error.map { String(describing: $0) } ?? ""
        #expect(text.contains("breaks Apple's resource contract, so it was not installed"))
        #expect(text.contains("controlnet/LllyasvielSdControlnetMlsd.mlmodelc: ControlNet down_block_res_samples_0 [2, 320, 96, 96] does not match ControlledUnet additional_residual_0 [2, 320, 64, 64]"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: world.home.url.path).sorted() == ["depot-home", "hf-home"])
    }

    @Test func sdxlRefinerBecomesUnetRefiner() async throws {
        let base = try CoreMLRepo(["--kind", "sdxl", "--variants", "original"])
        let refiner = try CoreMLRepo(["--kind", "sdxl-refiner", "--variants", "original"])
        let world = try BundleWorld(["apple/coreml-stable-diffusion-xl-base": base.url, "depot-fixtures/coreml-sdxl-refiner": refiner.url])
        let report = try await world.bundler.bundle(BundleRequest(name: "coreml-sdxl-base", output: world.output(),
                                                                  refiner: "depot-fixtures/coreml-sdxl-refiner"))
        #expect(report.kind == .stableDiffusionXL)
        let tree = try fileTree(world.output())
        #expect(tree.contains("UnetRefiner.mlmodelc/metadata.json"))
        #expect(!tree.contains { $0.hasPrefix("TextEncoder2.mlmodelc") && $0.contains("refiner") })
        let check = ResourceFolderChecker().check(world.output())
        #expect(check.ok)
        #expect(check.refiner)
        // A base UNet passed as the refiner is caught by the time_ids check.
        await #expect(throws: BundleError.self) {
            try await world.bundler.bundle(BundleRequest(name: "coreml-sdxl-base", output: world.output("Wrong"),
                                                         refiner: "apple/coreml-stable-diffusion-xl-base"))
        }
    }
}
