import Foundation

/// Builds the demo corpus in memory: traffic, users, and the spans of each trace.
///
/// Each trace draws from its own generator, seeded from the main stream, and draws its ids and
/// outcome dice first in a fixed order; so a change to one trace's story (a longer answer, say)
/// never shifts the randomness of the traces after it, and the incident touches only the
/// outcomes it is about.
struct DemoGenerator {
    /// The incident's strength: refund refusals under prompt v2.
    static let incidentRefusalRate = 0.20
    static let incidentIntent = "refund"

    let timeline: DemoTimeline
    let traces: Int
    private var main: SeededRandom
    private let orders: [String]
    private let users: [String]
    private let userCumulative: [Double]
    private let intentCumulative: [Double]
    /// Each answer sentence as the newer model words it, computed once (string replacement is slow).
    private let reworded: [String: String]

    /// What the generator tallies while writing, for the truth.
    struct Tally {
        var traces = 0
        var spans = 0
        var byKind: [String: Int] = [:]
        /// Refund traces with a final answer, and how many were refusals, per prompt version.
        var refundAnswers: [String: Int] = [:]
        var refundRefusals: [String: Int] = [:]
    }

    init(timeline: DemoTimeline, traces: Int, seed: UInt64) {
        self.timeline = timeline
        self.traces = traces
        var rng = SeededRandom(seed: seed)
        orders = (0..<60).map { _ in "A" + String(1_000_000 + rng.below(9_000_000)) }
        // A production user base where a few people write a lot, as in real support traffic.
        users = (1...1500).map { "u-" + String(10_000_000 + $0 * 7_919 % 1_000_000).dropFirst() }
        var acc = 0.0
        userCumulative = (0..<1500).map { i in
            acc += 1 / pow(Double(i) + 20, 0.9)
            return acc
        }
        var intentAcc = 0.0
        intentCumulative = DemoCatalog.intents.map { intent in
            intentAcc += intent.share
            return intentAcc
        }
        var reworded: [String: String] = [:]
        for sentence in DemoCatalog.intents.flatMap(\.answers) {
            reworded[sentence] = sentence.replacing("within", with: "in").replacing("You can", with: "You're able to")
        }
        self.reworded = reworded
        main = rng
    }

    /// Writes every trace to `out` (native JSON lines, by start time) and returns the tally.
    mutating func generate(into out: inout String) -> Tally {
        var tally = Tally()
        for start in startTimes() {
            let traceSeed = main.next()
            var r = SeededRandom(seed: traceSeed)
            let spans = trace(at: start, random: &r, tally: &tally)
            for span in spans {
                span.write(into: &out)
                tally.spans += 1
                tally.byKind[span.kind, default: 0] += 1
            }
            tally.traces += 1
        }
        return tally
    }

    // MARK: - Traffic

    /// Exactly `traces` start times, increasing, following a diurnal and weekly curve.
    ///
    /// Peak at 15:00 UTC with a trough of about a quarter of it, weekends at 72%, 2% growth a
    /// day and ±6% day-to-day noise: the bench README's traffic, so `bin(ts, 1h)` charts look
    /// like real support load.
    private mutating func startTimes() -> [Int64] {
        let minutes = Int((timeline.end - timeline.start) / DemoTime.microsPerMinute)
        var dayNoise: [Double] = []
        var weights = [Double](repeating: 0, count: minutes)
        for i in 0..<minutes {
            let time = timeline.start + Int64(i) * DemoTime.microsPerMinute
            let day = Int((time - timeline.start) / DemoTime.microsPerDay)
            while dayNoise.count <= day { dayNoise.append(exp(main.normal(0, 0.06))) }
            let hourOfDay = Double((time / DemoTime.microsPerMinute) % 1440) / 60
            let diurnal = 0.25 + 0.75 * pow(0.5 + 0.5 * cos((hourOfDay - 15) / 24 * 2 * Double.pi), 1.5)
            let weekend = DemoTime.weekday(days: time / DemoTime.microsPerDay) >= 5 ? 0.72 : 1.0
            let growth = 1 + 0.02 * Double(time - timeline.start) / Double(DemoTime.microsPerDay)
            weights[i] = diurnal * dayNoise[day] * weekend * growth
        }
        let total = weights.reduce(0, +)
        var times: [Int64] = []
        times.reserveCapacity(traces)
        var acc = 0.0
        var placed = 0
        for (i, weight) in weights.enumerated() {
            acc += weight
            let upTo = i == minutes - 1 ? traces : Int((Double(traces) * acc / total).rounded())
            let count = upTo - placed
            guard count > 0 else { continue }
            placed = upTo
            let base = timeline.start + Int64(i) * DemoTime.microsPerMinute
            let offsets = (0..<count).map { _ in Int64(main.below(Int(DemoTime.microsPerMinute))) }.sorted()
            times.append(contentsOf: offsets.map { base + $0 })
        }
        return times
    }

