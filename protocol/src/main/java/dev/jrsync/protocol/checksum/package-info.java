/**
 * The checksums on the wire: the rolling sum (sum1), the seeded strong block sums (sum2) and the
 * whole-file and file-list digests, for every negotiable algorithm (md4, md5, sha1, xxh64, xxh3,
 * xxh128). Mirrors checksum.c (and the sum1 steps of match.c).
 */
package dev.jrsync.protocol.checksum;
