/* test-scoring.c: the scoring contract (DESIGN.md "Scoring") on small
 * hand-computed models. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "core/scoring.h"
#include "util/arena.h"
#include "util/err.h"

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

/* Doubles are compared to 1e-9; the failure shows both values in full. */
#define assert_near(x, y) do {						\
	double x_ = (x), y_ = (y);					\
	if (!(fabs(x_ - y_) < 1e-9))					\
		print_error("%s:%d: %s = %.17g, expected %.17g\n",	\
			    __FILE__, __LINE__, #x, x_, y_);		\
	assert_true(fabs(x_ - y_) < 1e-9);				\
} while (0)

/* --- building blocks ------------------------------------------------------ */

#define R(w) { (w), false }
#define DK { 0.0, true }

/* An indicator's input: ratings listed inline, no consensus. */
#define RATED(...) { (const struct score_rating[]){ __VA_ARGS__ },	\
	sizeof ((const struct score_rating[]){ __VA_ARGS__ })		\
		/ sizeof (struct score_rating), false, { 0.0, false } }
/* The same with a consensus answer. */
#define AGREED(c, ...) { (const struct score_rating[]){ __VA_ARGS__ },	\
	sizeof ((const struct score_rating[]){ __VA_ARGS__ })		\
		/ sizeof (struct score_rating), true, c }
#define UNRATED { NULL, 0, false, { 0.0, false } }
#define W(w) RATED(R(w))

static const struct model_option OPTIONS[] = {
	{ "no", "No", 0.0 }, { "partly", "Partly", 0.5 }, { "yes", "Yes", 1.0 },
};
static const struct model_scale SCALE = { "yes-no", OPTIONS, COUNT(OPTIONS) };

/* Eleven levels, so a model can claim one too many. */
static const struct model_level LEVELS[MODEL_LEVELS_MAX + 1] = {
	{ 1, "l1", "L1", "" }, { 2, "l2", "L2", "" }, { 3, "l3", "L3", "" },
	{ 4, "l4", "L4", "" }, { 5, "l5", "L5", "" }, { 6, "l6", "L6", "" },
	{ 7, "l7", "L7", "" }, { 8, "l8", "L8", "" }, { 9, "l9", "L9", "" },
	{ 10, "l10", "L10", "" }, { 11, "l11", "L11", "" },
};

#define IND(lv) { "i", (lv), "text", "", "", &SCALE }
#define FUNC(inds, def) \
	{ "f", "F", "", NULL, (def), (inds), COUNT(inds), NULL, 0 }

/* One indicator at each of levels 2..5. */
static const struct model_indicator IND_2345[] = {
	IND(2), IND(3), IND(4), IND(5),
};
static const struct model_function F_2345[] = { FUNC(IND_2345, 0) };
static const struct model_function F_2345_X2[] = {
	FUNC(IND_2345, 0), FUNC(IND_2345, 0),
};
static const struct model_function F_2345_X3[] = {
	FUNC(IND_2345, 0), FUNC(IND_2345, 0), FUNC(IND_2345, 0),
};
static const struct model_function F_2345_X4[] = {
	FUNC(IND_2345, 0), FUNC(IND_2345, 0), FUNC(IND_2345, 0),
	FUNC(IND_2345, 0),
};

static struct model model_of(const struct model_function *f, size_t nf,
			     int nlevels, enum model_method method,
			     enum model_overall overall)
{
	struct model m = {
		.id = "test", .version = "1", .title = "Test",
		.levels = LEVELS, .nlevels = nlevels,
		.scales = &SCALE, .nscales = 1,
		.functions = f, .nfunctions = nf,
		.method = method, .threshold = 0.75, .overall = overall,
	};
	return m;
}

#define GATED(f) model_of((f), COUNT(f), 5, MODEL_GATED, MODEL_OVERALL_MIN)
#define AVERAGE(f) model_of((f), COUNT(f), 5, MODEL_AVERAGE, MODEL_OVERALL_MIN)

static int setup(void **state)
{
	struct arena *a = malloc(sizeof *a);

	if (!a)
		return -1;
	arena_init(a, 0);
	*state = a;
	return 0;
}

static int teardown(void **state)
{
	arena_release(*state);
	free(*state);
	return 0;
}

/* Scores and insists on success. */
static struct assessment_result run(void **state, const struct model *m,
				    const struct score_input *in,
				    const int *targets)
{
	struct assessment_result r;

	assert_int_equal(score_assessment(m, in, targets, *state, &r), 0);
	return r;
}

static struct indicator_result one(const struct score_input *in)
{
	struct indicator_result r;

	score_indicator(in, &r);
	return r;
}

/* --- indicators ----------------------------------------------------------- */

/* No rating at all: unscored, nothing rated, no agreement. */
static void test_indicator_no_ratings(void **state)
{
	const struct score_input in = UNRATED;
	struct indicator_result r = one(&in);

	(void)state;
	assert_false(r.scored);
	assert_near(r.score, 0.0);
	assert_int_equal(r.nrated, 0);
	assert_false(r.has_agreement);
	assert_false(r.needs_discussion);
}

/* Three "don't know": all left out, so unscored like no rating. */
static void test_indicator_only_dont_know(void **state)
{
	const struct score_input in = RATED(DK, DK, DK);
	struct indicator_result r = one(&in);

	(void)state;
	assert_false(r.scored);
	assert_int_equal(r.nrated, 0);
	assert_false(r.has_agreement);
	assert_false(r.needs_discussion);
}

