/* main.c: cxm's entry point: dispatches to a subcommand. */
#include "cli/cli.h"
#include "util/secret.h"
#include "version.h"

#include <stdio.h>
#include <string.h>

struct command {
	const char *name;
	cli_command *run;
	const char *summary;
};

static const struct command COMMANDS[] = {
	{ "init", cli_init, "create or upgrade the database" },
	{ "serve", cli_serve, "serve the web interface and JSON API" },
	{ "user", cli_user, "add, list and change users and their roles" },
	{ "token", cli_token, "create, list and revoke API tokens" },
	{ "routes", cli_routes, "list every route with the role it needs" },
	{ "db", cli_db, "copy a whole database between SQLite and PostgreSQL" },
	{ "backup", cli_backup, "write a consistent copy of a SQLite database" },
	{ "model", cli_model, "validate maturity model files" },
};

static void usage(FILE *out)
{
	size_t i;

	fputs("Usage: cxm COMMAND [OPTION]...\n"
	      "\n"
	      "cxm measures and grows customer-experience maturity and collects\n"
	      "customer feedback.\n"
	      "\n"
	      "Commands:\n", out);
	for (i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
		fprintf(out, "  %-8s %s\n", COMMANDS[i].name,
			COMMANDS[i].summary);
	fputs("\n"
	      "  cxm COMMAND --help   help for one command\n"
	      "  cxm --version        print the version\n"
	      "\n"
	      "Every command that touches data takes --db PATH (default: $CXM_DB,\n"
	      "then ./cxm.db).  Exit status: 0 success, 1 error, 2 usage error.\n",
	      out);
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return CLI_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return CLI_OK;
	}
	if (strcmp(argv[1], "--version") == 0 ||
	    strcmp(argv[1], "version") == 0) {
		printf("cxm %s\n", CXM_VERSION);
		return CLI_OK;
	}
	if (secret_init()) {
		fputs("cxm: the cryptography library could not start\n", stderr);
		return CLI_USER_ERROR;
	}
	for (i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
		if (strcmp(argv[1], COMMANDS[i].name) == 0)
			return COMMANDS[i].run(argc - 1, argv + 1);
	fprintf(stderr, "cxm: unknown command '%s'\nTry 'cxm --help'.\n",
		argv[1]);
	return CLI_USAGE;
}
