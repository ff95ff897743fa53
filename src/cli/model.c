/* model.c: `cxm model validate|import|list|show|export`: checks maturity
 * model files and manages the immutable model versions in the database. */
#include "cli.h"

#include "core/model-load.h"
#include "ops/ops.h"
#include "store/models.h"
#include "store/store.h"
#include "util/semver.h"
#include "api/render.h"
#include "util/arena.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
	fputs("Usage: cxm model validate FILE...\n"
	      "       cxm model import FILE [--db PATH]\n"
	      "       cxm model list [--db PATH]\n"
	      "       cxm model show ID[@VERSION] [--db PATH]\n"
	      "       cxm model export ID[@VERSION] [--format yaml|json] [--db PATH]\n"
	      "\n"
	      "validate checks each maturity model file (YAML, see\n"
	      "docs/model-format.md) and prints every problem as\n"
	      "FILE:LINE:COLUMN: message on stderr, or 'FILE: ok (ID@VERSION, N\n"
	      "functions, M indicators)' on stdout.\n"
	      "\n"
	      "import stores a valid model file in the database as version\n"
	      "ID@VERSION.  Stored versions never change: importing the same file\n"
	      "again does nothing, a different file with the same id and version\n"
	      "is refused (give it a new version).\n"
	      "list prints every stored version; show outlines one; export prints\n"
	      "it as imported (yaml, the default) or as JSON.  Without @VERSION,\n"
	      "show and export use the highest version.\n"
	      "\n"
	      "Exit status: 0 on success, 1 when a file is invalid or a model is\n"
	      "missing or conflicts, 2 on a usage error.\n"
	      "\n"
	      "Subcommands: validate, import, list, show, export\n", out);
}

/* Reads path whole (at most MODEL_TEXT_MAX + 1 bytes) into a malloc'd
 * buffer.  0, ERR_IO (errno kept) or ERR_NOMEM. */
static int read_file(const char *path, char **text, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = MODEL_TEXT_MAX + 1, n;
	char *buf;

	if (!f)
		return ERR_IO;
	buf = malloc(cap);
	if (!buf) {
		fclose(f);
		return ERR_NOMEM;
	}
	n = fread(buf, 1, cap, f);
	if (ferror(f)) {
		int e = errno;
		free(buf);
		fclose(f);
		errno = e;
		return ERR_IO;
	}
	fclose(f);
	*text = buf;
	*len = n;
	return 0;
}

/* Prints every problem of a refused model file as FILE:LINE:COLUMN. */
static void print_problems(const char *path, const struct errinfo *ei)
{
	size_t i;

	for (i = 0; i < ei->ndetails; i++) {
		const struct errdetail *d = &ei->details[i];
		fprintf(stderr, "%s:%d:%d: %s%s%s\n", path, d->line, d->column,
			d->field, d->field[0] ? ": " : "", d->message);
	}
	if (ei->dropped_details)
		fprintf(stderr, "%s: and %zu more problems\n", path,
			ei->dropped_details);
	if (ei->ndetails == 0)
		fprintf(stderr, "%s: %s\n", path, ei->message);
}

/* Validates one file, printing its result; true when it is valid. */
static bool validate_one(const char *path, struct errinfo *ei)
{
	struct arena a;
	struct model m;
	size_t i, nind = 0;
	char *text = NULL;
	size_t len = 0;
	int rc;

	rc = read_file(path, &text, &len);
	if (rc) {
		fprintf(stderr, "%s: %s\n", path,
			rc == ERR_NOMEM ? "out of memory" : strerror(errno));
		return false;
	}
	arena_init(&a, 64u << 20);
	rc = model_load(path, text, len, &a, &m, ei);
	free(text);
	if (rc == 0) {
		for (i = 0; i < m.nfunctions; i++)
			nind += m.functions[i].nindicators;
		printf("%s: ok (%s@%s, %zu function%s, %zu indicator%s)\n",
		       path, m.id, m.version, m.nfunctions,
		       m.nfunctions == 1 ? "" : "s", nind, nind == 1 ? "" : "s");
		arena_release(&a);
		return true;
	}
	arena_release(&a);
	print_problems(path, ei);
	return false;
}

/* --- the stored versions ------------------------------------------------ */

struct db_opts {
	const char *format;          /* export: yaml (NULL) or json */
	const char *arg;             /* FILE or ID[@VERSION] */
	int help;
};

/* Parses the options of import, list, show and export (argv[0] is the
 * subcommand) into cfg and o.  0 or an exit status. */
