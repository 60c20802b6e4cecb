#include <sqlite3.h>

// SQLITE_TRANSIENT is a macro casting -1 to a function pointer, which Swift cannot import.
static inline sqlite3_destructor_type relops_sqlite_transient(void) { return SQLITE_TRANSIENT; }
static inline sqlite3_destructor_type relops_sqlite_static(void) { return SQLITE_STATIC; }

// sqlite3_db_config is variadic; wrap the calls relops makes.
static inline int relops_sqlite_defensive(sqlite3 *db, int on) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, on, (int *)0);
}
