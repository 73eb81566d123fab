import Foundation
import Store
import Testing
import TestSupport

/// The workspace as a person uses it: `memoir serve` (the real executable) on the fixture store with the real
/// local LLM (SmolLM2), headless Chromium through chromedriver. Picks a case by its link, sees its T1 and FA
/// slices drawn (not blank) with orientation labels, the neighbours with their slices, asks a question and
/// watches the answer stream in, then the result and the ask history. A screenshot lands in a temporary
/// folder, and in Fixtures/screenshots/ when MEMOIR_SAVE_SCREENSHOTS=1.
@Suite(.serialized) struct BrowserWorkspaceTests {
    @Test(.tags(.localLLM), .needsLocalLLM, .timeLimit(.minutes(10)))
    func pickACaseSeeSlicesAndWatchAnAnswerStream() async throws {
        let library = try ServerLibrary.shared.get()
        let llm = try LocalServer.acquire()
        defer { llm.release() }
        let caseID = try #require(library.testIDs.first)
        let storeFolder = try TemporaryFolder()
        let db = storeFolder.file("m.sqlite")
        try FileManager.default.copyItem(atPath: library.db, toPath: db)
        let runID = try EvaluationRouteTests.recordRun(in: try CaseStore(path: db), caseID: caseID, finished: true)
        let serve = try ServeProcess(arguments: ["serve", "--db", db, "--index", library.index, "--encoder", library.encoder,
                                                 "--no-rerank", "--llm", llm.url, "--port", "0", "--prompts", Fixtures.repositoryRoot + "/Prompts",
                                                 "--temperature", "0", "--max-tokens", "200"],
                                     environment: llm.apiKey.map { ["MEMOIR_LLM_API_KEY": $0] } ?? [:])
        let url: String
        do { url = try await serve.url() } catch {
            await serve.stop()
            throw error
        }
        let browser: WebDriver
        do { browser = try await WebDriver(port: try FakeLLMServer.closedPort()) } catch {
            await serve.stop()
            throw error
        }
        do {
            try await browser.open(url)
            try await browser.wait(for: "the case list", seconds: 240, "return !!document.querySelector('#cases li[data-id=\"\(caseID)\"]')")
            _ = try await browser.run("document.querySelector('#cases li[data-id=\"\(caseID)\"]').click(); return true;")
            try await browser.wait(for: "the case to load", seconds: 240,
                                   "return document.getElementById('case-title').textContent === '\(caseID)'")
            // Every view of an image the case has is drawn, and shows more than one grey level.
            try await browser.wait(for: "the slices", seconds: 240, """
                const canvases = [...document.querySelectorAll('.view canvas')];
                return canvases.length >= 3 && canvases.every(c => c.dataset.drawn === '1');
                """)
            let distinct = try await browser.run("""
                const c = document.querySelector('#view-t1-axial canvas');
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                const seen = new Set(); for (let i = 0; i < d.length; i += 4) seen.add(d[i]); return seen.size;
                """) as? Int ?? 0
            #expect(distinct > 20, "the axial T1 slice looks blank (\(distinct) grey levels)")
            let labels = try await browser.run("""
                return [...document.querySelectorAll('#view-t1-axial .label')].map(l => l.textContent).join('');
                """) as? String
            #expect(labels == "RLAP")
            #expect((try await browser.run("return document.getElementById('convention').textContent") as? String)?.contains("radiological") == true)
            try await browser.wait(for: "the neighbours", seconds: 240, "return document.querySelectorAll('.neighbour').length >= 1")

            _ = try await browser.run("document.getElementById('ask-button').click(); return true;")
            // The answer text streams in (once the model reaches its "answer" field) before the result arrives, then the
            // verified result: a small model's reply may be grounded or not, so the test asserts the verdict is shown,
            // never the wording.
            try await browser.wait(for: "streamed answer text", seconds: 480, """
                return document.getElementById('stream').textContent.trim().length > 0
                    || /^failed/.test(document.getElementById('answer-status').textContent)
                """)
            try await browser.wait(for: "the answer", seconds: 480,
                                   "return /^(answered|UNVERIFIED|failed)/.test(document.getElementById('answer-status').textContent)")
            let status = try await browser.run("return document.getElementById('answer-status').textContent") as? String ?? ""
            let result = try await browser.run("return document.getElementById('answer-result').textContent") as? String ?? ""
            let streamed = try await browser.run("return document.getElementById('stream').textContent") as? String ?? ""
            #expect(!status.hasPrefix("failed"), "the ask failed: \(result)")
            #expect(!streamed.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "no answer text streamed")
            let verdict = try await browser.run("return document.getElementById('verdict').hidden ? '' : document.getElementById('verdict').textContent") as? String ?? ""
            #expect(verdict.hasPrefix("verdict: "), "\(status): \(result)")
            #expect(status.hasPrefix("answered") == verdict.hasPrefix("verdict: grounded"), "\(status) / \(verdict)")
            #expect(result.contains("Evidence"), "the evidence is shown with the answer")
            try await browser.wait(for: "the ask history", seconds: 30, "return document.querySelectorAll('#history li .tag').length >= 1")

            try await Self.saveScreenshot(browser, "workspace.png")

            // The store's evaluation run: listed, its summary table, and its report in the sandboxed frame.
            _ = try await browser.run("document.getElementById('tab-evaluations').click(); return true;")
            try await browser.wait(for: "the evaluation runs", seconds: 60, "return !!document.querySelector('#runs tr.run[data-id=\"\(runID)\"] a')")
            _ = try await browser.run("document.querySelector('#runs tr.run[data-id=\"\(runID)\"] a').click(); return true;")
            try await browser.wait(for: "the run's report", seconds: 240, """
                const frame = document.getElementById('report');
                const shown = frame.contentDocument && frame.contentDocument.querySelectorAll('h2').length > 0;
                return !frame.hidden && shown && document.querySelectorAll('#run-summary tr').length >= 3
                """)
            let reportText = try await browser.run("return document.getElementById('report').contentDocument.body.textContent") as? String ?? ""
            #expect(reportText.contains("Backbones") && reportText.contains("tiny"), "\(reportText.prefix(300))")
            try await Self.saveScreenshot(browser, "evaluations.png")
        } catch {
            await browser.close()
            await serve.stop()
            throw error
        }
        await browser.close()
        await serve.stop()
        #expect(try CaseStore(path: db, access: .readOnly).asks(caseID: caseID).count == 1, "the ask is logged exactly once")
    }

