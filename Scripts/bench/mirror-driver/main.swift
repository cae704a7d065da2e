// Scripts/bench/mirror's server: depot's Hub endpoints (DepotMirror.HubMirrorRoutes) over the
// store of $DEPOT_HOME / $HF_HOME, on 127.0.0.1, the way `depot serve` mounts them.
//
//   depot-mirror-driver PORT_FILE     listen on a free port, write it to PORT_FILE, serve until killed
import DepotMirror
import DepotPull
import Foundation
import Hummingbird

@main
struct MirrorDriver {
    static func main() async throws {
        let arguments = CommandLine.arguments.dropFirst()
        guard arguments.count == 1, let portFile = arguments.first else {
            FileHandle.standardError.write(Data("usage: depot-mirror-driver PORT_FILE\n".utf8))
            exit(2)
        }
        let service = try DepotService.fromEnvironment(readOnly: true)
        let router = Router()
        HubMirrorRoutes(service: service).register(on: router)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                try? Data("\(port)\n".utf8).write(to: URL(fileURLWithPath: portFile), options: .atomic)
            })
        try await app.runService()
    }
}
