/* static.h: serving files under /static/ from the static folder. */
#ifndef CXM_STATIC_H
#define CXM_STATIC_H

#include <stdbool.h>

#include "http/req.h"
#include "http/resp.h"

/* GET /static/{path...} : sends the file by descriptor with a content
 * type by extension, Cache-Control, ETag and Last-Modified; 304 when the
 * client's If-None-Match matches; 404 for anything missing, hidden (a
 * segment starting with "."), not a regular file, or outside the folder. */
int static_serve(struct req *r, struct resp *w);

/* True when rel is a safe relative path: non-empty segments, none
 * starting with ".", no backslash, no control characters. */
bool static_path_ok(const char *rel);

/* The Content-Type for a file name, by extension. */
const char *static_content_type(const char *name);

#endif
