/* Proxies through the C ABI, against a real one: Debian's tinyproxy, which
 * this program starts with scripts/tinyproxy (NAME=VALUE lines, then
 * "ready"; it stops when its input closes) once it knows the mock's ports.
 * Plain HTTP and HTTPS (the mock's TLS listener, with a certificate from a
 * CA made for the run by scripts/test-ca) go through its CONNECT tunnels,
 * as its log shows; HTTPS_PROXY is honoured and NO_PROXY bypasses it; a
 * dead proxy and a proxy wanting credentials are named, with where their
 * setting came from, never with the password and never blaming the base
 * URL; credentials in the proxy URL are accepted.
 *
 * Run by `make test-c`, plainly, under valgrind and with ASan/UBSan, as
 * scripts/with-mock MOCK --tls-cert CERT --tls-key KEY -- target/c/test_proxy
 * with ATLAS_TEST_CA_BUNDLE naming the CA's PEM file. Without tinyproxy it
 * skips loudly, unless ATLAS_REQUIRE_TINYPROXY is set (as `make test`
 * does). Prints "N passed, N failed". */
#define _POSIX_C_SOURCE 200809L

#include "atlas_admin.h"
#include "check.h"
#include "mock_control.h"
#include "support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define ORG "5f1a2b3c4d5e6f7a8b9c0d1e"
/* The proxy credentials of the --basic-auth proxy; `make test`'s secret
 * scan looks for the password (as in the Rust and Python tests). */
#define PROXY_USER "tinyproxy-user"
#define PROXY_PASSWORD "tinyproxy-pass-5e0c7b1d"

/* How this program's key IDs start (new_key_id). */
#define KEY_PREFIX "6a1b2c3d4e5f"

/* Shows an unexpected error's message, so that a failing check says what
 * the library said. */
static void show(const atlas_error *error) {
    fprintf(stderr, "  the error: %s\n", scan_error(error));
}

/* The port of a URL such as http://127.0.0.1:PORT/..., or -1. */
static int port_of(const char *url) {
    const char *host = strstr(url, "://");
    const char *colon = host == NULL ? NULL : strchr(host + 3, ':');
    return colon == NULL ? -1 : atoi(colon + 1);
}

/* A port of 127.0.0.1 where nothing listens (it was free a moment ago). */
static int dead_port(void) {
    struct sockaddr_in address;
    socklen_t length = sizeof address;
    int fd = socket(AF_INET, SOCK_STREAM, 0), port = -1;
    if (fd < 0) return -1;
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&address, sizeof address) == 0 &&
        getsockname(fd, (struct sockaddr *)&address, &length) == 0) {
        port = ntohs(address.sin_port);
    }
    close(fd);
    return port;
}

/* A running scripts/tinyproxy: its pid, the write end of its input (closing
 * it stops the proxy), its URL and log file. */
struct tinyproxy {
    pid_t pid;
    int input;
    char url[64];
    char log[512];
};

static int skipped;

/* Starts scripts/tinyproxy allowing tunnels to `port` (and to any port when
 * it is 0), wanting PROXY_USER's credentials with `basic_auth`. Returns 1
 * when it is ready, 0 when it could not start, and sets `skipped` when
 * tinyproxy is not installed and not required. */
