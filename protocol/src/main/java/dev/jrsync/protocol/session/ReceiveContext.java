package dev.jrsync.protocol.session;

import dev.jrsync.protocol.flist.FileEntry;
import dev.jrsync.protocol.flist.IdMapper;
import dev.jrsync.protocol.fs.ConfinedRoot;

import java.util.List;

/**
 * What the roles of one receiving transfer share: the session, the sorted file list (rsync's
 * cur_flist; {@link dev.jrsync.protocol.flist.FileListSort#clean} leaves null holes in it), the
 * uid/gid mapping, and where the files go. Built by {@link Receiving#run} once the destination is
 * known and never changed afterwards, so the generator and receiver threads both read it.
 *
 * @param root       the confined destination root
 * @param destPrefix directory inside the root that receives the transfer ("" = the root)
 * @param soloFile   the name a single regular file is written under, or null
 */
record ReceiveContext(Session session, ConfinedRoot root, String destPrefix, List<FileEntry> sorted,
                      IdMapper ids, String soloFile) {

    /** Where an entry lands inside the root (the outcome of main.c:get_local_name()). */
    String dest(FileEntry e) {
        if (soloFile != null) {
            return soloFile;
        }
        return SourceScanner.join(destPrefix, e.name().equals(".") ? "" : e.name());
    }
}