/* One rater 0.5: score 0.5; agreement needs n >= 2, so it is absent. */
static void test_indicator_one_rater(void **state)
{
	const struct score_input in = RATED(R(0.5));
	struct indicator_result r = one(&in);

	(void)state;
	assert_true(r.scored);
	assert_near(r.score, 0.5);
	assert_int_equal(r.nrated, 1);
	assert_false(r.has_agreement);
	assert_false(r.needs_discussion);
	/* one usable rating among "don't know"s is still one rater */
	{
		const struct score_input in2 = RATED(DK, R(0.5), DK);
		struct indicator_result r2 = one(&in2);

		assert_true(r2.scored);
		assert_near(r2.score, 0.5);
		assert_int_equal(r2.nrated, 1);
		assert_false(r2.has_agreement);
	}
}

/* 1.0, don't know, 0.5: mean (1 + 0.5) / 2 = 0.75; deviations +-0.25,
 * variance 0.0625, sd 0.25, agreement 1 - 0.5 = 0.5 < 0.6: flagged. */
static void test_indicator_dont_know_left_out(void **state)
{
	const struct score_input in = RATED(R(1.0), DK, R(0.5));
	struct indicator_result r = one(&in);

	(void)state;
	assert_true(r.scored);
	assert_near(r.score, 0.75);
	assert_int_equal(r.nrated, 2);
	assert_true(r.has_agreement);
	assert_near(r.agreement, 0.5);
	assert_true(r.needs_discussion);
}

/* 0 and 1: mean 0.5, deviations +-0.5, sd 0.5, agreement 1 - 1 = 0. */
static void test_indicator_two_raters_disagree(void **state)
{
	const struct score_input in = RATED(R(0.0), R(1.0));
	struct indicator_result r = one(&in);

	(void)state;
	assert_near(r.score, 0.5);
	assert_true(r.has_agreement);
	assert_near(r.agreement, 0.0);
	assert_true(r.needs_discussion);
}

/* 1, 1, 1: mean 1, sd 0, agreement 1; all 0 likewise agreement 1. */
static void test_indicator_three_raters_agree(void **state)
{
	const struct score_input in = RATED(R(1.0), R(1.0), R(1.0));
	const struct score_input zeros = RATED(R(0.0), R(0.0), R(0.0));
	struct indicator_result r = one(&in);

	(void)state;
	assert_near(r.score, 1.0);
	assert_int_equal(r.nrated, 3);
	assert_true(r.has_agreement);
	assert_near(r.agreement, 1.0);
	assert_false(r.needs_discussion);
	r = one(&zeros);
	assert_true(r.scored);
	assert_near(r.score, 0.0);
	assert_near(r.agreement, 1.0);
	assert_false(r.needs_discussion);
}

/* Ratings 0, 1 with consensus 0.25: score 0.25 (not the mean 0.5); the
 * agreement stays that of the ratings (0), still flagged. */
static void test_indicator_consensus_overrides(void **state)
{
	const struct score_input in = AGREED(R(0.25), R(0.0), R(1.0));
	struct indicator_result r = one(&in);

	(void)state;
	assert_true(r.scored);
	assert_near(r.score, 0.25);
	assert_int_equal(r.nrated, 2);
	assert_true(r.has_agreement);
	assert_near(r.agreement, 0.0);
	assert_true(r.needs_discussion);
}

/* Consensus 1.0 with no rating (only "don't know"): scored 1.0, no
 * agreement; consensus 0.0 scores 0 (a zero weight is an answer). */
static void test_indicator_consensus_without_ratings(void **state)
{
	const struct score_input in = AGREED(R(1.0), DK);
	const struct score_input zero = { NULL, 0, true, R(0.0) };
	struct indicator_result r = one(&in);

	(void)state;
	assert_true(r.scored);
	assert_near(r.score, 1.0);
	assert_int_equal(r.nrated, 0);
	assert_false(r.has_agreement);
	r = one(&zero);
	assert_true(r.scored);
	assert_near(r.score, 0.0);
}

/* Consensus "don't know" falls back to the ratings 0.5, 1.0: mean 0.75,
 * agreement 1 - 2 x 0.25 = 0.5; with no rating either it is unscored. */
static void test_indicator_consensus_dont_know_falls_back(void **state)
{
	const struct score_input in = AGREED(DK, R(0.5), R(1.0));
	const struct score_input none = AGREED(DK, DK);
	struct indicator_result r = one(&in);

	(void)state;
	assert_true(r.scored);
	assert_near(r.score, 0.75);
	assert_near(r.agreement, 0.5);
	assert_true(r.needs_discussion);
	r = one(&none);
	assert_false(r.scored);
	assert_int_equal(r.nrated, 0);
}

/* has_consensus false: the consensus field (0.0) is ignored; score is the
 * rating 1.0. */
static void test_indicator_consensus_unset_ignored(void **state)
{
	const struct score_input in = { (const struct score_rating[]){ R(1.0) },
					1, false, R(0.0) };
	struct indicator_result r = one(&in);

	(void)state;
	assert_near(r.score, 1.0);
}

/* Agreement exactly 0.6 is not flagged:
 * 0.3, 0.7: mean 0.5, sd 0.2, 1 - 0.4 = 0.6;
 * 0.41, 0.81: mean 0.61, sd 0.2, 0.6 (computes as 0.5999999999999999);
 * 0.4, 0.8, 0.4, 0.8: mean 0.6, every deviation 0.2, sd 0.2, 0.6. */
static void test_indicator_agreement_at_limit(void **state)
{
	const struct score_input a = RATED(R(0.3), R(0.7));
	const struct score_input b = RATED(R(0.41), R(0.81));
	const struct score_input c = RATED(R(0.4), R(0.8), R(0.4), R(0.8));
	struct indicator_result r;

	(void)state;
	r = one(&a);
	assert_near(r.agreement, 0.6);
	assert_false(r.needs_discussion);
	r = one(&b);
	assert_near(r.score, 0.61);
	assert_near(r.agreement, 0.6);
	assert_false(r.needs_discussion);
	r = one(&c);
	assert_near(r.agreement, 0.6);
	assert_false(r.needs_discussion);
}

