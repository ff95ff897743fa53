/* pg.c: the PostgreSQL engine (libpq): prepared statements per connection,
 * SQLSTATE mapping, and re-connection after a lost connection. */
#include "engine.h"

#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

/* Generated at build time from migrations/pg/NNNN-name.sql. */
extern const struct store_migration store_pg_migrations[];
/* SQL text per statement id (pg-sql.c). */
extern const char *const store_pg_sql[STMT__MAX];

enum { PG_PARAMS_MAX = 16, PG_PARAM_TEXT = 32 };

/* One statement in use: its parameters as text, then its result. */
struct pg_stmt {
	struct pg_conn *conn;
	enum stmt id;
	int nparams;
	const char *values[PG_PARAMS_MAX];
	char *owned[PG_PARAMS_MAX];          /* malloc'd parameter texts */
	PGresult *res;
	int row, nrows;                      /* row: the current row, -1 before */
};

struct pg_conn {
	PGconn *pg;
	char *url;
	bool prepared[STMT__MAX];
	struct pg_stmt stmts[STMT__MAX];     /* one in use per id at a time */
};

/* 08xxx connection exceptions, 57P0x shutdowns, 53xxx out of resources:
 * the database is unavailable, not the request wrong. */
static enum err map_sqlstate(const char *state)
{
	if (!state)
		return ERR_UNAVAILABLE;
	if (strcmp(state, "23505") == 0 || strcmp(state, "23503") == 0 ||
	    strcmp(state, "23P01") == 0)
		return ERR_CONFLICT;
	if (strcmp(state, "23514") == 0 || strcmp(state, "23502") == 0 ||
	    strncmp(state, "22", 2) == 0)
		return ERR_INVALID;
	if (strncmp(state, "08", 2) == 0 || strncmp(state, "57P0", 4) == 0 ||
	    strncmp(state, "53", 2) == 0 || strcmp(state, "25006") == 0 ||
	    strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)
		return ERR_UNAVAILABLE;
	return ERR_DB;
}

static int fail_result(struct pg_conn *c, PGresult *res, struct errinfo *ei,
		       const char *what)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	enum err code = PQstatus(c->pg) == CONNECTION_OK ? map_sqlstate(state)
							 : ERR_UNAVAILABLE;
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(c->pg);
	char clean[200];
	size_t n;

	snprintf(clean, sizeof clean, "%s", msg && *msg ? msg : "no answer");
	n = strlen(clean);
	while (n && (clean[n - 1] == '\n' || clean[n - 1] == ' '))
		clean[--n] = '\0';
	return errinfo_set(ei, code, "%s: %s", what, clean);
}

/* Notices (e.g. "relation already exists, skipping") are not errors. */
static void quiet_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static int conn_open(const char *url, void **out, struct errinfo *ei)
{
	struct pg_conn *c = calloc(1, sizeof *c);
	int i;

	*out = NULL;
	if (!c || !(c->url = strdup(url))) {
		free(c);
		return errinfo_set(ei, ERR_NOMEM, "out of memory");
	}
	for (i = 0; i < STMT__MAX; i++) {
		c->stmts[i].conn = c;
		c->stmts[i].id = (enum stmt)i;
	}
	c->pg = PQconnectdb(url);
	if (!c->pg || PQstatus(c->pg) != CONNECTION_OK) {
		char msg[200];
		snprintf(msg, sizeof msg, "%s",
			 c->pg ? PQerrorMessage(c->pg) : "out of memory");
		msg[strcspn(msg, "\n")] = '\0';
		PQfinish(c->pg);
		free(c->url);
		free(c);
		return errinfo_set(ei, ERR_UNAVAILABLE,
				   "cannot connect to PostgreSQL: %s", msg);
	}
	PQsetNoticeProcessor(c->pg, quiet_notice, NULL);
	*out = c;
	return 0;
}

static void stmt_clear(struct pg_stmt *s)
{
	int i;

	PQclear(s->res);
	s->res = NULL;
	for (i = 0; i < PG_PARAMS_MAX; i++) {
		free(s->owned[i]);
		s->owned[i] = NULL;
		s->values[i] = NULL;
	}
	s->nparams = 0;
	s->row = -1;
	s->nrows = 0;
}

static void conn_close(void *handle)
{
	struct pg_conn *c = handle;
	int i;

	if (!c)
		return;
	for (i = 0; i < STMT__MAX; i++)
		stmt_clear(&c->stmts[i]);
	PQfinish(c->pg);
	free(c->url);
	free(c);
}

