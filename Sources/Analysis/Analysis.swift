/// Statistics for comparisons (paired deltas, flip tests, intervals) and word-level diffs.
/// Pure computation: no store, no SQL (DESIGN.md, Architecture).
public enum Analysis {}
