/// A prognosis read off the most similar subjects' later courses: "of the 5 most similar MCI subjects, 3
/// progressed to dementia within 24 months". Structured, so the evidence and answers can quote it.
public struct Prognosis: Sendable, Codable, Equatable {
    /// The group the neighbours were taken from (the query's diagnosis).
    public var group: Diagnosis
    /// The diagnosis counted as progression, and within how many months of the neighbour's visit.
    public var target: Diagnosis
    public var horizonMonths: Double
    /// Neighbours considered, by case id, with the outcome of each, in similarity order.
    public var neighbours: [Neighbour]

    public struct Neighbour: Sendable, Codable, Equatable {
        public var caseID: String
        public var subject: String
        public var outcome: SubjectCourse.Outcome?

        public init(caseID: String, subject: String, outcome: SubjectCourse.Outcome?) {
            self.caseID = caseID
            self.subject = subject
            self.outcome = outcome
        }
    }

    public init(group: Diagnosis, target: Diagnosis, horizonMonths: Double, neighbours: [Neighbour]) {
        self.group = group
        self.target = target
        self.horizonMonths = horizonMonths
        self.neighbours = neighbours
    }

    public var progressed: Int { neighbours.filter { $0.outcome == .progressed }.count }
    public var stable: Int { neighbours.filter { $0.outcome == .stable }.count }
    /// Neighbours whose outcome is unknown: followed for less than the horizon, or no course on record.
    public var unknown: Int { neighbours.filter { $0.outcome == nil || $0.outcome == .censored }.count }

    /// The majority course among neighbours with a known outcome; nil when there is none or a tie.
    public var majority: SubjectCourse.Outcome? {
        guard progressed != stable else { return nil }
        return progressed > stable ? .progressed : .stable
    }

    /// One sentence for people and prompts.
    public var statement: String {
        let months = horizonMonths == horizonMonths.rounded() ? String(Int(horizonMonths)) : String(horizonMonths)
        if neighbours.count == 1 {
            let outcome = progressed == 1 ? "progressed to" : stable == 1 ? "did not progress to" : "was not followed long enough to tell whether it progressed to"
            return "The most similar \(group.rawValue) subject \(outcome) \(target.longName) within \(months) months."
        }
        var s = "Of the \(neighbours.count) most similar \(group.rawValue) subjects, \(progressed) progressed to \(target.longName) within \(months) months"
        if unknown > 0 { s += " (\(unknown) not followed that long)" }
        return s + "."
    }
}
