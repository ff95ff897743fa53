/* test-accounts.c: organizations, services, users, grants, sessions, tokens, throttling and the audit log on SQLite, and the audited ops over them. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/entity.h"
#include "core/role.h"
#include "ops/ops.h"
#include "store/accounts.h"
#include "store/audit.h"
#include "store/engine.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/err.h"
#include "util/secret.h"

static char tmpdir[64];
static int db_counter;

/* One fresh, migrated database per test. */
struct fx {
	char path[256];
	struct store *s;
	struct store_conn *c;
	struct arena a;
	struct errinfo ei;
};

static const struct actor CLI = {
	.user_id = 0, .label = "cli:tester", .via = "cli", .client = "",
};

static int group_setup(void **state)
{
	(void)state;
	if (secret_init())
		return -1;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/cxm-test-accounts-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
	DIR *d;
	struct dirent *e;
	char path[512];

	(void)state;
	d = opendir(tmpdir);
	if (d) {
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 ||
			    strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(path, sizeof path, "%s/%s", tmpdir, e->d_name);
			unlink(path);
		}
		closedir(d);
	}
	return rmdir(tmpdir);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct store_migrate_report rep;

	if (!f)
		return -1;
	snprintf(f->path, sizeof f->path, "%s/db%d.sqlite", tmpdir,
		 ++db_counter);
	errinfo_clear(&f->ei);
	if (store_open(f->path, 1, &f->s, &f->ei) ||
	    store_migrate(f->s, &rep, &f->ei)) {
		print_error("open/migrate: %s\n", f->ei.message);
		store_close(f->s);
		free(f);
		return -1;
	}
	f->c = store_acquire(f->s);
	arena_init(&f->a, 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char path[300];

	store_release(f->c);
	store_close(f->s);
	arena_release(&f->a);
	unlink(f->path);
	snprintf(path, sizeof path, "%s-wal", f->path);
	unlink(path);
	snprintf(path, sizeof path, "%s-shm", f->path);
	unlink(path);
	free(f);
	return 0;
}

/* Fails the test with the store's message when rc is not 0. */
#define OK(f, call) do { \
	errinfo_clear(&(f)->ei); \
	int ok_rc_ = (call); \
	if (ok_rc_) \
		print_error("%s: %d %s\n", #call, ok_rc_, (f)->ei.message); \
	assert_int_equal(ok_rc_, 0); \
} while (0)

/* Expects call to fail with code want. */
#define FAILS(f, call, want) do { \
	errinfo_clear(&(f)->ei); \
	int f_rc_ = (call); \
	if (f_rc_ != (want)) \
		print_error("%s: got %d (%s), want %d\n", #call, f_rc_, \
			    (f)->ei.message, (int)(want)); \
	assert_int_equal(f_rc_, (want)); \
} while (0)

/* First column of the first row of sql, read through a separate SQLite
 * connection, so it sees only what has been committed. */
