#ifndef RELOPS_HTTP_H
#define RELOPS_HTTP_H

#include <stddef.h>

/// One HTTP exchange's outcome. `body`, `retry_after` and `error` are malloc'd (or NULL) and
/// freed by relops_http_response_free.
typedef struct {
    long status;           /* HTTP status; 0 when no response came */
    char *body;            /* the response body (NUL-terminated), up to the size limit */
    size_t body_length;
    char *retry_after;     /* the Retry-After header's value, if any */
    int timed_out;         /* 1: no answer within the timeout */
    char *error;           /* a transport error (cannot connect, TLS …), or a load failure */
} relops_http_response;

/// POSTs `body` to `url` with the given header lines ("Name: value"), waiting at most
/// `timeout_ms`. Blocks the calling thread; safe to call from several threads at once.
/// libcurl is loaded on first use (dlopen), so relops starts without it. Returns 0 when an HTTP
/// response came (whatever its status), -1 otherwise (see `error` / `timed_out`).
int relops_http_post(const char *url, const char *const *headers, size_t header_count,
                     const char *body, size_t body_length, long timeout_ms, size_t body_limit,
                     relops_http_response *response);

void relops_http_response_free(relops_http_response *response);

#endif