static int tinyproxy_start(struct tinyproxy *proxy, int port, int basic_auth) {
    int to_child[2], from_child[2];
    char port_text[16], line[600];
    const char *argv[8];
    int argc = 0, ready = 0;
    FILE *out;
    const char *script = getenv("ATLAS_TINYPROXY_SCRIPT");
    argv[argc++] = script != NULL ? script : "scripts/tinyproxy";
    snprintf(port_text, sizeof port_text, "%d", port);
    if (port > 0) {
        argv[argc++] = "--connect-port";
        argv[argc++] = port_text;
    }
    if (basic_auth) {
        argv[argc++] = "--basic-auth";
        argv[argc++] = PROXY_USER ":" PROXY_PASSWORD;
    }
    argv[argc] = NULL;
    memset(proxy, 0, sizeof *proxy);
    if (pipe(to_child) != 0) return 0;
    if (pipe(from_child) != 0) {
        close(to_child[0]);
        close(to_child[1]);
        return 0;
    }
    fflush(NULL);
    proxy->pid = fork();
    if (proxy->pid < 0) return 0;
    if (proxy->pid == 0) {
        dup2(to_child[0], STDIN_FILENO);
        dup2(from_child[1], STDOUT_FILENO);
        close(to_child[0]);
        close(to_child[1]);
        close(from_child[0]);
        close(from_child[1]);
        execv(argv[0], (char *const *)argv);
        perror(argv[0]);
        _exit(127);
    }
    close(to_child[0]);
    close(from_child[1]);
    proxy->input = to_child[1];
    out = fdopen(from_child[0], "r");
    if (out == NULL) {
        close(from_child[0]);
        return 0;
    }
    while (fgets(line, sizeof line, out) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        if (strcmp(line, "ready") == 0) {
            ready = 1;
            break;
        }
        if (strcmp(line, "skip") == 0) {
            skipped = 1;
            break;
        }
        if (strncmp(line, "TINYPROXY_URL=", 14) == 0) {
            snprintf(proxy->url, sizeof proxy->url, "%s", line + 14);
        } else if (strncmp(line, "TINYPROXY_LOG=", 14) == 0) {
            snprintf(proxy->log, sizeof proxy->log, "%s", line + 14);
        }
    }
    fclose(out);
    return ready && proxy->url[0] != '\0' && proxy->log[0] != '\0';
}

/* Stops the proxy: its script stops tinyproxy when its input closes. */
static void tinyproxy_stop(struct tinyproxy *proxy) {
    int status;
    if (proxy->pid <= 0) return;
    close(proxy->input);
    waitpid(proxy->pid, &status, 0);
    proxy->pid = 0;
}

/* How many CONNECTs to 127.0.0.1:`port` tinyproxy has logged. */
static int connects_to(const struct tinyproxy *proxy, int port) {
    char wanted[64], line[1024];
    int count = 0;
    FILE *log = fopen(proxy->log, "r");
    if (log == NULL) return -1;
    snprintf(wanted, sizeof wanted, "CONNECT 127.0.0.1:%d HTTP/1.1", port);
    while (fgets(line, sizeof line, log) != NULL) count += strstr(line, wanted) != NULL;
    fclose(log);
    return count;
}

/* Deletes a fresh key of `base_url` through `proxy` (NULL: whatever the
 * environment says), trusting `ca_bundle` if not NULL, in one attempt.
 * Returns the status; the error goes to `error`. */
static atlas_status delete_through(const char *base_url, const char *proxy,
                                   const char *ca_bundle, atlas_error **error) {
    char key[25];
    atlas_client_options *options = atlas_client_options_new();
    atlas_client *client = NULL;
    atlas_status status;
    if (options == NULL || !mock_new_key(ORG, KEY_PREFIX, key)) {
        atlas_client_options_free(options);
        return ATLAS_STATUS_INTERNAL;
    }
    status = atlas_client_options_set_base_url(options, base_url, error);
    if (status == ATLAS_STATUS_OK)
        status = use_mock_key_pair(options, error);
    if (status == ATLAS_STATUS_OK)
        status = atlas_client_options_set_max_retries(options, 0, error);
    if (status == ATLAS_STATUS_OK && proxy != NULL)
        status = atlas_client_options_set_proxy(options, proxy, error);
    if (status == ATLAS_STATUS_OK && ca_bundle != NULL)
        status = atlas_client_options_set_ca_bundle(options, ca_bundle, error);
    if (status == ATLAS_STATUS_OK) status = atlas_client_new(options, &client, error);
    atlas_client_options_free(options);
    if (status == ATLAS_STATUS_OK) status = atlas_delete_org_api_key(client, ORG, key, 0, error);
    atlas_client_free(client);
    return status;
}

/* Checks that a proxy error says `expected` and nothing of the base URL
 * or the proxy's credentials. */
