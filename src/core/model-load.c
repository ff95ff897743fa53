/* model-load.c: the YAML model loader and validator (libfyaml document API);
 * every rule of docs/model-format.md, every problem reported with its place. */
#include "model-load.h"

#include "util/utf8.h"

#include <libfyaml.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PATH_MAX_LEN = 160, MAP_KEYS_MAX = 64, FREE_KEYS_MAX = 256,
       TRANSLATION_NODES_MAX = 200000 };

/* The loader's state while it walks one document. */
struct ld {
	struct arena *a;
	struct errinfo *ei;
	size_t nproblems;
	bool nomem;
	int nlevels;                     /* levels accepted, for range checks */
	struct model_level *levels;
	struct model_scale *scales;
	size_t nscales;
	const char **ind_keys;           /* every indicator key so far */
	size_t nind_keys;
	size_t translation_nodes;
};

/* A value in a mapping or sequence: the key that names it (or, for a list
 * item, the key of the list) and the value itself (NULL when empty). */
struct fld {
	struct fy_node *key, *val;
};

/* --- places and problems ------------------------------------------------ */

/* The 1-based line and column where n starts: a scalar's own token, else
 * the first scalar inside it; 0, 0 when n holds none. */
static bool mark_of(struct fy_node *n, int *line, int *col)
{
	struct fy_node_pair *p;
	struct fy_token *t;
	const struct fy_mark *m;
	int depth;

	for (depth = 0; n && depth < 100; depth++) {
		switch (fy_node_get_type(n)) {
		case FYNT_SCALAR:
			t = fy_node_get_scalar_token(n);
			m = t ? fy_token_start_mark(t) : NULL;
			if (!m)
				return false;
			*line = m->line + 1;
			*col = m->column + 1;
			return true;
		case FYNT_SEQUENCE:
			n = fy_node_sequence_get_by_index(n, 0);
			break;
		case FYNT_MAPPING:
			p = fy_node_mapping_get_by_index(n, 0);
			n = p ? fy_node_pair_key(p) : NULL;
			break;
		default:
			return false;
		}
	}
	return false;
}

/* Records one problem about f (its value, else its key) at path. */
static void problem(struct ld *l, struct fld f, const char *path,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void problem(struct ld *l, struct fld f, const char *path,
		    const char *fmt, ...)
{
	char msg[ERRINFO_DETAIL_MESSAGE_MAX];
	int line = 0, col = 0;
	va_list ap;

	if (!mark_of(f.val, &line, &col) && !mark_of(f.key, &line, &col))
		line = col = 0;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	l->nproblems++;
	errinfo_add(l->ei, path, line, col, "%s", msg);
}

/* parent + "." + key (or key alone at the top) into out. */
static void path_key(char *out, const char *parent, const char *key)
{
	int n = snprintf(out, PATH_MAX_LEN, "%s%s%s", parent,
			 *parent ? "." : "", key);
	if (n < 0)
		out[0] = '\0';
}

/* parent + "[i]" into out. */
static void path_index(char *out, const char *parent, size_t i)
{
	int n = snprintf(out, PATH_MAX_LEN, "%s[%zu]", parent, i);
	if (n < 0)
		out[0] = '\0';
}

/* --- scalars ---------------------------------------------------------------- */

static bool is_alias(struct fy_node *n)
{
	return n && fy_node_get_style(n) == FYNS_ALIAS;
}

static bool is_scalar(struct fy_node *n)
{
	return n && !is_alias(n) && fy_node_get_type(n) == FYNT_SCALAR;
}

static bool is_quoted(struct fy_node *n)
{
	enum fy_node_style s = fy_node_get_style(n);
	return s == FYNS_SINGLE_QUOTED || s == FYNS_DOUBLE_QUOTED ||
	       s == FYNS_LITERAL || s == FYNS_FOLDED;
}

/* True when n is empty or a plain null (~, null). */
static bool is_null(struct fy_node *n)
{
	const char *s;
	size_t len;

	if (!n)
		return true;
	if (!is_scalar(n) || is_quoted(n))
		return false;
	s = fy_node_get_scalar(n, &len);
	return !s || len == 0 || (len == 1 && s[0] == '~') ||
	       (len == 4 && (memcmp(s, "null", 4) == 0 ||
			     memcmp(s, "Null", 4) == 0 ||
			     memcmp(s, "NULL", 4) == 0));
}

/* Reports an alias or a wrong type for f; what is "a string", "a list"... */
static void wrong_type(struct ld *l, struct fld f, const char *path,
		       const char *what)
{
	if (is_alias(f.val))
		problem(l, f, path, "aliases (*name) are not allowed");
	else
		problem(l, f, path, "must be %s", what);
}

/* The text of f as an arena string.  required: missing, null or blank
 * text is a problem.  Returns NULL (after reporting when it is a problem)
 * when there is no usable text. */
static const char *text_of(struct ld *l, struct fld f, const char *path,
			   bool required)
{
	const char *s;
	size_t len, i;
	char *copy;

	if (!f.key) {
		if (required)
			problem(l, f, path, "is required");
		return NULL;
	}
	if (is_null(f.val)) {
		if (required)
			problem(l, f, path, "must not be empty");
		return NULL;
	}
	if (!is_scalar(f.val)) {
		wrong_type(l, f, path, "a string");
		return NULL;
	}
	s = fy_node_get_scalar(f.val, &len);
	if (!s)
		s = "";
	if (len > MODEL_STRING_MAX) {
		problem(l, f, path, "is too long (at most %d bytes)",
			(int)MODEL_STRING_MAX);
		return NULL;
	}
	if (!utf8_valid_text(s, len)) {
		problem(l, f, path,
			"must be UTF-8 text without control characters");
		return NULL;
	}
	for (i = 0; i < len && strchr(" \t\r\n", s[i]); i++)
		;
	if (i == len) {
		if (required)
			problem(l, f, path, "must not be empty");
		return NULL;
	}
	copy = arena_strndup(l->a, s, len);
	if (!copy)
		l->nomem = true;
	return copy;
}

/* The raw scalar of a number into buf (cap bytes): false after reporting
 * when f is not an unquoted scalar that fits. */
static bool number_text(struct ld *l, struct fld f, const char *path,
			const char *what, char *buf, size_t cap)
{
	const char *s;
	size_t len;

	if (!f.key) {
		problem(l, f, path, "is required");
		return false;
	}
	if (is_null(f.val) || !is_scalar(f.val)) {
		wrong_type(l, f, path, what);
		return false;
	}
	s = fy_node_get_scalar(f.val, &len);
	if (is_quoted(f.val)) {
		problem(l, f, path, "must be %s, not a quoted string", what);
		return false;
	}
	if (!s || len == 0 || len >= cap) {
		problem(l, f, path, "must be %s", what);
		return false;
	}
	memcpy(buf, s, len);
	buf[len] = '\0';
	return true;
}

/* A whole number from f into *out; false after reporting. */
static bool int_of(struct ld *l, struct fld f, const char *path, long *out)
{
	char buf[32], *end;

	if (!number_text(l, f, path, "a whole number", buf, sizeof buf))
		return false;
	if (strspn(buf, "+-0123456789") != strlen(buf)) {
		problem(l, f, path, "must be a whole number (found '%s')", buf);
		return false;
	}
	*out = strtol(buf, &end, 10);
	if (*end || *out > 1000000 || *out < -1000000) {
		problem(l, f, path, "must be a whole number (found '%s')", buf);
		return false;
	}
	return true;
}

/* A finite decimal number from f into *out; false after reporting. */
static bool num_of(struct ld *l, struct fld f, const char *path, double *out)
{
	char buf[48], *end;

	if (!number_text(l, f, path, "a number", buf, sizeof buf))
		return false;
	if (strspn(buf, "+-.0123456789eE") != strlen(buf)) {
		problem(l, f, path, "must be a number (found '%s')", buf);
		return false;
	}
	*out = strtod(buf, &end);
	if (*end || !isfinite(*out)) {
		problem(l, f, path, "must be a number (found '%s')", buf);
		return false;
	}
	return true;
}

/* True when s is 1..MODEL_KEY_MAX of [a-z0-9] then [a-z0-9_-] (no '_'
 * when strict). */
static bool key_ok(const char *s, bool strict)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > MODEL_KEY_MAX || s[0] == '-' || s[0] == '_')
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || (c == '_' && !strict)))
			return false;
	}
	return true;
}