static long long sql_int(const struct fx *f, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long long v = -1;

	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READWRITE,
					 NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		print_error("%s: %s\n", sql, sqlite3_errmsg(db));
	assert_non_null(st);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void sql_exec(const struct fx *f, const char *sql)
{
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READWRITE,
					 NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static bool in_tx(struct fx *f)
{
	return store_conn_engine(f->c)->in_transaction(
		store_conn_handle(f->c));
}

static int64_t org(struct fx *f, const char *name, const char *kind,
		   int64_t parent)
{
	struct org o = { .name = name, .short_name = "", .kind = kind,
			 .parent_id = parent };

	OK(f, store_org_insert(f->c, &o, &f->ei));
	assert_true(o.id > 0);
	return o.id;
}

static int64_t user(struct fx *f, const char *email, bool admin)
{
	struct user u = { .email = email, .name = "Test User",
			  .password_hash = "not-a-real-hash", .is_admin = admin };

	OK(f, store_user_insert(f->c, &u, &f->ei));
	assert_true(u.id > 0);
	return u.id;
}

static int64_t service(struct fx *f, int64_t org_id, const char *name)
{
	struct service s = { .org_id = org_id, .name = name,
			     .description = "", .channels = "[]",
			     .annual_customers = -1 };

	OK(f, store_service_insert(f->c, &s, &f->ei));
	assert_true(s.id > 0);
	return s.id;
}

static bool has_detail(const struct errinfo *ei, const char *field)
{
	size_t i;

	for (i = 0; i < ei->ndetails; i++)
		if (strcmp(ei->details[i].field, field) == 0)
			return true;
	return false;
}

/* --- organizations ---------------------------------------------------- */

static void test_org_insert_get(void **state)
{
	struct fx *f = *state;
	struct org o = { .name = "Department of Examples", .short_name = "DOE",
			 .kind = "department" }, got;
	struct org child = { .name = "Bureau", .short_name = NULL,
			     .kind = "component" };

	OK(f, store_org_insert(f->c, &o, &f->ei));
	assert_true(o.id > 0);
	OK(f, store_org_get(f->c, &f->a, o.id, &got, &f->ei));
	assert_int_equal(got.id, o.id);
	assert_int_equal(got.parent_id, 0);
	assert_string_equal(got.name, "Department of Examples");
	assert_string_equal(got.short_name, "DOE");
	assert_string_equal(got.kind, "department");
	assert_int_equal(strlen(got.created_at), 24);
	assert_string_equal(got.created_at, got.updated_at);
	assert_int_equal(got.nservices, 0);
	assert_int_equal(got.nchildren, 0);

	child.parent_id = o.id;
	OK(f, store_org_insert(f->c, &child, &f->ei));
	assert_true(child.id > 0 && child.id != o.id);
	OK(f, store_org_get(f->c, &f->a, child.id, &got, &f->ei));
	assert_int_equal(got.parent_id, o.id);
	assert_string_equal(got.short_name, "");    /* NULL stored as "" */
	OK(f, store_org_get(f->c, &f->a, o.id, &got, &f->ei));
	assert_int_equal(got.nchildren, 1);

	FAILS(f, store_org_get(f->c, &f->a, 9999, &got, &f->ei), ERR_NOTFOUND);
	assert_int_equal(f->ei.code, ERR_NOTFOUND);

	/* a parent that does not exist */
	{
		struct org orphan = { .name = "Orphan", .kind = "office",
				      .parent_id = 9999 };
		FAILS(f, store_org_insert(f->c, &orphan, &f->ei), ERR_INVALID);
		assert_true(has_detail(&f->ei, "parent_id"));
	}
	assert_int_equal(sql_int(f, "SELECT count(*) FROM orgs"), 2);
}

static void test_org_list_tree(void **state)
{
	struct fx *f = *state;
	struct org *l;
	size_t n;
	int64_t b, a, zeta, alpha, office, uid;

	b = org(f, "B Dept", "department", 0);
	a = org(f, "a dept", "department", 0);
	zeta = org(f, "Zeta", "component", b);
	alpha = org(f, "alpha", "component", b);
	office = org(f, "Office", "office", alpha);
	service(f, alpha, "Service one");
	service(f, alpha, "Service two");

	OK(f, store_org_list(f->c, &f->a, 0, &l, &n, &f->ei));
	assert_int_equal(n, 5);
	/* parents before children, siblings by name ignoring case */
	assert_int_equal(l[0].id, a);
	assert_int_equal(l[0].depth, 0);
	assert_int_equal(l[1].id, b);
	assert_int_equal(l[1].depth, 0);
	assert_int_equal(l[1].nchildren, 2);
	assert_int_equal(l[2].id, alpha);
	assert_int_equal(l[2].depth, 1);
	assert_int_equal(l[2].nservices, 2);
	assert_int_equal(l[2].nchildren, 1);
	assert_int_equal(l[2].parent_id, b);
	assert_int_equal(l[3].id, office);
	assert_int_equal(l[3].depth, 2);
	assert_string_equal(l[3].name, "Office");
	assert_int_equal(l[4].id, zeta);
	assert_int_equal(l[4].depth, 1);
	assert_int_equal(l[4].nservices, 0);

	/* only what a user was granted, and everything beneath it */
	uid = user(f, "viewer@example.gov", false);
	OK(f, store_org_list(f->c, &f->a, uid, &l, &n, &f->ei));
	assert_int_equal(n, 0);
	OK(f, store_grant_set(f->c, uid, alpha, ROLE_VIEWER, &f->ei));
	OK(f, store_org_list(f->c, &f->a, uid, &l, &n, &f->ei));
	assert_int_equal(n, 2);
	assert_int_equal(l[0].id, alpha);
	assert_int_equal(l[1].id, office);
	assert_int_equal(l[1].depth, l[0].depth + 1);
	/* a second grant overlapping the first lists nothing twice */
	OK(f, store_grant_set(f->c, uid, b, ROLE_VIEWER, &f->ei));
	OK(f, store_org_list(f->c, &f->a, uid, &l, &n, &f->ei));
	assert_int_equal(n, 4);
	assert_int_equal(l[0].id, b);
	assert_int_equal(l[1].id, alpha);
	assert_int_equal(l[2].id, office);
	assert_int_equal(l[3].id, zeta);
}

static void test_org_sibling_names(void **state)
{
	struct fx *f = *state;
	int64_t p, q, x;
	struct org dup = { .kind = "office" }, got;

	p = org(f, "Parent", "department", 0);
	q = org(f, "Other parent", "department", 0);
	org(f, "Office", "office", p);

	dup.parent_id = p;
	dup.name = "Office";
	FAILS(f, store_org_insert(f->c, &dup, &f->ei), ERR_CONFLICT);
	dup.name = "office";
	FAILS(f, store_org_insert(f->c, &dup, &f->ei), ERR_CONFLICT);
	dup.name = "OFFICE";
	FAILS(f, store_org_insert(f->c, &dup, &f->ei), ERR_CONFLICT);
	assert_true(f->ei.message[0] != '\0');
	/* the same name under another parent, or at the top, is fine */
	dup.parent_id = q;
	OK(f, store_org_insert(f->c, &dup, &f->ei));
	dup.parent_id = 0;
	dup.id = 0;
	OK(f, store_org_insert(f->c, &dup, &f->ei));
	/* top-level names clash with each other too */
	dup.id = 0;
	dup.name = "PARENT";
	FAILS(f, store_org_insert(f->c, &dup, &f->ei), ERR_CONFLICT);

	/* renaming onto a sibling's name clashes; keeping one's own is fine */
	x = org(f, "Second office", "office", p);
	OK(f, store_org_get(f->c, &f->a, x, &got, &f->ei));
	got.name = "office";
	FAILS(f, store_org_update(f->c, &got, &f->ei), ERR_CONFLICT);
	got.name = "Second Office";
	OK(f, store_org_update(f->c, &got, &f->ei));
	OK(f, store_org_get(f->c, &f->a, x, &got, &f->ei));
	assert_string_equal(got.name, "Second Office");
	assert_int_equal(sql_int(f, "SELECT count(*) FROM orgs"), 6);
}

static void test_org_update_moves(void **state)
{
	struct fx *f = *state;
	int64_t a, b, c, d;
	struct org o, got;

	a = org(f, "A", "department", 0);
	b = org(f, "B", "component", a);
	c = org(f, "C", "office", b);
	d = org(f, "D", "department", 0);

	OK(f, store_org_get(f->c, &f->a, a, &o, &f->ei));
	/* under itself, its child, its grandchild: refused */
	o.parent_id = a;
	FAILS(f, store_org_update(f->c, &o, &f->ei), ERR_INVALID);
	assert_true(has_detail(&f->ei, "parent_id"));
	o.parent_id = b;
	FAILS(f, store_org_update(f->c, &o, &f->ei), ERR_INVALID);
	o.parent_id = c;
	FAILS(f, store_org_update(f->c, &o, &f->ei), ERR_INVALID);
	OK(f, store_org_get(f->c, &f->a, a, &got, &f->ei));
	assert_int_equal(got.parent_id, 0);             /* unchanged */
	/* a parent that does not exist */
	o.parent_id = 9999;
	FAILS(f, store_org_update(f->c, &o, &f->ei), ERR_INVALID);

	/* a legal move: A (with its subtree) under D */
	o.parent_id = d;
	o.name = "A renamed";
	o.kind = "component";
	OK(f, store_org_update(f->c, &o, &f->ei));
	OK(f, store_org_get(f->c, &f->a, a, &got, &f->ei));
	assert_int_equal(got.parent_id, d);
	assert_string_equal(got.name, "A renamed");
	assert_string_equal(got.kind, "component");
	/* and back to the top */
	OK(f, store_org_get(f->c, &f->a, c, &o, &f->ei));
	o.parent_id = 0;
	OK(f, store_org_update(f->c, &o, &f->ei));
	OK(f, store_org_get(f->c, &f->a, c, &got, &f->ei));
	assert_int_equal(got.parent_id, 0);
	/* C left B's subtree, so B may now go under C */
	OK(f, store_org_get(f->c, &f->a, b, &o, &f->ei));
	o.parent_id = c;
	OK(f, store_org_update(f->c, &o, &f->ei));

	/* no such organization */
	o.id = 9999;
	o.parent_id = 0;
	FAILS(f, store_org_update(f->c, &o, &f->ei), ERR_NOTFOUND);
}

static void test_org_delete(void **state)
{
	struct fx *f = *state;
	int64_t p, c, s, uid;
	struct org got;
	struct user_grant *g;
	size_t n;

	p = org(f, "Parent", "department", 0);
	c = org(f, "Child", "office", p);
	FAILS(f, store_org_delete(f->c, p, &f->ei), ERR_CONFLICT);
	OK(f, store_org_get(f->c, &f->a, p, &got, &f->ei));

	OK(f, store_org_delete(f->c, c, &f->ei));
	FAILS(f, store_org_get(f->c, &f->a, c, &got, &f->ei), ERR_NOTFOUND);
	s = service(f, p, "Only service");
	FAILS(f, store_org_delete(f->c, p, &f->ei), ERR_CONFLICT);
	assert_non_null(strstr(f->ei.message, "Parent"));
	OK(f, store_org_get(f->c, &f->a, p, &got, &f->ei));

	OK(f, store_service_delete(f->c, s, &f->ei));
	/* grants on the organization go with it */
	uid = user(f, "u@example.gov", false);
	OK(f, store_grant_set(f->c, uid, p, ROLE_ANALYST, &f->ei));
	OK(f, store_org_delete(f->c, p, &f->ei));
	FAILS(f, store_org_get(f->c, &f->a, p, &got, &f->ei), ERR_NOTFOUND);
	OK(f, store_grant_list(f->c, &f->a, uid, &g, &n, &f->ei));
	assert_int_equal(n, 0);
	FAILS(f, store_org_delete(f->c, p, &f->ei), ERR_NOTFOUND);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM orgs"), 0);
}

static bool contains(const int64_t *ids, size_t n, int64_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

static void test_org_ancestors(void **state)
{
	struct fx *f = *state;
	int64_t a, b, c, other, ids[8];
	size_t n = 99;

	a = org(f, "A", "department", 0);
	b = org(f, "B", "component", a);
	c = org(f, "C", "office", b);
	other = org(f, "Other", "component", a);

	OK(f, store_org_ancestors(f->c, c, ids, 8, &n, &f->ei));
	assert_int_equal(n, 3);
	assert_true(contains(ids, n, a));
	assert_true(contains(ids, n, b));
	assert_true(contains(ids, n, c));
	assert_false(contains(ids, n, other));

	OK(f, store_org_ancestors(f->c, a, ids, 8, &n, &f->ei));
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], a);

	OK(f, store_org_ancestors(f->c, other, ids, 8, &n, &f->ei));
	assert_int_equal(n, 2);
	assert_true(contains(ids, n, other) && contains(ids, n, a));

	OK(f, store_org_ancestors(f->c, 9999, ids, 8, &n, &f->ei));
	assert_int_equal(n, 0);

	/* max is respected */
	ids[2] = -77;
	OK(f, store_org_ancestors(f->c, c, ids, 2, &n, &f->ei));
	assert_int_equal(n, 2);
	assert_int_equal(ids[2], -77);

	/* the ancestors feed role_allows: a grant on A reaches C */
	{
		struct grant g = { a, ROLE_FACILITATOR };
		OK(f, store_org_ancestors(f->c, c, ids, 8, &n, &f->ei));
		assert_true(role_allows(false, &g, 1, ids, n, ROLE_FACILITATOR));
		g.org_id = other;
		assert_false(role_allows(false, &g, 1, ids, n, ROLE_VIEWER));
	}
}

/* A chain of up to DEEP nested organizations; returns how many the store
 * accepted (it may refuse to nest beyond some depth with ERR_INVALID).
 * Deep trees must stay a tree: no cycles, no unreachable organizations. */
enum { DEEP = 80 };

static size_t deep_chain(struct fx *f, int64_t chain[DEEP])
{
	char name[32];
	size_t depth;

	chain[0] = org(f, "Level 0", "department", 0);
	for (depth = 1; depth < DEEP; depth++) {
		struct org c = { .kind = "office", .parent_id = chain[depth - 1] };
		int rc;
		snprintf(name, sizeof name, "Level %zu", depth);
		c.name = name;
		errinfo_clear(&f->ei);
		rc = store_org_insert(f->c, &c, &f->ei);
		if (rc == ERR_INVALID)
			break;                  /* a depth limit: also fine */
		assert_int_equal(rc, 0);
		chain[depth] = c.id;
	}
	assert_true(depth >= 8);
	return depth;
}

static void test_org_deep_chain_ancestors(void **state)
{
	struct fx *f = *state;
	int64_t chain[DEEP], ids[DEEP + 8];
	size_t depth = deep_chain(f, chain), n, i;
	struct grant g;

	/* the deepest knows every ancestor up to the root, so a grant on the
	 * root reaches it */
	OK(f, store_org_ancestors(f->c, chain[depth - 1], ids, DEEP + 8, &n,
				  &f->ei));
	if (n != depth)
		print_error("%zu ancestors for an organization %zu deep\n", n,
			    depth - 1);
	assert_int_equal(n, depth);
	for (i = 0; i < depth; i++)
		assert_true(contains(ids, n, chain[i]));
	g.org_id = chain[0];
	g.role = ROLE_VIEWER;
	assert_true(role_allows(false, &g, 1, ids, n, ROLE_VIEWER));
}

static void test_org_deep_chain_no_cycle(void **state)
{
	struct fx *f = *state;
	int64_t chain[DEEP];
	size_t depth = deep_chain(f, chain), n;
	struct org o, *l;

	/* the root may not go under its deepest descendant */
	OK(f, store_org_get(f->c, &f->a, chain[0], &o, &f->ei));
	o.parent_id = chain[depth - 1];
	errinfo_clear(&f->ei);
	if (store_org_update(f->c, &o, &f->ei) == 0)
		print_error("moved the root under its descendant %zu levels "
			    "down\n", depth - 1);
	assert_int_equal(f->ei.code, ERR_INVALID);
	OK(f, store_org_get(f->c, &f->a, chain[0], &o, &f->ei));
	assert_int_equal(o.parent_id, 0);
	/* and every level is still listed */
	OK(f, store_org_list(f->c, &f->a, 0, &l, &n, &f->ei));
	assert_int_equal(n, depth);
}

/* --- services ---------------------------------------------------------- */

static void test_services(void **state)
{
	struct fx *f = *state;
	int64_t dept, c1, o1, c2, s1, s2, s3, u_c2, u_c1, u_none;
	struct service in = { .name = "Passports", .description = "Get one",
			      .channels = "[\"website\",\"paper\"]", .hisp = true,
			      .annual_customers = -1 }, got, *l;
	size_t n;

	dept = org(f, "Department", "department", 0);
	c1 = org(f, "Consular Affairs", "component", dept);
	o1 = org(f, "Passport Office", "office", c1);
	c2 = org(f, "Benefits", "component", dept);

	in.org_id = c1;
	OK(f, store_service_insert(f->c, &in, &f->ei));
	s1 = in.id;
	OK(f, store_service_get(f->c, &f->a, s1, &got, &f->ei));
	assert_int_equal(got.org_id, c1);
	assert_string_equal(got.name, "Passports");
	assert_string_equal(got.description, "Get one");
	assert_string_equal(got.channels, "[\"website\",\"paper\"]");
	assert_true(got.hisp);
	assert_int_equal(got.annual_customers, -1);     /* not known */
	assert_string_equal(got.org_name, "Consular Affairs");
	assert_int_equal(strlen(got.created_at), 24);
	s2 = service(f, o1, "Visas");
	s3 = service(f, c2, "Applications");

	/* no such organization */
	in.id = 0;
	in.org_id = 9999;
	FAILS(f, store_service_insert(f->c, &in, &f->ei), ERR_INVALID);
	assert_true(has_detail(&f->ei, "org_id"));
	/* a clashing name in the same organization, ignoring case */
	in.org_id = c1;
	in.name = "PASSPORTS";
	FAILS(f, store_service_insert(f->c, &in, &f->ei), ERR_CONFLICT);
	/* the same name elsewhere is fine */
	in.org_id = c2;
	OK(f, store_service_insert(f->c, &in, &f->ei));
	OK(f, store_service_delete(f->c, in.id, &f->ei));

	/* everything, by organization name then service name */
	OK(f, store_service_list(f->c, &f->a, 0, 0, &l, &n, &f->ei));
	assert_int_equal(n, 3);
	assert_int_equal(l[0].id, s3);          /* Benefits */
	assert_int_equal(l[1].id, s1);          /* Consular Affairs */
	assert_int_equal(l[2].id, s2);          /* Passport Office */
	/* an organization's subtree */
	OK(f, store_service_list(f->c, &f->a, c1, 0, &l, &n, &f->ei));
	assert_int_equal(n, 2);
	assert_int_equal(l[0].id, s1);
	assert_int_equal(l[1].id, s2);
	OK(f, store_service_list(f->c, &f->a, o1, 0, &l, &n, &f->ei));
	assert_int_equal(n, 1);
	assert_int_equal(l[0].id, s2);
	OK(f, store_service_list(f->c, &f->a, dept, 0, &l, &n, &f->ei));
	assert_int_equal(n, 3);

	/* what a user's grants let them see */
	u_c2 = user(f, "c2@example.gov", false);
	u_c1 = user(f, "c1@example.gov", false);
	u_none = user(f, "none@example.gov", false);
	OK(f, store_grant_set(f->c, u_c2, c2, ROLE_VIEWER, &f->ei));
	OK(f, store_grant_set(f->c, u_c1, c1, ROLE_VIEWER, &f->ei));
	OK(f, store_grant_set(f->c, u_c1, o1, ROLE_ANALYST, &f->ei));
	OK(f, store_service_list(f->c, &f->a, 0, u_c2, &l, &n, &f->ei));
	assert_int_equal(n, 1);
	assert_int_equal(l[0].id, s3);
	OK(f, store_service_list(f->c, &f->a, 0, u_c1, &l, &n, &f->ei));
	assert_int_equal(n, 2);                 /* overlapping grants, no repeats */
	assert_int_equal(l[0].id, s1);
	assert_int_equal(l[1].id, s2);
	OK(f, store_service_list(f->c, &f->a, 0, u_none, &l, &n, &f->ei));
	assert_int_equal(n, 0);
	/* both filters at once */
	OK(f, store_service_list(f->c, &f->a, c1, u_c2, &l, &n, &f->ei));
	assert_int_equal(n, 0);
	OK(f, store_service_list(f->c, &f->a, o1, u_c1, &l, &n, &f->ei));
	assert_int_equal(n, 1);
	assert_int_equal(l[0].id, s2);

	/* update: every field, and a move */
	got.id = s1;
	got.org_id = c2;
	got.name = "Passport renewals";
	got.description = "";
	got.channels = "[]";
	got.hisp = false;
	got.annual_customers = 500;
	OK(f, store_service_update(f->c, &got, &f->ei));
	OK(f, store_service_get(f->c, &f->a, s1, &got, &f->ei));
	assert_int_equal(got.org_id, c2);
	assert_string_equal(got.name, "Passport renewals");
	assert_string_equal(got.org_name, "Benefits");
	assert_false(got.hisp);
	assert_int_equal(got.annual_customers, 500);
	assert_string_equal(got.channels, "[]");
	OK(f, store_service_list(f->c, &f->a, c1, 0, &l, &n, &f->ei));
	assert_int_equal(n, 1);                 /* only Visas left under c1 */
	got.org_id = 9999;
	FAILS(f, store_service_update(f->c, &got, &f->ei), ERR_INVALID);
	got.org_id = c2;
	got.name = "applications";              /* s3's name in c2 */
	FAILS(f, store_service_update(f->c, &got, &f->ei), ERR_CONFLICT);
	got.id = 9999;
	got.name = "Nothing";
	FAILS(f, store_service_update(f->c, &got, &f->ei), ERR_NOTFOUND);

	/* delete */
	OK(f, store_service_delete(f->c, s2, &f->ei));
	FAILS(f, store_service_get(f->c, &f->a, s2, &got, &f->ei),
	      ERR_NOTFOUND);
	FAILS(f, store_service_delete(f->c, s2, &f->ei), ERR_NOTFOUND);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM services"), 2);
}

/* --- users and grants -------------------------------------------------- */

static void test_users_and_grants(void **state)
{
	struct fx *f = *state;
	struct user u = { .email = "ana@example.gov", .name = "Ana",
			  .password_hash = "h1", .is_admin = false }, got, *ul;
	struct user_grant *g;
	size_t n;
	int64_t count, a, b;

	OK(f, store_user_insert(f->c, &u, &f->ei));
	assert_true(u.id > 0);
	{
		struct user dup = { .email = "ana@example.gov", .name = "Other",
				    .password_hash = "h2" };
		FAILS(f, store_user_insert(f->c, &dup, &f->ei), ERR_CONFLICT);
	}
	OK(f, store_user_by_email(f->c, &f->a, "ana@example.gov", &got, &f->ei));
	assert_int_equal(got.id, u.id);
	assert_string_equal(got.name, "Ana");
	assert_string_equal(got.password_hash, "h1");
	assert_false(got.is_admin);
	assert_int_equal(strlen(got.created_at), 24);
	FAILS(f, store_user_by_email(f->c, &f->a, "bob@example.gov", &got,
				     &f->ei), ERR_NOTFOUND);
	FAILS(f, store_user_get(f->c, &f->a, 9999, &got, &f->ei), ERR_NOTFOUND);

	user(f, "aaron@example.gov", true);
	OK(f, store_user_count(f->c, &count, &f->ei));
	assert_int_equal(count, 2);
	OK(f, store_user_list(f->c, &f->a, &ul, &n, &f->ei));
	assert_int_equal(n, 2);
	assert_string_equal(ul[0].email, "aaron@example.gov");
	assert_true(ul[0].is_admin);
	assert_string_equal(ul[1].email, "ana@example.gov");

	OK(f, store_user_set_password(f->c, u.id, "h3", &f->ei));
	OK(f, store_user_set_admin(f->c, u.id, true, &f->ei));
	OK(f, store_user_get(f->c, &f->a, u.id, &got, &f->ei));
	assert_string_equal(got.password_hash, "h3");
	assert_true(got.is_admin);
	FAILS(f, store_user_set_password(f->c, 9999, "x", &f->ei), ERR_NOTFOUND);
	FAILS(f, store_user_set_admin(f->c, 9999, true, &f->ei), ERR_NOTFOUND);

	/* grants: set, replace, list, delete */
	a = org(f, "Zulu Agency", "department", 0);
	b = org(f, "alpha bureau", "component", a);
	OK(f, store_grant_set(f->c, u.id, a, ROLE_VIEWER, &f->ei));
	OK(f, store_grant_list(f->c, &f->a, u.id, &g, &n, &f->ei));
	assert_int_equal(n, 1);
	assert_int_equal(g[0].user_id, u.id);
	assert_int_equal(g[0].org_id, a);
	assert_int_equal(g[0].role, ROLE_VIEWER);
	assert_string_equal(g[0].org_name, "Zulu Agency");
	OK(f, store_grant_set(f->c, u.id, a, ROLE_ANALYST, &f->ei));
	OK(f, store_grant_list(f->c, &f->a, u.id, &g, &n, &f->ei));
	assert_int_equal(n, 1);                         /* replaced, not added */
	assert_int_equal(g[0].role, ROLE_ANALYST);
	OK(f, store_grant_set(f->c, u.id, b, ROLE_FACILITATOR, &f->ei));
	OK(f, store_grant_list(f->c, &f->a, u.id, &g, &n, &f->ei));
	assert_int_equal(n, 2);
	assert_int_equal(g[0].org_id, b);               /* by name, any case */
	assert_int_equal(g[0].role, ROLE_FACILITATOR);
	assert_int_equal(g[1].org_id, a);
	/* only grant roles, only real users and organizations */
	FAILS(f, store_grant_set(f->c, u.id, a, ROLE_ADMIN, &f->ei), ERR_INVALID);
	FAILS(f, store_grant_set(f->c, u.id, a, ROLE_UNSET, &f->ei), ERR_INVALID);
	FAILS(f, store_grant_set(f->c, u.id, 9999, ROLE_VIEWER, &f->ei),
	      ERR_INVALID);
	FAILS(f, store_grant_set(f->c, 9999, a, ROLE_VIEWER, &f->ei),
	      ERR_INVALID);
	OK(f, store_grant_list(f->c, &f->a, u.id, &g, &n, &f->ei));
	assert_int_equal(n, 2);
	assert_int_equal(g[1].role, ROLE_ANALYST);      /* untouched */

	OK(f, store_grant_delete(f->c, u.id, a, &f->ei));
	OK(f, store_grant_list(f->c, &f->a, u.id, &g, &n, &f->ei));
	assert_int_equal(n, 1);
	assert_int_equal(g[0].org_id, b);
	FAILS(f, store_grant_delete(f->c, u.id, a, &f->ei), ERR_NOTFOUND);
	OK(f, store_grant_list(f->c, &f->a, 9999, &g, &n, &f->ei));
	assert_int_equal(n, 0);
}

/* --- sessions ---------------------------------------------------------- */

static void test_sessions(void **state)
{
	struct fx *f = *state;
	int64_t ana, bob;
	struct session s;

	ana = user(f, "ana@example.gov", false);
	bob = user(f, "bob@example.gov", true);
	OK(f, store_session_insert(f->c, "hash-1", ana, "csrf-1", 1000, &f->ei));
	OK(f, store_session_get(f->c, &f->a, "hash-1", &s, &f->ei));
	assert_true(s.id > 0);
	assert_string_equal(s.csrf, "csrf-1");
	assert_int_equal(s.created_at, 1000);
	assert_int_equal(s.last_seen, 1000);
	assert_int_equal(s.user.id, ana);
	assert_string_equal(s.user.email, "ana@example.gov");
	assert_false(s.user.is_admin);
	FAILS(f, store_session_get(f->c, &f->a, "nope", &s, &f->ei),
	      ERR_NOTFOUND);
	/* a token hash names one session */
	FAILS(f, store_session_insert(f->c, "hash-1", bob, "c", 1000, &f->ei),
	      ERR_CONFLICT);

	OK(f, store_session_touch(f->c, s.id, 1500, &f->ei));
	OK(f, store_session_get(f->c, &f->a, "hash-1", &s, &f->ei));
	assert_int_equal(s.last_seen, 1500);
	assert_int_equal(s.created_at, 1000);

	/* idle: kept while last_seen >= idle_before */
	OK(f, store_session_expire(f->c, 1500, 0, &f->ei));
	OK(f, store_session_get(f->c, &f->a, "hash-1", &s, &f->ei));
	OK(f, store_session_expire(f->c, 1501, 0, &f->ei));
	FAILS(f, store_session_get(f->c, &f->a, "hash-1", &s, &f->ei),
	      ERR_NOTFOUND);

	/* absolute age: created before created_before, however active */
	OK(f, store_session_insert(f->c, "hash-2", ana, "csrf-2", 2000, &f->ei));
	OK(f, store_session_get(f->c, &f->a, "hash-2", &s, &f->ei));
	OK(f, store_session_touch(f->c, s.id, 9000, &f->ei));
	OK(f, store_session_expire(f->c, 0, 2000, &f->ei));
	OK(f, store_session_get(f->c, &f->a, "hash-2", &s, &f->ei));
	OK(f, store_session_expire(f->c, 0, 2001, &f->ei));
	FAILS(f, store_session_get(f->c, &f->a, "hash-2", &s, &f->ei),
	      ERR_NOTFOUND);

	/* one user's sessions end together; others' stay */
	OK(f, store_session_insert(f->c, "a-1", ana, "x", 3000, &f->ei));
	OK(f, store_session_insert(f->c, "a-2", ana, "x", 3000, &f->ei));
	OK(f, store_session_insert(f->c, "b-1", bob, "x", 3000, &f->ei));
	OK(f, store_session_delete_user(f->c, ana, &f->ei));
	FAILS(f, store_session_get(f->c, &f->a, "a-1", &s, &f->ei),
	      ERR_NOTFOUND);
	FAILS(f, store_session_get(f->c, &f->a, "a-2", &s, &f->ei),
	      ERR_NOTFOUND);
	OK(f, store_session_get(f->c, &f->a, "b-1", &s, &f->ei));
	assert_int_equal(s.user.id, bob);
	assert_true(s.user.is_admin);
	/* and one session by id */
	OK(f, store_session_delete(f->c, s.id, &f->ei));
	FAILS(f, store_session_get(f->c, &f->a, "b-1", &s, &f->ei),
	      ERR_NOTFOUND);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM sessions"), 0);
}

/* --- API tokens -------------------------------------------------------- */

static void test_tokens(void **state)
{
	struct fx *f = *state;
	int64_t ana, bob, t1 = 0, t2 = 0, t3 = 0, t4 = 0;
	struct api_token t, *l;
	struct user u;
	size_t n;

	ana = user(f, "ana@example.gov", false);
	bob = user(f, "bob@example.gov", false);
	OK(f, store_token_insert(f->c, ana, "forever", "th-1", 1000, 0, &t1,
				 &f->ei));
	OK(f, store_token_insert(f->c, ana, "until 2000", "th-2", 1100, 2000,
				 &t2, &f->ei));
	OK(f, store_token_insert(f->c, bob, "bob's", "th-3", 1200, 0, &t3,
				 &f->ei));
	assert_true(t1 > 0 && t2 > t1 && t3 > t2);

	OK(f, store_token_lookup(f->c, &f->a, "th-1", 999999999, &t, &u,
				 &f->ei));
	assert_int_equal(t.id, t1);
	assert_int_equal(t.user_id, ana);
	assert_string_equal(t.name, "forever");
	assert_string_equal(t.user_email, "ana@example.gov");
	assert_int_equal(t.created_at, 1000);
	assert_int_equal(t.expires_at, 0);
	assert_int_equal(t.revoked_at, 0);
	assert_int_equal(t.last_used_at, 0);
	assert_int_equal(u.id, ana);
	assert_string_equal(u.email, "ana@example.gov");
	FAILS(f, store_token_lookup(f->c, &f->a, "th-unknown", 1000, &t, &u,
				    &f->ei), ERR_NOTFOUND);

	/* expiry: alive before expires_at, gone at and after it */
	OK(f, store_token_lookup(f->c, &f->a, "th-2", 1999, &t, &u, &f->ei));
	assert_int_equal(t.expires_at, 2000);
	FAILS(f, store_token_lookup(f->c, &f->a, "th-2", 2000, &t, &u, &f->ei),
	      ERR_NOTFOUND);
	FAILS(f, store_token_lookup(f->c, &f->a, "th-2", 5000, &t, &u, &f->ei),
	      ERR_NOTFOUND);

	OK(f, store_token_touch(f->c, t1, 1500, &f->ei));
	OK(f, store_token_lookup(f->c, &f->a, "th-1", 1600, &t, &u, &f->ei));
	assert_int_equal(t.last_used_at, 1500);

	/* listing: one user's, newest first; or everyone's */
	OK(f, store_token_list(f->c, &f->a, ana, &l, &n, &f->ei));
	assert_int_equal(n, 2);
	assert_int_equal(l[0].id, t2);
	assert_int_equal(l[1].id, t1);
	assert_int_equal(l[1].last_used_at, 1500);
	OK(f, store_token_list(f->c, &f->a, 0, &l, &n, &f->ei));
	assert_int_equal(n, 3);
	assert_int_equal(l[0].id, t3);
	assert_string_equal(l[0].user_email, "bob@example.gov");

	/* revoking: only the owner's when user_id is given */
	FAILS(f, store_token_revoke(f->c, t3, ana, 1700, &f->ei), ERR_NOTFOUND);
	OK(f, store_token_lookup(f->c, &f->a, "th-3", 1700, &t, &u, &f->ei));
	OK(f, store_token_revoke(f->c, t1, ana, 1700, &f->ei));
	FAILS(f, store_token_lookup(f->c, &f->a, "th-1", 1701, &t, &u, &f->ei),
	      ERR_NOTFOUND);
	FAILS(f, store_token_revoke(f->c, t1, ana, 1800, &f->ei), ERR_NOTFOUND);
	FAILS(f, store_token_revoke(f->c, t1, 0, 1800, &f->ei), ERR_NOTFOUND);
	OK(f, store_token_revoke(f->c, t3, 0, 1900, &f->ei));
	FAILS(f, store_token_revoke(f->c, 9999, 0, 1900, &f->ei), ERR_NOTFOUND);
	/* revoked tokens stay listed, with when */
	OK(f, store_token_list(f->c, &f->a, ana, &l, &n, &f->ei));
	assert_int_equal(n, 2);
	assert_int_equal(l[1].id, t1);
	assert_int_equal(l[1].revoked_at, 1700);
	assert_int_equal(l[0].revoked_at, 0);

	/* a revoked token that has not expired is still not found */
	OK(f, store_token_insert(f->c, bob, "short", "th-4", 1000, 99999, &t4,
				 &f->ei));
	OK(f, store_token_revoke(f->c, t4, bob, 1001, &f->ei));
	FAILS(f, store_token_lookup(f->c, &f->a, "th-4", 1002, &t, &u, &f->ei),
	      ERR_NOTFOUND);
}

/* --- sign-in throttling ------------------------------------------------ */

static void test_throttle(void **state)
{
	struct fx *f = *state;
	int64_t fails = -1, last = -1;

	OK(f, store_throttle_get(f->c, "ip:1.2.3.4", &fails, &last, &f->ei));
	assert_int_equal(fails, 0);
	assert_int_equal(last, 0);

	OK(f, store_throttle_fail(f->c, "ip:1.2.3.4", 100, 60, &f->ei));
	OK(f, store_throttle_get(f->c, "ip:1.2.3.4", &fails, &last, &f->ei));
	assert_int_equal(fails, 1);
	assert_int_equal(last, 100);
	OK(f, store_throttle_fail(f->c, "ip:1.2.3.4", 130, 60, &f->ei));
	OK(f, store_throttle_fail(f->c, "ip:1.2.3.4", 160, 60, &f->ei));
	OK(f, store_throttle_get(f->c, "ip:1.2.3.4", &fails, &last, &f->ei));
	assert_int_equal(fails, 3);
	assert_int_equal(last, 160);
	/* exactly window seconds after the last failure: still counted */
	OK(f, store_throttle_fail(f->c, "ip:1.2.3.4", 220, 60, &f->ei));
	OK(f, store_throttle_get(f->c, "ip:1.2.3.4", &fails, &last, &f->ei));
	assert_int_equal(fails, 4);
	/* more than window seconds later: forgotten, this one is the first */
	OK(f, store_throttle_fail(f->c, "ip:1.2.3.4", 281, 60, &f->ei));
	OK(f, store_throttle_get(f->c, "ip:1.2.3.4", &fails, &last, &f->ei));
	assert_int_equal(fails, 1);
	assert_int_equal(last, 281);

	/* keys are independent */
	OK(f, store_throttle_fail(f->c, "email:a@b.c", 300, 60, &f->ei));
	OK(f, store_throttle_get(f->c, "email:a@b.c", &fails, &last, &f->ei));
	assert_int_equal(fails, 1);
	OK(f, store_throttle_get(f->c, "ip:1.2.3.4", &fails, &last, &f->ei));
	assert_int_equal(fails, 1);
	assert_int_equal(last, 281);

	OK(f, store_throttle_clear(f->c, "ip:1.2.3.4", &f->ei));
	OK(f, store_throttle_get(f->c, "ip:1.2.3.4", &fails, &last, &f->ei));
	assert_int_equal(fails, 0);
	assert_int_equal(last, 0);
	OK(f, store_throttle_get(f->c, "email:a@b.c", &fails, &last, &f->ei));
	assert_int_equal(fails, 1);
}

/* --- audit log ---------------------------------------------------------- */

static int64_t audit_add(struct fx *f, const char *actor, const char *action,
			 const char *type, int64_t object_id)
{
	struct audit_entry e = { .actor_id = 0, .actor = actor, .via = "cli",
				 .action = action, .object_type = type,
				 .object_id = object_id };

	OK(f, store_audit_insert(f->c, &e, &f->ei));
	assert_true(e.id > 0);
	return e.id;
}

static void test_audit(void **state)
{
	struct fx *f = *state;
	struct audit_filter flt;
	struct audit_entry *l, e = {
		.actor_id = 0, .actor = "ana@example.gov", .via = "web",
		.action = "update", .object_type = "service", .object_id = 77,
		.changes = "{\"name\":\"x\"}", .client = "10.0.0.1",
	};
	int64_t ids[6], uid;
	size_t n;

	uid = user(f, "ana@example.gov", false);
	ids[0] = audit_add(f, "cli:one", "create", "org", 1);
	ids[1] = audit_add(f, "cli:one", "create", "service", 2);
	ids[2] = audit_add(f, "cli:two", "delete", "org", 1);
	ids[3] = audit_add(f, "cli:two", "create", "org", 3);
	e.actor_id = uid;
	OK(f, store_audit_insert(f->c, &e, &f->ei));
	ids[4] = e.id;
	ids[5] = audit_add(f, "system", "sign-in", "user", 0);

	memset(&flt, 0, sizeof flt);
	OK(f, store_audit_list(f->c, &f->a, &flt, &l, &n, &f->ei));
	assert_int_equal(n, 6);
	assert_int_equal(l[0].id, ids[5]);              /* newest first */
	assert_int_equal(l[5].id, ids[0]);
	assert_int_equal(l[5].object_id, 1);
	assert_string_equal(l[5].changes, "{}");        /* default */
	assert_string_equal(l[5].client, "");
	assert_string_equal(l[5].via, "cli");
	assert_int_equal(l[5].actor_id, 0);
	assert_int_equal(strlen(l[5].at), 24);
	assert_int_equal(l[0].object_id, 0);
	/* the full entry comes back as written */
	assert_int_equal(l[1].id, ids[4]);
	assert_int_equal(l[1].actor_id, uid);
	assert_string_equal(l[1].actor, "ana@example.gov");
	assert_string_equal(l[1].via, "web");
	assert_string_equal(l[1].action, "update");
	assert_string_equal(l[1].object_type, "service");
	assert_int_equal(l[1].object_id, 77);
	assert_string_equal(l[1].changes, "{\"name\":\"x\"}");
	assert_string_equal(l[1].client, "10.0.0.1");

	flt.action = "create";
	OK(f, store_audit_list(f->c, &f->a, &flt, &l, &n, &f->ei));
	assert_int_equal(n, 3);
	assert_int_equal(l[0].id, ids[3]);
	assert_int_equal(l[1].id, ids[1]);
	assert_int_equal(l[2].id, ids[0]);
	flt.object_type = "org";
	OK(f, store_audit_list(f->c, &f->a, &flt, &l, &n, &f->ei));
	assert_int_equal(n, 2);
	assert_int_equal(l[0].id, ids[3]);
	assert_int_equal(l[1].id, ids[0]);
	flt.actor = "cli:two";
	OK(f, store_audit_list(f->c, &f->a, &flt, &l, &n, &f->ei));
	assert_int_equal(n, 1);
	assert_int_equal(l[0].id, ids[3]);

	memset(&flt, 0, sizeof flt);
	flt.actor = "cli:one";
	OK(f, store_audit_list(f->c, &f->a, &flt, &l, &n, &f->ei));
	assert_int_equal(n, 2);
	flt.actor = "nobody";
	OK(f, store_audit_list(f->c, &f->a, &flt, &l, &n, &f->ei));
	assert_int_equal(n, 0);

	/* paging: a limit, then the entries older than the last one seen */
	memset(&flt, 0, sizeof flt);
	flt.limit = 2;
	OK(f, store_audit_list(f->c, &f->a, &flt, &l, &n, &f->ei));
	assert_int_equal(n, 2);
	assert_int_equal(l[0].id, ids[5]);
	assert_int_equal(l[1].id, ids[4]);
	flt.before_id = l[1].id;
	OK(f, store_audit_list(f->c, &f->a, &flt, &l, &n, &f->ei));
	assert_int_equal(n, 2);
	assert_int_equal(l[0].id, ids[3]);
	assert_int_equal(l[1].id, ids[2]);
	flt.before_id = ids[0];
	OK(f, store_audit_list(f->c, &f->a, &flt, &l, &n, &f->ei));
	assert_int_equal(n, 0);

	/* since: inclusive, on the time written (set here to known values) */
	sql_exec(f, "UPDATE audit_log SET at = '2024-01-0' || id ||"
		    " 'T00:00:00.000Z'");
	memset(&flt, 0, sizeof flt);
	{
		char since[32];
		snprintf(since, sizeof since, "2024-01-0%lldT00:00:00.000Z",
			 (long long)ids[3]);
		flt.since = since;
		OK(f, store_audit_list(f->c, &f->a, &flt, &l, &n, &f->ei));
		assert_int_equal(n, 3);
		assert_int_equal(l[2].id, ids[3]);
		flt.since = "2024-01-01";
		OK(f, store_audit_list(f->c, &f->a, &flt, &l, &n, &f->ei));
		assert_int_equal(n, 6);
		flt.since = "2099-01-01";
		OK(f, store_audit_list(f->c, &f->a, &flt, &l, &n, &f->ei));
		assert_int_equal(n, 0);
	}

	/* the log only takes the known channels */
	{
		struct audit_entry bad = { .actor = "x", .via = "email",
					   .action = "create",
					   .object_type = "org" };
		FAILS(f, store_audit_insert(f->c, &bad, &f->ei), ERR_INVALID);
	}
}

/* --- ops: validated, audited, all or nothing ------------------------------ */

static size_t audit_count(struct fx *f)
{
	struct audit_filter flt = { .limit = 1000 };
	struct audit_entry *l;
	size_t n = 0;

	OK(f, store_audit_list(f->c, &f->a, &flt, &l, &n, &f->ei));
	return n;
}

static void test_ops_org_create_audited(void **state)
{
	struct fx *f = *state;
	struct org_input in = { .name = "Department of Examples",
				.short_name = "DOE", .kind = "department" };
	struct audit_filter flt = { .limit = 10 };
	struct audit_entry *l;
	struct org o;
	int64_t id = 0;
	size_t n;

	OK(f, ops_org_create(f->c, &CLI, &in, &id, &f->ei));
	assert_true(id > 0);
	assert_false(in_tx(f));                 /* committed, nothing open */
	OK(f, store_org_get(f->c, &f->a, id, &o, &f->ei));
	assert_string_equal(o.name, "Department of Examples");

	OK(f, store_audit_list(f->c, &f->a, &flt, &l, &n, &f->ei));
	assert_int_equal(n, 1);
	assert_string_equal(l[0].action, "create");
	assert_string_equal(l[0].object_type, "org");
	assert_int_equal(l[0].object_id, id);
	assert_string_equal(l[0].actor, "cli:tester");
	assert_string_equal(l[0].via, "cli");
	assert_int_equal(l[0].actor_id, 0);
	assert_non_null(strstr(l[0].changes, "\"name\":\"Department of Examples\""));
	assert_non_null(strstr(l[0].changes, "\"kind\":\"department\""));
	/* both are on disk for every other connection */
	assert_int_equal(sql_int(f, "SELECT count(*) FROM orgs"), 1);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit_log"
				    " WHERE object_type = 'org'"), 1);

	/* an update and a delete add one entry each */
	in.name = "Renamed";
	OK(f, ops_org_update(f->c, &CLI, id, &in, &f->ei));
	OK(f, ops_org_delete(f->c, &CLI, id, &f->ei));
	assert_int_equal(audit_count(f), 3);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM orgs"), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit_log"
				    " WHERE action = 'delete'"), 1);
}

