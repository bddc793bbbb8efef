/**
 * The roles once the setup is done, and the phases of the transfer on the wire: the sender, and
 * the receiving side as a generator and a receiver on two threads with redo requests between
 * them; the file indexes, item flags, sum heads and file data of each phase, deletions, delete
 * statistics and the final statistics. Mirrors main.c (do_recv(), handle_stats(),
 * read_final_goodbye()), sender.c, generator.c, receiver.c, delete.c, rsync.c:set_file_attrs(),
 * the file-list building of flist.c:send_file_list() and log.c's item lines.
 */
package dev.jrsync.protocol.session;
