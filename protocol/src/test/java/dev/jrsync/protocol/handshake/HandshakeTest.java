package dev.jrsync.protocol.handshake;

import dev.jrsync.protocol.ExitCode;
import dev.jrsync.protocol.RsyncException;
import dev.jrsync.protocol.checksum.ChecksumType;
import org.bouncycastle.crypto.digests.MD4Digest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daemon text phase and binary setup helpers. Expected strings are the ones stock rsync
 * sends (rsync-protocol.md §1, captures of rsync 3.2.7 on loopback, e.g.
 * `rsync -av rsync://127.0.0.1:PORT/mod/ dst/`).
 */
class HandshakeTest {
    @Test
    void greetingFormatAndParse() throws RsyncException {
        assertEquals("@RSYNCD: 32.0 sha512 sha256 sha1 md5 md4\n", Greeting.ours(32).format());
        Greeting g = Greeting.parse("@RSYNCD: 32.0 sha512 sha256 sha1 md5 md4", true);
        assertEquals(32, g.protocol());
        assertEquals(List.of("sha512", "sha256", "sha1", "md5", "md4"), g.digests());
        Greeting old = Greeting.parse("@RSYNCD: 30.0", false);
        assertNull(old.digests());
        assertEquals(29, Greeting.parse("@RSYNCD: 29", false).protocol());
        var noSub = assertThrows(RsyncException.class, () -> Greeting.parse("@RSYNCD: 31", false));
        assertTrue(noSub.getMessage().contains("omitted the subprotocol value"));
        var noList = assertThrows(RsyncException.class, () -> Greeting.parse("@RSYNCD: 32.0", false));
        assertEquals("your client omitted the digest name list", noList.getMessage());
        assertThrows(RsyncException.class, () -> Greeting.parse("HELLO", false));
    }

    @Test
    void protocolChoice() throws RsyncException {
        assertEquals(30, Greeting.choose(32, 30, 0));
        assertEquals(32, Greeting.choose(32, 40, 0));
        assertEquals(29, Greeting.choose(32, 30, 1), "a lower pre-release peer gets one less");
        assertEquals(2, assertThrows(RsyncException.class, () -> Greeting.choose(32, 19, 0)).exitCode());
        assertEquals(2, assertThrows(RsyncException.class, () -> Greeting.choose(32, 41, 0)).exitCode());
    }

    @Test
    void authResponsesAreUnpaddedBase64OfPasswordThenChallenge() throws Exception {
        String pw = "sekrit";
        String ch = "QRNPzrN3kg9DUazY1bKgX7pA";
        for (String[] alg : new String[][] {{"sha512", "SHA-512"}, {"sha256", "SHA-256"}, {"sha1", "SHA-1"}, {"md5", "MD5"}}) {
            byte[] want = MessageDigest.getInstance(alg[1]).digest((pw + ch).getBytes(StandardCharsets.UTF_8));
            String expected = Base64.getEncoder().withoutPadding().encodeToString(want);
            AuthDigest d = AuthDigest.byName(alg[0]).orElseThrow();
            assertEquals(expected, d.response(pw, ch), alg[0]);
            assertFalse(expected.endsWith("="));
            assertTrue(d.verify(pw, ch, expected));
            assertFalse(d.verify("other", ch, expected));
        }
        MD4Digest md4 = new MD4Digest();
        byte[] in = ("\0\0\0\0" + pw + ch).getBytes(StandardCharsets.UTF_8);
        md4.update(in, 0, in.length);
        byte[] out = new byte[16];
        md4.doFinal(out, 0);
        assertEquals(Base64.getEncoder().withoutPadding().encodeToString(out), AuthDigest.MD4_OLD.response(pw, ch));
        assertEquals(22, AuthDigest.MD5.newChallenge().length());
        assertEquals(86, AuthDigest.SHA512.newChallenge().length());
    }

    @Test
    void authDigestNegotiation() {
        assertEquals(Optional.of(AuthDigest.SHA512), AuthDigest.chooseAsClient(List.of("sha512", "sha256", "sha1", "md5", "md4")));
        assertEquals(Optional.of(AuthDigest.MD5), AuthDigest.chooseAsClient(List.of("md4", "md5")));
        assertEquals(Optional.of(AuthDigest.MD4), AuthDigest.chooseAsServer(List.of("md4", "md5")));
        assertEquals(Optional.empty(), AuthDigest.chooseAsServer(List.of("blake3")));
        assertEquals(AuthDigest.MD5, AuthDigest.implied(30));
        assertEquals(AuthDigest.MD4_OLD, AuthDigest.implied(29));
    }