/* A key-like text (required) from f; NULL after reporting. */
static const char *key_of(struct ld *l, struct fld f, const char *path,
			  bool strict)
{
	const char *s = text_of(l, f, path, true);

	if (s && !key_ok(s, strict)) {
		problem(l, f, path,
			strict ? "must be lowercase letters, digits and '-' (found '%.40s')"
			       : "must be lowercase letters, digits, '-' and '_' (found '%.40s')",
			s);
		return NULL;
	}
	return s;
}

/* True when s is MAJOR.MINOR.PATCH, numbers without leading zeros. */
static bool semver_ok(const char *s)
{
	int part;
	size_t n;

	for (part = 0; part < 3; part++) {
		n = strspn(s, "0123456789");
		if (n == 0 || n > 9 || (n > 1 && s[0] == '0'))
			return false;
		s += n;
		if (part < 2) {
			if (*s != '.')
				return false;
			s++;
		}
	}
	return *s == '\0';
}

/* --- mappings and lists ----------------------------------------------------- */

/* True when key node k is the text name. */
static bool key_is(struct fy_node *k, const char *name)
{
	const char *s;
	size_t len;

	if (!is_scalar(k))
		return false;
	s = fy_node_get_scalar(k, &len);
	return s && len == strlen(name) && memcmp(s, name, len) == 0;
}

/* The first pair of map named key (fld.key NULL when absent). */
static struct fld get(struct fy_node *map, const char *key)
{
	struct fld f = { NULL, NULL };
	struct fy_node_pair *p;
	void *it = NULL;

	while ((p = fy_node_mapping_iterate(map, &it)))
		if (key_is(fy_node_pair_key(p), key)) {
			f.key = fy_node_pair_key(p);
			f.val = fy_node_pair_value(p);
			break;
		}
	return f;
}

/* Checks that f is a mapping of at most max text keys, none repeated and
 * each one of allowed (NULL: any).  False (after reporting) when f is not
 * a usable mapping; key problems are reported but do not make it false. */
static bool map_check(struct ld *l, struct fld f, const char *path,
		      const char *const *allowed, int max)
{
	struct fy_node_pair *p, *q;
	struct fy_node *k;
	char sub[PATH_MAX_LEN];
	const char *s;
	size_t len;
	int n, i, j;

	if (!f.val || is_alias(f.val) || fy_node_get_type(f.val) != FYNT_MAPPING) {
		wrong_type(l, f, path, "a mapping (key: value lines)");
		return false;
	}
	n = fy_node_mapping_item_count(f.val);
	if (n > max) {
		problem(l, f, path, "has %d keys; at most %d are allowed", n, max);
		return false;
	}
	for (i = 0; i < n; i++) {
		struct fld kf;
		p = fy_node_mapping_get_by_index(f.val, i);
		k = p ? fy_node_pair_key(p) : NULL;
		kf.key = k;
		kf.val = k ? k : (p ? fy_node_pair_value(p) : NULL);
		if (!is_scalar(k) || is_null(k)) {
			problem(l, kf, path, "keys must be plain text");
			continue;
		}
		s = fy_node_get_scalar(k, &len);
		if (!utf8_valid_text(s, len)) {
			problem(l, kf, path, "keys must be UTF-8 text without control characters");
			continue;
		}
		for (j = 0; j < i; j++) {
			q = fy_node_mapping_get_by_index(f.val, j);
			if (q && is_scalar(fy_node_pair_key(q)) &&
			    fy_node_compare(fy_node_pair_key(q), k))
				break;
		}
		{
			char kbuf[64];
			snprintf(kbuf, sizeof kbuf, "%.*s", (int)(len > 60 ? 60 : len), s);
			path_key(sub, path, kbuf);
			if (j < i) {
				problem(l, kf, sub, "duplicate key '%s'", kbuf);
				continue;
			}
			if (allowed) {
				const char *const *a;
				for (a = allowed; *a; a++)
					if (key_is(k, *a))
						break;
				if (!*a)
					problem(l, kf, sub, "unknown key '%s'", kbuf);
			}
		}
	}
	return true;
}

