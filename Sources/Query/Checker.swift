import Store

/// Resolves a parsed query against the catalog: source and column names (with "did you mean"),
/// expression types, functions, saved queries and their parameters. Every mistake it finds
/// carries the range of the text that caused it.
struct Checker {
    let catalog: Catalog
    let library: SavedQueryLibrary?
    /// The text being checked (a saved query's file while its stages are checked).
    var source: QuerySource
    var bindings: [String: (TypedLiteral, ValueType)] = [:]
    var scope: [OutputColumn] = []
    var stages: [CheckedStage] = []
    var chart: String??
    var base: CatalogSource?
    var expressionCounter = 0

    static func check(_ query: Query, source: QuerySource, catalog: Catalog,
                      library: SavedQueryLibrary?) throws(QueryError) -> CheckedQuery {
        var checker = Checker(catalog: catalog, library: library, source: source)
        if let p = query.parameters.first(where: { $0.defaultValue == nil }) {
            throw QueryError(source, p.range, "parameter `\(p.name)` has no value",
                             hint: "typed queries have no parameters; give it a default (`param \(p.name) = …`) or save the query in queries/")
        }
        for p in query.parameters {
            if let value = p.defaultValue { checker.bindings[p.name] = try checker.literalValue(value) }
        }
        try checker.checkPipeline(query.pipeline, depth: 0)
        guard let base = checker.base else {
            throw QueryError(source, query.pipeline.source.range, "internal error: no source resolved")
        }
        return CheckedQuery(source: base, stages: checker.stages, columns: checker.scope, chart: checker.chart)
    }

    // MARK: - pipeline and stages

    mutating func checkPipeline(_ pipeline: Pipeline, depth: Int) throws(QueryError) {
        let reference = pipeline.source
        if let table = catalog.source(reference.name) {
            if let argument = reference.arguments.first {
                throw QueryError(source, argument.range, "`\(reference.name)` takes no parameters")
            }
            base = table
            scope = table.columns.map { OutputColumn(name: $0.name, type: $0.type) }
        } else if let library, let saved = try library.find(reference.name, from: source, range: reference.range) {
            guard depth < 8 else {
                throw QueryError(source, reference.range, "saved queries refer to each other in a loop (through `\(reference.name)`)")
            }
            var savedBindings: [String: (TypedLiteral, ValueType)] = [:]
            for argument in reference.arguments where !saved.query.parameters.contains(where: { $0.name == argument.name }) {
                let names = saved.query.parameters.map(\.name)
                let hint = Suggest.closest(to: argument.name, in: names).map { "did you mean `\($0)`?" }
                    ?? (names.isEmpty ? "it takes none" : "its parameters: \(names.joined(separator: ", "))")
                throw QueryError(source, argument.range, "`\(reference.name)` has no parameter `\(argument.name)`", hint: hint)
            }
            for parameter in saved.query.parameters {
                if let argument = reference.arguments.last(where: { $0.name == parameter.name }) {
                    savedBindings[parameter.name] = try literalValue(argument.value)
                } else if let value = parameter.defaultValue {
                    let outer = source
                    source = saved.source
                    savedBindings[parameter.name] = try literalValue(value)
                    source = outer
                } else {
                    throw QueryError(source, reference.range, "`\(reference.name)` needs a value for `\(parameter.name)`",
                                     hint: "e.g. \(reference.name)(\(parameter.name) = …)")
                }
            }
            let outerSource = source, outerBindings = bindings
            source = saved.source
            bindings = savedBindings
            try checkPipeline(saved.query.pipeline, depth: depth + 1)
            source = outerSource
            bindings = outerBindings
        } else {
            let names = catalog.sources.map(\.name) + ((try? library?.names()) ?? [])
            let hint = Suggest.closest(to: reference.name, in: names).map { "did you mean `\($0)`?" }
                ?? "sources: \(catalog.sources.map(\.name).joined(separator: ", ")), or a saved query (`queries`)"
            throw QueryError(source, reference.range, "unknown source `\(reference.name)`", hint: hint)
        }
        for stage in pipeline.stages {
            try checkStage(stage)
        }
    }

