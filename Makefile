# The README's two commands: `make demo` and `make test`.
# `make release-check` adds what only a release needs (cargo semver-checks).
SHELL := /bin/bash
CARGO ?= cargo
# Every cargo run sees the same CC (tests/install/run is given CC; ring's
# build script reruns when CC changes, and everything above ring with it).
export CC
OUT := target/release
MOCK := $(OUT)/atlas-admin-mock
BUILD := target/c
PREFIX ?= /usr/local
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
SONAME := libatlas_admin.so.0

CFLAGS := -std=c99 -Wall -Wextra -Werror -pedantic -g -Iinclude
CXXFLAGS := -std=c++17 -Wall -Wextra -Werror -pedantic -g -Iinclude
LINK := -L$(OUT) -Wl,-rpath,$(CURDIR)/$(OUT) -latlas_admin
SCAN := target/secret-scan
# Secrets the tests use (private keys and service account secrets, right and
# deliberately wrong ones, the password of the tests' proxy), the prefix of
# every token the mock issues and the first group of every private key it
# creates (PRIVATE_KEY_MARKER); no log
# line, error message or repr written during `make test` may contain them.
TEST_PRIVATE_KEYS := 0c1b7a3e-d7f4-4c4c-9d5a-e1b2c3d4e5f6 ffffffff-0000-4000-8000-wrongprivate \
	ffffffff-wrong-private-key-0000 00000000-0000-4000-8000-mockprivate0 \
	mdb_sa_sk_0c1b7a3e-service-account-secret mdb_sa_sk_ffffffff-wrong-secret \
	mdb_sa_sk_00000000-0000-4000-8000-mocksecret0 mock-access-token- 6d6f636b- \
	tinyproxy-pass-5e0c7b1d
export ATLAS_SECRET_SCAN_DIR := $(CURDIR)/$(SCAN)
# The Apache httpd Digest tests (Rust, C, Python) fail rather than skip when
# Apache is missing (scripts/install-deps installs it).
export ATLAS_REQUIRE_APACHE ?= 1
# Likewise the tests through a real proxy (tinyproxy, scripts/tinyproxy).
export ATLAS_REQUIRE_TINYPROXY ?= 1
ASAN := -fsanitize=address,undefined -fno-omit-frame-pointer
VALGRIND := valgrind --quiet --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite --show-leak-kinds=definite

VENV := target/venv
PYTHON_BINDINGS := bindings/python
WHEELS := target/wheels
WHEEL_TOOLS := target/wheel-tools
WHEEL_VENV := target/wheel-venv
MATURIN_VERSION := 1.16.0
ZIGLANG_VERSION := 0.17.1

BENCH_BIN := target/bench/bin
BENCH_VENV := target/bench-venv
BENCH_CFLAGS := $(CFLAGS) -O2

.PHONY: all deps demo-deps demo-build demo-python build header demo python python-stubs test release-check scan-reset check-secrets lint test-rust test-c test-python test-apache test-proxy soak wheel test-wheel test-install test-packaging test-cpp test-pristine test-bench bench bench-venv install clean docs test-docs

all: build

deps:
	@scripts/install-deps test

demo-deps:
	@scripts/install-deps demo

# cargo decides what is stale; the SONAME link lets programs linked here run here.
build: deps
	$(CARGO) build --release --workspace
	ln -sf libatlas_admin.so $(OUT)/$(SONAME)

# Refreshes include/atlas_admin.h from src/capi (tests/header.rs checks it).
header:
	ATLAS_ADMIN_WRITE_HEADER=1 $(CARGO) build --release

$(BUILD):
	mkdir -p $@

$(BUILD)/%: examples/%.c build | $(BUILD)
	$(CC) $(CFLAGS) $< $(LINK) -o $@

# The C test programs against the mock: each is run plainly, under valgrind
# and built with ASan/UBSan (the _asan twin).
C_TEST_SUPPORT := tests/c/support.c tests/c/mock_control.c tests/c/canned_server.c
C_TEST_HEADERS := tests/c/check.h tests/c/support.h tests/c/mock_control.h tests/c/canned_server.h include/atlas_admin.h
C_MOCK_TESTS := test_delete test_call test_api_keys test_rate_limit test_process

$(BUILD)/test_%: tests/c/test_%.c $(C_TEST_SUPPORT) $(C_TEST_HEADERS) build | $(BUILD)
	$(CC) $(CFLAGS) $< $(C_TEST_SUPPORT) $(LINK) -lpthread -o $@