/* Checks that f is a list of min..max items: its length, or -1 after
 * reporting. */
static int list_check(struct ld *l, struct fld f, const char *path,
		      int min, int max, const char *items)
{
	int n;

	if (!f.key) {
		problem(l, f, path, "is required");
		return -1;
	}
	if (!f.val || is_alias(f.val) || fy_node_get_type(f.val) != FYNT_SEQUENCE) {
		wrong_type(l, f, path, "a list");
		return -1;
	}
	n = fy_node_sequence_item_count(f.val);
	if (n < min) {
		problem(l, f, path, "must list at least %d %s", min, items);
		return -1;
	}
	if (n > max) {
		problem(l, f, path, "has %d %s; at most %d are allowed", n,
			items, max);
		return -1;
	}
	return n;
}

/* Item i of list f, keeping the list's key as its fallback place. */
static struct fld item(struct fld f, int i)
{
	struct fld r = { f.key, fy_node_sequence_get_by_index(f.val, i) };
	return r;
}

/* Reports each of the required keys missing from mapping f. */
static void require(struct ld *l, struct fld f, const char *path,
		    const char *const *keys)
{
	for (; *keys; keys++)
		if (!get(f.val, *keys).key)
			problem(l, f, path, "missing required field '%s'", *keys);
}

static void *alloc_array(struct ld *l, size_t n, size_t size)
{
	void *p = arena_calloc(l->a, n ? n : 1, size);

	if (!p)
		l->nomem = true;
	return p;
}

/* --- levels ----------------------------------------------------------------- */

static void load_crosswalk(struct ld *l, struct fld f, const char *path,
			   int level, struct model_crosswalk *out, size_t *nout)
{
	char sub[PATH_MAX_LEN];
	struct fy_node_pair *p;
	int i, n;

	if (!map_check(l, f, path, NULL, MODEL_CROSSWALK_MAX))
		return;
	n = fy_node_mapping_item_count(f.val);
	for (i = 0; i < n; i++) {
		struct fld kf, vf;
		const char *sys, *val;
		p = fy_node_mapping_get_by_index(f.val, i);
		kf.key = kf.val = fy_node_pair_key(p);
		vf.key = kf.key;
		vf.val = fy_node_pair_value(p);
		if (!is_scalar(kf.key) || is_null(kf.key))
			continue;           /* reported by map_check */
		sys = text_of(l, kf, path, true);
		if (!sys)
			continue;
		path_key(sub, path, sys);
		val = text_of(l, vf, sub, true);
		if (val && out) {
			out[*nout].level = level;
			out[*nout].system = sys;
			out[*nout].value = val;
			(*nout)++;
		}
	}
}

static void load_levels(struct ld *l, struct fld f, struct model *m)
{
	static const char *const keys[] = { "n", "key", "name", "summary",
					    "crosswalk", NULL };
	static const char *const req[] = { "n", "key", "name", "summary", NULL };
	struct model_crosswalk *cw;
	size_t ncw = 0;
	int n, i, j, use;

	if (!f.key) {
		problem(l, f, "levels", "is required");
		return;
	}
	if (!f.val || is_alias(f.val) || fy_node_get_type(f.val) != FYNT_SEQUENCE) {
		wrong_type(l, f, "levels", "a list");
		return;
	}
	n = fy_node_sequence_item_count(f.val);
	if (n < 2) {
		problem(l, f, "levels", "must list at least 2 levels");
		return;
	}
	use = n;
	if (n > MODEL_LEVELS_MAX) {
		problem(l, f, "levels", "has %d levels; at most %d are allowed",
			n, (int)MODEL_LEVELS_MAX);
		use = MODEL_LEVELS_MAX;
	}
	l->levels = alloc_array(l, (size_t)use, sizeof *l->levels);
	cw = alloc_array(l, (size_t)use * MODEL_CROSSWALK_MAX, sizeof *cw);
	if (!l->levels || !cw)
		return;
	l->nlevels = use;
	for (i = 0; i < use; i++) {
		struct fld it = item(f, i), c;
		char path[PATH_MAX_LEN], sub[PATH_MAX_LEN];
		struct model_level *lv = &l->levels[i];
		long num;

		path_index(path, "levels", (size_t)i);
		lv->n = i + 1;
		if (!map_check(l, it, path, keys, MAP_KEYS_MAX))
			continue;
		require(l, it, path, req);
		c = get(it.val, "n");
		path_key(sub, path, "n");
		if (c.key && int_of(l, c, sub, &num) && num != i + 1)
			problem(l, c, sub,
				"level numbers must be 1..N in order: expected %d, found %ld",
				i + 1, num);
		c = get(it.val, "key");
		path_key(sub, path, "key");
		if (c.key && (lv->key = key_of(l, c, sub, false))) {
			for (j = 0; j < i; j++)
				if (l->levels[j].key &&
				    strcmp(l->levels[j].key, lv->key) == 0)
					break;
			if (j < i)
				problem(l, c, sub,
					"duplicate level key '%s' (also levels[%d])",
					lv->key, j);
		}
		path_key(sub, path, "name");
		c = get(it.val, "name");
		if (c.key)
			lv->name = text_of(l, c, sub, true);
		path_key(sub, path, "summary");
		c = get(it.val, "summary");
		if (c.key)
			lv->summary = text_of(l, c, sub, true);
		c = get(it.val, "crosswalk");
		path_key(sub, path, "crosswalk");
		if (c.key)
			load_crosswalk(l, c, sub, i + 1, cw, &ncw);
	}
	m->levels = l->levels;
	m->nlevels = l->nlevels;
	m->crosswalk = cw;
	m->ncrosswalk = ncw;
}

