package dev.jrsync.daemon.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Syntax and semantics of rsyncd.conf. Where a case says "oracle", it was settled against the installed stock
 * daemon: {@code rsync --daemon --no-detach --config=X --address=127.0.0.1 --port=P} probed with
 * {@code rsync rsync://127.0.0.1:P/} and {@code rsync rsync://127.0.0.1:P/MOD/}. NOTE: /usr/bin/rsync on this
 * machine reports "rsync version 3.2.7 protocol version 32" (Debian 3.2.7-1+deb12u6), not 3.5.0; params.c and
 * the parsing part of loadparm.c are unchanged between v3.2.7 and v3.5.0 (git diff of the tags: only the
 * symlink-safe open and the %VAR% shell quoting differ), so the oracle holds for syntax.
 */
class RsyncdConfTest {
    private static final Path ORIGIN = Path.of("test.conf");

    private static RsyncdConf parse(String text) throws ConfigException {
        return RsyncdConf.parse(text, ORIGIN, name -> null);
    }

    private static ModuleConfig mod(RsyncdConf c, String name) {
        return c.module(name).orElseThrow(() -> new AssertionError("no module " + name));
    }

    /** The typical backup-host config of rsyncd-and-security.md §A.4. */
    @Test
    void typicalBackupHostConfig() throws Exception {
        String text = """
                # /etc/rsyncd.conf — typical backup host
                uid = nobody
                # gid: nogroup on Debian. A trailing "# comment" after a value would become PART of the value!
                gid = nogroup
                use chroot = yes
                read only = yes
                max connections = 4
                motd file = /etc/rsyncd.motd
                pid file = /var/run/rsyncd.pid
                lock file = /var/run/rsync.lock
                log file = /var/log/rsyncd.log
                transfer logging = yes
                log format = %t %a %m %f %b
                syslog facility = local5
                timeout = 900
                ignore nonreadable = yes
                dont compress = *.gz *.tgz *.zip *.z *.Z *.rpm *.deb *.bz2
                exclude = lost+found/
                hosts allow = 192.168.1.0/24 10.0.0.0/255.0.0.0
                hosts deny = *
                reverse lookup = no

                [ftp]
                    path = /var/ftp/./pub
                    comment = whole ftp area (approx 6.1 GB)

                [backup]
                    path = /srv/backup/%RSYNC_USER_NAME%
                    comment = per-user backups
                    read only = no
                    write only = yes
                    list = no
                    ignore errors = yes
                    auth users = alice, bob:rw, @backup:ro, @guests:deny
                    secrets file = /etc/rsyncd.secrets
                    fake super = yes
                    refuse options = delete-* checksum dry-run
                """;
        RsyncdConf c = parse(text);
        assertTrue(c.warnings().isEmpty(), c.warnings().toString());
        GlobalConfig g = c.global();
        assertEquals(873, g.port());
        assertEquals(Optional.of(Path.of("/etc/rsyncd.motd")), g.motdFile());
        assertEquals(Optional.of(Path.of("/var/run/rsyncd.pid")), g.pidFile());
        assertEquals(Optional.of(Path.of("/var/log/rsyncd.log")), g.logFile());
        assertEquals(Optional.empty(), g.address());
        assertEquals(List.of("ftp", "backup"), c.modules().stream().map(ModuleConfig::name).toList());

        ModuleConfig ftp = mod(c, "ftp");
        assertEquals(Path.of("/var/ftp/./pub"), ftp.path());
        assertEquals("whole ftp area (approx 6.1 GB)", ftp.comment());
        assertTrue(ftp.readOnly());
        assertTrue(ftp.list());
        assertEquals(4, ftp.maxConnections());
        assertEquals(900, ftp.timeout());
        assertEquals(Optional.of("nobody"), ftp.uid());
        assertEquals(Optional.of("nogroup"), ftp.gid());
        assertEquals(Path.of("/var/run/rsync.lock"), ftp.lockFile());
        assertTrue(ftp.transferLogging());
        assertEquals("%t %a %m %f %b", ftp.logFormat());
        assertTrue(ftp.ignoreNonreadable());
        assertFalse(ftp.reverseLookup());
        assertEquals(Optional.of("local5"), ftp.raw("syslog facility"));
        assertTrue(ftp.authUsers().isEmpty());
        // "/./" split: chroot to /var/ftp, module root /pub -> munging on, numeric ids on (A.3.7).
        assertTrue(ftp.useChroot());
        assertTrue(ftp.mungeSymlinks());
        assertTrue(ftp.numericIds());
        InetAddressAssert.denied(ftp.hostAccess(), "172.16.0.1");
        InetAddressAssert.allowed(ftp.hostAccess(), "192.168.1.77");
        InetAddressAssert.allowed(ftp.hostAccess(), "10.200.0.1");

        ModuleConfig backup = mod(c, "backup");
        assertEquals(Path.of("/srv/backup/%RSYNC_USER_NAME%"), backup.path());
        assertFalse(backup.readOnly());
        assertTrue(backup.writeOnly());
        assertFalse(backup.list());
        assertTrue(backup.ignoreErrors());
        assertTrue(backup.fakeSuper());
        assertTrue(backup.strictModes());
        assertEquals(Optional.of(Path.of("/etc/rsyncd.secrets")), backup.secretsFile());
        assertEquals(Optional.of("delete-* checksum dry-run"), backup.refuseOptions());
        assertEquals(4, backup.authUsers().rules().size());
        assertEquals(AuthUsers.Access.READ_WRITE, backup.authUsers().access("bob", List.of()));
        assertEquals("/srv/backup/alice", RsyncdConf.expandVars(backup.pathString().orElseThrow(),
                Map.of("RSYNC_USER_NAME", "alice")::get));
    }

    @Test
    void defaults() throws Exception {
        RsyncdConf c = parse("[m]\npath = /srv\n");
        ModuleConfig m = mod(c, "m");
        assertEquals(873, c.global().port());
        assertEquals(5, c.global().listenBacklog());
        assertTrue(m.readOnly());
        assertFalse(m.writeOnly());
        assertTrue(m.list());
        assertTrue(m.strictModes());
        assertEquals(Optional.empty(), m.useChrootSetting());
        assertTrue(m.useChroot());
        assertEquals(0, m.maxConnections());
        assertEquals(0, m.timeout());
        assertEquals(1, m.maxVerbosity());
        assertEquals("", m.comment());
        assertEquals(Path.of("/var/run/rsyncd.lock"), m.lockFile());
        assertEquals("%o %h [%a] %m (%u) %f %l", m.logFormat());
        assertTrue(m.dontCompress().startsWith("*.3g2 *.3gp *.7z"), m.dontCompress());
        assertFalse(m.transferLogging());
        assertTrue(m.forwardLookup());
        assertTrue(m.reverseLookup());
        assertEquals(Optional.of("rsyncd"), m.raw("syslog tag"));
        assertEquals(Optional.empty(), m.raw("auth users"));
        assertEquals(Optional.empty(), m.raw("no such thing"));
        // Chroot to the whole path: no munging, numeric ids; no chroot (what a JVM daemon does): munging, names.
        assertFalse(m.mungeSymlinks());
        assertTrue(m.numericIds());
        assertTrue(m.mungeSymlinks(false));
        assertFalse(m.numericIds(false));
    }

    @Test
    void mungeAndNumericIdsMatrix() throws Exception {
        RsyncdConf c = parse("""
                [nochroot]
                path = /srv
                use chroot = no
                [inner]
                path = /srv/./sub/
                [innerroot]
                path = /srv/./
                [explicit]
                path = /srv
                use chroot = no
                munge symlinks = no
                numeric ids = yes
                [conv]
                path = /srv
                name converter = /usr/bin/conv
                """);
        assertTrue(mod(c, "nochroot").mungeSymlinks());
        assertFalse(mod(c, "nochroot").numericIds());
        assertTrue(mod(c, "inner").mungeSymlinks());
        assertFalse(mod(c, "innerroot").mungeSymlinks());
        assertFalse(mod(c, "explicit").mungeSymlinks());
        assertTrue(mod(c, "explicit").numericIds());
        assertFalse(mod(c, "conv").numericIds());
    }

    /** Oracle: "comment = second   # trailing" listed as "second   # trailing". */
    @Test
    void trailingHashIsPartOfTheValueAndInnerWhitespaceKept() throws Exception {
        RsyncdConf c = parse("[m]\n  comment   =   second   # trailing   \t\n");
        assertEquals("second   # trailing", mod(c, "m").comment());
    }

    /** Oracle: a ';' line is a comment (no warning, nothing set). */
    @Test
    void commentsWithHashAndSemicolon() throws Exception {
        RsyncdConf c = parse("# comment = x\n   ; comment = y\n[m]\n\t# path = /nope\npath = /srv\n");
        assertEquals("", mod(c, "m").comment());
        assertEquals(Path.of("/srv"), mod(c, "m").path());
        assertTrue(c.warnings().isEmpty());
    }

    /** Oracle: "comment = first \⏎     second" listed as "first      second" (6 spaces). */
    @Test
    void continuationKeepsWhitespaceOnBothSides() throws Exception {
        RsyncdConf c = parse("[m]\ncomment = first \\\n     second\npath = /srv\n");
        assertEquals("first      second", mod(c, "m").comment());
        assertEquals(Path.of("/srv"), mod(c, "m").path());
        // Whitespace after the backslash is allowed; CRs are dropped; a continued name works too.
        RsyncdConf d = parse("[m]\r\ncom\\\nment = a\\  \r\nb\r\n");
        assertEquals("ab", mod(d, "m").comment());
    }

    @Test
    void continuationAtEndOfFileAndCommentsDoNotContinue() throws Exception {
        // Only a newline triggers continuation: at end of file the backslash stays in the value.
        RsyncdConf c = parse("[m]\n# a comment \\\ncomment = x \\");
        assertEquals("x \\", mod(c, "m").comment());
    }

    /** Oracle: "read_only = no" gives "Unknown Parameter encountered" + "IGNORING unknown parameter", not fatal. */
    @Test
    void parameterNamesIgnoreCaseAndWhitespaceButNotUnderscores() throws Exception {
        RsyncdConf c = parse("""
                [a]
                READ  ONLY = no
                [b]
                ReadOnly = no
                [c]
                read_only = no
                [d]
                -read only = no
                """);
        assertFalse(mod(c, "a").readOnly());
        assertFalse(mod(c, "b").readOnly());
        assertTrue(mod(c, "c").readOnly());
        assertTrue(mod(c, "d").readOnly());
        assertEquals(List.of(
                "test.conf:6: Unknown Parameter encountered: \"read_only\"",
                "test.conf:6: IGNORING unknown parameter \"read_only\"",
                "test.conf:8: IGNORING unknown parameter \"-read only\""), c.warnings());
    }

    /** Oracle: "list = on" logs Badly formed boolean and keeps the previous value. */
    @Test
    void booleans() throws Exception {
        RsyncdConf c = parse("""
                list = no
                [a]
                list = YES
                [b]
                list = True
                [c]
                list = 1
                [d]
                list = on
                [e]
                list = yes
                list = FALSE
                [f]
                use chroot = unset
                munge symlinks = -1
                read only = unset
                """);
        assertTrue(mod(c, "a").list());
        assertTrue(mod(c, "b").list());
        assertTrue(mod(c, "c").list());
        assertFalse(mod(c, "d").list(), "bad boolean keeps the inherited 'no'");
        assertFalse(mod(c, "e").list(), "last setting wins");
        assertEquals(Optional.empty(), mod(c, "f").useChrootSetting());
        assertTrue(mod(c, "f").readOnly(), "unset is not a boolean for a two-state parameter");
        assertTrue(c.warnings().contains("test.conf:9: Badly formed boolean in configuration file: \"on\"."));
        assertTrue(c.warnings().contains("test.conf:16: Badly formed boolean in configuration file: \"unset\"."),
                c.warnings().toString());
    }

    @Test
    void booleansAndIntegersExpandVariablesAtParseTime() throws Exception {
        RsyncdConf c = RsyncdConf.parse("[m]\nlist = %FLAG%\ntimeout = %T%0\ncomment = %FLAG% %% %nope% %NOPE%\n",
                ORIGIN, Map.of("FLAG", "no", "T", "3")::get);
        assertFalse(mod(c, "m").list());
        assertEquals(30, mod(c, "m").timeout());
        assertEquals("%FLAG% %% %nope% %NOPE%", mod(c, "m").comment(), "strings stay raw until use");
        assertEquals("no %% %nope% %NOPE%", RsyncdConf.expandVars(mod(c, "m").comment(), Map.of("FLAG", "no")::get));
    }

    @Test
    void integersFollowAtoi() throws Exception {
        RsyncdConf c = parse("[a]\nmax connections = 12abc\ntimeout = abc\n[b]\nmax connections = -1\n");
        assertEquals(12, mod(c, "a").maxConnections());
        assertEquals(0, mod(c, "a").timeout());
        assertEquals(-1, mod(c, "b").maxConnections());
        assertEquals(1234, parse("port = 1234\n").global().port());
        assertEquals(873, parse("port = 0\n").global().port());
    }

    /** Oracle: "[M1]" after "[m1]" reopened it (list = no hid m1); "[  spaced    name  ] junk" listed as "spaced name". */
    @Test
    void sectionsNamesAndDuplicates() throws Exception {
        RsyncdConf c = parse("""
                [m1]
                path = /a
                comment = one
                [  spaced    name  ] trailing junk
                path = /b
                [M1]
                list = no
                comment = again
                """);
        assertEquals(List.of("m1", "spaced name"), c.modules().stream().map(ModuleConfig::name).toList());
        ModuleConfig m1 = mod(c, "m1");
        assertEquals(Path.of("/a"), m1.path());
        assertEquals("again", m1.comment());
        assertFalse(m1.list());
        assertTrue(c.module("M1").isEmpty(), "request-time lookup is case-sensitive");
        assertTrue(c.module("m1 ").isEmpty());
    }

    @Test
    void badSectionsAreFatalWithFileAndLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("[ok]\npath = /x\n[]\n"));
        assertEquals("rsync: test.conf:3: Empty section name in config file.", e.getMessage());
        assertEquals(3, e.line());
        e = assertThrows(ConfigException.class, () -> parse("\n[a/b]\n"));
        assertEquals("rsync: test.conf:2: Warning: invalid section name in configuration file: a/b", e.getMessage());
        e = assertThrows(ConfigException.class, () -> parse("[open\n"));
        assertTrue(e.getMessage().startsWith("rsync: test.conf:1: Badly formed line in config file"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> parse("[m]\n = value\n"));
        assertEquals("rsync: test.conf:2: Invalid parameter name in config file.", e.getMessage());
    }

    @Test
    void badlyFormedLineIsSkipped() throws Exception {
        RsyncdConf c = parse("[m]\njust words\npath = /srv\n");
        assertEquals(Path.of("/srv"), mod(c, "m").path());
        assertEquals(List.of("test.conf:2: Ignoring badly formed line in config file: just words"), c.warnings());
    }

    @Test
    void onlyTheFirstEqualsSplitsAndQuotesAreLiteral() throws Exception {
        RsyncdConf c = parse("[m]\ncomment = a = \"b\"\n");
        assertEquals("a = \"b\"", mod(c, "m").comment());
    }

    /** Oracle: a later "[GLOBAL]" section (any case) is global context again; "port" in a module is ignored. */
    @Test
    void globalSectionsAndScope() throws Exception {
        RsyncdConf c = parse("""
                comment = default
                [early]
                path = /a
                port = 5
                [ Glo Bal ]
                comment = later default
                read only = no
                port = 2873
                [late]
                path = /b
                """);
        assertEquals(2873, c.global().port());
        assertEquals("default", mod(c, "early").comment());
        assertTrue(mod(c, "early").readOnly());
        assertEquals("later default", mod(c, "late").comment());
        assertFalse(mod(c, "late").readOnly());
        assertEquals(List.of("test.conf:4: Global parameter port found in module section!"), c.warnings());
        assertEquals(List.of("early", "late"), c.modules().stream().map(ModuleConfig::name).toList());
    }

    /** Oracle: a module without path lists normally; connecting gives "@ERROR: no path setting.". */
    @Test
    void missingPathIsNotAParseError() throws Exception {
        RsyncdConf c = parse("[nopath]\ncomment = np\n[slash]\npath = ///\n[trail]\npath = /srv//\n");
        assertFalse(mod(c, "nopath").hasPath());
        assertThrows(IllegalStateException.class, () -> mod(c, "nopath").path());
        assertEquals(Path.of("/"), mod(c, "slash").path());
        assertEquals(Optional.of("/srv"), mod(c, "trail").pathString());
    }

    @Test
    void nameParameterRenamesTheModule() throws Exception {
        RsyncdConf c = parse("[old]\npath = /a\nname = new\n");
        assertTrue(c.module("old").isEmpty());
        assertEquals(Path.of("/a"), mod(c, "new").path());
    }

    @Test
    void nulEndsTheFile() throws Exception {
        RsyncdConf c = parse("[m]\npath = /a\0\n[n]\npath = /b\n");
        assertEquals(List.of("m"), c.modules().stream().map(ModuleConfig::name).toList());
    }

    @Test
    void strayBackslashIsSkipped() throws Exception {
        RsyncdConf c = parse("[m]\n\\ comment = x\n");
        assertEquals("x", mod(c, "m").comment());
    }

    /** Oracle: "&include sub/inc.conf" with cwd elsewhere: "unable to stat config file", every connection refused. */
    @Test
    void includeOfAFile(@TempDir Path dir) throws Exception {
        Path inc = dir.resolve("inc.conf");
        Files.writeString(inc, "read only = no\n[incmod]\npath = /inc\nport = 1\n");
        Path main = dir.resolve("rsyncd.conf");
        Files.writeString(main, """
                comment = parent
                [m2]
                path = /m2
                &include %s
                comment = after include
                [m3]
                path = /m3
                """.formatted(inc));
        RsyncdConf c = RsyncdConf.load(main);
        assertEquals(List.of("m2", "incmod", "m3"), c.modules().stream().map(ModuleConfig::name).toList());
        assertEquals("parent", mod(c, "incmod").comment(), "an included file inherits the parent's defaults");
        assertFalse(mod(c, "incmod").readOnly());
        assertTrue(mod(c, "m3").readOnly(), "an included file cannot change the parent's defaults");
        // After &include the parser is in global context: the next line sets a default, not m2's comment.
        assertEquals("parent", mod(c, "m2").comment());
        assertEquals("after include", mod(c, "m3").comment());
        assertTrue(c.warnings().get(0).startsWith(inc + ":4: Global parameter port"), c.warnings().toString());

        Files.writeString(main, "&include = " + dir.resolve("missing.conf") + "\n");
        ConfigException e = assertThrows(ConfigException.class, () -> RsyncdConf.load(main));
        assertEquals("rsync: " + main + ":1: unable to stat config file \"" + dir.resolve("missing.conf")
                + "\": No such file or directory (2)", e.getMessage());
    }

    /** Oracle: "&merge DIR" applied g.inc's "comment =" to the module open at the directive; x.conf was ignored. */
    @Test
    void mergeAndIncludeOfADirectory(@TempDir Path dir) throws Exception {
        Path d = Files.createDirectory(dir.resolve("rsyncd.d"));
        Files.writeString(d.resolve("g.inc"), "comment = from merge\nmotd file = /etc/motd\n");
        Files.writeString(d.resolve("b.conf"), "[b]\npath = /b\n");
        Files.writeString(d.resolve("a.conf"), "[a]\npath = /a\nlist = no\n");
        Files.writeString(d.resolve("readme.txt"), "[never]\n");
        Path main = dir.resolve("rsyncd.conf");
        Files.writeString(main, "[m1]\npath = /m1\n&MERGE " + d + "\n[m2]\npath = /m2\n[global]\n&include " + d
                + "\n");
        RsyncdConf c = RsyncdConf.load(main);
        assertEquals(List.of("m1", "m2", "a", "b"), c.modules().stream().map(ModuleConfig::name).toList());
        assertEquals("from merge", mod(c, "m1").comment());
        assertEquals("", mod(c, "m2").comment());
        assertEquals(Optional.empty(), c.global().motdFile(), "merge in module context: global params are ignored");
        assertTrue(mod(c, "b").list(), "each included file starts again from the parent's defaults");
        assertTrue(c.warnings().stream().anyMatch(w -> w.contains("Global parameter motd file found in module")));

        Files.writeString(main, "&merge " + d + "\n[m]\npath = /m\n");
        RsyncdConf merged = RsyncdConf.load(main);
        assertEquals("from merge", mod(merged, "m").comment(), "merged globals become defaults");
        assertEquals(Optional.of(Path.of("/etc/motd")), merged.global().motdFile());

        Path empty = Files.createDirectory(dir.resolve("empty"));
        Files.writeString(main, "&include " + empty + "\n[m]\npath = /m\n");
        assertEquals(1, RsyncdConf.load(main).modules().size());
    }

    @Test
    void unknownDirectiveAndIncludeLoopsAreFatal(@TempDir Path dir) throws Exception {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("&inclde /x\n"));
        assertEquals("rsync: test.conf:1: Unknown directive: &inclde.", e.getMessage());
        Path self = dir.resolve("self.conf");
        Files.writeString(self, "&merge " + self + "\n");
        e = assertThrows(ConfigException.class, () -> RsyncdConf.load(self));
        assertTrue(e.getMessage().contains("nested deeper"), e.getMessage());
    }

    @Test
    void globalsOnlyStopsAtTheFirstSection(@TempDir Path dir) throws Exception {
        Path main = dir.resolve("rsyncd.conf");
        Files.writeString(main, "port = 1000\n[m]\npath = /m\n[global]\nport = 2000\n");
        assertEquals(1000, RsyncdConf.loadGlobalsOnly(main, List.of()).global().port());
        assertEquals(0, RsyncdConf.loadGlobalsOnly(main, List.of()).modules().size());
        assertEquals(2000, RsyncdConf.load(main).global().port());
        assertEquals(3000, RsyncdConf.loadGlobalsOnly(main, List.of("port=3000")).global().port());
    }

    @Test
    void dparamsApplyBeforeTheFirstModule(@TempDir Path dir) throws Exception {
        Path main = dir.resolve("rsyncd.conf");
        Files.writeString(main, "read only = yes\n[m]\npath = /m\n");
        RsyncdConf c = RsyncdConf.load(main, List.of("readonly= no", "motdfile=/etc/m"));
        assertFalse(mod(c, "m").readOnly());
        assertEquals(Optional.of(Path.of("/etc/m")), c.global().motdFile());
        assertThrows(ConfigException.class, () -> RsyncdConf.load(main, List.of("bogus=1")));
    }

    @Test
    void everyParameterOfTheTableIsAcceptedAndReported() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (Param p : Param.values()) {
            String v = switch (p.type()) {
                case BOOL, BOOL3 -> "yes";
                case INTEGER -> "7";
                case ENUM -> "local3";
                default -> "v-" + p.name();
            };
            sb.append(p.label()).append(" = ").append(v).append('\n');
        }
        sb.append("[m]\npath = /m\n");
        RsyncdConf c = parse(sb.toString());
        assertTrue(c.warnings().isEmpty(), c.warnings().toString());
        for (Param p : Param.values()) {
            if (p.scope() == Param.Scope.GLOBAL) {
                assertTrue(c.global().raw(p.label()).isPresent(), p.label());
            } else if (p != Param.NAME && p != Param.PATH) {
                assertTrue(mod(c, "m").explicitlySet().contains(p), p.label());
            }
        }
        List<String> notHonoured = c.notHonoured(List.of("port", "Path", "readonly", "comment"));
        assertTrue(notHonoured.contains("fake super"));
        assertTrue(notHonoured.contains("pre-xfer exec"));
        assertFalse(notHonoured.contains("port"));
        assertFalse(notHonoured.contains("path"));
        assertFalse(notHonoured.contains("read only"));
        assertFalse(notHonoured.contains("name"));
        assertEquals(List.of("list"), parse("[m]\npath=/m\nlist=no\n").notHonoured(List.of("path")));
    }
}