/* Just below 0.6 is flagged:
 * 0.3, 0.71: mean 0.505, sd 0.205, 1 - 0.41 = 0.59;
 * 0.25, 0.5, 0.75: mean 0.5, variance (0.0625 + 0 + 0.0625) / 3 = 1/24,
 * agreement 1 - 2 sqrt(1/24) = 1 - sqrt(1/6) = 0.59175. */
static void test_indicator_agreement_below_limit(void **state)
{
	const struct score_input a = RATED(R(0.3), R(0.71));
	const struct score_input b = RATED(R(0.25), R(0.5), R(0.75));
	struct indicator_result r;

	(void)state;
	r = one(&a);
	assert_near(r.agreement, 0.59);
	assert_true(r.needs_discussion);
	r = one(&b);
	assert_near(r.score, 0.5);
	assert_near(r.agreement, 1.0 - sqrt(1.0 / 6.0));
	assert_true(r.needs_discussion);
}

/* Bad weights never make a result leave [0, 1] or become NaN: 1.5 counts
 * as 1, -0.5 as 0, NaN is left out like "don't know": mean 0.5, agreement
 * 0; a NaN consensus falls back to the ratings. */
static void test_indicator_bad_weights(void **state)
{
	const struct score_input in = AGREED(R(NAN), R(1.5), R(-0.5), R(NAN));
	struct indicator_result r = one(&in);

	(void)state;
	assert_true(r.scored);
	assert_int_equal(r.nrated, 2);
	assert_near(r.score, 0.5);
	assert_near(r.agreement, 0.0);
	assert_true(r.needs_discussion);
}

/* --- one function, gated and average -------------------------------------- */

/* Nothing rated (5 levels, one indicator at each of 2..5).
 * gated: level 2 unscored stops the climb at 1, incomplete; progress
 * 1 + 0 = 1; target 3, gap 2, percent 1 - 2/2 = 0.
 * average: 1 + 0 + 0 + 0 + 0 = 1, level 1, not incomplete. */
static void test_no_ratings(void **state)
{
	const struct score_input in[] = { UNRATED, UNRATED, UNRATED, UNRATED };
	struct model m = GATED(F_2345);
	struct assessment_result r = run(state, &m, in, NULL);
	int l;

	assert_int_equal(r.functions[0].level, 1);
	assert_true(r.functions[0].incomplete);
	assert_near(r.functions[0].progress, 1.0);
	for (l = 2; l <= 5; l++) {
		assert_true(r.functions[0].has_level[l]);
		assert_false(r.functions[0].scored_level[l]);
		assert_false(r.indicators[l - 2].scored);
	}
	assert_int_equal(r.functions[0].target, 3);
	assert_near(r.functions[0].gap, 2.0);
	assert_near(r.percent_to_target, 0.0);
	assert_int_equal(r.overall_level, 1);
	assert_near(r.overall_progress, 1.0);
	assert_int_equal(r.ndiscussion, 0);

	m = AVERAGE(F_2345);
	r = run(state, &m, in, NULL);
	assert_int_equal(r.functions[0].level, 1);
	assert_false(r.functions[0].incomplete);
	assert_near(r.functions[0].progress, 1.0);
	assert_near(r.percent_to_target, 0.0);
}

/* Indicators at 2 (1.0), 4 (0.8), 5 (0.5), none at 3.
 * gated: 2 passes, 3 has no indicators and passes, 4 passes (0.8), 5
 * fails (0.5): level 4, progress 4 + 0.5 = 4.5.
 * average: 1 + 1.0 + 0 + 0.8 + 0.5 = 3.3, level 3 (the same ratings
 * give different levels). */
static void test_level_without_indicators(void **state)
{
	static const struct model_indicator inds[] = { IND(2), IND(4), IND(5) };
	static const struct model_function f[] = { FUNC(inds, 0) };
	const struct score_input in[] = { W(1.0), W(0.8), W(0.5) };
	struct model m = GATED(f);
	struct assessment_result r = run(state, &m, in, NULL);

	assert_false(r.functions[0].has_level[3]);
	assert_false(r.functions[0].scored_level[3]);
	assert_near(r.functions[0].level_score[3], 0.0);
	assert_true(r.functions[0].has_level[4]);
	assert_true(r.functions[0].scored_level[4]);
	assert_near(r.functions[0].level_score[4], 0.8);
	assert_int_equal(r.functions[0].level, 4);
	assert_false(r.functions[0].incomplete);
	assert_near(r.functions[0].progress, 4.5);

	m = AVERAGE(f);
	r = run(state, &m, in, NULL);
	assert_int_equal(r.functions[0].level, 3);
	assert_near(r.functions[0].progress, 3.3);
}

/* 2: 1.0, 3: "don't know" only, 4: 1.0, 5: 1.0.
 * gated: level 3 unscored stops the climb: level 2, incomplete, progress
 * 2 + 0 = 2.  average: 1 + 1 + 0 + 1 + 1 = 4, level 4, complete. */
static void test_unscored_level_stops_climb(void **state)
{
	const struct score_input in[] = {
		W(1.0), RATED(DK, DK), W(1.0), W(1.0),
	};
	struct model m = GATED(F_2345);
	struct assessment_result r = run(state, &m, in, NULL);

	assert_int_equal(r.functions[0].level, 2);
	assert_true(r.functions[0].incomplete);
	assert_true(r.functions[0].has_level[3]);
	assert_false(r.functions[0].scored_level[3]);
	assert_near(r.functions[0].progress, 2.0);

	m = AVERAGE(F_2345);
	r = run(state, &m, in, NULL);
	assert_int_equal(r.functions[0].level, 4);
	assert_false(r.functions[0].incomplete);
	assert_near(r.functions[0].progress, 4.0);
}

