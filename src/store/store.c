/* store.c: opening a database, the connection pool, queries and transactions. */
#include "store.h"

#include "engine.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TX_DEPTH_MAX = 16, PENDING_MAX = 256 };

/* An event raised inside a transaction, held until it commits. */
struct pending_event { char *topic, *payload; };

struct store_conn {
	struct store *store;
	void *handle;
	struct store_conn *next_free;
	int tx_depth;      /* open transactions; inner ones are savepoints */
	struct pending_event pending[PENDING_MAX];
	int npending;
	int mark[TX_DEPTH_MAX];  /* npending when each level began */
};

struct store {
	const struct store_engine *engine;
	struct store_conn *conns;
	unsigned nconns;
	struct store_conn *free_list;
	pthread_mutex_t lock;
	pthread_cond_t available;
	store_event_sink *sink;   /* local delivery (SQLite), or NULL */
	void *sink_arg;
	void *listener;           /* the engine's LISTEN thread (PostgreSQL) */
	char *url;
};

bool store_is_postgres_url(const char *url)
{
	return strncmp(url, "postgresql://", 13) == 0 ||
	       strncmp(url, "postgres://", 11) == 0 ||
	       strstr(url, "dbname=") != NULL || strstr(url, "host=") != NULL;
}

int store_open(const char *url, unsigned pool_size, struct store **out,
	       struct errinfo *ei)
{
	struct store *s;
	unsigned i;
	int rc;

	*out = NULL;
	if (!url || !*url)
		return errinfo_set(ei, ERR_INVALID, "no database given (--db)");
	if (pool_size == 0)
		pool_size = 1;
	s = calloc(1, sizeof *s);
	if (!s)
		return errinfo_set(ei, ERR_NOMEM, "out of memory");
	s->conns = calloc(pool_size, sizeof *s->conns);
	if (!s->conns) {
		free(s);
		return errinfo_set(ei, ERR_NOMEM, "out of memory");
	}
	s->engine = store_is_postgres_url(url) ? &store_engine_pg : &store_engine_sqlite;
	s->url = strdup(url);
	if (!s->url) {
		free(s->conns);
		free(s);
		return errinfo_set(ei, ERR_NOMEM, "out of memory");
	}
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->available, NULL);
	for (i = 0; i < pool_size; i++) {
		rc = s->engine->conn_open(url, &s->conns[i].handle, ei);
		if (rc) {
			store_close(s);
			return rc;
		}
		s->conns[i].store = s;
		s->conns[i].next_free = s->free_list;
		s->free_list = &s->conns[i];
		s->nconns = i + 1;
	}
	*out = s;
	return 0;
}

static void drop_pending(struct store_conn *c, int from)
{
	while (c->npending > from) {
		c->npending--;
		free(c->pending[c->npending].topic);
		free(c->pending[c->npending].payload);
	}
}

void store_close(struct store *s)
{
	unsigned i;

	if (!s)
		return;
	if (s->listener)
		s->engine->listen_stop(s->listener);
	for (i = 0; i < s->nconns; i++) {
		drop_pending(&s->conns[i], 0);
		s->engine->conn_close(s->conns[i].handle);
	}
	free(s->url);
	pthread_cond_destroy(&s->available);
	pthread_mutex_destroy(&s->lock);
	free(s->conns);
	free(s);
}

const char *store_engine_name(const struct store *s)
{
	return s->engine->name;
}

struct store_conn *store_acquire(struct store *s)
{
	struct store_conn *c;

	pthread_mutex_lock(&s->lock);
	while (!s->free_list)
		pthread_cond_wait(&s->available, &s->lock);
	c = s->free_list;
	s->free_list = c->next_free;
	pthread_mutex_unlock(&s->lock);
	return c;
}

void store_release(struct store_conn *c)
{
	struct store *s;

	if (!c)
		return;
	s = c->store;
	while (c->tx_depth > 0 || s->engine->in_transaction(c->handle)) {
		store_tx_rollback(c);
		if (c->tx_depth == 0)
			break;
	}
	pthread_mutex_lock(&s->lock);
	c->next_free = s->free_list;
	s->free_list = c;
	pthread_cond_signal(&s->available);
	pthread_mutex_unlock(&s->lock);
}

void *store_conn_handle(struct store_conn *c)
{
	return c->handle;
}

const struct store_engine *store_conn_engine(struct store_conn *c)
{
	return c->store->engine;
}

int store_known_version(const struct store *s)
{
	const struct store_migration *m;
	int v = 0;

	for (m = s->engine->migrations; m->version; m++)
		v = m->version;
	return v;
}

int store_health(struct store *s, struct errinfo *ei)
{
	struct store_conn *c = store_acquire(s);
	int rc = s->engine->health(c->handle, ei);

	store_release(c);
	return rc;
}

int store_tx_begin(struct store_conn *c, struct errinfo *ei)
{
	char sql[32];
	int rc;

	if (c->tx_depth >= TX_DEPTH_MAX)
		return errinfo_set(ei, ERR_INTERNAL, "transactions nested too deep");
	if (c->tx_depth == 0) {
		drop_pending(c, 0);
		rc = c->store->engine->exec(c->handle, c->store->engine->begin_sql,
					    ei);
	} else {
		snprintf(sql, sizeof sql, "SAVEPOINT sp%d", c->tx_depth);
		rc = c->store->engine->exec(c->handle, sql, ei);
	}
	if (!rc)
		c->mark[c->tx_depth++] = c->npending;
	return rc;
}