    // MARK: - One trace

    /// The spans of one trace, children first in the order they ended, the root last.
    private func trace(at start: Int64, random r: inout SeededRandom, tally: inout Tally) -> [SpanLine] {
        // Ids and outcome dice first, in a fixed order (see the type's comment).
        let traceID = Hex.id(r.next()) + Hex.id(r.next())
        let rootID = Hex.id(r.next())
        let retrievalID = Hex.id(r.next())
        let toolIDs = [Hex.id(r.next()), Hex.id(r.next())]
        let failedCallID = Hex.id(r.next())
        let answerID = Hex.id(r.next())
        let uRefuse = r.unit(), uFilter = r.unit(), uDontKnow = r.unit(), uProvider = r.unit(), uRetry = r.unit()
        let uSafety = r.unit(), uFeedback = r.unit(), uFeedbackValue = r.unit()
        let uTool = [r.unit(), r.unit()], uToolKind = [r.unit(), r.unit()]

        // Who asks, and what.
        let staging = r.chance(0.015)
        let user: String
        let audience: Audience
        if staging {
            user = "qa-bot-" + String(1 + r.below(4))
            audience = .staging
        } else {
            user = users[pickCumulative(userCumulative, &r)]
            audience = Hex.hash(user, width: 4).hexValue % 1000 < 65 ? .canary : .control
        }
        let intent = DemoCatalog.intents[pickCumulative(intentCumulative, &r)]
        let slots = drawSlots(&r)
        let question = vary(fill(r.pick(intent.questions), slots), &r)
        let versions = timeline.resolve(at: start, for: audience)
        let model = versions.model

        var spans: [SpanLine] = []
        var cursor = start + Int64(r.uniform(3_000, 25_000))

        // Retrieval from the help-center index.
        var contextTokens = 0
        var topScore: Double?
        if intent.usesRetrieval {
            let duration = Int64(r.logNormal(median: 55_000, sigma: 0.35))
            let hard = r.chance(0.03)
            let top = min(0.99, max(0.05, hard ? r.normal(0.42, 0.08) : r.normal(0.81, 0.065)))
            var scores = [round4(top)]
            var s = top
            for _ in 0..<4 {
                s -= abs(r.normal(0.045, 0.03))
                scores.append(round4(max(0, s)))
            }
            let returned = scores.filter { $0 >= 0.35 }.count
            contextTokens = returned * r.int(140, 220)
            let intentOffset = (DemoCatalog.intents.firstIndex { $0.name == intent.name } ?? 0) * 500
            let documents = (0..<returned).map { _ in "doc-" + String(1000 + intentOffset + r.below(500)) }
            topScore = top
            spans.append(SpanLine(
                traceID: traceID, spanID: retrievalID, parentSpanID: rootID, kind: "retrieval",
                name: "retrieve \(DemoCatalog.indexName)", start: cursor, end: cursor + duration, statusMessage: nil,
                attributes: [
                    ("app.retrieval.index", .string(DemoCatalog.indexName)),
                    ("app.retrieval.index_version", .string(versions.indexVersion)),
                    ("app.retrieval.top_k", .int(5)),
                    ("app.retrieval.scores", .doubles(scores)),
                    ("app.retrieval.returned", .int(returned)),
                    ("app.retrieval.document_ids", .strings(documents)),
                ]))
            cursor += duration + Int64(r.uniform(500, 3_000))
        }

        // Tools, one after the other.
        var toolTokens = 0
        var toolFailed = false
        for (j, toolName) in intent.tools.enumerated() {
            guard let tool = DemoCatalog.tools[toolName] else { continue }
            let version = toolName == "order_lookup" ? versions.orderLookupVersion : tool.version
            // order_lookup 2.0.0 talks to a faster backend: a benign drift.
            let median = tool.medianMillis * (version == "2.0.0" ? 0.85 : 1.0) * 1_000
            let failed = uTool[j] < tool.errorRate
            var duration = Int64(r.logNormal(median: median, sigma: 0.45))
            var attributes: [(String, AttributeValue)] = [
                ("gen_ai.operation.name", .string("execute_tool")),
                ("gen_ai.tool.name", .string(toolName)),
                ("gen_ai.tool.type", .string("function")),
                ("gen_ai.tool.call.id", .string("call_" + Hex.id(r.next(), width: 12))),
                ("app.tool.version", .string(version)),
            ]
            var message: String?
            if failed {
                toolFailed = true
                if uToolKind[j] < 0.5 {
                    attributes.append(("error.type", .string("TimeoutError")))
                    message = "\(toolName) timed out after 3000 ms"
                    duration = 3_000_000 + Int64(r.uniform(0, 20_000))
                } else {
                    attributes.append(("error.type", .string("HTTPError")))
                    message = "upstream returned 503"
                    duration = Int64(r.logNormal(median: median * 0.6, sigma: 0.3))
                }
            } else {
                toolTokens += r.int(60, 160)
            }
            spans.append(SpanLine(traceID: traceID, spanID: toolIDs[j], parentSpanID: rootID, kind: "tool",
                                  name: "execute_tool \(toolName)", start: cursor, end: cursor + duration,
                                  statusMessage: message, attributes: attributes))
            cursor += duration + Int64(r.uniform(200, 1_200))
        }

        // The answer call, with an occasional provider error and one retry.
        let history = r.chance(0.3) ? Int(r.logNormal(median: 260, sigma: 0.6)) : 0
        let inputTokens = DemoCatalog.systemPromptTokens(versions.promptVersion) + history + contextTokens + toolTokens
            + max(3, question.count / 4)
        let promptHash = Hex.hash(DemoCatalog.promptID + ":" + DemoCatalog.promptTemplate(versions.promptVersion))
        var refusalRate = intent.baselineRefusal
        if intent.name == Self.incidentIntent && versions.promptVersion == timeline.prompt.to {
            refusalRate = Self.incidentRefusalRate
        }
        let refused = uRefuse < refusalRate
        var httpStatus = 200
        var answered = true
        if uProvider < 0.008 {
            let code = ["429", "429", "429", "500", "503"][r.below(5)]
            let duration = Int64(code == "503" ? r.uniform(2_000_000, 10_000_000) : r.uniform(80_000, 900_000))
            let message = code == "429" ? "Rate limit reached for requests"
                : code == "500" ? "The server had an error while processing your request" : "The engine is currently overloaded"
            var attributes = requestAttributes(model: model, promptVersion: versions.promptVersion, promptHash: promptHash, question: question)
            attributes.append(("error.type", .string(code)))
            spans.append(SpanLine(traceID: traceID, spanID: failedCallID, parentSpanID: rootID, kind: "llm",
                                  name: "chat \(model.alias)", start: cursor, end: cursor + duration,
                                  statusMessage: message, attributes: attributes))
            cursor += duration + Int64(r.uniform(50_000, 250_000))
            if uRetry >= 0.7 {
                answered = false
                httpStatus = code == "500" ? 502 : 503
            }
        }

        var dontKnow = false
        if answered {
            var output: String
            var finish = "stop"
            if refused {
                if uFilter < 0.3 {
                    output = ""
                    finish = "content_filter"
                } else if intent.name == Self.incidentIntent && versions.promptVersion == timeline.prompt.to {
                    output = r.pick(DemoCatalog.refundRefusals)
                } else {
                    output = r.pick(DemoCatalog.refusals)
                }
            } else if let top = topScore, uDontKnow < (top >= 0.7 ? 0.015 : top >= 0.55 ? 0.1 : 0.5) {
                dontKnow = true
                output = r.pick(DemoCatalog.dontKnow)
            } else if toolFailed {
                output = DemoCatalog.toolTrouble
            } else {
                output = answer(intent: intent, slots: slots, promptVersion: versions.promptVersion, model: model, random: &r)
            }
            let outputTokens = finish == "content_filter" ? 0 : output.count / 4 + r.int(1, 6)
            let duration = llmLatency(model: model, inputTokens: inputTokens, outputTokens: outputTokens, random: &r)
            let cost = (Double(inputTokens) * model.dollarsPerMillionIn + Double(outputTokens) * model.dollarsPerMillionOut) / 1_000_000
            let flagged = uSafety < (refused ? 0.15 : 0.004)
            var attributes = requestAttributes(model: model, promptVersion: versions.promptVersion, promptHash: promptHash, question: question)
            attributes += [
                ("gen_ai.response.model", .string(model.name)),
                ("gen_ai.response.id", .string("chatcmpl-" + Hex.id(r.next()) + Hex.id(r.next(), width: 8))),
                ("gen_ai.response.finish_reasons", .strings([finish])),
                ("gen_ai.usage.input_tokens", .int(inputTokens)),
                ("gen_ai.usage.output_tokens", .int(outputTokens)),
                ("app.cost_usd", .double((cost * 1e7).rounded() / 1e7)),
                ("output.value", .string(output)),
                ("app.safety.flagged", .bool(flagged)),
            ]
            if flagged {
                attributes.append(("app.safety.categories", .strings([r.pick(["harassment", "privacy", "violence"])])))
            }
            spans.append(SpanLine(traceID: traceID, spanID: answerID, parentSpanID: rootID, kind: "llm",
                                  name: "chat \(model.alias)", start: cursor, end: cursor + duration,
                                  statusMessage: nil, attributes: attributes))
            cursor += duration
            if intent.name == Self.incidentIntent {
                tally.refundAnswers[versions.promptVersion, default: 0] += 1
                if refused { tally.refundRefusals[versions.promptVersion, default: 0] += 1 }
            }
        }
        let end = cursor + Int64(r.uniform(2_000, 12_000))

        // The root, last: exporters write a span when it ends.
        let configHash = Hex.hash([versions.promptVersion, model.name, versions.indexVersion, versions.orderLookupVersion].joined(separator: "|"))
        var rootAttributes: [(String, AttributeValue)] = [
            ("service.name", .string(DemoCatalog.service)),
            ("service.version", .string(versions.release)),
            ("app.release", .string(versions.release)),
            ("deployment.environment.name", .string(staging ? "staging" : "production")),
            ("app.cohort", .string(audience == .canary ? "canary" : "control")),
            ("app.intent", .string(intent.name)),
            ("app.config.hash", .string(configHash)),
            ("user.id", .string(user)),
            ("session.id", .string("s-" + Hex.hash(user + String(start / (DemoTime.microsPerHour / 2)), width: 10))),
            ("http.request.method", .string("POST")),
            ("http.route", .string("/v1/chat")),
            ("http.response.status_code", .int(httpStatus)),
        ]
        if answered && uFeedback < 0.05 {
            let bad = refused || dontKnow || toolFailed
            rootAttributes.append(("app.feedback.score", .int(uFeedbackValue < (bad ? 0.75 : 0.12) ? -1 : 1)))
        }
        spans.append(SpanLine(traceID: traceID, spanID: rootID, parentSpanID: nil, kind: "root", name: "POST /v1/chat",
                              start: start, end: end,
                              statusMessage: httpStatus == 200 ? nil : "upstream model provider failed (\(httpStatus))",
                              attributes: rootAttributes))
        return spans
    }