/* 2: 1.0, 3: 0.5, 4: 1.0, 5: 1.0.
 * gated: 3 fails, so 4 and 5 do not count: level 2, progress 2 + 0.5 =
 * 2.5, complete.  average: 1 + 1 + 0.5 + 1 + 1 = 4.5, level 4. */
static void test_failing_level_stops_climb(void **state)
{
	const struct score_input in[] = { W(1.0), W(0.5), W(1.0), W(1.0) };
	struct model m = GATED(F_2345);
	struct assessment_result r = run(state, &m, in, NULL);

	assert_int_equal(r.functions[0].level, 2);
	assert_false(r.functions[0].incomplete);
	assert_near(r.functions[0].progress, 2.5);

	m = AVERAGE(F_2345);
	r = run(state, &m, in, NULL);
	assert_int_equal(r.functions[0].level, 4);
	assert_near(r.functions[0].progress, 4.5);
}

/* 2: 0.75 (passes exactly), 3: two indicators 0.5 and 0.25, mean 0.375:
 * level 2, progress 2 + 0.375 = 2.375. */
static void test_progress_adds_next_share(void **state)
{
	static const struct model_indicator inds[] = { IND(2), IND(3), IND(3) };
	static const struct model_function f[] = { FUNC(inds, 0) };
	const struct score_input in[] = { W(0.75), W(0.5), W(0.25) };
	struct model m = GATED(f);
	struct assessment_result r = run(state, &m, in, NULL);

	assert_near(r.functions[0].level_score[2], 0.75);
	assert_near(r.functions[0].level_score[3], 0.375);
	assert_int_equal(r.functions[0].level, 2);
	assert_near(r.functions[0].progress, 2.375);
}

/* Every level 1.0: level 5, progress 5 (no level 6 to add a share of);
 * a 3-level model with 2: 1.0, 3: 0.9 reaches 3, progress 3. */
static void test_top_level_adds_nothing(void **state)
{
	static const struct model_indicator inds[] = { IND(2), IND(3) };
	static const struct model_function f3[] = { FUNC(inds, 0) };
	const struct score_input in[] = { W(1.0), W(1.0), W(1.0), W(1.0) };
	const struct score_input in3[] = { W(1.0), W(0.9) };
	struct model m = GATED(F_2345);
	struct assessment_result r = run(state, &m, in, NULL);

	assert_int_equal(r.functions[0].level, 5);
	assert_near(r.functions[0].progress, 5.0);
	assert_near(r.functions[0].gap, 0.0);

	m = model_of(f3, 1, 3, MODEL_GATED, MODEL_OVERALL_MIN);
	r = run(state, &m, in3, NULL);
	assert_int_equal(r.functions[0].level, 3);
	assert_near(r.functions[0].progress, 3.0);
}

/* Level 2 at exactly the threshold 0.75 passes; 3: 0.0, so progress 2.
 * (a) indicators 0.5, 1.0, 0.75: 2.25 / 3 = 0.75;
 * (b) one indicator rated 0.5 and 1.0: mean 0.75;
 * (c) 0.3, 0.85, 0.95, 0.9: 3.0 / 4 = 0.75, computed 0.7499999999999999. */
static void test_threshold_exactly_met(void **state)
{
	static const struct model_indicator inds3[] = {
		IND(2), IND(2), IND(2), IND(3),
	};
	static const struct model_indicator inds4[] = {
		IND(2), IND(2), IND(2), IND(2), IND(3),
	};
	static const struct model_function fa[] = { FUNC(inds3, 0) };
	static const struct model_function fc[] = { FUNC(inds4, 0) };
	const struct score_input a[] = { W(0.5), W(1.0), W(0.75), W(0.0) };
	const struct score_input b[] = { RATED(R(0.5), R(1.0)), W(0.0),
					 W(0.0), W(0.0) };
	const struct score_input c[] = { W(0.3), W(0.85), W(0.95), W(0.9),
					 W(0.0) };
	struct model m = GATED(fa);
	struct assessment_result r = run(state, &m, a, NULL);

	assert_near(r.functions[0].level_score[2], 0.75);
	assert_int_equal(r.functions[0].level, 2);
	assert_near(r.functions[0].progress, 2.0);

	m = GATED(F_2345);
	r = run(state, &m, b, NULL);
	assert_int_equal(r.functions[0].level, 2);

	m = GATED(fc);
	r = run(state, &m, c, NULL);
	assert_near(r.functions[0].level_score[2], 0.75);
	assert_int_equal(r.functions[0].level, 2);
}

/* Other thresholds, values not exact in binary:
 * threshold 0.7, level 2: 0.7, 0.7, 0.7: mean 0.7 (computed
 * 0.6999999999999998) passes; threshold 0.8, level 2: 0.7, 0.7, 1.0:
 * 2.4 / 3 = 0.8 (computed 0.7999999999999999) passes. */
static void test_threshold_inexact_values(void **state)
{
	static const struct model_indicator inds[] = {
		IND(2), IND(2), IND(2), IND(3),
	};
	static const struct model_function f[] = { FUNC(inds, 0) };
	const struct score_input a[] = { W(0.7), W(0.7), W(0.7), W(0.5) };
	const struct score_input b[] = { W(0.7), W(0.7), W(1.0), W(0.5) };
	struct model m = GATED(f);
	struct assessment_result r;

	m.threshold = 0.7;
	r = run(state, &m, a, NULL);
	assert_int_equal(r.functions[0].level, 2);
	assert_near(r.functions[0].progress, 2.5);

	m.threshold = 0.8;
	r = run(state, &m, b, NULL);
	assert_int_equal(r.functions[0].level, 2);
	assert_near(r.functions[0].progress, 2.5);
}

