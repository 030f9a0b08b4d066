# runbook — build, test, demo and benchmarks.
#   make demo   set up what is missing, build, and show the bundled runbooks
#   make test   set up what is missing, build, and run every test
#   make bench  release build, then the benchmarks (figures printed as ratios against a baseline)

SWIFT ?= swift
BIN := .build/debug/runbook
RELEASE_BIN := .build/release/runbook

.PHONY: all setup build release test demo bench clean

all: build

setup:
	@scripts/setup

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release

test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --parallel

demo: setup build
	@scripts/demo

bench: setup
	$(SWIFT) build -c release --product runbook
	$(SWIFT) build -c release --product runbook-bench
	.build/release/runbook-bench $(RELEASE_BIN) runbooks

clean:
	rm -rf .build