    mutating func checkStage(_ stage: Stage) throws(QueryError) {
        if chart != nil {
            throw QueryError(source, stage.range, "`chart` must be the last stage")
        }
        switch stage.kind {
        case .where(let e):
            let typed = try check(e)
            try requireBoolean(typed, e, stage: "where")
            stages.append(.filter(typed))
        case .select(let projections):
            let named = try name(projections, allowAggregates: false)
            stages.append(.project(named, distinct: false))
            scope = named.map { OutputColumn(name: $0.name, type: $0.expression.type) }
        case .distinct(let projections):
            let named = try name(projections, allowAggregates: false)
            stages.append(.project(named, distinct: true))
            scope = named.map { OutputColumn(name: $0.name, type: $0.expression.type) }
        case .extend(let projections):
            var columns = scope.map { NamedExpression(name: $0.name, expression: .column($0.name, $0.type)) }
            for p in projections {
                let typed = try check(p.expression)
                let name = p.alias ?? derivedName(p.expression)
                if let i = columns.firstIndex(where: { $0.name == name }) {
                    columns[i].expression = typed
                } else {
                    columns.append(NamedExpression(name: name, expression: typed))
                }
            }
            stages.append(.project(columns, distinct: false))
            scope = columns.map { OutputColumn(name: $0.name, type: $0.expression.type) }
        case .stats(let aggregates, let by):
            let groups = try name(by, allowAggregates: false)
            var seen = Set(groups.map(\.name))
            var aggs: [NamedExpression] = []
            for p in aggregates {
                let typed = try check(p.expression, allowAggregates: true)
                guard typed.containsAggregate else {
                    throw QueryError(source, p.expression.range, "`stats` needs an aggregate here, such as `count()` or `avg(latency_ms)`",
                                     hint: "group by a value with `by`: `stats count() by model`")
                }
                try requireGrouped(p.expression)
                let name = try uniqueName(for: p, taken: seen)
                seen.insert(name)
                aggs.append(NamedExpression(name: name, expression: typed))
            }
            stages.append(.aggregate(groups: groups, aggregates: aggs))
            scope = (groups + aggs).map { OutputColumn(name: $0.name, type: $0.expression.type) }
        case .sort(let keys):
            stages.append(.sort(try sortKeys(keys, defaultDescending: false)))
        case .top(let count, let keys):
            stages.append(.sort(try sortKeys(keys, defaultDescending: true)))
            stages.append(.limit(try rowCount(count)))
        case .limit(let n):
            stages.append(.limit(try rowCount(n)))
        case .chart(let style):
            if let style {
                let styles = ["auto", "bar", "spark"]
                let normalized = ["sparkline": "spark", "line": "spark", "bars": "bar"][style.lowercased()] ?? style.lowercased()
                guard styles.contains(normalized) else {
                    let hint = Suggest.closest(to: style, in: styles).map { "did you mean `\($0)`?" } ?? "styles: bar, spark, auto"
                    throw QueryError(source, stage.range.lowerBound..<stage.range.upperBound, "unknown chart style `\(style)`", hint: hint)
                }
                chart = .some(normalized)
            } else {
                chart = .some(nil)
            }
        }
    }

    func rowCount(_ count: RowCount) throws(QueryError) -> Int64 {
        switch count {
        case .literal(let n): return n
        case .parameter(let name, let range):
            guard let (value, _) = bindings[name] else {
                throw QueryError(source, range, "unknown parameter `$\(name)`", hint: "declare it at the top: `param \(name) = 10`")
            }
            guard case .integer(let n) = value, n >= 0 else {
                throw QueryError(source, range, "`$\(name)` must be a whole number of rows here")
            }
            return n
        }
    }

    mutating func sortKeys(_ keys: [SortKey], defaultDescending: Bool) throws(QueryError) -> [(TypedExpression, descending: Bool)] {
        var out: [(TypedExpression, descending: Bool)] = []
        for key in keys {
            out.append((try check(key.expression), key.descending ?? defaultDescending))
        }
        return out
    }

