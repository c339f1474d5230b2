package dev.prepaid.load;

import dev.prepaid.card.Pan;
import dev.prepaid.config.KeyNames;
import dev.prepaid.merchant.MacAlgorithm;
import dev.prepaid.security.CvkPair;
import dev.prepaid.security.DesKey;
import dev.prepaid.security.KeyCeremony;
import dev.prepaid.security.MasterFileKey;
import dev.prepaid.security.PinCheck;
import dev.prepaid.security.StoredKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A business for the load generator, written as the files a switch starts from — its configuration
 * ({@code switch.yaml}, the demo's with capacities for the population), its bootstrap file ({@code bootstrap.yaml}:
 * an issuer, an anonymous card type that permits every kind, one merchant, the terminals, the cards) and its key
 * file ({@code keys.txt}: a fresh TMK per terminal, the card type's CVK pair, the PIN verification key, under the
 * development MFK) — and the generator's own file ({@code population.yaml}), which says what the bootstrap does not:
 * the terminals to drive, how the cards are numbered, their opening balance and which of them have a PIN.
 *
 * <p>The generator reads the TMKs and the CVK pair from the same key file the switch's bootstrap checks, decrypted
 * under the development MFK: a population is demo data, its keys as public as the demo's. A switch serves it with
 * {@code bin/prepaid serve --config DIR/switch.yaml}; {@code bin/prepaid load} starts one on a copy by itself.
 */
final class Population {
    static final String GENERATOR_FILE = "population.yaml";
    static final String SWITCH_FILE = "switch.yaml";
    static final String BOOTSTRAP_FILE = "bootstrap.yaml";
    static final String KEY_FILE = "keys.txt";
    static final int MAX_TERMINALS = 10_000;
    /** The accounts of an 8-digit BIN with 16-digit card numbers: 7 digits. */
    static final int MAX_CARDS = 10_000_000;
    static final String BIN = "88889001";
    static final int PAN_LENGTH = 16;
    static final int CARD_TYPE = 1;
    static final String MERCHANT = "888310048990001";
    static final int FIRST_TERMINAL = 30_000_001;
    /** 500.00: half the cap of an anonymous card, so recharges have room. */
    static final long FACE_VALUE_FEN = 50_000;
    /** Track 2 service code of the population's cards. */
    static final int SERVICE_CODE = 120;
    /** The operators the measurement tools log in as (demo passwords, changed at the first login). */
    static final String AUDITOR = "auditor";
    static final String AUDITOR_PASSWORD = "auditor-demo";

    /** The generator's file as read. */
    record File(String switchConfig, String keyFile, Cards cards, List<Terminal> terminals) {
    }

    /** A terminal to drive: its id (field 41), merchant (field 42) and MAC; its TMK is {@code tmk.<id>}. */
    record Terminal(String id, String merchant, MacAlgorithm mac) {
    }

    /**
     * The cards: accounts {@code 0 .. count-1} of one BIN range, all sold at {@code faceValueFen}; the first
     * {@code pinCards} have a PIN ({@link #pin}); {@code expiryYymm} is what terminals put on track 2.
     */
    record Cards(String bin, int panLength, int cardType, int count, long faceValueFen, int pinCards, int expiryYymm) {
        /** The card number of card {@code card} (its account number). */
        String pan(final int card) {
            final int accountDigits = panLength - 1 - bin.length();
            final long body = Long.parseLong(bin) * Pan.powerOfTen(accountDigits) + card;
            return Long.toString(body) + Pan.luhnCheckDigit(body, panLength - 1);
        }

        boolean hasPin(final int card) {
            return card < pinCards;
        }

        /**
         * The card holder's PIN, six digits from the account: the generator needs no list of PINs, and the
         * bootstrap file holds only their check values.
         */
        String pin(final int card) {
            return String.format(Locale.ROOT, "%06d", (card * 7_919L + 104_729L) % 1_000_000L);
        }

        /** A PIN that is not the card's. */
        String wrongPin(final int card) {
            return String.format(Locale.ROOT, "%06d", ((card * 7_919L + 104_729L) + 1) % 1_000_000L);
        }
    }