/* Re-establishes a lost connection; its prepared statements are gone. */
static int ensure_connected(struct pg_conn *c, struct errinfo *ei)
{
	if (PQstatus(c->pg) == CONNECTION_OK)
		return 0;
	PQreset(c->pg);
	memset(c->prepared, 0, sizeof c->prepared);
	if (PQstatus(c->pg) != CONNECTION_OK)
		return errinfo_set(ei, ERR_UNAVAILABLE,
				   "the database connection was lost and could "
				   "not be re-established");
	PQsetNoticeProcessor(c->pg, quiet_notice, NULL);
	return 0;
}

static int exec(void *handle, const char *sql, struct errinfo *ei)
{
	struct pg_conn *c = handle;
	PGresult *res;
	int rc = 0;

	/* Inside a transaction a lost connection must not be papered over by
	 * a silent reconnect: the transaction is gone and the caller fails. */
	if (PQtransactionStatus(c->pg) == PQTRANS_IDLE ||
	    PQstatus(c->pg) != CONNECTION_OK)
		if (strncmp(sql, "ROLLBACK", 8) != 0 &&
		    (rc = ensure_connected(c, ei)))
			return rc;
	res = PQexec(c->pg, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK &&
	    PQstatus(c->pg) != CONNECTION_OK && strcmp(sql, "BEGIN") == 0) {
		/* A pooled connection that died while idle: BEGIN changed
		 * nothing, so reconnect and try once more. */
		PQclear(res);
		res = NULL;
		if (!ensure_connected(c, NULL))
			res = PQexec(c->pg, sql);
	}
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK)
		rc = fail_result(c, res, ei, "statement");
	PQclear(res);
	return rc;
}

/* Prepares statement id on the connection unless it already is. */
static int prepare_named(struct pg_conn *c, enum stmt id, struct errinfo *ei)
{
	char name[16];
	PGresult *res;
	int rc;

	if (c->prepared[id])
		return 0;
	snprintf(name, sizeof name, "s%d", (int)id);
	res = PQprepare(c->pg, name, store_pg_sql[id], 0, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		rc = fail_result(c, res, ei, "prepare");
		PQclear(res);
		return rc;
	}
	PQclear(res);
	c->prepared[id] = true;
	return 0;
}

/* True for statements that only read (SELECT, or WITH ... SELECT). */
static bool is_read_only(const char *sql)
{
	return strncmp(sql, "SELECT", 6) == 0 ||
	       (strncmp(sql, "WITH", 4) == 0 && !strstr(sql, "INSERT") &&
		!strstr(sql, "UPDATE") && !strstr(sql, "DELETE"));
}

static int prepare(void *handle, enum stmt id, void **out, struct errinfo *ei)
{
	struct pg_conn *c = handle;
	int rc;

	if ((unsigned)id >= STMT__MAX || !store_pg_sql[id])
		return errinfo_set(ei, ERR_INTERNAL, "no SQL for statement %d",
				   (int)id);
	if (PQtransactionStatus(c->pg) == PQTRANS_IDLE ||
	    PQstatus(c->pg) != CONNECTION_OK) {
		rc = ensure_connected(c, ei);
		if (rc)
			return rc;
	}
	rc = prepare_named(c, id, ei);
	if (rc && PQstatus(c->pg) != CONNECTION_OK &&
	    PQtransactionStatus(c->pg) != PQTRANS_INTRANS &&
	    PQtransactionStatus(c->pg) != PQTRANS_INERROR) {
		/* The pooled connection died while idle (a restart or a
		 * failover): preparing changes nothing, so reconnect once. */
		if (ensure_connected(c, NULL) == 0)
			rc = prepare_named(c, id, ei);
	}
	if (rc)
		return rc;
	stmt_clear(&c->stmts[id]);
	*out = &c->stmts[id];
	return 0;
}

static int set_param(struct pg_stmt *s, int idx, char *owned,
		     const char *value)
{
	if (idx < 1 || idx > PG_PARAMS_MAX) {
		free(owned);
		return ERR_INTERNAL;
	}
	free(s->owned[idx - 1]);
	s->owned[idx - 1] = owned;
	s->values[idx - 1] = value;
	if (idx > s->nparams)
		s->nparams = idx;
	return 0;
}

static int bind_int64(void *h, int idx, int64_t v)
{
	char *text = malloc(PG_PARAM_TEXT);

	if (!text)
		return ERR_NOMEM;
	snprintf(text, PG_PARAM_TEXT, "%lld", (long long)v);
	return set_param(h, idx, text, text);
}

