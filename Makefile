# UX-Flow-Engine. `make run` and `make test` are all a fresh Debian 12 machine needs.
BUILD := build/release
JOBS ?= $(shell nproc)

.PHONY: deps build run test test-sanitize bench fmt fmt-check clean

deps:
	scripts/install-deps.sh
	scripts/fetch-models.sh

build: deps
	cmake --preset release >/dev/null
	cmake --build $(BUILD) -j $(JOBS) --target uxflow

run: build
	@[ -s "$${UXFLOW_DATA_DIR:-./var}/wink-sg-100d-sif-1.vectors" ] || [ -n "$$UXFLOW_VECTORS_FILE" ] || \
	  $(BUILD)/src/app/uxflow admin import-vectors
	$(BUILD)/src/app/uxflow serve

# The release build's tests on SQLite and PostgreSQL, then the fuzzers' smoke runs (built in build/sanitize).
# TEST_FLAGS=--also-sanitize adds the ASan/UBSan round in that same tree (what CI runs); see scripts/run-tests.sh.
test: deps
	scripts/run-tests.sh $(TEST_FLAGS)

# The C++ unit and integration tests built with clang 14, ASan + UBSan (LeakSanitizer included) in build/sanitize,
# the tree the fuzzers use, on SQLite and PostgreSQL.
test-sanitize: deps
	scripts/run-tests.sh --sanitize

bench: deps
	cmake --preset release >/dev/null
	cmake --build $(BUILD) -j $(JOBS)
	bench/run.sh

fmt:
	find src tests bench -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

fmt-check:
	find src tests bench -name '*.cpp' -o -name '*.hpp' | xargs clang-format --dry-run --Werror

clean:
	rm -rf build
