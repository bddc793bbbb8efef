/**
 * The lowest layer of the wire: rsync's primitives (little-endian int32, varint, varlong,
 * legacy longint, vstrings, file-index encoding) and the multiplexed framing of both directions
 * (MSG_DATA and the message codes). Mirrors io.c and the msgcode/NDX definitions of rsync.h.
 */
package dev.jrsync.protocol.wire;
