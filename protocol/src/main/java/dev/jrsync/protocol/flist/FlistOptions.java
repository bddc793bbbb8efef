package dev.jrsync.protocol.flist;

/**
 * What both sides negotiated that changes the file-list encoding. Immutable.
 *
 * @param protocol         negotiated protocol version, 27..32
 * @param varintFlags      CF_VARINT_FLIST_FLAGS: entry flags as varints
 * @param preserveUid      {@code -o}
 * @param preserveGid      {@code -g}
 * @param preserveLinks    {@code -l}
 * @param preserveDevices  {@code -D} / {@code --devices}
 * @param preserveSpecials {@code -D} / {@code --specials}
 * @param numericIds       {@code --numeric-ids} as sent by the client: no uid/gid name lists on the wire
 *                         (a daemon's "numeric ids = yes" keeps the lists; pass false and ignore the names)
 * @param xmitId0Names     CF_ID0_NAMES: the id lists also carry the names of uid/gid 0
 * @param safeFlist        CF_SAFE_FLIST or protocol &ge; 31: io_error may end the list
 * @param checksumLength   0 without {@code -c}, else the whole-file digest length
 * @param relativePaths    {@code -R}: names may start with '/' (the reader strips it)
 * @param recursive        {@code -r}: only used for protocols &lt; 30, where the reader infers which
 *                         directories are content directories (rsync's in_del_hier)
 */
public record FlistOptions(int protocol, boolean varintFlags, boolean preserveUid, boolean preserveGid,
                           boolean preserveLinks, boolean preserveDevices, boolean preserveSpecials,
                           boolean numericIds, boolean xmitId0Names, boolean safeFlist, int checksumLength,
                           boolean relativePaths, boolean recursive) {
    public FlistOptions {
        if (protocol < 27 || protocol > 32) {
            throw new IllegalArgumentException("protocol: " + protocol + " (expected: 27..32)");
        }
        if (varintFlags && protocol < 30) {
            throw new IllegalArgumentException("varint flist flags with protocol " + protocol + " (expected: >= 30)");
        }
        if (checksumLength < 0 || checksumLength > 64) {
            throw new IllegalArgumentException("checksum length: " + checksumLength + " (expected: 0..64)");
        }
    }

    /**
     * Without the {@code recursive} hint: for protocols &lt; 30 only XMIT_TOP_DIR directories count as
     * content directories (the safe choice for {@code --delete}); pass the real value when known.
     */
    public FlistOptions(int protocol, boolean varintFlags, boolean preserveUid, boolean preserveGid,
                        boolean preserveLinks, boolean preserveDevices, boolean preserveSpecials,
                        boolean numericIds, boolean xmitId0Names, boolean safeFlist, int checksumLength,
                        boolean relativePaths) {
        this(protocol, varintFlags, preserveUid, preserveGid, preserveLinks, preserveDevices, preserveSpecials,
                numericIds, xmitId0Names, safeFlist, checksumLength, relativePaths, false);
    }
}