    /** What {@code bin/prepaid load population} was asked for. */
    record Shape(int terminals, int cards, int pinCards, String durability, String waitStrategy, int transactionLog) {
        Shape {
            if (terminals < 1 || terminals > MAX_TERMINALS) {
                throw new IllegalArgumentException("--terminals must be 1.." + MAX_TERMINALS + ", not " + terminals);
            }
            if (cards < 1 || cards > MAX_CARDS) {
                throw new IllegalArgumentException("--cards must be 1.." + MAX_CARDS + ", not " + cards);
            }
            if (pinCards < 0 || pinCards > cards) {
                throw new IllegalArgumentException("--pin-cards must be 0..--cards (" + cards + "), not " + pinCards);
            }
            if (Integer.bitCount(transactionLog) != 1) {
                throw new IllegalArgumentException("--transaction-log must be a power of two, not " + transactionLog);
            }
        }

        /** PINs on the first 10,000 cards by default: each is sold one by one, with its PIN, by the bootstrap. */
        static int defaultPinCards(final int cards) {
            return Math.min(cards, 10_000);
        }
    }

    private final Path directory;
    private final File file;

    private Population(final Path directory, final File file) {
        this.directory = directory;
        this.file = file;
    }

    Path directory() {
        return directory;
    }

    Cards cards() {
        return file.cards();
    }

    List<Terminal> terminals() {
        return file.terminals();
    }

    Path switchConfig() {
        return directory.resolve(file.switchConfig());
    }

    Path keyFile() {
        return directory.resolve(file.keyFile());
    }

    /** The key file, decrypted under the development MFK. */
    StoredKeys keys() {
        return StoredKeys.load(keyFile(), MasterFileKey.development());
    }

    /** The CVK pair that makes the cards' track 2 CVNs. */
    CvkPair cvk() {
        return keys().cvkPair(KeyNames.cvk(file.cards().cardType()));
    }

    /** Reads the generator's file of the population in {@code directory}. */
    static Population read(final Path directory) {
        final Path path = directory.resolve(GENERATOR_FILE);
        final File file = LoadYaml.read(path, File.class);
        if (file.switchConfig() == null || file.keyFile() == null || file.cards() == null || file.terminals() == null
                || file.terminals().isEmpty()) {
            throw new IllegalArgumentException(path + ": switchConfig, keyFile, cards and terminals are required");
        }
        final Cards c = file.cards();
        if (c.bin() == null || c.count() < 1 || c.pinCards() < 0 || c.pinCards() > c.count() || c.faceValueFen() < 0) {
            throw new IllegalArgumentException(path + ": cards needs bin, count ≥ 1, 0 ≤ pinCards ≤ count, faceValueFen");
        }
        for (final Terminal t : file.terminals()) {
            if (t.id() == null || t.merchant() == null || t.mac() == null) {
                throw new IllegalArgumentException(path + ": every terminal needs id, merchant and mac");
            }
        }
        return new Population(directory, file);
    }

