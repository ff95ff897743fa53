/* model.c: `cxm model validate FILE...`: checks maturity model files. */
#include "cli.h"

#include "core/model-load.h"
#include "util/arena.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
	fputs("Usage: cxm model validate FILE...\n"
	      "\n"
	      "validate checks each maturity model file (YAML, see\n"
	      "docs/model-format.md) and prints every problem as\n"
	      "FILE:LINE:COLUMN: message on stderr, or 'FILE: ok (ID@VERSION, N\n"
	      "functions, M indicators)' on stdout.  Exit status: 0 when every\n"
	      "file is valid, 1 when any is not, 2 on a usage error.\n"
	      "\n"
	      "Subcommands: validate\n", out);
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
	return false;
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
	if (strcmp(sub, "validate") != 0)
		return cli_usage_error("model",
				       "unknown subcommand '%s' (the only one is 'validate')",
				       sub);
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
