#ifndef LANTERN_SQLITE_SETTINGS_H
#define LANTERN_SQLITE_SETTINGS_H

/// Turns on SQLite's query planner stability guarantee for one connection (`sqlite3_db_config`
/// with SQLITE_DBCONFIG_ENABLE_QPSG). Without it a statement whose plan might depend on a bound
/// value is prepared again each time a value is bound, which undoes keeping it prepared.
/// `sqlite3_db_config` takes variable arguments, which Swift cannot call; this fixes them.
int lantern_sqlite_keep_plans(void *connection);

#endif
