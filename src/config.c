/* config.c: the typed option table (Redis-style) and its parsers. */
#include "config.h"

#include "util/cidr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FIELD(f) offsetof(struct config, f), sizeof(((struct config *)0)->f)

const struct config_option config_options[] = {
	{ "db", "CXM_DB", CONFIG_STRING, FIELD(db), 1, CONFIG_PATH_MAX - 1,
	  "cxm.db", "database file" },
	{ "listen", "CXM_LISTEN", CONFIG_LISTEN, FIELD(listen), 0, 0,
	  "127.0.0.1:8080", "address and port to serve on (HOST:PORT)" },
	{ "threads", "CXM_THREADS", CONFIG_UINT, FIELD(threads), 0, 256,
	  "0", "worker threads (0: one per CPU core)" },
	{ "conn-timeout", "CXM_CONN_TIMEOUT", CONFIG_UINT, FIELD(conn_timeout),
	  1, 3600, "30", "seconds an idle connection stays open" },
	{ "max-connections", "CXM_MAX_CONNECTIONS", CONFIG_UINT,
	  FIELD(max_connections), 1, 60000, "1000",
	  "open connections across all clients" },
	{ "per-ip-connections", "CXM_PER_IP_CONNECTIONS", CONFIG_UINT,
	  FIELD(per_ip_connections), 1, 60000, "64",
	  "open connections from one client address" },
	{ "conn-memory", "CXM_CONN_MEMORY", CONFIG_SIZE, FIELD(conn_memory),
	  8192, 16u << 20, "64K", "buffer memory per connection" },
	{ "body-limit", "CXM_BODY_LIMIT", CONFIG_SIZE, FIELD(body_limit),
	  1024, 256u << 20, "1M", "largest request body accepted (413 above)" },
	{ "arena-limit", "CXM_ARENA_LIMIT", CONFIG_SIZE, FIELD(arena_limit),
	  1u << 20, 1024u << 20, "64M", "memory one request may use" },
	{ "shutdown-grace", "CXM_SHUTDOWN_GRACE", CONFIG_UINT,
	  FIELD(shutdown_grace), 0, 600, "10",
	  "seconds to finish in-flight requests on SIGTERM" },
	{ "static-dir", "CXM_STATIC_DIR", CONFIG_STRING, FIELD(static_dir), 0,
	  CONFIG_PATH_MAX - 1, "",
	  "folder of static files (default: static/ beside the executable)" },
	{ "exit-on-stdin-close", NULL, CONFIG_BOOL, FIELD(exit_on_stdin_close),
	  0, 1, "0", "stop gracefully when standard input closes (supervisors, tests)" },
	{ "session-idle", "CXM_SESSION_IDLE", CONFIG_UINT, FIELD(session_idle),
	  1, 1440, "30", "minutes of inactivity that end a sign-in session" },
	{ "session-max", "CXM_SESSION_MAX", CONFIG_UINT, FIELD(session_max),
	  1, 720, "12", "hours after which any sign-in session ends" },
	{ "secure-cookies", "CXM_SECURE_COOKIES", CONFIG_BOOL,
	  FIELD(secure_cookies), 0, 1, "0",
	  "mark cookies Secure (set when clients reach cxm over HTTPS)" },
	{ "trusted-proxy", "CXM_TRUSTED_PROXIES", CONFIG_CIDRS,
	  FIELD(trusted_proxies), 0, 0, "",
	  "proxy network whose X-Forwarded-For/-Proto are believed (repeatable)" },
	{ NULL, NULL, CONFIG_STRING, 0, 0, 0, 0, NULL, NULL },
};

const struct config_option *config_find(const char *name)
{
	const struct config_option *o;

	for (o = config_options; o->name; o++)
		if (strcmp(o->name, name) == 0)
			return o;
	return NULL;
}

