/* static.c: static files (USWDS and cxm's own CSS/JS) with cache headers. */
#include "static.h"

#include "util/clock.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct mime { const char *ext, *type; };

static const struct mime MIMES[] = {
	{ ".css", "text/css; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".map", "application/json" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".gif", "image/gif" },
	{ ".jpg", "image/jpeg" },
	{ ".webp", "image/webp" },
	{ ".woff2", "font/woff2" },
	{ ".woff", "font/woff" },
	{ ".ttf", "font/ttf" },
	{ ".txt", "text/plain; charset=utf-8" },
	{ ".json", "application/json" },
};

const char *static_content_type(const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < sizeof MIMES / sizeof MIMES[0]; i++) {
		size_t e = strlen(MIMES[i].ext);
		if (n > e && strcmp(name + n - e, MIMES[i].ext) == 0)
			return MIMES[i].type;
	}
	return "application/octet-stream";
}

bool static_path_ok(const char *rel)
{
	const unsigned char *p = (const unsigned char *)rel;
	bool seg_start = true;

	if (!rel || !*rel || strlen(rel) > 512)
		return false;
	for (; *p; p++) {
		if (*p < 0x20 || *p == 0x7F || *p == '\\')
			return false;
		if (seg_start && (*p == '.' || *p == '/'))
			return false;
		seg_start = *p == '/';
	}
	return !seg_start;
}

int static_serve(struct req *r, struct resp *w)
{
	const char *rel = req_param(r, "path");
	const char *inm;
	char *full, *etag, *lastmod;
	struct stat st;
	int fd;

	if (!static_path_ok(rel))
		return req_fail(r, ERR_NOTFOUND, "No such file.");
	full = arena_printf(&r->arena, "%s/%s", r->app->static_dir, rel);
	if (!full)
		return ERR_NOMEM;
	fd = open(full, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return req_fail(r, ERR_NOTFOUND, "No such file.");
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return req_fail(r, ERR_NOTFOUND, "No such file.");
	}
	etag = arena_printf(&r->arena, "\"%llx-%llx\"",
			    (unsigned long long)st.st_mtime,
			    (unsigned long long)st.st_size);
	lastmod = arena_alloc(&r->arena, 32);
	if (!etag || !lastmod) {
		close(fd);
		return ERR_NOMEM;
	}
	clock_http_date((int64_t)st.st_mtime, lastmod, 32);
	resp_header(w, "ETag", etag);
	resp_header(w, "Last-Modified", lastmod);
	resp_header(w, "Cache-Control", "public, max-age=86400");
	inm = req_header(r, "If-None-Match");
	if (inm && strcmp(inm, etag) == 0) {
		close(fd);
		w->status = 304;
		return 0;
	}
	w->content_type = static_content_type(rel);
	w->file_fd = fd;
	w->file_size = (uint64_t)st.st_size;
	w->status = 200;
	return 0;
}
