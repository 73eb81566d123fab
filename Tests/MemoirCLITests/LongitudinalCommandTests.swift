import Foundation
import Store
import Testing
import TestSupport

/// The synthetic ADNIMERGE-like export end to end through the real executable: synth → ingest (all visits)
/// → encode → index → retrieve with a prognosis → eval prognosis. Clinical data only (`--no-images`), as
/// AskCommandTests does: the debug build would spend minutes in the ResNets.
@Suite(.serialized) struct LongitudinalCommandTests {
    let folder: TemporaryFolder
    init() throws { folder = try TemporaryFolder() }

    func json(_ r: CommandRunner.Result) throws -> [String: Any] {
        #expect(r.status == 0, "\(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout)")
    }

    @Test func ingestsTheSyntheticExportEndToEnd() throws {
        let cohort = folder.file("cohort"), db = folder.file("m.sqlite"), index = folder.file("index")
        let encoder = AskCommandTests.encoder
        #expect(try CommandRunner.run(["synth", "--subjects", "60", "--seed", "7", "--no-images", "--out", cohort]).status == 0)
        let ingest = try json(try CommandRunner.run(["ingest", cohort + "/adnimerge.csv", "--images", cohort + "/image_map.csv",
                                                     "--visit", "all", "--db", db, "--json"]))
        #expect(ingest["format"] as? String == "adnimerge" && ingest["subjects"] as? Int == 60)
        let cases = try #require(ingest["cases"] as? Int)
        #expect(cases > 3 * 60 && (ingest["visits_on_record"] as? Int ?? 0) >= cases)
        for step in [["encode", "--db", db, "--encoder", encoder, "--split", "test"],
                     ["index", "--db", db, "--index", index, "--encoder", encoder]] {
            let r = try CommandRunner.run(step)
            #expect(r.status == 0, "\(step[0]): \(r.stderr)")
        }
        let store = try CaseStore(path: db, access: .readOnly)
        let library = try store.libraryIDs()
        #expect(!library.isEmpty && library.allSatisfy { !$0.contains("@") })  // baseline visits only
        let query = try #require(try store.allCases(split: .test).first { $0.record.diagnosis == .mci && $0.record.visit?.isBaseline == true })
        let retrieved = try json(try CommandRunner.run(["retrieve", "--db", db, "--index", index, "--encoder", encoder,
                                                        "--case", query.id, "-k", "20", "--prognosis", "--json"]))
        let neighbours = try #require(retrieved["neighbours"] as? [[String: Any]])
        #expect(neighbours.count == 20 && neighbours.allSatisfy { ($0["subject_id"] as? String).map(library.contains) == true })
        let prognosis = try #require(retrieved["prognosis"] as? [String: Any])
        #expect(prognosis["target"] as? String == "Dementia" && prognosis["horizon_months"] as? Double == 24)
        let statement = try #require(retrieved["prognosis_statement"] as? String)
        #expect(statement.hasPrefix("Of the ") && statement.contains("most similar MCI subjects") && statement.contains("within 24 months"), "\(statement)")
        let eval = try json(try CommandRunner.run(["eval", "prognosis", "--db", db, "--index", index, "--encoder", encoder, "--json",
                                                   "--out", folder.file("prognosis.md")]))
        #expect((eval["queries"] as? Int ?? 0) > 0)
        let interval = try #require(eval["accuracy_interval"] as? [Double])
        let accuracy = try #require(eval["accuracy"] as? Double)
        #expect(interval.count == 2 && interval[0] <= accuracy && accuracy <= interval[1])
        #expect(try String(contentsOfFile: folder.file("prognosis.md"), encoding: .utf8).contains("Wilson"))
        #expect(eval["sensitivity_interval"] is [Double] && eval["specificity"] is Double)
        // A later visit is a case of its own, with the visit in its caption, on the same side of the split.
        let later = try #require(try store.allCases().first { $0.id.contains("@m12") })
        let baseline = try store.storedCase(later.record.subject)
        #expect(later.caption.contains("Visit m12, ") && later.split == baseline.split)
    }

