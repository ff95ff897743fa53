/* events.c: server-sent events.  A stream's reader suspends its connection
 * when nothing is queued; a delivery queues bytes and resumes it.  One
 * mutex guards the list and every queue; it is taken before any call into
 * libmicrohttpd's suspend/resume, in every path, so the order is fixed. */
#include "events.h"

#include "util/buf.h"
#include "util/log.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct events_sub {
	struct events *hub;
	struct MHD_Connection *conn;
	char topic[64];
	struct buf queue;          /* bytes not yet handed to the reader */
	size_t sent;               /* of queue, already handed over */
	bool suspended, closed;
	struct events_sub *prev, *next;
};

struct events {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct events_sub *subs;
	size_t count;
	bool closing;
	pthread_t heartbeat;
	bool heartbeat_running;
};

/* Caller holds the lock.  Wakes a suspended stream. */
static void wake(struct events_sub *s)
{
	if (s->suspended) {
		s->suspended = false;
		MHD_resume_connection(s->conn);
	}
}

/* Caller holds the lock. */
static void enqueue(struct events_sub *s, const char *text, size_t len)
{
	if (s->closed)
		return;
	if (s->queue.len - s->sent + len > EVENTS_QUEUE_MAX) {
		/* A client that does not read is cut off, not buffered
		 * without end. */
		s->closed = true;
	} else {
		buf_append(&s->queue, text, len);
		if (s->queue.err)
			s->closed = true;
	}
	wake(s);
}

static void *heartbeat_loop(void *arg)
{
	struct events *hub = arg;
	struct timespec until;
	struct events_sub *s;
	static const char PING[] = ": keep-alive\n\n";

	pthread_mutex_lock(&hub->lock);
	while (!hub->closing) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += EVENTS_HEARTBEAT_S;
		pthread_cond_timedwait(&hub->wake, &hub->lock, &until);
		if (hub->closing)
			break;
		for (s = hub->subs; s; s = s->next)
			enqueue(s, PING, sizeof PING - 1);
	}
	pthread_mutex_unlock(&hub->lock);
	return NULL;
}

struct events *events_new(void)
{
	struct events *hub = calloc(1, sizeof *hub);

	if (!hub)
		return NULL;
	pthread_mutex_init(&hub->lock, NULL);
	pthread_cond_init(&hub->wake, NULL);
	if (pthread_create(&hub->heartbeat, NULL, heartbeat_loop, hub) == 0)
		hub->heartbeat_running = true;
	return hub;
}

void events_close(struct events *hub)
{
	struct events_sub *s;

	if (!hub)
		return;
	pthread_mutex_lock(&hub->lock);
	hub->closing = true;
	for (s = hub->subs; s; s = s->next) {
		s->closed = true;
		wake(s);
	}
	pthread_cond_broadcast(&hub->wake);
	pthread_mutex_unlock(&hub->lock);
	if (hub->heartbeat_running) {
		pthread_join(hub->heartbeat, NULL);
		hub->heartbeat_running = false;
	}
}

void events_free(struct events *hub)
{
	if (!hub)
		return;
	events_close(hub);
	pthread_cond_destroy(&hub->wake);
	pthread_mutex_destroy(&hub->lock);
	free(hub);
}

void events_deliver(void *arg, const char *topic, const char *payload)
{
	struct events *hub = arg;
	struct events_sub *s;
	struct buf msg;

	if (!hub || strchr(payload, '\n'))
		return;
	buf_init(&msg, EVENTS_QUEUE_MAX);
	buf_printf(&msg, "event: %s\ndata: %s\n\n", topic, payload);
	if (msg.err) {
		buf_release(&msg);
		return;
	}
	pthread_mutex_lock(&hub->lock);
	for (s = hub->subs; s; s = s->next)
		if (strcmp(s->topic, topic) == 0)
			enqueue(s, msg.data, msg.len);
	pthread_mutex_unlock(&hub->lock);
	buf_release(&msg);
}

int events_subscribe(struct events *hub, struct req *r, struct resp *w,
		     const char *topic)
{
	static const char HELLO[] = ": connected\nretry: 3000\n\n";
	struct events_sub *s;

	if (!hub || strlen(topic) >= sizeof s->topic)
		return req_fail(r, ERR_INTERNAL, "no event hub");
	s = calloc(1, sizeof *s);
	if (!s)
		return ERR_NOMEM;
	s->hub = hub;
	s->conn = r->conn;
	memcpy(s->topic, topic, strlen(topic) + 1);
	buf_init(&s->queue, EVENTS_QUEUE_MAX + 4096);
	buf_append(&s->queue, HELLO, sizeof HELLO - 1);
	pthread_mutex_lock(&hub->lock);
	if (hub->closing) {
		pthread_mutex_unlock(&hub->lock);
		buf_release(&s->queue);
		free(s);
		return req_fail(r, ERR_UNAVAILABLE, "The server is stopping.");
	}
	s->next = hub->subs;
	if (hub->subs)
		hub->subs->prev = s;
	hub->subs = s;
	hub->count++;
	pthread_mutex_unlock(&hub->lock);
	w->status = 200;
	w->content_type = "text/event-stream";
	w->stream = s;
	resp_header(w, "Cache-Control", "no-store");
	resp_header(w, "X-Accel-Buffering", "no");
	return 0;
}

ssize_t events_read(void *arg, uint64_t pos, char *out, size_t max)
{
	struct events_sub *s = arg;
	struct events *hub = s->hub;
	size_t n;

	(void)pos;
	pthread_mutex_lock(&hub->lock);
	if (s->queue.len > s->sent) {
		n = s->queue.len - s->sent;
		if (n > max)
			n = max;
		memcpy(out, s->queue.data + s->sent, n);
		s->sent += n;
		if (s->sent == s->queue.len) {
			s->queue.len = 0;
			s->sent = 0;
		}
		pthread_mutex_unlock(&hub->lock);
		return (ssize_t)n;
	}
	if (s->closed || hub->closing) {
		pthread_mutex_unlock(&hub->lock);
		return MHD_CONTENT_READER_END_OF_STREAM;
	}
	s->suspended = true;
	MHD_suspend_connection(s->conn);
	pthread_mutex_unlock(&hub->lock);
	return 0;
}

void events_release(void *arg)
{
	struct events_sub *s = arg;
	struct events *hub = s->hub;

	pthread_mutex_lock(&hub->lock);
	if (s->prev)
		s->prev->next = s->next;
	else
		hub->subs = s->next;
	if (s->next)
		s->next->prev = s->prev;
	hub->count--;
	pthread_mutex_unlock(&hub->lock);
	buf_release(&s->queue);
	free(s);
}

size_t events_count(struct events *hub)
{
	size_t n;

	pthread_mutex_lock(&hub->lock);
	n = hub->count;
	pthread_mutex_unlock(&hub->lock);
	return n;
}
