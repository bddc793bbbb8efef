/**
 * The file list on the wire: entries and their XMIT flags, name prefix compression, the io_error
 * trailer, uid/gid name lists and their local mapping, and the sort order both sides must share.
 * Mirrors flist.c (send_file_entry(), recv_file_entry(), f_name_cmp(), flist_sort_and_clean()),
 * uidlist.c and the XMIT_* and IOERR_* definitions of rsync.h.
 */
package dev.jrsync.protocol.flist;