static void test_ops_failure_leaves_nothing(void **state)
{
	struct fx *f = *state;
	struct org_input in = { .name = "Dept", .kind = "department" };
	int64_t id = 0, id2 = -1;

	OK(f, ops_org_create(f->c, &CLI, &in, &id, &f->ei));
	assert_int_equal(audit_count(f), 1);

	/* a duplicate: the store refuses, the audit entry goes too */
	in.name = "DEPT";
	FAILS(f, ops_org_create(f->c, &CLI, &in, &id2, &f->ei), ERR_CONFLICT);
	assert_int_equal(id2, -1);
	assert_false(in_tx(f));
	/* invalid fields: refused before anything is written */
	in.name = "Fine";
	in.kind = "planet";
	FAILS(f, ops_org_create(f->c, &CLI, &in, &id2, &f->ei), ERR_INVALID);
	assert_true(has_detail(&f->ei, "kind"));
	/* a parent that does not exist */
	in.kind = "office";
	in.parent_id = 9999;
	FAILS(f, ops_org_create(f->c, &CLI, &in, &id2, &f->ei), ERR_INVALID);
	/* deleting what is not there */
	FAILS(f, ops_org_delete(f->c, &CLI, 9999, &f->ei), ERR_NOTFOUND);
	/* updating into a clash */
	in.parent_id = 0;
	in.name = "Other";
	in.kind = "department";
	OK(f, ops_org_create(f->c, &CLI, &in, &id2, &f->ei));
	in.name = "dept";
	FAILS(f, ops_org_update(f->c, &CLI, id2, &in, &f->ei), ERR_CONFLICT);

	assert_false(in_tx(f));
	assert_int_equal(audit_count(f), 2);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM orgs"), 2);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit_log"), 2);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM orgs"
				    " WHERE name = 'Other'"), 1);
}

