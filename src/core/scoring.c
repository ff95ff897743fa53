/* scoring.c: indicator scores, agreement, function levels and progress,
 * overall results and targets, as DESIGN.md "Scoring" defines (pure). */
#include "scoring.h"

#include "util/err.h"

#include <math.h>

/* Results are compared and floored with this slack, so a value that is
 * mathematically on a boundary (a level score of 0.75 from 0.3, 0.85,
 * 0.95 and 0.9, which computes as 0.7499999999999999; an agreement of
 * exactly 0.6; a progress of exactly 2 from 1 + 0.2 + 0.6 + 0.2) lands on
 * the side the contract means despite binary rounding. */
#define SCORE_EPS 1e-9

enum { DEFAULT_TARGET = 3 };

static const double DISCUSSION_BELOW = 0.6;

static double clamp01(double x)
{
	return x < 0.0 ? 0.0 : x > 1.0 ? 1.0 : x;
}

/* A rating counts when it is not "don't know" and its weight is a number.
 * Weights are clamped to [0, 1], so a bad input cannot push any result
 * out of range or make it NaN. */
static bool usable(const struct score_rating *r, double *weight)
{
	if (r->dont_know || !isfinite(r->weight))
		return false;
	*weight = clamp01(r->weight);
	return true;
}

/* floor(x), except that a value within SCORE_EPS below an integer counts
 * as that integer. */
static int floor_eps(double x)
{
	return (int)floor(x + SCORE_EPS);
}

void score_indicator(const struct score_input *in, struct indicator_result *out)
{
	double w, sum = 0.0, mean, sq = 0.0;
	size_t i, n = 0, nratings = in->ratings ? in->nratings : 0;

	*out = (struct indicator_result){ 0 };
	for (i = 0; i < nratings; i++)
		if (usable(&in->ratings[i], &w)) {
			sum += w;
			n++;
		}
	out->nrated = n;
	if (n > 0) {
		mean = sum / (double)n;
		out->scored = true;
		out->score = mean;
	}
	if (n >= 2) {
		/* two passes: the population variance around the mean */
		for (i = 0; i < nratings; i++)
			if (usable(&in->ratings[i], &w))
				sq += (w - mean) * (w - mean);
		out->has_agreement = true;
		out->agreement = clamp01(1.0 - 2.0 * sqrt(sq / (double)n));
		out->needs_discussion =
			out->agreement < DISCUSSION_BELOW - SCORE_EPS;
	}
	/* a consensus replaces the score, never the agreement; a consensus
	 * of "don't know" leaves the ratings in charge */
	if (in->has_consensus && usable(&in->consensus, &w)) {
		out->scored = true;
		out->score = w;
	}
}

/* Fills level_score, scored_level and has_level from the function's
 * indicator results. */
static void level_scores(const struct model_function *f, int nlevels,
			 const struct indicator_result *ind,
			 struct function_result *fr)
{
	double sum[MODEL_LEVELS_MAX + 1] = { 0 };
	size_t nscored[MODEL_LEVELS_MAX + 1] = { 0 };
	size_t i;
	int l;

	for (i = 0; i < f->nindicators; i++) {
		l = f->indicators[i].level;
		fr->has_level[l] = true;
		if (ind[i].scored) {
			sum[l] += ind[i].score;
			nscored[l]++;
		}
	}
	for (l = 2; l <= nlevels; l++)
		if (nscored[l] > 0) {
			fr->scored_level[l] = true;
			fr->level_score[l] = sum[l] / (double)nscored[l];
		}
}

/* The share a level contributes: its score, or 0 when it has no
 * indicators or none of them is scored. */
static double share(const struct function_result *fr, int l)
{
	if (!fr->has_level[l] || !fr->scored_level[l])
		return 0.0;
	return fr->level_score[l];
}

/* Gated: climb while each level passes; a level without indicators
 * passes, an unscored one stops the climb and marks it incomplete.
 * Progress adds the share of the level that stopped the climb (0 when
 * unscored; it never lacks indicators, since such a level passes);
 * nothing is added at the top. */
static void gated(int nlevels, double threshold, struct function_result *fr)
{
	int l;

	fr->level = 1;
	for (l = 2; l <= nlevels; l++) {
		if (!fr->has_level[l]) {
			fr->level = l;
			continue;
		}
		if (!fr->scored_level[l]) {
			fr->incomplete = true;
			break;
		}
		if (!(fr->level_score[l] + SCORE_EPS >= threshold))
			break;
		fr->level = l;
	}
	fr->progress = fr->level;
	if (fr->level < nlevels)
		fr->progress += share(fr, fr->level + 1);
}

/* Average: 1 + the sum of the level scores, unscored levels and levels
 * without indicators counting 0; the level is its floor. */
static void average(int nlevels, struct function_result *fr)
{
	int l;

	fr->progress = 1.0;
	for (l = 2; l <= nlevels; l++)
		fr->progress += share(fr, l);
	fr->level = floor_eps(fr->progress);
	if (fr->level < 1)
		fr->level = 1;
	if (fr->level > nlevels)
		fr->level = nlevels;
}

