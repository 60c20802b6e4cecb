/// Who a request is served as, for the purpose of staged rollouts.
enum Audience: Equatable {
    case staging
    case canary
    case control
}

/// One versioned change of the demo app, reaching staging, then canary, then everyone.
struct DemoChange {
    var dimension: String
    var component: String
    var from: String
    var to: String
    /// Microseconds since the epoch when each audience starts to see `to`.
    var staging: Int64
    var canary: Int64
    var everyone: Int64
    /// The release that ships it, or nil for changes outside the deploy (index rebuilds).
    var release: String?

    func isLive(at time: Int64, for audience: Audience) -> Bool {
        switch audience {
        case .staging: return time >= staging
        case .canary: return time >= canary
        case .control: return time >= everyone
        }
    }
}

/// The versions in force at one instant for one audience.
struct ResolvedVersions {
    var promptVersion: String
    var model: DemoCatalog.Model
    var indexVersion: String
    var orderLookupVersion: String
    var release: String
}

/// The demo's fortnight of changes, laid out from the window start.
///
/// The schedule mirrors the bench README's timeline (prompt, then model, then tool, each staged;
/// an index rebuild all at once) so that the demo teaches the same reading of `versions` output
/// that the benchmark corpus tests. Deploys happen in working hours, as they would.
struct DemoTimeline {
    let start: Int64
    let end: Int64
    let baseRelease: String
    let index: DemoChange
    let prompt: DemoChange
    let model: DemoChange
    let tool: DemoChange

    init(start: Int64, days: Int) {
        self.start = start
        self.end = start + Int64(days) * DemoTime.microsPerDay
        func at(_ day: Int, _ hour: Int) -> Int64 {
            start + Int64(day) * DemoTime.microsPerDay + Int64(hour) * DemoTime.microsPerHour
        }
        func release(_ time: Int64) -> String { DemoTime.dottedDate(micros: time) + ".1" }
        baseRelease = release(at(-2, 0))
        let rebuild = at(3, 3)
        index = DemoChange(dimension: "index_version", component: DemoCatalog.indexName,
                           from: "kb-" + DemoTime.compactDate(micros: at(-6, 0)), to: "kb-" + DemoTime.compactDate(micros: rebuild),
                           staging: rebuild, canary: rebuild, everyone: rebuild, release: nil)
        prompt = DemoChange(dimension: "prompt_version", component: DemoCatalog.promptID, from: "v1", to: "v2",
                            staging: at(3, 16), canary: at(5, 10), everyone: at(6, 14), release: release(at(3, 16)))
        model = DemoChange(dimension: "model", component: "answer model",
                           from: DemoCatalog.modelBefore.name, to: DemoCatalog.modelAfter.name,
                           staging: at(6, 15), canary: at(8, 10), everyone: at(9, 13), release: release(at(6, 15)))
        tool = DemoChange(dimension: "tool_version", component: "order_lookup", from: "1.4.2", to: "2.0.0",
                          staging: at(10, 15), canary: at(12, 10), everyone: at(13, 9), release: release(at(10, 15)))
    }

    /// Every change, in the order they reached staging.
    var changes: [DemoChange] { [index, prompt, model, tool] }

    func resolve(at time: Int64, for audience: Audience) -> ResolvedVersions {
        var release = baseRelease
        for change in [prompt, model, tool] where change.isLive(at: time, for: audience) {
            if let shipped = change.release { release = shipped }
        }
        return ResolvedVersions(
            promptVersion: prompt.isLive(at: time, for: audience) ? prompt.to : prompt.from,
            model: model.isLive(at: time, for: audience) ? DemoCatalog.modelAfter : DemoCatalog.modelBefore,
            indexVersion: index.isLive(at: time, for: audience) ? index.to : index.from,
            orderLookupVersion: tool.isLive(at: time, for: audience) ? tool.to : tool.from,
            release: release)
    }
}
