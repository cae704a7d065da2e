import Foundation
import DepotCore
import DepotTestSupport
import Testing
@testable import DepotHub

@Suite struct HeaderValuesTests {
    @Test(arguments: [
        ("W/\"abc123\"", "abc123"),
        ("\"abc123\"", "abc123"),
        ("abc123", "abc123"),
        (" W/\"a1b2\" ", "a1b2"),
    ])
    func etagIsNormalised(raw: String, expected: String) {
        #expect(HeaderValues.normalizedETag(raw) == expected)
    }

    @Test func nextLinkIsFoundAmongSeveral() {
        let header = #"<https://hub.example/api/models/a/b/tree/main?cursor=1>; rel="prev", <https://hub.example/api/models/a/b/tree/main?cursor=3>; rel="next""#
        #expect(HeaderValues.nextLink(header) == "https://hub.example/api/models/a/b/tree/main?cursor=3")
        #expect(HeaderValues.nextLink("</page2>; rel=next") == "/page2")
        #expect(HeaderValues.nextLink("</first>; rel=\"first\"") == nil)
        #expect(HeaderValues.nextLink("garbage") == nil)
    }

    @Test func retryAfterReadsSecondsAndDates() throws {
        #expect(HeaderValues.retryAfterSeconds("7") == 7)
        #expect(HeaderValues.retryAfterSeconds("nonsense") == nil)
        let now = Date(timeIntervalSince1970: 1_700_000_000)  // Tue, 14 Nov 2023 22:13:20 GMT
        let seconds = try #require(HeaderValues.retryAfterSeconds("Tue, 14 Nov 2023 22:13:50 GMT", now: now))
        #expect(abs(seconds - 30) < 0.001)
        #expect(HeaderValues.retryAfterSeconds("Tue, 14 Nov 2023 22:00:00 GMT", now: now) == 0)
    }

    @Test func contentRangeIsParsed() throws {
        let range = try #require(HeaderValues.contentRange("bytes 100-199/1000"))
        #expect(range.first == 100 && range.last == 199 && range.total == 1000)
        let unknownTotal = try #require(HeaderValues.contentRange("bytes 0-9/*"))
        #expect(unknownTotal.total == nil)
        #expect(HeaderValues.contentRange("bytes */1000") == nil)
    }
}

@Suite struct HashingTests {
    @Test func etagOfASmallFileIsItsGitBlobSHA1() {
        // Value from `git hash-object`, as the Hub reports it for a non-LFS file.
        let etag = "ce013625030ba8dba906f756967f9e9ca394464a"
        var hasher = ContentHasher(gitBlobSize: 6)
        hasher.update(Data("hello\n".utf8))
        #expect(ExpectedHash(etag: etag) == .gitBlobSHA1(hasher.finalize().gitSHA1 ?? ""))
    }

    @Test func etagKindIsReadFromItsLength() {
        #expect(ExpectedHash(etag: String(repeating: "a", count: 64)) == .sha256(String(repeating: "a", count: 64)))
        #expect(ExpectedHash(etag: String(repeating: "B", count: 40)) == .gitBlobSHA1(String(repeating: "b", count: 40)))
        #expect(ExpectedHash(etag: "xyz") == nil)
        #expect(ExpectedHash(etag: String(repeating: "g", count: 40)) == nil)
    }
}

@Suite struct HubURLsTests {
    let urls = HubURLs(endpoint: "https://hub.example/")

    @Test func revisionIsEncodedWhole() {
        #expect(urls.revision(repo: "org/model", revision: "refs/pr/1")
            == "https://hub.example/api/models/org/model/revision/refs%2Fpr%2F1")
    }

    @Test func treeAsksForARecursiveListing() {
        #expect(urls.tree(repo: "org/model", revision: "main")
            == "https://hub.example/api/models/org/model/tree/main?recursive=true&expand=false")
    }

    @Test func resolveKeepsPathSeparators() {
        #expect(urls.resolve(repo: "org/model", revision: "feature/x", path: "unet/diffusion model.bin")
            == "https://hub.example/org/model/resolve/feature%2Fx/unet/diffusion%20model.bin")
    }

    @Test func redirectTargetsResolveAgainstTheirBase() {
        #expect(HubURLs.resolve("/new/name/resolve/main/a.txt", against: "https://hub.example/old/name/resolve/main/a.txt")
            == "https://hub.example/new/name/resolve/main/a.txt")
        #expect(HubURLs.authority(of: "https://CDN.example:8443/x") == "cdn.example:8443")
        #expect(HubURLs.authority(of: "/relative") == nil)
    }
}

@Suite struct RetryPolicyTests {
    @Test func backoffGrowsWithJitterAndIsCapped() {
        let policy = RetryPolicy(maxRetries: 5, baseDelay: 1, maxDelay: 5)
        for _ in 0..<50 {
            #expect((0.5...1).contains(policy.delay(forRetry: 0)))
            #expect((2...4).contains(policy.delay(forRetry: 2)))
            #expect((2.5...5).contains(policy.delay(forRetry: 10)))
        }
    }

    @Test func retryAfterWinsButIsBounded() {
        let policy = RetryPolicy(maxRetryAfter: 60)
        #expect(policy.delay(forRetry: 0, retryAfter: 3) == 3)
        #expect(policy.delay(forRetry: 0, retryAfter: 3600) == 60)
    }
}
