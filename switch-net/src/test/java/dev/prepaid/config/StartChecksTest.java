package dev.prepaid.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the configuration needs from the machine: free ports, a writable journal directory. */
class StartChecksTest {
    @TempDir
    Path temp;

    @Test
    void aPortInUseIsNamed() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            final int port = taken.getLocalPort();
            assertThatThrownBy(() -> StartChecks.requirePortFree("127.0.0.1", port, "server.port"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("server.port: port " + port + " on 127.0.0.1 is in use; stop what listens there or choose"
                            + " another port");
        }
    }

    @Test
    void aFreePortPassesAndIsLeftFree() throws IOException {
        final int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        StartChecks.requirePortFree("127.0.0.1", port, "server.port");
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
        StartChecks.requirePortFree("127.0.0.1", 0, "server.port");
    }

    @Test
    void theWholeConfigurationIsCheckedPortByPort() throws IOException {
        final SwitchConfig demo = ConfigTestSupport.demoConfig();
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            final int port = taken.getLocalPort();
            assertThatThrownBy(() -> StartChecks.verify(demo.withPorts(0, port, 0))).isInstanceOf(ConfigException.class)
                    .hasMessage(demo.file() + ": metrics.port: port " + port + " on 127.0.0.1 is in use; stop what listens"
                            + " there or choose another port");
            // A disabled listener is not checked.
            final SwitchConfig free = demo.withPorts(0, 0, 0);
            StartChecks.verify(new SwitchConfig(free.file(), free.baseDirectory(), free.server(), free.pipeline(),
                    free.journal(), free.ledger(), free.keys(), free.dialect(), free.bootstrap(),
                    new MetricsSettings(false, "127.0.0.1", port), free.admin(), free.business()));
        }
    }

    @Test
    void anAddressOfAnotherMachineIsNamed() {
        assertThatThrownBy(() -> StartChecks.requirePortFree("192.0.2.1", 8583, "server.port"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("server.host: 192.0.2.1 is not an address of this machine");
        final SwitchConfig demo = ConfigTestSupport.demoConfig().withPorts(0, 0, 0);
        final SwitchConfig elsewhere = new SwitchConfig(demo.file(), demo.baseDirectory(),
                new ServerSettings("192.0.2.1", 8583, demo.server().maxFrameBytes(), demo.server().maxConnections(),
                        demo.server().idleTimeoutSeconds(), demo.server().frameDeadlineMillis(), demo.server().allowList()), demo.pipeline(), demo.journal(), demo.ledger(), demo.keys(),
                demo.dialect(), demo.bootstrap(), demo.metrics(), demo.admin(), demo.business());
        assertThatThrownBy(() -> StartChecks.verify(elsewhere)).isInstanceOf(ConfigException.class)
                .hasMessage(demo.file() + ": server.host: 192.0.2.1 is not an address of this machine");
    }

    /** The admin endpoint is served since the admin-cli issue: its port is checked like the others. */
    @Test
    void aBusyAdminPortStopsTheStartNamingIt() throws IOException {
        final SwitchConfig demo = ConfigTestSupport.demoConfig().withPorts(0, 0, 0);
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            final SwitchConfig busyAdmin = new SwitchConfig(demo.file(), demo.baseDirectory(), demo.server(),
                    demo.pipeline(), demo.journal(), demo.ledger(), demo.keys(), demo.dialect(), demo.bootstrap(),
                    demo.metrics(), new AdminSettings(true, "127.0.0.1", taken.getLocalPort(),
                            demo.admin().passwordHashing()), demo.business());
            assertThatThrownBy(() -> StartChecks.verify(busyAdmin)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("admin.port").hasMessageContaining(Integer.toString(taken.getLocalPort()));
        }
    }

    @Test
    void aJournalDirectoryThatExistsOrCanBeCreatedPasses() throws IOException {
        StartChecks.requireWritableDirectory(temp, "journal.directory");
        StartChecks.requireWritableDirectory(temp.resolve("a/b/c"), "journal.directory");
        assertThat(temp.resolve("a")).doesNotExist();
        try (var left = Files.list(temp)) {
            assertThat(left).as("the probe file is removed").isEmpty();
        }
    }

    @Test
    void aJournalDirectoryThatIsAFileOrUnderAFileIsRefused() throws IOException {
        final Path file = Files.writeString(temp.resolve("journal"), "not a directory");
        assertThatThrownBy(() -> StartChecks.requireWritableDirectory(file, "journal.directory"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("journal.directory: " + file + " is a file, not a directory");
        assertThatThrownBy(() -> StartChecks.requireWritableDirectory(file.resolve("queue"), "journal.directory"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("journal.directory: " + file.resolve("queue") + " cannot be created: " + file
                        + " is a file, not a directory");
    }

    @Test
    void anUnwritableJournalDirectoryIsRefused() throws IOException {
        final Path readOnly = Files.createDirectory(temp.resolve("read-only"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            // Root writes through permission bits; /proc takes no new files from anybody.
            final Path unwritable = Files.isWritable(readOnly) ? Path.of("/proc/self") : readOnly;
            assertThatThrownBy(() -> StartChecks.requireWritableDirectory(unwritable, "journal.directory"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("journal.directory: " + unwritable + " is not writable by this user");
            assertThatThrownBy(() -> StartChecks.requireWritableDirectory(unwritable.resolve("j"), "journal.directory"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("journal.directory: " + unwritable.resolve("j") + " does not exist and cannot be created: "
                            + unwritable + " is not writable by this user");
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void theConfiguredJournalDirectoryIsChecked() throws IOException {
        final Path file = Files.writeString(temp.resolve("journal"), "x");
        final SwitchConfig demo = ConfigTestSupport.demoConfig().withPorts(0, 0, 0).withJournalDirectory(file);
        assertThatThrownBy(() -> StartChecks.verify(demo)).isInstanceOf(ConfigException.class)
                .hasMessage(demo.file() + ": journal.directory: " + file + " is a file, not a directory");
    }
}