    /// The attributes every answer call has, whether or not it succeeded.
    private func requestAttributes(model: DemoCatalog.Model, promptVersion: String, promptHash: String,
                                   question: String) -> [(String, AttributeValue)] {
        [
            ("gen_ai.operation.name", .string("chat")),
            ("gen_ai.provider.name", .string(model.provider)),
            ("gen_ai.request.model", .string(model.alias)),
            ("gen_ai.request.temperature", .double(0.2)),
            ("gen_ai.request.max_tokens", .int(1024)),
            ("app.prompt.id", .string(DemoCatalog.promptID)),
            ("app.prompt.version", .string(promptVersion)),
            ("app.prompt.hash", .string(promptHash)),
            ("input.value", .string(question)),
        ]
    }

    /// Microseconds for a call: (first token + prefill + decode) × log-normal noise, with a 1% heavy tail.
    private func llmLatency(model: DemoCatalog.Model, inputTokens: Int, outputTokens: Int, random r: inout SeededRandom) -> Int64 {
        let base = model.firstTokenMillis + model.prefillMillisPerToken * Double(inputTokens)
            + model.decodeMillisPerToken * Double(outputTokens)
        var millis = base * exp(r.normal(0, 0.30))
        if r.chance(0.01) { millis *= r.uniform(2, 4) }
        return Int64(millis * 1_000)
    }

