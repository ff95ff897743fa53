/* test-model-load.c: the model loader: the example model's exact structure,
 * each broken model in tests/data/models/bad with its expected problems,
 * limits, paths, and out-of-memory handling. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/model-load.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/utf8.h"

#define DATA "tests/data/models"

/* Reads a whole file into a malloc'd NUL-terminated buffer. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	*len = fread(buf, 1, (size_t)n, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static void dump(const struct errinfo *ei)
{
	size_t i;

	print_error("code %d: %s\n", (int)ei->code, ei->message);
	for (i = 0; i < ei->ndetails; i++)
		print_error("  %d:%d %s: %s\n", ei->details[i].line,
			    ei->details[i].column, ei->details[i].field,
			    ei->details[i].message);
}

/* Loads text; returns model_load's result. */
static int load(const char *text, size_t len, struct arena *a,
		struct model *m, struct errinfo *ei)
{
	return model_load("test", text, len, a, m, ei);
}

static void test_example_structure(void **state)
{
	struct arena a;
	struct model m;
	struct errinfo ei;
	const struct model_function *f;
	size_t len;
	char *text = slurp(DATA "/good/example.yaml", &len);
	int rc;

	(void)state;
	assert_non_null(text);
	arena_init(&a, 8u << 20);
	rc = load(text, len, &a, &m, &ei);
	if (rc)
		dump(&ei);
	assert_int_equal(rc, 0);
	assert_string_equal(m.id, "example");
	assert_string_equal(m.version, "1.0.0");
	assert_string_equal(m.title, "Example CX maturity model");
	assert_non_null(strstr(m.description, "three-function"));
	assert_string_equal(m.license, "CC0-1.0");
	assert_int_equal(m.nlevels, 5);
	for (int i = 0; i < m.nlevels; i++)
		assert_int_equal(m.levels[i].n, i + 1);
	assert_string_equal(m.levels[0].key, "ad-hoc");
	assert_string_equal(m.levels[4].name, "Customer-led");
	assert_int_equal(m.ncrosswalk, 8);
	assert_int_equal(m.crosswalk[1].level, 2);
	assert_string_equal(m.crosswalk[1].system, "gsa");
	assert_string_equal(m.crosswalk[1].value, "Tactical");
	assert_string_equal(m.crosswalk[2].system, "dhs");
	assert_int_equal(m.nscales, 2);
	assert_string_equal(m.scales[0].key, "yes-partly-no");
	assert_int_equal(m.scales[0].noptions, 3);
	assert_string_equal(m.scales[0].options[0].value, "no");
	assert_true(m.scales[0].options[1].weight == 0.5);
	assert_int_equal(m.scales[1].noptions, 4);
	assert_true(m.scales[1].options[1].weight == 0.4);
	assert_int_equal(m.nfunctions, 3);

	f = &m.functions[0];
	assert_string_equal(f->key, "leadership");
	assert_int_equal(f->default_target, 3);
	assert_non_null(strstr(f->level_descriptions[0], "Nobody"));
	assert_non_null(strstr(f->level_descriptions[4], "Senior leaders"));
	assert_int_equal(f->nindicators, 4);
	assert_string_equal(f->indicators[0].key, "lead-named-owner");
	assert_int_equal(f->indicators[0].level, 2);
	assert_ptr_equal(f->indicators[0].scale, &m.scales[0]);
	assert_ptr_equal(f->indicators[2].scale, &m.scales[1]);
	assert_non_null(strstr(f->indicators[0].help, "charter"));
	assert_non_null(f->indicators[0].evidence_hint);
	assert_null(f->indicators[1].help);
	assert_int_equal(f->indicators[3].level, 5);
	assert_int_equal(f->ntactics, 3);
	assert_int_equal(f->tactics[0].from_level, 1);
	assert_int_equal(f->tactics[0].to_level, 2);
	assert_int_equal(f->tactics[0].phase, MODEL_READY);
	assert_int_equal(f->tactics[2].phase, MODEL_GROW);
	assert_int_equal(f->tactics[0].nresources, 1);
	assert_string_equal(f->tactics[0].resources[0], "owner-charter-template");
	assert_int_equal(f->tactics[1].nresources, 0);

	f = &m.functions[1];
	assert_string_equal(f->key, "measurement");
	assert_int_equal(f->default_target, 0);
	assert_int_equal(f->nindicators, 3);
	assert_int_equal(f->ntactics, 2);
	assert_non_null(strstr(f->level_descriptions[1], "survey"));
	assert_int_equal(m.functions[2].nindicators, 4);
	assert_int_equal(m.functions[2].default_target, 4);

	assert_int_equal(m.method, MODEL_GATED);
	assert_true(m.threshold == 0.75);
	assert_int_equal(m.overall, MODEL_OVERALL_MIN);
	assert_int_equal(m.nlanguages, 1);
	assert_string_equal(m.languages[0], "es");
	arena_release(&a);
	free(text);
}