/* Just under the threshold fails: 0.5, 1.0, 0.7: 2.2 / 3 = 0.7333 < 0.75:
 * level 1, progress 1 + 0.7333 = 1.7333. */
static void test_threshold_just_missed(void **state)
{
	static const struct model_indicator inds[] = { IND(2), IND(2), IND(2) };
	static const struct model_function f[] = { FUNC(inds, 0) };
	const struct score_input in[] = { W(0.5), W(1.0), W(0.7) };
	struct model m = GATED(f);
	struct assessment_result r = run(state, &m, in, NULL);

	assert_int_equal(r.functions[0].level, 1);
	assert_false(r.functions[0].incomplete);
	assert_near(r.functions[0].progress, 1.0 + 2.2 / 3.0);
}

/* The model's threshold is used: 0.5 with 2: 0.5, 3: 0.5, 4: 0.4, 5: 1.0:
 * levels 2 and 3 pass, 4 fails: level 3, progress 3.4. */
static void test_custom_threshold(void **state)
{
	const struct score_input in[] = { W(0.5), W(0.5), W(0.4), W(1.0) };
	struct model m = GATED(F_2345);
	struct assessment_result r;

	m.threshold = 0.5;
	r = run(state, &m, in, NULL);
	assert_int_equal(r.functions[0].level, 3);
	assert_near(r.functions[0].progress, 3.4);
}

/* A level's score is the mean of its scored indicators only:
 * 2: 1.0, "don't know", 0.5: (1 + 0.5) / 2 = 0.75 passes; 3: only "don't
 * know": unscored, incomplete; level 2, progress 2. */
static void test_level_score_counts_scored_only(void **state)
{
	static const struct model_indicator inds[] = {
		IND(2), IND(2), IND(2), IND(3),
	};
	static const struct model_function f[] = { FUNC(inds, 0) };
	const struct score_input in[] = {
		W(1.0), RATED(DK), W(0.5), RATED(DK),
	};
	struct model m = GATED(f);
	struct assessment_result r = run(state, &m, in, NULL);

	assert_true(r.functions[0].scored_level[2]);
	assert_near(r.functions[0].level_score[2], 0.75);
	assert_int_equal(r.functions[0].level, 2);
	assert_true(r.functions[0].incomplete);
	assert_near(r.functions[0].progress, 2.0);
	assert_false(r.indicators[1].scored);
}

/* average: 2: 0.2, 3: 0.6, 4: 0.2, 5: unscored: 1 + 0.2 + 0.6 + 0.2 + 0 =
 * 2 (computed 1.9999999999999998): level 2, not 1. */
static void test_average_floor_guard(void **state)
{
	const struct score_input in[] = { W(0.2), W(0.6), W(0.2), UNRATED };
	struct model m = AVERAGE(F_2345);
	struct assessment_result r = run(state, &m, in, NULL);

	assert_near(r.functions[0].progress, 2.0);
	assert_int_equal(r.functions[0].level, 2);
	assert_false(r.functions[0].incomplete);
}

/* average at the ends: all 1.0: 1 + 4 = 5, level 5; all 0.0 (scored): 1 +
 * 0 = 1, level 1. */
static void test_average_ends(void **state)
{
	const struct score_input top[] = { W(1.0), W(1.0), W(1.0), W(1.0) };
	const struct score_input low[] = { W(0.0), W(0.0), W(0.0), W(0.0) };
	struct model m = AVERAGE(F_2345);
	struct assessment_result r = run(state, &m, top, NULL);

	assert_int_equal(r.functions[0].level, 5);
	assert_near(r.functions[0].progress, 5.0);
	r = run(state, &m, low, NULL);
	assert_int_equal(r.functions[0].level, 1);
	assert_near(r.functions[0].progress, 1.0);
	assert_true(r.functions[0].scored_level[2]);
}

/* --- overall -------------------------------------------------------------- */

/* Three functions (levels 2..5, one indicator each), gated:
 * f1: 1, 0.5, 0, 0 -> level 2, progress 2.5
 * f2: 1, 1, 1, 0.25 -> level 4, progress 4.25
 * f3: 1, 1, 0, 0 -> level 3, progress 3.0 */
#define F1 W(1.0), W(0.5), W(0.0), W(0.0)
#define F2 W(1.0), W(1.0), W(1.0), W(0.25)
#define F3 W(1.0), W(1.0), W(0.0), W(0.0)

/* min: level min(2, 4, 3) = 2; progress min(2.5, 4.25, 3) = 2.5. */
static void test_overall_min(void **state)
{
	const struct score_input in[] = { F1, F2, F3 };
	struct model m = GATED(F_2345_X3);
	struct assessment_result r = run(state, &m, in, NULL);

	assert_int_equal(r.functions[0].level, 2);
	assert_near(r.functions[0].progress, 2.5);
	assert_int_equal(r.functions[1].level, 4);
	assert_near(r.functions[1].progress, 4.25);
	assert_int_equal(r.functions[2].level, 3);
	assert_near(r.functions[2].progress, 3.0);
	assert_int_equal(r.overall_level, 2);
	assert_near(r.overall_progress, 2.5);
}

/* mean: level (2 + 4 + 3) / 3 = 3; progress (2.5 + 4.25 + 3) / 3 = 3.25. */
static void test_overall_mean(void **state)
{
	const struct score_input in[] = { F1, F2, F3 };
	struct model m = GATED(F_2345_X3);
	struct assessment_result r;

	m.overall = MODEL_OVERALL_MEAN;
	r = run(state, &m, in, NULL);
	assert_int_equal(r.overall_level, 3);
	assert_near(r.overall_progress, 3.25);
}

/* mean, each aggregated on its own as the contract says: levels 2 and 3
 * (progress 2.7 and 3.7): level floor(2.5) = 2; progress (2.7 + 3.7) / 2
 * = 3.2, above the overall level + 1. */