/* Hands committed events on: to the engine inside the transaction (it
 * publishes them on commit, to every server), or after the commit to the
 * local sink. */
static int publish_before_commit(struct store_conn *c, struct errinfo *ei)
{
	const struct store_engine *e = c->store->engine;
	int i, rc;

	if (!e->notify)
		return 0;
	for (i = 0; i < c->npending; i++) {
		rc = e->notify(c->handle, c->pending[i].topic,
			       c->pending[i].payload, ei);
		if (rc)
			return rc;
	}
	return 0;
}

static void deliver_after_commit(struct store_conn *c)
{
	struct store *s = c->store;
	int i;

	if (!s->engine->notify && s->sink)
		for (i = 0; i < c->npending; i++)
			s->sink(s->sink_arg, c->pending[i].topic,
				c->pending[i].payload);
	drop_pending(c, 0);
}

int store_tx_commit(struct store_conn *c, struct errinfo *ei)
{
	char sql[32];
	int rc;

	if (c->tx_depth <= 0)
		return errinfo_set(ei, ERR_INTERNAL, "commit without a transaction");
	if (c->tx_depth > 1) {
		snprintf(sql, sizeof sql, "RELEASE sp%d", c->tx_depth - 1);
		rc = c->store->engine->exec(c->handle, sql, ei);
		if (rc) {
			store_tx_rollback(c);
			return rc;
		}
		c->tx_depth--;
		return 0;
	}
	rc = publish_before_commit(c, ei);
	if (!rc)
		rc = c->store->engine->exec(c->handle, "COMMIT", ei);
	if (rc) {
		store_tx_rollback(c);
		return rc;
	}
	c->tx_depth = 0;
	deliver_after_commit(c);
	return 0;
}

void store_tx_rollback(struct store_conn *c)
{
	char sql[64];

	if (c->tx_depth > 1) {
		snprintf(sql, sizeof sql, "ROLLBACK TO sp%d; RELEASE sp%d",
			 c->tx_depth - 1, c->tx_depth - 1);
		c->store->engine->exec(c->handle, sql, NULL);
		c->tx_depth--;
		drop_pending(c, c->mark[c->tx_depth]);
		return;
	}
	if (c->store->engine->in_transaction(c->handle))
		c->store->engine->exec(c->handle, "ROLLBACK", NULL);
	c->tx_depth = 0;
	drop_pending(c, 0);
}

int store_event(struct store_conn *c, const char *topic, const char *payload,
		struct errinfo *ei)
{
	struct pending_event *p;

	if (c->npending >= PENDING_MAX)
		return 0; /* a flood of changes in one transaction: later ones
			     are still in the audit log, only not pushed live */
	p = &c->pending[c->npending];
	p->topic = strdup(topic);
	p->payload = strdup(payload);
	if (!p->topic || !p->payload) {
		free(p->topic);
		free(p->payload);
		return errinfo_set(ei, ERR_NOMEM, "out of memory");
	}
	c->npending++;
	if (c->tx_depth == 0) {
		/* Outside a transaction the statement has committed already. */
		int rc = publish_before_commit(c, ei);
		deliver_after_commit(c);
		return rc;
	}
	return 0;
}

int store_listen(struct store *s, store_event_sink *sink, void *arg,
		 struct errinfo *ei)
{
	s->sink = sink;
	s->sink_arg = arg;
	if (!s->engine->listen_start)
		return 0;
	return s->engine->listen_start(s->url, sink, arg, &s->listener, ei);
}

int query_start(struct store_conn *c, enum stmt id, struct store_query *q,
		struct errinfo *ei)
{
	q->conn = c;
	q->id = id;
	q->err = 0;
	q->handle = NULL;
	q->err = c->store->engine->prepare(c->handle, id, &q->handle, ei);
	return q->err;
}

void query_bind_int64(struct store_query *q, int idx, int64_t v)
{
	if (!q->err)
		q->err = store_conn_engine(q->conn)->bind_int64(q->handle, idx, v);
}

void query_bind_text(struct store_query *q, int idx, const char *s)
{
	const struct store_engine *e = store_conn_engine(q->conn);

	if (q->err)
		return;
	q->err = s ? e->bind_text(q->handle, idx, s, strlen(s))
		   : e->bind_null(q->handle, idx);
}

int query_step(struct store_query *q, struct errinfo *ei)
{
	if (q->err)
		return errinfo_set(ei, q->err, "could not prepare statement %d",
				   (int)q->id);
	return store_conn_engine(q->conn)->step(q->conn->handle, q->handle, ei);
}

int64_t query_int64(struct store_query *q, int col)
{
	return store_conn_engine(q->conn)->column_int64(q->handle, col);
}

const char *query_text(struct store_query *q, int col)
{
	return store_conn_engine(q->conn)->column_text(q->handle, col);
}

bool query_is_null(struct store_query *q, int col)
{
	return store_conn_engine(q->conn)->column_is_null(q->handle, col);
}

void query_end(struct store_query *q)
{
	if (q->handle)
		store_conn_engine(q->conn)->reset(q->handle);
	q->handle = NULL;
}

int query_exec(struct store_conn *c, enum stmt id, struct errinfo *ei)
{
	struct store_query q;
	int rc = query_start(c, id, &q, ei);

	if (!rc) {
		rc = query_step(&q, ei);
		if (rc > 0)
			rc = 0;
	}
	query_end(&q);
	return rc;
}
