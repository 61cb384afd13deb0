/* The wire limit: the least a client can do for one Digest-authenticated
 * delete on a kept-alive connection. One TCP connection; one unauthenticated
 * request for the challenge; then every request (the warm-up and DELETES
 * timed ones) is built before the clock starts, so the timed loop is one
 * send and one receive per delete, and every answer must be 204.
 *
 * Apache checks nonce counts (AuthDigestNcCheck On: an nc it has already
 * accepted for the nonce is refused), so a single pre-built Authorization
 * header would be refused from its second use: each request carries its
 * own answer with nc = 1, 2, 3 ..., all computed in advance.
 *
 *   BENCH_URL=http://127.0.0.1:PORT/PREFIX BENCH_PUBLIC_KEY=... BENCH_PRIVATE_KEY=... \
 *     wire DELETES
 *
 * Prints one JSON line (bench/measure.h). Plain HTTP to an IPv4 literal only. */
#define _POSIX_C_SOURCE 200809L

#include "md5.h"
#include "measure.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define CNONCE "0a4f113b"
#define REQUEST_MAX 1024

/* One connection and the bytes read from it but not yet consumed. */
struct conn {
    int fd;
    size_t len;
    char buf[65536];
};

static void send_all(int fd, const char *data, size_t len) {
    while (len > 0) {
        ssize_t n = send(fd, data, len, 0);
        if (n <= 0) bench_fail("send", "the connection failed");
        data += n;
        len -= (size_t)n;
    }
}

static void receive_more(struct conn *c) {
    ssize_t n;
    if (c->len == sizeof c->buf) bench_fail("receive", "response head too large");
    n = recv(c->fd, c->buf + c->len, sizeof c->buf - c->len, 0);
    if (n <= 0) bench_fail("receive", "the server closed the connection");
    c->len += (size_t)n;
}

/* The length of the response head (through its blank line) at the start
 * of buf[0..len], or 0 while it is incomplete. */
static size_t head_length(const char *buf, size_t len) {
    const char *p = buf, *end = buf + len;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        p++;
        if (end - p >= 2 && p[0] == '\r' && p[1] == '\n') return (size_t)(p + 2 - buf);
    }
    return 0;
}

/* What follows header `name` (given with its colon, matched in any case)
 * in the head, or NULL. */
static const char *header(const char *head, size_t head_len, const char *name) {
    size_t n = strlen(name);
    const char *p = head, *end = head + head_len;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        p++;
        if ((size_t)(end - p) > n && strncasecmp(p, name, n) == 0) return p + n;
    }
    return NULL;
}

/* Reads one response and returns its status; its head (NUL-terminated) is
 * copied to `head` when that is not NULL. The body, if any, is skipped by
 * Content-Length (Apache sends one with its 401 page; 204 has none). */
static int read_response(struct conn *c, char *head, size_t head_size) {
    const char *length;
    size_t head_len, body_len = 0, total;
    int status;

    while ((head_len = head_length(c->buf, c->len)) == 0) receive_more(c);
    if (sscanf(c->buf, "HTTP/1.%*d %d", &status) != 1) bench_fail("response", "no status line");
    if (header(c->buf, head_len, "Transfer-Encoding:") != NULL) {
        bench_fail("response", "chunked bodies are not expected");
    }
    length = header(c->buf, head_len, "Content-Length:");
    if (length != NULL) body_len = strtoul(length, NULL, 10);
    if (head != NULL) {
        size_t n = head_len < head_size ? head_len : head_size - 1;
        memcpy(head, c->buf, n);
        head[n] = '\0';
    }
    total = head_len + body_len;
    if (total > sizeof c->buf) bench_fail("response", "body too large");
    while (c->len < total) receive_more(c);
    c->len -= total;
    if (c->len > 0) memmove(c->buf, c->buf + total, c->len);
    return status;
}

/* The value of `name` in a Digest challenge (quoted or not), or "". */
static void challenge_param(const char *challenge, const char *name, char *out, size_t size) {
    size_t n = strlen(name), i = 0;
    const char *p = challenge;
    out[0] = '\0';
    while ((p = strstr(p, name)) != NULL) {
        int boundary = p == challenge || p[-1] == ' ' || p[-1] == ',';
        if (boundary && p[n] == '=') {
            char close = p[n + 1] == '"' ? '"' : ',';
            p += n + 1 + (close == '"');
            while (*p != '\0' && *p != close && *p != '\r' && i + 1 < size) out[i++] = *p++;
            out[i] = '\0';
            return;
        }
        p += n;
    }
}

/* Sends pre-built request i and fails unless the answer is 204. */
static void exchange(struct conn *c, const char *requests, const size_t *offsets, unsigned long i) {
    int status;
    char message[64];
    send_all(c->fd, requests + offsets[i], offsets[i + 1] - offsets[i]);
    status = read_response(c, NULL, 0);
    if (status != 204) {
        snprintf(message, sizeof message, "delete %lu answered %d", i, status);
        bench_fail("not 204", message);
    }
}