    /// Names each projection (its alias, or one derived from the expression) and refuses duplicates.
    mutating func name(_ projections: [Projection], allowAggregates: Bool) throws(QueryError) -> [NamedExpression] {
        var out: [NamedExpression] = []
        for p in projections {
            let typed = try check(p.expression, allowAggregates: allowAggregates)
            out.append(NamedExpression(name: try uniqueName(for: p, taken: Set(out.map(\.name))), expression: typed))
        }
        return out
    }

    /// A projection's column name: its alias (which must be new), or a derived name made unique
    /// with `_2`, `_3` … (`count()`, `count()` → `count`, `count_2`).
    mutating func uniqueName(for p: Projection, taken: Set<String>) throws(QueryError) -> String {
        let name = p.alias ?? derivedName(p.expression)
        guard taken.contains(name) else { return name }
        if p.alias != nil { throw QueryError(source, p.aliasRange ?? p.expression.range, "column `\(name)` is named twice") }
        var n = 2
        while taken.contains("\(name)_\(n)") { n += 1 }
        return "\(name)_\(n)"
    }

    /// `latency_ms` → `latency_ms`; `avg(latency_ms)` → `avg_latency_ms`; `count()` → `count`;
    /// `bin(ts, 1h)` → `ts`; `p95(x)`/`percentile(x, 0.95)` → `p95_x`; anything else `exprN`.
    mutating func derivedName(_ e: Expression) -> String {
        switch e.kind {
        case .column(let name): return name
        case .attribute(let key): return key
        case .call(let f, let args):
            if f == "bin", let first = args.first, case .column(let c) = first.kind { return c }
            if args.isEmpty { return f }
            if case .column(let c) = args[0].kind {
                if f == "percentile", args.count == 2, case .literal(let q) = args[1].kind {
                    let v: Double? = { if case .real(let d) = q { return d }; if case .integer(let i) = q { return Double(i) }; return nil }()
                    if let v { return "p\(Self.percentLabel(v))_\(c)" }
                }
                return "\(f)_\(c)"
            }
            if case .attribute(let key) = args[0].kind { return "\(f)_\(key)" }
        default: break
        }
        expressionCounter += 1
        return "expr\(expressionCounter)"
    }

    static func percentLabel(_ q: Double) -> String {
        let p = q * 100
        return p == p.rounded() ? String(Int(p)) : String(p).replacingOccurrences(of: ".", with: "_")
    }

    func requireBoolean(_ typed: TypedExpression, _ e: Expression, stage: String) throws(QueryError) {
        guard typed.type.isBoolean else {
            let hint: String
            switch typed.type {
            case .integer, .real: hint = "compare it, e.g. `\(sourceText(e)) > 0`"
            case .text: hint = "compare it, e.g. `\(sourceText(e)) == \"…\"` or `\(sourceText(e)) contains \"…\"`"
            default: hint = "compare it with something"
            }
            throw QueryError(source, e.range, "`\(stage)` needs a true/false condition; this is \(typed.type.phrase)", hint: hint)
        }
    }

    /// In a `stats` aggregate, columns may only appear inside an aggregate function.
    func requireGrouped(_ e: Expression) throws(QueryError) {
        switch e.kind {
        case .column(let name):
            throw QueryError(source, e.range, "`\(name)` is neither inside an aggregate nor grouped",
                             hint: "aggregate it (`avg(\(name))`) or group by it (`by \(name)`)")
        case .attribute(let key):
            throw QueryError(source, e.range, "attribute `\(key)` is neither inside an aggregate nor grouped")
        case .call(let f, let args):
            if AggregateFunction(rawValue: f) != nil || f == "percentile" { return }
            for a in args { try requireGrouped(a) }
        case .unary(_, let a), .isNull(let a, _): try requireGrouped(a)
        case .binary(_, let a, let b): try requireGrouped(a); try requireGrouped(b)
        case .inList(let a, let items, _): try requireGrouped(a); for i in items { try requireGrouped(i) }
        case .between(let a, let b, let c, _): try requireGrouped(a); try requireGrouped(b); try requireGrouped(c)
        case .literal, .parameter, .last: return
        }
    }

