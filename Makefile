# runbook — build, test, demo and benchmarks.
#   make demo   set up what is missing, build, and show the bundled runbooks
#   make test   set up what is missing, build, and run every test
#   make bench  release build, then the benchmarks (figures printed as ratios against a baseline)

SWIFT ?= swift
BIN := .build/debug/runbook
# The release binary links the Swift runtime statically: a quarter less start-up (fewer libraries to map).
RELEASE_BIN := .build-static/release/runbook

.PHONY: all setup build release test demo bench clean

all: build

setup:
	@scripts/setup

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release --static-swift-stdlib --scratch-path .build-static --product runbook

test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --parallel

demo: setup build
	@scripts/demo

bench: setup release
	$(SWIFT) build -c release --product runbook-bench
	.build/release/runbook-bench $(RELEASE_BIN) runbooks

clean:
	rm -rf .build .build-static