$(BUILD)/test_%_asan: tests/c/test_%.c $(C_TEST_SUPPORT) $(C_TEST_HEADERS) build | $(BUILD)
	$(CC) $(CFLAGS) $(ASAN) $< $(C_TEST_SUPPORT) $(LINK) -lpthread -o $@

$(BUILD)/test_apache: tests/c/test_apache.c tests/c/support.c tests/c/check.h tests/c/support.h build | $(BUILD)
	$(CC) $(CFLAGS) $< tests/c/support.c $(LINK) -lpthread -o $@

# The proxy tests' TLS target: the mock's HTTPS listener, with a certificate
# from a CA made for the run (scripts/test-ca).
TEST_CA := $(BUILD)/test-ca
PROXY_MOCK := $(MOCK) --tls-cert $(TEST_CA)/server.pem --tls-key $(TEST_CA)/server-key.pem

$(BUILD)/header_cpp: tests/c/header_cpp.cpp build | $(BUILD)
	$(CXX) $(CXXFLAGS) $< $(LINK) -o $@

# `make demo` builds only what it shows, and in the dev profile (target/debug):
# the release profile's optimisation doubles the compile time of a fresh
# clone (rustls alone takes 40 s) and a demo deleting a few keys gains nothing
# from it. One cargo build of the workspace is exactly the library (cdylib), the
# command line and the mock; the Python package is then built from source by
# pip (maturin) in the same target directory and profile, so it compiles only
# what differs in its own workspace (the core without its C ABI, pyo3, the
# extension), and its venv holds no test tools. Without debug info and
# incremental data (neither is any use to a demo) the build takes a quarter
# less CPU time.
DEMO_OUT := target/debug
DEMO_MOCK := $(DEMO_OUT)/atlas-admin-mock
DEMO_CLI := $(DEMO_OUT)/atlas-admin
DEMO_BUILD := target/demo
DEMO_VENV := target/demo-venv
DEMO_LINK := -L$(DEMO_OUT) -Wl,-rpath,$(CURDIR)/$(DEMO_OUT) -latlas_admin

demo demo-build demo-python: export CARGO_PROFILE_DEV_DEBUG := 0
demo demo-build demo-python: export CARGO_INCREMENTAL := 0

demo-build: demo-deps
	$(CARGO) build --workspace
	ln -sf libatlas_admin.so $(DEMO_OUT)/$(SONAME)

$(DEMO_BUILD):
	mkdir -p $@

$(DEMO_BUILD)/delete_org_api_key: examples/delete_org_api_key.c demo-build | $(DEMO_BUILD)
	$(CC) $(CFLAGS) $< $(DEMO_LINK) -o $@

$(DEMO_BUILD)/delete_org_api_key_cpp: examples/delete_org_api_key.cpp bindings/cpp/atlas_admin.hpp demo-build | $(DEMO_BUILD)
	$(CXX) $(CXXFLAGS) -Ibindings/cpp $< $(DEMO_LINK) -o $@

demo-python: demo-build
	[ -x $(DEMO_VENV)/bin/python ] || python3 -m venv $(DEMO_VENV)
	CARGO_TARGET_DIR=$(CURDIR)/target MATURIN_PEP517_ARGS="--profile dev" \
		$(DEMO_VENV)/bin/pip install --quiet --disable-pip-version-check ./$(PYTHON_BINDINGS)

demo: $(DEMO_BUILD)/delete_org_api_key $(DEMO_BUILD)/delete_org_api_key_cpp demo-python
	scripts/with-mock $(DEMO_MOCK) -- scripts/demo --c $(DEMO_BUILD)/delete_org_api_key \
		--cpp $(DEMO_BUILD)/delete_org_api_key_cpp --python $(DEMO_VENV)/bin/python --cli $(DEMO_CLI)

# The mock Atlas for trying the quick starts by hand: prints the export
# lines that point a shell at it (a key pair, an organization, keys to
# delete), then serves until Ctrl-C. MOCK_PORT=0 picks a free port.
MOCK_PORT ?= 0
.PHONY: mock
mock: build
	@echo "# the mock Atlas: paste these lines into another shell; Ctrl-C here stops it"
	@$(MOCK) --port $(MOCK_PORT) --print-env

# The Python package for the tests, the docs and the bench: the wheel (made
# once, `make wheel`) installed with pytest and mypy into a fresh venv
# whenever the wheel changes.
python: $(VENV)/.installed

$(VENV)/.installed: $(WHEELS)/.built
	rm -rf $(VENV) && python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check $(WHEEL_FILE) pytest mypy
	touch $@

# Rewrites the parameter lists that repeat the client's options (the
# stubs, AsyncClient) from their one declaration, bindings/python/src/options.rs,
# as the freshly built package lists them; test-python fails while they are stale.
python-stubs: python
	cd $(PYTHON_BINDINGS) && $(CURDIR)/$(VENV)/bin/python tools/write_client_options.py