    func sourceText(_ e: Expression) -> String {
        let bytes = Array(source.text.utf8)
        guard e.range.upperBound <= bytes.count else { return "…" }
        return String(decoding: bytes[e.range], as: UTF8.self)
    }

    // MARK: - expressions

    /// A parameter's value: a literal, possibly negative.
    func literalValue(_ e: Expression) throws(QueryError) -> (TypedLiteral, ValueType) {
        if case .literal(let l) = e.kind { return Self.typed(l) }
        throw QueryError(source, e.range, "a parameter's value must be a literal",
                         hint: "a string, a number, a duration, true, false or null")
    }

    static func typed(_ l: Literal) -> (TypedLiteral, ValueType) {
        switch l {
        case .null: return (.null, .null)
        case .bool(let b): return (.bool(b), .bool)
        case .integer(let i): return (.integer(i), .integer)
        case .real(let d): return (.real(d), .real)
        case .string(let s): return (.text(s), .text)
        case .duration(let d): return (.duration(d), .duration)
        }
    }

    func check(_ e: Expression, allowAggregates: Bool = false) throws(QueryError) -> TypedExpression {
        switch e.kind {
        case .column(let name):
            if let column = scope.first(where: { $0.name == name }) { return .column(column.name, column.type) }
            if let column = scope.first(where: { $0.name.lowercased() == name.lowercased() }) { return .column(column.name, column.type) }
            let names = scope.map(\.name)
            var hint = Suggest.closest(to: name, in: names).map { "did you mean `\($0)`?" }
            if hint == nil, base?.column(name) != nil {
                hint = "`\(name)` was dropped by an earlier stage; columns here: \(names.joined(separator: ", "))"
            }
            if hint == nil, AggregateFunction(rawValue: name.lowercased()) != nil || ScalarFunction(rawValue: name.lowercased()) != nil {
                hint = "`\(name)` is a function: `\(name)(…)`"
            }
            throw QueryError(source, e.range, "unknown column `\(name)`", hint: hint)
        case .attribute(let key):
            guard scope.contains(where: { $0.name == "attrs" }) else {
                let hint = base?.hasAttributes == true
                    ? "an earlier stage dropped `attrs`; read the attribute before `select`/`stats`"
                    : "attributes belong to spans: `spans | where attr.\"\(key)\" …`"
                throw QueryError(source, e.range, "no attributes here", hint: hint)
            }
            return .attribute(key)
        case .literal(let l):
            let (value, type) = Self.typed(l)
            return .literal(value, type)
        case .parameter(let name):
            guard let (value, type) = bindings[name] else {
                let hint = Suggest.closest(to: name, in: Array(bindings.keys)).map { "did you mean `$\($0)`?" }
                    ?? "declare it at the top: `param \(name) = …`"
                throw QueryError(source, e.range, "unknown parameter `$\(name)`", hint: hint)
            }
            return .literal(value, type)
        case .unary(.not, let operand):
            let typed = try check(operand, allowAggregates: allowAggregates)
            try requireBoolean(typed, operand, stage: "not")
            return .not(typed)
        case .unary(.negate, let operand):
            let typed = try check(operand, allowAggregates: allowAggregates)
            guard typed.type.isNumeric || typed.type == .duration else {
                throw QueryError(source, operand.range, "cannot negate \(typed.type.phrase)")
            }
            return .negate(typed, typed.type)
        case .binary(let op, let l, let r):
            return try checkBinary(op, l, r, e, allowAggregates: allowAggregates)
        case .inList(let value, let items, let negated):
            let typed = try check(value, allowAggregates: allowAggregates)
            var out: [TypedExpression] = []
            for item in items {
                out.append(try coerce(try check(item, allowAggregates: allowAggregates), item, toMatch: typed, value))
            }
            return .inList(typed, out, negated: negated)
        case .between(let value, let low, let high, let negated):
            let typed = try check(value, allowAggregates: allowAggregates)
            let lo = try coerce(try check(low, allowAggregates: allowAggregates), low, toMatch: typed, value)
            let hi = try coerce(try check(high, allowAggregates: allowAggregates), high, toMatch: typed, value)
            return .between(typed, lo, hi, negated: negated)
        case .isNull(let value, let negated):
            return .isNull(try check(value, allowAggregates: allowAggregates), negated: negated)
        case .last(let ns):
            guard let ts = scope.first(where: { $0.name == "ts" && $0.type == .time }) else {
                throw QueryError(source, e.range, "`last` needs a `ts` column", hint: "use it on traces or spans before `select`/`stats`")
            }
            return .last(.column(ts.name, .time), ns)
        case .call(let name, let args):
            if let aggregate = AggregateFunction(rawValue: name) {
                guard allowAggregates else {
                    throw QueryError(source, e.range, "aggregate `\(name)` outside `stats`",
                                     hint: "aggregates summarise groups: `| stats \(name)(…) by …`")
                }
                return try checkAggregate(aggregate, args, e)
            }
            if let function = ScalarFunction(rawValue: Self.scalarAliases[name] ?? name) {
                return try checkScalar(function, args, e, allowAggregates: allowAggregates)
            }
            let names = ScalarFunction.allCases.map(\.rawValue) + AggregateFunction.allCases.map(\.rawValue) + Array(Self.scalarAliases.keys)
            let hint = Suggest.closest(to: name, in: names).map { "did you mean `\($0)`?" }
            throw QueryError(source, e.range.lowerBound..<(e.range.lowerBound + name.utf8.count), "unknown function `\(name)`", hint: hint)
        }
    }

