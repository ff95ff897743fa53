/* server.h: running the HTTP server until SIGINT/SIGTERM. */
#ifndef CXM_SERVER_H
#define CXM_SERVER_H

#include "app.h"
#include "util/err.h"

/* Serves app on app->cfg->listen until SIGINT or SIGTERM (or standard
 * input closing, when configured).  Then stops accepting connections,
 * lets in-flight requests finish for up to cfg->shutdown_grace seconds,
 * and returns 0.  The caller must have blocked SIGINT and SIGTERM in every
 * thread (server_block_signals) before opening anything that starts
 * threads.  Returns ERR_UNAVAILABLE when the address cannot be bound. */
int server_run(struct app *app, struct errinfo *ei);

/* Blocks SIGINT, SIGTERM and SIGPIPE for the calling thread (and threads
 * it creates later); call first thing in `cxm serve`. */
void server_block_signals(void);

#endif