static void test_overall_mean_separate_aggregates(void **state)
{
	const struct score_input in[] = {
		W(1.0), W(0.7), W(0.0), W(0.0),
		W(1.0), W(1.0), W(0.7), W(0.0),
	};
	struct model m = GATED(F_2345_X2);
	struct assessment_result r;

	m.overall = MODEL_OVERALL_MEAN;
	r = run(state, &m, in, NULL);
	assert_near(r.functions[0].progress, 2.7);
	assert_near(r.functions[1].progress, 3.7);
	assert_int_equal(r.overall_level, 2);
	assert_near(r.overall_progress, 3.2);
}

/* median, odd count: levels 2, 4, 3 sort to 2, 3, 4: 3; progress 2.5,
 * 4.25, 3 sort to 2.5, 3, 4.25: 3. */
static void test_overall_median_odd(void **state)
{
	const struct score_input in[] = { F1, F2, F3 };
	struct model m = GATED(F_2345_X3);
	struct assessment_result r;

	m.overall = MODEL_OVERALL_MEDIAN;
	r = run(state, &m, in, NULL);
	assert_int_equal(r.overall_level, 3);
	assert_near(r.overall_progress, 3.0);
	/* the results stay in model order (sorting works on a copy) */
	assert_int_equal(r.functions[0].level, 2);
	assert_int_equal(r.functions[1].level, 4);
	assert_int_equal(r.functions[2].level, 3);
}

/* median, even count: f3 then f1: levels 3, 2: (2 + 3) / 2 = 2.5, floor 2;
 * progress (2.5 + 3) / 2 = 2.75. */
static void test_overall_median_even(void **state)
{
	const struct score_input in[] = { F3, F1 };
	struct model m = GATED(F_2345_X2);
	struct assessment_result r;

	m.overall = MODEL_OVERALL_MEDIAN;
	r = run(state, &m, in, NULL);
	assert_int_equal(r.overall_level, 2);
	assert_near(r.overall_progress, 2.75);
}

/* median with ties.  Four functions f3, nothing rated, f3, f3: levels 3,
 * 1, 3, 3 sort to 1, 3, 3, 3: (3 + 3) / 2 = 3; progress the same values:
 * 3.  Three functions f1, f1' (1, 0.25, 0, 0: level 2, progress 2.25), f2:
 * levels 2, 2, 4: median 2; progress 2.25, 2.5, 4.25: 2.5; the mean of the
 * same levels 8/3 floors to 2. */
static void test_overall_median_ties(void **state)
{
	const struct score_input four[] = {
		F3, UNRATED, UNRATED, UNRATED, UNRATED, F3, F3,
	};
	const struct score_input three[] = {
		F1, W(1.0), W(0.25), W(0.0), W(0.0), F2,
	};
	struct model m = GATED(F_2345_X4);
	struct assessment_result r;

	m.overall = MODEL_OVERALL_MEDIAN;
	r = run(state, &m, four, NULL);
	assert_int_equal(r.functions[1].level, 1);
	assert_int_equal(r.overall_level, 3);
	assert_near(r.overall_progress, 3.0);

	m = GATED(F_2345_X3);
	m.overall = MODEL_OVERALL_MEDIAN;
	r = run(state, &m, three, NULL);
	assert_int_equal(r.overall_level, 2);
	assert_near(r.overall_progress, 2.5);
	m.overall = MODEL_OVERALL_MEAN;
	r = run(state, &m, three, NULL);
	assert_int_equal(r.overall_level, 2);
	assert_near(r.overall_progress, (2.5 + 2.25 + 4.25) / 3.0);
}

/* A model without functions: everything at the floor, nothing missing:
 * overall level 1, progress 1, percent 1. */
static void test_overall_no_functions(void **state)
{
	struct model m = model_of(NULL, 0, 5, MODEL_GATED,
				  MODEL_OVERALL_MEDIAN);
	struct assessment_result r = run(state, &m, NULL, NULL);

	assert_int_equal(r.overall_level, 1);
	assert_near(r.overall_progress, 1.0);
	assert_near(r.percent_to_target, 1.0);
	assert_int_equal(r.ndiscussion, 0);
}

/* --- targets -------------------------------------------------------------- */

/* From the input: f1 (progress 2.5), target 4: gap 1.5, percent 1 - 1.5/3
 * = 0.5. */
static void test_target_from_input(void **state)
{
	const struct score_input in[] = { F1 };
	const int targets[] = { 4 };
	struct model m = GATED(F_2345);
	struct assessment_result r = run(state, &m, in, targets);

	assert_int_equal(r.functions[0].target, 4);
	assert_near(r.functions[0].gap, 1.5);
	assert_near(r.percent_to_target, 0.5);
}

/* From the function's default 2 (targets NULL, or 0 for the function):
 * f1 progress 2.5 exceeds it: gap max(0, 2 - 2.5) = 0, percent 1 - 0/1
 * = 1; an input target still wins over the default: 5 -> gap 2.5,
 * percent 1 - 2.5/4 = 0.375. */
static void test_target_from_function_default(void **state)
{
	static const struct model_function f[] = { FUNC(IND_2345, 2) };
	const struct score_input in[] = { F1 };
	const int zero[] = { 0 }, five[] = { 5 };
	struct model m = GATED(f);
	struct assessment_result r = run(state, &m, in, NULL);

	assert_int_equal(r.functions[0].target, 2);
	assert_near(r.functions[0].gap, 0.0);
	assert_near(r.percent_to_target, 1.0);
	r = run(state, &m, in, zero);
	assert_int_equal(r.functions[0].target, 2);
	r = run(state, &m, in, five);
	assert_int_equal(r.functions[0].target, 5);
	assert_near(r.functions[0].gap, 2.5);
	assert_near(r.percent_to_target, 0.375);
}

