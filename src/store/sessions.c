/* sessions.c: sign-in sessions, API tokens and sign-in throttling. */
#include "accounts.h"

#include "rows.h"

int store_session_insert(struct store_conn *c, const char *token_hash,
			 int64_t user_id, const char *csrf, int64_t now,
			 struct errinfo *ei)
{
	struct store_query q;
	int rc = query_start(c, STMT_SESSION_INSERT, &q, ei);

	if (rc)
		return rc;
	query_bind_text(&q, 1, token_hash);
	query_bind_int64(&q, 2, user_id);
	query_bind_text(&q, 3, csrf);
	query_bind_int64(&q, 4, now);
	return rows_returning_id(&q, NULL, NULL, ei);
}

int store_session_get(struct store_conn *c, struct arena *a,
		      const char *token_hash, struct session *s,
		      struct errinfo *ei)
{
	struct store_query q;
	int rc = query_start(c, STMT_SESSION_GET, &q, ei);

	if (rc)
		return rc;
	query_bind_text(&q, 1, token_hash);
	rc = query_step(&q, ei);
	if (rc == 1) {
		s->id = query_int64(&q, 0);
		s->csrf = rows_text(&q, 1, a);
		s->created_at = query_int64(&q, 2);
		s->last_seen = query_int64(&q, 3);
		rc = rows_user(&q, a, &s->user, 4);
		if (!rc && !s->csrf)
			rc = ERR_NOMEM;
	} else if (rc == 0) {
		rc = errinfo_set(ei, ERR_NOTFOUND, "no such session");
	}
	query_end(&q);
	return rc;
}

static int by_id(struct store_conn *c, enum stmt id, int64_t key,
		 int64_t second, bool has_second, struct errinfo *ei)
{
	struct store_query q;
	int rc = query_start(c, id, &q, ei);

	if (rc)
		return rc;
	query_bind_int64(&q, 1, key);
	if (has_second)
		query_bind_int64(&q, 2, second);
	return rows_exec(&q, NULL, ei);
}

int store_session_touch(struct store_conn *c, int64_t id, int64_t now,
			struct errinfo *ei)
{
	return by_id(c, STMT_SESSION_TOUCH, id, now, true, ei);
}

int store_session_delete(struct store_conn *c, int64_t id, struct errinfo *ei)
{
	return by_id(c, STMT_SESSION_DELETE, id, 0, false, ei);
}

int store_session_expire(struct store_conn *c, int64_t idle_before,
			 int64_t created_before, struct errinfo *ei)
{
	return by_id(c, STMT_SESSION_EXPIRE, idle_before, created_before, true,
		     ei);
}

int store_session_delete_user(struct store_conn *c, int64_t user_id,
			      struct errinfo *ei)
{
	return by_id(c, STMT_SESSION_DELETE_USER, user_id, 0, false, ei);
}

/* --- API tokens -------------------------------------------------------- */

static int read_token(struct store_query *q, struct arena *a,
		      struct api_token *t)
{
	t->id = query_int64(q, 0);
	t->user_id = query_int64(q, 1);
	t->name = rows_text(q, 2, a);
	t->user_email = rows_text(q, 3, a);
	t->created_at = query_int64(q, 4);
	t->expires_at = query_int64(q, 5);
	t->last_used_at = query_int64(q, 6);
	t->revoked_at = query_int64(q, 7);
	return t->name && t->user_email ? 0 : ERR_NOMEM;
}

int store_token_insert(struct store_conn *c, int64_t user_id,
		       const char *name, const char *token_hash, int64_t now,
		       int64_t expires_at, int64_t *id, struct errinfo *ei)
{
	struct store_query q;
	int rc = query_start(c, STMT_TOKEN_INSERT, &q, ei);

	if (rc)
		return rc;
	query_bind_int64(&q, 1, user_id);
	query_bind_text(&q, 2, name);
	query_bind_text(&q, 3, token_hash);
	query_bind_int64(&q, 4, now);
	query_bind_int64(&q, 5, expires_at);
	return rows_returning_id(&q, id, NULL, ei);
}

