# agentkb: a static knowledge-base site generator for AI agent collections.
#
# CHANGE THE SETTINGS BELOW (or override them: make CC=clang LUA_PKG=lua54).
CC        ?= cc
PKG_CONFIG ?= pkg-config
LUA_PKG   ?= lua5.4
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
DATADIR   ?= $(PREFIX)/share/agentkb
OPT       ?= -O2 -g
WERROR    ?=
SANITIZE  ?=
CONTENT   ?= content
OUT       ?= public
# make fuzz: seconds per target, the compiler with libFuzzer, and which targets (default: all).
SECONDS   ?= 60
FUZZ_CC   ?= clang
TARGETS   ?=

PKGS := libcmark-gfm yaml-0.1 $(LUA_PKG) libpcre2-8 libarchive jansson libmicrohttpd
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null || echo "-lcmark-gfm -lcmark-gfm-extensions -lyaml -llua5.4 -lpcre2-8 -larchive -ljansson -lmicrohttpd")

WARNINGS := -std=c11 -Wall -Wextra -pedantic -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wwrite-strings -Wno-unused-parameter
ifneq ($(WERROR),)
WARNINGS += -Werror
endif
ifneq ($(SANITIZE),)
OPT := -O1 -g -fno-omit-frame-pointer
SAN_FLAGS := -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all
endif
# FUZZ=1 (set by make fuzz): the library for libFuzzer, instrumented, with clang into build-fuzz/.
ifneq ($(FUZZ),)
override CC := $(FUZZ_CC)
OPT := -O1 -g -fno-omit-frame-pointer
SAN_FLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
endif

AKB_CFLAGS := $(OPT) -DAKB_DATADIR=\"$(DATADIR)\" $(WARNINGS) $(SAN_FLAGS) -Iinclude -Isrc $(PKG_CFLAGS) -MMD -MP -pthread
AKB_LDFLAGS := $(SAN_FLAGS) -pthread
AKB_LIBS := $(PKG_LIBS) -lm

