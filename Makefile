# paperboy: the two quick-start commands and a few helpers.
#   make run      install what is missing, build paperboy alone (not the tests), and run
#                 today's edition into ./out; only paperboy's own output is shown
#   make test     install what is missing, build, and run every test, then again
#                 under AddressSanitizer + UndefinedBehaviorSanitizer, then the unit
#                 tests under valgrind (0 errors, 0 definite leaks), then fuzzes each
#                 parser briefly (FUZZ_SECONDS, default 20 s a target; fuzz/run)
#   make install  build and install under PREFIX (default /usr/local), with DESTDIR
#                 for staging: make install PREFIX=$HOME/.local
#   make fuzz     every libFuzzer target for FUZZ_SECONDS (default 600), two at a time
#   make bench    the performance table (bench/run)
#   make deb      the Debian package build/paperboy_VERSION_ARCH.deb (CPack), for
#                 sudo apt install ./build/paperboy_*.deb

JOBS ?= $(shell nproc 2>/dev/null || echo 2)
ARGS ?= --out out
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPAPERBOY_WERROR=ON
PREFIX ?= /usr/local
DESTDIR ?=

# No "Entering directory" lines from the sub-makes cmake runs.
MAKEFLAGS += --no-print-directory

.PHONY: all deps build build-asan configure paperboy run install deb test test-release test-asan test-valgrind test-fuzz fuzz bench clean

all: build

deps:
	@scripts/deps.sh

build: deps
	@cmake -S . -B build $(CMAKE_FLAGS) >/dev/null
	@cmake --build build -j $(JOBS)

build-asan: deps
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DPAPERBOY_SANITIZE=ON -DPAPERBOY_WERROR=ON >/dev/null
	@cmake --build build-asan -j $(JOBS)

configure: deps
	@cmake -S . -B build $(CMAKE_FLAGS) >/dev/null

# The binary alone, quietly: the build's output only when it fails.
paperboy: configure
	@cmake --build build -j $(JOBS) --target paperboy >build/make-run.log 2>&1 || \
	  { cat build/make-run.log; echo "make: the build failed (log: build/make-run.log)" >&2; exit 1; }

run: paperboy
	@./build/paperboy run $(ARGS)

install: paperboy
	@DESTDIR="$(DESTDIR)" cmake --install build --prefix "$(PREFIX)" >/dev/null
	@echo "installed $(DESTDIR)$(PREFIX)/bin/paperboy"

# The binary and the man page only (not the tests), then CPack into build/.
deb: configure
	@cmake --build build -j $(JOBS) --target paperboy paperboy_man paperboy_changelog
	@cd build && cpack -G DEB >cpack.log 2>&1 || { cat cpack.log; echo "make: cpack failed (log: build/cpack.log)" >&2; exit 1; }
	@ls build/paperboy_*.deb

test: test-release test-asan test-valgrind test-fuzz

test-release: build
	cd build && ctest --output-on-failure -j $(JOBS)

test-asan: build-asan
	cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j $(JOBS)

# valgrind sees what the sanitizers cannot (uninitialised reads in libraries, leaks of an
# uninstrumented build): every unit test and every fuzz corpus replay, two at a time; a log
# per test in build/valgrind/.
VALGRIND = valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	--suppressions=$(CURDIR)/tests/valgrind.supp

test-valgrind: build
	@mkdir -p build/valgrind
	@cd build/tests && ls | grep '^test_' | xargs -P $(JOBS) -I{} sh -c \
	  '$(VALGRIND) ./{} >../valgrind/{}.log 2>&1 && echo "valgrind: {} clean" || \
	   { echo "valgrind: {} FAILED (build/valgrind/{}.log):"; cat ../valgrind/{}.log; exit 255; }'
	@cd build/fuzz && ls | sed -n 's/^fuzz_replay_//p' | xargs -P $(JOBS) -I{} sh -c \
	  '$(VALGRIND) ./fuzz_replay_{} $(CURDIR)/fuzz/corpus/{} >../valgrind/fuzz_{}.log 2>&1 && \
	   echo "valgrind: fuzz corpus {} clean" || \
	   { echo "valgrind: fuzz corpus {} FAILED (build/valgrind/fuzz_{}.log):"; cat ../valgrind/fuzz_{}.log; exit 255; }'

# The short fuzz of every run, a crash fails it: deterministic (a fixed seed, from the
# corpus in git alone), so CI fails on a bug a change brings, never on a chance find; the
# long runs of make fuzz look for new ones. The replay of each corpus (CTest fuzz/NAME) is
# part of test-release, test-asan and test-valgrind.
test-fuzz: deps
	@fuzz/run --ci --seconds $${FUZZ_SECONDS:-20}

fuzz: deps
	@FUZZ_SECONDS=$${FUZZ_SECONDS:-600} fuzz/run --keep-going

bench: build
	bench/run

clean:
	rm -rf build build-asan build-fuzz
