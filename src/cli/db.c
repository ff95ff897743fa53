/* db.c: opening the database for a one-shot command (migrated, one connection). */
#include "cli.h"

#include "ops/ops.h"
#include "store/store.h"

#include <pwd.h>
#include <stdio.h>
#include <unistd.h>

int cli_open_store(const struct config *cfg, struct store **out)
{
	struct store_migrate_report rep;
	struct errinfo ei;

	errinfo_clear(&ei);
	if (store_open(cfg->db, 1, out, &ei) || store_migrate(*out, &rep, &ei)) {
		store_close(*out);
		*out = NULL;
		return cli_fail(&ei);
	}
	return 0;
}

void cli_actor(struct actor *who, char *label, size_t cap)
{
	struct passwd *pw = getpwuid(getuid());

	snprintf(label, cap, "cli:%s", pw && pw->pw_name ? pw->pw_name : "unknown");
	who->user_id = 0;
	who->label = label;
	who->via = "cli";
	who->client = "";
	who->token_id = 0;
}