    static let scalarAliases = ["len": "length", "strlen": "length", "if": "iff", "substring": "substr",
                                "todouble": "tonumber", "toreal": "tonumber", "tolong": "toint", "log": "ln", "power": "pow"]

    func checkBinary(_ op: BinaryOperator, _ l: Expression, _ r: Expression, _ e: Expression,
                     allowAggregates: Bool) throws(QueryError) -> TypedExpression {
        var left = try check(l, allowAggregates: allowAggregates)
        var right = try check(r, allowAggregates: allowAggregates)
        switch op {
        case .and, .or:
            try requireBoolean(left, l, stage: op.rawValue)
            try requireBoolean(right, r, stage: op.rawValue)
            return .binary(op, left, right, .bool)
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            if case .literal(.null, _) = right {
                throw QueryError(source, r.range, "a comparison with null is never true",
                                 hint: op == .notEqual ? "write `\(sourceText(l)) is not null`" : "write `\(sourceText(l)) is null`")
            }
            if case .literal(.null, _) = left {
                throw QueryError(source, l.range, "a comparison with null is never true", hint: "write `… is null`")
            }
            right = try coerce(right, r, toMatch: left, l)
            left = try coerce(left, l, toMatch: right, r)
            return .binary(op, left, right, .bool)
        case .match, .notMatch, .contains, .notContains:
            guard left.type.isTextual else {
                throw QueryError(source, l.range, "`\(op.rawValue)` needs text on its left; this is \(left.type.phrase)",
                                 hint: "convert it with `tostring(…)`")
            }
            guard right.type.isTextual else {
                throw QueryError(source, r.range, "`\(op.rawValue)` needs text on its right; this is \(right.type.phrase)")
            }
            return .binary(op, left, right, .bool)
        case .add, .subtract, .multiply, .divide, .remainder:
            let lt = left.type, rt = right.type
            let result: ValueType?
            switch (lt, rt, op) {
            case (.time, .duration, .add), (.time, .duration, .subtract), (.duration, .time, .add): result = .time
            case (.time, .time, .subtract): result = .duration
            case (.duration, .duration, .add), (.duration, .duration, .subtract): result = .duration
            case (.duration, .duration, .divide): result = .real
            case (.duration, _, .multiply) where rt.isNumeric, (.duration, _, .divide) where rt.isNumeric: result = .duration
            case (_, .duration, .multiply) where lt.isNumeric: result = .duration
            case (.time, .text, .subtract), (.time, .text, .add):
                throw QueryError(source, r.range, "add or subtract a duration such as `1h` or `7d`")
            default:
                if lt.isNumeric, rt.isNumeric {
                    result = op == .divide ? .real : (lt == .integer && rt == .integer ? .integer : (lt == .any || rt == .any ? .any : .real))
                } else if (lt == .bool && rt.isNumeric) || (rt == .bool && lt.isNumeric) || (lt == .bool && rt == .bool) {
                    result = op == .divide ? .real : .integer
                } else {
                    result = nil
                }
            }
            guard let result else {
                let culprit = lt.isNumeric || lt == .time || lt == .duration ? (r, rt) : (l, lt)
                var hint: String?
                if culprit.1 == .duration || (lt == .duration || rt == .duration) {
                    hint = "durations go with times and durations; `latency_ms` is a number of milliseconds (e.g. `latency_ms > 2000`, or `millis(2s)`)"
                }
                throw QueryError(source, culprit.0.range, "cannot use `\(op.rawValue)` with \(lt.phrase) and \(rt.phrase)", hint: hint)
            }
            return .binary(op, left, right, result)
        }
    }

