import Foundation
import Shell

/// relops [--db PATH] [--format table|csv|json|jsonl|markdown|line] [-c COMMAND]... [-f FILE] [--no-color]
/// relops demo
do {
    switch try Launch.parse(Array(CommandLine.arguments.dropFirst())) {
    case .run(let options): exit(Launch.main(options))
    case .help: print(Launch.usage)
    case .version: print(Launch.version)
    }
} catch {
    FileHandle.standardError.write(Data("error: \(error.description)\n\(Launch.usage.prefix { $0 != "\n" })\nSee `relops --help`.\n".utf8))
    exit(2)
}
