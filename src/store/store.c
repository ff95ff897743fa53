/* store.c: opening a database, the connection pool, queries and transactions. */
#include "store.h"

#include "engine.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct store_conn {
	struct store *store;
	void *handle;
	struct store_conn *next_free;
	int tx_depth;      /* open transactions; inner ones are savepoints */
};

struct store {
	const struct store_engine *engine;
	struct store_conn *conns;
	unsigned nconns;
	struct store_conn *free_list;
	pthread_mutex_t lock;
	pthread_cond_t available;
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

void store_close(struct store *s)
{
	unsigned i;

	if (!s)
		return;
	for (i = 0; i < s->nconns; i++)
		s->engine->conn_close(s->conns[i].handle);
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

	if (c->tx_depth == 0) {
		rc = c->store->engine->exec(c->handle, c->store->engine->begin_sql,
					    ei);
	} else {
		snprintf(sql, sizeof sql, "SAVEPOINT sp%d", c->tx_depth);
		rc = c->store->engine->exec(c->handle, sql, ei);
	}
	if (!rc)
		c->tx_depth++;
	return rc;
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
	rc = c->store->engine->exec(c->handle, "COMMIT", ei);
	if (rc) {
		store_tx_rollback(c);
		return rc;
	}
	c->tx_depth = 0;
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
		return;
	}
	if (c->store->engine->in_transaction(c->handle))
		c->store->engine->exec(c->handle, "ROLLBACK", NULL);
	c->tx_depth = 0;
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