static int bind_text(void *h, int idx, const char *s, size_t len)
{
	char *text = malloc(len + 1);

	if (!text)
		return ERR_NOMEM;
	memcpy(text, s, len);
	text[len] = '\0';
	return set_param(h, idx, text, text);
}

static int bind_null(void *h, int idx)
{
	return set_param(h, idx, NULL, NULL);
}

static int step(void *handle, void *h, struct errinfo *ei)
{
	struct pg_conn *c = handle;
	struct pg_stmt *s = h;
	char name[16];

	if (!s->res) {
		bool idle = PQtransactionStatus(c->pg) == PQTRANS_IDLE;
		snprintf(name, sizeof name, "s%d", (int)s->id);
		s->res = PQexecPrepared(c->pg, name, s->nparams, s->values,
					NULL, NULL, 0);
		if (PQresultStatus(s->res) != PGRES_TUPLES_OK &&
		    PQresultStatus(s->res) != PGRES_COMMAND_OK &&
		    idle && PQstatus(c->pg) != CONNECTION_OK &&
		    is_read_only(store_pg_sql[s->id])) {
			/* A pooled connection that died while idle: a read
			 * outside a transaction is safe to repeat once on a
			 * fresh connection.  Writes are never repeated. */
			PQclear(s->res);
			s->res = NULL;
			if (!ensure_connected(c, NULL) &&
			    prepare_named(c, s->id, NULL) == 0)
				s->res = PQexecPrepared(c->pg, name, s->nparams,
							s->values, NULL, NULL, 0);
		}
		if (PQresultStatus(s->res) != PGRES_TUPLES_OK &&
		    PQresultStatus(s->res) != PGRES_COMMAND_OK) {
			int rc = fail_result(c, s->res, ei, "query");
			PQclear(s->res);
			s->res = NULL;
			s->nrows = 0;
			s->row = 0;
			/* Keep the failed state so a second step does not
			 * run the statement again. */
			return rc;
		}
		s->nrows = PQntuples(s->res);
		s->row = -1;
	}
	if (s->row + 1 < s->nrows) {
		s->row++;
		return 1;
	}
	s->row = s->nrows;
	return 0;
}

static int64_t column_int64(void *h, int col)
{
	struct pg_stmt *s = h;

	if (!s->res || s->row < 0 || s->row >= s->nrows ||
	    PQgetisnull(s->res, s->row, col))
		return 0;
	return strtoll(PQgetvalue(s->res, s->row, col), NULL, 10);
}

static const char *column_text(void *h, int col)
{
	struct pg_stmt *s = h;

	if (!s->res || s->row < 0 || s->row >= s->nrows ||
	    PQgetisnull(s->res, s->row, col))
		return NULL;
	return PQgetvalue(s->res, s->row, col);
}

static bool column_is_null(void *h, int col)
{
	struct pg_stmt *s = h;

	return !s->res || s->row < 0 || s->row >= s->nrows ||
	       PQgetisnull(s->res, s->row, col);
}

static void reset(void *h)
{
	stmt_clear(h);
}

static int health(void *handle, struct errinfo *ei)
{
	struct pg_conn *c = handle;
	void *h = NULL;
	int rc = prepare(c, STMT_HEALTH, &h, ei);

	if (!rc) {
		rc = step(c, h, ei);
		reset(h);
	}
	if (rc != 1) {
		char why[ERRINFO_MESSAGE_MAX];
		snprintf(why, sizeof why, "%s", ei ? ei->message : "");
		return errinfo_set(ei, ERR_UNAVAILABLE, "database unreadable: %.200s",
				   why);
	}
	return 0;
}

static bool in_transaction(void *handle)
{
	struct pg_conn *c = handle;
	PGTransactionStatusType t = PQtransactionStatus(c->pg);

	return t == PQTRANS_INTRANS || t == PQTRANS_INERROR;
}

static int notify(void *handle, const char *topic, const char *payload,
		  struct errinfo *ei)
{
	void *h;
	int rc = prepare(handle, STMT_NOTIFY, &h, ei);

	if (rc)
		return rc;
	bind_text(h, 1, topic, strlen(topic));
	bind_text(h, 2, payload, strlen(payload));
	rc = step(handle, h, ei);
	reset(h);
	return rc < 0 ? rc : 0;
}

/* The LISTEN side: one connection per server, in its own thread, that
 * hands every notification to the sink and reconnects after failures.
 * Events raised while it reconnects are not replayed (the audit log keeps
 * them); live views simply miss those. */
