/* body.c: strict JSON body parsing on top of jansson. */
#include "body.h"

#include <string.h>
#include <strings.h>

bool body_is_json_type(const char *ct)
{
	size_t n;
	const char *semi;

	if (!ct)
		return false;
	semi = strchr(ct, ';');
	n = semi ? (size_t)(semi - ct) : strlen(ct);
	while (n && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
		n--;
	if (semi) {
		const char *p = semi + 1;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strcasecmp(p, "charset=utf-8") != 0 &&
		    strcasecmp(p, "charset=\"utf-8\"") != 0)
			return false;
	}
	if (n == 16 && strncasecmp(ct, "application/json", 16) == 0)
		return true;
	if (n == 22 && strncasecmp(ct, "application/csp-report", 22) == 0)
		return true;
	return n > 17 && strncasecmp(ct, "application/", 12) == 0 &&
	       strncasecmp(ct + n - 5, "+json", 5) == 0 &&
	       !memchr(ct + 12, '/', n - 12);
}

/* jansson's own limit is 2048 levels; requests never need more than a few,
 * so deep input is refused before parsing (cheap, and bounds recursion in
 * everything that walks the value later). */
static int check_depth(const char *data, size_t len, struct errinfo *ei)
{
	size_t i;
	int depth = 0, line = 1, col = 0;
	bool in_string = false, escaped = false;

	for (i = 0; i < len; i++) {
		char c = data[i];
		col++;
		if (c == '\n') {
			line++;
			col = 0;
		}
		if (in_string) {
			if (escaped)
				escaped = false;
			else if (c == '\\')
				escaped = true;
			else if (c == '"')
				in_string = false;
			continue;
		}
		if (c == '"') {
			in_string = true;
		} else if (c == '[' || c == '{') {
			if (++depth > BODY_JSON_DEPTH_MAX) {
				errinfo_add(ei, NULL, line, col,
					    "nested deeper than %d levels",
					    BODY_JSON_DEPTH_MAX);
				return errinfo_set(ei, ERR_MALFORMED,
					"JSON body nested deeper than %d levels",
					BODY_JSON_DEPTH_MAX);
			}
		} else if (c == ']' || c == '}') {
			depth--;
		}
	}
	return 0;
}

int body_parse_json(const char *data, size_t len, json_t **out,
		    struct errinfo *ei)
{
	json_error_t jerr;
	json_t *v;
	int rc;

	*out = NULL;
	if (!data || len == 0)
		return errinfo_set(ei, ERR_MALFORMED,
				   "expected a JSON body, got nothing");
	rc = check_depth(data, len, ei);
	if (rc)
		return rc;
	v = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
		       &jerr);
	if (!v) {
		errinfo_add(ei, NULL, jerr.line, jerr.column, "%s", jerr.text);
		return errinfo_set(ei, ERR_MALFORMED,
				   "malformed JSON at line %d, column %d: %s",
				   jerr.line, jerr.column, jerr.text);
	}
	*out = v;
	return 0;
}