/* A broken model file: loads NAME.yaml and checks each "LINE: fragment"
 * of NAME.expect against the details (same line, message contains the
 * fragment). */
static void test_bad_file(void **state)
{
	const char *name = *state;
	char path[512], line[512];
	struct arena a;
	struct model m;
	struct errinfo *ei = malloc(sizeof *ei);
	size_t len, i, nexp = 0;
	char *text;
	FILE *exp;
	int rc;

	assert_non_null(ei);
	snprintf(path, sizeof path, DATA "/bad/%s.yaml", name);
	text = slurp(path, &len);
	assert_non_null(text);
	snprintf(path, sizeof path, DATA "/bad/%s.expect", name);
	exp = fopen(path, "r");
	if (!exp)
		fail_msg("%s is missing", path);
	arena_init(&a, 8u << 20);
	rc = load(text, len, &a, &m, ei);
	assert_int_equal(rc, ERR_INVALID);
	assert_true(ei->ndetails >= 1);
	assert_non_null(strstr(ei->message, "problem"));
	while (fgets(line, sizeof line, exp)) {
		char *colon, *frag;
		long want;
		bool found = false;

		line[strcspn(line, "\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		want = strtol(line, &colon, 10);
		assert_true(*colon == ':');
		frag = colon + 1 + strspn(colon + 1, " ");
		nexp++;
		for (i = 0; i < ei->ndetails; i++)
			if (ei->details[i].line == want &&
			    strstr(ei->details[i].message, frag))
				found = true;
		if (!found) {
			dump(ei);
			fail_msg("%s: no detail at line %ld containing '%s'",
				 name, want, frag);
		}
	}
	assert_true(nexp >= 1);
	for (i = 0; i < ei->ndetails; i++)
		assert_true(utf8_valid(ei->details[i].message,
				       strlen(ei->details[i].message)));
	fclose(exp);
	arena_release(&a);
	free(text);
	free(ei);
}

/* The base of the generated models below: valid until something is added. */
static const char BASE[] =
	"id: t\nversion: 1.0.0\ntitle: T\n"
	"levels:\n"
	"  - { n: 1, key: a, name: A, summary: S }\n"
	"  - { n: 2, key: b, name: B, summary: S }\n"
	"scales:\n  yn: [ { value: y, label: Y, weight: 1 } ]\n"
	"functions:\n"
	"  - key: f\n    name: F\n    summary: S\n"
	"    level_descriptions: [x, y]\n"
	"    indicators:\n";

static void test_minimal_and_defaults(void **state)
{
	struct arena a;
	struct model m;
	struct errinfo ei;
	int rc;

	(void)state;
	arena_init(&a, 1u << 20);
	rc = load(BASE, strlen(BASE) - strlen("    indicators:\n"), &a, &m, &ei);
	/* indicators is required */
	assert_int_equal(rc, ERR_INVALID);
	assert_int_equal(ei.ndetails, 1);
	assert_string_equal(ei.details[0].field, "functions[0]");
	assert_non_null(strstr(ei.details[0].message, "'indicators'"));
	assert_string_equal(ei.message, "1 problem");
	arena_release(&a);

	arena_init(&a, 1u << 20);
	{
		char buf[1024];
		snprintf(buf, sizeof buf, "%s      - { key: i, level: 2, text: T, scale: yn }\n", BASE);
		rc = load(buf, strlen(buf), &a, &m, &ei);
	}
	if (rc)
		dump(&ei);
	assert_int_equal(rc, 0);
	assert_int_equal(m.method, MODEL_GATED);
	assert_true(m.threshold == 0.75);
	assert_int_equal(m.overall, MODEL_OVERALL_MIN);
	assert_int_equal(m.functions[0].ntactics, 0);
	assert_null(m.description);
	arena_release(&a);
}

static void test_paths_and_columns(void **state)
{
	struct arena a;
	struct model m;
	struct errinfo ei;
	char buf[1024];
	int rc;

	(void)state;
	snprintf(buf, sizeof buf, "%s      - { key: i, level: 5, text: T, scale: yn }\n", BASE);
	arena_init(&a, 1u << 20);
	rc = load(buf, strlen(buf), &a, &m, &ei);
	assert_int_equal(rc, ERR_INVALID);
	assert_int_equal(ei.ndetails, 1);
	assert_string_equal(ei.details[0].field, "functions[0].indicators[0].level");
	assert_int_equal(ei.details[0].line, 15);
	assert_int_equal(ei.details[0].column, 26);
	arena_release(&a);
}

static void test_every_problem_and_dropped(void **state)
{
	struct arena a;
	struct model m;
	struct errinfo *ei = malloc(sizeof *ei);
	size_t cap = 64 * 1024, off, i;
	char *buf = malloc(cap);
	int rc;

	(void)state;
	assert_non_null(ei);
	assert_non_null(buf);
	off = (size_t)snprintf(buf, cap, "%s", BASE);
	for (i = 0; i < 200; i++)
		off += (size_t)snprintf(buf + off, cap - off,
			"      - { key: i%zu, level: 9, text: T, scale: yn }\n", i);
	arena_init(&a, 8u << 20);
	rc = load(buf, off, &a, &m, ei);
	assert_int_equal(rc, ERR_INVALID);
	assert_int_equal(ei->ndetails, ERRINFO_DETAILS_MAX);
	assert_int_equal(ei->ndetails + ei->dropped_details, 200);
	assert_string_equal(ei->message, "200 problems");
	arena_release(&a);
	free(buf);
	free(ei);
}

static void test_too_large(void **state)
{
	struct arena a;
	struct model m;
	struct errinfo ei;
	size_t len = MODEL_TEXT_MAX + 1;
	char *buf = malloc(len);

	(void)state;
	assert_non_null(buf);
	memset(buf, '#', len);
	arena_init(&a, 1u << 20);
	assert_int_equal(load(buf, len, &a, &m, &ei), ERR_TOO_LARGE);
	assert_int_equal(ei.code, ERR_TOO_LARGE);
	assert_true(ei.ndetails >= 1);
	arena_release(&a);
	free(buf);
}

static void test_out_of_memory(void **state)
{
	struct arena a;
	struct model m;
	struct errinfo ei;
	size_t len, cap;
	char *text = slurp(DATA "/good/example.yaml", &len);

	(void)state;
	assert_non_null(text);
	for (cap = 16; cap < 64 * 1024; cap *= 2) {
		arena_init(&a, cap);
		int rc = load(text, len, &a, &m, &ei);
		arena_release(&a);
		if (rc == 0)
			break;
		assert_int_equal(rc, ERR_NOMEM);
		assert_true(ei.ndetails >= 1);
	}
	free(text);
}

static void test_aliases_and_types(void **state)
{
	static const char *const cases[] = {
		"[1, 2]\n", "just text\n", "42\n", "~\n",
		"id: &a x\nversion: *a\n",
		"? [complex, key]\n: 1\n",
		"levels: { n: 1 }\n",
	};
	struct arena a;
	struct model m;
	struct errinfo ei;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		arena_init(&a, 1u << 20);
		assert_int_equal(load(cases[i], strlen(cases[i]), &a, &m, &ei),
				 ERR_INVALID);
		assert_true(ei.ndetails >= 1);
		arena_release(&a);
	}
}

static int is_yaml(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return n > 5 && strcmp(d->d_name + n - 5, ".yaml") == 0;
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_example_structure),
		cmocka_unit_test(test_minimal_and_defaults),
		cmocka_unit_test(test_paths_and_columns),
		cmocka_unit_test(test_every_problem_and_dropped),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_out_of_memory),
		cmocka_unit_test(test_aliases_and_types),
	};
	size_t nfixed = sizeof fixed / sizeof fixed[0];
	struct dirent **list;
	struct CMUnitTest *tests;
	char **names;
	int n, i, rc;

	n = scandir(DATA "/bad", &list, is_yaml, alphasort);
	if (n < 30) {
		fprintf(stderr, "test-model-load: expected at least 30 files in "
			DATA "/bad (run from the repository root), found %d\n", n);
		return 1;
	}
	tests = calloc(nfixed + (size_t)n, sizeof *tests);
	names = calloc((size_t)n, sizeof *names);
	if (!tests || !names)
		return 1;
	memcpy(tests, fixed, sizeof fixed);
	for (i = 0; i < n; i++) {
		size_t len = strlen(list[i]->d_name) - 5;
		names[i] = malloc(len + 1);
		if (!names[i])
			return 1;
		memcpy(names[i], list[i]->d_name, len);
		names[i][len] = '\0';
		tests[nfixed + (size_t)i].name = names[i];
		tests[nfixed + (size_t)i].test_func = test_bad_file;
		tests[nfixed + (size_t)i].initial_state = names[i];
		free(list[i]);
	}
	free(list);
	rc = _cmocka_run_group_tests("model-load", tests, nfixed + (size_t)n,
				     NULL, NULL);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(tests);
	return rc;
}
