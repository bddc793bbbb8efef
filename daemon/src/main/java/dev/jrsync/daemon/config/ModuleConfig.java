package dev.jrsync.daemon.config;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * One module of an rsyncd.conf with the defaults it inherited from the global context before its section started.
 * String values are as written: %VAR% references are not expanded (stock expands them lazily, at connection
 * time; see {@link RsyncdConf#expandVars}). Immutable, thread-safe.
 */
public final class ModuleConfig {
    private final Values values;
    private final Path file;
    private final int line;

    ModuleConfig(Values values, Path file, int line) {
        this.values = values;
        this.file = file;
        this.line = line;
    }

    /** The module name as requested by clients (matched case-sensitively at request time). */
    public String name() {
        return values.raw(Param.NAME).orElse("");
    }

    /** Where the module's section first started (for log messages). */
    public Path file() {
        return file;
    }

    public int line() {
        return line;
    }

    /** False when "path" is unset or empty: stock then answers {@code @ERROR: no path setting.} at connect time. */
    public boolean hasPath() {
        return values.nonEmpty(Param.PATH).isPresent();
    }

    /**
     * "path", trailing slashes removed, %VAR% not expanded. A missing path is not a config error in stock
     * (the module still lists); check {@link #hasPath()} first.
     *
     * @throws IllegalStateException when the module has no path
     */
    public Path path() {
        return Path.of(values.nonEmpty(Param.PATH).orElseThrow(() -> new IllegalStateException("no path setting.")));
    }

    /** "path" as written (trailing slashes removed), for %VAR% expansion and the "/./" split. */
    public Optional<String> pathString() {
        return values.nonEmpty(Param.PATH);
    }

    public String comment() {
        return values.raw(Param.COMMENT).orElse("");
    }

    public boolean list() {
        return values.bool(Param.LIST);
    }

    public boolean readOnly() {
        return values.bool(Param.READ_ONLY);
    }

    public boolean writeOnly() {
        return values.bool(Param.WRITE_ONLY);
    }

    public AuthUsers authUsers() {
        return AuthUsers.parse(values.raw(Param.AUTH_USERS).orElse(""));
    }

    public Optional<Path> secretsFile() {
        return values.nonEmpty(Param.SECRETS_FILE).map(Path::of);
    }

    public boolean strictModes() {
        return values.bool(Param.STRICT_MODES);
    }

    /** hosts allow / hosts deny with this module's "forward lookup" setting. */
    public HostAccess hostAccess() {
        return HostAccess.of(values.raw(Param.HOSTS_ALLOW).orElse(null), values.raw(Param.HOSTS_DENY).orElse(null),
                forwardLookup());
    }

    /** "use chroot" as set; empty when unset (stock then tries chroot and falls back to none if it fails). */
    public Optional<Boolean> useChrootSetting() {
        return values.bool3(Param.USE_CHROOT);
    }

    /** "use chroot" with unset read as yes (stock's intent when chroot works; A.3.7). */
    public boolean useChroot() {
        return useChrootSetting().orElse(true);
    }

    /**
     * "munge symlinks"; when unset, on unless the transfer really runs chrooted to the whole path (no "/./" inner
     * part). Mirrors clientserver.c: {@code munge_symlinks = !use_chroot || module_dirlen}.
     *
     * @param chrooted whether the daemon actually confines this transfer by chroot (a JVM daemon that does not
     *                 chroot passes false and so munges by default)
     */
    public boolean mungeSymlinks(boolean chrooted) {
        return values.bool3(Param.MUNGE_SYMLINKS).orElseGet(() -> !chrooted || innerPathLength() > 0);
    }

    /** {@link #mungeSymlinks(boolean)} assuming the chroot that "use chroot" asks for (unset = yes) happens. */
    public boolean mungeSymlinks() {
        return mungeSymlinks(useChroot());
    }

    /** Length of the module root inside the chroot ("/./" split), 0 when there is no split or it is "/". */
    int innerPathLength() {
        String p = pathString().orElse("");
        int split = p.indexOf("/./");
        if (split < 0) {
            return 0;
        }
        String inner = p.substring(split + 2);
        int len = inner.length();
        while (len > 0 && inner.charAt(len - 1) == '/') {
            len--;
        }
        return len;
    }

    /**
     * "numeric ids"; when unset, on for chrooted modules without a "name converter", off otherwise.
     *
     * @param chrooted whether the transfer really runs chrooted
     */
    public boolean numericIds(boolean chrooted) {
        return values.bool3(Param.NUMERIC_IDS).orElseGet(() -> chrooted
                && values.nonEmpty(Param.NAME_CONVERTER).isEmpty());
    }

    /** {@link #numericIds(boolean)} assuming the chroot that "use chroot" asks for happens. */
    public boolean numericIds() {
        return numericIds(useChroot());
    }

    /** "max connections": 0 = unlimited, negative = module disabled. */
    public int maxConnections() {
        return values.integer(Param.MAX_CONNECTIONS);
    }

    /** "timeout" in seconds, 0 = none. */
    public int timeout() {
        return values.integer(Param.TIMEOUT);
    }

    public int maxVerbosity() {
        return values.integer(Param.MAX_VERBOSITY);
    }

    /** "lock file" (default /var/run/rsyncd.lock). */
    public Path lockFile() {
        return Path.of(values.raw(Param.LOCK_FILE).orElseThrow());
    }

    public Optional<Path> logFile() {
        return values.nonEmpty(Param.LOG_FILE).map(Path::of);
    }

    /** "log format" (default {@code %o %h [%a] %m (%u) %f %l}). */
    public String logFormat() {
        return values.raw(Param.LOG_FORMAT).orElse("");
    }

    public boolean transferLogging() {
        return values.bool(Param.TRANSFER_LOGGING);
    }

    public boolean ignoreErrors() {
        return values.bool(Param.IGNORE_ERRORS);
    }

    public boolean ignoreNonreadable() {
        return values.bool(Param.IGNORE_NONREADABLE);
    }

    public boolean fakeSuper() {
        return values.bool(Param.FAKE_SUPER);
    }

    public boolean insecureLinks() {
        return values.bool(Param.INSECURE_LINKS);
    }

    public boolean reverseLookup() {
        return values.bool(Param.REVERSE_LOOKUP);
    }

    public boolean forwardLookup() {
        return values.bool(Param.FORWARD_LOOKUP);
    }

    public Optional<String> uid() {
        return values.nonEmpty(Param.UID);
    }

    public Optional<String> gid() {
        return values.nonEmpty(Param.GID);
    }

    /**
     * The filter parameters (filter, exclude, include and their "from" files) this module sets.
     * jrsync cannot apply them yet, so a module that sets any is not served: ignoring them could
     * expose files the administrator meant to hide.
     */
    public java.util.List<String> filterParams() {
        return java.util.stream.Stream.of(Param.FILTER, Param.EXCLUDE, Param.INCLUDE, Param.EXCLUDE_FROM,
                        Param.INCLUDE_FROM)
                .filter(p -> values.nonEmpty(p).isPresent()).map(Param::label).toList();
    }

    public Optional<String> refuseOptions() {
        return values.nonEmpty(Param.REFUSE_OPTIONS);
    }

    /** "dont compress" (default: stock's suffix list). */
    public String dontCompress() {
        return values.raw(Param.DONT_COMPRESS).orElse("");
    }

    public Optional<String> authDigest() {
        return values.nonEmpty(Param.AUTH_DIGEST);
    }

    /** The value of any parameter for this module (set, inherited, else stock's default); name looked up as stock. */
    public Optional<String> raw(String param) {
        return values.raw(param);
    }

    public Optional<String> raw(Param param) {
        return values.raw(param);
    }

    /** Parameters set for this module, including those inherited from the global context. */
    public Set<Param> explicitlySet() {
        return values.explicitlySet();
    }

    @Override
    public String toString() {
        return "ModuleConfig[" + name() + "]";
    }
}