    /// Makes `value` comparable with `other`: a string literal compared with a time becomes that
    /// instant; otherwise the two types must agree.
    func coerce(_ value: TypedExpression, _ valueExpr: Expression, toMatch other: TypedExpression,
                _ otherExpr: Expression) throws(QueryError) -> TypedExpression {
        let a = value.type, b = other.type
        if b == .time, case .literal(.text(let s), _) = value {
            guard let ns = Timestamp.parse(s) else {
                throw QueryError(source, valueExpr.range, "`\(s)` is not a timestamp",
                                 hint: "write ISO 8601: \"2026-11-20\", \"2026-11-20T14:00:00Z\" or with an offset \"+02:00\"")
            }
            return .literal(.time(ns), .time)
        }
        if Self.comparable(a, b) { return value }
        var hint: String?
        if b == .duration || a == .duration {
            hint = "`latency_ms` and `duration_ms` are numbers of milliseconds: compare with a number (`> 2000`) or `millis(2s)`"
        } else if b == .time || a == .time {
            hint = "compare times with a timestamp such as \"2026-11-20\", or use `last 24h`"
        } else if a == .text || b == .text {
            hint = "quote text values, and convert with `tostring(…)` or `tonumber(…)`"
        }
        throw QueryError(source, valueExpr.range, "cannot compare \(b.phrase) `\(sourceText(otherExpr))` with \(a.phrase)", hint: hint)
    }

    static func comparable(_ a: ValueType, _ b: ValueType) -> Bool {
        if a == b || a == .any || b == .any || a == .null || b == .null { return true }
        let numeric: Set<ValueType> = [.integer, .real, .bool]
        return numeric.contains(a) && numeric.contains(b)
    }

    func arity(_ name: String, _ args: [Expression], _ e: Expression, _ counts: ClosedRange<Int>, usage: String) throws(QueryError) {
        guard counts.contains(args.count) else {
            throw QueryError(source, e.range, "`\(name)` takes \(counts.lowerBound == counts.upperBound ? "\(counts.lowerBound)" : "\(counts.lowerBound) to \(counts.upperBound)") argument\(counts.upperBound == 1 ? "" : "s"), not \(args.count)",
                             hint: "usage: \(usage)")
        }
    }

    func require(_ typed: TypedExpression, _ e: Expression, _ ok: Bool, _ function: String, _ wanted: String) throws(QueryError) {
        guard ok else {
            throw QueryError(source, e.range, "`\(function)` needs \(wanted) here; this is \(typed.type.phrase)")
        }
    }

