#include <zlib.h>

// inflateInit2 is a macro over inflateInit2_; expose a function Swift can call.
static inline int relops_inflate_init_gzip(z_streamp strm) {
    return inflateInit2(strm, 15 + 32); // 15-bit window, detect gzip or zlib header
}
