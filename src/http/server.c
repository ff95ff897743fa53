/* server.c: libmicrohttpd glue: limits, request lifecycle, dispatch, shutdown. */
#include "server.h"

#include "http/auth.h"
#include "http/body.h"
#include "http/events.h"
#include "http/req.h"
#include "http/resp.h"
#include "http/router.h"
#include "http/status.h"
#include "store/store.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/utf8.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Bodies up to this size are drained before a 413 (see classify). */
enum { DRAIN_MAX = 64u << 20 };

/* Lives on server_run's stack for the life of the daemon. */
struct server {
	struct app *app;
	struct MHD_Daemon *daemon;
	atomic_uint inflight;        /* requests between headers and done */
};

/* Per-request bookkeeping beyond struct req. */
struct exchange {
	struct req req;
	int status;
	uint64_t bytes;
	bool responded;
};

void server_block_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static struct exchange *exchange_new(struct server *srv,
				     struct MHD_Connection *conn,
				     const char *method, const char *url)
{
	struct exchange *x = calloc(1, sizeof *x);
	struct req *r;

	if (!x)
		return NULL;
	r = &x->req;
	r->app = srv->app;
	r->conn = conn;
	r->start_us = clock_mono_us();
	arena_init(&r->arena, srv->app->cfg->arena_limit);
	r->method = http_method_parse(method);
	r->method_name = arena_strndup(&r->arena, method,
				       strnlen(method, 32));
	r->path = arena_strdup(&r->arena, url);
	r->body_limit = srv->app->cfg->body_limit;
	buf_init(&r->body, r->body_limit);
	errinfo_clear(&r->err);
	if (!r->method_name || !r->path) {
		arena_release(&r->arena);
		free(x);
		return NULL;
	}
	r->is_api = starts_with(r->path, "/api/");
	return x;
}

static void exchange_free(struct exchange *x)
{
	if (!x)
		return;
	if (x->req.db)
		store_release(x->req.db);
	json_decref(x->req.json);
	buf_release(&x->req.body);
	arena_release(&x->req.arena);
	free(x);
}

/* For a 405: the path's routes decide whether errors are JSON. */
static void mark_api_by_allowed(struct req *r)
{
	const struct route *route = NULL;
	struct route_params params;
	unsigned allowed;
	int m;

	for (m = 0; m < HTTP_METHOD__MAX && !route; m++)
		if ((r->allowed & (1u << m)) && m != HTTP_HEAD)
			router_match(routes, routes_count, (enum http_method)m,
				     r->path, &r->arena, &route, &params,
				     &allowed);
	if (route && (route->flags & ROUTE_JSON))
		r->is_api = true;
}

/* Route lookup and the checks that need only the headers.  Returns 0 or
 * an error to answer at once. */
static int classify(struct req *r)
{
	const char *cl;
	int rc;

	if (!utf8_valid_text(r->path, strlen(r->path)))
		return req_fail(r, ERR_MALFORMED,
				"The address is not valid UTF-8 text.");
	if (r->method == HTTP_METHOD_UNKNOWN) {
		/* Known path, unknown method: answer as a 405 would. */
		rc = router_match(routes, routes_count, HTTP_GET, r->path,
				  &r->arena, &r->route, &r->params,
				  &r->allowed);
		r->route = NULL;
		if (rc == 0 || rc == ERR_METHOD) {
			if (rc == 0)
				r->allowed |= 1u << HTTP_GET | 1u << HTTP_HEAD;
			mark_api_by_allowed(r);
			return ERR_METHOD;
		}
		return rc;
	}
	rc = router_match(routes, routes_count, r->method, r->path, &r->arena,
			  &r->route, &r->params, &r->allowed);
	if (rc == ERR_METHOD)
		mark_api_by_allowed(r);
	if (rc)
		return rc;
	if (r->route->flags & ROUTE_JSON)
		r->is_api = true;
	if (r->route->body_limit && r->route->body_limit < r->body_limit) {
		r->body_limit = r->route->body_limit;
		r->body.max = r->body_limit;
	}
	cl = req_header(r, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl) {
		char *end;
		unsigned long long n = strtoull(cl, &end, 10);
		/* A body somewhat over the limit is read and thrown away so
		 * the client sees the 413 instead of a reset connection; a
		 * huge one is refused at once. */
		if (*end || n > DRAIN_MAX)
			return req_fail(r, ERR_TOO_LARGE,
				"The request body is larger than the limit of %zu bytes.",
				r->body_limit);
		if (n > r->body_limit)
			r->body_too_large = true;
	}
	return 0;
}

static bool is_form_type(const char *ct)
{
	size_t n = strlen("application/x-www-form-urlencoded");

	return ct && strncasecmp(ct, "application/x-www-form-urlencoded", n) == 0 &&
	       (ct[n] == '\0' || ct[n] == ';');
}

