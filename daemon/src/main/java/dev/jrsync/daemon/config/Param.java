package dev.jrsync.daemon.config;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every rsyncd.conf parameter stock rsync 3.5.0 knows (daemon-parm.txt at v3.5.0), with its scope, value type and
 * default. Immutable.
 */
public enum Param {
    // Globals (P_GLOBAL): ignored with a warning inside a module section.
    ADDRESS("address", Scope.GLOBAL, Type.STRING, null),
    DAEMON_CHROOT("daemon chroot", Scope.GLOBAL, Type.STRING, null),
    DAEMON_GID("daemon gid", Scope.GLOBAL, Type.STRING, null),
    DAEMON_UID("daemon uid", Scope.GLOBAL, Type.STRING, null),
    MOTD_FILE("motd file", Scope.GLOBAL, Type.STRING, null),
    PID_FILE("pid file", Scope.GLOBAL, Type.STRING, null),
    PROXY_PROTOCOL_HOSTS("proxy protocol hosts", Scope.GLOBAL, Type.STRING, null),
    SOCKET_OPTIONS("socket options", Scope.GLOBAL, Type.STRING, null),
    LISTEN_BACKLOG("listen backlog", Scope.GLOBAL, Type.INTEGER, "5"),
    PORT("port", Scope.GLOBAL, Type.INTEGER, "0"),
    PROXY_PROTOCOL("proxy protocol", Scope.GLOBAL, Type.BOOL, "no"),

    // Locals (P_LOCAL): per module, and defaults for later modules when set in the global context.
    AUTH_DIGEST("auth digest", Scope.MODULE, Type.STRING, null),
    AUTH_USERS("auth users", Scope.MODULE, Type.STRING, null),
    CHARSET("charset", Scope.MODULE, Type.STRING, null),
    COMMENT("comment", Scope.MODULE, Type.STRING, null),
    DONT_COMPRESS("dont compress", Scope.MODULE, Type.STRING, Defaults.DONT_COMPRESS),
    EARLY_EXEC("early exec", Scope.MODULE, Type.STRING, null),
    EXCLUDE("exclude", Scope.MODULE, Type.STRING, null),
    EXCLUDE_FROM("exclude from", Scope.MODULE, Type.STRING, null),
    FILTER("filter", Scope.MODULE, Type.STRING, null),
    GID("gid", Scope.MODULE, Type.STRING, null),
    HOSTS_ALLOW("hosts allow", Scope.MODULE, Type.STRING, null),
    HOSTS_DENY("hosts deny", Scope.MODULE, Type.STRING, null),
    INCLUDE("include", Scope.MODULE, Type.STRING, null),
    INCLUDE_FROM("include from", Scope.MODULE, Type.STRING, null),
    INCOMING_CHMOD("incoming chmod", Scope.MODULE, Type.STRING, null),
    LOCK_FILE("lock file", Scope.MODULE, Type.STRING, "/var/run/rsyncd.lock"),
    LOG_FILE("log file", Scope.MODULE, Type.STRING, null),
    LOG_FORMAT("log format", Scope.MODULE, Type.STRING, "%o %h [%a] %m (%u) %f %l"),
    NAME("name", Scope.MODULE, Type.STRING, null),
    NAME_CONVERTER("name converter", Scope.MODULE, Type.STRING, null),
    OUTGOING_CHMOD("outgoing chmod", Scope.MODULE, Type.STRING, null),
    POST_XFER_EXEC("post-xfer exec", Scope.MODULE, Type.STRING, null),
    PRE_XFER_EXEC("pre-xfer exec", Scope.MODULE, Type.STRING, null),
    REFUSE_OPTIONS("refuse options", Scope.MODULE, Type.STRING, null),
    SECRETS_FILE("secrets file", Scope.MODULE, Type.STRING, null),
    SYSLOG_TAG("syslog tag", Scope.MODULE, Type.STRING, "rsyncd"),
    UID("uid", Scope.MODULE, Type.STRING, null),
    PATH("path", Scope.MODULE, Type.PATH, null),
    TEMP_DIR("temp dir", Scope.MODULE, Type.PATH, null),
    MAX_CONNECTIONS("max connections", Scope.MODULE, Type.INTEGER, "0"),
    MAX_VERBOSITY("max verbosity", Scope.MODULE, Type.INTEGER, "1"),
    TIMEOUT("timeout", Scope.MODULE, Type.INTEGER, "0"),
    SYSLOG_FACILITY("syslog facility", Scope.MODULE, Type.ENUM, "daemon"),
    FAKE_SUPER("fake super", Scope.MODULE, Type.BOOL, "no"),
    FORWARD_LOOKUP("forward lookup", Scope.MODULE, Type.BOOL, "yes"),
    IGNORE_ERRORS("ignore errors", Scope.MODULE, Type.BOOL, "no"),
    IGNORE_NONREADABLE("ignore nonreadable", Scope.MODULE, Type.BOOL, "no"),
    INSECURE_LINKS("insecure links", Scope.MODULE, Type.BOOL, "no"),
    LIST("list", Scope.MODULE, Type.BOOL, "yes"),
    READ_ONLY("read only", Scope.MODULE, Type.BOOL, "yes"),
    REVERSE_LOOKUP("reverse lookup", Scope.MODULE, Type.BOOL, "yes"),
    STRICT_MODES("strict modes", Scope.MODULE, Type.BOOL, "yes"),
    TRANSFER_LOGGING("transfer logging", Scope.MODULE, Type.BOOL, "no"),
    WRITE_ONLY("write only", Scope.MODULE, Type.BOOL, "no"),
    MUNGE_SYMLINKS("munge symlinks", Scope.MODULE, Type.BOOL3, null),
    NUMERIC_IDS("numeric ids", Scope.MODULE, Type.BOOL3, null),
    OPEN_NOATIME("open noatime", Scope.MODULE, Type.BOOL3, null),
    USE_CHROOT("use chroot", Scope.MODULE, Type.BOOL3, null);

