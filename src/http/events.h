/* events.h: the live-events hub: server-sent event streams fed by committed changes. */
#ifndef CXM_EVENTS_H
#define CXM_EVENTS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "http/req.h"
#include "http/resp.h"

struct events;
struct events_sub;

enum {
	EVENTS_QUEUE_MAX = 1 << 20,   /* bytes waiting for one slow client */
	EVENTS_HEARTBEAT_S = 15,      /* keep-alive comment interval */
};

/* A hub with no subscribers, and its heartbeat thread.  NULL when out of
 * memory. */
struct events *events_new(void);

/* Ends every stream (their readers finish), stops the heartbeat.  Call
 * when the server stops accepting, before waiting for in-flight requests.
 * Idempotent. */
void events_close(struct events *hub);

/* Frees the hub; every stream must be gone (the daemon stopped). */
void events_free(struct events *hub);

/* The store's event sink (store_listen): queues "event: TOPIC / data:
 * PAYLOAD" for every stream subscribed to topic and wakes it.  Any
 * thread. */
void events_deliver(void *hub, const char *topic, const char *payload);

/* Turns w into an endless text/event-stream response for topic on r's
 * connection.  0 or ERR_NOMEM / ERR_UNAVAILABLE (hub closing). */
int events_subscribe(struct events *hub, struct req *r, struct resp *w,
		     const char *topic);

/* libmicrohttpd glue for the stream (server.c): the content reader and
 * the free callback of a callback response. */
ssize_t events_read(void *sub, uint64_t pos, char *buf, size_t max);
void events_release(void *sub);

/* How many streams are open (tests, /healthz detail). */
size_t events_count(struct events *hub);

#endif
