#define _POSIX_C_SOURCE 200112L

#include "mock_control.h"

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Not support.h's env(): tests/install builds this file without support.c. */
const char *mock_base_url(void) {
    const char *url = getenv("MONGODB_ATLAS_BASE_URL");
    if (url == NULL) {
        fprintf(stderr, "MONGODB_ATLAS_BASE_URL is not set: run these tests through `make test-c`\n");
        exit(2);
    }
    return url;
}

int mock_origin(char *out, size_t out_len) {
    const char *url = mock_base_url();
    const char *api = strstr(url, "/api/");
    if (api == NULL || (size_t)(api - url) >= out_len) return 0;
    snprintf(out, out_len, "%.*s", (int)(api - url), url);
    return 1;
}

/* "http://HOST:PORT/..." -> host and port strings. */
static int split_url(char *host, size_t host_len, char *port, size_t port_len) {
    const char *start = strstr(mock_base_url(), "://");
    const char *colon, *end;
    if (start == NULL) return -1;
    start += 3;
    colon = strchr(start, ':');
    if (colon == NULL) return -1;
    end = strchr(colon, '/');
    if (end == NULL) end = colon + strlen(colon);
    if ((size_t)(colon - start) >= host_len || (size_t)(end - colon - 1) >= port_len) return -1;
    memcpy(host, start, (size_t)(colon - start));
    host[colon - start] = '\0';
    memcpy(port, colon + 1, (size_t)(end - colon - 1));
    port[end - colon - 1] = '\0';
    return 0;
}

static int connect_to_mock(void) {
    char host[64], port[16];
    struct addrinfo hints, *found = NULL;
    int fd;
    if (split_url(host, sizeof host, port, sizeof port) != 0) return -1;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, port, &hints, &found) != 0) return -1;
    fd = socket(found->ai_family, found->ai_socktype, found->ai_protocol);
    if (fd >= 0 && connect(fd, found->ai_addr, found->ai_addrlen) != 0) {
        close(fd);
        fd = -1;
    }
    freeaddrinfo(found);
    return fd;
}

/* The most of a control's answer read: enough for the whole request log. */
#define MAX_ANSWER (1u << 18)

/* mock_request, handing the whole body to `take` (when not NULL). */
static int request_with(const char *method, const char *path, const char *body,
                        void (*take)(const char *payload, void *context), void *context) {
    char request[1024], *response;
    size_t have = 0;
    ssize_t n;
    int fd, status = -1, length;
    const char *payload;
    if (body == NULL) body = "";
    length = snprintf(request, sizeof request,
                      "%s %s HTTP/1.1\r\nHost: mock\r\nConnection: close\r\n"
                      "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                      method, path, strlen(body), body);
    if (length < 0 || (size_t)length >= sizeof request) return -1;
    fd = connect_to_mock();
    if (fd < 0) return -1;
    if (write(fd, request, (size_t)length) != length) {
        close(fd);
        return -1;
    }
    response = malloc(MAX_ANSWER);
    if (response == NULL) {
        close(fd);
        return -1;
    }
    while (have < MAX_ANSWER - 1 && (n = read(fd, response + have, MAX_ANSWER - 1 - have)) > 0) {
        have += (size_t)n;
    }
    close(fd);
    response[have] = '\0';
    if (sscanf(response, "HTTP/1.1 %d", &status) == 1 && take != NULL) {
        payload = strstr(response, "\r\n\r\n");
        take(payload ? payload + 4 : "", context);
    }
    free(response);
    return status;
}

/* Where a body goes: a buffer and its size. */
struct sink {
    char *out;
    size_t len;
};

/* Copies the start of the body into the sink, cut to fit. */
static void copy_start(const char *payload, void *context) {
    struct sink *sink = context;
    strncpy(sink->out, payload, sink->len - 1);
    sink->out[sink->len - 1] = '\0';
}

/* Copies the last object of a flat JSON array into the sink, cut to fit. */
static void copy_last_object(const char *payload, void *context) {
    const char *last = strrchr(payload, '{');
    copy_start(last != NULL ? last : "", context);
}

int mock_request(const char *method, const char *path, const char *body, char *out,
                 size_t out_len) {
    struct sink sink;
    sink.out = out;
    sink.len = out_len;
    return request_with(method, path, body, out != NULL && out_len > 0 ? copy_start : NULL,
                        &sink);
}

int mock_last_request(char *out, size_t out_len) {
    struct sink sink;
    sink.out = out;
    sink.len = out_len;
    if (out == NULL || out_len == 0) return 0;
    out[0] = '\0';
    return request_with("GET", "/__mock/requests", NULL, copy_last_object, &sink) == 200 &&
           out[0] == '{';
}

long mock_stat(const char *name) {
    char body[2048], key[64];
    const char *at;
    if (mock_request("GET", "/__mock/stats", NULL, body, sizeof body) != 200) return -1;
    snprintf(key, sizeof key, "\"%s\":", name);
    at = strstr(body, key);
    return at ? strtol(at + strlen(key), NULL, 10) : -1;
}

int mock_add_key(const char *org_id, const char *key_id) {
    char body[256];
    snprintf(body, sizeof body, "{\"org_id\":\"%s\",\"key_id\":\"%s\"}", org_id, key_id);
    return mock_request("POST", "/__mock/keys", body, NULL, 0) == 201 ? 0 : -1;
}

void new_key_id(const char *prefix, char out[25]) {
    static unsigned counter;
    snprintf(out, 25, "%.12s%06x%06x", prefix, (unsigned)getpid() & 0xffffffu,
             ++counter & 0xffffffu);
}

int mock_new_key(const char *org_id, const char *prefix, char out[25]) {
    new_key_id(prefix, out);
    return mock_add_key(org_id, out) == 0;
}

int mock_inject_status(int status, int retry_after, int count) {
    char body[256];
    if (retry_after >= 0) {
        snprintf(body, sizeof body,
                 "{\"fault\":{\"kind\":\"status\",\"status\":%d,\"retry_after\":%d},\"count\":%d}",
                 status, retry_after, count);
    } else {
        snprintf(body, sizeof body,
                 "{\"fault\":{\"kind\":\"status\",\"status\":%d},\"count\":%d}", status, count);
    }
    return mock_request("POST", "/__mock/faults", body, NULL, 0) == 204 ? 0 : -1;
}

int mock_inject_delay(int millis) {
    char body[128];
    snprintf(body, sizeof body, "{\"fault\":{\"kind\":\"delay\",\"millis\":%d}}", millis);
    return mock_request("POST", "/__mock/faults", body, NULL, 0) == 204 ? 0 : -1;
}
