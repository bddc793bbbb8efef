package dev.jrsync.protocol.wire;

/** Multiplexed message codes (rsync.h enum msgcode). Constants only. */
public final class MsgCode {
    public static final int MPLEX_BASE = 7;

    public static final int MSG_DATA = 0;
    public static final int MSG_ERROR_XFER = 1;
    public static final int MSG_INFO = 2;
    public static final int MSG_ERROR = 3;
    public static final int MSG_WARNING = 4;
    public static final int MSG_ERROR_SOCKET = 5;
    public static final int MSG_LOG = 6;
    public static final int MSG_CLIENT = 7;
    public static final int MSG_ERROR_UTF8 = 8;
    public static final int MSG_REDO = 9;
    public static final int MSG_STATS = 10;
    public static final int MSG_IO_ERROR = 22;
    public static final int MSG_IO_TIMEOUT = 33;
    public static final int MSG_NOOP = 42;
    public static final int MSG_ERROR_EXIT = 86;
    public static final int MSG_SUCCESS = 100;
    public static final int MSG_DELETED = 101;
    public static final int MSG_NO_SEND = 102;

    private MsgCode() {
    }

    public static String name(int code) {
        return switch (code) {
            case MSG_DATA -> "MSG_DATA";
            case MSG_ERROR_XFER -> "MSG_ERROR_XFER";
            case MSG_INFO -> "MSG_INFO";
            case MSG_ERROR -> "MSG_ERROR";
            case MSG_WARNING -> "MSG_WARNING";
            case MSG_ERROR_SOCKET -> "MSG_ERROR_SOCKET";
            case MSG_LOG -> "MSG_LOG";
            case MSG_CLIENT -> "MSG_CLIENT";
            case MSG_ERROR_UTF8 -> "MSG_ERROR_UTF8";
            case MSG_REDO -> "MSG_REDO";
            case MSG_STATS -> "MSG_STATS";
            case MSG_IO_ERROR -> "MSG_IO_ERROR";
            case MSG_IO_TIMEOUT -> "MSG_IO_TIMEOUT";
            case MSG_NOOP -> "MSG_NOOP";
            case MSG_ERROR_EXIT -> "MSG_ERROR_EXIT";
            case MSG_SUCCESS -> "MSG_SUCCESS";
            case MSG_DELETED -> "MSG_DELETED";
            case MSG_NO_SEND -> "MSG_NO_SEND";
            default -> "MSG_" + code;
        };
    }
}
