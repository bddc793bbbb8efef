package dev.jrsync.protocol.handshake;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.checksum.ChecksumType;
import dev.jrsync.protocol.wire.WireInput;
import dev.jrsync.protocol.wire.WireOutput;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

/**
 * The binary setup after the argument list: compat flags, checksum negotiation and the checksum
 * seed. Mirrors compat.c:setup_protocol() and negotiate_the_strings(). Stateless.
 */
public final class Compat {
    public static final int CF_INC_RECURSE = 1;
    public static final int CF_SYMLINK_TIMES = 1 << 1;
    public static final int CF_SYMLINK_ICONV = 1 << 2;
    public static final int CF_SAFE_FLIST = 1 << 3;
    public static final int CF_AVOID_XATTR_OPTIM = 1 << 4;
    public static final int CF_CHKSUM_SEED_FIX = 1 << 5;
    public static final int CF_INPLACE_PARTIAL_DIR = 1 << 6;
    public static final int CF_VARINT_FLIST_FLAGS = 1 << 7;
    public static final int CF_ID0_NAMES = 1 << 8;

    /** Canonical preference order; md4 is never offered for negotiation (rsync-protocol.md §7.6). */
    public static final List<String> CLIENT_CHECKSUMS = List.of("xxh128", "xxh3", "xxh64", "md5", "sha1");
    public static final List<String> SERVER_CHECKSUMS = List.of("xxh128", "xxh3", "xxh64", "md5", "sha1", "none");

    private static final SecureRandom RANDOM = new SecureRandom();

    private Compat() {
    }

    /** What both sides agreed on. */
    public record Result(int protocol, int compatFlags, ChecksumType checksum, boolean checksumNegotiated, int seed) {
        public boolean has(int flag) {
            return (compatFlags & flag) != 0;
        }
    }

    /** Server side: compute and send compat flags, negotiate, send the seed. */
    public static Result serverSetup(WireInput in, WireOutput out, int protocol, TransferOptions o) throws IOException {
        int flags = 0;
        boolean negotiate = false;
        if (protocol >= 30) {
            String caps = o.capabilities == null ? "" : o.capabilities;
            flags |= CF_SYMLINK_TIMES;
            if (caps.indexOf('f') >= 0) {
                flags |= CF_SAFE_FLIST;
            }
            if (caps.indexOf('x') >= 0) {
                flags |= CF_AVOID_XATTR_OPTIM;
            }
            if (caps.indexOf('C') >= 0) {
                flags |= CF_CHKSUM_SEED_FIX;
            }
            if (caps.indexOf('I') >= 0) {
                flags |= CF_INPLACE_PARTIAL_DIR;
            }
            if (caps.indexOf('v') >= 0) {
                flags |= CF_VARINT_FLIST_FLAGS;
                negotiate = true;
            }
            if (caps.indexOf('u') >= 0) {
                flags |= CF_ID0_NAMES;
            }
            out.writeVarint(flags);
        }
        ChecksumType type = o.checksumChoice == null ? null : explicitChoice(o.checksumChoice);
        boolean negotiated = type != null;
        if (type == null && negotiate) {
            out.writeVstring(String.join(" ", SERVER_CHECKSUMS));
            out.flush();
            String theirs = in.readVstring(1024);
            type = pick(List.of(theirs.trim().split("\\s+")), SERVER_CHECKSUMS)
                    .orElseThrow(() -> new RsyncException(ExitCode.RERR_UNSUPPORTED,
                            "Failed to negotiate a checksum choice."));
            negotiated = true;
        }
        if (type == null) {
            type = protocol >= 30 ? ChecksumType.MD5 : ChecksumType.MD4;
        }
        int seed = RANDOM.nextInt();
        out.writeInt(seed);
        out.flush();
        return new Result(protocol, flags, type, negotiated, seed);
    }

    /** Client side: read compat flags, negotiate, read the seed. */
    public static Result clientSetup(WireInput in, WireOutput out, int protocol, TransferOptions o) throws IOException {
        int flags = 0;
        if (protocol >= 30) {
            flags = in.readVarint();
            if ((flags & CF_INC_RECURSE) != 0) {
                throw new RsyncException(ExitCode.RERR_PROTOCOL,
                        "server enabled incremental recursion, which jrsync did not offer");
            }
        }
        boolean negotiate = (flags & CF_VARINT_FLIST_FLAGS) != 0;
        ChecksumType type = o.checksumChoice == null ? null : explicitChoice(o.checksumChoice);
        boolean negotiated = type != null;
        if (type == null && negotiate) {
            out.writeVstring(String.join(" ", CLIENT_CHECKSUMS));
            out.flush();
            String theirs = in.readVstring(1024);
            type = pick(CLIENT_CHECKSUMS, List.of(theirs.trim().split("\\s+")))
                    .orElseThrow(() -> new RsyncException(ExitCode.RERR_UNSUPPORTED,
                            "Failed to negotiate a checksum choice."));
            negotiated = true;
        }
        if (type == null) {
            type = protocol >= 30 ? ChecksumType.MD5 : ChecksumType.MD4;
        }
        int seed = in.readInt();
        return new Result(protocol, flags, type, negotiated, seed);
    }

    /**
     * The first name of {@code preferred} that {@code offered} also lists. A server passes the
     * client's list as {@code preferred}; a 3.5.0 client computes the same with its own list.
     */
    static Optional<ChecksumType> pick(List<String> preferred, List<String> offered) {
        for (String name : preferred) {
            if (offered.contains(name) || (name.equals("xxhash") && offered.contains("xxh64"))) {
                Optional<ChecksumType> t = ChecksumType.byName(name);
                if (t.isPresent() && t.get() != ChecksumType.MD4) {
                    return t;
                }
            }
        }
        return Optional.empty();
    }

    /** --checksum-choice=NAME[,NAME]: the first name is the transfer checksum; "auto" (null) negotiates. */
    public static ChecksumType explicitChoice(String choice) throws RsyncException {
        String first = choice.split(",", 2)[0].trim();
        if (first.equals("auto")) {
            return null;
        }
        return ChecksumType.byName(first).orElseThrow(() -> new RsyncException(ExitCode.RERR_UNSUPPORTED,
                "unknown checksum name: " + first));
    }
}