static int parse_db(int argc, char **argv, struct config *cfg,
		    struct db_opts *o)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool export = strcmp(argv[0], "export") == 0;
	bool list = strcmp(argv[0], "list") == 0;
	struct errinfo ei;
	int c;

	memset(o, 0, sizeof *o);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			errinfo_clear(&ei);
			if (config_set(cfg, "db", optarg, &ei)) {
				fprintf(stderr, "cxm: %s\n", ei.message);
				return CLI_USAGE;
			}
			break;
		case 'f':
			if (!export)
				return cli_usage_error("model",
					"--format is an option of export only");
			if (strcmp(optarg, "yaml") && strcmp(optarg, "json"))
				return cli_usage_error("model",
					"--format must be yaml or json (not '%s')",
					optarg);
			o->format = optarg;
			break;
		case 'h': o->help = 1; return 0;
		default:
			return cli_usage_error("model",
					       "unknown or incomplete option '%s'",
					       argv[optind - 1]);
		}
	}
	if (!list) {
		if (optind >= argc)
			return cli_usage_error("model", "%s needs %s", argv[0],
				strcmp(argv[0], "import") == 0 ? "a FILE"
							       : "ID[@VERSION]");
		o->arg = argv[optind++];
	}
	if (optind < argc)
		return cli_usage_error("model", "unexpected argument '%s'",
				       argv[optind]);
	return 0;
}

static int cmd_import(struct store *s, const char *path)
{
	struct store_conn *c;
	struct errinfo *ei;
	const char *id = NULL, *version = NULL;
	struct actor who;
	char label[128];
	struct arena a;
	bool already = false;
	char *text = NULL;
	size_t len = 0;
	int rc;

	rc = read_file(path, &text, &len);
	if (rc) {
		fprintf(stderr, "%s: %s\n", path,
			rc == ERR_NOMEM ? "out of memory" : strerror(errno));
		return CLI_USER_ERROR;
	}
	ei = malloc(sizeof *ei);
	if (!ei) {
		free(text);
		fputs("cxm: out of memory\n", stderr);
		return CLI_USER_ERROR;
	}
	errinfo_clear(ei);
	cli_actor(&who, label, sizeof label);
	arena_init(&a, 64u << 20);
	c = store_acquire(s);
	rc = ops_model_import(c, &who, path, text, len, &a, &id, &version,
			      &already, ei);
	store_release(c);
	free(text);
	if (rc == 0)
		printf(already ? "%s@%s is already imported (identical)\n"
			       : "Imported %s@%s\n", id, version);
	else if (rc == ERR_INVALID || rc == ERR_TOO_LARGE)
		print_problems(path, ei);
	else
		fprintf(stderr, "cxm: %s\n", ei->message);
	arena_release(&a);
	free(ei);
	return rc ? CLI_USER_ERROR : CLI_OK;
}

static int cmd_list(struct store *s)
{
	struct store_conn *c = store_acquire(s);
	struct stored_model *m;
	struct errinfo ei;
	struct arena a;
	size_t n, i;
	int rc;

	errinfo_clear(&ei);
	arena_init(&a, 0);
	rc = store_model_list(c, &a, &m, &n, &ei);
	store_release(c);
	if (rc) {
		arena_release(&a);
		return cli_fail(&ei);
	}
	printf("%-20s %-10s %-40s %9s %10s  %s\n", "ID", "VERSION", "TITLE",
	       "FUNCTIONS", "INDICATORS", "IMPORTED");
	for (i = 0; i < n; i++)
		printf("%-20s %-10s %-40s %9lld %10lld  %s\n", m[i].id,
		       m[i].version, m[i].title, (long long)m[i].nfunctions,
		       (long long)m[i].nindicators, m[i].imported_at);
	if (n == 0)
		puts("(no models; add one with cxm model import FILE)");
	arena_release(&a);
	return CLI_OK;
}

/* Loads spec (ID or ID@VERSION; the highest version when there is none)
 * into *m and parses it into *model.  0 or an exit status after printing
 * the error. */
static int find_model(struct store *s, struct arena *a, const char *spec,
		      struct stored_model *m, struct model *model)
{
	struct store_conn *c = store_acquire(s);
	const char *at = strchr(spec, '@');
	struct errinfo *ei = malloc(sizeof *ei);
	char *id;
	int rc;

	if (!ei) {
		store_release(c);
		fputs("cxm: out of memory\n", stderr);
		return CLI_USER_ERROR;
	}
	errinfo_clear(ei);
	id = at ? arena_strndup(a, spec, (size_t)(at - spec))
		: arena_strdup(a, spec);
	if (!id) {
		rc = errinfo_set(ei, ERR_NOMEM, "out of memory");
		goto out;
	}
	rc = store_model_find(c, a, id, at ? at + 1 : NULL, m, ei);
	if (rc == ERR_NOTFOUND) {
		char why[ERRINFO_MESSAGE_MAX];
		snprintf(why, sizeof why, "%s", ei->message);
		errinfo_set(ei, rc, "%.200s (see cxm model list)", why);
	}
	if (!rc)
		rc = model_load(spec, m->content, strlen(m->content), a, model, ei);
out:
	store_release(c);
	if (rc) {
		fprintf(stderr, "cxm: %s\n", ei->message);
		rc = CLI_USER_ERROR;
	}
	free(ei);
	return rc;
}