/* From the model default 3: f1 progress 2.5: gap 0.5, percent 1 - 0.5/2
 * = 0.75. */
static void test_target_model_default(void **state)
{
	const struct score_input in[] = { F1 };
	const int zero[] = { 0 };
	struct model m = GATED(F_2345);
	struct assessment_result r = run(state, &m, in, NULL);

	assert_int_equal(r.functions[0].target, 3);
	assert_near(r.functions[0].gap, 0.5);
	assert_near(r.percent_to_target, 0.75);
	r = run(state, &m, in, zero);
	assert_int_equal(r.functions[0].target, 3);
}

/* Clamping to 1..nlevels: input 9 on 5 levels -> 5 (f1: gap 2.5, percent
 * 1 - 2.5/4 = 0.375); input -1 counts as unset -> 3; function default 7
 * -> 5; the model default 3 on a 2-level model -> 2 (2: 1.0: level 2,
 * progress 2, gap 0, percent 1 - 0/1 = 1). */
static void test_target_clamped(void **state)
{
	static const struct model_function f7[] = { FUNC(IND_2345, 7) };
	static const struct model_indicator inds2[] = { IND(2) };
	static const struct model_function f2[] = { FUNC(inds2, 0) };
	const struct score_input in[] = { F1 };
	const struct score_input in2[] = { W(1.0) };
	const int nine[] = { 9 }, minus[] = { -1 };
	struct model m = GATED(F_2345);
	struct assessment_result r = run(state, &m, in, nine);

	assert_int_equal(r.functions[0].target, 5);
	assert_near(r.functions[0].gap, 2.5);
	assert_near(r.percent_to_target, 0.375);
	r = run(state, &m, in, minus);
	assert_int_equal(r.functions[0].target, 3);

	m = GATED(f7);
	r = run(state, &m, in, NULL);
	assert_int_equal(r.functions[0].target, 5);

	m = model_of(f2, 1, 2, MODEL_GATED, MODEL_OVERALL_MIN);
	r = run(state, &m, in2, NULL);
	assert_int_equal(r.functions[0].target, 2);
	assert_int_equal(r.functions[0].level, 2);
	assert_near(r.functions[0].progress, 2.0);
	assert_near(r.functions[0].gap, 0.0);
	assert_near(r.percent_to_target, 1.0);
}

/* Progress above the target: f2 progress 4.25, target 3: gap 0 (not
 * -1.25), percent 1. */
static void test_gap_zero_above_target(void **state)
{
	const struct score_input in[] = { F2 };
	struct model m = GATED(F_2345);
	struct assessment_result r = run(state, &m, in, NULL);

	assert_near(r.functions[0].gap, 0.0);
	assert_near(r.percent_to_target, 1.0);
}

/* Every target 1: sum(target - 1) = 0, so percent is 1 by definition,
 * even with nothing rated (gaps max(0, 1 - 2.5) = 0, max(0, 1 - 1) = 0). */
static void test_percent_all_targets_one(void **state)
{
	const struct score_input in[] = {
		F1, UNRATED, UNRATED, UNRATED, UNRATED,
	};
	const int ones[] = { 1, 1 };
	struct model m = GATED(F_2345_X2);
	struct assessment_result r = run(state, &m, in, ones);

	assert_int_equal(r.functions[0].target, 1);
	assert_int_equal(r.functions[1].target, 1);
	assert_near(r.functions[0].gap, 0.0);
	assert_near(r.functions[1].gap, 0.0);
	assert_near(r.percent_to_target, 1.0);
}

/* Several functions: f1 target 3 (gap 0.5), f3 target 5 (progress 3,
 * gap 2), f2 target 2 (progress 4.25, gap 0): percent 1 - 2.5 / (2 + 4 +
 * 1) = 4.5 / 7. */
static void test_percent_several_functions(void **state)
{
	const struct score_input in[] = { F1, F3, F2 };
	const int targets[] = { 3, 5, 2 };
	struct model m = GATED(F_2345_X3);
	struct assessment_result r = run(state, &m, in, targets);

	assert_near(r.functions[0].gap, 0.5);
	assert_near(r.functions[1].gap, 2.0);
	assert_near(r.functions[2].gap, 0.0);
	assert_near(r.percent_to_target, 4.5 / 7.0);
}

/* --- discussion and layout ------------------------------------------------ */

/* Function A: 2: 0, 1 (agreement 0, flagged), 3: 1, 1, 1 (1, not), 4: 0, 1
 * with consensus 1 (still flagged), 5: 0.5 alone (no agreement).  Function
 * B (one indicator at 2): 0.3, 0.71 (0.59, flagged).  ndiscussion 3;
 * results per function, per indicator in model order.  A: level 2 score
 * 0.5 fails: level 1, progress 1.5.  B: 0.505 fails: progress 1.505. */
static void test_ndiscussion_and_layout(void **state)
{
	static const struct model_indicator inds_b[] = { IND(2) };
	static const struct model_function f[] = {
		FUNC(IND_2345, 0), FUNC(inds_b, 0),
	};
	const struct score_input in[] = {
		RATED(R(0.0), R(1.0)),
		RATED(R(1.0), R(1.0), R(1.0)),
		AGREED(R(1.0), R(0.0), R(1.0)),
		W(0.5),
		RATED(R(0.3), R(0.71)),
	};
	struct model m = GATED(f);
	struct assessment_result r = run(state, &m, in, NULL);

	assert_int_equal(r.ndiscussion, 3);
	assert_true(r.indicators[0].needs_discussion);
	assert_false(r.indicators[1].needs_discussion);
	assert_true(r.indicators[2].needs_discussion);
	assert_near(r.indicators[2].score, 1.0);
	assert_false(r.indicators[3].has_agreement);
	assert_true(r.indicators[4].needs_discussion);
	assert_near(r.indicators[4].score, 0.505);
	assert_int_equal(r.functions[0].level, 1);
	assert_near(r.functions[0].progress, 1.5);
	assert_int_equal(r.functions[1].level, 1);
	assert_near(r.functions[1].progress, 1.505);
	/* B has nothing above level 2: has_level false there */
	assert_true(r.functions[1].has_level[2]);
	assert_false(r.functions[1].has_level[3]);
}

