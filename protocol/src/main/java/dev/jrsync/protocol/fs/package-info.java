/**
 * All local file access of the roles, confined to a root that nothing may escape (openat2 with
 * RESOLVE_BENEATH, or a per-component O_NOFOLLOW walk, through java.lang.foreign), and the
 * receiver's temp-file-and-rename. Owns no part of the wire; it stands in for the system calls
 * rsync makes through syscall.c and util1.c (do_mkstemp(), robust_rename(), and the
 * secure_relative_open() checks).
 */
package dev.jrsync.protocol.fs;
