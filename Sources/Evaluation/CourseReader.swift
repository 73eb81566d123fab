import Cohort
import Foundation

/// What an answer's text says about a subject's course: that it will progress (to a worse diagnosis) or stay
/// stable. Scored against the subject's own recorded course for prognosis questions, as the diagnosis is
/// read from the text for diagnosis questions. A text that says both, or neither, states no course.
public enum CourseReader {
    static let verbs = #"(?:progress|convert|declin|develop|advance|worsen)\w*"#

    /// Staying put denied ("unlikely to remain stable", "will not stay CN"): a progression. Read first, and taken
    /// out of the text, so its "stable" is not read as stability.
    static let notStaying = pattern([
        #"\b(?:unlikely|not\s+(?:likely|expected)|will\s+not|won['’]t|not)\s+(?:to\s+)?(?:remain|stay)\w*\s+(?:\w+\s+){0,2}?(?:stable|cognitively\s+normal|CN|MCI|unchanged)\b"#,
    ])

    /// Uncertainty about the course itself: no course is stated.
    static let undecided = pattern([
        #"\b(?:not\s+clear|unclear|uncertain|cannot\s+be\s+(?:determined|predicted|said)|impossible\s+to\s+(?:say|tell|predict))\b"#,
    ])

    /// Negated or low-likelihood progression (the negation within a few words of the verb), and staying put.
    static let stable = pattern([
        #"\b(?:unlikely|not\s+(?:likely|expected|predicted)|low\s+(?:risk|likelihood|chance|probability))\s+(?:\w+\s+){0,3}?"# + verbs,
        #"\b(?:not|no|never|without)\s+(?:\w+\s+){0,2}?"# + verbs,
        #"\b(?:remain|stay)\w*\s+(?:\w+\s+){0,3}?(?:stable|cognitively\s+normal|CN|MCI|unchanged|the\s+same)\b"#,
        #"\b(?:stable|no\s+progression|without\s+progression)\b"#,
    ])

    /// Progression stated as likely or expected.
    static let progressed = pattern([
        #"\b(?:likely|probably|expected|predicted|high\s+(?:risk|likelihood|chance|probability))\b[^.;]{0,40}?\b"# + verbs,
        #"\b(?:will|would|may|could|is\s+going\s+to)\s+(?:\w+\s+){0,2}?"# + verbs,
        #"\b(?:progression|conversion)\s+(?:to|towards)\s+[^.;]{0,30}?\b(?:is|appears|seems)\s+(?:likely|probable|expected)"#,
    ])

    static func pattern(_ alternatives: [String]) -> NSRegularExpression {
        try! NSRegularExpression(pattern: alternatives.joined(separator: "|"), options: [.caseInsensitive])
    }

    /// `.progressed` or `.stable` when the text says one and not the other; nil otherwise.
    public static func course(in text: String) -> SubjectCourse.Outcome? {
        if undecided.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil { return nil }
        var deniedStay = false
        var text = text
        for m in notStaying.matches(in: text, range: NSRange(text.startIndex..., in: text)).reversed() {
            deniedStay = true
            text = (text as NSString).replacingCharacters(in: m.range, with: " ")
        }
        let range = NSRange(text.startIndex..., in: text)
        // A negated progression ("unlikely to progress") also matches the progression pattern's verbs: take
        // the stable reading's spans out before looking for a stated progression.
        let stableMatches = stable.matches(in: text, range: range)
        var rest = text as NSString
        for m in stableMatches.reversed() { rest = rest.replacingCharacters(in: m.range, with: " ") as NSString }
        let saysStable = !stableMatches.isEmpty
        let saysProgress = deniedStay || progressed.firstMatch(in: rest as String, range: NSRange(location: 0, length: rest.length)) != nil
        switch (saysProgress, saysStable) {
        case (true, false): return .progressed
        case (false, true): return .stable
        default: return nil
        }
    }
}
