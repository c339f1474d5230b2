package dev.prepaid.config;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the configuration needs from the machine, checked before the switch starts anything: each failure is a
 * {@link ConfigException} with one line naming the file, the key and the problem. The single checks take the
 * text to start the line with ({@code key}: the file and key, as {@link #verify} passes them).
 */
public final class StartChecks {

    private StartChecks() {
    }

    /**
     * Every check, in order: the files the configuration names exist (dialect, bootstrap, MFK component files,
     * key file), the journal directory is writable (or can be created), and every enabled listener's port is free
     * (the admin endpoint is not served yet, so its port is not checked).
     */
    public static void verify(final SwitchConfig config) {
        final String in = config.file() + ": ";
        requireFile(config.dialect(), in + "dialect");
        config.bootstrap().ifPresent(file -> requireFile(file, in + "bootstrap"));
        // Components before the key file: that is the order of a first installation, and keys add needs the MFK.
        int i = 0;
        for (final String spec : config.keys().mfkComponents()) {
            if (spec.startsWith("file:")) {
                requireFile(Path.of(spec.substring("file:".length())), in + "keys.mfkComponents[" + i + "]",
                        "; each custodian makes one with bin/prepaid keys component FILE (docs/operations.md, First"
                        + " installation)");
            }
            i++;
        }
        requireFile(config.keys().keyFile(), in + "keys.keyFile", "; start one with bin/prepaid keys add pvk --generate"
                + " (docs/operations.md, First installation)");
        requireWritableDirectory(config.journal().directory(), in + "journal.directory");
        requirePortFree(config.server().host(), config.server().port(), in + "server.port");
        if (config.metrics().enabled()) {
            requirePortFree(config.metrics().host(), config.metrics().port(), in + "metrics.port");
        }
        if (config.admin().enabled()) {
            requirePortFree(config.admin().host(), config.admin().port(), in + "admin.port");
            if (config.admin().tls()) {
                requireFile(config.admin().tlsCertificate(), in + "admin.tls.certificate", " (a PEM certificate chain)");
                requireFile(config.admin().tlsPrivateKey(), in + "admin.tls.privateKey", " (a PEM PKCS#8 private key)");
            }
        }
    }

    /** A readable regular file. */
    public static void requireFile(final Path file, final String key) {
        requireFile(file, key, "");
    }

    /** A readable regular file; {@code howToMakeIt} is added when it does not exist yet. */
    public static void requireFile(final Path file, final String key, final String howToMakeIt) {
        if (!Files.exists(file)) {
            throw new ConfigException(key + ": " + file + " does not exist" + howToMakeIt);
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(key + ": " + file + " is not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new ConfigException(key + ": " + file + " is not readable by this user");
        }
    }

    /**
     * A directory the switch can write in: it exists and a file can be created in it, or it does not exist yet and
     * its nearest existing ancestor is a directory a file can be created in (the journal creates the rest). The
     * check creates and deletes a scratch file rather than trusting permission bits (which say nothing of
     * read-only mounts, and everything is writable to root).
     */
    public static void requireWritableDirectory(final Path directory, final String key) {
        final Path absolute = directory.toAbsolutePath().normalize();
        if (Files.exists(absolute)) {
            if (!Files.isDirectory(absolute)) {
                throw new ConfigException(key + ": " + absolute + " is a file, not a directory");
            }
            if (!canCreateFileIn(absolute)) {
                throw new ConfigException(key + ": " + absolute + " is not writable by this user");
            }
            return;
        }
        Path ancestor = absolute.getParent();
        while (ancestor != null && !Files.exists(ancestor)) {
            ancestor = ancestor.getParent();
        }
        if (ancestor == null) {
            throw new ConfigException(key + ": " + absolute + " cannot be created: no part of the path exists");
        }
        if (!Files.isDirectory(ancestor)) {
            throw new ConfigException(key + ": " + absolute + " cannot be created: " + ancestor
                    + " is a file, not a directory");
        }
        if (!canCreateFileIn(ancestor)) {
            throw new ConfigException(key + ": " + absolute + " does not exist and cannot be created: " + ancestor
                    + " is not writable by this user");
        }
    }

    private static boolean canCreateFileIn(final Path directory) {
        try {
            final Path probe = Files.createTempFile(directory, ".write-check", ".tmp");
            Files.delete(probe);
            return true;
        } catch (final IOException | SecurityException e) {
            return false;
        }
    }

    /**
     * Binds {@code host:port} once and lets go, to find a port already in use before anything starts. Port 0 (any
     * free port) always passes.
     *
     * @param key the configuration key of the port, for the message; a problem with the host names the sibling
     *        {@code .host} key instead
     * @throws ConfigException e.g. {@code server.port: port 8583 on 127.0.0.1 is in use; stop what listens there or
     *         choose another port}
     */
    public static void requirePortFree(final String host, final int port, final String key) {
        if (port == 0) {
            return;
        }
        final String hostKey = key.endsWith(".port") ? key.substring(0, key.length() - ".port".length()) + ".host" : key;
        final InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new ConfigException(hostKey + ": the host '" + host + "' does not resolve to an address");
        }
        if (!isLocal(address.getAddress())) {
            throw new ConfigException(hostKey + ": " + host + " is not an address of this machine");
        }
        try (ServerSocket socket = new ServerSocket()) {
            // Like the listeners: a port held only by connections in TIME_WAIT is free to bind.
            socket.setReuseAddress(true);
            socket.bind(address);
        } catch (final BindException e) {
            throw new ConfigException(key + ": port " + port + " on " + host + " is in use; stop what listens there or"
                    + " choose another port", e);
        } catch (final IOException | SecurityException e) {
            throw new ConfigException(key + ": cannot listen on " + host + " port " + port + ": " + e.getMessage(), e);
        }
    }

    private static boolean isLocal(final InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (final SocketException e) {
            return false;
        }
    }
}