BUILD := build$(if $(FUZZ),-fuzz,$(if $(SANITIZE),-san))
# The pipeline's stages sit at the top of src/; each subsystem has its folder.
LIB_SRC := $(filter-out src/main.c,$(wildcard src/*.c src/*/*.c))
# The single-file bundle's runtime (src/bundle/bundle_runtime.js) is compiled in as a
# C string, so `agentkb bundle` works whatever theme or install layout is used.
GEN_OBJ := $(BUILD)/obj/gen/bundle_runtime.o $(BUILD)/obj/gen/default_theme.o
LIB_OBJ := $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o) $(GEN_OBJ)
UNIT_SRC := $(wildcard tests/unit/*.c)
UNIT_OBJ := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%.o)
BIN := $(BUILD)/agentkb
# Agreement with the `highlight` program (tests/suites/highlight.sh; scripts/bench.sh runs it with --bench).
HL_AGREE := $(BUILD)/highlight-agreement
# Fuzz targets (tests/fuzz/fuzz_NAME.c): libFuzzer binaries in build-fuzz/ (make fuzz), and in
# every build a replay binary per target that runs the saved inputs (tests/suites/fuzz.sh).
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SUPPORT := $(BUILD)/fuzz/util.o
FUZZ_REPLAY := $(FUZZ_NAMES:%=$(BUILD)/fuzz/replay-%)
FUZZ_BINS := $(FUZZ_NAMES:%=$(BUILD)/fuzz/fuzz-%)
# Kept for the next link (make would delete them as intermediate files).
.SECONDARY: $(FUZZ_NAMES:%=$(BUILD)/fuzz/fuzz_%.o) $(BUILD)/fuzz/replay.o $(FUZZ_SUPPORT)

.PHONY: all site test bench clean install uninstall asan deps golden-update lint fuzz fuzz-build valgrind

all: $(BIN)

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(AKB_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/gen/bundle_runtime.c: src/bundle/bundle_runtime.js scripts/embed.sh
	@mkdir -p $(dir $@)
	sh scripts/embed.sh akb_bundle_runtime_js <src/bundle/bundle_runtime.js >$@

# The default theme is compiled in too, for a binary copied on its own (src/template/theme.c).
THEME_FILES := $(shell find themes/default -type f ! -name '.*')
$(BUILD)/gen/default_theme.c: $(THEME_FILES) scripts/embed-theme.sh
	@mkdir -p $(dir $@)
	sh scripts/embed-theme.sh akb_default_theme themes/default >$@

# A whole file in one string literal is longer than ISO C promises to support; gcc and clang take it.
$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(AKB_CFLAGS) -Wno-overlength-strings $(CFLAGS) -c $< -o $@

$(BUILD)/tests/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(CC) $(AKB_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/tests/tools/%.o: tests/tools/%.c
	@mkdir -p $(dir $@)
	$(CC) $(AKB_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/libagentkb.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/obj/main.o $(BUILD)/libagentkb.a
	$(CC) $(AKB_LDFLAGS) $(LDFLAGS) -o $@ $^ $(AKB_LIBS)

$(BUILD)/unit-tests: $(UNIT_OBJ) $(BUILD)/libagentkb.a
	$(CC) $(AKB_LDFLAGS) $(LDFLAGS) -o $@ $^ $(AKB_LIBS)

$(HL_AGREE): $(BUILD)/tests/tools/highlight-agreement.o $(BUILD)/libagentkb.a
	$(CC) $(AKB_LDFLAGS) $(LDFLAGS) -o $@ $^ $(AKB_LIBS)

$(BUILD)/fuzz/%.o: tests/fuzz/%.c
	@mkdir -p $(dir $@)
	$(CC) $(AKB_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/fuzz/replay-%: $(BUILD)/fuzz/fuzz_%.o $(BUILD)/fuzz/replay.o $(FUZZ_SUPPORT) $(BUILD)/libagentkb.a
	$(CC) $(AKB_LDFLAGS) $(LDFLAGS) -o $@ $^ $(AKB_LIBS)

$(BUILD)/fuzz/fuzz-%: $(BUILD)/fuzz/fuzz_%.o $(FUZZ_SUPPORT) $(BUILD)/libagentkb.a
	$(CC) -fsanitize=fuzzer,address,undefined -pthread $(LDFLAGS) -o $@ $^ $(AKB_LIBS)

# Installs what is missing to build and test (as root, through apt-get;
# npm ci for the browser tests), then builds the bundled sample knowledge
# base into $(OUT)/.
site: deps
	$(MAKE) $(BIN)
	$(BIN) build $(CONTENT) -o $(OUT)
	@echo "open $(abspath $(OUT))/index.html"

deps:
	@sh scripts/install-deps.sh test

# Runs every suite; installs nothing (make deps, or make site, does).
test: $(BIN) $(BUILD)/unit-tests $(HL_AGREE) $(FUZZ_REPLAY)
	@sh scripts/run-tests.sh $(BUILD)

bench: $(BIN) $(HL_AGREE)
	@sh scripts/bench.sh $(BUILD)

asan:
	$(MAKE) SANITIZE=1 test

# Runs each fuzz target for SECONDS (TARGETS="markdown template" for some) with ASan and
# UBSan, from the saved corpora and seeds made from ../shared/corpora and tests/fixtures
# (scripts/fuzz.sh; it needs clang and its libFuzzer runtime, Debian's libclang-rt-14-dev).
fuzz: $(BIN)
	$(MAKE) FUZZ=1 fuzz-build
	@sh scripts/fuzz.sh build-fuzz $(SECONDS) $(BIN) $(TARGETS)

fuzz-build: $(FUZZ_BINS)

# The sample site, the hooks fixtures and every shared collection under valgrind (scripts/valgrind.sh).
valgrind: $(BIN)
	@sh scripts/valgrind.sh $(BUILD)

golden-update: $(BIN)
	@sh scripts/golden-update.sh $(BUILD)

lint:
	clang-tidy $(LIB_SRC) src/main.c -- $(AKB_CFLAGS)

install: $(BIN)
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/themes
	cp $(BIN) $(DESTDIR)$(BINDIR)/agentkb
	cp -R themes/default $(DESTDIR)$(DATADIR)/themes/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/agentkb
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-san build-dev build-fuzz public .public.tmp-*

-include $(LIB_OBJ:.o=.d) $(UNIT_OBJ:.o=.d) $(BUILD)/obj/main.d $(BUILD)/tests/tools/highlight-agreement.d
-include $(wildcard $(BUILD)/fuzz/*.d)
