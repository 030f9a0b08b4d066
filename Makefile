# runbook — build, test, demo and benchmarks.
#   make demo   set up what is missing, build, and show the bundled runbooks
#   make test   set up what is missing, build, and run every test
#   make bench  release build, then the benchmarks (figures printed as ratios against a baseline)
#   make timeline-pdf INCIDENT=ID [OUT=FILE]  the incident's HTML timeline printed to PDF by headless Chromium

SWIFT ?= swift
BIN := .build/debug/runbook
# The release binary links the Swift runtime statically (fewer libraries to map) and, unless PIE=1, at a fixed
# address: a position-independent one spends ~2 ms of every start relocating some 118,000 pointers (runbook
# --version 5.6 -> 3.6 ms here). Shared libraries are placed at random either way; `make release PIE=1` keeps the
# executable's own address randomised too (deploy/Containerfile builds `runbook serve` that way).
# It also takes libstdc++ and SQLite from their static archives when they are installed (scripts/static-libs): two
# shared libraries fewer for ld.so to map and relocate at every start (~0.7 ms).
# Two more flags, each measured (docs/decisions.md, "Where exec's time goes"): the executable exports no dynamic
# symbols (--no-export-dynamic; nothing loads against it, and the Swift runtime's backtracer set-up calls dladdr at
# every start, which scanned all 30,000 of them: ~0.3 ms), and the compiler refers to generic type metadata with
# direct accessors instead of mangled names (the runtime otherwise demangles each name and scans every protocol
# conformance of the binary at its first use: ~1.3 ms of a 20-step exec).
RELEASE_BIN := .build-static/release/runbook
STATIC_LIBS := $(CURDIR)/.build-static/static-libs
RELEASE_LINK := $(if $(PIE),,-Xlinker -no-pie) -Xlinker --no-export-dynamic -Xlinker -L$(STATIC_LIBS)
RELEASE_SWIFTC := -Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors

.PHONY: all setup build release test demo bench timeline-pdf clean

all: build

setup:
	@scripts/setup

build:
	$(SWIFT) build

release:
	@scripts/static-libs $(STATIC_LIBS)
	PKG_CONFIG_PATH=$(STATIC_LIBS) $(SWIFT) build -c release --static-swift-stdlib --scratch-path .build-static \
		--product runbook $(RELEASE_LINK) $(RELEASE_SWIFTC)

test: setup
	@scripts/check-imports
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --parallel

demo: setup build
	@scripts/demo

bench: setup release
	$(SWIFT) build -c release --product runbook-bench
	.build/release/runbook-bench $(RELEASE_BIN) runbooks

timeline-pdf: build
	@test -n "$(INCIDENT)" || { echo "usage: make timeline-pdf INCIDENT=ID [OUT=FILE]" >&2; exit 2; }
	@command -v chromium >/dev/null || { echo "chromium is not installed: run scripts/setup" >&2; exit 1; }
	$(BIN) timeline --incident "$(INCIDENT)" --format html --out "$(CURDIR)/.build/timeline-$(INCIDENT).html"
	chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
		--print-to-pdf="$(or $(OUT),timeline-$(INCIDENT).pdf)" "file://$(CURDIR)/.build/timeline-$(INCIDENT).html"

clean:
	rm -rf .build .build-static
