package dev.jrsync.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.protocol.session.ItemEvent;
import dev.jrsync.protocol.session.TransferResult;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java API on local copies (both roles in this JVM): an explicit path list, the listener's events and
 * their order, cancellation, and the failure types.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RsyncClientApiTest {
    @TempDir
    Path tmp;

    private Path tree() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.createDirectories(src.resolve("a/b"));
        Files.createDirectories(src.resolve("c"));
        Files.writeString(src.resolve("a/b/one.txt"), "one\n");
        Files.writeString(src.resolve("a/b/two.txt"), "two\n");
        Files.writeString(src.resolve("a/three.txt"), "three\n");
        Files.writeString(src.resolve("c/four.txt"), "four\n");
        Files.writeString(src.resolve("top.txt"), "top\n");
        return src;
    }

    private static List<String> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void explicitPathListSendsJustThosePathsWithTheirParents() throws Exception {
        Path src = tree();
        Path dst = tmp.resolve("dst");
        List<ItemEvent> events = Collections.synchronizedList(new ArrayList<>());
        TransferResult r = RsyncClient.run(TransferRequest.builder()
                .paths(src, List.of("a/b/one.txt", "c/four.txt"))
                .destination(dst + "/")
                .options(RsyncOptions.builder().archive().build())
                .listener(events::add)
                .build());
        assertEquals(0, r.exitCode());
        assertEquals(List.of("a", "a/b", "a/b/one.txt", "c", "c/four.txt"), files(dst));
        assertEquals("one\n", Files.readString(dst.resolve("a/b/one.txt")));
        List<String> sent = events.stream().filter(e -> e.outcome() == ItemEvent.Outcome.TRANSFERRED)
                .map(ItemEvent::name).sorted().toList();
        assertEquals(List.of("a/b/one.txt", "c/four.txt"), sent);
        // A second run finds everything up to date: no data sent, every item reported.
        events.clear();
        TransferResult again = RsyncClient.run(TransferRequest.builder()
                .paths(src, List.of("a/b/one.txt", "c/four.txt")).destination(dst + "/")
                .options(RsyncOptions.builder().archive().build()).listener(events::add).build());
        assertEquals(0, again.exitCode());
        assertTrue(events.stream().noneMatch(e -> e.outcome() == ItemEvent.Outcome.TRANSFERRED), events.toString());
        assertEquals(0, again.stats().literalData.get());
    }

    @Test
    void listenerSeesEveryItemInFileListOrderAndDeletions() throws Exception {
        Path src = tree();
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        Files.writeString(dst.resolve("stale.txt"), "old\n");
        List<ItemEvent> events = Collections.synchronizedList(new ArrayList<>());
        TransferResult r = RsyncClient.run(TransferRequest.builder()
                .source(src + "/").destination(dst.toString())
                .options(RsyncOptions.builder().archive().delete(RsyncOptions.Delete.DURING).build())
                .listener(events::add)
                .build());
        assertEquals(0, r.exitCode());
        List<String> names = events.stream().filter(e -> e.outcome() != ItemEvent.Outcome.DELETED)
                .map(ItemEvent::name).toList();
        // A push learns about the items the far side's generator reports: all new ones here ("." existed).
        assertEquals(List.of("a", "a/b", "a/b/one.txt", "a/b/two.txt", "a/three.txt", "c", "c/four.txt",
                "top.txt"), names.stream().filter(n -> !n.equals(".")).sorted().toList(), "one event per item");
        for (String n : names) {
            int slash = n.lastIndexOf('/');
            if (slash > 0) {
                assertTrue(names.indexOf(n.substring(0, slash)) < names.indexOf(n), "directory before its contents: " + names);
            }
        }
        assertTrue(events.stream().anyMatch(e -> e.outcome() == ItemEvent.Outcome.DELETED
                && e.name().equals("stale.txt")), events.toString());
        assertFalse(Files.exists(dst.resolve("stale.txt")));
        for (ItemEvent e : events) {
            assertFalse(e.logged(), "nothing is shown without -v/-i: " + e);
        }
    }

    @Test
    void cancelFromAnotherThreadLeavesNoPartialFile() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("big"));
        Random rnd = new Random(42);
        byte[] chunk = new byte[1 << 20];
        Files.write(src.resolve("a-small.bin"), new byte[4096]);
        try (OutputStream out = Files.newOutputStream(src.resolve("b-huge.bin"))) {
            for (int i = 0; i < 256; i++) {
                rnd.nextBytes(chunk);
                out.write(chunk);
            }
        }
        Path dst = tmp.resolve("dst");
        CountDownLatch started = new CountDownLatch(1);
        RsyncTransfer t = RsyncClient.prepare(TransferRequest.builder()
                .source(src + "/").destination(dst.toString())
                .options(RsyncOptions.builder().archive().build())
                .listener(e -> {
                    if (e.outcome() == ItemEvent.Outcome.TRANSFERRED) {
                        started.countDown();
                    }
                })
                .build());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread runner = Thread.ofPlatform().start(() -> {
            try {
                t.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        assertTrue(started.await(60, TimeUnit.SECONDS));
        t.cancel();
        runner.join(Duration.ofSeconds(30));
        assertFalse(runner.isAlive());
        RsyncFailure f = assertInstanceOfFailure(failure.get());
        assertEquals(RsyncFailure.Kind.CANCELLED, f.kind());
        assertEquals(20, f.exitCode());
        assertFalse(Files.exists(dst.resolve("b-huge.bin")), "no partial file under the real name");
        // The temporary file is gone too (give the receiver's cleanup a moment); the first file may be there.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!files(dst).stream().allMatch(n -> n.equals("a-small.bin")) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(files(dst).stream().allMatch(n -> n.equals("a-small.bin")), files(dst).toString());
    }

    private static RsyncFailure assertInstanceOfFailure(Throwable t) {
        assertTrue(t instanceof RsyncFailure, String.valueOf(t));
        return (RsyncFailure) t;
    }

    @Test
    void failuresAreTyped() throws Exception {
        Path src = tree();
        RsyncFailure refused = assertThrows(RsyncFailure.class, () -> RsyncClient.run(TransferRequest.builder()
                .source(src + "/").destination("rsync://127.0.0.1:1/mod/")
                .connectTimeout(Duration.ofSeconds(5)).build()));
        assertEquals(RsyncFailure.Kind.CONNECTION, refused.kind());
        assertEquals(10, refused.exitCode());

        RsyncFailure noShell = assertThrows(RsyncFailure.class, () -> RsyncClient.run(TransferRequest.builder()
                .source(src + "/").destination("host:dst/").rsh(tmp.resolve("no-such-shell").toString()).build()));
        assertEquals(RsyncFailure.Kind.REMOTE_COMMAND, noShell.kind());
        assertEquals(14, noShell.exitCode());

        RsyncFailure usage = assertThrows(RsyncFailure.class, () -> RsyncClient.run(TransferRequest.builder()
                .source("h1:a").source("h2:b").destination(tmp.resolve("x").toString()).build()));
        assertEquals(RsyncFailure.Kind.USAGE, usage.kind());
        assertEquals(1, usage.exitCode());

        // A missing source is a completed session with exit 23, not a failure.
        TransferResult partial = RsyncClient.run(TransferRequest.builder()
                .source(src.resolve("missing").toString()).source(src.resolve("top.txt").toString())
                .destination(tmp.resolve("p") + "/").build());
        assertEquals(23, partial.exitCode());
        assertTrue(Files.exists(tmp.resolve("p/top.txt")));
    }
}
