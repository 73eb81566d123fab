import ArgumentParser
import Cohort
import Foundation
import FusedEncoder
import Numerics
import Retrieval
import Store

/// `memoir-bench index`: FAISS factories on synthetic case libraries drawn from a real store's embeddings.
struct IndexBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build time, memory, single-query latency and recall@k of FAISS index factories on synthetic libraries of 10⁵–10⁶ cases.",
        discussion: """
            Library and query vectors are drawn from the real encoder's embeddings in --db (a variance-preserving smoothed \
            bootstrap: a random real embedding plus Gaussian noise with the real covariance, renormalised; see \
            SyntheticEmbeddings.swift). For each size (ascending), Flat (exact inner product) gives the ground truth; IVF \
            (√N and 4√N lists, powers of two) and HNSW32 are measured at several nprobe / efSearch. HNSW at a larger size is \
            built only if the build rate at the previous size predicts it within --hnsw-budget-minutes. Writes index.md and \
            index.json to --out.
            """)

    @Option(help: "Case store whose embeddings set the distribution.")
    var db = "cohorts/demo-400/memoir.sqlite"

    @Option(help: "Encoder directory whose weights hash selects the embeddings (default: see `memoir --help`).")
    var encoder: String?

    @Option(help: "Use the embeddings of this encoder hash instead of loading an encoder.")
    var encoderHash: String?

    @Option(help: "Modality subset of the embeddings.")
    var modalities = "t1+fa+clinical"

    @Option(help: "Library sizes, comma-separated.")
    var sizes = "10000,100000,1000000"

    @Option(help: "Query counts per size, comma-separated (default: 1000 up to 10⁵, 200 above).")
    var queries: String?

    @Option(help: "Index families to measure: flat, ivf, hnsw (flat is always built: it is the ground truth).")
    var factories = "flat,ivf,hnsw"

    @Option(help: "IVF list counts, comma-separated, or 'auto' (√N and 4√N rounded to powers of two, at most N/39).")
    var ivfLists = "auto"

    @Option(help: "IVF nprobe values (1 is FAISS's default; `memoir index` now searches IVF at 32 unless --search-breadth says otherwise).")
    var nprobe = "1,4,8,16,32,64,128"

    @Option(help: "HNSW efSearch values (16 is FAISS's default; `memoir index` now searches HNSW at 128 unless --search-breadth says otherwise).")
    var efSearch = "16,64,128,256,512"

    @Option(help: "HNSW neighbours per node (M).")
    var hnswM = 32

    @Option(help: "Skip HNSW at a size whose predicted build time exceeds this many minutes.")
    var hnswBudgetMinutes = 12.0

    @Option(help: "IVF training vectors per list (FAISS warns below 39).")
    var trainPerList = 50

    @Option(help: "Neighbours per query (recall@k).")
    var k = 50

    @Option(help: "Recall@k a factory must reach to be recommended.")
    var minRecall = 0.95

    @Option(help: "Kernel bandwidth h of the synthetic draw (default: Silverman's rule at the real embeddings' effective dimension).")
    var bandwidth: Double?

    @Option(help: "Noise covariance of the synthetic draw: covariance (the real one) or diagonal (per-dimension, a harder stress case).")
    var noise = "covariance"

    @Option(help: "Random seed.")
    var seed: UInt64 = 16

    @Option(help: "FAISS (OpenMP) and OpenBLAS threads (default: all cores, as `memoir` runs).")
    var threads: Int?

    @Option(help: "FAISS (OpenMP) threads while timing single queries (one query uses one thread either way; with more, each query opens an OpenMP region that waits for other cores, which other processes may hold).")
    var searchThreads = 1

    @Option(help: "Folder for the temporary index files whose size is reported.")
    var scratch = NSTemporaryDirectory()

    @Option(help: "Where index.md and index.json go.")
    var out = "Benchmarks/results"

    func validate() throws {
        guard (try? parsedSizes()) != nil else { throw ValidationError("--sizes must be positive integers") }
        guard searchThreads >= 1 else { throw ValidationError("--search-threads must be at least 1") }
        guard k >= 1 else { throw ValidationError("--k must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        guard SyntheticEmbeddings.Noise(rawValue: noise) != nil else { throw ValidationError("--noise takes covariance or diagonal") }
        guard ModalitySet(key: modalities) != nil else { throw ValidationError("unknown --modalities \(modalities)") }
        let families = Set(factories.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
        guard families.isSubset(of: ["flat", "ivf", "hnsw"]) else { throw ValidationError("--factories takes flat, ivf, hnsw") }
    }

    func parsedSizes() throws -> [Int] {
        let values = sizes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.count == sizes.split(separator: ",").count, values.allSatisfy({ $0 > k }) else {
            throw ValidationError("bad --sizes")
        }
        return values.sorted()
    }

    static func integers(_ text: String) -> [Int] {
        text.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 > 0 }
    }

    func run() throws {
        let threadCount = threads ?? ProcessInfo.processInfo.activeProcessorCount
        FaissIndex.setThreadCount(threadCount)
        BLAS.threadCount = threadCount
        let started = Date()
        let loadStart = IndexBenchmarkEnvironment.loadAverage()
        let sizes = try parsedSizes()
        let queryCounts: [Int] = try {
            guard let queries else { return sizes.map { $0 <= 100_000 ? 1000 : 200 } }
            let counts = Self.integers(queries)
            guard counts.count == sizes.count else { throw ValidationError("--queries needs one count per size") }
            return counts
        }()
        let families = Set(factories.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })

        // The real distribution.
        let hash: String
        if let encoderHash { hash = encoderHash } else { hash = try EncoderLocator.load(explicit: encoder).weightsHash }
        let store = try CaseStore(path: db, access: .readOnly)
        let byID = try EmbeddingCache(store: store, encoderHash: hash).embeddings(modalities: ModalitySet(key: modalities)!)
        let real = byID.keys.sorted().map { byID[$0]! }
        guard real.count >= 2, let dimension = real.first?.count, real.allSatisfy({ $0.count == dimension }) else {
            throw ValidationError("\(db) holds \(real.count) \(modalities) embedding(s) of encoder \(hash.prefix(12)); need at least 2 of one dimension")
        }
        let realStats = real.flatMap { $0 }.withUnsafeBufferPointer {
            SyntheticEmbeddings.describe($0, rows: real.count, dimension: dimension)
        }
        let model = SyntheticEmbeddings(real: real, bandwidth: bandwidth, noise: SyntheticEmbeddings.Noise(rawValue: noise)!)
        say("real: \(real.count) × \(dimension) \(modalities) embeddings of encoder \(hash.prefix(12)) from \(db); effective dimension "
            + f(realStats.effectiveDimension, 1) + ", mean pairwise cosine " + f(realStats.meanPairwiseCosine, 3) + "; bandwidth h = " + f(model.bandwidth, 3))

        let genStart = now()
        let library = model.generate(count: sizes.last!, seed: seed)
        let queryPool = model.generate(count: queryCounts.max()!, seed: seed &+ 0x5157_4552_59)
        let generateSeconds = now() - genStart
        let sample = min(2000, sizes.last!)
        let syntheticStats = library.withUnsafeBufferPointer {
            SyntheticEmbeddings.describe(UnsafeBufferPointer(rebasing: $0[0..<(sample * dimension)]), rows: sample, dimension: dimension)
        }
        say("generated \(sizes.last!) library + \(queryCounts.max()!) query vectors in " + f(generateSeconds, 1) + " s; synthetic sample of \(sample): "
            + "effective dimension " + f(syntheticStats.effectiveDimension, 1) + ", mean pairwise cosine " + f(syntheticStats.meanPairwiseCosine, 3))

        var sizeResults: [IndexBenchmarkResults.SizeResult] = []
        var hnswRate: (size: Int, seconds: Double)?
        for (size, queryCount) in zip(sizes, queryCounts) {
            say("— \(size) vectors, \(queryCount) queries")
            let vectors = size == library.count / dimension ? library : Array(library[0..<(size * dimension)])
            let queryRows = (0..<queryCount).map { Array(queryPool[($0 * dimension)..<(($0 + 1) * dimension)]) }
            var rows: [IndexBenchmarkResults.Row] = []
            var notes: [String] = []

            // Flat: the ground truth, and the exact factory's own figures.
            let flat = try measureBuild(factory: "Flat", vectors: vectors, dimension: dimension, trainCount: 0)
            let truthStart = now()
            let truth = try flat.index.search(queryRows.flatMap { $0 }, k: k)
            let truthSeconds = now() - truthStart
            let exact = truth.map { $0.map(\.position) }
            let firstCosine = truth.map { Double($0.first?.score ?? 0) }.reduce(0, +) / Double(queryCount)
            let lastCosine = truth.map { Double($0.last?.score ?? 0) }.reduce(0, +) / Double(queryCount)
            say("Flat: built in " + f(flat.seconds, 2) + " s, batch ground truth " + f(truthSeconds, 2) + " s; mean cosine of neighbour 1 "
                + f(firstCosine, 3) + ", of neighbour \(k) " + f(lastCosine, 3))
            rows.append(try measureSearch(flat, breadth: nil, queries: queryRows, exact: exact))
            flat.release()

            if families.contains("ivf") {
                for lists in ivfListCounts(size: size) {
                    let trainCount = min(size, trainPerList * lists)
                    let ivf = try measureBuild(factory: "IVF\(lists),Flat", vectors: vectors, dimension: dimension, trainCount: trainCount)
                    say("IVF\(lists),Flat: trained on \(trainCount) in " + f(ivf.trainSeconds, 1) + " s, built in " + f(ivf.seconds, 1) + " s")
                    for probes in Self.integers(nprobe) where probes < lists {
                        rows.append(try measureSearch(ivf, breadth: probes, queries: queryRows, exact: exact))
                    }
                    ivf.release()
                }
            }

            if families.contains("hnsw") {
                let factory = "HNSW\(hnswM),Flat"
                var skip: String?
                if let previous = hnswRate {
                    // Insertion cost grows with log N (graph depth and search length): scale the measured time by N log N.
                    let ratio: Double = Double(size) / Double(previous.size)
                    let logRatio: Double = log(Double(size)) / log(Double(previous.size))
                    let predicted: Double = previous.seconds * ratio * logRatio
                    let arithmetic = "\(factory) took \(f(previous.seconds, 1)) s to build at \(previous.size); × \(size)/\(previous.size) × "
                        + "ln \(size)/ln \(previous.size) predicts \(f(predicted, 0)) s (\(f(predicted / 60, 1)) min) at \(size)"
                    say("HNSW estimate: " + arithmetic + ", budget " + f(hnswBudgetMinutes, 1) + " min")
                    if predicted > hnswBudgetMinutes * 60 {
                        skip = arithmetic + ", over the " + f(hnswBudgetMinutes, 0) + "-minute budget: not built"
                    } else {
                        notes.append(arithmetic + "; measured below")
                    }
                }
                if let skip {
                    notes.append(skip)
                    say(skip)
                } else {
                    let hnsw = try measureBuild(factory: factory, vectors: vectors, dimension: dimension, trainCount: 0)
                    say("\(factory): built in " + f(hnsw.seconds, 1) + " s")
                    hnswRate = (size, hnsw.seconds)
                    for ef in Self.integers(efSearch) {
                        rows.append(try measureSearch(hnsw, breadth: ef, queries: queryRows, exact: exact))
                    }
                    hnsw.release()
                }
            }
            sizeResults.append(IndexBenchmarkResults.SizeResult(
                size: size, queries: queryCount, groundTruthBatchSeconds: truthSeconds, meanCosineNeighbour1: firstCosine,
                meanCosineNeighbourK: lastCosine, rows: rows, notes: notes))
        }

        let results = IndexBenchmarkResults(
            date: ISO8601DateFormatter().string(from: started), command: (["memoir-bench"] + CommandLine.arguments.dropFirst()).joined(separator: " "),
            cpu: IndexBenchmarkEnvironment.cpuDescription(), cores: ProcessInfo.processInfo.activeProcessorCount, threads: threadCount, searchThreads: searchThreads,
            blas: "OpenBLAS \(BLAS.coreName) — \(BLASKernelSelection.summary())", faiss: IndexBenchmarkEnvironment.faissVersion(),
            loadAverageStart: loadStart, loadAverageEnd: IndexBenchmarkEnvironment.loadAverage(),
            totalSeconds: Date().timeIntervalSince(started), k: k, minRecall: minRecall,
            distribution: .init(db: db, encoderHash: hash, modalities: modalities, realCount: real.count, dimension: dimension,
                                realEffectiveDimension: realStats.effectiveDimension, realMeanPairwiseCosine: realStats.meanPairwiseCosine,
                                bandwidth: model.bandwidth, bandwidthRule: bandwidth == nil ? "Silverman" : "--bandwidth", noise: noise,
                                syntheticSample: sample, syntheticEffectiveDimension: syntheticStats.effectiveDimension,
                                syntheticMeanPairwiseCosine: syntheticStats.meanPairwiseCosine, seed: seed, generateSeconds: generateSeconds),
            sizes: sizeResults)
        try results.write(to: out)
        say("wrote \(out)/index.md and \(out)/index.json in " + f(results.totalSeconds / 60, 1) + " min")
        for s in results.sizes {
            if let best = s.recommended(minRecall: minRecall) {
                say("\(s.size): recommended \(best.factory)\(best.breadthLabel) — recall@\(k) " + f(best.recall, 3) + ", p99 " + f(best.p99Milliseconds, 2) + " ms")
            }
        }
    }

    /// √N and 4√N rounded to powers of two, each at most N/39 (FAISS's minimum training points per list), or the --ivf-lists values.
    func ivfListCounts(size: Int) -> [Int] {
        guard ivfLists == "auto" else { return Self.integers(ivfLists) }
        let root = Double(size).squareRoot()
        let candidates = [root, 4 * root].map { 1 << Int(log2($0).rounded()) }.map { min($0, max(1, size / 39)) }
        return Array(Set(candidates)).sorted()
    }

    // MARK: - Measuring

    final class Built {
        let factory: String
        var index: FaissIndex!
        let seconds: Double, trainSeconds: Double, trainCount: Int
        let fileBytes: Int, rssDeltaBytes: Int

        init(factory: String, index: FaissIndex, seconds: Double, trainSeconds: Double, trainCount: Int, fileBytes: Int, rssDeltaBytes: Int) {
            self.factory = factory
            self.index = index
            self.seconds = seconds
            self.trainSeconds = trainSeconds
            self.trainCount = trainCount
            self.fileBytes = fileBytes
            self.rssDeltaBytes = rssDeltaBytes
        }

        func release() { index = nil }
    }

    /// Creates, trains (on the first `trainCount` vectors, a random sample since draws are independent) and fills an index;
    /// writes it to --scratch to measure its size.
    func measureBuild(factory: String, vectors: [Float], dimension: Int, trainCount: Int) throws -> Built {
        let rssBefore = IndexBenchmarkEnvironment.residentBytes()
        let start = now()
        let index = try FaissIndex(dimension: dimension, factory: factory, metric: .innerProduct)
        var trainSeconds = 0.0
        if !index.isTrained {
            let trainStart = now()
            try index.train(trainCount >= vectors.count / dimension ? vectors : Array(vectors[0..<(trainCount * dimension)]))
            trainSeconds = now() - trainStart
        }
        try index.add(vectors)
        let seconds = now() - start
        let rssDelta = IndexBenchmarkEnvironment.residentBytes() - rssBefore
        let path = scratch + "/memoir-bench-index-\(ProcessInfo.processInfo.processIdentifier).faiss"
        try index.write(to: path)
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        try? FileManager.default.removeItem(atPath: path)
        return Built(factory: factory, index: index, seconds: seconds, trainSeconds: trainSeconds, trainCount: index.isTrained ? trainCount : 0,
                     fileBytes: bytes, rssDeltaBytes: rssDelta)
    }

    /// One query at a time (the ask path's batch of 1), after 10 untimed warm-up queries.
    func measureSearch(_ built: Built, breadth: Int?, queries: [[Float]], exact: [[Int]]) throws -> IndexBenchmarkResults.Row {
        if let breadth { try built.index.setSearchBreadth(breadth) }
        FaissIndex.setThreadCount(searchThreads)
        defer { FaissIndex.setThreadCount(threads ?? ProcessInfo.processInfo.activeProcessorCount) }
        for q in queries.prefix(10) { _ = try built.index.search(q, k: k) }
        var latencies: [Double] = []
        latencies.reserveCapacity(queries.count)
        var found: [[Int]] = []
        found.reserveCapacity(queries.count)
        for q in queries {
            let start = DispatchTime.now().uptimeNanoseconds
            let hits = try built.index.search(q, k: k)[0]
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            found.append(hits.map(\.position))
        }
        let row = IndexBenchmarkResults.Row(
            factory: built.factory, breadth: breadth, buildSeconds: built.seconds, trainSeconds: built.trainSeconds, trainVectors: built.trainCount,
            fileBytes: built.fileBytes, rssDeltaBytes: built.rssDeltaBytes,
            p50Milliseconds: IndexMetrics.percentile(latencies, 0.5), p99Milliseconds: IndexMetrics.percentile(latencies, 0.99),
            meanMilliseconds: latencies.reduce(0, +) / Double(latencies.count), recall: IndexMetrics.recall(approximate: found, exact: exact, k: k))
        say("  \(built.factory)\(row.breadthLabel): recall@\(k) " + f(row.recall, 4) + ", p50 " + f(row.p50Milliseconds, 3) + " ms, p99 "
            + f(row.p99Milliseconds, 3) + " ms")
        return row
    }

    func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    func say(_ line: String) {
        let stamp = ISO8601DateFormatter().string(from: Date())
        FileHandle.standardError.write(Data("[\(stamp)] \(line)\n".utf8))
    }
}

func f(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }

enum IndexBenchmarkEnvironment {
    static func loadAverage() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "").split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// "model name (family F, model M)" from /proc/cpuinfo.
    static func cpuDescription() -> String {
        let text = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        func field(_ name: String) -> String? {
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name { return parts[1].trimmingCharacters(in: .whitespaces) }
            }
            return nil
        }
        return "\(field("model name") ?? "unknown CPU") (family \(field("cpu family") ?? "?"), model \(field("model") ?? "?"))"
    }

    static func residentBytes() -> Int {
        let text = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
        }
        return 0
    }

    /// The FAISS headers' version macros (the library is linked statically from the same package).
    static func faissVersion() -> String {
        let text = (try? String(contentsOfFile: "/usr/include/faiss/Index.h", encoding: .utf8)) ?? ""
        let parts = ["MAJOR", "MINOR", "PATCH"].map { key in
            text.split(separator: "\n").first { $0.hasPrefix("#define FAISS_VERSION_\(key) ") }.flatMap { $0.split(separator: " ").last.map(String.init) } ?? "?"
        }
        return "FAISS " + parts.joined(separator: ".")
    }
}
