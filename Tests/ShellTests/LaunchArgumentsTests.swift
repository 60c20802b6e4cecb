import Foundation
@testable import Shell
import Testing

/// The command line, read by `Launch.parse`: every spelling DESIGN.md's fixed command line and
/// getopt habits allow, and a clear error for the rest.
struct LaunchArgumentsTests {
    func options(_ arguments: [String]) throws -> Launch.Options {
        guard case .run(let options) = try Launch.parse(arguments) else {
            Issue.record("\(arguments) did not ask to run")
            return Launch.Options(db: "", dbGiven: false, format: nil, commands: [], file: nil, noColor: false, action: nil)
        }
        return options
    }

    @Test func defaults() throws {
        #expect(try options([]) == Launch.Options(db: "relops.db", dbGiven: false, format: nil, commands: [], file: nil, noColor: false, action: nil))
    }

    @Test func everyOptionInBothSpellings() throws {
        let separate = try options(["--db", "s.db", "--format", "json", "-c", "sources", "-c", "versions", "-f", "x.rq", "--no-color", "demo"])
        #expect(separate == Launch.Options(db: "s.db", dbGiven: true, format: "json", commands: ["sources", "versions"],
                                           file: "x.rq", noColor: true, action: "demo"))
        let inline = try options(["--db=s.db", "--format=json", "-csources", "-c", "versions", "-fx.rq", "--no-color", "demo"])
        #expect(inline == separate)
    }

    @Test func valuesThatLookLikeOptionsAndTheEndOfOptions() throws {
        // A command may start with a dash or a dot; `-c` takes the next word whatever it is.
        #expect(try options(["-c", "--db"]).commands == ["--db"])
        #expect(try options(["-c", ".mode json"]).commands == [".mode json"])
        #expect(try options(["--db=", "-c", "x"]).db == "")
        #expect(try options(["--", "--odd-name"]).action == "--odd-name")
    }

    @Test func helpAndVersion() throws {
        #expect(try Launch.parse(["--help"]) == .help)
        #expect(try Launch.parse(["-c", "x", "-h"]) == .help)
        #expect(try Launch.parse(["--version"]) == .version)
        #expect(Launch.usage.hasPrefix("USAGE: relops [--db PATH]"))
        #expect(Launch.version.hasPrefix("relops 0."))
    }

    @Test(arguments: [
        (["--db"], "missing value for `--db`"),
        (["-c"], "missing value for `-c`"),
        (["--fromat", "json"], "unknown option `--fromat`; did you mean `--format`?"),
        (["-x"], "unknown option `-x`"),
        (["--no-color=yes"], "`--no-color` takes no value"),
        (["demo", "again"], "unexpected argument `again`"),
    ])
    func usageErrors(arguments: [String], message: String) {
        #expect(throws: Launch.ArgumentError(description: message)) { try Launch.parse(arguments) }
    }
}

/// The same through the real binary: help on stdout with status 0, usage errors on stderr
/// with status 2 and nothing created.
struct LaunchArgumentsBinaryTests {
    @Test func helpVersionAndUsageErrors() throws {
        let dir = RelopsBinary.temporaryDirectory()
        let help = try RelopsBinary.run(["--help"], directory: dir)
        #expect(help.status == 0 && help.stdout.hasPrefix("USAGE: relops") && help.stdout.contains("-c COMMAND"))
        let version = try RelopsBinary.run(["--version"], directory: dir)
        #expect(version.status == 0 && version.stdout.hasPrefix("relops 0."))
        let wrong = try RelopsBinary.run(["--fromat", "json", "-c", "sources"], directory: dir)
        #expect(wrong.status == 2 && wrong.stdout.isEmpty)
        #expect(wrong.stderr.hasPrefix("error: unknown option `--fromat`; did you mean `--format`?\nUSAGE: relops"), "\(wrong.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("relops.db").path), "a usage error opened the store")
    }
}