static void test_ops_nested_transactions(void **state)
{
	struct fx *f = *state;
	struct org_input a = { .name = "Outer A", .kind = "department" };
	struct org_input b = { .name = "Outer B", .kind = "component" };
	struct org *l;
	size_t n;
	int64_t ida = 0, idb = 0;

	/* two ops inside an outer transaction, then the outer rolls back */
	OK(f, store_tx_begin(f->c, &f->ei));
	OK(f, ops_org_create(f->c, &CLI, &a, &ida, &f->ei));
	b.parent_id = ida;
	OK(f, ops_org_create(f->c, &CLI, &b, &idb, &f->ei));
	assert_true(in_tx(f));                  /* the ops did not commit it */
	OK(f, store_org_list(f->c, &f->a, 0, &l, &n, &f->ei));
	assert_int_equal(n, 2);                 /* visible inside */
	assert_int_equal(audit_count(f), 2);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM orgs"), 0);
	store_tx_rollback(f->c);
	assert_false(in_tx(f));
	OK(f, store_org_list(f->c, &f->a, 0, &l, &n, &f->ei));
	assert_int_equal(n, 0);
	assert_int_equal(audit_count(f), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM orgs"), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit_log"), 0);

	/* a failing op inside undoes only itself; the outer commit keeps the
	 * rest, each change with its one audit entry */
	OK(f, store_tx_begin(f->c, &f->ei));
	OK(f, ops_org_create(f->c, &CLI, &a, &ida, &f->ei));
	FAILS(f, ops_org_create(f->c, &CLI, &a, &idb, &f->ei), ERR_CONFLICT);
	assert_true(in_tx(f));
	b.parent_id = ida;
	OK(f, ops_org_create(f->c, &CLI, &b, &idb, &f->ei));
	OK(f, store_tx_commit(f->c, &f->ei));
	assert_false(in_tx(f));
	assert_int_equal(sql_int(f, "SELECT count(*) FROM orgs"), 2);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit_log"), 2);

	/* three levels deep: an inner rollback keeps the middle */
	OK(f, store_tx_begin(f->c, &f->ei));
	OK(f, store_tx_begin(f->c, &f->ei));
	{
		struct org_input c = { .name = "Middle", .kind = "office",
				       .parent_id = idb };
		int64_t idc = 0;
		OK(f, ops_org_create(f->c, &CLI, &c, &idc, &f->ei));
		OK(f, store_tx_begin(f->c, &f->ei));
		c.name = "Innermost";
		OK(f, ops_org_create(f->c, &CLI, &c, &idc, &f->ei));
		store_tx_rollback(f->c);        /* drops Innermost */
	}
	OK(f, store_tx_commit(f->c, &f->ei));
	OK(f, store_tx_commit(f->c, &f->ei));
	assert_false(in_tx(f));
	assert_int_equal(sql_int(f, "SELECT count(*) FROM orgs"), 3);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM orgs"
				    " WHERE name = 'Innermost'"), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit_log"), 3);
}

