/* copy.c: `cxm db copy` (between SQLite and PostgreSQL) and `cxm backup`. */
#include "cli.h"

#include "store/copy.h"
#include "store/store.h"

#include <string.h>
#include <unistd.h>

static void db_usage(FILE *out)
{
	fputs("Usage: cxm db copy --from DB --to DB\n"
	      "\n"
	      "Copies a whole database into a new, empty one, keeping every id:\n"
	      "SQLite to PostgreSQL to move up, or PostgreSQL to SQLite to take a\n"
	      "copy offline.  DB is a SQLite file or a PostgreSQL URL.  Both are\n"
	      "first brought to this program's schema version.  The copy runs in\n"
	      "one transaction; afterwards the rows of every table are counted on\n"
	      "both sides and any difference is an error.\n", out);
}

struct progress { bool tty; const char *last; };

static void show_progress(void *arg, const char *table, int64_t done,
			  int64_t total)
{
	struct progress *p = arg;
	int width = 30, filled = total ? (int)(done * width / total) : width;

	if (!p->tty) {
		if (done == total)
			fprintf(stderr, "copied %-15s %lld rows\n", table,
				(long long)total);
		return;
	}
	fprintf(stderr, "\r%-15s [%.*s%*s] %lld/%lld", table, filled,
		"##############################", width - filled, "",
		(long long)done, (long long)total);
	if (done == total)
		fputc('\n', stderr);
	p->last = table;
}

static int copy(int argc, char **argv)
{
	const char *from = NULL, *to = NULL;
	struct store *src = NULL, *dst = NULL;
	struct store_migrate_report rep;
	struct store_copy_count counts[STORE_COPY_TABLES];
	struct progress p = { .tty = isatty(STDERR_FILENO) != 0 };
	struct errinfo ei;
	int i, rc = CLI_OK;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--from") == 0 && i + 1 < argc)
			from = argv[++i];
		else if (strcmp(argv[i], "--to") == 0 && i + 1 < argc)
			to = argv[++i];
		else if (strcmp(argv[i], "--help") == 0) {
			db_usage(stdout);
			return CLI_OK;
		} else
			return cli_usage_error("db", "unexpected argument '%s'", argv[i]);
	}
	if (!from || !to)
		return cli_usage_error("db", "copy needs --from and --to");
	if (strcmp(from, to) == 0)
		return cli_usage_error("db", "--from and --to are the same database");
	errinfo_clear(&ei);
	if (!store_is_postgres_url(from) && access(from, R_OK) != 0) {
		fprintf(stderr, "cxm: --from: cannot read '%s'\n", from);
		return CLI_USER_ERROR;
	}
	if (store_open(from, 1, &src, &ei) || store_migrate(src, &rep, &ei) ||
	    store_open(to, 1, &dst, &ei) || store_migrate(dst, &rep, &ei)) {
		rc = cli_fail(&ei);
		goto out;
	}
	if (store_copy(src, dst, show_progress, &p, counts, &ei)) {
		rc = cli_fail(&ei);
		goto out;
	}
	{
		char a[CONFIG_PATH_MAX], b[CONFIG_PATH_MAX];
		printf("Copied %s to %s; rows match in every table:\n",
		       cli_db_label(from, a, sizeof a), cli_db_label(to, b, sizeof b));
	}
	for (i = 0; i < STORE_COPY_TABLES; i++)
		printf("  %-15s %lld\n", counts[i].table, (long long)counts[i].target);
out:
	store_close(src);
	store_close(dst);
	return rc;
}

int cli_db(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		db_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	if (strcmp(argv[1], "copy") == 0)
		return copy(argc - 1, argv + 1);
	return cli_usage_error("db", "unknown subcommand '%s'", argv[1]);
}

int cli_backup(int argc, char **argv)
{
	static const char *const allowed[] = { "db", NULL };
	struct config cfg;
	struct store *s = NULL;
	struct errinfo ei;
	const char *file = NULL;
	char *args[8];
	int i, n = 0, help, rc;

	for (i = 0; i < argc && n < 8; i++) {
		if (i > 0 && argv[i][0] != '-' && !(i > 1 && strcmp(argv[i - 1], "--db") == 0)) {
			if (file)
				return cli_usage_error("backup", "unexpected argument '%s'",
						       argv[i]);
			file = argv[i];
		} else {
			args[n++] = argv[i];
		}
	}
	rc = cli_config_from_env(&cfg);
	if (!rc)
		rc = cli_parse_options(n, args, &cfg, allowed, &help);
	if (rc)
		return rc;
	if (help) {
		fputs("Usage: cxm backup FILE [--db PATH]\n"
		      "\n"
		      "Writes a consistent copy of the SQLite database to FILE (a new\n"
		      "file) while cxm keeps serving.  For PostgreSQL use pg_dump.\n",
		      stdout);
		return CLI_OK;
	}
	if (!file)
		return cli_usage_error("backup", "name the FILE to write");
	if (access(file, F_OK) == 0) {
		fprintf(stderr, "cxm: '%s' already exists; cxm backup writes a new file\n",
			file);
		return CLI_USER_ERROR;
	}
	errinfo_clear(&ei);
	if (store_open(cfg.db, 1, &s, &ei) || store_backup(s, file, &ei)) {
		store_close(s);
		return cli_fail(&ei);
	}
	store_close(s);
	{
		char a[CONFIG_PATH_MAX];
		printf("Backed up %s to %s.\n", cli_db_label(cfg.db, a, sizeof a),
		       file);
	}
	return CLI_OK;
}
