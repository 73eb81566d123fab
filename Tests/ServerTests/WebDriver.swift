import Foundation

/// Just enough of the W3C WebDriver protocol to drive headless Chromium through chromedriver: open a page,
/// run a script, take a screenshot. Installs nothing: `chromium` and `chromium-driver` come from
/// Scripts/setup.sh.
final class WebDriver: @unchecked Sendable {
    // @unchecked: `process` and `session` are set once in init and only read afterwards.
    let base: String
    private let process: Process
    private var session = ""

    struct Failure: Error, CustomStringConvertible { let description: String }

    init(port: Int, windowSize: (Int, Int) = (1400, 2000)) async throws {
        let driver = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let driver else { throw Failure(description: "chromedriver is not installed (Scripts/setup.sh installs chromium-driver)") }
        process = Process()
        process.executableURL = URL(fileURLWithPath: driver)
        process.arguments = ["--port=\(port)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        base = "http://127.0.0.1:\(port)"
        do { try await startSession(windowSize: windowSize) } catch {
            await Self.stop(process, first: SIGKILL)
            throw error
        }
    }

    private func startSession(windowSize: (Int, Int)) async throws {
        for _ in 0..<100 {
            if (try? await request("GET", "/status")) != nil { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let options: [String: Any] = [
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                     "--window-size=\(windowSize.0),\(windowSize.1)"],
        ]
        let created = try await request("POST", "/session", ["capabilities": ["alwaysMatch": ["browserName": "chrome", "goog:chromeOptions": options]]])
        guard let id = (created["value"] as? [String: Any])?["sessionId"] as? String else {
            throw Failure(description: "chromedriver did not start a session: \(created)")
        }
        session = id
    }

    /// Ends the session (Chromium quits), then chromedriver, which ignores SIGTERM: its /shutdown, then SIGKILL.
    func close() async {
        _ = try? await request("DELETE", "/session/\(session)")
        _ = try? await request("GET", "/shutdown")
        await Self.stop(process, first: SIGTERM)
    }

    /// Sends `first`, waits up to five seconds, then SIGKILL: a test never hangs on a child that will not stop.
    static func stop(_ process: Process, first: Int32) async {
        guard process.isRunning else { return }
        kill(process.processIdentifier, first)
        for _ in 0..<50 where process.isRunning { try? await Task.sleep(for: .milliseconds(100)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        for _ in 0..<50 where process.isRunning { try? await Task.sleep(for: .milliseconds(100)) }
    }

    func open(_ url: String) async throws { _ = try await request("POST", "/session/\(session)/url", ["url": url]) }

    /// Runs `script` (a function body; `return` gives the value) in the page.
    func run(_ script: String) async throws -> Any? {
        (try await request("POST", "/session/\(session)/execute/sync", ["script": script, "args": []]))["value"]
    }

    /// Polls `script` until it returns true, or fails after `seconds`.
    func wait(for what: String, seconds: Double, _ script: String) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await run(script) as? Bool == true { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw Failure(description: "timed out after \(seconds) s waiting for \(what)")
    }

    func screenshot() async throws -> Data {
        let value = try await request("GET", "/session/\(session)/screenshot")["value"] as? String ?? ""
        guard let data = Data(base64Encoded: value) else { throw Failure(description: "no screenshot") }
        return data
    }

    /// One WebDriver call through the curl command (Foundation's URLSession on Linux fails on chromedriver's
    /// replies with "Failed writing header").
    private func request(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> [String: Any] {
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        var arguments = ["-s", "-m", "120", "-X", method, base + path, "-w", "\n%{http_code}"]
        if let body {
            let json = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
            arguments += ["-H", "Content-Type: application/json", "--data-binary", json]
        }
        curl.arguments = arguments
        let output = Pipe()
        curl.standardOutput = output
        curl.standardError = FileHandle.nullDevice
        try curl.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        curl.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let status = text.split(separator: "\n").last.map(String.init) ?? ""
        let json = text.split(separator: "\n").dropLast().joined(separator: "\n")
        let object = (try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]) ?? [:]
        guard curl.terminationStatus == 0, status == "200" else { throw Failure(description: "\(method) \(path): \(status) \(json.prefix(300))") }
        return object
    }
}
