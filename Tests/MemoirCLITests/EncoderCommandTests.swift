import Cohort
import Foundation
import FusedEncoder
import Store
import Testing
import TestSupport

/// `memoir encode`, `predict` and `eval encoder` through the real executable, on the 6-subject fixture
/// cohort (MNI 2 mm volumes, 3 with FA) and the small golden encoder run at MNI size with 4× input
/// pooling; results are checked against the same encoder run in-process.
@Suite(.serialized) struct EncoderCommandTests {
    let folder: TemporaryFolder
    let dir: String
    let db: String
    let encoderDir: String

    init() throws {
        folder = try TemporaryFolder()
        dir = folder.path
        db = dir + "/m.sqlite"
        encoderDir = try Self.mniEncoder(in: dir)
        let ingest = try CommandRunner.run(["ingest", Fixtures.path("cohort/cohort.csv"), "--db", db])
        #expect(ingest.status == 0, "\(ingest.stderr)")
    }

    /// The golden fixture checkpoint with config.json set to MNI 91×109×91 input pooled 4× (the tensor
    /// shapes do not depend on the input size), so it reads the fixture cohort's volumes.
    static func mniEncoder(in dir: String, checkpoint: Data? = nil) throws -> String {
        let directory = dir + "/encoder-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var config = try #require(try Fixtures.json("encoder/model/config.json") as? [String: Any])
        config["input_shape"] = [91, 109, 91]
        config["input_pool"] = 4
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: directory + "/config.json"))
        let weights = try checkpoint ?? Data(contentsOf: URL(fileURLWithPath: Fixtures.path("encoder/model/model.safetensors")))
        try weights.write(to: URL(fileURLWithPath: directory + "/model.safetensors"))
        return directory
    }

    func json(_ r: CommandRunner.Result) throws -> [String: Any] {
        #expect(r.status == 0, "\(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout)")
    }

    @Test func encodeFillsTheCacheOnceAndMatchesTheEncoder() throws {
        let first = try json(try CommandRunner.run(["encode", "--db", db, "--encoder", encoderDir, "--every-subset", "--json"]))
        // 3 cases with FA × 7 subsets + 3 without × 6 (FA alone has nothing to encode for them).
        #expect(first["encoded"] as? Int == 39 && first["skipped"] as? Int == 3 && first["failed"] as? Int == 0, "\(first)")
        #expect(first["cases_encoded"] as? Int == 6)
        let again = try json(try CommandRunner.run(["encode", "--db", db, "--encoder", encoderDir, "--every-subset", "--json"]))
        #expect(again["encoded"] as? Int == 0 && again["already_cached"] as? Int == 39 && again["failed"] as? Int == 0, "\(again)")
        let test = try json(try CommandRunner.run(["encode", "--db", db, "--encoder", encoderDir, "--split", "test", "--modalities", "t1+clinical", "--modalities", "fa", "--json"]))
        #expect(test["encoded"] as? Int == 0 && test["subsets"] as? [String] == ["t1+clinical", "fa"])

        let encoder = try FusedEncoder(directory: encoderDir)
        let store = try CaseStore(path: db)
        let cache = EmbeddingCache(store: store, encoderHash: encoder.weightsHash)
        for c in try store.allCases() {
            let expected = try encoder.encode(c.record, modalities: .all).z
            let cached = try #require(try cache.embedding(for: c.id, modalities: .all))
            #expect(zip(cached, expected).allSatisfy { abs($0 - $1) <= 1e-6 }, "\(c.id): cached z differs from the encoder's")
        }
    }

    @Test func predictGivesTheEncodersHeadsAndTheModalitiesUsed() throws {
        let encoder = try FusedEncoder(directory: encoderDir)
        let store = try CaseStore(path: db)
        for (id, used) in [("941_S_0001", ["t1", "fa", "clinical"]), ("941_S_0002", ["t1", "clinical"])] {
            let p = try json(try CommandRunner.run(["predict", "--db", db, "--case", id, "--encoder", encoderDir, "--json"]))
            #expect(p["used"] as? [String] == used)
            #expect(p["missing"] as? [String] == (used.count == 3 ? [] : ["fa"]))
            let expected = try encoder.encode(try store.storedCase(id).record, modalities: .all).heads
            let dx = try #require(p["diagnosis_probabilities"] as? [String: Double])
            for (k, name) in ["CN", "MCI", "Dementia"].enumerated() {
                #expect(abs(Float(dx[name]!) - expected.dx3[k]) <= 1e-6, "\(id) P(\(name))")
            }
            #expect(abs(dx.values.reduce(0, +) - 1) < 1e-5)
            #expect(p["diagnosis"] as? String == expected.diagnosis.rawValue)
            #expect(abs(Float(p["cn_vs_dementia_probability"] as! Double) - expected.dxBinary[1]) <= 1e-6)
            let sex = try #require(p["sex_probabilities"] as? [String: Double])
            #expect(abs(Float(sex["M"]!) - expected.sex[1]) <= 1e-6)
            #expect(abs(Float(p["age"] as! Double) - expected.age) <= 1e-4)
            #expect(abs(Float(p["cdrsb"] as! Double) - expected.cdrsb) <= 1e-5)
        }
        // Restricting the modalities changes what is used.
        let clinical = try json(try CommandRunner.run(["predict", "--db", db, "--case", "941_S_0001", "--encoder", encoderDir,
                                                       "--modalities", "clinical", "--json"]))
        #expect(clinical["used"] as? [String] == ["clinical"] && clinical["requested"] as? [String] == ["clinical"])
        let text = try CommandRunner.run(["predict", "--db", db, "--case", "941_S_0002", "--encoder", encoderDir])
        #expect(text.status == 0 && text.stdout.contains("used t1+clinical") && text.stdout.contains("lacks fa"), "\(text.stdout)")
    }

    @Test func predictRefusesUnknownCasesAndCasesWithNothingToUse() throws {
        let unknown = try CommandRunner.run(["predict", "--db", db, "--case", "999_S_9999", "--encoder", encoderDir])
        #expect(unknown.status != 0 && unknown.stderr.contains("unknown case id '999_S_9999'"), "\(unknown.stderr)")
        let noFA = try CommandRunner.run(["predict", "--db", db, "--case", "941_S_0002", "--encoder", encoderDir, "--modalities", "fa"])
        #expect(noFA.status != 0 && noFA.stderr.contains("941_S_0002") && noFA.stderr.contains("no FA image"), "\(noFA.stderr)")
        let badName = try CommandRunner.run(["predict", "--db", db, "--case", "941_S_0001", "--encoder", encoderDir, "--modalities", "t1+pet"])
        #expect(badName.status != 0 && badName.stderr.contains("--modalities"))
    }

    @Test func evalEncoderScoresEverySubsetConsistently() throws {
        let md = dir + "/eval.md"
        let r = try json(try CommandRunner.run(["eval", "encoder", "--db", db, "--encoder", encoderDir, "--split", "test", "--json", "--out", md]))
        let store = try CaseStore(path: db)
        let test = try store.allCases(split: .test)
        let subsets = try #require(r["subsets"] as? [[String: Any]])
        #expect(subsets.map { $0["subset"] as? String } == ModalitySet.nonEmptySubsets.map(\.key))
        let encoder = try FusedEncoder(directory: encoderDir)
        for s in subsets {
            let key = s["subset"] as! String
            let set = ModalitySet(key: key)!
            let n = s["n"] as! Int
            let usable = test.filter { set != .fa || $0.record.faPath != nil }
            #expect(n == usable.count, "\(key): n")
            #expect(s["complete"] as? Int == test.filter { !set.contains(.fa) || $0.record.faPath != nil }.count, "\(key): had all")
            let dx = s["diagnosis"] as! [String: Any]
            let confusion = dx["confusion"] as! [[Int]]
            #expect(confusion.joined().reduce(0, +) == n, "\(key): confusion sums to n")
            // The matrix is the in-process encoder's predictions against the recorded diagnoses.
            var expected = [[Int]](repeating: [0, 0, 0], count: 3)
            for c in usable { expected[c.record.diagnosis.index][try encoder.encode(c.record, modalities: set).heads.diagnosis.index] += 1 }
            #expect(confusion == expected, "\(key): confusion")
            let binary = (s["cn_vs_dementia"] as! [String: Any])["confusion"] as! [[Int]]
            #expect(binary.joined().reduce(0, +) == usable.filter { $0.record.diagnosis != .mci }.count)
            #expect((s["age"] as? [String: Any])?["count"] as? Int == n)
        }
        let report = try String(contentsOfFile: md, encoding: .utf8)
        #expect(report.contains("| t1+fa+clinical | \(test.count) |"), "\(report)")
    }

    @Test func brokenOrMissingEncodersAreNamed() throws {
        let original = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("encoder/model/model.safetensors")))
        // Same-length edits of the safetensors header: a renamed tensor, then a transposed shape.
        func edited(_ from: String, _ to: String) throws -> String {
            let headerEnd = 8 + Int(original.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
            var header = String(decoding: original[8..<headerEnd], as: UTF8.self)
            #expect(header.contains(from))
            header = header.replacingOccurrences(of: from, with: to)
            return try Self.mniEncoder(in: dir, checkpoint: original.prefix(8) + Data(header.utf8) + original[headerEnd...])
        }
        let missing = try CommandRunner.run(["predict", "--db", db, "--case", "941_S_0001", "--encoder",
                                             try edited("\"heads.sex.2.bias\"", "\"heads.sex.2.bia_\"")])
        #expect(missing.status != 0 && missing.stderr.contains("'heads.sex.2.bias' is missing"), "\(missing.stderr)")
        let shape = try CommandRunner.run(["encode", "--db", db, "--encoder",
                                           try edited("\"heads.sex.0.weight\":{\"dtype\":\"F32\",\"shape\":[32,64]",
                                                      "\"heads.sex.0.weight\":{\"dtype\":\"F32\",\"shape\":[64,32]")])
        #expect(shape.status != 0 && shape.stderr.contains("'heads.sex.0.weight' has shape [64, 32], expected [32, 64]"), "\(shape.stderr)")

        let none = try CommandRunner.run(["eval", "encoder", "--db", db, "--encoder", dir + "/nowhere"])
        #expect(none.status != 0 && none.stderr.contains(dir + "/nowhere (--encoder)") && none.stderr.contains("Scripts/setup.sh"))
        // Without --encoder: $MEMOIR_ENCODER_DIR, then $MEMOIR_HOME/models/fused-encoder.
        let env = try CommandRunner.run(["predict", "--db", db, "--case", "941_S_0001", "--json"],
                                        environment: ["MEMOIR_ENCODER_DIR": encoderDir])
        #expect(env.status == 0, "\(env.stderr)")
        let home = try CommandRunner.run(["predict", "--db", db, "--case", "941_S_0001"],
                                         environment: ["MEMOIR_ENCODER_DIR": "", "MEMOIR_HOME": dir + "/home"])
        #expect(home.status != 0 && home.stderr.contains(dir + "/home/models/fused-encoder (default location)"), "\(home.stderr)")
    }
}