static void test_ops_user_create(void **state)
{
	struct fx *f = *state;
	struct user u;
	int64_t id = 0;

	/* a weak password: refused by name, nothing stored */
	FAILS(f, ops_user_create(f->c, &CLI, "ana@example.gov", "Ana",
				 "short", false, &id, &f->ei), ERR_INVALID);
	assert_true(has_detail(&f->ei, "password"));
	assert_false(has_detail(&f->ei, "email"));
	/* every bad field at once */
	FAILS(f, ops_user_create(f->c, &CLI, "not an email", "", "x", false,
				 &id, &f->ei), ERR_INVALID);
	assert_true(has_detail(&f->ei, "email"));
	assert_true(has_detail(&f->ei, "name"));
	assert_true(has_detail(&f->ei, "password"));
	assert_int_equal(id, 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM users"), 0);
	assert_int_equal(audit_count(f), 0);

	/* a good one: email lower-cased, password hashed and verifiable */
	OK(f, ops_user_create(f->c, &CLI, "Ana@Example.GOV", "Ana",
			      "a long enough passphrase", true, &id, &f->ei));
	assert_true(id > 0);
	OK(f, store_user_by_email(f->c, &f->a, "ana@example.gov", &u, &f->ei));
	assert_int_equal(u.id, id);
	assert_true(u.is_admin);
	assert_string_not_equal(u.password_hash, "a long enough passphrase");
	assert_true(secret_password_verify(u.password_hash,
					   "a long enough passphrase"));
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit_log"
				    " WHERE object_type = 'user'"
				    " AND action = 'create'"), 1);
	/* the audit entry never holds the password */
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit_log"
				    " WHERE changes LIKE '%passphrase%'"), 0);

	/* the same address in another case is taken */
	FAILS(f, ops_user_create(f->c, &CLI, "ANA@example.gov", "Ana 2",
				 "another long passphrase", false, NULL,
				 &f->ei), ERR_CONFLICT);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM users"), 1);
	assert_int_equal(audit_count(f), 1);
}

