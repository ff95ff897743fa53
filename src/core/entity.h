/* entity.h: the rules for organizations, services and users: kinds, channels, field limits. */
#ifndef CXM_ENTITY_H
#define CXM_ENTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

enum {
	ENTITY_NAME_MAX = 200,          /* characters */
	ENTITY_SHORT_NAME_MAX = 32,
	ENTITY_DESCRIPTION_MAX = 4000,
	ENTITY_EMAIL_MAX = 254,
	ENTITY_TOKEN_NAME_MAX = 100,
	ENTITY_CHANNELS_MAX = 18,
};

/* Organization kinds, in the order a form offers them. */
extern const char *const entity_org_kinds[];       /* NULL-terminated */

/* Service channels (the Touchpoints list) and their labels. */
struct entity_channel { const char *key, *label; };
extern const struct entity_channel entity_channels[]; /* ends with {NULL} */

/* The label for a channel key; NULL when unknown. */
const char *entity_channel_label(const char *key);

/* What a caller wants to store for an organization.  Unset optional text
 * is NULL. */
struct org_input {
	const char *name, *short_name, *kind;
	int64_t parent_id;              /* 0: top level */
};

struct service_input {
	const char *name, *description;
	int64_t org_id;
	const char *channels[ENTITY_CHANNELS_MAX];
	size_t nchannels;
	bool hisp;
	int64_t annual_customers;       /* -1: not known */
};

/* Checks every field and records one errinfo detail per problem, naming
 * the field; returns ERR_INVALID when there was any, else 0. */
int entity_org_check(const struct org_input *in, struct errinfo *ei);
int entity_service_check(const struct service_input *in, struct errinfo *ei);

/* Checks a name-like text: required, valid UTF-8, no control characters,
 * at most max characters.  Adds a detail for `field` and returns false
 * when it fails. */
bool entity_text_ok(const char *value, const char *field, bool required,
		    size_t max, struct errinfo *ei);

/* Normalises and checks an email address in place-free fashion: writes
 * the lower-cased address into out (cap bytes) and returns true when it
 * looks like local@domain (no spaces or control characters, one @, a dot
 * in the domain, at most ENTITY_EMAIL_MAX bytes). */
bool entity_email_normalize(const char *in, char *out, size_t cap);

/* Counts UTF-8 code points in s (s must be valid UTF-8). */
size_t entity_chars(const char *s);

#endif
