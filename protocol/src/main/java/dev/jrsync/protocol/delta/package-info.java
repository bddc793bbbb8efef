/**
 * The delta algorithm: block and strong-sum sizes, the sum header and the signature the generator
 * sends, the sender's matcher, the uncompressed token stream, and the receiver's rebuilding of a
 * file from tokens and its basis. Mirrors generator.c:sum_sizes_sqroot() and generate_and_send_sums(),
 * match.c, io.c:read_sum_head()/write_sum_head(), token.c (simple tokens) and
 * receiver.c:receive_data().
 */
package dev.jrsync.protocol.delta;
