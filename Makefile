# The README's two commands: `make demo` and `make test`.
SHELL := /bin/bash
CARGO ?= cargo
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
# deliberately wrong ones) and the prefix of every token the mock issues; no
# log line, error message or repr written during `make test` may contain them.
TEST_PRIVATE_KEYS := 0c1b7a3e-d7f4-4c4c-9d5a-e1b2c3d4e5f6 ffffffff-0000-4000-8000-wrongprivate \
	ffffffff-wrong-private-key-0000 00000000-0000-4000-8000-mockprivate0 \
	mdb_sa_sk_0c1b7a3e-service-account-secret mdb_sa_sk_ffffffff-wrong-secret \
	mdb_sa_sk_00000000-0000-4000-8000-mocksecret0 mock-access-token-
export ATLAS_SECRET_SCAN_DIR := $(CURDIR)/$(SCAN)
# The Apache httpd Digest tests (Rust, C, Python) fail rather than skip when
# Apache is missing (scripts/install-deps installs it).
export ATLAS_REQUIRE_APACHE ?= 1
ASAN := -fsanitize=address,undefined -fno-omit-frame-pointer
VALGRIND := valgrind --quiet --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite --show-leak-kinds=definite

DEMO_ORG := 5f1a2b3c4d5e6f7a8b9c0d1e
DEMO_KEY := 6a1b2c3d4e5f6a7b8c9d0e1f
DEMO_PY_KEY := 6a1b2c3d4e5f6a7b8c9d0e2a

VENV := target/venv
PYTHON_BINDINGS := bindings/python

BENCH_BIN := target/bench/bin
BENCH_VENV := target/bench-venv
BENCH_CFLAGS := $(CFLAGS) -O2

.PHONY: all deps build header demo python test scan-reset check-secrets lint test-rust test-c test-python test-apache soak test-install test-pristine test-bench bench bench-venv install clean

all: build

deps:
	@scripts/install-deps

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

$(BUILD)/test_delete: tests/c/test_delete.c tests/c/mock_control.c tests/c/check.h build | $(BUILD)
	$(CC) $(CFLAGS) tests/c/test_delete.c tests/c/mock_control.c $(LINK) -lpthread -o $@

$(BUILD)/test_delete_asan: tests/c/test_delete.c tests/c/mock_control.c tests/c/check.h build | $(BUILD)
	$(CC) $(CFLAGS) $(ASAN) tests/c/test_delete.c tests/c/mock_control.c $(LINK) -lpthread -o $@

$(BUILD)/test_apache: tests/c/test_apache.c tests/c/check.h build | $(BUILD)
	$(CC) $(CFLAGS) $< $(LINK) -lpthread -o $@

$(BUILD)/header_cpp: tests/c/header_cpp.cpp build | $(BUILD)
	$(CXX) $(CXXFLAGS) $< $(LINK) -o $@

demo: $(BUILD)/delete_org_api_key python
	scripts/with-mock $(MOCK) --key $(DEMO_ORG):$(DEMO_KEY) --key $(DEMO_ORG):$(DEMO_PY_KEY) -- \
		scripts/demo $(DEMO_ORG) $(BUILD)/delete_org_api_key $(DEMO_KEY) $(VENV)/bin/python $(DEMO_PY_KEY)

# The Python package, installed as a user would (`pip install ./bindings/python`).
python: deps
	[ -x $(VENV)/bin/python ] || python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check ./$(PYTHON_BINDINGS) pytest mypy

test: lint scan-reset test-rust test-c test-python test-install test-bench test-pristine check-secrets

scan-reset:
	rm -rf $(SCAN) && mkdir -p $(SCAN)

# Fails if any captured log line, error message or repr holds a private key.
check-secrets:
	scripts/check-secrets $(SCAN) $(TEST_PRIVATE_KEYS)

lint: deps
	$(CARGO) fmt --all -- --check
	$(CARGO) fmt --manifest-path $(PYTHON_BINDINGS)/Cargo.toml -- --check
	$(CARGO) clippy --release --workspace --all-targets -- -D warnings
	$(CARGO) clippy --release --manifest-path $(PYTHON_BINDINGS)/Cargo.toml -- -D warnings

test-rust: build
	mkdir -p $(SCAN)
	PROPTEST_CASES=2000 $(CARGO) test --release --workspace

test-c: $(BUILD)/test_delete $(BUILD)/test_delete_asan $(BUILD)/test_apache $(BUILD)/header_cpp
	mkdir -p $(SCAN)
	@echo "== C tests"
	scripts/with-mock $(MOCK) -- $(BUILD)/test_delete
	@echo "== C tests against Apache httpd (mod_auth_digest, AuthDigestNcCheck On)"
	scripts/apache-digest -- $(BUILD)/test_apache
	@echo "== C tests under valgrind memcheck"
	scripts/with-mock $(MOCK) -- $(VALGRIND) $(BUILD)/test_delete
	@echo "== C tests under AddressSanitizer and UBSan"
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1 \
		scripts/with-mock $(MOCK) -- $(BUILD)/test_delete_asan
	@echo "== the header as C++17"
	$(BUILD)/header_cpp

