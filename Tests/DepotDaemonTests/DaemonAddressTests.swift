import DepotDaemon
import Testing

@Suite struct DaemonAddressTests {
    @Test func readsHostAndPort() throws {
        #expect(try DaemonAddress(listen: "127.0.0.1:7860") == .tcp(host: "127.0.0.1", port: 7860))
        #expect(try DaemonAddress(listen: "[::1]:80") == .tcp(host: "::1", port: 80))
        #expect(try DaemonAddress(listen: "0.0.0.0:0") == .tcp(host: "0.0.0.0", port: 0))
    }

    @Test(arguments: ["7860", ":7860", "host:", "host:port", "host:70000"])
    func rejectsMalformedAddresses(text: String) {
        #expect(throws: DaemonAddressError(text: text)) { try DaemonAddress(listen: text) }
    }

    @Test func onlyNonLoopbackTCPNeedsAToken() throws {
        #expect(!DaemonAddress.unixSocket(path: "/tmp/d.sock").requiresToken)
        #expect(try !DaemonAddress(listen: "127.0.0.1:1").requiresToken)
        #expect(try !DaemonAddress(listen: "[::1]:1").requiresToken)
        #expect(try DaemonAddress(listen: "0.0.0.0:1").requiresToken)
        #expect(try DaemonAddress(listen: "192.168.1.5:1").requiresToken)
    }
}
