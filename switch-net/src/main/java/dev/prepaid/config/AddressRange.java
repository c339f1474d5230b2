package dev.prepaid.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * One entry of the terminals' allow-list: an IP address ({@code 10.1.2.3}, {@code ::1}) or a CIDR block
 * ({@code 10.1.0.0/16}, {@code fd00::/8}). Only literal addresses: a host name would need a DNS lookup at start
 * and could change behind the operator's back. An IPv4 address seen as an IPv4-mapped IPv6 address
 * ({@code ::ffff:10.1.2.3}) matches the IPv4 entries.
 */
public final class AddressRange {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    private final String text;
    private final byte[] network;
    private final int prefixLength;

    private AddressRange(final String text, final byte[] network, final int prefixLength) {
        this.text = text;
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /**
     * Parses {@code address} or {@code address/prefix}.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static AddressRange parse(final String entry) {
        if (entry == null || entry.isBlank()) {
            throw new IllegalArgumentException("an empty entry is not an address");
        }
        final String trimmed = entry.trim();
        final int slash = trimmed.indexOf('/');
        final String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        final byte[] bytes = literal(address);
        final int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            final String prefixText = trimmed.substring(slash + 1);
            if (!prefixText.matches("\\d{1,3}") || Integer.parseInt(prefixText) > bits) {
                throw new IllegalArgumentException("'" + trimmed + "': the prefix length must be 0.." + bits);
            }
            prefix = Integer.parseInt(prefixText);
        }
        for (int bit = prefix; bit < bits; bit++) {
            if ((bytes[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                throw new IllegalArgumentException("'" + trimmed + "' has bits set after the /" + prefix
                        + " prefix; write the network address");
            }
        }
        return new AddressRange(trimmed, bytes, prefix);
    }

    private static byte[] literal(final String address) {
        final java.util.regex.Matcher v4 = IPV4.matcher(address);
        if (v4.matches()) {
            final byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                final int octet = Integer.parseInt(v4.group(i + 1));
                if (octet > 255) {
                    throw new IllegalArgumentException("'" + address + "' is not an IPv4 address");
                }
                bytes[i] = (byte) octet;
            }
            return bytes;
        }
        if (address.indexOf(':') >= 0 && IPV6.matcher(address).matches()) {
            try {
                // A literal with ':' is parsed, never looked up.
                return mappedToIpv4(InetAddress.getByName(address).getAddress());
            } catch (final UnknownHostException e) {
                throw new IllegalArgumentException("'" + address + "' is not an IPv6 address");
            }
        }
        throw new IllegalArgumentException("'" + address + "' is not an IP address or CIDR block (host names are not"
                + " accepted)");
    }

    private static byte[] mappedToIpv4(final byte[] bytes) {
        if (bytes.length == 16) {
            for (int i = 0; i < 10; i++) {
                if (bytes[i] != 0) {
                    return bytes;
                }
            }
            if (bytes[10] == (byte) 0xFF && bytes[11] == (byte) 0xFF) {
                return Arrays.copyOfRange(bytes, 12, 16);
            }
        }
        return bytes;
    }

    /** Whether {@code address} is in this range. */
    public boolean contains(final InetAddress address) {
        final byte[] bytes = address instanceof Inet6Address ? mappedToIpv4(address.getAddress()) : address.getAddress();
        if (bytes.length != network.length) {
            return false;
        }
        final int whole = prefixLength / 8;
        for (int i = 0; i < whole; i++) {
            if (bytes[i] != network[i]) {
                return false;
            }
        }
        final int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        final int mask = (0xFF00 >>> rest) & 0xFF;
        return (bytes[whole] & mask) == (network[whole] & mask);
    }

    public int prefixLength() {
        return prefixLength;
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof AddressRange && ((AddressRange) other).prefixLength == prefixLength
                && Arrays.equals(((AddressRange) other).network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    /** As written in the configuration. */
    @Override
    public String toString() {
        return text;
    }
}
