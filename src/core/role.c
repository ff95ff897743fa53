/* role.c: the role order and grant checks (pure). */
#include "role.h"

#include <string.h>

static const char *const NAMES[ROLE__MAX] = {
	[ROLE_UNSET] = "unset", [ROLE_PUBLIC] = "public",
	[ROLE_SIGNED_IN] = "signed-in", [ROLE_VIEWER] = "viewer",
	[ROLE_FACILITATOR] = "facilitator", [ROLE_ANALYST] = "analyst",
	[ROLE_ADMIN] = "admin",
};

const char *role_name(enum role r)
{
	return (unsigned)r < ROLE__MAX ? NAMES[r] : "unset";
}

enum role role_parse(const char *name)
{
	enum role r;

	if (!name)
		return ROLE_UNSET;
	for (r = ROLE_VIEWER; r < ROLE__MAX; r++)
		if (strcmp(name, NAMES[r]) == 0)
			return r;
	return ROLE_UNSET;
}

bool role_is_grant(enum role r)
{
	return r == ROLE_VIEWER || r == ROLE_FACILITATOR || r == ROLE_ANALYST;
}

bool role_allows(bool is_admin, const struct grant *grants, size_t ngrants,
		 const int64_t *ancestors, size_t nancestors, enum role need)
{
	size_t i, j;

	if (need == ROLE_UNSET || need >= ROLE__MAX)
		return false;
	if (is_admin)
		return true;
	if (need == ROLE_ADMIN)
		return false;
	if (need == ROLE_PUBLIC || need == ROLE_SIGNED_IN)
		return true;
	for (i = 0; i < ngrants; i++) {
		if (grants[i].role < need || !role_is_grant(grants[i].role))
			continue;
		for (j = 0; j < nancestors; j++)
			if (grants[i].org_id == ancestors[j])
				return true;
	}
	return false;
}

enum role role_best(bool is_admin, const struct grant *grants,
		    size_t ngrants)
{
	enum role best = ROLE_UNSET;
	size_t i;

	if (is_admin)
		return ROLE_ADMIN;
	for (i = 0; i < ngrants; i++)
		if (role_is_grant(grants[i].role) && grants[i].role > best)
			best = grants[i].role;
	return best;
}