    /** Where a parameter may be set. */
    public enum Scope { GLOBAL, MODULE }

    /** How stock stores the value; decides parse-time validation and %VAR% expansion time. */
    public enum Type { STRING, PATH, INTEGER, ENUM, BOOL, BOOL3 }

    private static final Map<String, Param> BY_KEY = new HashMap<>();

    static {
        for (Param p : values()) {
            BY_KEY.put(key(p.label), p);
        }
    }

    private final String label;
    private final Scope scope;
    private final Type type;
    private final String defaultValue;

    Param(String label, Scope scope, Type type, String defaultValue) {
        this.label = label;
        this.scope = scope;
        this.type = type;
        this.defaultValue = defaultValue;
    }

    /** The name as the man page spells it, e.g. {@code "read only"}. */
    public String label() {
        return label;
    }

    public Scope scope() {
        return scope;
    }

    public Type type() {
        return type;
    }

    /** Stock's default in config syntax; empty when the default is "not set" (NULL or Unset). */
    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /**
     * Looks a name up as stock does: case-insensitive, every whitespace character ignored ("ReadOnly",
     * "READ  ONLY"), but underscores are NOT spaces ("read_only" is unknown), and a leading '-' never matches.
     * Mirrors loadparm.c:map_parameter() with strwiEQ().
     */
    public static Optional<Param> lookup(String name) {
        if (name.startsWith("-")) {
            return Optional.empty();
        }
        return Optional.ofNullable(BY_KEY.get(key(name)));
    }

    private static String key(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!ConfText.isSpace(c)) {
                sb.append(c);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    private static final class Defaults {
        /** DEFAULT_DONT_COMPRESS of rsync 3.5.0 (rsyncd-and-security.md §A.3.10). */
        static final String DONT_COMPRESS = String.join(" ", java.util.Arrays.stream((
                "3g2 3gp 7z aac ace apk avi bz2 deb dmg ear f4v flac flv gpg gz iso jar jpeg jpg lrz lz lz4 lzma lzo"
                + " m1a m1v m2a m2ts m2v m4a m4b m4p m4r m4v mka mkv mov mp1 mp2 mp3 mp4 mpa mpeg mpg mpv mts odb odf"
                + " odg odi odm odp ods odt oga ogg ogm ogv ogx opus otg oth otp ots ott oxt png qt rar rpm rz rzip"
                + " spx squashfs sxc sxd sxg sxm sxw sz tbz tbz2 tgz tlz ts txz tzo vob war webm webp xz z zip zst")
                .split(" ")).map(s -> "*." + s).toArray(String[]::new));
    }
}