/* Callers may pass no errinfo (errinfo_set/errinfo_add accept NULL); the
 * ops must still refuse what is invalid and store nothing. */
static void test_ops_org_create_without_errinfo(void **state)
{
	struct fx *f = *state;
	struct org_input in = { .name = "Control\x01" "character",
				.kind = "office" };
	int64_t id = 0;

	assert_int_equal(ops_org_create(f->c, &CLI, &in, &id, NULL),
			 ERR_INVALID);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM orgs"), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit_log"), 0);
}

static void test_ops_user_create_without_errinfo(void **state)
{
	struct fx *f = *state;
	int64_t id = 0;

	assert_int_equal(ops_user_create(f->c, &CLI, "weak@example.gov", "Weak",
					 "short", false, &id, NULL),
			 ERR_INVALID);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM users"), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit_log"), 0);
}

static void test_ops_token_create(void **state)
{
	struct fx *f = *state;
	char tok[SECRET_TOKEN_TEXT + 4], hash[SECRET_HASH_TEXT];
	char tok2[SECRET_TOKEN_TEXT + 4];
	struct api_token t;
	struct user u;
	int64_t uid, id = 0, id2 = 0, now = clock_unix();

	uid = user(f, "ana@example.gov", false);
	OK(f, ops_token_create(f->c, &CLI, uid, "ci pipeline", 30, tok,
			       sizeof tok, &id, &f->ei));
	assert_true(id > 0);
	assert_int_equal(strncmp(tok, "cxm_", 4), 0);
	assert_int_equal(strlen(tok), 47);
	/* only the hash is stored, and it finds the token */
	secret_token_hash(tok, hash);
	OK(f, store_token_lookup(f->c, &f->a, hash, now, &t, &u, &f->ei));
	assert_int_equal(t.id, id);
	assert_int_equal(t.user_id, uid);
	assert_string_equal(t.name, "ci pipeline");
	assert_true(t.expires_at >= now + 30 * 86400 &&
		    t.expires_at <= now + 30 * 86400 + 5);
	assert_int_equal(u.id, uid);
	FAILS(f, store_token_lookup(f->c, &f->a, tok, now, &t, &u, &f->ei),
	      ERR_NOTFOUND);
	FAILS(f, store_token_lookup(f->c, &f->a, hash, now + 31 * 86400, &t, &u,
				    &f->ei), ERR_NOTFOUND);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit_log"
				    " WHERE object_type = 'token'"), 1);

	/* 0 days: never expires */
	OK(f, ops_token_create(f->c, &CLI, uid, "forever", 0, tok2,
			       sizeof tok2, &id2, &f->ei));
	assert_string_not_equal(tok, tok2);
	secret_token_hash(tok2, hash);
	OK(f, store_token_lookup(f->c, &f->a, hash, now + 10000 * 86400LL, &t,
				 &u, &f->ei));
	assert_int_equal(t.id, id2);
	assert_int_equal(t.expires_at, 0);

	/* refusals store nothing */
	FAILS(f, ops_token_create(f->c, &CLI, uid, "too long", 3651, tok2,
				  sizeof tok2, NULL, &f->ei), ERR_INVALID);
	assert_true(has_detail(&f->ei, "expires"));
	FAILS(f, ops_token_create(f->c, &CLI, uid, "negative", -1, tok2,
				  sizeof tok2, NULL, &f->ei), ERR_INVALID);
	FAILS(f, ops_token_create(f->c, &CLI, uid, "", 30, tok2, sizeof tok2,
				  NULL, &f->ei), ERR_INVALID);
	assert_true(has_detail(&f->ei, "name"));
	assert_int_equal(sql_int(f, "SELECT count(*) FROM api_tokens"), 2);

	/* revoking through ops: gone, audited, and only once */
	OK(f, ops_token_revoke(f->c, &CLI, id2, uid, &f->ei));
	FAILS(f, store_token_lookup(f->c, &f->a, hash, now, &t, &u, &f->ei),
	      ERR_NOTFOUND);
	FAILS(f, ops_token_revoke(f->c, &CLI, id2, uid, &f->ei), ERR_NOTFOUND);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit_log"
				    " WHERE object_type = 'token'"), 3);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit_log"
				    " WHERE action = 'revoke'"), 1);
	assert_false(in_tx(f));
}