/* --- scales ------------------------------------------------------------------ */

/* Loads one scale's options list f into s. */
static void load_options(struct ld *l, struct fld f, const char *path,
			 struct model_scale *s)
{
	static const char *const keys[] = { "value", "label", "weight", NULL };
	struct model_option *opts;
	int n, i, j;

	if (!f.key) {
		problem(l, f, path, "is required");
		return;
	}
	if (!f.val || is_alias(f.val) || fy_node_get_type(f.val) != FYNT_SEQUENCE) {
		wrong_type(l, f, path, "a list of options");
		return;
	}
	n = fy_node_sequence_item_count(f.val);
	if (n == 0) {
		problem(l, f, path, "the scale has no options");
		return;
	}
	if (n > MODEL_OPTIONS_MAX) {
		problem(l, f, path, "has %d options; at most %d are allowed",
			n, (int)MODEL_OPTIONS_MAX);
		return;
	}
	opts = alloc_array(l, (size_t)n, sizeof *opts);
	if (!opts)
		return;
	for (i = 0; i < n; i++) {
		struct fld it = item(f, i), c;
		char p[PATH_MAX_LEN], sub[PATH_MAX_LEN];
		struct model_option *o = &opts[i];

		path_index(p, path, (size_t)i);
		if (!map_check(l, it, p, keys, MAP_KEYS_MAX))
			continue;
		require(l, it, p, keys);
		c = get(it.val, "value");
		path_key(sub, p, "value");
		if (c.key && (o->value = key_of(l, c, sub, false))) {
			if (strcmp(o->value, "dont_know") == 0 ||
			    strcmp(o->value, "dont-know") == 0)
				problem(l, c, sub,
					"'%s' is reserved: \"Don't know\" is always offered",
					o->value);
			for (j = 0; j < i; j++)
				if (opts[j].value && strcmp(opts[j].value, o->value) == 0)
					break;
			if (j < i)
				problem(l, c, sub,
					"option values must be unique in a scale: '%s' is also %s[%d]",
					o->value, path, j);
		}
		c = get(it.val, "label");
		path_key(sub, p, "label");
		if (c.key)
			o->label = text_of(l, c, sub, true);
		c = get(it.val, "weight");
		path_key(sub, p, "weight");
		if (c.key && num_of(l, c, sub, &o->weight) &&
		    (o->weight < 0 || o->weight > 1)) {
			problem(l, c, sub, "weight must be between 0 and 1 (found %g)",
				o->weight);
			o->weight = 0;
		}
	}
	s->options = opts;
	s->noptions = (size_t)n;
}

/* Records scale key k (text in kf) as scales[idx], checking uniqueness. */
static void scale_key(struct ld *l, struct fld kf, const char *path, size_t idx)
{
	struct model_scale *s = &l->scales[idx];
	size_t j;

	s->key = key_of(l, kf, path, false);
	if (!s->key)
		return;
	for (j = 0; j < idx; j++)
		if (l->scales[j].key && strcmp(l->scales[j].key, s->key) == 0) {
			problem(l, kf, path, "duplicate scale key '%s'", s->key);
			return;
		}
}

static void load_scales(struct ld *l, struct fld f, struct model *m)
{
	static const char *const keys[] = { "key", "options", NULL };
	char path[PATH_MAX_LEN], sub[PATH_MAX_LEN];
	int n, i;

	if (!f.key) {
		problem(l, f, "scales", "is required");
		return;
	}
	if (f.val && !is_alias(f.val) && fy_node_get_type(f.val) == FYNT_MAPPING) {
		/* scales: { yes-no: [options...], ... } */
		if (!map_check(l, f, "scales", NULL, MODEL_SCALES_MAX))
			return;
		n = fy_node_mapping_item_count(f.val);
		if (n == 0) {
			problem(l, f, "scales", "must define at least 1 scale");
			return;
		}
		l->scales = alloc_array(l, (size_t)n, sizeof *l->scales);
		if (!l->scales)
			return;
		for (i = 0; i < n; i++) {
			struct fy_node_pair *p = fy_node_mapping_get_by_index(f.val, i);
			struct fld kf = { fy_node_pair_key(p), fy_node_pair_key(p) };
			struct fld vf = { fy_node_pair_key(p), fy_node_pair_value(p) };
			if (!is_scalar(kf.key) || is_null(kf.key))
				continue;
			scale_key(l, kf, "scales", (size_t)i);
			if (!l->scales[i].key)
				continue;
			path_key(path, "scales", l->scales[i].key);
			load_options(l, vf, path, &l->scales[i]);
		}
	} else {
		/* scales: [ { key, options }, ... ] */
		n = list_check(l, f, "scales", 1, MODEL_SCALES_MAX, "scales");
		if (n < 0)
			return;
		l->scales = alloc_array(l, (size_t)n, sizeof *l->scales);
		if (!l->scales)
			return;
		for (i = 0; i < n; i++) {
			struct fld it = item(f, i), c;
			path_index(path, "scales", (size_t)i);
			if (!map_check(l, it, path, keys, MAP_KEYS_MAX))
				continue;
			require(l, it, path, keys);
			c = get(it.val, "key");
			path_key(sub, path, "key");
			if (c.key)
				scale_key(l, c, sub, (size_t)i);
			c = get(it.val, "options");
			path_key(sub, path, "options");
			if (c.key)
				load_options(l, c, sub, &l->scales[i]);
		}
	}
	l->nscales = (size_t)n;
	m->scales = l->scales;
	m->nscales = l->nscales;
}

