/// Output modes (`--format`, `.mode`).
public enum OutputFormat: String, CaseIterable, Sendable {
    case table, csv, json, jsonl, markdown
}
