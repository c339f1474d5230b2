package dev.prepaid.demo;

import dev.prepaid.card.Pan;
import dev.prepaid.pos.Card;
import dev.prepaid.security.CvkPair;
import dev.prepaid.security.DesKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The demo business as {@code config/demo/README.md} publishes it — merchants, terminals with their clear TMKs,
 * card numbers — for the programs that transact with a demo switch (the demo, the load test, the tests), and
 * the scratch copy of {@code config/demo} each of them runs in. DEMO ONLY: every key here is public.
 */
public final class DemoBusiness {
    public static final String SUPERMARKET = "888310048990001";
    public static final String COFFEE = "888310058120002";
    /** The expiry (YYMM) the demo's terminals key in; the switch checks expiry from its own records. */
    public static final int EXPIRY = 3012;
    /** Clear TMKs of the demo terminals; 10000003 uses X9.19 MACs, 20000003 is disabled. */
    public static final Map<String, String> TMKS = Map.of(
            "10000001", "CA5D92598DCA48CE8A4C76361A9269E9",
            "10000002", "11223344556677888877665544332211",
            "10000003", "3C3C3C3C5A5A5A5A9696969669696969",
            "20000001", "22222222444444446666666688888888",
            "20000002", "13579BDF02468ACEFDB975310ECA8642",
            "20000003", "A1B2C3D4E5F60718293A4B5C6D7E8F90");
    /** The CVK pair of card type 1 (the named shopping card). */
    public static final CvkPair CVK_SHOPPING = CvkPair.of(DesKey.fromHex("0123456789ABCDEF"),
            DesKey.fromHex("FEDCBA9876543210"));
    /** The CVK pair of card type 2 (the gift card; key cvk.2 of config/demo/README.md). */
    public static final CvkPair CVK_GIFT = CvkPair.of(DesKey.fromHex("1313131313131313"),
            DesKey.fromHex("2424242424242424"));
    /** How many gift cards Demo Corp. bought, at 100.00 each (accounts 100..1099). */
    public static final int CORPORATE_CARDS = 1_000;

    private DemoBusiness() {
    }

    /** The merchant of a demo terminal: 1xxxxxxx at the supermarket, the others at the coffee shop. */
    public static String merchantOf(final String terminalId) {
        return terminalId.startsWith("1") ? SUPERMARKET : COFFEE;
    }

    /** A gift card (card type 2, BIN 88880002) by account number, keyed in. */
    public static Card giftCard(final int account) {
        final long body = 88_880_002L * 10_000_000L + account;
        return Card.manual(Long.toString(body) + Pan.luhnCheckDigit(body, 15), EXPIRY);
    }

    /** Corporate gift card {@code index} (0..999). */
    public static Card corporateGiftCard(final int index) {
        return giftCard(100 + index);
    }

    /** The installation directory holding {@code config/demo}: {@code start} or the nearest directory above it. */
    public static Path installationAbove(final Path start) {
        Path dir = start.toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("config/demo"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("config/demo not found in or above " + start.toAbsolutePath());
        }
        return dir;
    }

    /** Copies the files of {@code demo} (config/demo) into {@code target}: a demo installation that runs there. */
    public static void copyInto(final Path demo, final Path target) {
        try (Stream<Path> files = Files.list(demo)) {
            for (final Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file)) {
                    Files.copy(file, target.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot copy " + demo + " to " + target, e);
        }
    }

    /** Deletes a scratch directory and everything in it; says so on stderr if it cannot. */
    public static void delete(final Path directory) {
        try (Stream<Path> walk = Files.walk(directory)) {
            for (final Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (final IOException | UncheckedIOException e) {
            System.err.println("could not delete " + directory + ": " + e.getMessage());
        }
    }
}