struct pg_listener {
	pthread_t thread;
	atomic_bool stop;
	char *url;
	store_event_sink *sink;
	void *arg;
};

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static PGconn *listen_connect(const char *url)
{
	PGconn *pg = PQconnectdb(url);
	PGresult *res;

	if (PQstatus(pg) != CONNECTION_OK) {
		PQfinish(pg);
		return NULL;
	}
	PQsetNoticeProcessor(pg, quiet_notice, NULL);
	res = PQexec(pg, "LISTEN cxm_events");
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		PQclear(res);
		PQfinish(pg);
		return NULL;
	}
	PQclear(res);
	return pg;
}

static void *listen_loop(void *arg)
{
	struct pg_listener *l = arg;
	PGconn *pg = NULL;
	PGnotify *n;
	long backoff = 100;

	while (!atomic_load(&l->stop)) {
		struct pollfd pfd;

		if (!pg) {
			pg = listen_connect(l->url);
			if (!pg) {
				nap_ms(backoff);
				backoff = backoff < 2000 ? backoff * 2 : 2000;
				continue;
			}
			backoff = 100;
		}
		pfd.fd = PQsocket(pg);
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, 250) < 0)
			continue;
		if (!PQconsumeInput(pg) || PQstatus(pg) != CONNECTION_OK) {
			PQfinish(pg);
			pg = NULL;
			continue;
		}
		while ((n = PQnotifies(pg)) != NULL) {
			char *nl = n->extra ? strchr(n->extra, '\n') : NULL;
			if (nl) {
				*nl = '\0';
				l->sink(l->arg, n->extra, nl + 1);
			}
			PQfreemem(n);
		}
	}
	PQfinish(pg);
	return NULL;
}

static int listen_start(const char *url, store_event_sink *sink, void *arg,
			void **out, struct errinfo *ei)
{
	struct pg_listener *l = calloc(1, sizeof *l);

	*out = NULL;
	if (!l || !(l->url = strdup(url))) {
		free(l);
		return errinfo_set(ei, ERR_NOMEM, "out of memory");
	}
	atomic_init(&l->stop, false);
	l->sink = sink;
	l->arg = arg;
	if (pthread_create(&l->thread, NULL, listen_loop, l) != 0) {
		free(l->url);
		free(l);
		return errinfo_set(ei, ERR_INTERNAL, "cannot start the listener");
	}
	*out = l;
	return 0;
}

static void listen_stop(void *listener)
{
	struct pg_listener *l = listener;

	if (!l)
		return;
	atomic_store(&l->stop, true);
	pthread_join(l->thread, NULL);
	free(l->url);
	free(l);
}

const struct store_engine store_engine_pg = {
	.name = "postgresql",
	.begin_sql = "BEGIN",
	.migrate_lock_sql = "SELECT pg_advisory_lock(7206101)",
	.migrate_unlock_sql = "SELECT pg_advisory_unlock(7206101)",
	.migrations = store_pg_migrations,
	.conn_open = conn_open,
	.conn_close = conn_close,
	.exec = exec,
	.prepare = prepare,
	.bind_int64 = bind_int64,
	.bind_text = bind_text,
	.bind_null = bind_null,
	.step = step,
	.column_int64 = column_int64,
	.column_text = column_text,
	.column_is_null = column_is_null,
	.reset = reset,
	.health = health,
	.in_transaction = in_transaction,
	.notify = notify,
	.listen_start = listen_start,
	.listen_stop = listen_stop,
	/* Identity columns continue after the highest copied id. */
	.after_copy_sql =
		"SELECT setval(pg_get_serial_sequence('orgs', 'id'), coalesce(max(id), 0) + 1, false) FROM orgs;"
		"SELECT setval(pg_get_serial_sequence('services', 'id'), coalesce(max(id), 0) + 1, false) FROM services;"
		"SELECT setval(pg_get_serial_sequence('users', 'id'), coalesce(max(id), 0) + 1, false) FROM users;"
		"SELECT setval(pg_get_serial_sequence('grants', 'id'), coalesce(max(id), 0) + 1, false) FROM grants;"
		"SELECT setval(pg_get_serial_sequence('sessions', 'id'), coalesce(max(id), 0) + 1, false) FROM sessions;"
		"SELECT setval(pg_get_serial_sequence('api_tokens', 'id'), coalesce(max(id), 0) + 1, false) FROM api_tokens;"
		"SELECT setval(pg_get_serial_sequence('audit_log', 'id'), coalesce(max(id), 0) + 1, false) FROM audit_log;",
};
