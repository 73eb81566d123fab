import Cohort
import Hummingbird
import Imaging

/// Typed query parameters: a value that is present but unreadable is a 400 naming the parameter, never
/// silently the default.
struct QueryReader {
    let parameters: [String: String]

    init(_ request: Request) {
        var values: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { values[String(key)] = String(value) }
        parameters = values
    }

    func string(_ name: String) -> String? { parameters[name].flatMap { $0.isEmpty ? nil : $0 } }

    func int(_ name: String, default value: Int? = nil, in range: ClosedRange<Int>) throws -> Int? {
        guard let raw = string(name) else { return value }
        guard let parsed = Int(raw), range.contains(parsed) else {
            throw APIError.badRequest("'\(name)' must be an integer in \(range.lowerBound)…\(range.upperBound), got '\(raw.prefix(40))'")
        }
        return parsed
    }

    func float(_ name: String) throws -> Float? {
        guard let raw = string(name) else { return nil }
        guard let parsed = Float(raw), parsed.isFinite else { throw APIError.badRequest("'\(name)' must be a number, got '\(raw.prefix(40))'") }
        return parsed
    }

    func modalities(_ name: String = "modalities") throws -> ModalitySet {
        try Self.modalities(string(name), name: name)
    }

    static func modalities(_ raw: String?, name: String = "modalities") throws -> ModalitySet {
        guard let raw else { return .all }
        if raw.lowercased() == "all" { return .all }
        guard let set = ModalitySet(key: raw) else {
            throw APIError.badRequest("'\(name)' must be t1, fa and/or clinical joined by '+' or ',', or 'all'; got '\(raw.prefix(40))'")
        }
        return set
    }

    func split() throws -> Split? {
        guard let raw = string("split") else { return nil }
        guard let split = Split(rawValue: raw.lowercased()) else { throw APIError.badRequest("'split' must be train or test, got '\(raw.prefix(40))'") }
        return split
    }

    func diagnosis() throws -> Diagnosis? {
        guard let raw = string("diagnosis") else { return nil }
        guard let diagnosis = Diagnosis(parsing: raw) else {
            throw APIError.badRequest("'diagnosis' must be CN, MCI or Dementia, got '\(raw.prefix(40))'")
        }
        return diagnosis
    }

    func convention() throws -> DisplayConvention {
        guard let raw = string("convention") else { return .radiological }
        guard let convention = DisplayConvention(rawValue: raw.lowercased()) else {
            throw APIError.badRequest("'convention' must be radiological or neurological, got '\(raw.prefix(40))'")
        }
        return convention
    }

    /// `low` and `high` together, or neither (the volume's automatic window).
    func window() throws -> IntensityWindow? {
        let low = try float("low"), high = try float("high")
        switch (low, high) {
        case (nil, nil): return nil
        case let (low?, high?):
            guard let window = IntensityWindow(low: low, high: high) else { throw APIError.badRequest("'low' must be below 'high'") }
            return window
        default: throw APIError.badRequest("give both 'low' and 'high', or neither")
        }
    }
}
