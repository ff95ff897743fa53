/* cli.h: subcommands and the helpers they share. */
#ifndef CXM_CLI_H
#define CXM_CLI_H

#include <stdio.h>

#include "config.h"
#include "util/err.h"

/* Exit statuses of every command (DESIGN.md). */
enum cli_exit { CLI_OK = 0, CLI_USER_ERROR = 1, CLI_USAGE = 2 };

/* A subcommand: argv[0] is its name; returns an enum cli_exit. */
typedef int cli_command(int argc, char **argv);

int cli_init(int argc, char **argv);
int cli_serve(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_token(int argc, char **argv);
int cli_routes(int argc, char **argv);
int cli_db(int argc, char **argv);
int cli_backup(int argc, char **argv);
int cli_model(int argc, char **argv);

struct store;
struct actor;

/* Loads the sample agency into an empty database and prints the demo
 * accounts' passwords once.  0, or an exit status after printing the
 * error (a database with users or organizations is refused). */
int cli_demo_load(struct store *s);

/* Opens and migrates cfg->db with one connection.  0, or an exit status
 * after printing the error. */
int cli_open_store(const struct config *cfg, struct store **out);

/* The command line as the actor of a change: "cli:" + the OS user name
 * (written into label). */
void cli_actor(struct actor *who, char *label, size_t cap);

/* Prints "cxm: MESSAGE" for ei on stderr and returns the exit status for
 * its code (2 for usage errors, 1 otherwise). */
int cli_fail(const struct errinfo *ei);

/* Prints "cxm: " + message and a hint to use --help; returns CLI_USAGE. */
int cli_usage_error(const char *command, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* db as it may be printed: a password in a URL or conninfo becomes ***.
 * Writes into out (cap bytes) and returns it. */
const char *cli_db_label(const char *db, char *out, size_t cap);

/* Fills cfg from defaults and the environment (CXM_DB, CXM_LISTEN, ...).
 * Returns 0 or an exit status after printing the error. */
int cli_config_from_env(struct config *cfg);

/* Parses argv for the options named in `allowed` (NULL-terminated list of
 * config option names) plus --help.  Sets *help when --help was given.
 * Returns 0 or CLI_USAGE / CLI_USER_ERROR after printing the error. */
int cli_parse_options(int argc, char **argv, struct config *cfg,
		      const char *const *allowed, int *help);

#endif