/* Parses the body the route asks for. */
static int parse_body(struct req *r)
{
	const char *ct = req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);

	if (r->route->flags & ROUTE_BODY_JSON) {
		if (!body_is_json_type(ct))
			return req_fail(r, ERR_MEDIA_TYPE,
				"Send the body as application/json.");
		return body_parse_json(buf_str(&r->body), r->body.len,
				       &r->json, &r->err);
	}
	if (r->route->flags & ROUTE_BODY_FORM) {
		if (r->body.len && !is_form_type(ct))
			return req_fail(r, ERR_MEDIA_TYPE,
				"Send the form as application/x-www-form-urlencoded.");
		r->form = arena_alloc(&r->arena, sizeof *r->form);
		if (!r->form)
			return ERR_NOMEM;
		return form_parse(&r->arena, buf_str(&r->body), r->body.len,
				  r->form, &r->err);
	}
	return 0;
}

/* Runs the route table's checks and the handler for a fully received
 * request; always leaves a response in w. */
static void dispatch(struct req *r, struct resp *w, int early)
{
	int rc = early;

	auth_client(r);
	if (!rc && !(r->route->flags & ROUTE_ANON))
		rc = auth_identify(r);
	if (!rc)
		rc = auth_require_signed_in(r);
	if (!rc && r->body_too_large)
		rc = req_fail(r, ERR_TOO_LARGE,
			      "The request body is larger than the limit of %zu bytes.",
			      r->body_limit);
	if (!rc)
		rc = parse_body(r);
	if (!rc)
		rc = auth_authorize(r);
	if (!rc)
		rc = auth_check_csrf(r);
	if (!rc)
		rc = r->route->handler(r, w);
	if (!rc && (w->body.err || w->status < 100))
		rc = w->body.err ? w->body.err : ERR_INTERNAL;
	if (rc)
		http_render_error(r, w, rc);
	if (r->db) {
		store_release(r->db);
		r->db = NULL;
	}
}

static enum MHD_Result queue(struct MHD_Connection *conn, struct exchange *x,
			     struct resp *w)
{
	const struct resp_header_pair *h;
	struct MHD_Response *mr;
	enum MHD_Result ok;
	size_t i, len = 0;
	char *data;

	if (w->stream) {
		mr = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 8192,
						       events_read, w->stream,
						       events_release);
		if (!mr)
			events_release(w->stream);
		w->stream = NULL; /* owned by the response now */
		x->bytes = 0;
	} else if (w->file_fd >= 0 && w->status == 200) {
		mr = MHD_create_response_from_fd64(w->file_size, w->file_fd);
		w->file_fd = -1; /* owned by the response now */
		x->bytes = w->file_size;
	} else {
		if (w->file_fd >= 0) {
			close(w->file_fd);
			w->file_fd = -1;
		}
		data = buf_detach(&w->body, &len);
		if (!data) {
			w->status = 500;
			data = strdup("Internal Server Error\n");
			len = data ? strlen(data) : 0;
			w->content_type = "text/plain; charset=utf-8";
		}
		mr = MHD_create_response_from_buffer(len, data,
						     MHD_RESPMEM_MUST_FREE);
		if (!mr)
			free(data);
		x->bytes = len;
	}
	if (!mr)
		return MHD_NO;
	for (h = resp_security_headers; h->name; h++)
		MHD_add_response_header(mr, h->name, h->value);
	if (w->content_type)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE,
					w->content_type);
	for (i = 0; i < w->nheaders; i++)
		MHD_add_response_header(mr, w->headers[i].name,
					w->headers[i].value);
	if (!w->content_type || strncmp(w->content_type, "text/html", 9) == 0 ||
	    x->req.is_api)
		if (!MHD_get_response_header(mr, "Cache-Control"))
			MHD_add_response_header(mr, "Cache-Control", "no-store");
	x->status = w->status;
	x->responded = true;
	ok = MHD_queue_response(conn, (unsigned)w->status, mr);
	MHD_destroy_response(mr);
	return ok;
}

static enum MHD_Result respond(struct MHD_Connection *conn,
			       struct exchange *x, int early)
{
	struct resp w;
	enum MHD_Result ok;