static void test_ops_grants(void **state)
{
	struct fx *f = *state;
	struct user_grant *g;
	size_t n;
	int64_t uid, o;

	uid = user(f, "ana@example.gov", false);
	o = org(f, "Agency", "department", 0);
	/* only grant roles */
	FAILS(f, ops_grant_set(f->c, &CLI, uid, o, ROLE_ADMIN, &f->ei),
	      ERR_INVALID);
	assert_true(has_detail(&f->ei, "role"));
	FAILS(f, ops_grant_set(f->c, &CLI, uid, 9999, ROLE_VIEWER, &f->ei),
	      ERR_INVALID);
	assert_int_equal(audit_count(f), 0);

	OK(f, ops_grant_set(f->c, &CLI, uid, o, ROLE_FACILITATOR, &f->ei));
	OK(f, store_grant_list(f->c, &f->a, uid, &g, &n, &f->ei));
	assert_int_equal(n, 1);
	assert_int_equal(g[0].role, ROLE_FACILITATOR);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit_log"
				    " WHERE action = 'role-change'"
				    " AND object_type = 'grant'"
				    " AND changes LIKE '%\"facilitator\"%'"), 1);
	OK(f, ops_grant_delete(f->c, &CLI, uid, o, &f->ei));
	OK(f, store_grant_list(f->c, &f->a, uid, &g, &n, &f->ei));
	assert_int_equal(n, 0);
	FAILS(f, ops_grant_delete(f->c, &CLI, uid, o, &f->ei), ERR_NOTFOUND);
	assert_int_equal(audit_count(f), 2);
	assert_false(in_tx(f));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_org_insert_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_org_list_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_org_sibling_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_org_update_moves, setup, teardown),
		cmocka_unit_test_setup_teardown(test_org_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_org_ancestors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_org_deep_chain_ancestors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_org_deep_chain_no_cycle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_services, setup, teardown),
		cmocka_unit_test_setup_teardown(test_users_and_grants, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sessions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tokens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_throttle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ops_org_create_audited, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ops_failure_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ops_nested_transactions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ops_user_create, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ops_org_create_without_errinfo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ops_user_create_without_errinfo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ops_token_create, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ops_grants, setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
