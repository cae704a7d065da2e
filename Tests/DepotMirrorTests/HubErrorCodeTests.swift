import DepotMirror
import Testing

@Suite struct HubErrorCodeTests {
    @Test func codesAreTheOnesHuggingfaceHubRecognises() {
        #expect(HubErrorCode.allCases.map(\.rawValue) == ["RepoNotFound", "RevisionNotFound", "EntryNotFound"])
        #expect(HubErrorCode.headerName == "X-Error-Code")
    }
}
