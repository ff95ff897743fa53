/* role.h: roles, their order, and the rule that decides what a grant allows. */
#ifndef CXM_ROLE_H
#define CXM_ROLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a route needs.  Grant roles are ordered: each one may do what the
 * ones before it may (viewer < facilitator < analyst); admin may do
 * everything everywhere.  ROLE_UNSET exists so a route that forgets to
 * say is refused at start-up instead of being served. */
enum role {
	ROLE_UNSET = 0,
	ROLE_PUBLIC,       /* anyone, signed in or not */
	ROLE_SIGNED_IN,    /* any signed-in user */
	ROLE_VIEWER,
	ROLE_FACILITATOR,
	ROLE_ANALYST,
	ROLE_ADMIN,
	ROLE__MAX
};

/* One grant: `role` over the subtree rooted at organization `org_id`. */
struct grant {
	int64_t org_id;
	enum role role;
};

/* "viewer", "facilitator", "analyst", "admin", ... */
const char *role_name(enum role r);

/* Parses a role a user can be given: viewer, facilitator, analyst or
 * admin.  Returns ROLE_UNSET for anything else. */
enum role role_parse(const char *name);

/* True when role r is a grant role (viewer, facilitator, analyst). */
bool role_is_grant(enum role r);

/* Decides whether a user may act with role `need` on an organization.
 * `ancestors` lists the organization itself and every ancestor up to the
 * root (any order).  Admins may do anything.  ROLE_PUBLIC and
 * ROLE_SIGNED_IN are decided by the caller (they need no grant); for
 * them this returns true when signed_in.  A grant on any listed
 * organization with a role >= need allows. */
bool role_allows(bool is_admin, const struct grant *grants, size_t ngrants,
		 const int64_t *ancestors, size_t nancestors, enum role need);

/* The user's strongest grant role anywhere (ROLE_UNSET when none); admins
 * get ROLE_ADMIN.  Used for unscoped routes: "a viewer somewhere". */
enum role role_best(bool is_admin, const struct grant *grants,
		    size_t ngrants);

#endif