/* --- limits and errors ---------------------------------------------------- */

/* 0, -1 or 11 levels, a missing model or result, an indicator at level 1
 * or above nlevels, and missing inputs are ERR_INVALID. */
static void test_errors(void **state)
{
	static const struct model_indicator at1[] = { IND(1) };
	static const struct model_indicator at6[] = { IND(6) };
	static const struct model_function f1[] = { FUNC(at1, 0) };
	static const struct model_function f6[] = { FUNC(at6, 0) };
	const struct score_input in[] = { F1 };
	const struct score_input one_in[] = { W(1.0) };
	struct model m = GATED(F_2345);
	struct assessment_result r;

#define INVALID(model, inputs, result) assert_int_equal(		\
	score_assessment((model), (inputs), NULL, *state, (result)),	\
	ERR_INVALID)
	m.nlevels = 0;
	INVALID(&m, in, &r);
	m.nlevels = -1;
	INVALID(&m, in, &r);
	m.nlevels = MODEL_LEVELS_MAX + 1;
	INVALID(&m, in, &r);
	m.nlevels = 5;
	INVALID(NULL, in, &r);
	INVALID(&m, in, NULL);
	INVALID(&m, NULL, &r);

	m = GATED(f1);
	INVALID(&m, one_in, &r);
	m = GATED(f6);
	INVALID(&m, one_in, &r);
#undef INVALID
}

/* The limits themselves work.  MODEL_LEVELS_MAX (10) levels with one
 * indicator at 10 rated 1.0: 2..9 have none and pass, 10 passes: level
 * 10, progress 10, target 3, gap 0.  One level, no indicators: level 1,
 * progress 1, target 3 clamped to 1, percent 1. */
static void test_level_limits(void **state)
{
	static const struct model_indicator at10[] = { IND(10) };
	static const struct model_function f10[] = { FUNC(at10, 0) };
	static const struct model_function f0[] = {
		{ "f", "F", "", NULL, 0, NULL, 0, NULL, 0 },
	};
	const struct score_input in[] = { W(1.0) };
	struct model m = model_of(f10, 1, MODEL_LEVELS_MAX, MODEL_GATED,
				  MODEL_OVERALL_MIN);
	struct assessment_result r = run(state, &m, in, NULL);

	assert_int_equal(r.functions[0].level, 10);
	assert_near(r.functions[0].progress, 10.0);
	assert_false(r.functions[0].has_level[9]);
	assert_int_equal(r.overall_level, 10);

	m = model_of(f0, 1, 1, MODEL_GATED, MODEL_OVERALL_MIN);
	r = run(state, &m, NULL, NULL);
	assert_int_equal(r.functions[0].level, 1);
	assert_near(r.functions[0].progress, 1.0);
	assert_int_equal(r.functions[0].target, 1);
	assert_near(r.percent_to_target, 1.0);
	m.method = MODEL_AVERAGE;
	r = run(state, &m, NULL, NULL);
	assert_int_equal(r.functions[0].level, 1);
	assert_near(r.functions[0].progress, 1.0);
}

/* An arena capped below what the results need: ERR_NOMEM. */
static void test_out_of_memory(void **state)
{
	const struct score_input in[] = { F1, F2, F3 };
	struct model m = GATED(F_2345_X3);
	struct assessment_result r;
	struct arena small;

	(void)state;
	arena_init(&small, 16);
	assert_int_equal(score_assessment(&m, in, NULL, &small, &r), ERR_NOMEM);
	arena_release(&small);
}

int main(void)
{
#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_indicator_no_ratings),
		T(test_indicator_only_dont_know),
		T(test_indicator_one_rater),
		T(test_indicator_dont_know_left_out),
		T(test_indicator_two_raters_disagree),
		T(test_indicator_three_raters_agree),
		T(test_indicator_consensus_overrides),
		T(test_indicator_consensus_without_ratings),
		T(test_indicator_consensus_dont_know_falls_back),
		T(test_indicator_consensus_unset_ignored),
		T(test_indicator_agreement_at_limit),
		T(test_indicator_agreement_below_limit),
		T(test_indicator_bad_weights),
		T(test_no_ratings),
		T(test_level_without_indicators),
		T(test_unscored_level_stops_climb),
		T(test_failing_level_stops_climb),
		T(test_progress_adds_next_share),
		T(test_top_level_adds_nothing),
		T(test_threshold_exactly_met),
		T(test_threshold_inexact_values),
		T(test_threshold_just_missed),
		T(test_custom_threshold),
		T(test_level_score_counts_scored_only),
		T(test_average_floor_guard),
		T(test_average_ends),
		T(test_overall_min),
		T(test_overall_mean),
		T(test_overall_mean_separate_aggregates),
		T(test_overall_median_odd),
		T(test_overall_median_even),
		T(test_overall_median_ties),
		T(test_overall_no_functions),
		T(test_target_from_input),
		T(test_target_from_function_default),
		T(test_target_model_default),
		T(test_target_clamped),
		T(test_gap_zero_above_target),
		T(test_percent_all_targets_one),
		T(test_percent_several_functions),
		T(test_ndiscussion_and_layout),
		T(test_errors),
		T(test_level_limits),
		T(test_out_of_memory),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
