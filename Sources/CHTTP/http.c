// HTTP POST through libcurl, loaded at the first call rather than linked: libcurl and the
// libraries it pulls in (TLS, HTTP/2, Kerberos, LDAP …) cost a process ~10 ms to load, which
// every relops start would pay for a feature (the openai replay runner) most runs never use.

#define _GNU_SOURCE
#include "relops_http.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static struct {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_perform)(CURL *);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    void (*easy_cleanup)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    char load_error[512];
    int loaded;
} curl;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;

static void load(void) {
    const char *names[] = {"libcurl.so.4", "libcurl-gnutls.so.4", "libcurl.so", "libcurl.4.dylib", "libcurl.dylib"};
    void *handle = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && !handle; i++) handle = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        snprintf(curl.load_error, sizeof curl.load_error,
                 "the openai runner needs libcurl (Debian: apt install libcurl4): %s", dlerror());
        return;
    }
#define SYMBOL(field, name) \
    if (!(*(void **)&curl.field = dlsym(handle, name))) { \
        snprintf(curl.load_error, sizeof curl.load_error, "libcurl lacks %s", name); \
        return; \
    }
    SYMBOL(global_init, "curl_global_init")
    SYMBOL(easy_init, "curl_easy_init")
    SYMBOL(easy_setopt, "curl_easy_setopt")
    SYMBOL(easy_perform, "curl_easy_perform")
    SYMBOL(easy_getinfo, "curl_easy_getinfo")
    SYMBOL(easy_cleanup, "curl_easy_cleanup")
    SYMBOL(easy_strerror, "curl_easy_strerror")
    SYMBOL(slist_append, "curl_slist_append")
    SYMBOL(slist_free_all, "curl_slist_free_all")
#undef SYMBOL
    // Once, before any thread uses curl (curl_global_init is not thread-safe).
    if (curl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(curl.load_error, sizeof curl.load_error, "libcurl did not initialise");
        return;
    }
    curl.loaded = 1;
}

typedef struct {
    char *data;
    size_t length;
    size_t capacity;
    size_t limit;
} buffer;

static size_t on_body(char *chunk, size_t size, size_t count, void *user) {
    buffer *b = user;
    size_t n = size * count;
    size_t keep = b->length >= b->limit ? 0 : (n < b->limit - b->length ? n : b->limit - b->length);
    if (keep > 0) {
        if (b->length + keep + 1 > b->capacity) {
            size_t capacity = b->capacity ? b->capacity : 16384;
            while (capacity < b->length + keep + 1) capacity *= 2;
            char *grown = realloc(b->data, capacity);
            if (!grown) return 0;
            b->data = grown;
            b->capacity = capacity;
        }
        memcpy(b->data + b->length, chunk, keep);
        b->length += keep;
        b->data[b->length] = 0;
    }
    return n;  // past the limit the rest is read and dropped
}

static size_t on_header(char *line, size_t size, size_t count, void *user) {
    char **retry_after = user;
    size_t n = size * count;
    const char name[] = "retry-after:";
    if (n > sizeof name - 1 && strncasecmp(line, name, sizeof name - 1) == 0) {
        size_t start = sizeof name - 1, end = n;
        while (start < end && (line[start] == ' ' || line[start] == '\t')) start++;
        while (end > start && (line[end - 1] == '\r' || line[end - 1] == '\n' || line[end - 1] == ' ')) end--;
        free(*retry_after);
        *retry_after = strndup(line + start, end - start);
    }
    return n;
}

int relops_http_post(const char *url, const char *const *headers, size_t header_count,
                     const char *body, size_t body_length, long timeout_ms, size_t body_limit,
                     relops_http_response *response) {
    memset(response, 0, sizeof *response);
    pthread_once(&load_once, load);
    if (!curl.loaded) {
        response->error = strdup(curl.load_error);
        return -1;
    }
    CURL *easy = curl.easy_init();
    if (!easy) {
        response->error = strdup("libcurl could not make a handle");
        return -1;
    }
    struct curl_slist *list = NULL;
    for (size_t i = 0; i < header_count; i++) list = curl.slist_append(list, headers[i]);
    buffer received = {NULL, 0, 0, body_limit};
    curl.easy_setopt(easy, CURLOPT_URL, url);
    curl.easy_setopt(easy, CURLOPT_POST, 1L);
    curl.easy_setopt(easy, CURLOPT_POSTFIELDS, body);
    curl.easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_length);
    curl.easy_setopt(easy, CURLOPT_HTTPHEADER, list);
    curl.easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
    curl.easy_setopt(easy, CURLOPT_WRITEDATA, &received);
    curl.easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
    curl.easy_setopt(easy, CURLOPT_HEADERDATA, &response->retry_after);
    curl.easy_setopt(easy, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl.easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    curl.easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for timeouts
    CURLcode code = curl.easy_perform(easy);
    int result = 0;
    if (code == CURLE_OK) {
        curl.easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &response->status);
    } else if (code == CURLE_OPERATION_TIMEDOUT) {
        response->timed_out = 1;
        result = -1;
    } else {
        response->error = strdup(curl.easy_strerror(code));
        result = -1;
    }
    response->body = received.data;
    response->body_length = received.length;
    curl.slist_free_all(list);
    curl.easy_cleanup(easy);
    return result;
}

void relops_http_response_free(relops_http_response *response) {
    free(response->body);
    free(response->retry_after);
    free(response->error);
    memset(response, 0, sizeof *response);
}
