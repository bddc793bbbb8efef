/**
 * Everything before the roles start: the daemon greeting and its text phase, authentication, the
 * server argument list a client sends and a server parses, the transfer options, and the binary
 * setup (compat flags, checksum and compression negotiation, checksum seed). Mirrors
 * clientserver.c, authenticate.c, compat.c and options.c.
 */
package dev.jrsync.protocol.handshake;
