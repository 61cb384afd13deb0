/* A server on 127.0.0.1 that answers one request with a canned response and
 * hangs up, for answers the mock would never give; it keeps the request it
 * read (head and body) for the test to check what was sent. With a NULL
 * response it never answers: it holds the connection until the client
 * closes it. */
#ifndef ATLAS_TESTS_CANNED_SERVER_H
#define ATLAS_TESTS_CANNED_SERVER_H

#include <pthread.h>

struct canned_server {
    int listener;
    const char *response;
    pthread_t thread;
    /* http://127.0.0.1:PORT/api/atlas/v1.0 */
    char base_url[64];
    /* The request as read, NUL-terminated (cut short if longer). */
    char request[8192];
};

/* Starts `server`; the caller must make exactly one request to its base_url,
 * then call canned_server_stop (after closing the connection, when the
 * response is NULL). Returns 1 on success. */
int canned_server_start(struct canned_server *server, const char *response);

/* Waits for the request to be answered and closes the listener. */
void canned_server_stop(struct canned_server *server);

#endif
