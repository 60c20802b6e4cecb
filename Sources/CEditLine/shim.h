#include <stdio.h>
#include <histedit.h>

// el_set, el_get and history are variadic: Swift cannot call them. These small
// non-variadic wrappers cover the calls the shell makes (as GRDB does for SQLite).

typedef char *(*relops_prompt_fn)(EditLine *);
typedef unsigned char (*relops_key_fn)(EditLine *, int);

static inline int relops_el_set_prompt(EditLine *el, relops_prompt_fn fn) {
    return el_set(el, EL_PROMPT, fn);
}
static inline int relops_el_set_editor(EditLine *el, const char *mode) {
    return el_set(el, EL_EDITOR, mode);
}
static inline int relops_el_set_history(EditLine *el, History *h) {
    return el_set(el, EL_HIST, history, h);
}
static inline int relops_el_set_signal(EditLine *el, int on) {
    return el_set(el, EL_SIGNAL, on);
}
static inline int relops_el_add_function(EditLine *el, const char *name, const char *help, relops_key_fn fn) {
    return el_set(el, EL_ADDFN, name, help, fn);
}
static inline int relops_el_bind(EditLine *el, const char *key, const char *fn) {
    return el_set(el, EL_BIND, key, fn, (const char *)0);
}
static inline int relops_el_set_clientdata(EditLine *el, void *data) {
    return el_set(el, EL_CLIENTDATA, data);
}
static inline void *relops_el_get_clientdata(EditLine *el) {
    void *data = 0;
    el_get(el, EL_CLIENTDATA, &data);
    return data;
}
static inline int relops_history_setsize(History *h, HistEvent *ev, int size) {
    return history(h, ev, H_SETSIZE, size);
}
static inline int relops_history_setunique(History *h, HistEvent *ev, int unique) {
    return history(h, ev, H_SETUNIQUE, unique);
}
static inline int relops_history_enter(History *h, HistEvent *ev, const char *line) {
    return history(h, ev, H_ENTER, line);
}
static inline int relops_history_load(History *h, HistEvent *ev, const char *path) {
    return history(h, ev, H_LOAD, path);
}
static inline int relops_history_save(History *h, HistEvent *ev, const char *path) {
    return history(h, ev, H_SAVE, path);
}
// Ctrl-C while editing arrives as a key (bound to relops' handler), not as SIGINT.
static inline int relops_el_setty_no_isig(EditLine *el) {
    return el_set(el, EL_SETTY, "-d", "-isig", (const char *)0);
}