# Each stage is its own make run, timed: "== stage NAME: N s (CPU M s)",
# then the total; the CPU seconds (user and system, of every process the
# stage ran) tell a busy machine's wall time from the work itself. What stages share (the release build, the wheel, the test venv) is
# made once: cargo and the wheel's and venv's stamps skip what is up to date.
# The first failing stage stops the run, as a plain prerequisite list would.
# A single `cargo test --test X` runs with --workspace: the features, and so
# the compiled crates, are then those test-rust built. test-packaging comes
# after the other stages that need the release build: its `cargo rustc
# --crate-type staticlib` rebuilds the core over the build's own outputs.
# A stage of targets joined by + runs them at once (make -j, each one's
# output kept together): the C, C++ and Python suites spend much of their
# time waiting on servers, valgrind and sleeps, not on both cores.
TEST_STAGES := deps lint build wheel test-docs test-rust test-c+test-python+test-cpp test-abi \
	test-abi-guard test-wheel test-install test-versions test-bench test-packaging test-pristine check-secrets
test:
	@times_file=$$(mktemp); trap 'rm -f "$$times_file"' EXIT; \
	cpu() { times >"$$times_file"; cpu=$$(awk 'NR == 2 { split($$1, u, /[ms]/); split($$2, s, /[ms]/); \
		printf "%d", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$$times_file"); }; \
	start=$$(date +%s); $(MAKE) --no-print-directory scan-reset || exit 1; \
	for stage in $(TEST_STAGES); do \
		began=$$(date +%s); cpu; cpu_began=$$cpu; \
		jobs=$$(( $$(tr -cd + <<<"$$stage" | wc -c) + 1 )); \
		$(MAKE) --no-print-directory -j$$jobs --output-sync=target $${stage//+/ } || { echo "== stage $$stage: FAILED after $$(( $$(date +%s) - began )) s"; exit 1; }; \
		cpu; echo "== stage $$stage: $$(( $$(date +%s) - began )) s (CPU $$(( cpu - cpu_began )) s)"; \
	done; \
	cpu; echo "== make test: all stages passed in $$(( $$(date +%s) - start )) s (CPU $$cpu s)"

# What a release needs beyond `make test`: the public Rust API against the
# last release (cargo semver-checks; compiling the tool takes minutes once).
release-check: test-semver

scan-reset:
	rm -rf $(SCAN) && mkdir -p $(SCAN)

# Fails if any captured log line, error message or repr holds a private key.
check-secrets:
	scripts/check-secrets $(SCAN) $(TEST_PRIVATE_KEYS)

lint: deps
	scripts/check-module-cycles src mock/src cli/src $(PYTHON_BINDINGS)/src
	$(CARGO) fmt --all -- --check
	$(CARGO) fmt --manifest-path $(PYTHON_BINDINGS)/Cargo.toml -- --check
	$(CARGO) clippy --release --workspace --all-targets -- -D warnings
	CARGO_TARGET_DIR=$(CURDIR)/target $(CARGO) clippy --release --manifest-path $(PYTHON_BINDINGS)/Cargo.toml -- -D warnings

test-rust: build
	mkdir -p $(SCAN)
	PROPTEST_CASES=2000 $(CARGO) test --release --workspace

test-c: $(foreach t,$(C_MOCK_TESTS) test_proxy,$(BUILD)/$(t) $(BUILD)/$(t)_asan) $(BUILD)/test_apache $(BUILD)/header_cpp
	mkdir -p $(SCAN)
	scripts/test-ca $(TEST_CA)
	@set -e; for t in $(C_MOCK_TESTS); do \
		echo "== C tests: $$t"; \
		scripts/with-mock $(MOCK) -- $(BUILD)/$$t; done
	@echo "== C tests through tinyproxy: test_proxy"
	ATLAS_TEST_CA_BUNDLE=$(TEST_CA)/ca.pem scripts/with-mock $(PROXY_MOCK) -- $(BUILD)/test_proxy
	@echo "== C tests against Apache httpd (mod_auth_digest, AuthDigestNcCheck On)"
	scripts/apache-digest -- $(BUILD)/test_apache
	@set -e; for t in $(C_MOCK_TESTS); do \
		echo "== C tests under valgrind memcheck: $$t"; \
		scripts/with-mock $(MOCK) -- $(VALGRIND) $(BUILD)/$$t; done
	@echo "== C tests under valgrind memcheck: test_proxy"
	ATLAS_TEST_CA_BUNDLE=$(TEST_CA)/ca.pem scripts/with-mock $(PROXY_MOCK) -- \
		$(VALGRIND) --suppressions=tests/c/rustls-ring.supp $(BUILD)/test_proxy
	@set -e; for t in $(C_MOCK_TESTS); do \
		echo "== C tests under AddressSanitizer and UBSan: $$t"; \
		ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1 \
			scripts/with-mock $(MOCK) -- $(BUILD)/$${t}_asan; done
	@echo "== C tests under AddressSanitizer and UBSan: test_proxy"
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1 ATLAS_TEST_CA_BUNDLE=$(TEST_CA)/ca.pem \
		scripts/with-mock $(PROXY_MOCK) -- $(BUILD)/test_proxy_asan
	@echo "== the header as C++17"
	$(BUILD)/header_cpp

# The reference docs in one tree, target/docs (docs/index.html links them):
# rustdoc for the core, Doxygen for include/atlas_admin.h (docs/Doxyfile)
# and for the C++ wrapper (docs/Doxyfile-cpp), pdoc for the Python package
# as installed in target/venv, the man pages through mandoc, and docs/*.md
# (with the README and the files they link) through Python-Markdown, all by
# docs/render.py with docs/site.css. Any warning (a broken doc link, an
# undocumented C declaration, a mandoc error), a relative link of the site's
# own pages that resolves to nothing, or a code line of README.md or
# docs/*.md too wide for a page fails.
DOCS := target/docs
DOCS_MAN := target/docs-man
PDOC_VERSION := 16.0.0
MARKDOWN_VERSION := 3.11.3
docs: build python
	rm -rf $(DOCS) $(DOCS_MAN) && mkdir -p $(DOCS) $(DOCS_MAN)
	@echo "== code lines of README.md and docs/*.md fit a page"
	$(VENV)/bin/python docs/render.py width .
	@echo "== rustdoc"
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps -p atlas-admin
	cp -r target/doc $(DOCS)/rust
	@echo "== Doxygen (C API)"
	ATLAS_VERSION=$(VERSION) doxygen docs/Doxyfile
	@echo "== Doxygen (C++ API)"
	ATLAS_VERSION=$(VERSION) doxygen docs/Doxyfile-cpp
	@echo "== pdoc (Python API)"
	$(VENV)/bin/pip install --quiet --disable-pip-version-check pdoc==$(PDOC_VERSION) Markdown==$(MARKDOWN_VERSION)
	$(VENV)/bin/python -W error -m pdoc --footer-text "atlas-admin $(VERSION)" -o $(DOCS)/python atlas_admin atlas_admin.testing
	@echo "== man pages (mandoc)"
	$(OUT)/atlas-admin man --dir $(DOCS_MAN)
	$(VENV)/bin/python -W error docs/render.py man $(DOCS_MAN) $(DOCS)/man $(VERSION)
	@echo "== guides (docs/*.md, Python-Markdown) and the landing page"
	$(VENV)/bin/python -W error docs/render.py guides . $(DOCS) $(VERSION)
	$(VENV)/bin/python -W error docs/render.py links $(DOCS)
	@echo "docs: file://$(CURDIR)/$(DOCS)/index.html"

# The docs build, then the README's C, C++, Python and command line quick
# starts compiled and run as written against the mock (scripts/check-readme).
# The Rust doc examples run against the mock as doctests in test-rust. The command lines of README.md
# and docs/*.md are parsed by atlas-admin's own parser, and the mock started
# with its lines (cli/tests/doc_examples.rs, also in test-rust).
test-docs: docs
	scripts/check-readme $(MOCK) $(VENV)/bin/python
	$(CARGO) test --release --workspace --test doc_examples

# The suite against the wheel in the test venv, on a PATH without cargo or
# rustc, as a user without Rust would (the mock's binary, built beforehand,
# serves tests/test_proxy.py's HTTPS).
NO_RUST_PATH := /usr/local/sbin:/usr/sbin:/sbin:/usr/bin:/bin
test-python: build python
	mkdir -p $(SCAN)
	@echo "== Python tests against the wheel, without a Rust toolchain"
	cd $(PYTHON_BINDINGS) && env PATH=$(CURDIR)/$(VENV)/bin:$(NO_RUST_PATH) \
		sh -c '! command -v cargo && ! command -v rustc && python -m pytest -q -p no:cacheprovider tests'

# A manylinux2014 abi3 wheel and an sdist in target/wheels: maturin links
# with zig (the ziglang package) against glibc 2.17, so the wheel installs on
# any x86_64 Linux since 2014 without a Rust toolchain; maturin checks the
# result against the manylinux2014 policy.
#
# It is the one build of the Python extension `make test` makes: the test,
# docs and bench venvs install it (the stamp $(WHEELS)/.built is newer than
# every source it is built from).
# A shell pattern (the file is made by a recipe): exactly one file matches.
WHEEL_FILE := $(WHEELS)/atlas_admin-$(VERSION)-*.whl
WHEEL_SOURCES := $(shell find src cli mock $(PYTHON_BINDINGS) -type f \
	-not -path '$(PYTHON_BINDINGS)/target/*' -not -path '*/__pycache__/*' -not -path '*/.pytest_cache/*' \
	-not -path '*/.mypy_cache/*') \
	Cargo.toml Cargo.lock build.rs cbindgen.toml
wheel: $(WHEELS)/.built

$(WHEELS)/.built: $(WHEEL_SOURCES) | deps
	[ -x $(WHEEL_TOOLS)/bin/python ] || python3 -m venv $(WHEEL_TOOLS)
	$(WHEEL_TOOLS)/bin/pip install --quiet --disable-pip-version-check maturin==$(MATURIN_VERSION) ziglang==$(ZIGLANG_VERSION)
	rm -rf $(WHEELS)
	cd $(PYTHON_BINDINGS) && PATH=$(CURDIR)/$(WHEEL_TOOLS)/bin:$$PATH CARGO_TARGET_DIR=$(CURDIR)/target/wheel \
		$(CURDIR)/$(WHEEL_TOOLS)/bin/maturin build --quiet --release --zig --compatibility manylinux2014 --out $(CURDIR)/$(WHEELS)
	cd $(PYTHON_BINDINGS) && $(CURDIR)/$(WHEEL_TOOLS)/bin/maturin sdist --out $(CURDIR)/$(WHEELS)
	ls -l $(WHEELS)
	touch $@

# The wheel as a user gets it: tagged abi3 and manylinux2014 (maturin
# checked the symbols against the policy when it built it), installed into a
# fresh venv without test tools, and run on a PATH without cargo or rustc.
# test-python runs the whole suite against the same wheel.
test-wheel: wheel
	@echo "== the wheel: abi3, manylinux2014, installs and runs without a Rust toolchain"
	set -- $(WHEEL_FILE); test $$# = 1; case "$${1##*/}" in *-cp39-abi3-manylinux2014_x86_64.*) ;; \
		*) echo "not an abi3 manylinux2014 wheel: $$*" >&2; exit 1;; esac
	test -s $(WHEELS)/atlas_admin-$(VERSION).tar.gz
	rm -rf $(WHEEL_VENV) && python3 -m venv $(WHEEL_VENV)
	$(WHEEL_VENV)/bin/pip install --quiet --disable-pip-version-check $(WHEEL_FILE)
	env PATH=$(CURDIR)/$(WHEEL_VENV)/bin:$(NO_RUST_PATH) sh -c '! command -v cargo && ! command -v rustc && \
		test "$$(python -m atlas_admin --version)" = "atlas-admin $(VERSION)" && \
		python -c "import atlas_admin, atlas_admin.testing; print(atlas_admin.__version__)"'
	@echo "wheel: 1 passed, 0 failed"

# Only the tests through a real proxy, tinyproxy (Rust, C, Python;
# scripts/tinyproxy); `make test` runs them within test-rust, test-c and
# test-python.
test-proxy: build python $(BUILD)/test_proxy
	mkdir -p $(SCAN)
	$(CARGO) test --release --workspace --test tinyproxy --test tinyproxy_env --test proxy_env
	scripts/test-ca $(TEST_CA)
	ATLAS_TEST_CA_BUNDLE=$(TEST_CA)/ca.pem scripts/with-mock $(PROXY_MOCK) -- $(BUILD)/test_proxy
	cd $(PYTHON_BINDINGS) && $(CURDIR)/$(VENV)/bin/python -m pytest -q tests/test_proxy.py

# Only the tests against a real Apache httpd (Rust, C, Python); `make test`
# runs them within test-rust, test-c and test-python.
test-apache: build python $(BUILD)/test_apache
	mkdir -p $(SCAN)
	$(CARGO) test --release --workspace --test apache
	scripts/apache-digest -- $(BUILD)/test_apache
	cd $(PYTHON_BINDINGS) && $(CURDIR)/$(VENV)/bin/python -m pytest -q tests/test_apache.py

# The long soak: 16 threads delete 20,000 keys through one client under
# random faults and exact nonce-count checking; `make test` runs 1,600.
soak: build
	mkdir -p $(SCAN)
	ATLAS_SOAK_KEYS=20000 $(CARGO) test --release --workspace --test soak -- --nocapture

# Installs into a scratch root, then builds and runs the example against
# the installed header and library only.
test-install: build
	@echo "== exported symbols, install layout and SONAME"
	test -z "$$(nm -D --defined-only $(OUT)/libatlas_admin.so | awk '{print $$3}' | grep -v '^atlas_')"
	readelf -d $(OUT)/libatlas_admin.so | grep -q 'Library soname: \[$(SONAME)\]'

	rm -rf $(BUILD)/root && $(MAKE) --no-print-directory install DESTDIR=$(CURDIR)/$(BUILD)/root PREFIX=/usr
	$(CC) $(CFLAGS:-Iinclude=) -I$(BUILD)/root/usr/include examples/delete_org_api_key.c \
		-L$(BUILD)/root/usr/lib -latlas_admin -o $(BUILD)/installed_example
	LD_LIBRARY_PATH=$(CURDIR)/$(BUILD)/root/usr/lib ldd $(BUILD)/installed_example | grep -q "$(SONAME) => $(CURDIR)/$(BUILD)/root/usr/lib/$(SONAME)"
	LD_LIBRARY_PATH=$(CURDIR)/$(BUILD)/root/usr/lib scripts/with-mock $(MOCK) -- \
		scripts/demo --c $(BUILD)/installed_example >/dev/null
	$(BUILD)/root/usr/bin/atlas-admin --version
	test -s $(BUILD)/root/usr/share/man/man1/atlas-admin-org-api-keys-delete.1
	grep -q org-api-keys $(BUILD)/root/usr/share/bash-completion/completions/atlas-admin
	@echo "install: 1 passed, 0 failed"

# Builds tests/install/delete_key.c from installed prefixes with pkg-config,
# pkg-config --static (libatlas_admin.a, no libatlas_admin.so needed) and
# CMake's find_package(atlas_admin) (tests/install, run with ctest), and runs
# each against the mock: a PREFIX install for pkg-config, a DESTDIR one for
# pkg-config's sysroot and for CMake (whose package is relocatable).
PACKAGING := $(BUILD)/packaging
test-packaging: build
	rm -rf $(PACKAGING)
	$(MAKE) --no-print-directory install PREFIX=$(CURDIR)/$(PACKAGING)/prefix
	$(MAKE) --no-print-directory install DESTDIR=$(CURDIR)/$(PACKAGING)/stage PREFIX=/usr
	CC="$(CC)" CARGO="$(CARGO)" VERSION="$(VERSION)" NATIVE_STATIC_LIBS="$(NATIVE_STATIC_LIBS)" \
		scripts/with-mock $(MOCK) -- tests/install/run $(CURDIR)/$(PACKAGING)

# The C++17 wrapper (bindings/cpp/atlas_admin.hpp): its parity with the C
# header (tests/header.rs: every C option function has a ClientOptions
# setter and the reverse, every flag a counterpart), then the GoogleTest
# suite in tests/cpp, built with CMake into target/cpp, run by ctest
# against the mock.
CPP_BUILD := target/cpp
test-cpp: build
	mkdir -p $(SCAN)
	@echo "== C++ wrapper against the C header (option and flag parity)"
	$(CARGO) test --release --workspace --test header
	@echo "== C++17 wrapper tests (GoogleTest)"
	cmake -S tests/cpp -B $(CPP_BUILD) -DCMAKE_BUILD_TYPE=Debug
	cmake --build $(CPP_BUILD) -j 2
	scripts/with-mock $(MOCK) -- ctest --test-dir $(CPP_BUILD) --output-on-failure

# Builds a copy of the committed sources and proves the build wrote nothing
# into them (so a read-only tree or a crates.io dependency builds too). The
# check shares target/ with `make docs` (same profile and features), so only
# the copy's own crate is compiled, not every dependency again.
test-pristine: deps
	@echo "== building leaves the source tree untouched"
	rm -rf $(BUILD)/pristine && mkdir -p $(BUILD)/pristine
	git ls-files -z | xargs -0 cp --parents -t $(BUILD)/pristine
	touch $(BUILD)/pristine.stamp
	$(CARGO) check --quiet --locked --manifest-path $(BUILD)/pristine/Cargo.toml \
		--target-dir $(CURDIR)/target -p atlas-admin
	test -z "$$(find $(BUILD)/pristine -newer $(BUILD)/pristine.stamp -print -quit)"
	@echo "pristine: 1 passed, 0 failed"

# The benchmark: atlas-admin against the wire limit, requests, httpx
# and curl on Apache httpd, plus system calls, instructions, concurrency,
# HTTPS and footprint. Writes BENCHMARKS.md and bench/results.png;
# QUICK=1 runs it all with a few deletes and writes to target/bench/ only.
bench: build bench-venv $(BENCH_BIN)/wire $(BENCH_BIN)/c_abi $(BENCH_BIN)/c_abi_threads $(BENCH_BIN)/peak_rss $(BUILD)/delete_org_api_key
	$(BENCH_VENV)/bin/python bench/run.py $(if $(QUICK),--quick)

# Keeps `make bench` working, with no timing assertion (under a minute).
test-bench: QUICK := 1
test-bench: bench

# The peers, pinned, and the package under test as a user installs it.
bench-venv: $(BENCH_VENV)/.installed

$(BENCH_VENV)/.installed: $(WHEELS)/.built bench/requirements.txt
	[ -x $(BENCH_VENV)/bin/python ] || python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	$(BENCH_VENV)/bin/pip install --quiet --disable-pip-version-check --force-reinstall --no-deps $(WHEEL_FILE)
	touch $@

$(BENCH_BIN):
	mkdir -p $@

$(BENCH_BIN)/peak_rss: bench/peak_rss.c | $(BENCH_BIN)
	$(CC) $(BENCH_CFLAGS) $< -o $@

# The wire limit links nothing but libc.
$(BENCH_BIN)/wire: bench/wire.c bench/md5.c bench/md5.h bench/measure.c bench/measure.h | $(BENCH_BIN)
	$(CC) $(BENCH_CFLAGS) bench/wire.c bench/md5.c bench/measure.c -o $@

$(BENCH_BIN)/%: bench/%.c bench/client_env.c bench/client_env.h bench/measure.c bench/measure.h build | $(BENCH_BIN)
	$(CC) $(BENCH_CFLAGS) $< bench/client_env.c bench/measure.c $(LINK) -lpthread -o $@

# What a program linking libatlas_admin.a needs besides it, as rustc reports
# it (`cargo rustc --release --lib --crate-type staticlib -- --print
# native-static-libs`; test-packaging checks that they agree): Libs.private of
# atlas_admin.pc and the link interface of atlas_admin::atlas_admin_static.
NATIVE_STATIC_LIBS := -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
INSTALL_LIB = $(DESTDIR)$(PREFIX)/lib
INSTALL_SHARE = $(DESTDIR)$(PREFIX)/share
INSTALL_INCLUDE = $(DESTDIR)$(PREFIX)/include
INSTALL_CMAKE = $(INSTALL_LIB)/cmake/atlas_admin
PACKAGING_EMPTY :=
PACKAGING_VERSION_PARTS = $(subst ., ,$(VERSION))
PACKAGING_SED = sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' \
	-e 's|@VERSION_MAJOR@|$(word 1,$(PACKAGING_VERSION_PARTS))|g' \
	-e 's|@VERSION_MAJOR_MINOR@|$(word 1,$(PACKAGING_VERSION_PARTS)).$(word 2,$(PACKAGING_VERSION_PARTS))|g' \
	-e 's|@SONAME@|$(SONAME)|g' -e 's|@LIBS_PRIVATE@|$(NATIVE_STATIC_LIBS)|g' \
	-e 's|@STATIC_LINK_LIBRARIES@|$(subst $(PACKAGING_EMPTY) $(PACKAGING_EMPTY),;,$(patsubst -l%,%,$(NATIVE_STATIC_LIBS)))|g' \
	-e 's|@POINTER_BITS@|$(shell getconf LONG_BIT)|g'

# The installed library is stripped (3.96 MB -> 3.18 MB); the build keeps its
# symbol table so profiles (callgrind, perf) name functions. Fat LTO with one
# codegen unit saved another 10% but no measurable time per delete, and would
# apply to every test binary `cargo test --release` links.
#
# Besides the .so: libatlas_admin.a (debug sections stripped, 38 MB -> 26 MB),
# atlas_admin.h and the C++17 wrapper atlas_admin.hpp, lib/pkgconfig/atlas_admin.pc,
# and the CMake package lib/cmake/atlas_admin/ (targets atlas_admin::atlas_admin
# and atlas_admin::atlas_admin_static), written from packaging/*.in.
install: build
	@case "$(PREFIX)" in /*) ;; *) echo "PREFIX must be an absolute path, not '$(PREFIX)'" >&2; exit 2;; esac
	install -d $(INSTALL_LIB) $(INSTALL_LIB)/pkgconfig $(INSTALL_CMAKE) $(INSTALL_INCLUDE)
	install -m 0755 -s $(OUT)/libatlas_admin.so $(INSTALL_LIB)/libatlas_admin.so.$(VERSION)
	ln -sf libatlas_admin.so.$(VERSION) $(INSTALL_LIB)/$(SONAME)
	ln -sf $(SONAME) $(INSTALL_LIB)/libatlas_admin.so
	install -m 0644 $(OUT)/libatlas_admin.a $(INSTALL_LIB)/libatlas_admin.a
	strip --strip-debug $(INSTALL_LIB)/libatlas_admin.a
	install -m 0644 include/atlas_admin.h bindings/cpp/atlas_admin.hpp $(INSTALL_INCLUDE)
	$(PACKAGING_SED) packaging/atlas_admin.pc.in >$(INSTALL_LIB)/pkgconfig/atlas_admin.pc
	$(PACKAGING_SED) packaging/atlas_adminConfig.cmake.in >$(INSTALL_CMAKE)/atlas_adminConfig.cmake
	$(PACKAGING_SED) packaging/atlas_adminConfigVersion.cmake.in >$(INSTALL_CMAKE)/atlas_adminConfigVersion.cmake
	chmod 0644 $(INSTALL_LIB)/pkgconfig/atlas_admin.pc $(INSTALL_CMAKE)/atlas_adminConfig.cmake \
		$(INSTALL_CMAKE)/atlas_adminConfigVersion.cmake
	install -d $(INSTALL_SHARE)/man/man1 $(INSTALL_SHARE)/bash-completion/completions \
		$(INSTALL_SHARE)/zsh/site-functions $(INSTALL_SHARE)/fish/vendor_completions.d
	install -D -m 0755 -s $(OUT)/atlas-admin $(DESTDIR)$(PREFIX)/bin/atlas-admin
	$(OUT)/atlas-admin man --dir $(INSTALL_SHARE)/man/man1
	$(OUT)/atlas-admin completions bash >$(INSTALL_SHARE)/bash-completion/completions/atlas-admin
	$(OUT)/atlas-admin completions zsh >$(INSTALL_SHARE)/zsh/site-functions/_atlas-admin
	$(OUT)/atlas-admin completions fish >$(INSTALL_SHARE)/fish/vendor_completions.d/atlas-admin.fish

clean:
	$(CARGO) clean
	rm -rf $(BUILD)

# The C ABI guard: abidiff between the committed baseline
# abi/libatlas_admin.abi and this build (scripts/abi-check: libabigail needs
# DWARF, so a release build with debug info in target/abi). A removed or
# changed function, type or enum value fails; additions pass and are listed.
# `make abi-update` rewrites the baseline: only for additions, or after the
# SONAME major (Cargo.toml's major version) was bumped (README, Compatibility).
#
# The build with debug info goes to the directory scripts/abi-guard-test
# builds its changed copy in, so the dependencies are compiled once for both.
.PHONY: test-abi test-abi-guard abi-update test-semver test-versions
test-abi abi-update: export ABI_TARGET_DIR := $(CURDIR)/target/abi-broken/target
test-abi: deps
	@echo "== C ABI against abi/libatlas_admin.abi (abidiff)"
	scripts/abi-check diff abi/libatlas_admin.abi "$$(scripts/abi-check build)"

abi-update: deps
	scripts/abi-check dump "$$(scripts/abi-check build)" abi/libatlas_admin.abi

# A copy with one exported signature changed must fail the ABI check.
test-abi-guard: deps
	@echo "== the ABI guard refuses a changed signature"
	scripts/abi-guard-test

# The public Rust API of atlas-admin against the baseline revision with
# cargo-semver-checks (scripts/install-tools). No release is tagged yet: the
# baseline is SEMVER_BASELINE, the commit the checks were set up on. On each
# release, set it to the release's tag (e.g. v0.2.0).
SEMVER_BASELINE := 4ca772f39991368d1b8c25e1ea68c61cd317fe99
test-semver: deps
	@scripts/install-tools
	@echo "== Rust API against $(SEMVER_BASELINE) (cargo semver-checks)"
	$(CARGO) semver-checks --package atlas-admin --baseline-rev $(SEMVER_BASELINE)

# Every version a user sees agrees with Cargo.toml's (scripts/check-versions):
# crates, Python package, SONAME, atlas_version(), the CLI, pkg-config, CMake.
# Uses the venv test-python made (or makes one) and a scratch install.
test-versions: build python
	@echo "== one version everywhere"
	rm -rf target/versions
	$(MAKE) --no-print-directory install PREFIX=$(CURDIR)/target/versions/prefix >/dev/null
	scripts/check-versions $(OUT) $(VENV)/bin/python $(CURDIR)/target/versions/prefix
