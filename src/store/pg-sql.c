/* pg-sql.c: the SQL text of every statement, PostgreSQL dialect.
 * Same statements and parameter numbers as sqlite-sql.c; parameters carry
 * casts where PostgreSQL cannot infer their type, and orderings use the
 * "C" collation so both engines sort alike. */
#include "engine.h"

#include "sql-cols.h"

const char *const store_pg_sql[STMT__MAX] = {
	[STMT_MIGRATIONS_TABLE] =
		"CREATE TABLE IF NOT EXISTS schema_migrations ("
		" version INTEGER PRIMARY KEY,"
		" name TEXT NOT NULL,"
		" applied_at TEXT NOT NULL)",
	[STMT_MIGRATIONS_MAX] =
		"SELECT coalesce(max(version), 0) FROM schema_migrations",
	[STMT_MIGRATIONS_INSERT] =
		"INSERT INTO schema_migrations (version, name, applied_at)"
		" VALUES ($1, $2, $3)",
	[STMT_HEALTH] = "SELECT count(*) FROM schema_migrations",

	[STMT_ORG_INSERT] =
		"INSERT INTO orgs (parent_id, name, short_name, kind, created_at, updated_at)"
		" VALUES (nullif($1::bigint, 0), $2, $3, $4, $5, $5) RETURNING id",
	[STMT_ORG_GET] =
		"SELECT " ORG_COLS ","
		" (SELECT count(*) FROM services WHERE org_id = o.id),"
		" (SELECT count(*) FROM orgs WHERE parent_id = o.id)"
		" FROM orgs o WHERE o.id = $1",
	[STMT_ORG_LIST_ALL] =
		"WITH RECURSIVE tree(id, depth, path) AS ("
		" SELECT id, 0, lower(name) || chr(1) || id::text FROM orgs WHERE parent_id IS NULL"
		" UNION ALL SELECT c.id, t.depth + 1, t.path || chr(2) || lower(c.name) || chr(1) || c.id::text"
		" FROM orgs c JOIN tree t ON c.parent_id = t.id)"
		" SELECT " ORG_COLS ", t.depth,"
		" (SELECT count(*) FROM services WHERE org_id = o.id),"
		" (SELECT count(*) FROM orgs WHERE parent_id = o.id)"
		" FROM tree t JOIN orgs o ON o.id = t.id ORDER BY t.path COLLATE \"C\"",
	[STMT_ORG_LIST_VISIBLE] =
		"WITH RECURSIVE tree(id, depth, path) AS ("
		" SELECT id, 0, lower(name) || chr(1) || id::text FROM orgs WHERE parent_id IS NULL"
		" UNION ALL SELECT c.id, t.depth + 1, t.path || chr(2) || lower(c.name) || chr(1) || c.id::text"
		" FROM orgs c JOIN tree t ON c.parent_id = t.id),"
		" visible(id) AS ("
		" SELECT org_id FROM grants WHERE user_id = $1"
		" UNION SELECT c.id FROM orgs c JOIN visible v ON c.parent_id = v.id)"
		" SELECT " ORG_COLS ", t.depth,"
		" (SELECT count(*) FROM services WHERE org_id = o.id),"
		" (SELECT count(*) FROM orgs WHERE parent_id = o.id)"
		" FROM tree t JOIN orgs o ON o.id = t.id"
		" WHERE o.id IN (SELECT id FROM visible) ORDER BY t.path COLLATE \"C\"",
	[STMT_ORG_UPDATE] =
		"UPDATE orgs SET parent_id = nullif($2::bigint, 0), name = $3, short_name = $4,"
		" kind = $5, updated_at = $6 WHERE id = $1 RETURNING id",
	[STMT_ORG_DELETE] = "DELETE FROM orgs WHERE id = $1 RETURNING id",
	[STMT_ORG_ANCESTORS] =
		/* UNION (not ALL) ends the walk even on corrupt, cyclic data. */
		"WITH RECURSIVE up(id, parent_id) AS ("
		" SELECT id, parent_id FROM orgs WHERE id = $1"
		" UNION SELECT o.id, o.parent_id FROM orgs o JOIN up ON o.id = up.parent_id)"
		" SELECT id FROM up",
	[STMT_ORG_IS_DESCENDANT] =
		/* 1 when $2 is $1 or lies beneath it */
		"WITH RECURSIVE down(id) AS ("
		" SELECT $1::bigint"
		" UNION SELECT o.id FROM orgs o JOIN down ON o.parent_id = down.id)"
		" SELECT count(*) FROM down WHERE id = $2",
	[STMT_ORG_HEIGHT] =
		/* levels beneath $1 (0 for a leaf) */
		"WITH RECURSIVE down(id, d) AS ("
		" SELECT $1::bigint, 0"
		" UNION SELECT o.id, down.d + 1 FROM orgs o JOIN down ON o.parent_id = down.id"
		" WHERE down.d < 1000)"
		" SELECT max(d) FROM down",
	[STMT_ORG_EXISTS] = "SELECT count(*) FROM orgs WHERE id = $1",

	[STMT_SERVICE_INSERT] =
		"INSERT INTO services (org_id, name, description, channels, hisp,"
		" annual_customers, created_at, updated_at)"
		" VALUES ($1, $2, $3, $4, $5, nullif($6::bigint, -1), $7, $7) RETURNING id",
	[STMT_SERVICE_GET] =
		"SELECT " SERVICE_COLS " FROM services s JOIN orgs o ON o.id = s.org_id"
		" WHERE s.id = $1",
	[STMT_SERVICE_LIST] =
		"WITH RECURSIVE under(id) AS ("
		" SELECT id FROM orgs WHERE $1::bigint = 0 OR id = $1::bigint"
		" UNION SELECT c.id FROM orgs c JOIN under u ON c.parent_id = u.id),"
		" visible(id) AS ("
		" SELECT id FROM orgs WHERE $2::bigint = 0"
		" UNION SELECT org_id FROM grants WHERE user_id = $2"
		" UNION SELECT c.id FROM orgs c JOIN visible v ON c.parent_id = v.id)"
		" SELECT " SERVICE_COLS " FROM services s JOIN orgs o ON o.id = s.org_id"
		" WHERE s.org_id IN (SELECT id FROM under) AND s.org_id IN (SELECT id FROM visible)"
		" ORDER BY lower(o.name) COLLATE \"C\", o.id, lower(s.name) COLLATE \"C\"",
	[STMT_SERVICE_UPDATE] =
		"UPDATE services SET org_id = $2, name = $3, description = $4, channels = $5,"
		" hisp = $6, annual_customers = nullif($7::bigint, -1), updated_at = $8 WHERE id = $1 RETURNING id",
	[STMT_SERVICE_DELETE] = "DELETE FROM services WHERE id = $1 RETURNING id",

	[STMT_USER_INSERT] =
		"INSERT INTO users (email, name, password_hash, is_admin, created_at, updated_at)"
		" VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
	[STMT_USER_GET] = "SELECT " USER_COLS " FROM users u WHERE u.id = $1",
	[STMT_USER_BY_EMAIL] = "SELECT " USER_COLS " FROM users u WHERE u.email = $1",
	[STMT_USER_LIST] = "SELECT " USER_COLS " FROM users u ORDER BY u.email COLLATE \"C\"",
	[STMT_USER_SET_PASSWORD] =
		"UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1 RETURNING id",
	[STMT_USER_SET_ADMIN] =
		"UPDATE users SET is_admin = $2, updated_at = $3 WHERE id = $1 RETURNING id",
	[STMT_USER_COUNT] = "SELECT count(*) FROM users",
	[STMT_GRANT_SET] =
		"INSERT INTO grants (user_id, org_id, role, created_at) VALUES ($1, $2, $3, $4)"
		" ON CONFLICT (user_id, org_id) DO UPDATE SET role = excluded.role",
	[STMT_GRANT_DELETE] = "DELETE FROM grants WHERE user_id = $1 AND org_id = $2 RETURNING id",
	[STMT_GRANT_LIST] =
		"SELECT g.id, g.user_id, g.org_id, g.role, o.name FROM grants g"
		" JOIN orgs o ON o.id = g.org_id WHERE g.user_id = $1 ORDER BY lower(o.name) COLLATE \"C\"",

	[STMT_SESSION_INSERT] =
		"INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen)"
		" VALUES ($1, $2, $3, $4, $4) RETURNING id",
	[STMT_SESSION_GET] =
		"SELECT s.id, s.csrf, s.created_at, s.last_seen, " USER_COLS
		" FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
	[STMT_SESSION_TOUCH] = "UPDATE sessions SET last_seen = $2 WHERE id = $1",
	[STMT_SESSION_DELETE] = "DELETE FROM sessions WHERE id = $1",
	[STMT_SESSION_EXPIRE] =
		"DELETE FROM sessions WHERE last_seen < $1 OR created_at < $2",
	[STMT_SESSION_DELETE_USER] = "DELETE FROM sessions WHERE user_id = $1",

	[STMT_TOKEN_INSERT] =
		"INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at)"
		" VALUES ($1, $2, $3, $4, nullif($5::bigint, 0)) RETURNING id",
	[STMT_TOKEN_LOOKUP] =
		"SELECT " TOKEN_COLS ", " USER_COLS
		" FROM api_tokens t JOIN users u ON u.id = t.user_id"
		" WHERE t.token_hash = $1 AND t.revoked_at IS NULL"
		" AND (t.expires_at IS NULL OR t.expires_at > $2)",
	[STMT_TOKEN_TOUCH] = "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1",
	[STMT_TOKEN_LIST] =
		"SELECT " TOKEN_COLS " FROM api_tokens t JOIN users u ON u.id = t.user_id"
		" WHERE $1::bigint = 0 OR t.user_id = $1::bigint ORDER BY t.created_at DESC, t.id DESC",
	[STMT_TOKEN_REVOKE] =
		"UPDATE api_tokens SET revoked_at = $3 WHERE id = $1"
		" AND ($2::bigint = 0 OR user_id = $2::bigint) AND revoked_at IS NULL RETURNING id",

	[STMT_THROTTLE_GET] =
		"SELECT failures, last_at FROM login_failures WHERE key = $1",
	[STMT_THROTTLE_FAIL] =
		"INSERT INTO login_failures (key, failures, last_at) VALUES ($1, 1, $2)"
		" ON CONFLICT (key) DO UPDATE SET"
		" failures = CASE WHEN login_failures.last_at < $2::bigint - $3::bigint"
		" THEN 1 ELSE login_failures.failures + 1 END,"
		" last_at = $2",
	[STMT_THROTTLE_CLEAR] = "DELETE FROM login_failures WHERE key = $1",

	[STMT_AUDIT_INSERT] =
		"INSERT INTO audit_log (at, actor_id, actor, via, action, object_type,"
		" object_id, changes, client)"
		" VALUES ($1, nullif($2::bigint, 0), $3, $4, $5, $6, nullif($7::bigint, 0), $8, $9) RETURNING id",
	[STMT_AUDIT_LIST] =
		"SELECT id, at, coalesce(actor_id, 0), actor, via, action, object_type,"
		" coalesce(object_id, 0), changes, client FROM audit_log"
		" WHERE ($1::text IS NULL OR at >= $1::text) AND ($2::text IS NULL OR action = $2::text)"
		" AND ($3::text IS NULL OR object_type = $3::text) AND ($4::text IS NULL OR actor = $4::text)"
		" AND ($5::bigint = 0 OR id < $5::bigint)"
		" ORDER BY id DESC LIMIT $6::bigint",

	[STMT_MODEL_INSERT] =
		"INSERT INTO models (id, version, title, content, sha256, nfunctions,"
		" nindicators, imported_at) VALUES ($1, $2, $3, $4, $5, $6::integer,"
		" $7::integer, $8)",
	[STMT_MODEL_GET] =
		"SELECT id, version, title, nfunctions, nindicators, imported_at,"
		" content, sha256 FROM models WHERE id = $1 AND version = $2",
	[STMT_MODEL_LIST] =
		"SELECT id, version, title, nfunctions, nindicators, imported_at"
		" FROM models ORDER BY id COLLATE \"C\", imported_at COLLATE \"C\","
		" version COLLATE \"C\"",

	/* cxm db copy (column lists must match copy.c) */
	[STMT_COPY_READ_SETTINGS] = "SELECT key, value, updated_at FROM settings ORDER BY 1",
	[STMT_COPY_WRITE_SETTINGS] = "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)",
	[STMT_COPY_COUNT_SETTINGS] = "SELECT count(*) FROM settings",
	[STMT_COPY_READ_ORGS] = "SELECT id, name, short_name, kind, created_at, updated_at FROM orgs ORDER BY 1",
	[STMT_COPY_WRITE_ORGS] = "INSERT INTO orgs (id, name, short_name, kind, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)",
	[STMT_COPY_COUNT_ORGS] = "SELECT count(*) FROM orgs",
	[STMT_COPY_READ_SERVICES] = "SELECT id, org_id, name, description, channels, hisp, annual_customers, created_at, updated_at FROM services ORDER BY 1",
	[STMT_COPY_WRITE_SERVICES] = "INSERT INTO services (id, org_id, name, description, channels, hisp, annual_customers, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
	[STMT_COPY_COUNT_SERVICES] = "SELECT count(*) FROM services",
	[STMT_COPY_READ_USERS] = "SELECT id, email, name, password_hash, is_admin, created_at, updated_at FROM users ORDER BY 1",
	[STMT_COPY_WRITE_USERS] = "INSERT INTO users (id, email, name, password_hash, is_admin, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
	[STMT_COPY_COUNT_USERS] = "SELECT count(*) FROM users",
	[STMT_COPY_READ_GRANTS] = "SELECT id, user_id, org_id, role, created_at FROM grants ORDER BY 1",
	[STMT_COPY_WRITE_GRANTS] = "INSERT INTO grants (id, user_id, org_id, role, created_at) VALUES ($1, $2, $3, $4, $5)",
	[STMT_COPY_COUNT_GRANTS] = "SELECT count(*) FROM grants",
	[STMT_COPY_READ_SESSIONS] = "SELECT id, token_hash, user_id, csrf, created_at, last_seen FROM sessions ORDER BY 1",
	[STMT_COPY_WRITE_SESSIONS] = "INSERT INTO sessions (id, token_hash, user_id, csrf, created_at, last_seen) VALUES ($1, $2, $3, $4, $5, $6)",
	[STMT_COPY_COUNT_SESSIONS] = "SELECT count(*) FROM sessions",
	[STMT_COPY_READ_API_TOKENS] = "SELECT id, user_id, name, token_hash, created_at, expires_at, last_used_at, revoked_at FROM api_tokens ORDER BY 1",
	[STMT_COPY_WRITE_API_TOKENS] = "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, expires_at, last_used_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
	[STMT_COPY_COUNT_API_TOKENS] = "SELECT count(*) FROM api_tokens",
	[STMT_COPY_READ_LOGIN_FAILURES] = "SELECT key, failures, last_at FROM login_failures ORDER BY 1",
	[STMT_COPY_WRITE_LOGIN_FAILURES] = "INSERT INTO login_failures (key, failures, last_at) VALUES ($1, $2, $3)",
	[STMT_COPY_COUNT_LOGIN_FAILURES] = "SELECT count(*) FROM login_failures",
	[STMT_COPY_READ_AUDIT_LOG] = "SELECT id, at, actor_id, actor, via, action, object_type, object_id, changes, client FROM audit_log ORDER BY 1",
	[STMT_COPY_WRITE_AUDIT_LOG] = "INSERT INTO audit_log (id, at, actor_id, actor, via, action, object_type, object_id, changes, client) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
	[STMT_COPY_COUNT_AUDIT_LOG] = "SELECT count(*) FROM audit_log",
	[STMT_COPY_READ_MODELS] = "SELECT id, version, title, content, sha256, nfunctions, nindicators, imported_at FROM models ORDER BY 1, 2",
	[STMT_COPY_WRITE_MODELS] = "INSERT INTO models (id, version, title, content, sha256, nfunctions, nindicators, imported_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
	[STMT_COPY_COUNT_MODELS] = "SELECT count(*) FROM models",
	[STMT_COPY_ORG_PARENT] = "UPDATE orgs SET parent_id = $2 WHERE id = $1",
	[STMT_COPY_CLEAR_SETTINGS] = "DELETE FROM settings",
	/* One channel for every event: "topic\npayload", delivered on commit. */
	[STMT_NOTIFY] = "SELECT pg_notify('cxm_events', $1::text || chr(10) || $2::text)",
};
