# UX-Flow-Engine. `make run` and `make test` are all a fresh Debian 12 machine needs.
BUILD := build/release
JOBS ?= $(shell nproc)

.PHONY: deps build run test bench fmt fmt-check clean

deps:
	scripts/install-deps.sh

build: deps
	cmake --preset release >/dev/null
	cmake --build $(BUILD) -j $(JOBS) --target uxflow

run: build
	$(BUILD)/src/app/uxflow serve

test: deps
	scripts/run-tests.sh

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