static int names_the_proxy(atlas_status status, const atlas_error *error, const char *expected) {
    const char *message = scan_error(error);
    if (strstr(message, expected) == NULL) {
        fprintf(stderr, "  expected \"%s\" in: %s\n", expected, message);
    }
    CHECK(status == ATLAS_STATUS_TRANSPORT);
    CHECK(strncmp(message, "proxy failed: ", 14) == 0);
    CHECK(strstr(message, expected) != NULL);
    CHECK(strstr(message, "base URL") == NULL);
    CHECK(strstr(message, PROXY_PASSWORD) == NULL && strstr(message, PROXY_USER) == NULL);
    return 1;
}

static int test_http_goes_through_an_explicit_proxy(void) {
    struct tinyproxy proxy;
    int port = port_of(mock_base_url()), ok;
    atlas_error *error = NULL;
    long deleted = mock_stat("deleted");
    if (!tinyproxy_start(&proxy, port, 0)) {
        tinyproxy_stop(&proxy);
        return skipped;
    }
    ok = delete_through(mock_base_url(), proxy.url, NULL, &error) == ATLAS_STATUS_OK;
    if (!ok) show(error);
    atlas_error_free(error);
    ok = ok && connects_to(&proxy, port) == 1;
    tinyproxy_stop(&proxy);
    CHECK(ok);
    CHECK(mock_stat("deleted") == deleted + 1);
    return 1;
}

static int test_https_goes_through_a_connect_tunnel(void) {
    struct tinyproxy proxy;
    const char *tls_url = env("MONGODB_ATLAS_MOCK_TLS_URL");
    int port = port_of(tls_url), with_ca, without_ca, tunnels;
    atlas_error *error = NULL;
    if (!tinyproxy_start(&proxy, port, 0)) {
        tinyproxy_stop(&proxy);
        return skipped;
    }
    with_ca = delete_through(tls_url, proxy.url, env("ATLAS_TEST_CA_BUNDLE"), &error);
    if (with_ca != ATLAS_STATUS_OK) show(error);
    atlas_error_free(error);
    error = NULL;
    /* The certificate is checked end to end, through the tunnel. */
    without_ca = delete_through(tls_url, proxy.url, NULL, &error);
    tunnels = connects_to(&proxy, port);
    tinyproxy_stop(&proxy);
    CHECK(with_ca == ATLAS_STATUS_OK);
    CHECK(without_ca == ATLAS_STATUS_TRANSPORT);
    CHECK(strncmp(scan_error(error), "TLS failed", 10) == 0);
    atlas_error_free(error);
    CHECK(tunnels == 2);
    return 1;
}

static int test_https_proxy_is_honoured_and_no_proxy_bypasses_it(void) {
    struct tinyproxy proxy;
    const char *tls_url = env("MONGODB_ATLAS_MOCK_TLS_URL");
    const char *ca = env("ATLAS_TEST_CA_BUNDLE");
    int port = port_of(tls_url), proxied, bypassed, after_proxied, after_bypassed;
    atlas_error *error = NULL;
    if (!tinyproxy_start(&proxy, port, 0)) {
        tinyproxy_stop(&proxy);
        return skipped;
    }
    setenv("HTTPS_PROXY", proxy.url, 1);
    proxied = delete_through(tls_url, NULL, ca, &error);
    if (proxied != ATLAS_STATUS_OK) show(error);
    atlas_error_free(error);
    error = NULL;
    after_proxied = connects_to(&proxy, port);
    setenv("NO_PROXY", "example.com,127.0.0.1", 1);
    bypassed = delete_through(tls_url, NULL, ca, &error);
    if (bypassed != ATLAS_STATUS_OK) show(error);
    atlas_error_free(error);
    after_bypassed = connects_to(&proxy, port);
    unsetenv("NO_PROXY");
    unsetenv("HTTPS_PROXY");
    tinyproxy_stop(&proxy);
    CHECK(proxied == ATLAS_STATUS_OK && after_proxied == 1);
    CHECK(bypassed == ATLAS_STATUS_OK && after_bypassed == 1);
    return 1;
}