    // MARK: - Text

    /// Every slot a template may use, drawn up front so that the answer can repeat the question's facts.
    private func drawSlots(_ r: inout SeededRandom) -> [String: String] {
        [
            "order": r.chance(0.75) ? r.pick(orders) : "A" + String(1_000_000 + r.below(9_000_000)),
            "product": r.pick(DemoCatalog.products),
            "product2": r.pick(DemoCatalog.products),
            "device": r.pick(DemoCatalog.devices),
            "defect": r.pick(DemoCatalog.defects),
            "country": r.pick(DemoCatalog.countries),
            "category": r.pick(DemoCatalog.categories),
            "platform": r.pick(DemoCatalog.platforms),
            "amount": r.pick(DemoCatalog.amounts),
            "errcode": r.pick(DemoCatalog.errorCodes),
        ]
    }

    /// Replaces each `{slot}` of a template with its value; unknown slots stay as written.
    private func fill(_ template: String, _ slots: [String: String]) -> String {
        guard template.utf8.contains(UInt8(ascii: "{")) else { return template }
        var text = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            text += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            text += slots[name] ?? "{\(name)}"
            rest = rest[rest.index(after: close)...]
        }
        text += rest
        return text
    }

    /// People type carelessly: the same request recurs in lower case, without its final
    /// punctuation, or with stray spaces, which is what the input fingerprint must see through.
    private func vary(_ text: String, _ r: inout SeededRandom) -> String {
        let u = r.unit()
        if u < 0.06 { return text.lowercased() }
        if u < 0.09 {
            var trimmed = text
            while let last = trimmed.last, "?.!".contains(last) { trimmed.removeLast() }
            return trimmed
        }
        if u < 0.11 {
            guard let space = text.firstIndex(of: " ") else { return "  " + text }
            return "  " + text.replacingCharacters(in: space...space, with: "  ")
        }
        return text
    }

    /// A templated answer: a run of the intent's sentences, worded by the model and framed by the prompt.
    private func answer(intent: DemoCatalog.Intent, slots: [String: String], promptVersion: String,
                        model: DemoCatalog.Model, random r: inout SeededRandom) -> String {
        let pool = intent.answers
        let count = max(1, min(pool.count, Int(r.logNormal(median: intent.sentences, sigma: 0.45).rounded())))
        let first = r.below(pool.count)
        // The new model words things a little differently.
        let newModel = model.name == DemoCatalog.modelAfter.name
        var text = fill((0..<count).map { index in
            let sentence = pool[(first + index) % pool.count]
            return newModel ? reworded[sentence] ?? sentence : sentence
        }.joined(separator: " "), slots)
        if promptVersion == "v2" {
            text = r.pick(DemoCatalog.v2Openers) + text + r.pick(DemoCatalog.v2Closers)
        }
        return text
    }

    private func pickCumulative(_ cumulative: [Double], _ r: inout SeededRandom) -> Int {
        let target = r.unit() * (cumulative.last ?? 0)
        var low = 0, high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] > target { high = mid } else { low = mid + 1 }
        }
        return low
    }

    private func round4(_ x: Double) -> Double {
        (x * 10_000).rounded() / 10_000
    }
}

private extension String {
    /// The value of a short lower-case hex string (0 if it is not one).
    var hexValue: Int { Int(self, radix: 16) ?? 0 }
}
