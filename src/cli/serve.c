/* serve.c: `cxm serve`: migrate, then serve the UI and API until stopped. */
#include "cli.h"

#include "app.h"
#include "http/events.h"
#include "http/server.h"
#include "store/store.h"
#include "util/log.h"
#include "version.h"

#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fputs("Usage: cxm serve [OPTION]...\n"
	      "\n"
	      "Serves the web interface and the JSON API.  Applies pending\n"
	      "database migrations first.  Stops cleanly on SIGINT or SIGTERM.\n"
	      "\n", out);
	config_print_help(out);
	fputs("  --help                   show this help\n", out);
}

/* The static folder: as configured, else static/ beside the executable. */
static int resolve_static_dir(const struct config *cfg, char *out,
			      size_t cap)
{
	char exe[PATH_MAX];
	ssize_t n;
	struct stat st;

	if (cfg->static_dir[0]) {
		snprintf(out, cap, "%s", cfg->static_dir);
	} else {
		n = readlink("/proc/self/exe", exe, sizeof exe - 1);
		if (n <= 0)
			return -1;
		exe[n] = '\0';
		snprintf(out, cap, "%s/static", dirname(exe));
	}
	n = (ssize_t)strlen(out);
	while (n > 1 && out[n - 1] == '/')
		out[--n] = '\0';
	if (stat(out, &st) != 0 || !S_ISDIR(st.st_mode))
		return -1;
	return 0;
}

static unsigned pool_size(const struct config *cfg)
{
	long n = cfg->threads ? (long)cfg->threads
			      : sysconf(_SC_NPROCESSORS_ONLN);

	return (unsigned)(n > 0 && n < 256 ? n : 2) + 1;
}

int cli_serve(int argc, char **argv)
{
	static const char *const allowed[] = {
		"db", "listen", "threads", "conn-timeout", "max-connections",
		"per-ip-connections", "conn-memory", "body-limit",
		"arena-limit", "shutdown-grace", "static-dir",
		"exit-on-stdin-close", "session-idle", "session-max",
		"secure-cookies", "trusted-proxy", NULL };
	struct config cfg;
	struct app app = { .cfg = &cfg, .version = CXM_VERSION };
	struct store_migrate_report rep;
	struct errinfo ei;
	int help, rc;

	rc = cli_config_from_env(&cfg);
	if (rc)
		return rc;
	rc = cli_parse_options(argc, argv, &cfg, allowed, &help);
	if (rc)
		return rc;
	if (help) {
		usage(stdout);
		return CLI_OK;
	}
	errinfo_clear(&ei);
	if (resolve_static_dir(&cfg, app.static_dir, sizeof app.static_dir)) {
		errinfo_set(&ei, ERR_INVALID,
			    "static folder '%s' not found (set --static-dir)",
			    app.static_dir[0] ? app.static_dir : cfg.static_dir);
		return cli_fail(&ei);
	}
	server_block_signals();
	if (store_open(cfg.db, pool_size(&cfg), &app.store, &ei))
		return cli_fail(&ei);
	if (store_migrate(app.store, &rep, &ei)) {
		store_close(app.store);
		return cli_fail(&ei);
	}
	if (rep.from_version != rep.to_version)
		log_msg(LOG_INFO, "database upgraded from schema %d to %d",
			rep.from_version, rep.to_version);
	app.events = events_new();
	if (!app.events || store_listen(app.store, events_deliver, app.events,
					&ei)) {
		if (!ei.message[0])
			errinfo_set(&ei, ERR_NOMEM, "out of memory");
		store_close(app.store);
		events_free(app.events);
		return cli_fail(&ei);
	}
	rc = server_run(&app, &ei);
	/* The store's listener feeds the hub: stop it first. */
	store_close(app.store);
	events_free(app.events);
	if (rc)
		return cli_fail(&ei);
	return CLI_OK;
}