    @Test
    void checksumNegotiationPicksTheClientsFirstCommonChoice() {
        assertEquals(Optional.of(ChecksumType.XXH128), Compat.pick(List.of("xxh128", "xxh3", "xxh64", "md5", "md4", "sha1"),
                Compat.SERVER_CHECKSUMS));
        assertEquals(Optional.of(ChecksumType.MD5), Compat.pick(List.of("md4", "md5"), Compat.SERVER_CHECKSUMS),
                "md4 is never negotiated (stock builds disagree on its seed placement)");
        assertEquals(Optional.of(ChecksumType.XXH64), Compat.pick(List.of("xxhash"), Compat.SERVER_CHECKSUMS));
        assertEquals(Optional.empty(), Compat.pick(List.of("blake3"), Compat.SERVER_CHECKSUMS));
    }

    @Test
    void serverArgumentsForArchivePullAndPush() {
        TransferOptions o = new TransferOptions();
        o.archive();
        o.verbose = 1;
        assertEquals(List.of("--server", "--sender", "-vlogDtpre" + ServerArgs.CAPABILITIES, ".", "mod/"),
                ServerArgs.build(o, true, List.of("mod/")));
        o.delete = TransferOptions.DeleteMode.DEFAULT;
        o.verbose = 0;
        assertEquals(List.of("--server", "-logDtpre" + ServerArgs.CAPABILITIES, "--delete", ".", "mod/sub/"),
                ServerArgs.build(o, false, List.of("mod/sub/")));
        o.delete = TransferOptions.DeleteMode.NONE;
        o.protocol = 29;
        assertEquals(List.of("--server", "-logDtpr", ".", "mod/"), ServerArgs.build(o, false, List.of("mod/")));
    }

    @Test
    void parsesWhatStockClientsSend() throws RsyncException {
        // rsync 3.2.7: `rsync -av --delete src/ rsync://h/mod/` and `rsync -avc --cc=xxh64 rsync://h/mod/ dst/`.
        TransferOptions push = ServerArgs.parse(List.of("--server", "-vlogDtpre.iLsfxCIvu", "--delete", ".", "mod/"));
        assertTrue(push.recursive && push.links && push.perms && push.times && push.owner && push.group);
        assertTrue(push.devices && push.specials);
        assertEquals(1, push.verbose);
        assertEquals(".iLsfxCIvu", push.capabilities);
        assertEquals(TransferOptions.DeleteMode.DEFAULT, push.delete);
        assertEquals(List.of("mod/"), push.paths);
        assertFalse(push.sender);
        TransferOptions pull = ServerArgs.parse(List.of("--server", "--sender", "-vlogDtprce.iLsfxCIvu",
                "--checksum-choice=xxh64", ".", "mod/a", "mod/b"));
        assertTrue(pull.sender && pull.checksum);
        assertEquals("xxh64", pull.checksumChoice);
        assertEquals(List.of("mod/a", "mod/b"), pull.paths);
        assertEquals(4, assertThrows(RsyncException.class,
                () -> ServerArgs.parse(List.of("--server", "-logDtpHre.iLsfxCIvu", ".", "mod/"))).exitCode());
        assertEquals(4, assertThrows(RsyncException.class,
                () -> ServerArgs.parse(List.of("--server", "--inplace", ".", "mod/"))).exitCode());
        assertEquals("--timeout=5", ServerArgs.unbackslash("--timeout\\=5"));
    }

