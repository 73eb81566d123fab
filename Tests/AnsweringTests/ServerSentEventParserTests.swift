import Answering
import Foundation
import Testing

@Suite struct ServerSentEventParserTests {
    let stream = "data: {\"a\":1}\n\n: ping comment\n\nevent: note\ndata: line one\ndata: line two\n\ndata: [DONE]\n\n"
    let expected = [ServerSentEvent(data: #"{"a":1}"#), ServerSentEvent(event: "note", data: "line one\nline two"),
                    ServerSentEvent(data: "[DONE]")]

    @Test func parsesWholeStream() {
        var parser = ServerSentEventParser()
        #expect(parser.feed(Data(stream.utf8)) == expected)
    }

    @Test func chunkBoundariesAnywhereGiveTheSameEvents() {
        let bytes = Array(stream.utf8)
        for split in 1..<bytes.count {
            var parser = ServerSentEventParser()
            let events = parser.feed(Data(bytes[..<split])) + parser.feed(Data(bytes[split...]))
            #expect(events == expected, "split at \(split)")
        }
        var parser = ServerSentEventParser()
        #expect(bytes.flatMap { parser.feed(Data([$0])) } == expected)
    }

    @Test func acceptsCRLFAndCRLineEnds() {
        var crlf = ServerSentEventParser()
        #expect(crlf.feed(Data("data: x\r\n\r\ndata:y\r\r".utf8)) == [ServerSentEvent(data: "x"), ServerSentEvent(data: "y")])
        var split = ServerSentEventParser()
        #expect(split.feed(Data("data: x\r".utf8)) == [])
        #expect(split.feed(Data("\n\r\n".utf8)) == [ServerSentEvent(data: "x")])
    }

    @Test func unterminatedEventIsNotDispatched() {
        var parser = ServerSentEventParser()
        #expect(parser.feed(Data("data: complete\n\ndata: {\"half\":".utf8)) == [ServerSentEvent(data: "complete")])
    }

    @Test func multiByteCharactersSplitAcrossChunks() {
        let bytes = Array("data: Alzheimer’s — ok\n\n".utf8)
        var parser = ServerSentEventParser()
        let events = parser.feed(Data(bytes[..<16])) + parser.feed(Data(bytes[16...]))
        #expect(events == [ServerSentEvent(data: "Alzheimer’s — ok")])
    }

    @Test func llamaCppErrorLineBecomesErrorEvent() {
        var parser = ServerSentEventParser()
        #expect(parser.feed(Data("error: {\"error\":{}}\n\n".utf8)) == [ServerSentEvent(event: "error", data: #"{"error":{}}"#)])
    }
}
