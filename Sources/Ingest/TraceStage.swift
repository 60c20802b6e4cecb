import Store

/// The middle stage of a load: groups the parsed spans into traces and summarises them on a
/// thread of its own, passing every item on to the writer in order.
///
/// With parsing on one thread and SQLite on another, summarising on either left the other
/// idle part of the time; three stages let the scheduler keep both cores busy.
final class TraceStage: @unchecked Sendable {
    private let input: BatchQueue<Loader.Item>
    private let output: BatchQueue<Loader.Item>
    private let assembler: TraceAssembler

    init(input: BatchQueue<Loader.Item>, output: BatchQueue<Loader.Item>, summarizer: TraceSummarizer) {
        self.input = input
        self.output = output
        assembler = TraceAssembler(summarizer: summarizer)
    }

    func run() {
        defer { output.close() }
        while let item = input.take() {
            var forward: [Loader.Item] = []
            switch item {
            case .spans(let spans):
                var traces: [TraceRecord] = []
                for span in spans { traces += assembler.add(StoredSpan(span)) }
                forward = [item]
                if !traces.isEmpty { forward.append(.traces(traces)) }
            case .finished(let lines, let format, let digest, _):
                let traces = assembler.closeAll()
                if !traces.isEmpty { forward.append(.traces(traces)) }
                let late = assembler.takeLate()
                if !late.isEmpty { forward.append(.late(late)) }
                forward.append(.finished(lines: lines, format: format, digest: digest, traces: assembler.distinctTraces))
            default:
                forward = [item]
            }
            let late = assembler.takeLate()
            if !late.isEmpty { forward.append(.late(late)) }
            for next in forward where !output.put(next) {
                // The writer gave up: stop the parser too.
                input.cancel()
                return
            }
        }
    }
}
