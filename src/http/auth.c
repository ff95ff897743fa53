/* auth.c: identifying the caller, enforcing the route table's roles, CSRF, sign-in throttling. */
#include "auth.h"

#include "core/session.h"
#include "store/accounts.h"
#include "store/audit.h"
#include "util/cidr.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/secret.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { TOUCH_EVERY = 60, TOKEN_TEXT_MAX = 100, ANCESTORS_MAX = 64 };

/* An Argon2id hash of a throw-away password: verifying against it when
 * the email is unknown makes both failures take the same time. */
static const char DUMMY_HASH[] =
	"$argon2id$v=19$m=65536,t=2,p=1$vJCkFl/JFqpKb8H50szG/w$"
	"5h2EG9q6vqtjE4Bfn3aqVdzrNv5VEccN5GcsOtgPKpI";

static bool unsafe_method(enum http_method m)
{
	return m == HTTP_POST || m == HTTP_PUT || m == HTTP_PATCH ||
	       m == HTTP_DELETE;
}

const char *auth_cookie(const struct req *r, const char *name)
{
	return r->conn ? MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND,
						     name) : NULL;
}

void auth_client(struct req *r)
{
	const union MHD_ConnectionInfo *ci = NULL;
	const char *xff, *proto, *trusted = r->app->cfg->trusted_proxies;
	char peer[INET6_ADDRSTRLEN] = "";

	r->https = r->app->cfg->secure_cookies;
	r->client = "";
	if (r->conn)
		ci = MHD_get_connection_info(r->conn,
				MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
				  peer, sizeof peer);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6,
				  &((const struct sockaddr_in6 *)sa)->sin6_addr,
				  peer, sizeof peer);
	}
	r->client = arena_strdup(&r->arena, peer);
	if (!r->client)
		r->client = "";
	if (!*trusted || !cidr_list_match(trusted, peer))
		return;
	proto = req_header(r, "X-Forwarded-Proto");
	if (proto && strcasecmp(proto, "https") == 0)
		r->https = true;
	xff = req_header(r, "X-Forwarded-For");
	if (!xff)
		return;
	/* The rightmost address that is not one of our proxies is the
	 * client; anything left of it could be forged. */
	{
		/* Walk from the right, entry by entry, however long the
		 * header is: the entries a client wrote come first. */
		const char *end = xff + strlen(xff), *start;
		unsigned char tmp[16];
		char one[INET6_ADDRSTRLEN + 1];

		while (end > xff) {
			size_t n;
			start = end;
			while (start > xff && start[-1] != ',')
				start--;
			n = (size_t)(end - start);
			end = start > xff ? start - 1 : xff;
			while (n && *start == ' ') {
				start++;
				n--;
			}
			while (n && start[n - 1] == ' ')
				n--;
			if (n == 0 || n >= sizeof one) {
				if (n)
					return; /* not an address: stop, keep the peer */
				continue;
			}
			memcpy(one, start, n);
			one[n] = '\0';
			if (cidr_list_match(trusted, one))
				continue;
			if (inet_pton(AF_INET, one, tmp) == 1 ||
			    inet_pton(AF_INET6, one, tmp) == 1) {
				const char *copy = arena_strdup(&r->arena, one);
				if (copy)
					r->client = copy;
			}
			return;
		}
	}
}

static int load_grants(struct req *r)
{
	struct user_grant *g;
	size_t n, i;
	int rc = store_grant_list(req_db(r), &r->arena, r->user->id, &g, &n,
				  &r->err);

	if (rc)
		return rc;
	r->grants = arena_calloc(&r->arena, n ? n : 1, sizeof *r->grants);
	if (!r->grants)
		return ERR_NOMEM;
	for (i = 0; i < n; i++) {
		r->grants[i].org_id = g[i].org_id;
		r->grants[i].role = g[i].role;
	}
	r->ngrants = n;
	return 0;
}

static int identify_token(struct req *r, const char *token)
{
	char hash[SECRET_HASH_TEXT];
	struct api_token t;
	int64_t now = clock_unix();
	int rc;

	if (!*token || strlen(token) > TOKEN_TEXT_MAX)
		return req_fail(r, ERR_UNAUTHORIZED,
				"The API token is not valid.");
	r->user = arena_calloc(&r->arena, 1, sizeof *r->user);
	if (!r->user)
		return ERR_NOMEM;
	secret_token_hash(token, hash);
	rc = store_token_lookup(req_db(r), &r->arena, hash, now, &t, r->user,
				&r->err);
	if (rc == ERR_NOTFOUND) {
		r->user = NULL;
		errinfo_clear(&r->err);
		return req_fail(r, ERR_UNAUTHORIZED,
			"The API token is not valid, has expired or was revoked.");
	}
	if (rc)
		return rc;
	r->via = VIA_TOKEN;
	r->token_id = t.id;
	if (now - t.last_used_at >= TOUCH_EVERY)
		store_token_touch(req_db(r), t.id, now, NULL);
	return load_grants(r);
}