/* --- functions ----------------------------------------------------------------- */

static void load_descriptions(struct ld *l, struct fld f, const char *path,
			      struct model_function *fn)
{
	const char **d;
	char sub[PATH_MAX_LEN];
	int n, i, j;

	if (!l->nlevels)
		return;         /* the levels are broken: nothing to compare */
	d = alloc_array(l, (size_t)l->nlevels, sizeof *d);
	if (!d)
		return;
	if (f.val && !is_alias(f.val) && fy_node_get_type(f.val) == FYNT_MAPPING) {
		if (!map_check(l, f, path, NULL, FREE_KEYS_MAX))
			return;
		n = fy_node_mapping_item_count(f.val);
		if (n != l->nlevels)
			problem(l, f, path,
				"level_descriptions has %d entries; the model has %d levels",
				n, l->nlevels);
		for (i = 0; i < n; i++) {
			struct fy_node_pair *p = fy_node_mapping_get_by_index(f.val, i);
			struct fld kf = { fy_node_pair_key(p), fy_node_pair_key(p) };
			struct fld vf = { fy_node_pair_key(p), fy_node_pair_value(p) };
			const char *k;
			if (!is_scalar(kf.key) || is_null(kf.key))
				continue;
			k = text_of(l, kf, path, true);
			if (!k)
				continue;
			path_key(sub, path, k);
			for (j = 0; j < l->nlevels; j++)
				if (l->levels[j].key && strcmp(l->levels[j].key, k) == 0)
					break;
			if (j == l->nlevels) {
				problem(l, kf, sub, "'%.40s' is not a level key", k);
				continue;
			}
			d[j] = text_of(l, vf, sub, true);
		}
		for (j = 0; j < l->nlevels && n == l->nlevels; j++)
			if (!d[j] && l->levels[j].key && !get(f.val, l->levels[j].key).key)
				problem(l, f, path, "missing the description of level '%s'",
					l->levels[j].key);
	} else {
		n = list_check(l, f, path, 0, FREE_KEYS_MAX, "descriptions");
		if (n < 0)
			return;
		if (n != l->nlevels) {
			problem(l, f, path,
				"level_descriptions has %d entries; the model has %d levels",
				n, l->nlevels);
			return;
		}
		for (i = 0; i < n; i++) {
			path_index(sub, path, (size_t)i);
			d[i] = text_of(l, item(f, i), sub, true);
		}
	}
	fn->level_descriptions = d;
}

static void load_indicator(struct ld *l, struct fld it, const char *path,
			   struct model_indicator *ind)
{
	static const char *const keys[] = { "key", "level", "text", "help",
					    "scale", "evidence_hint", NULL };
	static const char *const req[] = { "key", "level", "text", "scale", NULL };
	char sub[PATH_MAX_LEN];
	struct fld c;
	const char *sk;
	long lv;
	size_t j;

	if (!map_check(l, it, path, keys, MAP_KEYS_MAX))
		return;
	require(l, it, path, req);
	c = get(it.val, "key");
	path_key(sub, path, "key");
	if (c.key && (ind->key = key_of(l, c, sub, false))) {
		for (j = 0; j < l->nind_keys; j++)
			if (strcmp(l->ind_keys[j], ind->key) == 0)
				break;
		if (j < l->nind_keys)
			problem(l, c, sub,
				"indicator key '%s' is not unique in the model",
				ind->key);
		else
			l->ind_keys[l->nind_keys++] = ind->key;
	}
	c = get(it.val, "level");
	path_key(sub, path, "level");
	if (c.key && int_of(l, c, sub, &lv)) {
		if (l->nlevels && (lv < 2 || lv > l->nlevels))
			problem(l, c, sub,
				"level must be between 2 and %d (found %ld)",
				l->nlevels, lv);
		else
			ind->level = (int)lv;
	}
	c = get(it.val, "text");
	path_key(sub, path, "text");
	if (c.key)
		ind->text = text_of(l, c, sub, true);
	c = get(it.val, "help");
	path_key(sub, path, "help");
	ind->help = text_of(l, c, sub, false);
	c = get(it.val, "evidence_hint");
	path_key(sub, path, "evidence_hint");
	ind->evidence_hint = text_of(l, c, sub, false);
	c = get(it.val, "scale");
	path_key(sub, path, "scale");
	if (c.key && (sk = text_of(l, c, sub, true))) {
		for (j = 0; j < l->nscales; j++)
			if (l->scales[j].key && strcmp(l->scales[j].key, sk) == 0)
				break;
		if (j < l->nscales)
			ind->scale = &l->scales[j];
		else if (l->scales)
			problem(l, c, sub, "unknown scale '%.40s'", sk);
	}
}

static void load_tactic(struct ld *l, struct fld it, const char *path,
			struct model_tactic *t)
{
	static const char *const keys[] = { "from_level", "to_level", "phase",
					    "text", "resources", NULL };
	static const char *const req[] = { "from_level", "to_level", "phase",
					   "text", NULL };
	char sub[PATH_MAX_LEN], p2[PATH_MAX_LEN];
	struct fld c, cf;
	const char *ph, **res;
	long from = 0, to = 0;
	bool okf = false, okt = false;
	int n, i;

