/* config.h: every server setting, its bounds, and parsing from flags and environment. */
#ifndef CXM_CONFIG_H
#define CXM_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util/err.h"

enum { CONFIG_PATH_MAX = 1024, CONFIG_HOST_MAX = 256 };

/* Settings of `cxm serve` (and the `--db` of every command).  Filled by
 * config_defaults(), then config_from_env(), then config_set() per flag;
 * read-only once the server starts. */
struct config {
	char db[CONFIG_PATH_MAX];          /* SQLite path (or, later, URL) */
	char listen[CONFIG_HOST_MAX + 8];  /* as given: HOST:PORT */
	char listen_host[CONFIG_HOST_MAX]; /* parsed numeric address */
	unsigned listen_port;              /* 0: any free port */
	unsigned threads;                  /* worker threads; 0: one per core */
	unsigned conn_timeout;             /* idle seconds before a close */
	unsigned max_connections;          /* open connections, all clients */
	unsigned per_ip_connections;       /* open connections per client */
	size_t conn_memory;                /* bytes of buffer per connection */
	size_t body_limit;                 /* largest request body (413) */
	size_t arena_limit;                /* memory one request may use */
	unsigned shutdown_grace;           /* seconds to finish in-flight work */
	char static_dir[CONFIG_PATH_MAX];  /* "" : next to the executable */
	bool exit_on_stdin_close;          /* stop when stdin reaches EOF */
	unsigned session_idle;             /* minutes before an idle session ends */
	unsigned session_max;              /* hours before any session ends */
	bool secure_cookies;               /* mark cookies Secure (behind TLS) */
	char trusted_proxies[CONFIG_PATH_MAX]; /* comma-separated CIDRs */
};

/* CONFIG_CIDRS appends each value (one network, or several separated by
 * commas) to a comma-separated list, so the flag can be repeated. */
enum config_type { CONFIG_STRING, CONFIG_UINT, CONFIG_SIZE, CONFIG_LISTEN,
		   CONFIG_BOOL, CONFIG_CIDRS };

/* One row of the option table: the flag `--name`, the environment variable
 * (NULL: none), the type and bounds, and the help text. */
struct config_option {
	const char *name;
	const char *env;
	enum config_type type;
	size_t offset, size;               /* field in struct config */
	unsigned long long min, max;       /* for UINT and SIZE */
	const char *def;                   /* default, as text */
	const char *help;
};

/* The option table, terminated by a row whose name is NULL. */
extern const struct config_option config_options[];

/* Fills every field with its default.  Never fails. */
void config_defaults(struct config *c);

/* Sets option `name` (without leading dashes) from text.  Returns
 * ERR_USAGE for an unknown name and ERR_INVALID for a bad value, with a
 * message naming the option and the allowed range in ei. */
int config_set(struct config *c, const char *name, const char *value,
	       struct errinfo *ei);

/* Finds an option by name; NULL when unknown. */
const struct config_option *config_find(const char *name);

/* Applies every option's environment variable that getenv_fn returns
 * non-NULL for (pass getenv; tests pass a fake).  Errors as config_set,
 * naming the variable. */
int config_from_env(struct config *c, const char *(*getenv_fn)(const char *),
		    struct errinfo *ei);

/* Parses "HOST:PORT", "[IPv6]:PORT" or ":PORT" (host 127.0.0.1) into
 * host/port.  Host must be a numeric IPv4 or IPv6 address, "localhost"
 * (taken as 127.0.0.1) or "*" (all interfaces); port 0-65535. */
int config_parse_listen(const char *text, char *host, size_t hostcap,
			unsigned *port, struct errinfo *ei);

/* Parses a byte size: digits with an optional K, M or G suffix (powers of
 * 1024).  Rejects overflow, signs, spaces and empty strings. */
int config_parse_size(const char *text, unsigned long long *out);

/* Prints the option table as help text. */
void config_print_help(FILE *out);

#endif
