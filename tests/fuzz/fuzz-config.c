/* fuzz-config.c: config_set of an option picked by the first byte with the rest as value, plus config_parse_listen and config_parse_size, checking bounds and invariants. */
#include "config.h"
#include "util/cidr.h"
#include "util/err.h"

#include <arpa/inet.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond) do { if (!(cond)) __builtin_trap(); } while (0)

enum { VALUE_MAX = 300 };

static size_t option_count(void)
{
	size_t n = 0;

	while (config_options[n].name)
		n++;
	return n;
}

/* Reference for config_parse_size: 1 and the value when text is digits
 * plus an optional K/M/G suffix whose value fits in 64 bits, else 0. */
static int ref_size(const char *text, unsigned long long *out)
{
	unsigned long long v = 0, mult = 1;
	const char *p = text;

	if (*p < '0' || *p > '9')
		return 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');
		if (v > ULLONG_MAX / 10 || v * 10 > ULLONG_MAX - d)
			return 0;
		v = v * 10 + d;
	}
	if (*p == 'k' || *p == 'K')
		mult = 1ull << 10;
	else if (*p == 'm' || *p == 'M')
		mult = 1ull << 20;
	else if (*p == 'g' || *p == 'G')
		mult = 1ull << 30;
	if (mult != 1)
		p++;
	if (*p || (v && mult > ULLONG_MAX / v))
		return 0;
	*out = v * mult;
	return 1;
}

static void check_size(const char *text)
{
	unsigned long long v = 12345, want = 0;
	int rc = config_parse_size(text, &v), ok = ref_size(text, &want);

	if (rc == 0) {
		CHECK(ok && v == want);
	} else {
		CHECK(rc == ERR_INVALID);
		CHECK(v == 12345);
		/* The parser may refuse a little early near 2^64, never lower. */
		CHECK(!ok || want >= (ULLONG_MAX - 9) / 10);
	}
}

static bool numeric_host(const char *host)
{
	unsigned char addr[16];

	return inet_pton(AF_INET, host, addr) == 1 ||
	       inet_pton(AF_INET6, host, addr) == 1;
}

static void check_listen(const char *text, size_t hostcap)
{
	struct errinfo *ei = malloc(sizeof *ei);
	char *host = malloc(hostcap); /* exact size: ASan sees overruns */
	unsigned port = 77777;
	int rc;

	if (!ei || !host) {
		free(ei);
		free(host);
		return;
	}
	memset(host, 'x', hostcap);
	errinfo_clear(ei);
	rc = config_parse_listen(text, host, hostcap, &port, ei);
	if (rc == 0) {
		CHECK(memchr(host, '\0', hostcap));
		CHECK(*host);
		CHECK(numeric_host(host));
		CHECK(port <= 65535);
		CHECK(strchr(text, ':'));
	} else {
		CHECK(rc == ERR_INVALID && ei->code == ERR_INVALID);
		CHECK(ei->message[0]);
		CHECK(port == 77777);
	}
	free(host);
	free(ei);
}

/* Every entry of a comma-separated list is one valid network. */
static void check_cidr_list(const char *list)
{
	char one[CONFIG_PATH_MAX];
	const char *p = list, *comma;
	size_t n;

	if (!*list)
		return;
	for (;;) {
		comma = strchr(p, ',');
		n = comma ? (size_t)(comma - p) : strlen(p);
		CHECK(n > 0 && n < sizeof one);
		memcpy(one, p, n);
		one[n] = '\0';
		CHECK(cidr_valid(one));
		if (!comma)
			break;
		p = comma + 1;
	}
}

/* A CIDR option appends: old list, a comma when both are non-empty, then
 * the value.  Setting it again (the flag repeats) appends again or fails
 * cleanly with "too many". */
