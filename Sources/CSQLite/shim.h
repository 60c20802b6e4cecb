#include <sqlite3.h>

// SQLITE_TRANSIENT is a macro casting -1 to a function pointer, which Swift cannot import.
static inline sqlite3_destructor_type relops_sqlite_transient(void) { return SQLITE_TRANSIENT; }
static inline sqlite3_destructor_type relops_sqlite_static(void) { return SQLITE_STATIC; }

// sqlite3_db_config is variadic; wrap the calls relops makes.
static inline int relops_sqlite_defensive(sqlite3 *db, int on) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, on, (int *)0);
}

// Ctrl-C while a statement runs: a SIGINT handler that calls sqlite3_interrupt (safe from a
// signal handler, as the sqlite3 shell does) on the shell's connection and counts the signal.
// Only the Store module calls these, so the static state below exists once.
#include <signal.h>
#include <string.h>
#include <stdint.h>
static sqlite3 *volatile relops_interrupt_db = 0;
static volatile sig_atomic_t relops_sigint_count = 0;
// Every SIGINT since the start, never reset: connections of the parts of a parallel scan watch
// it through a progress handler (no pointer to them is shared with the handler).
static volatile sig_atomic_t relops_sigint_total = 0;
static void relops_sigint_handler(int sig) {
    (void)sig;
    relops_sigint_count++;
    relops_sigint_total++;
    sqlite3 *db = relops_interrupt_db;
    if (db) sqlite3_interrupt(db);
}
static inline void relops_interrupt_target(sqlite3 *db) { relops_interrupt_db = db; }
static inline int relops_install_sigint(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = relops_sigint_handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    // A parent may have left SIGINT blocked (the mask is inherited through exec): unblock it.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigprocmask(SIG_UNBLOCK, &set, 0);
    return sigaction(SIGINT, &sa, 0);
}
static inline int relops_sigint_changed(void *seen) {
    return relops_sigint_total != (sig_atomic_t)(intptr_t)seen;
}
// Stops `db`'s statements (SQLITE_INTERRUPT) once a SIGINT arrives after this call.
static inline void relops_watch_sigint(sqlite3 *db) {
    sqlite3_progress_handler(db, 1000, relops_sigint_changed, (void *)(intptr_t)relops_sigint_total);
}
static inline int relops_sigint_take(void) {
    int n = relops_sigint_count;
    relops_sigint_count = 0;
    return n;
}

// Hands freed heap pages back to the system (glibc's malloc_trim): before a load builds its
// rollups, so that the pages the parse freed do not count twice in its peak. A no-op elsewhere.
#if defined(__GLIBC__)
#include <malloc.h>
static inline void relops_release_free_memory(void) { malloc_trim(0); }
#else
static inline void relops_release_free_memory(void) {}
#endif