static int identify_session(struct req *r, const char *token)
{
	const struct config *cfg = r->app->cfg;
	char hash[SECRET_HASH_TEXT];
	struct session s;
	int64_t now = clock_unix();
	int rc;

	if (strlen(token) > TOKEN_TEXT_MAX)
		return 0;
	secret_token_hash(token, hash);
	rc = store_session_get(req_db(r), &r->arena, hash, &s, &r->err);
	if (rc == ERR_NOTFOUND) {
		errinfo_clear(&r->err);
		r->session_expired = true;
		return 0;
	}
	if (rc)
		return rc;
	if (session_is_expired(now, s.created_at, s.last_seen,
			       (int64_t)cfg->session_idle * 60,
			       (int64_t)cfg->session_max * 3600)) {
		store_session_delete(req_db(r), s.id, NULL);
		r->session_expired = true;
		return 0;
	}
	if (now - s.last_seen >= TOUCH_EVERY)
		store_session_touch(req_db(r), s.id, now, NULL);
	r->user = arena_alloc(&r->arena, sizeof *r->user);
	if (!r->user)
		return ERR_NOMEM;
	*r->user = s.user;
	r->via = VIA_SESSION;
	r->session_id = s.id;
	r->csrf = s.csrf;
	return load_grants(r);
}

int auth_identify(struct req *r)
{
	const char *authz = req_header(r, MHD_HTTP_HEADER_AUTHORIZATION);
	const char *cookie;

	if (authz) {
		if (strncasecmp(authz, "Bearer ", 7) != 0)
			return req_fail(r, ERR_UNAUTHORIZED,
				"Use 'Authorization: Bearer TOKEN' with a token from "
				"'cxm token create'.");
		return identify_token(r, authz + 7);
	}
	cookie = auth_cookie(r, AUTH_SESSION_COOKIE);
	if (cookie && *cookie)
		return identify_session(r, cookie);
	return 0;
}

int auth_require_signed_in(struct req *r)
{
	if (r->route->role == ROLE_PUBLIC || r->user)
		return 0;
	if (r->is_api)
		return req_fail(r, ERR_UNAUTHORIZED,
			"Authentication required: send 'Authorization: Bearer TOKEN'.");
	return req_fail(r, ERR_UNAUTHORIZED, r->session_expired ?
			"Your session has ended. Sign in again to continue." :
			"Sign in to continue.");
}

