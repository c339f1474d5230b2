package dev.prepaid.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.security.CvkPair;
import dev.prepaid.security.Cvn;
import dev.prepaid.security.DesKey;
import dev.prepaid.security.KeyComponentSource;
import dev.prepaid.security.MasterFileKey;
import dev.prepaid.security.StoredKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The shipped demo files agree with each other and with the documented clear keys. */
class DemoFilesTest {
    private static String read(final String name) throws IOException {
        return Files.readString(ConfigTestSupport.demoDirectory().resolve(name), StandardCharsets.UTF_8);
    }

    @Test
    void theComponentFilesMakeTheDevelopmentMfk() {
        final Path demo = ConfigTestSupport.demoDirectory();
        final MasterFileKey mfk = MasterFileKey.load(List.of(KeyComponentSource.file(demo.resolve("mfk-component-1.hex")),
                KeyComponentSource.file(demo.resolve("mfk-component-2.hex"))));
        assertThat(mfk.isDevelopmentKey()).isTrue();
        assertThat(mfk.checkValueHex()).isEqualTo("40D522");
    }

    @Test
    void theKeyFileIsTheDocumentedClearKeysUnderTheDevelopmentMfk() throws IOException {
        final List<String> lines = new ArrayList<>();
        for (final String line : read("keys.txt").split("\\R")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                lines.add(line);
            }
        }
        final List<String> expected = new ArrayList<>();
        DemoKeys.clearKeys().forEach((name, key) -> expected.add(StoredKeys.format(name, key, MasterFileKey.development())));
        assertThat(lines).containsExactlyElementsOf(expected);
        final StoredKeys keys = ConfigTestSupport.demoKeys();
        DemoKeys.clearKeys().forEach((name, key) -> assertThat(keys.key(name).sameKeyAs(key)).as(name).isTrue());
        assertThat(read("keys.txt")).contains("DEMO ONLY - NOT SECRET");
    }

    /**
     * The installation's files (config/) cite only documents the repository ships: an operator following a
     * reference to a file that is not there (the protocol specification is handed out, not shipped) is stuck.
     */
    @Test
    void theConfigurationFilesCiteOnlyDocumentsThatExist() throws IOException {
        final Path root = ConfigTestSupport.root();
        final Pattern cited = Pattern.compile("[A-Za-z0-9_./-]*/[A-Za-z0-9_.-]+\\.md");
        final List<String> missing = new ArrayList<>();
        try (var files = Files.walk(root.resolve("config"))) {
            for (final Path file : files.filter(Files::isRegularFile)
                    .filter(f -> f.toString().matches(".*\\.(md|yaml|hex|txt|options)")).toList()) {
                final Matcher m = cited.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (m.find()) {
                    final String path = m.group();
                    if (!Files.exists(root.resolve(path)) && !Files.exists(file.resolveSibling(path))) {
                        missing.add(root.relativize(file) + ": " + path);
                    }
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void theReadmeTableGivesEveryClearKeyWithItsCheckValue() throws IOException {
        final String readme = read("README.md");
        final Pattern row = Pattern.compile("\\| `([a-z0-9.]+)` \\|[^|]*\\| ((?:`[0-9A-F]+` ?)+)\\| `([0-9A-F]{6})` \\|");
        final Matcher m = row.matcher(readme);
        int rows = 0;
        while (m.find()) {
            final String clear = m.group(2).replace("`", "").replace(" ", "");
            assertThat(DemoKeys.CLEAR.get(m.group(1))).as(m.group(1)).isEqualTo(clear);
            assertThat(DesKey.fromHex(clear).checkValueHex(3)).as(m.group(1)).isEqualTo(m.group(3));
            rows++;
        }
        assertThat(rows).isEqualTo(DemoKeys.CLEAR.size());
        assertThat(readme).contains("`E09B073B4007541FAB76B04370451031` ⊕ `4CBF5D51EA8525EF045EFED6E386D9D9` | `40D522`");
    }

    @Test
    void theBootstrapCommentsGiveEveryTerminalsTmkWithItsCheckValue() throws IOException {
        final String bootstrap = read("bootstrap.yaml");
        int terminals = 0;
        for (final Map.Entry<String, String> key : DemoKeys.CLEAR.entrySet()) {
            if (key.getKey().startsWith("tmk.")) {
                final String id = key.getKey().substring(4);
                assertThat(bootstrap).containsPattern("#   " + id + " +8883100[0-9]{8} +[A-Z0-9_]+ +" + key.getValue() + " +"
                        + DesKey.fromHex(key.getValue()).checkValueHex(3));
                terminals++;
            }
        }
        assertThat(terminals).isEqualTo(6);
        assertThat(bootstrap).contains("CVK pair 0123456789ABCDEF FEDCBA9876543210")
                .contains("CVK pair 1313131313131313 2424242424242424")
                .contains("PIN verification key (pvk): " + DemoKeys.CLEAR.get("pvk"));
        for (final DemoBootstrapTest.Documented card : DemoBootstrapTest.DOCUMENTED) {
            assertThat(bootstrap).containsPattern("#   " + card.pan() + " +[12] +.*" + (card.pin() == null ? "-" : card.pin()));
        }
    }

    @Test
    void theTrack2ExamplesCarryTheRightCvn() throws IOException {
        final Matcher m = Pattern.compile("`(8888000([12])\\d{8})=(\\d{4})(\\d{3})(\\d{3})`").matcher(read("README.md"));
        final Cvn cvn = new Cvn();
        int examples = 0;
        while (m.find()) {
            final CvkPair keys = CvkPair.of(DesKey.fromHex(DemoKeys.CLEAR.get("cvk." + m.group(2))));
            assertThat(cvn.compute(keys, m.group(1), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4))))
                    .as(m.group()).isEqualTo(Integer.parseInt(m.group(5)));
            examples++;
        }
        assertThat(examples).isEqualTo(4);
    }
}
