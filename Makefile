# Makefile: builds build/cxm, its tests, fuzz targets and static assets.
# `make run` and `make test` are the two commands a newcomer needs.

CC      := gcc
FUZZCC  := clang
PKGS    := libmicrohttpd jansson sqlite3 libsodium libpq libfyaml
VERSION := $(shell cat VERSION)

WARN    := -Wall -Wextra -Werror -Wformat=2 -Wshadow
CPPFLAGS_ALL := -Isrc -D_GNU_SOURCE -DCXM_VERSION='"$(VERSION)"'
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS  ?= -O2 -g
ALL_CFLAGS := -std=c11 $(WARN) $(CFLAGS) $(CPPFLAGS_ALL) $(PKG_CFLAGS) -MMD -MP
LIBS    := $(PKG_LIBS) -lpthread -lm

ASAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
              -fno-sanitize-recover=undefined

SRC      := $(sort $(shell find src -name '*.c'))
LIB_SRC  := $(filter-out src/main.c,$(SRC))
MIGRATIONS_SQLITE := $(sort $(wildcard src/store/migrations/sqlite/*.sql))
MIGRATIONS_PG := $(sort $(wildcard src/store/migrations/pg/*.sql))
GEN_SRC  := build/gen/migrations-sqlite.c build/gen/migrations-pg.c
UNIT_SRC := $(sort $(wildcard tests/unit/test-*.c))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz-*.c))

OBJ       := $(patsubst %.c,build/obj/%.o,$(LIB_SRC) $(GEN_SRC))
ASAN_OBJ  := $(patsubst %.c,build/asan/obj/%.o,$(LIB_SRC) $(GEN_SRC))
FUZZ_OBJ  := $(patsubst %.c,build/fuzz/obj/%.o,$(LIB_SRC) $(GEN_SRC))
UNIT_BIN  := $(patsubst tests/unit/%.c,build/tests/%,$(UNIT_SRC))
ASAN_UNIT_BIN := $(patsubst tests/unit/%.c,build/asan/tests/%,$(UNIT_SRC))
FUZZ_BIN  := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(FUZZ_SRC))

USWDS_DIST := node_modules/@uswds/uswds/dist
STATIC_SRC := $(shell find static -type f 2>/dev/null)

# Quiet by default; `make V=1` shows every command.
ifeq ($(V),1)
Q :=
say = @true
else
Q := @
say = @printf '  %-6s %s\n' $(1) $(2)
endif

.PHONY: all asan setup static run test test-asan unit fuzz-build fuzz clean

all: build/cxm static

setup:
	@scripts/setup

# --- generated sources -------------------------------------------------
build/gen/migrations-sqlite.c: scripts/embed-migrations $(MIGRATIONS_SQLITE)
	@mkdir -p $(@D)
	$(call say,GEN,$@)
	$(Q)scripts/embed-migrations store_sqlite_migrations $(MIGRATIONS_SQLITE) > $@.tmp
	$(Q)mv $@.tmp $@

build/gen/migrations-pg.c: scripts/embed-migrations $(MIGRATIONS_PG)
	@mkdir -p $(@D)
	$(call say,GEN,$@)
	$(Q)scripts/embed-migrations store_pg_migrations $(MIGRATIONS_PG) > $@.tmp
	$(Q)mv $@.tmp $@

# --- the program --------------------------------------------------------
build/obj/%.o: %.c
	@mkdir -p $(@D)
	$(call say,CC,$<)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

build/libcxm.a: $(OBJ)
	@rm -f $@
	$(call say,AR,$@)
	$(Q)ar rcs $@ $^

build/cxm: build/obj/src/main.o build/libcxm.a
	$(call say,LINK,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS)

# --- AddressSanitizer + UndefinedBehaviorSanitizer build ---------------
build/asan/obj/%.o: %.c
	@mkdir -p $(@D)
	$(call say,CC,$< [asan])
	$(Q)$(CC) $(filter-out -O2,$(ALL_CFLAGS)) $(ASAN_FLAGS) -c $< -o $@

build/asan/libcxm.a: $(ASAN_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

build/asan/cxm: build/asan/obj/src/main.o build/asan/libcxm.a
	$(call say,LINK,$@)
	$(Q)$(CC) $(ASAN_FLAGS) -o $@ $^ $(LIBS)

asan: build/asan/cxm $(ASAN_UNIT_BIN) static
	@ln -sfn ../static build/asan/static

# --- static assets: cxm's own plus USWDS from the npm package ----------
static: build/static/.stamp

build/static/.stamp: $(STATIC_SRC) package-lock.json | $(USWDS_DIST)
	@mkdir -p build/static
	$(call say,COPY,build/static)
	$(Q)cp -R static/. build/static/
	$(Q)rm -rf build/static/uswds
	$(Q)mkdir -p build/static/uswds
	$(Q)cp -R $(USWDS_DIST)/css $(USWDS_DIST)/js $(USWDS_DIST)/fonts \
	      $(USWDS_DIST)/img build/static/uswds/
	@touch $@

$(USWDS_DIST):
	@scripts/setup

# --- unit tests (cmocka) -------------------------------------------------
build/tests/%: tests/unit/%.c build/libcxm.a
	@mkdir -p $(@D)
	$(call say,TEST,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< build/libcxm.a $(LIBS) -lcmocka

build/asan/tests/%: tests/unit/%.c build/asan/libcxm.a
	@mkdir -p $(@D)
	$(call say,TEST,$@)
	$(Q)$(CC) $(filter-out -O2,$(ALL_CFLAGS)) $(ASAN_FLAGS) -Itests/unit -o $@ $< \
	      build/asan/libcxm.a $(LIBS) -lcmocka

unit: $(UNIT_BIN)

# --- fuzz targets (libFuzzer) --------------------------------------------
FUZZ_CFLAGS := -std=c11 -g -O1 $(CPPFLAGS_ALL) $(PKG_CFLAGS) \
               -fsanitize=fuzzer-no-link,address,undefined -MMD -MP

build/fuzz/obj/%.o: %.c
	@mkdir -p $(@D)
	$(call say,CC,$< [fuzz])
	$(Q)$(FUZZCC) $(FUZZ_CFLAGS) -c $< -o $@

build/fuzz/%: tests/fuzz/%.c $(FUZZ_OBJ)
	@mkdir -p $(@D)
	$(call say,FUZZ,$@)
	$(Q)$(FUZZCC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< \
	          $(filter-out build/fuzz/obj/src/main.o,$(FUZZ_OBJ)) $(LIBS)

.SECONDARY: $(FUZZ_OBJ)

fuzz-build: $(FUZZ_BIN)

# Longer fuzzing than the test suite does: make fuzz FUZZ_SECONDS=300
FUZZ_SECONDS ?= 60
fuzz: fuzz-build
	@for f in $(FUZZ_BIN); do \
	  name=$$(basename $$f); mkdir -p build/fuzz/corpus/$$name; \
	  echo "== $$name for $(FUZZ_SECONDS)s"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) build/fuzz/corpus/$$name \
	      tests/fuzz/corpus/$$name || exit 1; \
	done

# --- the two commands ------------------------------------------------------
run: setup all
	@test -f cxm.db || build/cxm init --db cxm.db --demo
	build/cxm serve --db cxm.db

test: setup all unit fuzz-build
	@scripts/run-tests

test-asan: setup asan
	@scripts/run-tests --asan

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
