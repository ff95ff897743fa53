/* model.h: a maturity model in memory: levels, answer scales, functions with
 * their indicators and tactics, and the scoring rules (the file format is in
 * docs/model-format.md; core/model-load.h reads it). */
#ifndef CXM_MODEL_H
#define CXM_MODEL_H

#include <stddef.h>

enum { MODEL_LEVELS_MAX = 10 };

enum model_method { MODEL_GATED, MODEL_AVERAGE };
enum model_overall { MODEL_OVERALL_MIN, MODEL_OVERALL_MEAN,
		     MODEL_OVERALL_MEDIAN };
enum model_phase { MODEL_READY, MODEL_SET, MODEL_GROW };

struct model_level {
	int n;                       /* 1..nlevels, in order */
	const char *key, *name, *summary;
};

struct model_option {
	const char *value, *label;
	double weight;               /* 0..1 */
};

/* A named answer set.  "Don't know" is always offered in addition and
 * carries no weight, so it is not listed here. */
struct model_scale {
	const char *key;
	const struct model_option *options;
	size_t noptions;
};

struct model_indicator {
	const char *key;
	int level;                   /* 2..nlevels */
	const char *text, *help, *evidence_hint;
	const struct model_scale *scale;
};

struct model_tactic {
	int from_level, to_level;    /* to_level == from_level + 1 */
	enum model_phase phase;
	const char *text;
	const char *const *resources; /* library ids */
	size_t nresources;
};

struct model_function {
	const char *key, *name, *summary;
	const char *const *level_descriptions; /* nlevels entries */
	int default_target;          /* 1..nlevels; 0: the model default (3) */
	const struct model_indicator *indicators;
	size_t nindicators;
	const struct model_tactic *tactics;
	size_t ntactics;
};

/* One entry of a level's crosswalk: the level another model gives it
 * (level 3, "gsa" -> "Strategic").  Kept outside model_level so that
 * level initializers stay short. */
struct model_crosswalk {
	int level;                   /* 1..nlevels */
	const char *system, *value;
};

struct model {
	const char *id, *version, *title, *description, *source, *license;
	const struct model_level *levels;
	int nlevels;
	const struct model_scale *scales;
	size_t nscales;
	const struct model_function *functions;
	size_t nfunctions;
	enum model_method method;
	double threshold;            /* gated: a level passes at >= this */
	enum model_overall overall;
	const struct model_crosswalk *crosswalk; /* level by level, in file order */
	size_t ncrosswalk;
	const char *const *languages; /* keys of `translations` (not applied yet) */
	size_t nlanguages;
};

#endif
