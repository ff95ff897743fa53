/* scoring.h: every result cxm shows, computed from a model and ratings,
 * exactly as DESIGN.md "Scoring" defines (pure; no I/O). */
#ifndef CXM_SCORING_H
#define CXM_SCORING_H

#include <stdbool.h>
#include <stddef.h>

#include "core/model.h"
#include "util/arena.h"

/* A participant's answer to one indicator: the weight of the option they
 * chose, or dont_know (then weight is ignored). */
struct score_rating {
	double weight;
	bool dont_know;
};

/* Everything known about one indicator of an assessment. */
struct score_input {
	const struct score_rating *ratings;
	size_t nratings;
	bool has_consensus;          /* the facilitator recorded the group's answer */
	struct score_rating consensus;
};

/* Results per indicator.  NAN-free: "absent" is a flag, not a number. */
struct indicator_result {
	bool scored;                 /* false: no usable rating, no consensus */
	double score;                /* mean weight, or the consensus weight */
	size_t nrated;               /* ratings other than "don't know" */
	bool has_agreement;          /* nrated >= 2 */
	double agreement;            /* 1 - 2 x population sd of the weights, in [0,1] */
	bool needs_discussion;       /* has_agreement and agreement < 0.6 */
};

struct function_result {
	/* level_score[L] for L in 2..nlevels; scored_level[L] false when the
	 * model has indicators at L but none is scored; has_level[L] false
	 * when the model has no indicator at L. */
	double level_score[MODEL_LEVELS_MAX + 1];
	bool scored_level[MODEL_LEVELS_MAX + 1];
	bool has_level[MODEL_LEVELS_MAX + 1];
	int level;                   /* 1..nlevels */
	double progress;             /* level + share of the next level met */
	bool incomplete;             /* gated climb stopped at an unscored level */
	int target;                  /* 1..nlevels */
	double gap;                  /* max(0, target - progress) */
};

struct assessment_result {
	struct indicator_result *indicators;  /* per function, per indicator */
	struct function_result *functions;    /* model->nfunctions entries */
	int overall_level;           /* floor of the aggregate of levels */
	double overall_progress;     /* the same aggregate of progress values */
	double percent_to_target;    /* 1 - sum(gap) / sum(target - 1); 1 when every target is 1 */
	size_t ndiscussion;          /* indicators that need discussion */
};

/* Scores one indicator. */
void score_indicator(const struct score_input *in, struct indicator_result *out);

/* Scores a whole assessment.  inputs holds one score_input per indicator,
 * function by function in model order (sum of nindicators entries).
 * targets holds one target per function (0: the function's default, else
 * the model's 3, clamped to 1..nlevels); NULL means all defaults.  Result
 * arrays come from arena a.  Returns 0, or ERR_NOMEM, or ERR_INVALID when
 * the model has no levels or more than MODEL_LEVELS_MAX, an indicator's
 * level is outside 2..nlevels, or model, result or inputs are missing. */
int score_assessment(const struct model *m, const struct score_input *inputs,
		     const int *targets, struct arena *a,
		     struct assessment_result *out);

#endif
