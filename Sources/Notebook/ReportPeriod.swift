import Query
import Store

/// The days a `report weekly` or `report monthly` covers, in UTC: whole days, so a report for
/// a given store and end day is the same every time it is made (docs/reports.md).
///
/// A weekly period is the seven days ending with the end day; a monthly one is the calendar
/// month holding the end day, from its first day through the end day (month to date when the
/// end day is not the month's last). The period before a weekly one is the seven days before
/// it; before a monthly one, the whole previous calendar month.
public struct ReportPeriod: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case weekly, monthly
    }

    public var kind: Kind
    /// Days since 1970-01-01: the first day, and the day after the last.
    public var startDay: Int64
    public var endDay: Int64

    public static let dayNs: Int64 = 86_400_000_000_000

    public init(kind: Kind, startDay: Int64, endDay: Int64) {
        precondition(startDay < endDay, "a period holds at least one day")
        self.kind = kind
        self.startDay = startDay
        self.endDay = endDay
    }

    /// The period of `kind` whose last day is `lastDay`.
    public static func ending(_ kind: Kind, lastDay: Int64) -> ReportPeriod {
        switch kind {
        case .weekly: return ReportPeriod(kind: kind, startDay: lastDay - 6, endDay: lastDay + 1)
        case .monthly: return ReportPeriod(kind: kind, startDay: firstOfMonth(lastDay), endDay: lastDay + 1)
        }
    }

    /// The period just before this one: the previous seven days, or the previous calendar month.
    public var previous: ReportPeriod {
        switch kind {
        case .weekly: return ReportPeriod(kind: kind, startDay: startDay - 7, endDay: startDay)
        case .monthly: return ReportPeriod(kind: kind, startDay: Self.firstOfMonth(startDay - 1), endDay: startDay)
        }
    }

    public var startNs: Int64 { startDay * Self.dayNs }
    public var endNs: Int64 { endDay * Self.dayNs }
    public var days: Int { Int(endDay - startDay) }

    public func contains(_ ns: Int64) -> Bool { ns >= startNs && ns < endNs }

    /// The first and the last day: `2026-11-05 … 2026-11-11`.
    public var label: String { "\(Self.date(startDay)) … \(Self.date(endDay - 1))" }

    /// The period as a `where` expression over `traces`, for the slices of `drift` and `changes`.
    public var condition: QuerySource {
        QuerySource(text: "ts >= \"\(Self.date(startDay))\" and ts < \"\(Self.date(endDay))\"")
    }

    /// The period's traffic within `scope` (a `where` expression): `ts >= "…" and ts < "…" and
    /// replay_of is null and (SCOPE)`, keeping the scope's file and line for errors. Replays
    /// (`replay … using`, `gate … using`) are left out: they are dated when they ran, and are
    /// no one's traffic.
    public func slice(_ scope: QuerySource?) -> QuerySource {
        let traffic = condition.text + " and replay_of is null"
        guard let scope, !scope.text.trimmingCharacters(in: .whitespaces).isEmpty else { return QuerySource(text: traffic) }
        return QuerySource(name: scope.name, text: traffic + " and (" + scope.text + ")", firstLine: scope.firstLine)
    }

    /// `2026-11-05`.
    public static func date(_ day: Int64) -> String {
        let (y, m, d) = Timestamp.civil(fromDays: day)
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
    }

    /// The day of a Unix-nanosecond time (UTC).
    public static func day(ofNs ns: Int64) -> Int64 {
        ns >= 0 ? ns / dayNs : (ns - dayNs + 1) / dayNs
    }

    /// The day a `YYYY-MM-DD` (or full timestamp) text falls on; nil if it is no date.
    public static func day(of text: String) -> Int64? {
        Timestamp.parse(text).map(day(ofNs:))
    }

    static func firstOfMonth(_ day: Int64) -> Int64 {
        let (y, m, _) = Timestamp.civil(fromDays: day)
        return Timestamp.days(fromCivil: y, m, 1)
    }

    private static func pad(_ n: Int64, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
