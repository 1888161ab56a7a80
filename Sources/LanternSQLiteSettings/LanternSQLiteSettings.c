#include "LanternSQLiteSettings.h"

/* SQLiteNIO's copy of SQLite, whose names carry its prefix; declared here because its header
   belongs to a target of that package, not to a product Lantern can depend on. */
extern int sqlite_nio_sqlite3_db_config(void *connection, int option, ...);

/* From sqlite3.h. */
#define LANTERN_SQLITE_DBCONFIG_ENABLE_QPSG 1007

int lantern_sqlite_keep_plans(void *connection) {
    int now = 0;
    int status = sqlite_nio_sqlite3_db_config(connection, LANTERN_SQLITE_DBCONFIG_ENABLE_QPSG, 1, &now);
    return status == 0 && now == 1 ? 0 : (status == 0 ? 1 : status);
}