	if (!map_check(l, it, path, keys, MAP_KEYS_MAX))
		return;
	require(l, it, path, req);
	cf = get(it.val, "from_level");
	path_key(sub, path, "from_level");
	if (cf.key && int_of(l, cf, sub, &from)) {
		okf = true;
		if (l->nlevels && (from < 1 || from >= l->nlevels)) {
			problem(l, cf, sub,
				"from_level must be between 1 and %d (found %ld)",
				l->nlevels - 1, from);
			okf = false;
		}
	}
	c = get(it.val, "to_level");
	path_key(sub, path, "to_level");
	if (c.key && int_of(l, c, sub, &to)) {
		okt = true;
		if (l->nlevels && (to < 2 || to > l->nlevels)) {
			problem(l, c, sub,
				"to_level must be between 2 and %d (found %ld)",
				l->nlevels, to);
			okt = false;
		}
	}
	if (okf && okt && to != from + 1)
		problem(l, c, sub,
			"to_level must be from_level + 1: a tactic moves up one level (found %ld to %ld)",
			from, to);
	t->from_level = (int)from;
	t->to_level = (int)to;
	c = get(it.val, "phase");
	path_key(sub, path, "phase");
	if (c.key && (ph = text_of(l, c, sub, true))) {
		if (strcmp(ph, "ready") == 0)
			t->phase = MODEL_READY;
		else if (strcmp(ph, "set") == 0)
			t->phase = MODEL_SET;
		else if (strcmp(ph, "grow") == 0)
			t->phase = MODEL_GROW;
		else
			problem(l, c, sub,
				"unknown phase '%.40s' (expected ready, set or grow)", ph);
	}
	c = get(it.val, "text");
	path_key(sub, path, "text");
	if (c.key)
		t->text = text_of(l, c, sub, true);
	c = get(it.val, "resources");
	path_key(sub, path, "resources");
	if (!c.key)
		return;
	n = list_check(l, c, sub, 0, MODEL_RESOURCES_MAX, "resources");
	if (n < 0)
		return;
	res = alloc_array(l, (size_t)n, sizeof *res);
	if (!res)
		return;
	for (i = 0; i < n; i++) {
		path_index(p2, sub, (size_t)i);
		res[i] = key_of(l, item(c, i), p2, false);
	}
	t->resources = res;
	t->nresources = (size_t)n;
}

static void load_function(struct ld *l, struct fld it, const char *path,
			  struct model_function *fn)
{
	static const char *const keys[] = { "key", "name", "summary",
					    "level_descriptions", "default_target",
					    "indicators", "tactics", NULL };
	static const char *const req[] = { "key", "name", "summary",
					   "level_descriptions", "indicators", NULL };
	char sub[PATH_MAX_LEN], p2[PATH_MAX_LEN];
	struct model_indicator *inds;
	struct model_tactic *tacs;
	struct fld c;
	long target;
	int n, i;

	if (!map_check(l, it, path, keys, MAP_KEYS_MAX))
		return;
	require(l, it, path, req);
	c = get(it.val, "key");
	path_key(sub, path, "key");
	if (c.key)
		fn->key = key_of(l, c, sub, false);
	c = get(it.val, "name");
	path_key(sub, path, "name");
	if (c.key)
		fn->name = text_of(l, c, sub, true);
	c = get(it.val, "summary");
	path_key(sub, path, "summary");
	if (c.key)
		fn->summary = text_of(l, c, sub, true);
	c = get(it.val, "level_descriptions");
	path_key(sub, path, "level_descriptions");
	if (c.key)
		load_descriptions(l, c, sub, fn);
	c = get(it.val, "default_target");
	path_key(sub, path, "default_target");
	if (c.key && int_of(l, c, sub, &target)) {
		if (l->nlevels && (target < 1 || target > l->nlevels))
			problem(l, c, sub,
				"default_target must be between 1 and %d (found %ld)",
				l->nlevels, target);
		else
			fn->default_target = (int)target;
	}
	c = get(it.val, "indicators");
	path_key(sub, path, "indicators");
	if (c.key && (n = list_check(l, c, sub, 0, MODEL_INDICATORS_MAX,
				      "indicators")) >= 0 &&
	    (inds = alloc_array(l, (size_t)n, sizeof *inds))) {
		for (i = 0; i < n; i++) {
			path_index(p2, sub, (size_t)i);
			load_indicator(l, item(c, i), p2, &inds[i]);
		}
		fn->indicators = inds;
		fn->nindicators = (size_t)n;
	}
	c = get(it.val, "tactics");
	path_key(sub, path, "tactics");
	if (c.key && (n = list_check(l, c, sub, 0, MODEL_TACTICS_MAX,
				      "tactics")) >= 0 &&
	    (tacs = alloc_array(l, (size_t)n, sizeof *tacs))) {
		for (i = 0; i < n; i++) {
			path_index(p2, sub, (size_t)i);
			load_tactic(l, item(c, i), p2, &tacs[i]);
		}
		fn->tactics = tacs;
		fn->ntactics = (size_t)n;
	}
}

static void load_functions(struct ld *l, struct fld f, struct model *m)
{
	struct model_function *fns;
	char path[PATH_MAX_LEN], sub[PATH_MAX_LEN];
	int n, i, j;

	n = list_check(l, f, "functions", 1, MODEL_FUNCTIONS_MAX, "functions");
	if (n < 0)
		return;
	fns = alloc_array(l, (size_t)n, sizeof *fns);
	l->ind_keys = alloc_array(l, (size_t)n * MODEL_INDICATORS_MAX,
				  sizeof *l->ind_keys);
	if (!fns || !l->ind_keys)
		return;
	for (i = 0; i < n; i++) {
		struct fld it = item(f, i);
		path_index(path, "functions", (size_t)i);
		load_function(l, it, path, &fns[i]);
		if (!fns[i].key)
			continue;
		for (j = 0; j < i; j++)
			if (fns[j].key && strcmp(fns[j].key, fns[i].key) == 0)
				break;
		if (j < i) {
			path_key(sub, path, "key");
			problem(l, get(it.val, "key"), sub,
				"duplicate function key '%s' (also functions[%d])",
				fns[i].key, j);
		}
	}
	m->functions = fns;
	m->nfunctions = (size_t)n;
}

