import Foundation
import Query
import Store

/// Completion's view of the store: sources and fields from the catalog, saved queries, attribute
/// keys and dimension values, each read once and kept for the session (a store that changes
/// under the shell is re-read after `.open`).
final class ShellCompletion {
    let shell: Shell
    private var cachedValues: [String: [String]] = [:]
    private var cachedKeys: [String]?
    private var cachedCatalog: (path: String, catalog: Catalog)?

    init(shell: Shell) {
        self.shell = shell
    }

    func complete(_ text: String, cursor: Int) -> Completer.Result {
        Completer(vocabulary: vocabulary()).complete(text, cursor: cursor)
    }

    func vocabulary() -> Completer.Vocabulary {
        let database = shell.database
        if cachedCatalog?.path != database.path {
            cachedCatalog = (try? Catalog.load(from: database)).map { (database.path, $0) }
            cachedValues = [:]
            cachedKeys = nil
        }
        var v = Completer.Vocabulary()
        if let catalog = cachedCatalog?.catalog {
            v.sources = catalog.sources.map(\.name)
            for source in catalog.sources { v.fields[source.name] = source.columns.map(\.name) }
        }
        v.savedQueries = (try? shell.queries.library.names()) ?? []
        v.runners = shell.config.runners.keys.sorted()
        let notebook = shell.notebook
        v.sessions = { (try? notebook.files.list().map(\.name)) ?? [] }
        v.pins = notebook.session.pins.map(\.traceId)
        v.attributeKeys = { [unowned self] in self.attributeKeys() }
        v.values = { [unowned self] field in self.values(of: field) }
        return v
    }

    /// Attribute keys: the store's attribute shapes, and a sample of spans kept whole.
    func attributeKeys() -> [String] {
        if let cachedKeys { return cachedKeys }
        let keys = (try? shell.database.attributeKeys()) ?? []
        cachedKeys = keys
        return keys
    }

    /// Distinct values of a text field of traces (a dimension), most frequent first, at most 500.
    func values(of field: String) -> [String] {
        if let cached = cachedValues[field] { return cached }
        guard let catalog = cachedCatalog?.catalog, let column = catalog.source("traces")?.columns.first(where: { $0.name == field }),
              column.type == .text else { return [] }
        if Database.versionDimensions.contains(column.storeColumn), let known = try? shell.database.dimensionValues() {
            let values = known.filter { $0.dimension == column.storeColumn }.sorted { $0.traces > $1.traces }.prefix(500).map(\.value)
            cachedValues[field] = Array(values)
            return Array(values)
        }
        let quoted = "\"" + column.storeColumn.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        let values = (try? shell.database.query(
            "SELECT \(quoted) FROM traces WHERE \(quoted) IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 500"))?
            .rows.compactMap { $0.first?.stringValue } ?? []
        cachedValues[field] = values
        return values
    }
}
