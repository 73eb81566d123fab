import CFaiss

/// A FAISS index behind the C shim: vectors in, (score, position) neighbours out.
/// Positions are insertion order; callers keep their own id map.
public final class FaissIndex: @unchecked Sendable {
    public enum Metric: Int32, Sendable { case innerProduct = 0, l2 = 1 }

    public struct Neighbour: Sendable, Equatable {
        public let position: Int
        public let score: Float
    }

    private let handle: OpaquePointer

    /// An index built by `faiss::index_factory`, e.g. "Flat", "IVF64,Flat", "HNSW32".
    public init(dimension: Int, factory: String = "Flat", metric: Metric = .innerProduct) throws {
        var out: OpaquePointer?
        try Self.check(memoir_faiss_new(Int32(dimension), factory, metric.rawValue, &out), "create index '\(factory)'")
        handle = out!
    }

    public init(readingFrom path: String) throws {
        var out: OpaquePointer?
        try Self.check(memoir_faiss_read(path, &out), "read index \(path)")
        handle = out!
    }

    deinit { memoir_faiss_free(handle) }

    public var count: Int { Int(memoir_faiss_count(handle)) }
    public var dimension: Int { Int(memoir_faiss_dimension(handle)) }
    public var isTrained: Bool { memoir_faiss_is_trained(handle) != 0 }

    public func train(_ vectors: [Float]) throws {
        let n = try rowCount(vectors)
        try vectors.withUnsafeBufferPointer { try Self.check(memoir_faiss_train(handle, Int64(n), $0.baseAddress), "train") }
    }

    public func add(_ vectors: [Float]) throws {
        let n = try rowCount(vectors)
        try vectors.withUnsafeBufferPointer { try Self.check(memoir_faiss_add(handle, Int64(n), $0.baseAddress), "add \(n) vectors") }
    }

    /// The k best neighbours of each query, best first; fewer when the index holds fewer.
    public func search(_ queries: [Float], k: Int) throws -> [[Neighbour]] {
        let n = try rowCount(queries)
        guard k > 0 else { throw FaissError(operation: "search", message: "k must be positive, got \(k)") }
        var distances = [Float](repeating: 0, count: n * k)
        var labels = [Int64](repeating: -1, count: n * k)
        try queries.withUnsafeBufferPointer { q in
            try Self.check(memoir_faiss_search(handle, Int64(n), q.baseAddress, Int64(k), &distances, &labels), "search")
        }
        return (0..<n).map { row in
            (0..<k).compactMap { j in
                let label = labels[row * k + j]
                return label < 0 ? nil : Neighbour(position: Int(label), score: distances[row * k + j])
            }
        }
    }

    /// nprobe for IVF indexes, efSearch for HNSW; no effect on flat indexes.
    public func setSearchBreadth(_ breadth: Int) throws {
        try Self.check(memoir_faiss_set_search_breadth(handle, Int32(breadth)), "set search breadth")
    }

    public func write(to path: String) throws {
        try Self.check(memoir_faiss_write(handle, path), "write index \(path)")
    }

    /// OpenMP threads FAISS may use (shared process-wide).
    public static func setThreadCount(_ n: Int) { memoir_faiss_set_threads(Int32(max(1, n))) }

    private func rowCount(_ vectors: [Float]) throws -> Int {
        let d = dimension
        guard vectors.count % d == 0 else {
            throw FaissError(operation: "shape check", message: "\(vectors.count) floats is not a multiple of dimension \(d)")
        }
        return vectors.count / d
    }

    private static func check(_ rc: Int32, _ operation: String) throws {
        if rc != 0 { throw FaissError(operation: operation, message: String(cString: memoir_faiss_last_error())) }
    }
}

public struct FaissError: Error, CustomStringConvertible {
    public let operation: String
    public let message: String
    public var description: String { "FAISS could not \(operation): \(message)" }
}