    func checkScalar(_ f: ScalarFunction, _ args: [Expression], _ e: Expression,
                     allowAggregates: Bool) throws(QueryError) -> TypedExpression {
        var typed: [TypedExpression] = []
        for a in args { typed.append(try check(a, allowAggregates: allowAggregates)) }
        let name = f.rawValue
        func text(_ i: Int) throws(QueryError) { try require(typed[i], args[i], typed[i].type.isTextual, name, "text") }
        func number(_ i: Int) throws(QueryError) { try require(typed[i], args[i], typed[i].type.isNumeric || typed[i].type == .bool, name, "a number") }
        func time(_ i: Int) throws(QueryError) { try require(typed[i], args[i], typed[i].type == .time || typed[i].type == .any, name, "a time (such as `ts`)") }
        let result: ValueType
        switch f {
        case .lower, .upper, .trim:
            try arity(name, args, e, 1...1, usage: "\(name)(text)"); try text(0); result = .text
        case .length:
            try arity(name, args, e, 1...1, usage: "length(text)"); try text(0); result = .integer
        case .substr:
            try arity(name, args, e, 2...3, usage: "substr(text, start, [length]) — start counts from 1")
            try text(0); try number(1); if args.count == 3 { try number(2) }
            result = .text
        case .replace:
            try arity(name, args, e, 3...3, usage: "replace(text, find, with)"); try text(0); try text(1); try text(2); result = .text
        case .strcat:
            guard !args.isEmpty else { try arity(name, args, e, 1...64, usage: "strcat(a, b, …)"); return .literal(.null, .null) }
            result = .text
        case .startswith, .endswith:
            try arity(name, args, e, 2...2, usage: "\(name)(text, prefix)"); try text(0); try text(1); result = .bool
        case .coalesce:
            try arity(name, args, e, 1...64, usage: "coalesce(a, b, …)")
            let first = typed.first { $0.type != .null }?.type ?? .null
            for (i, t) in typed.enumerated() where !Self.comparable(t.type, first) {
                throw QueryError(source, args[i].range, "`coalesce` needs values of one type; this is \(t.type.phrase), not \(first.phrase)")
            }
            result = first
        case .iff:
            try arity(name, args, e, 3...3, usage: "iff(condition, then, else)")
            try requireBoolean(typed[0], args[0], stage: "iff")
            guard Self.comparable(typed[1].type, typed[2].type) else {
                throw QueryError(source, args[2].range, "`iff` needs both branches of one type; \(typed[1].type.phrase) and \(typed[2].type.phrase)")
            }
            result = typed[1].type == .null ? typed[2].type : typed[1].type
        case .round:
            try arity(name, args, e, 1...2, usage: "round(x, [digits])"); try number(0); if args.count == 2 { try number(1) }
            result = .real
        case .abs:
            try arity(name, args, e, 1...1, usage: "abs(x)"); try number(0); result = typed[0].type == .integer ? .integer : .real
        case .floor, .ceil, .sqrt, .ln, .exp:
            try arity(name, args, e, 1...1, usage: "\(name)(x)"); try number(0); result = .real
        case .pow:
            try arity(name, args, e, 2...2, usage: "pow(x, y)"); try number(0); try number(1); result = .real
        case .tostring:
            try arity(name, args, e, 1...1, usage: "tostring(x)"); result = .text
        case .tonumber:
            try arity(name, args, e, 1...1, usage: "tonumber(x)"); result = .real
        case .toint:
            try arity(name, args, e, 1...1, usage: "toint(x)"); result = .integer
        case .bin:
            try arity(name, args, e, 2...2, usage: "bin(ts, 1h) or bin(number, size)")
            if typed[0].type == .time {
                guard case .literal(.duration(let d), _) = typed[1], d > 0 else {
                    throw QueryError(source, args[1].range, "`bin` of a time needs a positive duration such as `1h` or `1d`")
                }
                result = .time
            } else {
                try number(0)
                guard case .literal(let size, _) = typed[1] else {
                    throw QueryError(source, args[1].range, "`bin` needs a constant bucket size")
                }
                switch size {
                case .integer(let v) where v > 0: result = typed[0].type == .integer ? .integer : .real
                case .real(let v) where v > 0: result = .real
                default: throw QueryError(source, args[1].range, "`bin` needs a positive bucket size")
                }
            }
        case .date:
            try arity(name, args, e, 1...1, usage: "date(ts)"); try time(0); result = .text
        case .hour, .dayofweek:
            try arity(name, args, e, 1...1, usage: "\(name)(ts)"); try time(0); result = .integer
        case .millis:
            try arity(name, args, e, 1...1, usage: "millis(duration)")
            try require(typed[0], args[0], typed[0].type == .duration, name, "a duration (such as `2s`)")
            result = .real
        }
        return .scalar(f, typed, result)
    }

