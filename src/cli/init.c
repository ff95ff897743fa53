/* init.c: `cxm init`: create or upgrade the database. */
#include "cli.h"

#include "store/store.h"

#include <stdbool.h>
#include <string.h>

static void usage(FILE *out)
{
	fputs("Usage: cxm init [--db PATH] [--demo]\n"
	      "\n"
	      "Creates the database when it does not exist and applies every\n"
	      "pending schema migration.  Safe to run again at any time.\n"
	      "\n"
	      "  --db PATH   database file (env CXM_DB; default ./cxm.db)\n"
	      "  --demo      load a sample agency (three components, six services,\n"
	      "              one user per role) into an empty database and print\n"
	      "              the demo passwords once\n"
	      "  --help      show this help\n", out);
}

int cli_init(int argc, char **argv)
{
	static const char *const allowed[] = { "db", NULL };
	bool demo = false;
	char label[CONFIG_PATH_MAX];
	int i, n = 0;
	struct config cfg;
	struct store *store = NULL;
	struct store_migrate_report rep = { 0, 0, 0 };
	struct errinfo ei;
	int help, rc;

	rc = cli_config_from_env(&cfg);
	if (rc)
		return rc;
	/* --demo is this command's own flag; the rest are settings. */
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--demo") == 0)
			demo = true;
		else
			argv[n++] = argv[i];
	}
	argc = n;
	rc = cli_parse_options(argc, argv, &cfg, allowed, &help);
	if (rc)
		return rc;
	if (help) {
		usage(stdout);
		return CLI_OK;
	}
	errinfo_clear(&ei);
	if (store_open(cfg.db, 1, &store, &ei) ||
	    store_migrate(store, &rep, &ei)) {
		store_close(store);
		return cli_fail(&ei);
	}
	cli_db_label(cfg.db, label, sizeof label);
	if (rep.from_version == rep.to_version)
		printf("%s is up to date (schema version %d).\n", label,
		       rep.to_version);
	else
		printf("%s upgraded from schema version %d to %d.\n", label,
		       rep.from_version, rep.to_version);
	rc = demo ? cli_demo_load(store) : CLI_OK;
	store_close(store);
	return rc;
}
