/* common.c: option parsing and error reporting shared by subcommands. */
#include "cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int cli_fail(const struct errinfo *ei)
{
	fprintf(stderr, "cxm: %s\n", ei->message[0] ? ei->message : "failed");
	return ei->code == ERR_USAGE ? CLI_USAGE : CLI_USER_ERROR;
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
	va_list ap;

	fputs("cxm: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'cxm %s --help'.\n", command);
	return CLI_USAGE;
}

static const char *getenv_const(const char *name)
{
	return getenv(name);
}

int cli_config_from_env(struct config *cfg)
{
	struct errinfo ei;

	errinfo_clear(&ei);
	config_defaults(cfg);
	if (config_from_env(cfg, getenv_const, &ei))
		return cli_fail(&ei);
	return 0;
}

enum { CLI_OPTIONS_MAX = 32 };

int cli_parse_options(int argc, char **argv, struct config *cfg,
		      const char *const *allowed, int *help)
{
	struct option opts[CLI_OPTIONS_MAX + 2];
	const struct config_option *co[CLI_OPTIONS_MAX];
	struct errinfo ei;
	size_t n = 0;
	int c, idx;

	*help = 0;
	for (; allowed[n] && n < CLI_OPTIONS_MAX; n++) {
		co[n] = config_find(allowed[n]);
		if (!co[n])
			abort(); /* a command names an option that does not exist */
		opts[n].name = co[n]->name;
		opts[n].has_arg = co[n]->type == CONFIG_BOOL ? no_argument
							      : required_argument;
		opts[n].flag = NULL;
		opts[n].val = 0;
	}
	opts[n] = (struct option){ "help", no_argument, NULL, 'h' };
	opts[n + 1] = (struct option){ NULL, 0, NULL, 0 };
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, &idx)) != -1) {
		if (c == 'h') {
			*help = 1;
			return 0;
		}
		if (c != 0)
			return cli_usage_error(argv[0], "unknown or incomplete option '%s'",
					       argv[optind - 1]);
		errinfo_clear(&ei);
		if (config_set(cfg, co[idx]->name,
			       co[idx]->type == CONFIG_BOOL ? "true" : optarg,
			       &ei)) {
			fprintf(stderr, "cxm: %s\n", ei.message);
			return CLI_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error(argv[0], "unexpected argument '%s'",
				       argv[optind]);
	return 0;
}

const char *cli_db_label(const char *db, char *out, size_t cap)
{
	const char *scheme = strstr(db, "://"), *at, *colon, *pw;
	size_t n;

	snprintf(out, cap, "%s", db);
	if (scheme) {
		/* postgresql://user:secret@host/... */
		at = strchr(scheme + 3, '@');
		colon = strchr(scheme + 3, ':');
		if (at && colon && colon < at) {
			n = (size_t)(colon - db) + 1;
			snprintf(out, cap, "%.*s***%s", (int)n, db, at);
		}
	} else if ((pw = strstr(db, "password=")) != NULL) {
		/* conninfo: ... password=secret ... */
		const char *end = strchr(pw, ' ');
		n = (size_t)(pw - db) + strlen("password=");
		snprintf(out, cap, "%.*s***%s", (int)n, db, end ? end : "");
	}
	return out;
}
