/* auth.h: who is asking (sessions, API tokens), what they may do (the route table's roles), CSRF. */
#ifndef CXM_AUTH_H
#define CXM_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "http/req.h"
#include "http/resp.h"
#include "ops/ops.h"

struct user;

enum {
	AUTH_THROTTLE_FREE = 5,          /* failures before slowing down */
	AUTH_THROTTLE_WINDOW = 15 * 60,  /* seconds failures are remembered */
	AUTH_THROTTLE_MAX_WAIT = 15 * 60,
};

#define AUTH_SESSION_COOKIE "cxm_session"
#define AUTH_CSRF_COOKIE "cxm_csrf"

/* The value of request cookie name; NULL when absent. */
const char *auth_cookie(const struct req *r, const char *name);

/* Fills r->client and r->https from the connection and, when the peer is
 * a trusted proxy, X-Forwarded-For / X-Forwarded-Proto. */
void auth_client(struct req *r);

/* Finds the caller: a Bearer token (an invalid one is ERR_UNAUTHORIZED)
 * or the session cookie (an unknown or timed-out one is anonymous, with
 * r->session_expired set for the latter).  Loads the user's grants. */
int auth_identify(struct req *r);

/* The checks of the route table, before the handler runs: signed in when
 * the route needs it (401), the role over the route's scope (403; 404 when
 * the scoped object does not exist), and CSRF on unsafe methods sent with
 * a session cookie (403). */
int auth_require_signed_in(struct req *r);
int auth_authorize(struct req *r);
int auth_check_csrf(struct req *r);

/* True when the caller holds `need` over organization org_id (0: any
 * organization, i.e. that role somewhere).  For handlers that act on a
 * second organization (moving something) or filter lists. */
bool auth_allows(struct req *r, int64_t org_id, enum role need);

/* Starts a session for u: stores it, sets the cookie on w. */
int auth_session_start(struct req *r, struct resp *w, const struct user *u);

/* Ends the caller's session (if any) and clears the cookie. */
int auth_session_end(struct req *r, struct resp *w);

/* The anonymous CSRF token for sign-in forms (double-submit cookie):
 * the cookie's value, or a new one set on w.  Returns NULL when out of
 * memory. */
const char *auth_form_token(struct req *r, struct resp *w);

/* Verifies email/password for sign-in with throttling per account and per
 * client: ERR_RATE_LIMIT (with *retry_after seconds) when slowed down,
 * ERR_UNAUTHORIZED for any wrong email or password (the same message and
 * about the same time), 0 with *out filled on success. */
int auth_check_password(struct req *r, const char *email,
			const char *password, struct user *out,
			int64_t *retry_after);

/* The caller as the actor of a change (for src/ops/). */
void auth_actor(const struct req *r, struct actor *out);

#endif
