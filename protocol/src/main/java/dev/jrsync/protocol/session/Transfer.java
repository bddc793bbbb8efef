package dev.jrsync.protocol.session;

import dev.jrsync.protocol.flist.FlistOptions;
import dev.jrsync.protocol.handshake.Compat;
import dev.jrsync.protocol.handshake.TransferOptions;
import dev.jrsync.protocol.wire.WireInput;
import dev.jrsync.protocol.wire.WireOutput;

import java.io.IOException;

/** Small pieces shared by the roles. Stateless. */
final class Transfer {
    private Transfer() {
    }

    static FlistOptions flistOptions(Session s) {
        TransferOptions o = s.options();
        Compat.Result r = s.setupResult();
        int proto = s.protocol();
        return new FlistOptions(proto, r.has(Compat.CF_VARINT_FLIST_FLAGS), o.owner, o.group, o.links,
                o.devices, o.specials, o.numericIds, r.has(Compat.CF_ID0_NAMES),
                r.has(Compat.CF_SAFE_FLIST) || proto >= 31, o.checksum ? s.profile().digestLength() : 0, false,
                o.recursive);
    }

    /** NDX_DEL_STATS body: files, dirs, symlinks, devices, specials (main.c:read_del_stats()). */
    static int[] readDelStats(WireInput in) throws IOException {
        int[] v = new int[5];
        for (int i = 0; i < 5; i++) {
            v[i] = in.readVarint();
        }
        return v;
    }

    static void applyDelStats(Session s, int[] v) {
        Stats st = s.stats();
        st.deletedFiles.set(v[0]);
        st.deletedDirs.set(v[1]);
        st.deletedSymlinks.set(v[2]);
        st.deletedDevices.set(v[3]);
        st.deletedSpecials.set(v[4]);
    }

    static void writeDelStats(Session s, WireOutput out) throws IOException {
        Stats st = s.stats();
        out.writeVarint((int) st.deletedFiles.get());
        out.writeVarint((int) st.deletedDirs.get());
        out.writeVarint((int) st.deletedSymlinks.get());
        out.writeVarint((int) st.deletedDevices.get());
        out.writeVarint((int) st.deletedSpecials.get());
    }
}
