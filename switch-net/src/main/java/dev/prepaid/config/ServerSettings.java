package dev.prepaid.config;

import java.net.InetAddress;
import java.util.List;

/**
 * The POS listener ({@code server} in the configuration).
 *
 * @param host address to listen on ({@code 0.0.0.0}: every interface)
 * @param port TCP port (0: any free port, for tests)
 * @param maxFrameBytes longest frame accepted, counted after the 2-byte length; longer closes the connection
 * @param maxConnections terminal connections open at once; more are refused at accept
 * @param idleTimeoutSeconds a connection silent this long is closed
 * @param frameDeadlineMillis a frame that started must be complete within this time (a frame dribbling in byte
 *        by byte is cut off)
 * @param allowList addresses and CIDR blocks terminals may connect from; empty: any address
 */
public record ServerSettings(
        String host,
        int port,
        int maxFrameBytes,
        int maxConnections,
        int idleTimeoutSeconds,
        int frameDeadlineMillis,
        List<AddressRange> allowList) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8583;

    public ServerSettings {
        allowList = List.copyOf(allowList);
    }

    /** Whether a terminal connecting from {@code address} may stay connected. */
    public boolean allows(final InetAddress address) {
        if (allowList.isEmpty()) {
            return true;
        }
        for (final AddressRange range : allowList) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