static int test_a_dead_proxy_is_named_with_its_source(void) {
    char url[128], expected[160];
    int port = dead_port();
    atlas_error *error = NULL;
    atlas_status status;
    CHECK(port > 0);
    snprintf(url, sizeof url, "http://" PROXY_USER ":" PROXY_PASSWORD "@127.0.0.1:%d", port);

    setenv("HTTPS_PROXY", url, 1);
    status = delete_through(env("MONGODB_ATLAS_MOCK_TLS_URL"), NULL, env("ATLAS_TEST_CA_BUNDLE"), &error);
    unsetenv("HTTPS_PROXY");
    snprintf(expected, sizeof expected,
             "could not connect to the proxy 127.0.0.1:%d (from HTTPS_PROXY): Connection refused",
             port);
    CHECK(names_the_proxy(status, error, expected));
    CHECK(strstr(atlas_error_message(error),
                 "; check that the proxy is up, or unset HTTPS_PROXY / set NO_PROXY for this "
                 "host") != NULL);
    atlas_error_free(error);
    error = NULL;

    status = delete_through(mock_base_url(), url, NULL, &error);
    snprintf(expected, sizeof expected,
             "could not connect to the proxy 127.0.0.1:%d (set explicitly): Connection refused",
             port);
    CHECK(names_the_proxy(status, error, expected));
    CHECK(strstr(atlas_error_message(error), "or change the client's proxy setting") != NULL);
    atlas_error_free(error);
    return 1;
}

static int test_a_proxy_wanting_credentials_takes_them_from_its_url(void) {
    struct tinyproxy proxy;
    char with_credentials[160], expected[200];
    int port = port_of(mock_base_url());
    atlas_error *refused = NULL, *accepted = NULL;
    atlas_status without, with;
    if (!tinyproxy_start(&proxy, port, 1)) {
        tinyproxy_stop(&proxy);
        return skipped;
    }
    snprintf(with_credentials, sizeof with_credentials,
             "http://" PROXY_USER ":" PROXY_PASSWORD "@%s", proxy.url + strlen("http://"));
    snprintf(expected, sizeof expected,
             "the proxy %s (set explicitly) refused to open a tunnel to 127.0.0.1:%d: HTTP 407 "
             "Proxy Authentication Required; the proxy wants credentials",
             proxy.url + strlen("http://"), port);
    without = delete_through(mock_base_url(), proxy.url, NULL, &refused);
    with = delete_through(mock_base_url(), with_credentials, NULL, &accepted);
    if (with != ATLAS_STATUS_OK) show(accepted);
    tinyproxy_stop(&proxy);
    atlas_error_free(accepted);
    CHECK(names_the_proxy(without, refused, expected));
    atlas_error_free(refused);
    CHECK(with == ATLAS_STATUS_OK);
    return 1;
}

int main(void) {
    scan_open("proxy", ATLAS_LOG_LEVEL_TRACE);
    /* A proxy the environment of `make` may name must not meddle. */
    unsetenv("HTTPS_PROXY");
    unsetenv("https_proxy");
    unsetenv("http_proxy");
    unsetenv("ALL_PROXY");
    unsetenv("all_proxy");
    unsetenv("NO_PROXY");
    unsetenv("no_proxy");
    RUN(test_http_goes_through_an_explicit_proxy);
    RUN(test_https_goes_through_a_connect_tunnel);
    RUN(test_https_proxy_is_honoured_and_no_proxy_bypasses_it);
    RUN(test_a_dead_proxy_is_named_with_its_source);
    RUN(test_a_proxy_wanting_credentials_takes_them_from_its_url);
    if (skipped) {
        if (getenv("ATLAS_REQUIRE_TINYPROXY") != NULL && getenv("ATLAS_REQUIRE_TINYPROXY")[0]) {
            fprintf(stderr, "tinyproxy is required (ATLAS_REQUIRE_TINYPROXY) but missing\n");
            failed++;
        } else {
            fprintf(stderr, "\n*** SKIPPED the tinyproxy tests: tinyproxy is not installed "
                            "(scripts/install-deps installs it) ***\n");
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    scan_close();
    return failed == 0 ? 0 : 1;
}