    static func saveScreenshot(_ browser: WebDriver, _ name: String) async throws {
        let png = try await browser.screenshot()
        #expect(png.count > 10_000, "\(name) looks empty")
        let folder = try TemporaryFolder()
        try png.write(to: URL(fileURLWithPath: folder.file(name)))
        if ProcessInfo.processInfo.environment["MEMOIR_SAVE_SCREENSHOTS"] == "1" {
            let target = Fixtures.path("screenshots")
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
            try png.write(to: URL(fileURLWithPath: target + "/" + name))
        }
    }
}

/// `memoir serve` as a child process; its first stdout line names the URL.
final class ServeProcess: @unchecked Sendable {
    // @unchecked: the process and pipe are set in init; reads happen on one task.
    private let process = Process()
    private let output = Pipe()

    init(arguments: [String], environment: [String: String]) throws {
        process.executableURL = URL(fileURLWithPath: CommandRunner.executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// The workspace URL once the server listens.
    func url() async throws -> String {
        let handle = output.fileHandleForReading
        var text = ""
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, process.isRunning {
            let chunk = handle.availableData
            if chunk.isEmpty { try await Task.sleep(for: .milliseconds(100)); continue }
            text += String(decoding: chunk, as: UTF8.self)
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Memoir workspace: ") }) {
                return String(line.dropFirst("Memoir workspace: ".count))
            }
        }
        throw WebDriver.Failure(description: "memoir serve did not report its URL: \(text)")
    }

    /// SIGINT (graceful), then SIGKILL after five seconds.
    func stop() async { await WebDriver.stop(process, first: SIGINT) }
}
