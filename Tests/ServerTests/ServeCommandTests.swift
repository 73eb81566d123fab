import Foundation
import Testing
import TestSupport

/// `memoir serve` through the real executable: flags only, and unsafe ones refused before anything loads.
@Suite struct ServeCommandTests {
    @Test func anOpenBindWithoutATokenIsRefused() throws {
        let open = try CommandRunner.run(["serve", "--host", "0.0.0.0", "--db", "/nonexistent/m.sqlite"], environment: ["MEMOIR_SERVE_TOKEN": ""])
        #expect(open.status != 0 && open.stderr.contains("--token-file"), "\(open.stderr)")
        let folder = try TemporaryFolder()
        try "short\n".write(toFile: folder.file("token"), atomically: true, encoding: .utf8)
        let weak = try CommandRunner.run(["serve", "--host", "0.0.0.0", "--token-file", folder.file("token"), "--db", "/nonexistent/m.sqlite"])
        #expect(weak.status != 0 && weak.stderr.contains("at least 16 characters"), "\(weak.stderr)")
        let badPort = try CommandRunner.run(["serve", "--port", "70000", "--db", "/nonexistent/m.sqlite"])
        #expect(badPort.status != 0 && badPort.stderr.contains("--port"), "\(badPort.stderr)")
        let help = try CommandRunner.run(["serve", "--help"])
        #expect(help.status == 0 && help.stdout.contains("--token-file") && help.stdout.contains("127.0.0.1"))
    }
}
