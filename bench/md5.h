/* MD5 (RFC 1321), just enough for HTTP Digest in the wire-limit client:
 * the bench needs no crypto library. Not for anything but that. */
#ifndef ATLAS_BENCH_MD5_H
#define ATLAS_BENCH_MD5_H

#include <stddef.h>

/* Writes the 32 lowercase hex digits of MD5(data) and a NUL to hex. */
void md5_hex(const void *data, size_t len, char hex[33]);

#endif
