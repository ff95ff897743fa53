/* users.c: users and their grants. */
#include "accounts.h"

#include "rows.h"

int store_user_insert(struct store_conn *c, struct user *u, struct errinfo *ei)
{
	struct store_query q;
	char now[32];
	int rc = query_start(c, STMT_USER_INSERT, &q, ei);

	if (rc)
		return rc;
	query_bind_text(&q, 1, u->email);
	query_bind_text(&q, 2, u->name);
	query_bind_text(&q, 3, u->password_hash);
	query_bind_int64(&q, 4, u->is_admin);
	query_bind_text(&q, 5, rows_now(now));
	return rows_returning_id(&q, &u->id,
		"a user with this email address already exists", ei);
}

static int get_one(struct store_conn *c, struct arena *a, enum stmt id,
		   int64_t key_int, const char *key_text, struct user *u,
		   struct errinfo *ei)
{
	struct store_query q;
	int rc = query_start(c, id, &q, ei);

	if (rc)
		return rc;
	if (key_text)
		query_bind_text(&q, 1, key_text);
	else
		query_bind_int64(&q, 1, key_int);
	rc = query_step(&q, ei);
	if (rc == 1)
		rc = rows_user(&q, a, u, 0);
	else if (rc == 0)
		rc = errinfo_set(ei, ERR_NOTFOUND, "no such user");
	query_end(&q);
	return rc;
}

int store_user_get(struct store_conn *c, struct arena *a, int64_t id,
		   struct user *u, struct errinfo *ei)
{
	return get_one(c, a, STMT_USER_GET, id, NULL, u, ei);
}

int store_user_by_email(struct store_conn *c, struct arena *a,
			const char *email, struct user *u, struct errinfo *ei)
{
	return get_one(c, a, STMT_USER_BY_EMAIL, 0, email, u, ei);
}

int store_user_list(struct store_conn *c, struct arena *a, struct user **out,
		    size_t *n, struct errinfo *ei)
{
	struct store_query q;
	size_t cap = 0;
	struct user *u;
	int rc;

	*out = NULL;
	*n = 0;
	rc = query_start(c, STMT_USER_LIST, &q, ei);
	if (rc)
		return rc;
	while ((rc = query_step(&q, ei)) == 1) {
		u = rows_push(a, (void **)out, n, &cap, sizeof *u);
		if (!u || rows_user(&q, a, u, 0)) {
			rc = errinfo_set(ei, ERR_NOMEM, "out of memory");
			break;
		}
	}
	query_end(&q);
	return rc;
}

int store_user_set_password(struct store_conn *c, int64_t id,
			    const char *password_hash, struct errinfo *ei)
{
	struct store_query q;
	char now[32];
	int rc = query_start(c, STMT_USER_SET_PASSWORD, &q, ei);

	if (rc)
		return rc;
	query_bind_int64(&q, 1, id);
	query_bind_text(&q, 2, password_hash);
	query_bind_text(&q, 3, rows_now(now));
	return rows_returning_id(&q, NULL, NULL, ei);
}

int store_user_set_admin(struct store_conn *c, int64_t id, bool is_admin,
			 struct errinfo *ei)
{
	struct store_query q;
	char now[32];
	int rc = query_start(c, STMT_USER_SET_ADMIN, &q, ei);

	if (rc)
		return rc;
	query_bind_int64(&q, 1, id);
	query_bind_int64(&q, 2, is_admin);
	query_bind_text(&q, 3, rows_now(now));
	return rows_returning_id(&q, NULL, NULL, ei);
}

int store_user_count(struct store_conn *c, int64_t *n, struct errinfo *ei)
{
	struct store_query q;
	int rc = query_start(c, STMT_USER_COUNT, &q, ei);

	return rc ? rc : rows_int(&q, n, ei);
}

int store_grant_set(struct store_conn *c, int64_t user_id, int64_t org_id,
		    enum role role, struct errinfo *ei)
{
	struct store_query q;
	char now[32];
	int rc;

	if (!role_is_grant(role))
		return errinfo_set(ei, ERR_INVALID,
			"a grant's role is viewer, facilitator or analyst");
	rc = query_start(c, STMT_GRANT_SET, &q, ei);
	if (rc)
		return rc;
	query_bind_int64(&q, 1, user_id);
	query_bind_int64(&q, 2, org_id);
	query_bind_text(&q, 3, role_name(role));
	query_bind_text(&q, 4, rows_now(now));
	rc = rows_exec(&q, NULL, ei);
	if (rc == ERR_CONFLICT)
		rc = errinfo_set(ei, ERR_INVALID,
				 "no such user or organization");
	return rc;
}

int store_grant_delete(struct store_conn *c, int64_t user_id, int64_t org_id,
		       struct errinfo *ei)
{
	struct store_query q;
	int rc = query_start(c, STMT_GRANT_DELETE, &q, ei);

	if (rc)
		return rc;
	query_bind_int64(&q, 1, user_id);
	query_bind_int64(&q, 2, org_id);
	rc = rows_returning_id(&q, NULL, NULL, ei);
	if (rc == ERR_NOTFOUND)
		errinfo_set(ei, rc, "the user has no grant on that organization");
	return rc;
}

int store_grant_list(struct store_conn *c, struct arena *a, int64_t user_id,
		     struct user_grant **out, size_t *n, struct errinfo *ei)
{
	struct store_query q;
	size_t cap = 0;
	struct user_grant *g;
	int rc;

	*out = NULL;
	*n = 0;
	rc = query_start(c, STMT_GRANT_LIST, &q, ei);
	if (rc)
		return rc;
	query_bind_int64(&q, 1, user_id);
	while ((rc = query_step(&q, ei)) == 1) {
		g = rows_push(a, (void **)out, n, &cap, sizeof *g);
		if (!g) {
			rc = errinfo_set(ei, ERR_NOMEM, "out of memory");
			break;
		}
		g->id = query_int64(&q, 0);
		g->user_id = query_int64(&q, 1);
		g->org_id = query_int64(&q, 2);
		g->role = role_parse(query_text(&q, 3));
		g->org_name = rows_text(&q, 4, a);
		if (!g->org_name) {
			rc = errinfo_set(ei, ERR_NOMEM, "out of memory");
			break;
		}
	}
	query_end(&q);
	return rc;
}