# A fresh virtualenv, the wheel built into it, then pytest against the mock.
test-python:
	mkdir -p $(SCAN)
	rm -rf $(VENV)
	$(MAKE) --no-print-directory python
	@echo "== Python tests"
	cd $(PYTHON_BINDINGS) && $(CURDIR)/$(VENV)/bin/python -m pytest -q tests

# Only the tests against a real Apache httpd (Rust, C, Python); `make test`
# runs them within test-rust, test-c and test-python.
test-apache: build python $(BUILD)/test_apache
	mkdir -p $(SCAN)
	$(CARGO) test --release --test apache
	scripts/apache-digest -- $(BUILD)/test_apache
	cd $(PYTHON_BINDINGS) && $(CURDIR)/$(VENV)/bin/python -m pytest -q tests/test_apache.py

# The long soak: 16 threads delete 20,000 keys through one client under
# random faults and exact nonce-count checking; `make test` runs 1,600.
soak: build
	mkdir -p $(SCAN)
	ATLAS_SOAK_KEYS=20000 $(CARGO) test --release --test soak -- --nocapture

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
	LD_LIBRARY_PATH=$(CURDIR)/$(BUILD)/root/usr/lib scripts/with-mock $(MOCK) --key $(DEMO_ORG):$(DEMO_KEY) -- \
		scripts/demo $(DEMO_ORG) $(BUILD)/installed_example $(DEMO_KEY) >/dev/null
	@echo "install: 1 passed, 0 failed"

# Builds a copy of the committed sources and proves the build wrote nothing
# into them (so a read-only tree or a crates.io dependency builds too).
test-pristine: deps
	@echo "== building leaves the source tree untouched"
	rm -rf $(BUILD)/pristine && mkdir -p $(BUILD)/pristine
	git ls-files -z | xargs -0 cp --parents -t $(BUILD)/pristine
	touch $(BUILD)/pristine.stamp
	$(CARGO) check --quiet --locked --manifest-path $(BUILD)/pristine/Cargo.toml \
		--target-dir $(CURDIR)/target/pristine -p atlas-admin
	test -z "$$(find $(BUILD)/pristine -newer $(BUILD)/pristine.stamp -print -quit)"
	@echo "pristine: 1 passed, 0 failed"

# The benchmark (issue 9): atlas-admin against the wire limit, requests, httpx
# and curl on Apache httpd, plus system calls, instructions, concurrency,
# HTTPS and footprint. Writes BENCHMARKS.md and bench/results.png;
# QUICK=1 runs it all with a few deletes and writes to target/bench/ only.
bench: build bench-venv $(BENCH_BIN)/wire $(BENCH_BIN)/c_abi $(BENCH_BIN)/c_abi_threads $(BENCH_BIN)/peak_rss $(BUILD)/delete_org_api_key
	$(BENCH_VENV)/bin/python bench/run.py $(if $(QUICK),--quick)

# Keeps `make bench` working, with no timing assertion (under a minute).
test-bench:
	@echo "== the benchmark, QUICK"
	$(MAKE) --no-print-directory bench QUICK=1

# The peers, pinned, and the package under test as a user installs it.
bench-venv: deps
	[ -x $(BENCH_VENV)/bin/python ] || python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet --disable-pip-version-check -r bench/requirements.txt ./$(PYTHON_BINDINGS)

$(BENCH_BIN):
	mkdir -p $@

$(BENCH_BIN)/peak_rss: bench/peak_rss.c | $(BENCH_BIN)
	$(CC) $(BENCH_CFLAGS) $< -o $@

# The wire limit links nothing but libc.
$(BENCH_BIN)/wire: bench/wire.c bench/md5.c bench/md5.h bench/measure.c bench/measure.h | $(BENCH_BIN)
	$(CC) $(BENCH_CFLAGS) bench/wire.c bench/md5.c bench/measure.c -o $@

$(BENCH_BIN)/%: bench/%.c bench/client_env.c bench/client_env.h bench/measure.c bench/measure.h build | $(BENCH_BIN)
	$(CC) $(BENCH_CFLAGS) $< bench/client_env.c bench/measure.c $(LINK) -lpthread -o $@

# The installed library is stripped (3.96 MB -> 3.18 MB); the build keeps its
# symbol table so profiles (callgrind, perf) name functions. Fat LTO with one
# codegen unit saved another 10% but no measurable time per delete, and would
# apply to every test binary `cargo test --release` links.
install: build
	install -d $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include
	install -m 0755 -s $(OUT)/libatlas_admin.so $(DESTDIR)$(PREFIX)/lib/libatlas_admin.so.$(VERSION)
	ln -sf libatlas_admin.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(PREFIX)/lib/libatlas_admin.so
	install -m 0644 include/atlas_admin.h $(DESTDIR)$(PREFIX)/include/atlas_admin.h

clean:
	$(CARGO) clean
	rm -rf $(BUILD)