int config_parse_size(const char *text, unsigned long long *out)
{
	unsigned long long v = 0, mult = 1;
	const char *p = text;

	if (!p || *p < '0' || *p > '9')
		return ERR_INVALID;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (ULLONG_MAX - 9) / 10)
			return ERR_INVALID;
		v = v * 10 + (unsigned long long)(*p - '0');
	}
	switch (*p) {
	case '\0': break;
	case 'k': case 'K': mult = 1ull << 10; p++; break;
	case 'm': case 'M': mult = 1ull << 20; p++; break;
	case 'g': case 'G': mult = 1ull << 30; p++; break;
	default: return ERR_INVALID;
	}
	if (*p != '\0' || (v && mult > ULLONG_MAX / v))
		return ERR_INVALID;
	*out = v * mult;
	return 0;
}

int config_parse_listen(const char *text, char *host, size_t hostcap,
			unsigned *port, struct errinfo *ei)
{
	const char *colon, *h, *pstr;
	size_t hlen;
	char tmp[CONFIG_HOST_MAX];
	unsigned char addr[16];
	unsigned long long pv;

	if (!text || !*text)
		return errinfo_set(ei, ERR_INVALID, "listen: empty address");
	if (text[0] == '[') {
		const char *close = strchr(text, ']');
		if (!close || close[1] != ':')
			return errinfo_set(ei, ERR_INVALID,
				"listen: '%s' is not [IPV6]:PORT", text);
		h = text + 1;
		hlen = (size_t)(close - h);
		pstr = close + 2;
	} else {
		colon = strrchr(text, ':');
		if (!colon)
			return errinfo_set(ei, ERR_INVALID,
				"listen: '%s' is not HOST:PORT", text);
		if (memchr(text, ':', (size_t)(colon - text)))
			return errinfo_set(ei, ERR_INVALID,
				"listen: put an IPv6 address in brackets, as [::1]:8080");
		h = text;
		hlen = (size_t)(colon - text);
		pstr = colon + 1;
	}
	if (hlen >= sizeof tmp || hlen >= hostcap)
		return errinfo_set(ei, ERR_INVALID, "listen: host too long");
	memcpy(tmp, h, hlen);
	tmp[hlen] = '\0';
	if (!*pstr || strlen(pstr) > 5 || config_parse_size(pstr, &pv) ||
	    strspn(pstr, "0123456789") != strlen(pstr) || pv > 65535)
		return errinfo_set(ei, ERR_INVALID,
			"listen: port must be a number from 0 to 65535");
	if (hlen == 0 || strcmp(tmp, "localhost") == 0)
		strcpy(tmp, "127.0.0.1");
	else if (strcmp(tmp, "*") == 0)
		strcpy(tmp, "0.0.0.0");
	if (strlen(tmp) >= hostcap)
		return errinfo_set(ei, ERR_INVALID, "listen: host too long");
	if (inet_pton(AF_INET, tmp, addr) != 1 &&
	    inet_pton(AF_INET6, tmp, addr) != 1)
		return errinfo_set(ei, ERR_INVALID,
			"listen: '%s' is not a numeric IPv4 or IPv6 address", tmp);
	memcpy(host, tmp, strlen(tmp) + 1);
	*port = (unsigned)pv;
	return 0;
}

int config_set(struct config *c, const char *name, const char *value,
	       struct errinfo *ei)
{
	const struct config_option *o = config_find(name);
	char *field;
	unsigned long long v;
	size_t len;

