/* See canned_server.h. */
#define _POSIX_C_SOURCE 200809L

#include "canned_server.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* The Content-Length of the head in `request` (which ends the head with a
 * blank line), or 0. */
static size_t content_length(const char *request) {
    const char *line = request;
    while ((line = strstr(line, "\r\n")) != NULL && strncmp(line, "\r\n\r\n", 4) != 0) {
        static const char name[] = "content-length:";
        size_t i;
        line += 2;
        for (i = 0; name[i] != '\0' && tolower((unsigned char)line[i]) == name[i]; i++) {
        }
        if (name[i] == '\0') return (size_t)strtoul(line + i, NULL, 10);
    }
    return 0;
}

static void *serve_once(void *arg) {
    struct canned_server *server = arg;
    const size_t room = sizeof server->request - 1;
    size_t used = 0, wanted = room;
    int connection = accept(server->listener, NULL, NULL);
    if (connection < 0) return NULL;
    server->request[0] = '\0';
    while (used < wanted) {
        ssize_t n = read(connection, server->request + used, room - used);
        char *end;
        if (n <= 0) break;
        used += (size_t)n;
        server->request[used] = '\0';
        end = strstr(server->request, "\r\n\r\n");
        if (end != NULL && wanted == room) {
            wanted = (size_t)(end + 4 - server->request) + content_length(server->request);
            if (wanted > room) wanted = room;
        }
    }
    if (server->response == NULL) {
        /* Silent: hold the connection until the client gives up on it. */
        char sink[256];
        while (read(connection, sink, sizeof sink) > 0) {
        }
    } else if (write(connection, server->response, strlen(server->response)) < 0) {
        perror("canned server");
    }
    close(connection);
    return NULL;
}

int canned_server_start(struct canned_server *server, const char *response) {
    struct sockaddr_in address;
    socklen_t length = sizeof address;
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    server->response = response;
    server->request[0] = '\0';
    server->listener = socket(AF_INET, SOCK_STREAM, 0);
    if (server->listener < 0 ||
        bind(server->listener, (struct sockaddr *)&address, sizeof address) != 0 ||
        listen(server->listener, 1) != 0 ||
        getsockname(server->listener, (struct sockaddr *)&address, &length) != 0) {
        return 0;
    }
    snprintf(server->base_url, sizeof server->base_url, "http://127.0.0.1:%u/api/atlas/v1.0",
             (unsigned)ntohs(address.sin_port));
    return pthread_create(&server->thread, NULL, serve_once, server) == 0;
}

void canned_server_stop(struct canned_server *server) {
    pthread_join(server->thread, NULL);
    close(server->listener);
}
