import CSQLite

/// Ctrl-C for the interactive shell: SIGINT interrupts the statement running on one connection
/// (SQLite stops it with `SQLITE_INTERRUPT` and rolls back what it was writing) instead of
/// killing the process; the shell then returns to its prompt.
public enum Interrupt {
    /// Installs the SIGINT handler, aimed at `database`.
    public static func install(for database: Database) {
        relops_interrupt_target(database.handle)
        _ = relops_install_sigint()
    }

    /// Aims the handler at another connection (after `.open`).
    public static func target(_ database: Database) {
        relops_interrupt_target(database.handle)
    }

    /// Makes `database` (a part of a parallel scan, on its own connection) stop its statements
    /// when a SIGINT arrives from now on, as the shell's connection does.
    public static func watch(_ database: Database) {
        relops_watch_sigint(database.handle)
    }

    /// How many SIGINTs arrived since the last call.
    public static func take() -> Int {
        Int(relops_sigint_take())
    }
}
