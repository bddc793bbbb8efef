package dev.jrsync.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jrsync.client.RsyncClient;
import dev.jrsync.client.RsyncOptions;
import dev.jrsync.client.TransferRequest;
import dev.jrsync.daemon.RsyncDaemon;
import dev.jrsync.daemon.config.RsyncdConf;
import dev.jrsync.protocol.session.TransferResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The same transfer scenarios through the engine without any subprocess: the client API against the server engine
 * over in-memory pipes (a local copy), and against an in-process jrsync daemon on Netty loopback, pushing and
 * pulling. Milliseconds per scenario; the interop suite runs the same kinds of transfers against stock rsync.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InProcessScenariosTest {
    /** How the client reaches the server engine. */
    enum Way { PIPES, DAEMON_PUSH, DAEMON_PULL }

    @TempDir
    static Path tmp;
    private static RsyncDaemon daemon;
    private static Path module;
    private static Path served;

    @BeforeAll
    static void start() throws Exception {
        module = Files.createDirectories(tmp.resolve("module"));
        served = Files.createDirectories(tmp.resolve("served"));
        RsyncdConf conf = RsyncdConf.parse("use chroot = no\n[push]\npath = " + module + "\nread only = no\n"
                + "[pull]\npath = " + served + "\n", tmp.resolve("rsyncd.conf"));
        daemon = RsyncDaemon.start(conf, "127.0.0.1", 0);
    }

    @AfterAll
    static void stop() throws IOException {
        daemon.close();
    }

    private static void write(Path root, String rel, String content) throws IOException {
        Files.createDirectories(root.resolve(rel).getParent());
        Files.writeString(root.resolve(rel), content);
    }

    private static SortedMap<String, String> tree(Path root) throws IOException {
        SortedMap<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(p -> !p.equals(root)).toList()) {
                m.put(root.relativize(p).toString(), Files.isDirectory(p) ? "/"
                        : Files.size(p) + " bytes, hash " + java.util.Arrays.hashCode(Files.readAllBytes(p)));
            }
        }
        return m;
    }

    /** Runs one transfer from {@code src} (a tree) to a fresh destination named {@code tag} the given way. */
    private static Path transfer(Way way, String tag, Path src, RsyncOptions o, String srcSuffix, String destSuffix)
            throws Exception {
        TransferRequest.Builder b = TransferRequest.builder().options(o);
        String url = "rsync://127.0.0.1:" + daemon.port() + "/";
        Path dst;
        switch (way) {
            case PIPES -> {
                dst = tmp.resolve("pipes-" + tag);
                b.source(src + srcSuffix).destination(dst + destSuffix);
            }
            case DAEMON_PUSH -> {
                dst = module.resolve(tag);
                b.source(src + srcSuffix).destination(url + "push/" + tag + destSuffix);
            }
            default -> {
                Path inModule = served.resolve(tag);
                copyTree(src, inModule);
                dst = tmp.resolve("pull-" + tag);
                b.source(url + "pull/" + tag + srcSuffix).destination(dst + destSuffix);
            }
        }
        TransferResult r = RsyncClient.run(b.build());
        assertEquals(0, r.exitCode(), way + " " + tag);
        return dst;
    }

    /** Makes {@code to} a copy of {@code from} (what the daemon serves for a pull). */
    private static void copyTree(Path from, Path to) throws IOException {
        if (Files.exists(to)) {
            try (Stream<Path> s = Files.walk(to)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void fullThenDeltaWithDelete(Way way) throws Exception {
        Path src = tmp.resolve("src-" + way);
        for (int i = 0; i < 30; i++) {
            write(src, "d" + (i % 4) + "/f" + i + ".txt", "line ".repeat(i * 50) + i);
        }
        write(src, "big.bin", "x".repeat(300_000));
        RsyncOptions a = RsyncOptions.builder().archive().build();
        Path dst = transfer(way, "tree", src, a, "/", "/");
        assertEquals(tree(src), tree(dst));

        write(src, "big.bin", "x".repeat(150_000) + "changed" + "x".repeat(150_000));
        Files.delete(src.resolve("d1/f5.txt"));
        write(src, "new/added.txt", "added");
        RsyncOptions delta = RsyncOptions.builder().archive().wholeFile(false).delete(RsyncOptions.Delete.DURING).build();
        Path again = transfer(way, "tree", src, delta, "/", "/");
        assertEquals(tree(src), tree(again));
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void singleFileUnderANewName(Way way) throws Exception {
        Path src = tmp.resolve("one-" + way);
        write(src, "only.txt", "the one file");
        Path dst = transfer(way, "single", src, RsyncOptions.builder().archive().build(), "/only.txt", "-renamed.txt");
        Path file = Path.of(dst + "-renamed.txt");
        assertEquals("the one file", Files.readString(file));
    }

    @ParameterizedTest
    @EnumSource(value = Way.class, names = {"PIPES", "DAEMON_PUSH"})
    void explicitRelativePaths(Way way) throws Exception {
        Path src = tmp.resolve("rel-" + way);
        write(src, "a/b/keep.txt", "keep");
        write(src, "a/b/skip.txt", "skip");
        write(src, "c/keep2.txt", "keep2");
        String dest = way == Way.PIPES ? tmp.resolve("pipes-rel").toString()
                : "rsync://127.0.0.1:" + daemon.port() + "/push/rel";
        Path dst = way == Way.PIPES ? tmp.resolve("pipes-rel") : module.resolve("rel");
        TransferResult r = RsyncClient.run(TransferRequest.builder().paths(src, List.of("a/b/keep.txt", "c/keep2.txt"))
                .destination(dest + "/").options(RsyncOptions.builder().archive().build()).build());
        assertEquals(0, r.exitCode());
        assertEquals(List.of("a", "a/b", "a/b/keep.txt", "c", "c/keep2.txt"), List.copyOf(tree(dst).keySet()));
    }
}