static int cmd_show(struct store *s, const char *spec)
{
	struct stored_model sm;
	struct model m;
	struct arena a;
	size_t i, j;
	int rc, l, count;

	arena_init(&a, 64u << 20);
	rc = find_model(s, &a, spec, &sm, &m);
	if (rc) {
		arena_release(&a);
		return rc;
	}
	printf("%s\n", m.title);
	printf("  id:       %s\n", m.id);
	printf("  version:  %s\n", m.version);
	printf("  imported: %s\n", sm.imported_at);
	printf("  sha256:   %s\n", sm.sha256);
	printf("\nLevels:\n");
	for (l = 0; l < m.nlevels; l++)
		printf("  %d %s\n", m.levels[l].n, m.levels[l].name);
	printf("\nFunctions (%zu, %lld indicators):\n", m.nfunctions,
	       (long long)sm.nindicators);
	for (i = 0; i < m.nfunctions; i++) {
		const struct model_function *f = &m.functions[i];

		printf("  %s: %s (%zu indicator%s", f->key, f->name,
		       f->nindicators, f->nindicators == 1 ? "" : "s");
		for (l = 2; l <= m.nlevels; l++) {
			count = 0;
			for (j = 0; j < f->nindicators; j++)
				if (f->indicators[j].level == l)
					count++;
			printf("%s level %d: %d", l == 2 ? ";" : ",", l, count);
		}
		printf(")\n");
	}
	arena_release(&a);
	return CLI_OK;
}

static int cmd_export(struct store *s, const char *spec, const char *format)
{
	struct stored_model sm;
	struct model m;
	struct arena a;
	json_t *j;
	int rc;

	arena_init(&a, 64u << 20);
	rc = find_model(s, &a, spec, &sm, &m);
	if (rc) {
		arena_release(&a);
		return rc;
	}
	if (!format || strcmp(format, "yaml") == 0) {
		fwrite(sm.content, 1, strlen(sm.content), stdout);
	} else {
		j = render_model(&m);
		if (!j || json_dumpf(j, stdout, JSON_INDENT(2) |
				     JSON_PRESERVE_ORDER) != 0) {
			fputs("cxm: out of memory\n", stderr);
			rc = CLI_USER_ERROR;
		} else {
			putchar('\n');
		}
		json_decref(j);
	}
	arena_release(&a);
	if (!rc && fflush(stdout) != 0) {
		fprintf(stderr, "cxm: writing the model: %s\n", strerror(errno));
		rc = CLI_USER_ERROR;
	}
	return rc;
}

/* import, list, show and export: argv[0] is the subcommand. */
static int model_db(int argc, char **argv)
{
	struct config cfg;
	struct db_opts o;
	struct store *s = NULL;
	int rc;

	rc = cli_config_from_env(&cfg);
	if (!rc)
		rc = parse_db(argc, argv, &cfg, &o);
	if (rc)
		return rc;
	if (o.help) {
		usage(stdout);
		return CLI_OK;
	}
	rc = cli_open_store(&cfg, &s);
	if (rc)
		return rc;
	if (strcmp(argv[0], "import") == 0)
		rc = cmd_import(s, o.arg);
	else if (strcmp(argv[0], "list") == 0)
		rc = cmd_list(s);
	else if (strcmp(argv[0], "show") == 0)
		rc = cmd_show(s, o.arg);
	else
		rc = cmd_export(s, o.arg, o.format);
	store_close(s);
	return rc;
}

int cli_model(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : NULL;
	struct errinfo *ei;
	bool ok = true, dashes = false;
	int i, nfiles = 0;

	if (!sub) {
		usage(stderr);
		return CLI_USAGE;
	}
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
		usage(stdout);
		return CLI_OK;
	}
	if (strcmp(sub, "import") == 0 || strcmp(sub, "list") == 0 ||
	    strcmp(sub, "show") == 0 || strcmp(sub, "export") == 0)
		return model_db(argc - 1, argv + 1);
	if (strcmp(sub, "validate") != 0)
		return cli_usage_error("model",
				       "unknown subcommand '%s' (one of validate, "
				       "import, list, show, export)", sub);
	/* Options come before "--"; everything else is a FILE. */
	for (i = 2; i < argc; i++) {
		if (!dashes && strcmp(argv[i], "--") == 0) {
			dashes = true;
			continue;
		}
		if (!dashes && (strcmp(argv[i], "--help") == 0 ||
				strcmp(argv[i], "-h") == 0)) {
			usage(stdout);
			return CLI_OK;
		}
		if (!dashes && argv[i][0] == '-' && argv[i][1])
			return cli_usage_error("model", "unknown option '%s'",
					       argv[i]);
		nfiles++;
	}
	if (nfiles == 0)
		return cli_usage_error("model", "validate needs at least one FILE");
	ei = malloc(sizeof *ei);
	if (!ei) {
		fputs("cxm: out of memory\n", stderr);
		return CLI_USER_ERROR;
	}
	dashes = false;
	for (i = 2; i < argc; i++) {
		if (!dashes && strcmp(argv[i], "--") == 0) {
			dashes = true;
			continue;
		}
		if (!validate_one(argv[i], ei))
			ok = false;
	}
	free(ei);
	return ok ? CLI_OK : CLI_USER_ERROR;
}