static int connect_to(const char *host, unsigned port) {
    struct sockaddr_in addr;
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) bench_fail("not an IPv4 address", host);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        bench_fail("connect", host);
    }
    /* Each request is one send and the next waits for the answer, so Nagle
     * would never delay one; set anyway, as any latency-minded client does. */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

int main(int argc, char **argv) {
    unsigned long deletes = bench_number_arg(argc, argv, 1, 2000), i;
    const char *url = bench_env("BENCH_URL"), *user = bench_env("BENCH_PUBLIC_KEY");
    const char *password = bench_env("BENCH_PRIVATE_KEY");
    char host[64], prefix[512], host_header[96], uri[640], key[25], head[8192], line[1024];
    char realm[128], nonce[256], opaque[256], qop[64], ha1[33], ha2[33], answer[33];
    char *requests;
    size_t *offsets;
    uint64_t *latencies, started, before;
    unsigned port;
    int status;
    static struct conn c;

    if (deletes == 0) bench_fail("DELETES must be positive", argv[1]);
    if (sscanf(url, "http://%63[^:/]:%u%511s", host, &port, prefix) != 3) {
        bench_fail("BENCH_URL is not http://IPV4:PORT/PREFIX", url);
    }
    snprintf(host_header, sizeof host_header, "%s:%u", host, port);
    requests = malloc((deletes + 1) * REQUEST_MAX);
    offsets = malloc((deletes + 2) * sizeof *offsets);
    latencies = malloc(deletes * sizeof *latencies);
    if (requests == NULL || offsets == NULL || latencies == NULL) bench_fail("malloc", "failed");

    /* The challenge: one unauthenticated request for the warm-up key. */
    c.fd = connect_to(host, port);
    bench_key_id(0, 0, key);
    snprintf(uri, sizeof uri, "%s/orgs/%s/apiKeys/%s", prefix, BENCH_ORG, key);
    snprintf(line, sizeof line, "DELETE %s HTTP/1.1\r\nHost: %s\r\n\r\n", uri, host_header);
    send_all(c.fd, line, strlen(line));
    status = read_response(&c, head, sizeof head);
    if (status != 401) bench_fail("expected a 401 challenge", head);
    {
        const char *challenge = header(head, strlen(head), "WWW-Authenticate: Digest ");
        if (challenge == NULL) bench_fail("no Digest challenge", head);
        challenge_param(challenge, "realm", realm, sizeof realm);
        challenge_param(challenge, "nonce", nonce, sizeof nonce);
        challenge_param(challenge, "opaque", opaque, sizeof opaque);
        challenge_param(challenge, "qop", qop, sizeof qop);
        if (nonce[0] == '\0' || strstr(qop, "auth") == NULL) {
            bench_fail("challenge without a nonce or qop=auth", challenge);
        }
    }
    snprintf(line, sizeof line, "%s:%s:%s", user, realm, password);
    md5_hex(line, strlen(line), ha1);

    /* Every request, built before the clock starts. */
    offsets[0] = 0;
    for (i = 0; i <= deletes; i++) {
        char opaque_param[300] = "";
        int n;
        bench_key_id(0, i, key);
        snprintf(uri, sizeof uri, "%s/orgs/%s/apiKeys/%s", prefix, BENCH_ORG, key);
        snprintf(line, sizeof line, "DELETE:%s", uri);
        md5_hex(line, strlen(line), ha2);
        snprintf(line, sizeof line, "%s:%s:%08lx:%s:auth:%s", ha1, nonce, i + 1, CNONCE, ha2);
        md5_hex(line, strlen(line), answer);
        if (opaque[0] != '\0') snprintf(opaque_param, sizeof opaque_param, ", opaque=\"%s\"", opaque);
        n = snprintf(requests + offsets[i], REQUEST_MAX,
                     "DELETE %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Digest username=\"%s\", "
                     "realm=\"%s\", nonce=\"%s\", uri=\"%s\", algorithm=MD5, response=\"%s\"%s, "
                     "qop=auth, nc=%08lx, cnonce=\"%s\"\r\n\r\n",
                     uri, host_header, user, realm, nonce, uri, answer, opaque_param, i + 1, CNONCE);
        if (n <= 0 || n >= REQUEST_MAX) bench_fail("request", "too long");
        offsets[i + 1] = offsets[i] + (size_t)n;
    }

    exchange(&c, requests, offsets, 0);
    started = bench_now_ns();
    for (i = 1; i <= deletes; i++) {
        before = bench_now_ns();
        exchange(&c, requests, offsets, i);
        latencies[i - 1] = bench_now_ns() - before;
    }
    bench_print_result(deletes, bench_now_ns() - started, latencies);
    close(c.fd);
    free(requests);
    free(offsets);
    free(latencies);
    return 0;
}