	if (!o)
		return errinfo_set(ei, ERR_USAGE, "unknown option --%s", name);
	field = (char *)c + o->offset;
	if (!value)
		return errinfo_set(ei, ERR_INVALID, "--%s needs a value", name);
	switch (o->type) {
	case CONFIG_STRING:
		len = strlen(value);
		if (len < o->min || len > o->max || len >= o->size)
			return errinfo_set(ei, ERR_INVALID,
				"--%s must be %llu to %llu characters", name,
				o->min, o->max);
		memcpy(field, value, len + 1);
		return 0;
	case CONFIG_LISTEN:
		if (strlen(value) >= o->size)
			return errinfo_set(ei, ERR_INVALID, "--%s: too long", name);
		if (config_parse_listen(value, c->listen_host,
					sizeof c->listen_host, &c->listen_port,
					ei))
			return ERR_INVALID;
		memcpy(field, value, strlen(value) + 1);
		return 0;
	case CONFIG_CIDRS: {
		const char *p = value;
		size_t have = strlen(field);
		if (!*value)
			return 0;
		for (;;) {
			const char *comma = strchr(p, ',');
			size_t n = comma ? (size_t)(comma - p) : strlen(p);
			char one[64];
			if (n == 0 || n >= sizeof one)
				return errinfo_set(ei, ERR_INVALID,
					"--%s: '%.100s' is not a list of networks",
					name, value);
			memcpy(one, p, n);
			one[n] = '\0';
			if (!cidr_valid(one))
				return errinfo_set(ei, ERR_INVALID,
					"--%s: '%.60s' is not an IP network (like 10.0.0.0/8)",
					name, one);
			if (!comma)
				break;
			p = comma + 1;
		}
		len = strlen(value);
		if (have + len + 2 > o->size)
			return errinfo_set(ei, ERR_INVALID, "--%s: too many networks",
					   name);
		if (have)
			field[have++] = ',';
		memcpy(field + have, value, len + 1);
		return 0;
	}
	case CONFIG_BOOL:
		if (strcmp(value, "1") == 0 || strcmp(value, "true") == 0 ||
		    strcmp(value, "yes") == 0)
			*(bool *)field = true;
		else if (strcmp(value, "0") == 0 ||
			 strcmp(value, "false") == 0 || strcmp(value, "no") == 0)
			*(bool *)field = false;
		else
			return errinfo_set(ei, ERR_INVALID,
				"--%s must be true or false", name);
		return 0;
	case CONFIG_UINT:
	case CONFIG_SIZE:
		if ((o->type == CONFIG_UINT &&
		     (strspn(value, "0123456789") != strlen(value))) ||
		    config_parse_size(value, &v) || v < o->min || v > o->max)
			return errinfo_set(ei, ERR_INVALID,
				o->type == CONFIG_UINT ?
				"--%s must be a whole number from %llu to %llu" :
				"--%s must be a size from %llu to %llu bytes (K, M, G allowed)",
				name, o->min, o->max);
		if (o->size == sizeof(unsigned))
			*(unsigned *)field = (unsigned)v;
		else
			*(size_t *)field = (size_t)v;
		return 0;
	}
	return errinfo_set(ei, ERR_INTERNAL, "--%s: bad option type", name);
}

void config_defaults(struct config *c)
{
	const struct config_option *o;

	memset(c, 0, sizeof *c);
	for (o = config_options; o->name; o++)
		if (config_set(c, o->name, o->def, NULL))
			abort(); /* the table itself is wrong: a programmer error */
}

int config_from_env(struct config *c, const char *(*getenv_fn)(const char *),
		    struct errinfo *ei)
{
	const struct config_option *o;
	const char *v;
	int rc;

	for (o = config_options; o->name; o++) {
		if (!o->env || !(v = getenv_fn(o->env)))
			continue;
		rc = config_set(c, o->name, v, ei);
		if (rc) {
			if (ei) {
				char msg[ERRINFO_MESSAGE_MAX];
				memcpy(msg, ei->message, sizeof msg);
				errinfo_set(ei, ei->code, "%s: %.200s", o->env,
					    msg);
			}
			return rc;
		}
	}
	return 0;
}

void config_print_help(FILE *out)
{
	const struct config_option *o;

	for (o = config_options; o->name; o++) {
		fprintf(out, "  --%-22s %s", o->name, o->help);
		if (o->def && *o->def && o->type != CONFIG_BOOL &&
		    o->type != CONFIG_CIDRS)
			fprintf(out, " [%s]", o->def);
		if (o->env)
			fprintf(out, " (env %s)", o->env);
		fputc('\n', out);
	}
}