/* --- scoring and translations ------------------------------------------------ */

static void load_scoring(struct ld *l, struct fld f, struct model *m)
{
	static const char *const keys[] = { "method", "threshold", "overall", NULL };
	struct fld c;
	const char *s;
	double t;

	m->method = MODEL_GATED;
	m->threshold = 0.75;
	m->overall = MODEL_OVERALL_MIN;
	if (!f.key)
		return;
	if (!map_check(l, f, "scoring", keys, MAP_KEYS_MAX))
		return;
	c = get(f.val, "method");
	if (c.key && (s = text_of(l, c, "scoring.method", true))) {
		if (strcmp(s, "gated") == 0)
			m->method = MODEL_GATED;
		else if (strcmp(s, "average") == 0)
			m->method = MODEL_AVERAGE;
		else
			problem(l, c, "scoring.method",
				"unknown method '%.40s' (expected gated or average)", s);
	}
	c = get(f.val, "threshold");
	if (c.key && num_of(l, c, "scoring.threshold", &t)) {
		if (t < 0 || t > 1)
			problem(l, c, "scoring.threshold",
				"threshold must be between 0 and 1 (found %g)", t);
		else
			m->threshold = t;
	}
	c = get(f.val, "overall");
	if (c.key && (s = text_of(l, c, "scoring.overall", true))) {
		if (strcmp(s, "min") == 0)
			m->overall = MODEL_OVERALL_MIN;
		else if (strcmp(s, "mean") == 0)
			m->overall = MODEL_OVERALL_MEAN;
		else if (strcmp(s, "median") == 0)
			m->overall = MODEL_OVERALL_MEDIAN;
		else
			problem(l, c, "scoring.overall",
				"unknown overall '%.40s' (expected min, mean or median)", s);
	}
}

