/**
 * The rsync protocol engine, independent of any transport: it runs over any pair of blocking
 * streams (a socket bridge, an ssh pipe, stdin/stdout, in-memory pipes). This package holds what
 * every part shares: the exit codes and the exception that carries one (errcode.h, cleanup.c
 * exit_cleanup()), and the memory budget behind --max-alloc (util2.c my_alloc()). The wire itself
 * belongs to the sub-packages.
 */
package dev.jrsync.protocol;
