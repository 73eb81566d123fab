import Foundation
import Answering
import Prometheus

/// The server's Prometheus metrics, in a registry of its own (no process-wide bootstrap, so tests can run
/// several servers): requests and latency per route, time per ask stage and verdicts, LLM failures, refused asks
/// and the ask queue's depth.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private static let buckets: [Duration] = [.milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                                              .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5),
                                              .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(120)]

    /// `route` is the matched route pattern (never the raw path, so the label set stays small).
    func request(route: String, method: String, status: Int, duration: Duration) {
        registry.makeCounter(descriptor: .init(namespace: "memoir", metricName: "http_requests", unitName: "total",
                                               helpText: "HTTP requests by route pattern, method and status"),
                             labels: [("route", route), ("method", method), ("status", "\(status)")]).increment()
        registry.makeDurationHistogram(descriptor: .init(namespace: "memoir", metricName: "http_request_duration", unitName: "seconds",
                                                         helpText: "Time to the response head, by route pattern"),
                                       labels: [("route", route)], buckets: Self.buckets).record(duration)
    }

    /// One answered ask: seconds per pipeline stage (embed, search, rerank, evidence, prompt, time to the first
    /// token, the whole LLM reply, parsing and checking) and its verdict.
    func ask(timings: StageTimings, verdict: String) {
        var stages = [("embed", timings.embed), ("search", timings.search), ("rerank", timings.rerank), ("evidence", timings.evidence),
                      ("prompt", timings.prompt), ("llm", timings.llm), ("parse", timings.parse)]
        if let first = timings.llmFirstToken { stages.append(("llm_first_token", first)) }
        for (stage, seconds) in stages {
            registry.makeDurationHistogram(descriptor: .init(namespace: "memoir", metricName: "ask_stage_duration", unitName: "seconds",
                                                             helpText: "Seconds per stage of an answered ask"),
                                           labels: [("stage", stage)], buckets: Self.buckets)
                .record(.nanoseconds(Int64((max(0, seconds) * 1e9).rounded())))
        }
        registry.makeCounter(descriptor: .init(namespace: "memoir", metricName: "asks_answered", unitName: "total",
                                               helpText: "Answered asks by the verifier's verdict"),
                             labels: [("verdict", verdict)]).increment()
    }

    func llmError(kind: String) {
        registry.makeCounter(descriptor: .init(namespace: "memoir", metricName: "llm_errors", unitName: "total",
                                               helpText: "Asks that failed at the LLM (transport, HTTP, timeout or unreadable answer)"),
                             labels: [("kind", kind)]).increment()
    }

    func askRefused() {
        registry.makeCounter(descriptor: .init(namespace: "memoir", metricName: "asks_refused", unitName: "total",
                                               helpText: "Asks refused with 503 because the LLM queue was full")).increment()
    }

    /// The exposition text, with the queue depth as it is now.
    func exposition(askQueueDepth: Int) -> String {
        registry.makeGauge(descriptor: .init(namespace: "memoir", metricName: "ask_queue_depth",
                                             helpText: "Asks at the LLM or waiting for it")).set(Double(askQueueDepth))
        return registry.emitToString()
    }
}