    /// The synthetic longitudinal export, as ADNIMERGE with its image map and as a BIDS tree (clinical data; the
    /// fixture test below has volumes), end to end: ingest → encode → index → qa build with prognosis questions →
    /// a prognosis question asked of a real local LLM.
    @Test(.tags(.localLLM, .miniLM), .needsLocalLLM, .needsMiniLM, arguments: ["bids", "adnimerge"])
    func aLongitudinalExportIsIngestedIndexedAndAskedAboutACourse(format: String) throws {
        let cohort = folder.file("cohort"), db = folder.file("b.sqlite"), index = folder.file("index")
        let encoder = AskCommandTests.encoder
        #expect(try CommandRunner.run(["synth", "--subjects", "60", "--seed", "7", "--no-images", "--out", cohort]).status == 0)
        let source = format == "bids" ? ["--bids", cohort + "/bids"] : [cohort + "/adnimerge.csv", "--images", cohort + "/image_map.csv"]
        let ingest = try json(try CommandRunner.run(["ingest"] + source + ["--visit", "all", "--db", db, "--json"]))
        #expect(ingest["format"] as? String == format && ingest["subjects"] as? Int == 60 && (ingest["cases"] as? Int ?? 0) > 3 * 60)
        for step in [["encode", "--db", db, "--encoder", encoder, "--split", "test"],
                     ["index", "--db", db, "--index", index, "--encoder", encoder]] {
            let r = try CommandRunner.run(step)
            #expect(r.status == 0, "\(step[0]): \(r.stderr)")
        }
        let qaFile = folder.file("qa.jsonl")
        let qa = try json(try CommandRunner.run(["qa", "build", "--db", db, "--index", index, "--encoder", encoder, "--no-rerank",
                                                 "--out", qaFile, "--json"]))
        #expect(((qa["by_category"] as? [String: Int])?["prognosis"] ?? 0) > 0, "\(qa)")
        let items = try String(contentsOfFile: qaFile, encoding: .utf8).split(separator: "\n").compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let prognosis = try #require(items.first { $0["category"] as? String == "prognosis" })
        #expect(["progressed", "stable"].contains(prognosis["expected_course"] as? String ?? ""))
        let caseID = try #require(prognosis["case_id"] as? String), question = try #require(prognosis["question"] as? String)

        let server = try LocalServer.acquire()
        defer { server.release() }
        let ask = try CommandRunner.run(["ask", "--db", db, "--index", index, "--encoder", encoder, "--no-rerank", "--llm", server.url,
                                         "--case", caseID, "--json", "--temperature", "0", question],
                                        environment: server.apiKey.map { ["MEMOIR_LLM_API_KEY": $0] } ?? [:])
        // What the small model says is not asserted; that it was asked with the neighbours' courses, and judged, is.
        let logged = try #require(try CaseStore(path: db).asks().first)
        #expect(logged.caseID == caseID && logged.questionKind == "prognosis")
        #expect(logged.evidence?.contains("\"courses\"") == true, "\(logged.evidence ?? "")")
        guard ask.status == 0 else {
            #expect(logged.status == "failed" && ask.stderr.contains("not a usable answer"), "\(ask.stderr)")
            return
        }
        let out = try #require(try JSONSerialization.jsonObject(with: Data(ask.stdout.utf8)) as? [String: Any])
        let evidence = try #require(out["evidence"] as? [String: Any])
        let courses = try #require(evidence["courses"] as? [[String: Any]])
        #expect(!courses.isEmpty && courses.allSatisfy { ["CN", "MCI"].contains($0["group"] as? String ?? "") })
        #expect(["grounded", "unsupported", "truncated", "degenerate"].contains((out["verdict"] as? [String: Any])?["status"] as? String ?? ""))
    }

    /// Fixtures/bids with its column map: volumes found by entities, registration-checked, values under the
    /// dataset's own column names.
    @Test func theBIDSFixtureIngestsWithItsColumnMap() throws {
        let db = folder.file("f.sqlite")
        let summary = try json(try CommandRunner.run(["ingest", "--bids", Fixtures.path("bids"), "--column-map",
                                                      Fixtures.path("bids/column_map.json"), "--visit", "all", "--db", db, "--json"]))
        #expect(summary["format"] as? String == "bids" && summary["with_t1"] as? Int == 3 && summary["with_fa"] as? Int == 2)
        #expect(summary["unregistered"] as? Int == 0 && summary["cases"] as? Int == 5)
        let show = try json(try CommandRunner.run(["case", "show", "941_S_0001", "--db", db, "--json"]))
        #expect((show["caption"] as? String)?.contains("MMSE is 30 of 30") == true, "\(show)")
        let both = try CommandRunner.run(["ingest", Fixtures.path("adnimerge/ADNIMERGE.csv"), "--bids", Fixtures.path("bids"), "--db", db])
        #expect(both.status != 0 && both.stderr.contains("not both"))
        let mapWithoutBIDS = try CommandRunner.run(["ingest", Fixtures.path("adnimerge/ADNIMERGE.csv"), "--column-map", "x.json", "--db", db])
        #expect(mapWithoutBIDS.status != 0 && mapWithoutBIDS.stderr.contains("--column-map goes with --bids"))
    }

    @Test func registrationFailuresAreRefusedOrMarked() throws {
        // The fixture ADNIMERGE with its image map, one volume moved 20 mm (as if in scanner space).
        let copy = folder.file("adni")
        try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Fixtures.path("adnimerge/ADNIMERGE.csv"), toPath: copy + "/ADNIMERGE.csv")
        let moved = copy + "/moved_t1.nii.gz"
        try RegistrationFixtures.shiftedCopy(of: Fixtures.path("cohort/images/941_S_0003_t1.nii.gz"), to: moved, millimetres: 20)
        try """
        PTID,VISCODE,T1_PATH,FA_PATH
        941_S_0001,bl,\(Fixtures.path("cohort/images/941_S_0001_t1.nii.gz")),
        941_S_0003,bl,moved_t1.nii.gz,
        """.write(toFile: copy + "/image_map.csv", atomically: true, encoding: .utf8)
        let db = folder.file("r.sqlite")
        let refused = try CommandRunner.run(["ingest", copy + "/ADNIMERGE.csv", "--images", copy + "/image_map.csv", "--db", db])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("image_map.csv: row 3, field T1_PATH") && refused.stderr.contains("FLIRT")
                && refused.stderr.contains("antsRegistration") && refused.stderr.contains("--allow-unregistered"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: db))
        let accepted = try CommandRunner.run(["ingest", copy + "/ADNIMERGE.csv", "--images", copy + "/image_map.csv", "--db", db,
                                              "--allow-unregistered", "--json"])
        let summary = try json(accepted)
        #expect(summary["unregistered"] as? Int == 1 && accepted.stderr.contains("warning:"))
        let show = try json(try CommandRunner.run(["case", "show", "941_S_0003", "--db", db, "--json"]))
        #expect((show["caption"] as? String)?.contains("failed the MNI152 registration check") == true)
        let store = try CaseStore(path: db, access: .readOnly)
        #expect(try store.storedCase("941_S_0003").measures.unregistered == true)
        #expect(try store.storedCase("941_S_0001").measures.unregistered == false)
    }
}