	resp_init(&w, x->req.app->cfg->arena_limit);
	if (early || !x->req.route) {
		if (!early)
			early = ERR_NOTFOUND;
		http_render_error(&x->req, &w, early);
	} else {
		dispatch(&x->req, &w, 0);
	}
	ok = queue(conn, x, &w);
	resp_reset(&w);
	return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **req_cls)
{
	struct server *srv = cls;
	struct exchange *x = *req_cls;
	int rc;

	(void)version;
	if (!x) {
		x = exchange_new(srv, conn, method, url);
		if (!x)
			return MHD_NO;
		*req_cls = x;
		atomic_fetch_add(&srv->inflight, 1);
		rc = classify(&x->req);
		if (rc)
			return respond(conn, x, rc);
		return MHD_YES;
	}
	if (x->responded) {
		/* Answered early (413, 404...): discard whatever still comes. */
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size) {
		if (x->req.body.len + *upload_size > x->req.body_limit)
			x->req.body_too_large = true;
		else
			buf_append(&x->req.body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	return respond(conn, x, 0);
}

static void on_completed(void *cls, struct MHD_Connection *conn,
			 void **req_cls, enum MHD_RequestTerminationCode why)
{
	struct server *srv = cls;
	struct exchange *x = *req_cls;

	(void)conn;
	if (!x)
		return;
	log_access(x->req.method_name, x->req.path,
		   x->responded ? x->status : 0,
		   why == MHD_REQUEST_TERMINATED_COMPLETED_OK ? x->bytes : 0,
		   clock_mono_us() - x->req.start_us);
	exchange_free(x);
	*req_cls = NULL;
	atomic_fetch_sub(&srv->inflight, 1);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;

	(void)cls;
	vsnprintf(msg, sizeof msg, fmt, ap);
	n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	log_msg(LOG_WARN, "http: %s", msg);
}

/* Reads standard input until EOF, then asks the main thread to stop. */
static void *watch_stdin(void *arg)
{
	char buf[256];

	(void)arg;
	while (read(STDIN_FILENO, buf, sizeof buf) > 0)
		;
	kill(getpid(), SIGTERM);
	return NULL;
}

static unsigned thread_count(const struct config *cfg)
{
	long n;

	if (cfg->threads)
		return cfg->threads;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 && n < 256 ? (unsigned)n : 2;
}

static void wait_for_inflight(struct server *srv, unsigned grace)
{
	uint64_t deadline = clock_mono_us() + (uint64_t)grace * 1000000u;
	struct timespec tick = { 0, 20 * 1000 * 1000 };

	while (atomic_load(&srv->inflight) > 0 && clock_mono_us() < deadline)
		nanosleep(&tick, NULL);
}

int server_run(struct app *app, struct errinfo *ei)
{
	const struct config *cfg = app->cfg;
	struct server srv = { .app = app };
	struct sockaddr_storage ss;
	const union MHD_DaemonInfo *info;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG |
			 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ITC;
	unsigned threads = thread_count(cfg);
	pthread_t watcher;
	sigset_t set;
	int sig = 0, rc;
	MHD_socket lsock;

	memset(&ss, 0, sizeof ss);
	atomic_init(&srv.inflight, 0);
	if (strchr(cfg->listen_host, ':')) {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)cfg->listen_port);
		inet_pton(AF_INET6, cfg->listen_host, &a6->sin6_addr);
		flags |= MHD_USE_IPv6;
	} else {
		struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)cfg->listen_port);
		inet_pton(AF_INET, cfg->listen_host, &a4->sin_addr);
	}
	rc = router_check(routes, routes_count, ei);
	if (rc)
		return rc;
	srv.daemon = MHD_start_daemon(
		flags, (uint16_t)cfg->listen_port, NULL, NULL,
		on_request, &srv,
		MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_TIMEOUT, cfg->conn_timeout,
		MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip_connections,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->conn_memory,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, &srv,
		MHD_OPTION_END);
	if (!srv.daemon)
		return errinfo_set(ei, ERR_UNAVAILABLE,
			"cannot listen on %s (address in use, or not allowed)",
			cfg->listen);
	info = MHD_get_daemon_info(srv.daemon, MHD_DAEMON_INFO_BIND_PORT);
	log_msg(LOG_INFO, "listening on http://%s%s%s:%u/ (%u threads, %s)",
		strchr(cfg->listen_host, ':') ? "[" : "", cfg->listen_host,
		strchr(cfg->listen_host, ':') ? "]" : "",
		info ? info->port : cfg->listen_port, threads,
		store_engine_name(app->store));
	if (cfg->exit_on_stdin_close &&
	    pthread_create(&watcher, NULL, watch_stdin, NULL) == 0)
		pthread_detach(watcher);

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigwait(&set, &sig);

	log_msg(LOG_INFO, "%s received: no new connections; finishing %u "
		"in-flight request(s)", sig == SIGINT ? "SIGINT" : "SIGTERM",
		atomic_load(&srv.inflight));
	lsock = MHD_quiesce_daemon(srv.daemon);
	/* Closing the listening socket now makes new connections fail at
	 * once, so a load balancer moves on instead of waiting. */
	if (lsock != MHD_INVALID_SOCKET) {
		close(lsock);
		lsock = MHD_INVALID_SOCKET;
	}
	/* Event streams never end by themselves: end them first. */
	events_close(app->events);
	wait_for_inflight(&srv, cfg->shutdown_grace);
	if (atomic_load(&srv.inflight))
		log_msg(LOG_WARN, "shutdown grace over; dropping %u request(s)",
			atomic_load(&srv.inflight));
	MHD_stop_daemon(srv.daemon);
	if (lsock != MHD_INVALID_SOCKET)
		close(lsock);
	log_msg(LOG_INFO, "stopped");
	return 0;
}
