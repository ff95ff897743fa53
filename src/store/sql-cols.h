/* sql-cols.h: column lists both engines' SQL select, in the order the row
 * readers (orgs.c, users.c, sessions.c, rows.c) take them (internal). */
#ifndef CXM_SQL_COLS_H
#define CXM_SQL_COLS_H

#define ORG_COLS "o.id, coalesce(o.parent_id, 0), o.name, o.short_name, o.kind, " \
	"o.created_at, o.updated_at"
#define SERVICE_COLS "s.id, s.org_id, s.name, s.description, s.channels, s.hisp, " \
	"coalesce(s.annual_customers, -1), o.name, s.created_at, s.updated_at"
#define USER_COLS "u.id, u.email, u.name, u.password_hash, u.is_admin, u.created_at"
#define TOKEN_COLS "t.id, t.user_id, t.name, u.email, t.created_at, " \
	"coalesce(t.expires_at, 0), coalesce(t.last_used_at, 0), coalesce(t.revoked_at, 0)"

#endif