int store_token_lookup(struct store_conn *c, struct arena *a,
		       const char *token_hash, int64_t now,
		       struct api_token *t, struct user *u, struct errinfo *ei)
{
	struct store_query q;
	int rc = query_start(c, STMT_TOKEN_LOOKUP, &q, ei);

	if (rc)
		return rc;
	query_bind_text(&q, 1, token_hash);
	query_bind_int64(&q, 2, now);
	rc = query_step(&q, ei);
	if (rc == 1) {
		rc = read_token(&q, a, t);
		if (!rc)
			rc = rows_user(&q, a, u, 8);
	} else if (rc == 0) {
		rc = errinfo_set(ei, ERR_NOTFOUND, "no such token");
	}
	query_end(&q);
	return rc;
}

int store_token_touch(struct store_conn *c, int64_t id, int64_t now,
		      struct errinfo *ei)
{
	return by_id(c, STMT_TOKEN_TOUCH, id, now, true, ei);
}

int store_token_list(struct store_conn *c, struct arena *a, int64_t user_id,
		     struct api_token **out, size_t *n, struct errinfo *ei)
{
	struct store_query q;
	size_t cap = 0;
	struct api_token *t;
	int rc;

	*out = NULL;
	*n = 0;
	rc = query_start(c, STMT_TOKEN_LIST, &q, ei);
	if (rc)
		return rc;
	query_bind_int64(&q, 1, user_id);
	while ((rc = query_step(&q, ei)) == 1) {
		t = rows_push(a, (void **)out, n, &cap, sizeof *t);
		if (!t || read_token(&q, a, t)) {
			rc = errinfo_set(ei, ERR_NOMEM, "out of memory");
			break;
		}
	}
	query_end(&q);
	return rc;
}

int store_token_revoke(struct store_conn *c, int64_t id, int64_t user_id,
		       int64_t now, struct errinfo *ei)
{
	struct store_query q;
	int rc = query_start(c, STMT_TOKEN_REVOKE, &q, ei);

	if (rc)
		return rc;
	query_bind_int64(&q, 1, id);
	query_bind_int64(&q, 2, user_id);
	query_bind_int64(&q, 3, now);
	rc = rows_returning_id(&q, NULL, NULL, ei);
	if (rc == ERR_NOTFOUND)
		errinfo_set(ei, rc, "no live token %lld", (long long)id);
	return rc;
}

/* --- sign-in throttling ------------------------------------------------ */

int store_throttle_get(struct store_conn *c, const char *key,
		       int64_t *failures, int64_t *last_at,
		       struct errinfo *ei)
{
	struct store_query q;
	int rc = query_start(c, STMT_THROTTLE_GET, &q, ei);

	*failures = *last_at = 0;
	if (rc)
		return rc;
	query_bind_text(&q, 1, key);
	rc = query_step(&q, ei);
	if (rc == 1) {
		*failures = query_int64(&q, 0);
		*last_at = query_int64(&q, 1);
		rc = 0;
	}
	query_end(&q);
	return rc;
}

int store_throttle_fail(struct store_conn *c, const char *key, int64_t now,
			int64_t window, struct errinfo *ei)
{
	struct store_query q;
	int rc = query_start(c, STMT_THROTTLE_FAIL, &q, ei);

	if (rc)
		return rc;
	query_bind_text(&q, 1, key);
	query_bind_int64(&q, 2, now);
	query_bind_int64(&q, 3, window);
	return rows_exec(&q, NULL, ei);
}

int store_throttle_clear(struct store_conn *c, const char *key,
			 struct errinfo *ei)
{
	struct store_query q;
	int rc = query_start(c, STMT_THROTTLE_CLEAR, &q, ei);

	if (rc)
		return rc;
	query_bind_text(&q, 1, key);
	return rows_exec(&q, NULL, ei);
}