    @Test
    void compressionOptionsOnTheServerCommandLine() throws RsyncException {
        TransferOptions o = new TransferOptions();
        o.archive();
        o.compress = true;
        assertEquals("-logDtprze" + ServerArgs.CAPABILITIES, ServerArgs.build(o, true, List.of("m/")).get(2),
                "-z before negotiation is the z flag, as stock sends -logDtprze.iLsfxCIvu");
        o.compressChoice = "zstd";
        o.compressLevel = 5;
        List<String> args = ServerArgs.build(o, false, List.of("m/"));
        assertTrue(args.contains("--compress-choice=zstd") && args.contains("--compress-level=5"), args.toString());
        o.compressChoice = "zlibx";
        assertTrue(ServerArgs.build(o, false, List.of("m/")).contains("--new-compress"));
        o.compressChoice = "zlib";
        assertTrue(ServerArgs.build(o, false, List.of("m/")).contains("--old-compress"));

        TransferOptions z = ServerArgs.parse(List.of("--server", "-logDtprze.iLsfxCIvu", ".", "m/"));
        assertTrue(z.compress);
        assertNull(z.compressChoice);
        TransferOptions x = ServerArgs.parse(List.of("--server", "-logDtpre.iLsfxCIvu", "--new-compress", ".", "m/"));
        assertTrue(x.compress);
        assertEquals("zlibx", x.compressChoice);
    }

    @Test
    void compressionLevelThreadsAndDontCompress() throws RsyncException {
        TransferOptions o = new TransferOptions();
        o.compress = true;
        o.compressLevel = 0; // 0 is a real request (zlib: off; zstd: default), not "unset"
        assertTrue(ServerArgs.build(o, false, List.of("m/")).contains("--compress-level=0"));
        TransferOptions unset = new TransferOptions();
        unset.compress = true;
        assertFalse(ServerArgs.build(unset, false, List.of("m/")).stream().anyMatch(a -> a.startsWith("--compress-level")));

        TransferOptions levelOnly = ServerArgs.parse(List.of("--server", "-logDtpre.iLsfxCIvu", "--compress-level=3",
                ".", "m/"));
        assertTrue(levelOnly.compress, "a level alone turns compression on, as options.c does");
        TransferOptions threads = ServerArgs.parse(List.of("--server", "--sender", "-logDtprze.iLsfxCIvu",
                "--compress-threads=256", ".", "m/"));
        assertEquals(256, threads.compressThreads);
        assertEquals(4, ServerArgs.parse(List.of("--server", "--zt=4", ".", "m/")).compressThreads);
        RsyncException bad = assertThrows(RsyncException.class,
                () -> ServerArgs.parse(List.of("--server", "--zt=many", ".", "m/")));
        assertEquals(ExitCode.RERR_SYNTAX, bad.exitCode());

        assertFalse(new dev.jrsync.protocol.session.DaemonPolicy("m", false, true, null).dontCompressAll());
        assertFalse(new dev.jrsync.protocol.session.DaemonPolicy("m", false, true, "*.gz *.zip").dontCompressAll());
        assertTrue(new dev.jrsync.protocol.session.DaemonPolicy("m", false, true, "*.gz  *  *.zip").dontCompressAll());
    }

    @Test
    void sizeArgumentsAsOptionsC() throws RsyncException {
        assertEquals(1L << 30, SizeArg.parse("1g", 'B', "max-alloc", 1 << 20, false));
        assertEquals(1_000_000_000L, SizeArg.parse("1GB", 'B', "max-alloc", 1 << 20, false));
        assertEquals(1_572_864L, SizeArg.parse("1.5M", 'B', "max-alloc", 1 << 20, false));
        assertEquals((1L << 30) + 1, SizeArg.parse("1GiB+1", 'B', "max-alloc", 1 << 20, false));
        assertEquals(2L << 20, SizeArg.parse("2", 'M', "max-alloc", 1 << 20, false));
        assertEquals(0, SizeArg.parse("0", 'B', "max-size", 1, true));
        RsyncException small = assertThrows(RsyncException.class,
                () -> SizeArg.parse("4096", 'B', "max-alloc", 1 << 20, false));
        assertEquals(ExitCode.RERR_SYNTAX, small.exitCode());
        assertTrue(small.getMessage().startsWith("--max-alloc=4096 is too small"), small.getMessage());
        for (String bad : new String[] {"abc", "1x", "", "1g+2", "."}) {
            assertThrows(RsyncException.class, () -> SizeArg.parse(bad, 'B', "max-alloc", 1, false), bad);
        }
        assertEquals(1L << 30, ServerArgs.parse(List.of("--server", "--max-alloc=1G", ".", "m/")).maxAlloc);
    }
}
