/**
 * The compressed token streams that carry file data: the flag-byte framing shared by all codecs,
 * and zlib, zlibx, lz4 and zstd, plus adapters for the plain stream. Mirrors token.c.
 */
package dev.jrsync.protocol.token;