/* A positive decimal id of at most 18 digits, else 0. */
static int64_t parse_id(const char *s)
{
	int64_t v = 0;
	size_t n = 0;

	if (!s || !*s || *s == '0')
		return 0;
	for (; *s; s++, n++) {
		if (*s < '0' || *s > '9' || n >= 18)
			return 0;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/* org_id or parent_id from the JSON or form body: >0 an id, 0 absent or
 * null, -1 present but not an id (the handler reports it). */
static int64_t body_id(struct req *r, const char *field)
{
	if (r->json) {
		json_t *v = json_object_get(r->json, field);
		if (!v || json_is_null(v))
			return 0;
		if (!json_is_integer(v) || json_integer_value(v) <= 0)
			return -1;
		return json_integer_value(v);
	}
	if (r->form) {
		const char *v = form_get(r->form, field);
		if (!v || !*v)
			return 0;
		return parse_id(v) ? parse_id(v) : -1;
	}
	return 0;
}

bool auth_allows(struct req *r, int64_t org_id, enum role need)
{
	int64_t ids[ANCESTORS_MAX];
	size_t n = 0;

	if (!r->user)
		return need == ROLE_PUBLIC;
	if (r->user->is_admin)
		return true;
	if (need == ROLE_ADMIN)
		return false;
	if (need == ROLE_PUBLIC || need == ROLE_SIGNED_IN)
		return true;
	if (org_id <= 0)
		return role_best(false, r->grants, r->ngrants) >= need;
	if (store_org_ancestors(req_db(r), org_id, ids, ANCESTORS_MAX, &n,
				NULL))
		return false;
	return role_allows(false, r->grants, r->ngrants, ids, n, need);
}

static int forbid(struct req *r, enum role need)
{
	return req_fail(r, ERR_FORBIDDEN,
		"You need the %s role over this organization to do that.",
		role_name(need));
}

int auth_authorize(struct req *r)
{
	const struct route *rt = r->route;
	enum role need = rt->role;
	int64_t org = 0, id;
	int rc;

	if (need == ROLE_PUBLIC || need == ROLE_SIGNED_IN)
		return 0;
	if (!r->user)
		return auth_require_signed_in(r);
	if (need == ROLE_ADMIN)
		return r->user->is_admin ? 0 : req_fail(r, ERR_FORBIDDEN,
			"Only administrators can do that.");
	switch (rt->scope) {
	case SCOPE_NONE:
		return auth_allows(r, 0, need) ? 0 : forbid(r, need);
	case SCOPE_ORG:
	case SCOPE_SERVICE:
		id = parse_id(req_param(r, "id"));
		if (!id)
			return req_fail(r, ERR_NOTFOUND, "There is no such %s.",
				rt->scope == SCOPE_ORG ? "organization" : "service");
		if (rt->scope == SCOPE_SERVICE) {
			struct service s;
			rc = store_service_get(req_db(r), &r->arena, id, &s,
					       &r->err);
			if (rc == ERR_NOTFOUND)
				return req_fail(r, rc, "There is no such service.");
			if (rc)
				return rc;
			org = s.org_id;
		} else {
			int64_t ids[1];
			size_t n = 0;
			rc = store_org_ancestors(req_db(r), id, ids, 1, &n,
						 &r->err);
			if (rc)
				return rc;
			if (!n)
				return req_fail(r, ERR_NOTFOUND,
						"There is no such organization.");
			org = id;
		}
		return auth_allows(r, org, need) ? 0 : forbid(r, need);
	case SCOPE_BODY_PARENT:
	case SCOPE_BODY_ORG:
		org = body_id(r, rt->scope == SCOPE_BODY_ORG ? "org_id"
							       : "parent_id");
		if (org == 0 && rt->scope == SCOPE_BODY_PARENT)
			return r->user->is_admin ? 0 : req_fail(r, ERR_FORBIDDEN,
				"Only administrators can create top-level organizations.");
		if (org <= 0)
			/* Missing or malformed: the handler's validation
			 * names the field, for callers who may act at all. */
			return auth_allows(r, 0, need) ? 0 : forbid(r, need);
		{
			int64_t ids[1];
			size_t n = 0;
			rc = store_org_ancestors(req_db(r), org, ids, 1, &n,
						 &r->err);
			if (rc)
				return rc;
			if (!n)
				return auth_allows(r, 0, need) ? 0
							       : forbid(r, need);
		}
		return auth_allows(r, org, need) ? 0 : forbid(r, need);
	case SCOPE__MAX:
		break;
	}
	return req_fail(r, ERR_INTERNAL, "route without a valid scope");
}

int auth_check_csrf(struct req *r)
{
	const char *sent = NULL;

	if (!unsafe_method(r->method) || r->via != VIA_SESSION ||
	    (r->route->flags & ROUTE_NO_CSRF))
		return 0;
	if (r->form)
		sent = form_get(r->form, "csrf");
	if (!sent)
		sent = req_header(r, "X-CSRF-Token");
	if (sent && r->csrf &&
	    secret_equal(sent, strlen(sent), r->csrf, strlen(r->csrf)))
		return 0;
	return req_fail(r, ERR_FORBIDDEN,
		"This form has expired or did not come from this site. "
		"Reload the page and try again.");
}

static const char *cookie_value(struct req *r, const char *name,
				const char *value, int64_t max_age,
				const char *samesite)
{
	return arena_printf(&r->arena, "%s=%s; Path=/; Max-Age=%lld; HttpOnly; "
			    "SameSite=%s%s", name, value, (long long)max_age,
			    samesite, r->https ? "; Secure" : "");
}

int auth_session_start(struct req *r, struct resp *w, const struct user *u)
{
	const struct config *cfg = r->app->cfg;
	char token[SECRET_TOKEN_TEXT], csrf[SECRET_TOKEN_TEXT];
	char hash[SECRET_HASH_TEXT];
	int64_t now = clock_unix();
	const char *cookie;
	int rc;

	secret_token(token);
	secret_token(csrf);
	secret_token_hash(token, hash);
	store_session_expire(req_db(r), now - (int64_t)cfg->session_idle * 60,
			     now - (int64_t)cfg->session_max * 3600, NULL);
	rc = store_session_insert(req_db(r), hash, u->id, csrf, now, &r->err);
	if (rc)
		return rc;
	cookie = cookie_value(r, AUTH_SESSION_COOKIE, token,
			      (int64_t)cfg->session_max * 3600, "Lax");
	if (!cookie)
		return ERR_NOMEM;
	return resp_header(w, "Set-Cookie", cookie);
}

int auth_session_end(struct req *r, struct resp *w)
{
	const char *cookie = cookie_value(r, AUTH_SESSION_COOKIE, "", 0, "Lax");

	if (r->session_id)
		store_session_delete(req_db(r), r->session_id, NULL);
	if (!cookie)
		return ERR_NOMEM;
	return resp_header(w, "Set-Cookie", cookie);
}

const char *auth_form_token(struct req *r, struct resp *w)
{
	const char *have = auth_cookie(r, AUTH_CSRF_COOKIE);
	char token[SECRET_TOKEN_TEXT];
	const char *cookie;

	if (have && strlen(have) == SECRET_TOKEN_TEXT - 1 &&
	    strspn(have, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		   "0123456789-_") == SECRET_TOKEN_TEXT - 1)
		return have;
	secret_token(token);
	cookie = cookie_value(r, AUTH_CSRF_COOKIE, token, 12 * 3600, "Strict");
	if (!cookie || resp_header(w, "Set-Cookie", cookie))
		return NULL;
	return arena_strdup(&r->arena, token);
}

/* Seconds the caller must still wait for key, 0 when free to try. */
static int64_t throttle_wait(struct req *r, const char *key, int64_t now)
{
	int64_t failures = 0, last = 0, wait;

	if (store_throttle_get(req_db(r), key, &failures, &last, NULL))
		return 0;
	if (failures < AUTH_THROTTLE_FREE || now - last > AUTH_THROTTLE_WINDOW)
		return 0;
	wait = failures - AUTH_THROTTLE_FREE >= 10 ? AUTH_THROTTLE_MAX_WAIT
		: (int64_t)1 << (failures - AUTH_THROTTLE_FREE);
	if (wait > AUTH_THROTTLE_MAX_WAIT)
		wait = AUTH_THROTTLE_MAX_WAIT;
	return now - last < wait ? wait - (now - last) : 0;
}

int auth_check_password(struct req *r, const char *email,
			const char *password, struct user *out,
			int64_t *retry_after)
{
	char *acct = arena_printf(&r->arena, "account:%.254s", email ? email : "");
	char *client = arena_printf(&r->arena, "client:%s", r->client);
	int64_t now = clock_unix(), w1, w2;
	struct store_conn *db = req_db(r);
	bool ok;
	int rc;

	*retry_after = 0;
	if (!acct || !client)
		return ERR_NOMEM;
	w1 = throttle_wait(r, acct, now);
	w2 = throttle_wait(r, client, now);
	if (w1 || w2) {
		*retry_after = w1 > w2 ? w1 : w2;
		return req_fail(r, ERR_RATE_LIMIT,
			"Too many failed sign-in attempts. Wait %lld seconds "
			"and try again.", (long long)*retry_after);
	}
	rc = store_user_by_email(db, &r->arena, email ? email : "", out,
				 &r->err);
	if (rc && rc != ERR_NOTFOUND)
		return rc;
	if (rc == ERR_NOTFOUND) {
		secret_password_verify(DUMMY_HASH, password ? password : "");
		ok = false;
	} else {
		ok = secret_password_verify(out->password_hash,
					    password ? password : "");
	}
	errinfo_clear(&r->err);
	if (!ok) {
		struct errinfo fe;
		int frc;

		errinfo_clear(&fe);
		frc = store_tx_begin(db, &fe);
		if (!frc)
			frc = store_throttle_fail(db, acct, now,
						  AUTH_THROTTLE_WINDOW, &fe);
		if (!frc)
			frc = store_throttle_fail(db, client, now,
						  AUTH_THROTTLE_WINDOW, &fe);
		if (!frc && rc == 0) {
			struct audit_entry e = {
				.actor_id = 0, .actor = out->email,
				.via = "web", .action = "sign-in-failed",
				.object_type = "user",
				.object_id = out->id, .client = r->client,
			};
			frc = store_audit_insert(db, &e, &fe);
		}
		if (!frc)
			frc = store_tx_commit(db, &fe);
		else
			store_tx_rollback(db);
		/* The failure still counts for the caller; recording it is
		 * what failed, and an operator must hear about that. */
		if (frc)
			log_msg(LOG_ERROR, "could not record a failed sign-in: %s",
				fe.message);
		return req_fail(r, ERR_UNAUTHORIZED,
				"The email address or password is not correct.");
	}
	store_throttle_clear(db, acct, NULL);
	store_throttle_clear(db, client, NULL);
	return 0;
}

void auth_actor(const struct req *r, struct actor *out)
{
	out->user_id = r->user ? r->user->id : 0;
	out->label = r->user ? r->user->email : "anonymous";
	out->via = r->via == VIA_TOKEN ? "api" : "web";
	out->client = r->client ? r->client : "";
	out->token_id = r->via == VIA_TOKEN ? r->token_id : 0;
}