    /**
     * Writes a population of {@code shape} into {@code directory} (created if need be), from the demo configuration
     * of the installation {@code home}; fresh keys from {@code random}.
     */
    static Population write(final Path home, final Path directory, final Shape shape, final SecureRandom random)
            throws IOException {
        Files.createDirectories(directory);
        final Path demo = home.resolve("config/demo");
        for (final String component : List.of("mfk-component-1.hex", "mfk-component-2.hex")) {
            Files.copy(demo.resolve(component), directory.resolve(component),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        final LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
        final LocalDate expiry = today.plusMonths(36);
        final Cards cards = new Cards(BIN, PAN_LENGTH, CARD_TYPE, shape.cards(), FACE_VALUE_FEN, shape.pinCards(),
                expiry.getYear() % 100 * 100 + expiry.getMonthValue());
        final KeyCeremony ceremony = new KeyCeremony(random);
        final Map<String, DesKey> keys = new LinkedHashMap<>();
        final DesKey pvk = ceremony.newKey(DesKey.DOUBLE_LENGTH);
        keys.put(KeyNames.PIN_VERIFICATION_KEY, pvk);
        keys.put(KeyNames.cvk(CARD_TYPE), ceremony.newKey(DesKey.DOUBLE_LENGTH));
        final List<Terminal> terminals = new ArrayList<>();
        for (int t = 0; t < shape.terminals(); t++) {
            final String id = Integer.toString(FIRST_TERMINAL + t);
            terminals.add(new Terminal(id, MERCHANT, MacAlgorithm.CUP_ECB));
            keys.put(KeyNames.tmk(id), ceremony.newKey(DesKey.DOUBLE_LENGTH));
        }
        StoredKeys.write(directory.resolve(KEY_FILE), keys, MasterFileKey.development(),
                "DEVELOPMENT KEYS of a bin/prepaid load population, under the public development MFK.");
        Files.writeString(directory.resolve(BOOTSTRAP_FILE), bootstrap(cards, terminals, new PinCheck(pvk)));
        Files.writeString(directory.resolve(SWITCH_FILE), switchYaml(Files.readString(demo.resolve("switch.yaml")),
                shape));
        Files.writeString(directory.resolve(GENERATOR_FILE), generatorFile(cards, terminals, shape));
        return read(directory);
    }

    private static String bootstrap(final Cards cards, final List<Terminal> terminals, final PinCheck pins) {
        final StringBuilder y = new StringBuilder(256 + terminals.size() * 96 + cards.pinCards() * 80);
        y.append("# A business of bin/prepaid load population (DEVELOPMENT KEYS; public test data), applied once to an\n")
                .append("# empty journal. ").append(terminals.size()).append(" terminals and ").append(cards.count())
                .append(" anonymous cards of ").append(cards.faceValueFen() / 100).append(".00 each; the first ")
                .append(cards.pinCards()).append(" are sold one by one\n# with a PIN (its check value below).\n\n");
        y.append("issuers:\n  - {code: LOAD, name: Load Test Issuer, institutionId: \"08889001\"}\n\n");
        y.append("cardTypes:\n  - id: ").append(cards.cardType()).append("\n    name: Load test card\n    issuer: LOAD\n")
                .append("    named: false\n    validityMonths: 36\n    rechargeable: true\n")
                .append("    permitted: [PURCHASE, REFUND, BALANCE_INQUIRY, RECHARGE, PREAUTH, COMPLETION]\n")
                .append("    pinRequired: []               # a PIN entered is checked where the card has one\n\n");
        y.append("binRanges:\n  - {bin: \"").append(cards.bin()).append("\", panLength: ").append(cards.panLength())
                .append(", cardType: ").append(cards.cardType()).append(", firstAccount: 0, lastAccount: ")
                .append(MAX_CARDS - 1).append("}\n\n");
        y.append("merchants:\n  - id: \"").append(MERCHANT).append("\"\n    name: Load Supermarket\n")
                .append("    category: \"5411\"\n    settlement: {cycle: T_PLUS_1}\n    refundFeePolicy: PROPORTIONAL\n")
                .append("    rechargeAllowed: true\n    bank:\n      account: \"6222020200112233445\"\n")
                .append("      accountName: Load Supermarket Co., Ltd.\n      bankName: ICBC Shanghai Pudong Branch\n")
                .append("      cnapsCode: \"102290000011\"\n")
                .append("    feeRules:\n      - {id: 1, kinds: [PURCHASE, COMPLETION], method: PERCENT_MIN_CAP,"
                        + " ratePpm: 3500, minFen: 0, capFen: 1300}\n\n");
        y.append("terminals:\n");
        for (final Terminal t : terminals) {
            y.append("  - {id: \"").append(t.id()).append("\", merchant: \"").append(t.merchant())
                    .append("\", serial: LOAD-").append(t.id()).append(", macAlgorithm: ").append(t.mac().name())
                    .append("}\n");
        }
        y.append("\noperators:                       # DEVELOPMENT passwords, changed at the first login\n")
                .append("  - {id: admin, name: Load Administrator, role: ADMINISTRATOR, password: admin-demo}\n")
                .append("  - {id: ").append(AUDITOR).append(", name: Load Auditor, role: AUDITOR, password: ")
                .append(AUDITOR_PASSWORD).append("}\n\n");
        y.append("cards:\n  generate:\n    - {bin: \"").append(cards.bin()).append("\", panLength: ")
                .append(cards.panLength()).append(", count: ").append(cards.count()).append("}\n");
        if (cards.count() > cards.pinCards()) {
            y.append("  sell:\n    - bin: \"").append(cards.bin()).append("\"\n      panLength: ").append(cards.panLength())
                    .append("\n      fromAccount: ").append(cards.pinCards()).append("\n      count: ")
                    .append(cards.count() - cards.pinCards()).append("\n      faceValueFen: ").append(cards.faceValueFen())
                    .append("\n      payment: BANK_TRANSFER\n      channel: COUNTER\n")
                    .append("      buyer: {kind: ORGANISATION, name: Load Test Corp., idType: USCC, idNumber:"
                            + " 91310000MA1FL0LOAD}\n");
        }
        if (cards.pinCards() > 0) {
            y.append("  demo:                          # the cards with a PIN, sold one by one\n");
            for (int card = 0; card < cards.pinCards(); card++) {
                final String pan = cards.pan(card);
                y.append("    - {pan: \"").append(pan).append("\", pinCheck: \"")
                        .append(PinCheck.toText(pins.fromClearPin(pan, cards.pin(card)))).append("\", faceValueFen: ")
                        .append(cards.faceValueFen()).append("}\n");
            }
        }
        return y.toString();
    }

    /** The demo's configuration with the population's capacities, and the durability and ring asked for. */
    private static String switchYaml(final String demo, final Shape shape) {
        String y = demo;
        y = SwitchYaml.set(y, "server", "maxConnections", Integer.toString(Math.max(2_000, shape.terminals() + 1_000)));
        // A terminal of a large population at a low rate may wait minutes between its requests.
        y = SwitchYaml.set(y, "server", "idleTimeoutSeconds", "3600");
        y = SwitchYaml.set(y, "pipeline", "waitStrategy", shape.waitStrategy());
        y = SwitchYaml.set(y, "journal", "durability", shape.durability());
        // The production interval: a snapshot of millions of cards every 100,000 commands would be the load.
        y = SwitchYaml.set(y, "journal", "snapshotEveryCommands", "1000000");
        y = SwitchYaml.set(y, "ledger", "maxCards", Integer.toString(Math.max(10_000, shape.cards() + 1_000)));
        y = SwitchYaml.set(y, "ledger", "transactionLogCapacity", Integer.toString(shape.transactionLog()));
        // A hold stays in the table until the cut-over after it closes, and pre-authorisations are 3 % of the default
        // mix: a run of a transaction log's worth of requests in one day needs a 33rd of it. One in 16 leaves room; at
        // 10,000 a ladder's step at 14,000/s was refused with 96 (HOLD_TABLE_FULL) before its rate was.
        y = SwitchYaml.set(y, "ledger", "maxOpenHolds", Integer.toString(Math.max(Math.max(10_000, shape.terminals() * 4),
                shape.transactionLog() / 16)));
        y = SwitchYaml.set(y, "ledger", "maxTerminals", Integer.toString(shape.terminals() + 100));
        y = SwitchYaml.set(y, "ledger", "maxBatchCards", "10000");
        // The measurement tools read from one address, far above the per-address limit an operator's desk needs.
        y = SwitchYaml.insertAfter(y, "admin", "enabled", "  limits: {requestsPerSecond: 100000, maxConnections: 1024}");
        return "# A bin/prepaid load population: " + shape.terminals() + " terminals, " + shape.cards() + " cards ("
                + shape.pinCards() + " with a PIN).\n# Serve it with bin/prepaid serve --config <this file>; it is the"
                + " demo configuration below, with the\n# population's capacities, durability and ring.\n#\n" + y;
    }

    private static String generatorFile(final Cards cards, final List<Terminal> terminals, final Shape shape) {
        final StringBuilder y = new StringBuilder(256 + terminals.size() * 72);
        y.append("# What bin/prepaid load needs of this population besides the switch's files (docs/operations.md,\n")
                .append("# \"The load generator\"). Card c is account c of the BIN range, PAN = BIN + account + Luhn digit;\n")
                .append("# cards 0 .. pinCards-1 have a PIN derived from the account; the TMKs are keyFile's tmk.<id>.\n")
                .append("switchConfig: ").append(SWITCH_FILE).append("\nkeyFile: ").append(KEY_FILE).append('\n');
        y.append("cards: {bin: \"").append(cards.bin()).append("\", panLength: ").append(cards.panLength())
                .append(", cardType: ").append(cards.cardType()).append(", count: ").append(cards.count())
                .append(", faceValueFen: ").append(cards.faceValueFen()).append(", pinCards: ").append(cards.pinCards())
                .append(", expiryYymm: ").append(cards.expiryYymm()).append("}\nterminals:\n");
        for (final Terminal t : terminals) {
            y.append("  - {id: \"").append(t.id()).append("\", merchant: \"").append(t.merchant()).append("\", mac: ")
                    .append(t.mac().name()).append("}\n");
        }
        return y.toString();
    }

    @Override
    public String toString() {
        return "population " + directory + " (" + file.terminals().size() + " terminals, " + file.cards().count()
                + " cards, " + file.cards().pinCards() + " with a PIN)";
    }
}