static void check_cidrs(struct config *c, const struct config *before,
			const struct config_option *o, const char *value)
{
	static struct config again;
	static struct errinfo ei;
	const char *field = (const char *)c + o->offset;
	const char *old = (const char *)before + o->offset;
	size_t have = strlen(old), len = strlen(field);
	int rc;

	CHECK(len < o->size);
	if (!*value) {
		CHECK(strcmp(field, old) == 0);
		return;
	}
	CHECK(strncmp(field, old, have) == 0);
	CHECK(strcmp(field + have + (have ? 1 : 0), value) == 0);
	if (have)
		CHECK(field[have] == ',');
	check_cidr_list(field);

	again = *c;
	errinfo_clear(&ei);
	rc = config_set(&again, o->name, value, &ei);
	field = (const char *)&again + o->offset;
	if (rc == 0) {
		CHECK(strlen(field) < o->size);
		CHECK(strncmp(field, (const char *)c + o->offset, len) == 0);
		CHECK(field[len] == ',');
		CHECK(strcmp(field + len + 1, value) == 0);
		check_cidr_list(field);
	} else {
		CHECK(rc == ERR_INVALID);
		CHECK(memcmp(&again, c, sizeof again) == 0);
	}
}

static void check_set(const struct config_option *o, const char *value)
{
	static struct config c, before;
	static struct errinfo ei;
	const char *field;
	int rc;

	config_defaults(&c);
	before = c;
	errinfo_clear(&ei);
	rc = config_set(&c, o->name, value, &ei);
	field = (const char *)&c + o->offset;
	if (rc != 0) {
		CHECK(rc == ERR_INVALID && ei.code == ERR_INVALID);
		CHECK(ei.message[0]);
		/* A refused value changes nothing. */
		CHECK(memcmp(&c, &before, sizeof c) == 0);
		return;
	}
	switch (o->type) {
	case CONFIG_STRING:
		CHECK(strcmp(field, value) == 0);
		CHECK(strlen(field) >= o->min && strlen(field) <= o->max);
		CHECK(strlen(field) < o->size);
		break;
	case CONFIG_LISTEN:
		CHECK(strcmp(c.listen, value) == 0);
		CHECK(strlen(c.listen) < sizeof c.listen);
		CHECK(memchr(c.listen_host, '\0', sizeof c.listen_host));
		CHECK(numeric_host(c.listen_host));
		CHECK(c.listen_port <= 65535);
		break;
	case CONFIG_BOOL:
		CHECK(o->size == sizeof(bool));
		CHECK(*(const unsigned char *)field <= 1);
		break;
	case CONFIG_UINT:
	case CONFIG_SIZE: {
		unsigned long long v;
		if (o->size == sizeof(unsigned))
			v = *(const unsigned *)field;
		else
			v = *(const size_t *)field;
		CHECK(v >= o->min && v <= o->max);
		if (o->type == CONFIG_UINT)
			CHECK(strspn(value, "0123456789") == strlen(value));
		{
			unsigned long long parsed;
			CHECK(config_parse_size(value, &parsed) == 0 &&
			      parsed == v);
		}
		break;
	}
	case CONFIG_CIDRS:
		check_cidrs(&c, &before, o, value);
		break;
	default:
		__builtin_trap();
	}
	/* Nothing but the option's own field (and, for listen, the parsed
	 * host and port) changed. */
	{
		size_t i;
		for (i = 0; i < sizeof c; i++) {
			bool own = i >= o->offset && i < o->offset + o->size;
			if (o->type == CONFIG_LISTEN &&
			    ((i >= offsetof(struct config, listen_host) &&
			      i < offsetof(struct config, listen_host) +
				  sizeof c.listen_host) ||
			     (i >= offsetof(struct config, listen_port) &&
			      i < offsetof(struct config, listen_port) +
				  sizeof c.listen_port)))
				own = true;
			if (!own)
				CHECK(((const char *)&c)[i] ==
				      ((const char *)&before)[i]);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static size_t nopts;
	const struct config_option *o;
	char value[VALUE_MAX + 1];
	size_t len, hostcap;

	if (size == 0)
		return 0;
	if (!nopts)
		nopts = option_count();
	o = &config_options[data[0] % nopts];
	len = size - 1 > VALUE_MAX ? VALUE_MAX : size - 1;
	memcpy(value, data + 1, len);
	value[len] = '\0';

	check_set(o, value);
	check_size(value);
	/* The host buffer as config_set passes it; with the first byte's top
	 * bit set, also a small one (the contract: at most hostcap bytes). */
	check_listen(value, CONFIG_HOST_MAX);
	if (data[0] & 0x80) {
		hostcap = 1 + (size_t)(data[0] & 0x7F) % 24;
		check_listen(value, hostcap);
	}
	return 0;
}