/* targets[i] when > 0, else the function's default when > 0, else 3;
 * clamped to 1..nlevels. */
static int target_of(const struct model_function *f, const int *targets,
		     size_t i, int nlevels)
{
	int t = DEFAULT_TARGET;

	if (targets && targets[i] > 0)
		t = targets[i];
	else if (f->default_target > 0)
		t = f->default_target;
	return t < 1 ? 1 : t > nlevels ? nlevels : t;
}

/* Sorts v[0..n) ascending (insertion sort: n is the number of functions). */
static void sort_doubles(double *v, size_t n)
{
	size_t i, j;
	double x;

	for (i = 1; i < n; i++) {
		x = v[i];
		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* min, mean or median of v[0..n), n >= 1; v is reordered for the median.
 * The median of an even count is the mean of the two middle values. */
static double aggregate(enum model_overall how, double *v, size_t n)
{
	double acc;
	size_t i;

	switch (how) {
	case MODEL_OVERALL_MEAN:
		for (acc = 0.0, i = 0; i < n; i++)
			acc += v[i];
		return acc / (double)n;
	case MODEL_OVERALL_MEDIAN:
		sort_doubles(v, n);
		return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
	case MODEL_OVERALL_MIN:
	default:
		for (acc = v[0], i = 1; i < n; i++)
			if (v[i] < acc)
				acc = v[i];
		return acc;
	}
}

/* Checks what the scoring relies on: 1..MODEL_LEVELS_MAX levels, indicator
 * arrays present, every indicator at a level in 2..nlevels.  Sets *total
 * to the number of indicators. */
static int check_model(const struct model *m, size_t *total)
{
	const struct model_function *f;
	size_t i, j;
	int l;

	if (m->nlevels < 1 || m->nlevels > MODEL_LEVELS_MAX)
		return ERR_INVALID;
	if (m->nfunctions > 0 && !m->functions)
		return ERR_INVALID;
	*total = 0;
	for (i = 0; i < m->nfunctions; i++) {
		f = &m->functions[i];
		if (f->nindicators > 0 && !f->indicators)
			return ERR_INVALID;
		for (j = 0; j < f->nindicators; j++) {
			l = f->indicators[j].level;
			if (l < 2 || l > m->nlevels)
				return ERR_INVALID;
		}
		*total += f->nindicators;
	}
	return 0;
}

int score_assessment(const struct model *m, const struct score_input *inputs,
		     const int *targets, struct arena *a,
		     struct assessment_result *out)
{
	struct function_result *fr;
	double *levels, *progress, sum_gap = 0.0;
	size_t total = 0, i, j, k = 0;
	long sum_span = 0;
	int rc;

	if (!m || !a || !out)
		return ERR_INVALID;
	*out = (struct assessment_result){ 0 };
	rc = check_model(m, &total);
	if (rc)
		return rc;
	if (total > 0 && !inputs)
		return ERR_INVALID;
	out->indicators = arena_calloc(a, total, sizeof *out->indicators);
	out->functions = arena_calloc(a, m->nfunctions, sizeof *out->functions);
	levels = arena_calloc(a, m->nfunctions, sizeof *levels);
	progress = arena_calloc(a, m->nfunctions, sizeof *progress);
	if (!out->indicators || !out->functions || !levels || !progress) {
		*out = (struct assessment_result){ 0 };
		return ERR_NOMEM;
	}

	for (i = 0; i < m->nfunctions; i++) {
		const struct model_function *f = &m->functions[i];
		struct indicator_result *ind = &out->indicators[k];

		fr = &out->functions[i];
		for (j = 0; j < f->nindicators; j++, k++) {
			score_indicator(&inputs[k], &out->indicators[k]);
			if (out->indicators[k].needs_discussion)
				out->ndiscussion++;
		}
		level_scores(f, m->nlevels, ind, fr);
		if (m->method == MODEL_AVERAGE)
			average(m->nlevels, fr);
		else
			gated(m->nlevels, m->threshold, fr);
		fr->target = target_of(f, targets, i, m->nlevels);
		fr->gap = fr->target - fr->progress;
		if (fr->gap < SCORE_EPS)
			fr->gap = 0.0;
		sum_gap += fr->gap;
		sum_span += fr->target - 1;
		levels[i] = fr->level;
		progress[i] = fr->progress;
	}

	/* No functions: everything sits at the floor, nothing is missing. */
	out->overall_level = 1;
	out->overall_progress = 1.0;
	if (m->nfunctions > 0) {
		out->overall_level = floor_eps(aggregate(m->overall, levels,
							 m->nfunctions));
		out->overall_progress = aggregate(m->overall, progress,
						  m->nfunctions);
	}
	out->percent_to_target = sum_span == 0 ? 1.0
		: clamp01(1.0 - sum_gap / (double)sum_span);
	return 0;
}
