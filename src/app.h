/* app.h: the long-lived state every request reaches through struct req. */
#ifndef CXM_APP_H
#define CXM_APP_H

#include "config.h"

struct store;
struct events;

/* Owned by `cxm serve` for the life of the server; read-only while
 * requests run (the store is internally synchronised). */
struct app {
	const struct config *cfg;
	struct store *store;
	struct events *events;             /* live event streams */
	const char *version;
	char static_dir[CONFIG_PATH_MAX];  /* resolved, no trailing slash */
};

#endif
