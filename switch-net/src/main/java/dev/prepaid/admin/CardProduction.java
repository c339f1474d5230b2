package dev.prepaid.admin;

import dev.prepaid.card.Pan;
import dev.prepaid.config.KeyNames;
import dev.prepaid.security.CvkPair;
import dev.prepaid.security.Cvn;
import dev.prepaid.security.KeyMaterialException;
import dev.prepaid.security.PinCheck;
import dev.prepaid.security.SecretFiles;
import dev.prepaid.security.StoredKeys;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * The files of a card production run, written on the switch's host (never sent over the endpoint): the card
 * production file for the card bureau — PAN, expiry, region (service) code and track 2 with its CVN under the card
 * type's CVK pair — and, separately, the PIN mailer file — PAN, a random PIN and its check value under the PVK.
 * Both are created readable by their owner only, written to a temporary name and moved into place whole, and
 * named after the request, so a retried request replaces them. The clear PIN is in the mailer file and nowhere
 * else: the ledger gets only its check value.
 */
public final class CardProduction {
    /** A run of consecutive cards the ledger generated: the first card number and how many. */
    record Run(String firstPan, int count) {
    }

    /** What was written: the files (the PIN mailer null when no PINs were made) and their SHA-256. */
    record Written(Path production, String productionSha256, Path pinMailer, String pinMailerSha256, int cards) {
    }

    private final StoredKeys keys;
    private final Path directory;
    private final SecureRandom random;

    public CardProduction(final StoredKeys keys, final Path directory, final SecureRandom random) {
        this.keys = keys;
        this.directory = directory;
        this.random = random;
    }

    /** The CVK pair of a card type, or an answer saying which key the key file lacks. */
    CvkPair cvkOf(final int cardTypeId) {
        final String name = KeyNames.cvk(cardTypeId);
        if (!keys.contains(name)) {
            throw new AdminError(409, "NO_CVK", "the key file has no " + name + " (the CVK pair of card type "
                    + cardTypeId + "), so no track 2 can carry a CVN the switch would accept; add it with bin/prepaid"
                    + " keys add " + name + " --generate --show, restart, and generate again");
        }
        try {
            return keys.cvkPair(name);
        } catch (final KeyMaterialException e) {
            throw new AdminError(409, "NO_CVK", e.getMessage());
        }
    }

    /**
     * Writes the files for {@code runs} and hands each card's PIN check value to {@code pinChecks} (PAN key,
     * then check value, in card order) when {@code pins} is set.
     */
    Written write(final long requestId, final List<Run> runs, final int cardTypeId, final int expiryYymm,
            final int regionCode, final boolean pins, final PinSink pinChecks) throws IOException {
        final CvkPair cvk = cvkOf(cardTypeId);
        final PinCheck pinCheck = pins ? new PinCheck(keys.key(KeyNames.PIN_VERIFICATION_KEY)) : null;
        final Cvn cvn = new Cvn();
        Files.createDirectories(directory);
        final Path production = directory.resolve("cards-" + requestId + "-production.csv");
        final Path mailer = directory.resolve("cards-" + requestId + "-pins.csv");
        final Path productionTemp = Files.createTempFile(directory, ".production", ".tmp", SecretFiles.ownerOnly());
        final Path mailerTemp = pins ? Files.createTempFile(directory, ".pins", ".tmp", SecretFiles.ownerOnly()) : null;
        int cards = 0;
        try {
            final MessageDigest productionDigest = sha256();
            final MessageDigest mailerDigest = sha256();
            try (BufferedWriter out = writer(productionTemp, productionDigest);
                    BufferedWriter pinsOut = pins ? writer(mailerTemp, mailerDigest) : null) {
                out.write("# card production file of request " + requestId + ": card type " + cardTypeId
                        + ", expiry " + four(expiryYymm) + ", region code " + three(regionCode) + "\n");
                out.write("pan,expiry,regionCode,track2\n");
                if (pins) {
                    pinsOut.write("# PIN mailer of request " + requestId + ": print, then destroy this file\n");
                    pinsOut.write("pan,pin,pinCheck\n");
                }
                final char[] pin = new char[6];
                for (final Run run : runs) {
                    final int length = run.firstPan().length();
                    final long firstBody = Long.parseLong(run.firstPan().substring(0, length - 1));
                    for (int i = 0; i < run.count(); i++) {
                        final long body = firstBody + i;
                        final String pan = digits(body, length - 1) + Pan.luhnCheckDigit(body, length - 1);
                        final int value = cvn.compute(cvk, pan, expiryYymm, regionCode);
                        out.write(pan);
                        out.write(',');
                        out.write(four(expiryYymm));
                        out.write(',');
                        out.write(three(regionCode));
                        out.write(',');
                        out.write(pan + '=' + four(expiryYymm) + three(regionCode) + three(value));
                        out.write('\n');
                        if (pins) {
                            for (int d = 0; d < pin.length; d++) {
                                pin[d] = (char) ('0' + random.nextInt(10));
                            }
                            final long check = pinCheck.fromClearPin(pan, java.nio.CharBuffer.wrap(pin));
                            pinsOut.write(pan);
                            pinsOut.write(',');
                            pinsOut.write(pin);
                            pinsOut.write(',');
                            pinsOut.write(PinCheck.toText(check));
                            pinsOut.write('\n');
                            pinChecks.accept(pan, check);
                        }
                        cards++;
                    }
                }
                java.util.Arrays.fill(pin, '\0');
            }
            Files.move(productionTemp, production, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            if (pins) {
                Files.move(mailerTemp, mailer, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return new Written(production, HexFormat.of().formatHex(productionDigest.digest()), pins ? mailer : null,
                    pins ? HexFormat.of().formatHex(mailerDigest.digest()) : null, cards);
        } finally {
            Files.deleteIfExists(productionTemp);
            if (mailerTemp != null) {
                Files.deleteIfExists(mailerTemp);
            }
        }
    }

    /** Where each card's PIN check value goes (the endpoint publishes SET_PIN). */
    @FunctionalInterface
    interface PinSink {
        void accept(String pan, long pinCheck) throws IOException;
    }

    private static BufferedWriter writer(final Path file, final MessageDigest digest) throws IOException {
        return new BufferedWriter(new OutputStreamWriter(new DigestOutputStream(Files.newOutputStream(file), digest),
                StandardCharsets.US_ASCII), 1 << 16);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String digits(final long value, final int width) {
        final String text = Long.toString(value);
        return text.length() >= width ? text : "0".repeat(width - text.length()) + text;
    }

    private static String four(final int value) {
        return digits(value, 4);
    }

    private static String three(final int value) {
        return digits(value, 3);
    }
}