/* True when s is a language code: xx or xxx, optionally -REGION. */
static bool lang_ok(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz"), r;

	if (n < 2 || n > 3)
		return false;
	if (!s[n])
		return true;
	if (s[n] != '-')
		return false;
	r = strspn(s + n + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
	return r >= 2 && r <= 8 && !s[n + 1 + r];
}

/* Checks the texts under a translation: mappings and lists of UTF-8
 * text, no aliases (depth is bounded by libfyaml's own limit). */
static void check_texts(struct ld *l, struct fld f, const char *path, int depth)
{
	char sub[PATH_MAX_LEN];
	int n, i;

	if (++l->translation_nodes > TRANSLATION_NODES_MAX) {
		if (l->translation_nodes == TRANSLATION_NODES_MAX + 1)
			problem(l, f, path, "translations are too large");
		return;
	}
	if (depth > 16) {
		problem(l, f, path, "is nested too deeply");
		return;
	}
	if (!f.val || is_alias(f.val) || fy_node_get_type(f.val) == FYNT_SCALAR) {
		(void)text_of(l, f, path, false);
		return;
	}
	if (fy_node_get_type(f.val) == FYNT_SEQUENCE) {
		n = fy_node_sequence_item_count(f.val);
		if (n > FREE_KEYS_MAX) {
			problem(l, f, path, "has %d items; at most %d are allowed",
				n, (int)FREE_KEYS_MAX);
			return;
		}
		for (i = 0; i < n; i++) {
			path_index(sub, path, (size_t)i);
			check_texts(l, item(f, i), sub, depth + 1);
		}
		return;
	}
	if (!map_check(l, f, path, NULL, FREE_KEYS_MAX))
		return;
	n = fy_node_mapping_item_count(f.val);
	for (i = 0; i < n; i++) {
		struct fy_node_pair *p = fy_node_mapping_get_by_index(f.val, i);
		struct fld vf = { fy_node_pair_key(p), fy_node_pair_value(p) };
		const char *k;
		size_t len;
		if (!is_scalar(vf.key) || is_null(vf.key))
			continue;
		k = fy_node_get_scalar(vf.key, &len);
		{
			char kbuf[64];
			snprintf(kbuf, sizeof kbuf, "%.*s", (int)(len > 60 ? 60 : len), k);
			path_key(sub, path, kbuf);
		}
		check_texts(l, vf, sub, depth + 1);
	}
}

static void load_translations(struct ld *l, struct fld f, struct model *m)
{
	char path[PATH_MAX_LEN];
	const char **langs;
	int n, i;

	if (!f.key)
		return;
	if (!map_check(l, f, "translations", NULL, MODEL_LANGUAGES_MAX))
		return;
	n = fy_node_mapping_item_count(f.val);
	langs = alloc_array(l, (size_t)n, sizeof *langs);
	if (!langs)
		return;
	m->languages = langs;
	for (i = 0; i < n; i++) {
		struct fy_node_pair *p = fy_node_mapping_get_by_index(f.val, i);
		struct fld kf = { fy_node_pair_key(p), fy_node_pair_key(p) };
		struct fld vf = { fy_node_pair_key(p), fy_node_pair_value(p) };
		const char *lang;
		if (!is_scalar(kf.key) || is_null(kf.key))
			continue;
		lang = text_of(l, kf, "translations", true);
		if (!lang)
			continue;
		path_key(path, "translations", lang);
		if (!lang_ok(lang)) {
			problem(l, kf, path,
				"'%.40s' is not a language code (like es or pt-BR)", lang);
			continue;
		}
		if (map_check(l, vf, path, NULL, FREE_KEYS_MAX))
			check_texts(l, vf, path, 0);
		langs[m->nlanguages++] = lang;
	}
}

/* --- the document ------------------------------------------------------------ */

/* Reports the first invalid UTF-8 sequence or NUL of text, if any. */
static bool check_encoding(struct ld *l, const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, n;
	int line = 1, col = 1;
	uint32_t cp;

	while (i < len) {
		if (s[i] == 0) {
			l->nproblems++;
			errinfo_add(l->ei, "", line, col, "the file contains a NUL byte");
			return false;
		}
		n = s[i] < 0x80 ? 1 : utf8_decode(s + i, len - i, &cp);
		if (!n) {
			l->nproblems++;
			errinfo_add(l->ei, "", line, col,
				    "invalid UTF-8 (byte 0x%02X); the file must be UTF-8",
				    s[i]);
			return false;
		}
		if (s[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
		i += n;
	}
	return true;
}

static void load_root(struct ld *l, struct fy_node *root, struct model *m)
{
	static const char *const keys[] = {
		"id", "version", "title", "description", "source", "license",
		"levels", "scales", "functions", "scoring", "translations", NULL,
	};
	static const char *const req[] = { "id", "version", "title", "levels",
					   "scales", "functions", NULL };
	struct fld top = { NULL, root }, c;

	if (!root || is_null(root)) {
		problem(l, top, "", "the document is empty: a model is a mapping with id, version, title, levels, scales and functions");
		return;
	}
	if (is_alias(root) || fy_node_get_type(root) != FYNT_MAPPING) {
		problem(l, top, "", "the top level must be a mapping (id: ..., version: ..., ...)");
		return;
	}
	if (!map_check(l, top, "", keys, MAP_KEYS_MAX))
		return;
	require(l, top, "", req);
	c = get(root, "id");
	if (c.key)
		m->id = key_of(l, c, "id", true);
	c = get(root, "version");
	if (c.key && (m->version = text_of(l, c, "version", true)) &&
	    !semver_ok(m->version))
		problem(l, c, "version",
			"version must be MAJOR.MINOR.PATCH, like 1.0.0 (found '%.40s')",
			m->version);
	c = get(root, "title");
	if (c.key)
		m->title = text_of(l, c, "title", true);
	m->description = text_of(l, get(root, "description"), "description", false);
	m->source = text_of(l, get(root, "source"), "source", false);
	m->license = text_of(l, get(root, "license"), "license", false);
	c = get(root, "levels");
	if (c.key)
		load_levels(l, c, m);
	c = get(root, "scales");
	if (c.key)
		load_scales(l, c, m);
	c = get(root, "functions");
	if (c.key)
		load_functions(l, c, m);
	load_scoring(l, get(root, "scoring"), m);
	load_translations(l, get(root, "translations"), m);
}

/* Parses text into a document; NULL after reporting libfyaml's errors, or
 * with *empty set when the text holds no document. */
static struct fy_document *parse(struct ld *l, const char *text, size_t len,
				 bool *empty)
{
	struct fy_diag_cfg dc;
	struct fy_diag *diag;
	struct fy_parse_cfg pc;
	struct fy_document *doc;
	struct fy_diag_error *e;
	void *it = NULL;

	fy_diag_cfg_default(&dc);
	dc.fp = NULL;
	dc.output_fn = NULL;
	dc.colorize = false;
	dc.level = FYET_ERROR;
	diag = fy_diag_create(&dc);
	if (!diag) {
		l->nomem = true;
		return NULL;
	}
	fy_diag_set_collect_errors(diag, true);
	*empty = false;
	memset(&pc, 0, sizeof pc);
	/* Duplicates are allowed here so that the loader reports each one
	 * with its path instead of stopping at the first. */
	pc.flags = FYPCF_QUIET | FYPCF_ALLOW_DUPLICATE_KEYS |
		   FYPCF_DISABLE_RECYCLING;
	pc.diag = diag;
	doc = fy_document_build_from_string(&pc, text, len);
	if (!doc) {
		size_t before = l->nproblems;
		while ((e = fy_diag_errors_iterate(diag, &it))) {
			if (e->type < FYET_ERROR)
				continue;
			l->nproblems++;
			errinfo_add(l->ei, "", e->line + 1, e->column + 1,
				    "YAML syntax error: %s", e->msg ? e->msg : "?");
		}
		/* No error at all: the stream holds no document (only
		 * comments or nothing); load_root reports it as empty. */
		*empty = l->nproblems == before;
	}
	fy_diag_destroy(diag);
	return doc;
}

int model_load(const char *name, const char *text, size_t len,
	       struct arena *a, struct model *out, struct errinfo *ei)
{
	struct ld l;
	struct fy_document *doc;
	const char *who = name && *name ? name : "the model";
	bool empty = false;

	errinfo_clear(ei);
	memset(out, 0, sizeof *out);
	if (len > MODEL_TEXT_MAX) {
		errinfo_add(ei, "", 0, 0, "the model is larger than %d MiB",
			    (int)(MODEL_TEXT_MAX >> 20));
		return errinfo_set(ei, ERR_TOO_LARGE, "%s is larger than %d MiB",
				   who, (int)(MODEL_TEXT_MAX >> 20));
	}
	memset(&l, 0, sizeof l);
	l.a = a;
	l.ei = ei;
	out->method = MODEL_GATED;
	out->threshold = 0.75;
	out->overall = MODEL_OVERALL_MIN;
	if (!text)
		text = "";
	if (check_encoding(&l, text, len)) {
		doc = parse(&l, text, len, &empty);
		if (doc) {
			load_root(&l, fy_document_root(doc), out);
			fy_document_destroy(doc);
		} else if (empty) {
			load_root(&l, NULL, out);
		}
	}
	if (l.nomem) {
		if (!ei || ei->ndetails == 0)
			errinfo_add(ei, "", 0, 0, "out of memory");
		return errinfo_set(ei, ERR_NOMEM, "out of memory while loading %s",
				   who);
	}
	if (l.nproblems)
		return errinfo_set(ei, ERR_INVALID, "%zu problem%s", l.nproblems,
				   l.nproblems == 1 ? "" : "s");
	return 0;
}