    func checkAggregate(_ f: AggregateFunction, _ args: [Expression], _ e: Expression) throws(QueryError) -> TypedExpression {
        var typed: [TypedExpression] = []
        for a in args {
            let t = try check(a, allowAggregates: false)
            typed.append(t)
        }
        let name = f.rawValue
        func numeric(_ i: Int) throws(QueryError) {
            let t = typed[i].type
            try require(typed[i], args[i], t.isNumeric || t == .bool || t == .duration, name, "a number")
        }
        func condition(_ i: Int) throws(QueryError) { try requireBoolean(typed[i], args[i], stage: name) }
        let result: ValueType
        switch f {
        case .count:
            try arity(name, args, e, 0...1, usage: "count() or count(x): rows, or rows where x is not null"); result = .integer
        case .countif:
            try arity(name, args, e, 1...1, usage: "countif(condition)"); try condition(0); result = .integer
        case .dcount:
            try arity(name, args, e, 1...1, usage: "dcount(x)"); result = .integer
        case .sum:
            try arity(name, args, e, 1...1, usage: "sum(x)"); try numeric(0)
            result = typed[0].type == .real || typed[0].type == .any ? .real : (typed[0].type == .duration ? .duration : .integer)
        case .sumif:
            try arity(name, args, e, 2...2, usage: "sumif(x, condition)"); try numeric(0); try condition(1)
            result = typed[0].type == .real || typed[0].type == .any ? .real : (typed[0].type == .duration ? .duration : .integer)
        case .avg:
            try arity(name, args, e, 1...1, usage: "avg(x)"); try numeric(0); result = typed[0].type == .duration ? .duration : .real
        case .avgif:
            try arity(name, args, e, 2...2, usage: "avgif(x, condition)"); try numeric(0); try condition(1)
            result = typed[0].type == .duration ? .duration : .real
        case .min, .max:
            try arity(name, args, e, 1...1, usage: "\(name)(x)"); result = typed[0].type == .bool ? .integer : typed[0].type
        case .minif, .maxif:
            try arity(name, args, e, 2...2, usage: "\(name)(x, condition)"); try condition(1)
            result = typed[0].type == .bool ? .integer : typed[0].type
        case .p50, .p90, .p95, .p99, .median:
            try arity(name, args, e, 1...1, usage: "\(name)(x)"); try numeric(0); result = typed[0].type == .duration ? .duration : .real
        case .percentile:
            try arity(name, args, e, 2...2, usage: "percentile(x, q) with q between 0 and 1, e.g. percentile(latency_ms, 0.95)")
            try numeric(0)
            let q: Double?
            switch typed[1] {
            case .literal(.real(let v), _): q = v
            case .literal(.integer(let v), _): q = Double(v)
            default: q = nil
            }
            guard let q else { throw QueryError(source, args[1].range, "`percentile` needs a constant q between 0 and 1") }
            guard (0...1).contains(q) else {
                let hint = (1...100).contains(q) ? "q is a fraction: percentile(x, \(q / 100))" : nil
                throw QueryError(source, args[1].range, "`percentile` needs q between 0 and 1", hint: hint)
            }
            result = typed[0].type == .duration ? .duration : .real
        case .rate:
            try arity(name, args, e, 1...1, usage: "rate(condition): the share of rows where it holds"); try condition(0); result = .real
        case .stddev, .stddev_pop:
            try arity(name, args, e, 1...1, usage: "\(name)(x)"); try numeric(0); result = .real
        }
        return .aggregate(f, typed, result)
    }
}
