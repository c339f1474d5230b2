package dev.prepaid.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.AdminCommand.Cutover;
import dev.prepaid.command.AdminCommand.SellCards;
import dev.prepaid.command.AdminCommand.SetParameter;
import dev.prepaid.command.AdminCommand.SetPin;
import dev.prepaid.command.AdminCommand.UpsertOperator;
import dev.prepaid.ledger.LedgerConfig;
import dev.prepaid.security.PinCheck;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bootstrap file: order, defaults, and one line per problem naming the entry. */
class BootstrapTest {
    static final String HASH = "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4";

    /** A small valid business (its key names exist in the demo key file). */
    static final String BASE = String.join("\n",
            "businessDate: 2026-05-04",
            "issuers:",
            "  - {code: I1, name: Issuer One, institutionId: \"08880001\"}",
            "cardTypes:",
            "  - {id: 1, name: Named, issuer: I1, named: true, pinRequired: [PURCHASE]}",
            "  - {id: 2, name: Gift, issuer: I1, named: false, validityMonths: 36}",
            "binRanges:",
            "  - {bin: \"88880001\", panLength: 16, cardType: 1}",
            "  - {bin: \"88880002\", panLength: 16, cardType: 2, firstAccount: 0, lastAccount: 999}",
            "merchants:",
            "  - id: \"888310048990001\"",
            "    name: Shop",
            "    category: \"5411\"",
            "    bank: {account: \"6222\", accountName: Shop, bankName: Bank, cnapsCode: \"102290000011\"}",
            "    feeRules:",
            "      - {id: 1, method: PERCENT, ratePpm: 3500}",
            "terminals:",
            "  - {id: \"10000001\", merchant: \"888310048990001\", serial: SN1}",
            "operators:",
            "  - {id: clerk, name: Clerk, role: CLERK, passwordHash: \"" + HASH + "\"}",
            "cards:",
            "  generate:",
            "    - {bin: \"88880002\", panLength: 16, count: 100}",
            "  sell:",
            "    - {bin: \"88880002\", panLength: 16, fromAccount: 10, count: 25, faceValueFen: 5000, payment: CASH,",
            "       buyer: {kind: PERSON}}",
            "");

    static Bootstrap.Options options(final boolean development) {
        return new Bootstrap.Options(ConfigTestSupport.TODAY, LedgerConfig.small(), ConfigTestSupport.demoKeys(),
                new PasswordHasher(new PasswordHashing(64, 1, 1)), development);
    }

    static Bootstrap parse(final String yaml) {
        return Bootstrap.parse("boot.yaml", yaml, options(false));
    }

    static List<String> problems(final String yaml, final boolean development) {
        try {
            Bootstrap.parse("boot.yaml", yaml, options(development));
        } catch (final ConfigException e) {
            assertThat(e.getMessage().split("\\R")).containsExactlyElementsOf(e.problems());
            return e.problems();
        }
        throw new AssertionError("no problem found in\n" + yaml);
    }

    static List<String> problems(final String yaml) {
        return problems(yaml, false);
    }

    @Test
    void aSmallBusinessBecomesCommandsTheLedgerApproves() {
        final Bootstrap bootstrap = parse(BASE);
        assertThat(bootstrap.businessDate()).isEqualTo(20260504);
        final List<String> types = bootstrap.commands().stream().map(c -> c.command().getClass().getSimpleName()).toList();
        assertThat(types).containsExactly("Cutover", "UpsertIssuer", "UpsertCardType", "UpsertCardType", "UpsertBinRange",
                "UpsertBinRange", "GenerateCards", "UpsertMerchant", "PutFeeRule", "UpsertTerminal", "UpsertOperator",
                "ResetPassword", "SellCards");
        assertThat(bootstrap.commands().get(0).command()).isEqualTo(new Cutover(20260504));
        assertThat(bootstrap.commands().get(9).entry()).isEqualTo("terminals[0] (10000001)");
        assertThat(((AdminCommand.UpsertTerminal) bootstrap.commands().get(9).command()).keyReference())
                .isEqualTo("tmk.10000001");
        assertThat(((UpsertOperator) bootstrap.commands().get(10).command()).passwordHash()).isEqualTo(HASH);
        // The file set the password: the operator must change it at the first login.
        assertThat(bootstrap.commands().get(11).command()).isEqualTo(new AdminCommand.ResetPassword("clerk", HASH));
        assertThat(bootstrap.commands().get(12).command()).isEqualTo(new SellCards("8888000200000107", 25, 5000,
                dev.prepaid.card.PaymentMethod.CASH, dev.prepaid.card.SalesChannel.COUNTER, dev.prepaid.card.BuyerKind.PERSON,
                "", "", "", "", "", "", ""));
        assertThat(bootstrap.rehearse().state().cards().count()).isEqualTo(100);
    }

    @Test
    void withoutABusinessDateTheBusinessStartsToday() {
        final Bootstrap bootstrap = parse(BASE.replace("businessDate: 2026-05-04\n", ""));
        assertThat(bootstrap.businessDate()).isEqualTo(20260302);
        assertThat(bootstrap.commands().get(0).command()).isEqualTo(new Cutover(20260302));
    }

    @Test
    void salesAreSplitIntoRunsOfTheBatchLimit() {
        final Bootstrap bootstrap = Bootstrap.parse("boot.yaml", BASE, new Bootstrap.Options(LocalDate.of(2026, 1, 1),
                LedgerConfig.small().withMaxCards(10_000), ConfigTestSupport.demoKeys(),
                new PasswordHasher(new PasswordHashing(64, 1, 1)), false));
        assertThat(bootstrap.commands().stream().filter(c -> c.command() instanceof SellCards).count()).isEqualTo(1);
        final LedgerConfig tiny = new LedgerConfig(10_000, 1 << 12, 1_000, 100, 500, 100, 64, 16, 1_000, 100, 1_024,
                1_024, 256, 10);
        final Bootstrap split = Bootstrap.parse("boot.yaml", BASE, new Bootstrap.Options(LocalDate.of(2026, 1, 1), tiny,
                ConfigTestSupport.demoKeys(), new PasswordHasher(new PasswordHashing(64, 1, 1)), false));
        final List<BootstrapCommand> sales = split.commands().stream().filter(c -> c.command() instanceof SellCards).toList();
        assertThat(sales).extracting(c -> ((SellCards) c.command()).count()).containsExactly(10, 10, 5);
        assertThat(sales).extracting(c -> ((SellCards) c.command()).firstPan())
                .containsExactly("8888000200000107", "8888000200000206", "8888000200000305");
        assertThat(sales.get(1).entry()).isEqualTo("cards.sell[0] (88880002/16 accounts 20..29)");
        split.rehearse();
    }

    @Test
    void parametersAreSetInAnOrderTheLedgerAccepts() {
        for (final String parameters : List.of("{refundWindowDays: 60, transactionsKeptDays: 90}",
                "{transactionsKeptDays: 20, refundWindowDays: 10}", "{refundWindowDays: 10, transactionsKeptDays: 20}")) {
            final Bootstrap bootstrap = parse(BASE + "parameters: " + parameters + "\n");
            assertThat(bootstrap.commands().stream().filter(c -> c.command() instanceof SetParameter)).hasSize(2);
            bootstrap.rehearse();
        }
    }

    @Test
    void theLedgersOwnRulesAreCheckedByTheRehearsalNamingTheEntry() {
        final Bootstrap bootstrap = parse(BASE.replace("category: \"5411\"", "category: \"54A1\""));
        assertThatThrownBy(bootstrap::rehearse).isInstanceOf(ConfigException.class).hasMessage("boot.yaml:"
                + " merchants[0] (888310048990001): the ledger refuses UpsertMerchant: INVALID_ARGUMENT (category must be"
                + " a 4-digit merchant category code)");
        final Bootstrap tooMuch = parse(BASE.replace("faceValueFen: 5000", "faceValueFen: 500000"));
        assertThatThrownBy(tooMuch::rehearse).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("boot.yaml: cards.sell[0] (88880002/16 accounts 10..34): the ledger refuses"
                        + " SellCards: BALANCE_CAP_EXCEEDED");
    }

    // ------------------------------------------------------------------ problems, one line each

    @Test
    void crossReferencesAreCheckedAndEveryProblemIsReported() {
        final String broken = BASE
                .replace("issuer: I1, named: true", "issuer: I2, named: true")
                .replace("{bin: \"88880001\", panLength: 16, cardType: 1}", "{bin: \"88880001\", panLength: 16, cardType: 7}")
                .replace("merchant: \"888310048990001\", serial: SN1", "merchant: \"888310048990009\", serial: SN1");
        assertThat(problems(broken)).containsExactly(
                "boot.yaml: cardTypes[0] (id 1): issuer I2 is not among the issuers",
                "boot.yaml: binRanges[0] (88880001/16): card type 7 is not among the card types",
                "boot.yaml: terminals[0] (10000001): merchant 888310048990009 is not among the merchants");
    }

    @Test
    void cardsMustBeGeneratedSoldOnceAndInARange() {
        assertThat(problems(BASE.replace("fromAccount: 10, count: 25", "fromAccount: 90, count: 25"))).containsExactly(
                "boot.yaml: cards.sell[0]: accounts 90..114 of range 88880002/16 are not all generated (generated: 0..99)");
        assertThat(problems(BASE + "    - {bin: \"88880002\", panLength: 16, fromAccount: 30, count: 5, payment: CASH,"
                + " buyer: {kind: PERSON}}\n")).containsExactly("boot.yaml: cards.sell[1]: accounts 30..34 of range"
                        + " 88880002/16 overlap cards.sell[0], which sells accounts 10..34");
        assertThat(problems(BASE.replace("count: 100}", "count: 1001}"))).contains("boot.yaml: cards.generate[0]: range"
                + " 88880002/16 holds 1000 accounts; 0 are generated already and 1001 more do not fit");
        assertThat(problems(BASE + "    - {bin: \"88880001\", panLength: 16, fromAccount: 0, count: 1, payment: CASH,"
                + " buyer: {kind: PERSON}}\n")).containsExactly("boot.yaml: cards.sell[1]: range 88880001/16 is of named"
                        + " card type 1: named cards are sold one at a time with their holder (cards.demo)");
        assertThat(problems(BASE.replace("count: 100}", "count: 100}\n    - {bin: \"88880002\", panLength: 16, count: 0}")))
                .containsExactly("boot.yaml: cards.generate[1]: count is required and at least 1");
        assertThat(problems(BASE + "    - {bin: \"88880003\", panLength: 16, fromAccount: 0, count: 1, payment: CASH,"
                + " buyer: {kind: PERSON}}\n")).containsExactly(
                        "boot.yaml: cards.sell[1]: BIN 88880003 with PAN length 16 is not among the binRanges");
    }

    @Test
    void demoCardsAreCheckedAgainstTheirTypeAndRange() {
        final String demo = BASE.replace("  sell:", "  demo:\n%s  sell:");
        assertThat(problems(demo.formatted("    - {pan: \"8888000200000017\", faceValueFen: 100}\n"), true))
                .containsExactly("boot.yaml: cards.demo[0] (888800******0017): pan must be 13-19 digits in quotes with a"
                        + " valid Luhn check digit");
        assertThat(problems(demo.formatted("    - {pan: \"8888000200000016\", pin: \"1234\"}\n")))
                .containsExactly("boot.yaml: cards.demo[0] (888800******0016): a PIN in clear is accepted only in the"
                        + " demo (keys.development: true); give pinCheck (bin/prepaid keys pin-check)");
        assertThat(problems(demo.formatted("    - {pan: \"8888000200000016\", pin: \"12\"}\n"), true))
                .containsExactly("boot.yaml: cards.demo[0] (888800******0016): pin must be 4-12 digits in quotes");
        assertThat(problems(demo.formatted("    - {pan: \"8888000200000016\", state: LOST}\n"), true))
                .containsExactly("boot.yaml: cards.demo[0] (888800******0016): only named cards can be reported lost");
        assertThat(problems(demo.formatted("    - {pan: \"8888000200000016\", holder: {name: A, idType: ID, idNumber: \"1\"}}\n"),
                true)).containsExactly("boot.yaml: cards.demo[0] (888800******0016): card type 2 is anonymous: an"
                        + " anonymous card has no holder");
        assertThat(problems(demo.formatted("    - {pan: \"8888000200000107\"}\n"), true)).containsExactly("boot.yaml:"
                + " cards.demo[0] (888800******0107): accounts 10..10 of range 88880002/16 overlap cards.sell[0], which"
                + " sells accounts 10..34");
        assertThat(problems(demo.formatted("    - {pan: \"8888000200001006\"}\n"), true)).hasSize(1).first().asString()
                .endsWith("of range 88880002/16 are not all generated (generated: 0..99)");
        assertThat(problems(demo.formatted("    - {pan: \"8888000300000015\"}\n"), true)).containsExactly(
                "boot.yaml: cards.demo[0] (888800******0015): no BIN range of length 16 holds this card number");
        final String named = demo.formatted("    - {pan: \"8888000100000017\"}\n")
                .replace("    - {bin: \"88880002\", panLength: 16, count: 100}",
                        "    - {bin: \"88880002\", panLength: 16, count: 100}\n    - {bin: \"88880001\", panLength: 16, count: 5}");
        assertThat(problems(named, true)).containsExactly("boot.yaml: cards.demo[0] (888800******0017): card type 1 is"
                + " named: holder.name, holder.idType and holder.idNumber are required");
    }

    @Test
    void aPinCheckSetsTheSamePinAsTheDemosClearPinAndIsAcceptedOutsideTheDemo() {
        final String demo = BASE.replace("  sell:", "  demo:\n%s  sell:");
        final String clear = demo.formatted("    - {pan: \"8888000200000016\", pin: \"123456\"}\n");
        final SetPin fromPin = setPin(Bootstrap.parse("boot.yaml", clear, options(true)));
        final String text = PinCheck.toText(fromPin.pinCheck());
        assertThat(text).matches("[0-9A-F]{16}");
        final String checked = demo.formatted("    - {pan: \"8888000200000016\", pinCheck: \"" + text + "\"}\n");
        final Bootstrap real = Bootstrap.parse("boot.yaml", checked, options(false));
        assertThat(setPin(real)).isEqualTo(fromPin);
        assertThat(setPin(Bootstrap.parse("boot.yaml", checked.replace(text, text.toLowerCase(java.util.Locale.ROOT)),
                options(false)))).isEqualTo(fromPin);
        // the ledger holds that check value for the card: a purchase with PIN 123456 is one it approves
        final dev.prepaid.ledger.Ledger ledger = real.rehearse();
        final int card = ledger.state().resolveCard("8888000200000016");
        assertThat(ledger.state().cards().pinCheck(card)).isEqualTo(fromPin.pinCheck());

        assertThat(problems(demo.formatted("    - {pan: \"8888000200000016\", pin: \"123456\", pinCheck: \"" + text
                + "\"}\n"), true)).containsExactly("boot.yaml: cards.demo[0] (888800******0016): give either pin (demo"
                        + " only) or pinCheck, not both");
        final List<String> withoutPvk = readLines(ConfigTestSupport.demoDirectory().resolve("keys.txt")).stream()
                .filter(line -> !line.startsWith("pvk ")).toList();
        final Bootstrap.Options noPvk = new Bootstrap.Options(ConfigTestSupport.TODAY, LedgerConfig.small(),
                dev.prepaid.security.StoredKeys.parse("keys.txt", withoutPvk,
                        dev.prepaid.security.MasterFileKey.development()),
                new PasswordHasher(new PasswordHashing(64, 1, 1)), false);
        assertThatThrownBy(() -> Bootstrap.parse("boot.yaml", checked, noPvk)).isInstanceOf(ConfigException.class)
                .hasMessage("boot.yaml: cards.demo[0] (888800******0016): a pinCheck is made under the PIN verification"
                        + " key 'pvk', which the key file lacks");
        for (final String bad : List.of("530C9BFC79A75F5", "0000000000000000", "F30C9BFC79A75F5A", "530C9BFC79A75F5Z")) {
            assertThat(problems(demo.formatted("    - {pan: \"8888000200000016\", pinCheck: \"" + bad + "\"}\n")))
                    .as(bad).containsExactly("boot.yaml: cards.demo[0] (888800******0016): pinCheck must be 16 hex"
                            + " digits in quotes, as bin/prepaid keys pin-check prints them");
        }
    }

    private static List<String> readLines(final java.nio.file.Path file) {
        try {
            return java.nio.file.Files.readAllLines(file);
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static SetPin setPin(final Bootstrap bootstrap) {
        return bootstrap.commands().stream().map(BootstrapCommand::command).filter(c -> c instanceof SetPin)
                .map(c -> (SetPin) c).findFirst().orElseThrow();
    }

    @Test
    void clearPasswordsAreOnlyForTheDemo() {
        final String clear = BASE.replace("passwordHash: \"" + HASH + "\"", "password: clerk-demo");
        assertThat(problems(clear)).containsExactly("boot.yaml: operators[0] (clerk): a password in clear is accepted"
                + " only in the demo (keys.development: true); give passwordHash, an Argon2id hash");
        final UpsertOperator operator = (UpsertOperator) Bootstrap.parse("boot.yaml", clear, options(true)).commands()
                .stream().map(BootstrapCommand::command).filter(c -> c instanceof UpsertOperator).findFirst().orElseThrow();
        assertThat(PasswordHasher.verify("clerk-demo".toCharArray(), operator.passwordHash())).isTrue();
        assertThat(problems(BASE.replace("passwordHash: \"" + HASH + "\"", "passwordHash: \"$2a$10$bcrypt\"")))
                .containsExactly("boot.yaml: operators[0] (clerk): passwordHash is not an Argon2id hash"
                        + " $argon2id$v=19$m=…,t=…,p=…$salt$hash");
        assertThat(problems(BASE.replace("passwordHash: \"" + HASH + "\"", "passwordHash: \"" + HASH + "\", password: x"),
                true)).containsExactly("boot.yaml: operators[0] (clerk): give either password (demo only) or"
                        + " passwordHash ($argon2id$…), not both");
        assertThat(problems(BASE.replace("role: CLERK", "role: MERCHANT_USER"))).containsExactly(
                "boot.yaml: operators[0] (clerk): a MERCHANT_USER needs a merchantScope");
        assertThat(problems(BASE.replace("role: CLERK", "role: CLERK, merchantScope: \"X\""))).containsExactly(
                "boot.yaml: operators[0] (clerk): merchantScope X is not among the merchants");
        assertThat(problems(BASE.replace("id: clerk", "id: system"))).containsExactly(
                "boot.yaml: operators[0] (system): 'system' is the switch itself; it is never an operator of the file");
    }

    @Test
    void keysMustBeInTheKeyFile() {
        assertThat(problems(BASE.replace("serial: SN1}", "serial: SN1, keyReference: tmk.99999999}"))).containsExactly(
                "boot.yaml: terminals[0] (10000001): the key file has no TMK 'tmk.99999999' (keyReference)");
        assertThat(problems(BASE.replace("serial: SN1}", "serial: SN1, keyReference: shop-key}"))).containsExactly(
                "boot.yaml: terminals[0] (10000001): keyReference 'shop-key' is not a TMK name: tmk. and 1-60 of"
                        + " A-Z a-z 0-9 . _ - :");
        assertThat(problems(BASE.replace("{id: 2, name: Gift", "{id: 3, name: Gift").replace("cardType: 2,", "cardType: 3,")))
                .containsExactly("boot.yaml: cardTypes[1] (id 3): the key file has no CVK pair 'cvk.3' for this card type");
        final Bootstrap withoutKeys = Bootstrap.parse("boot.yaml", BASE.replace("serial: SN1}",
                "serial: SN1, keyReference: tmk.99999999}"), new Bootstrap.Options(ConfigTestSupport.TODAY,
                        LedgerConfig.small(), null, new PasswordHasher(new PasswordHashing(64, 1, 1)), false));
        assertThat(withoutKeys.commands()).isNotEmpty();
    }

    @Test
    void duplicatesAreNamed() {
        assertThat(problems(BASE.replace("terminals:\n", "terminals:\n  - {id: \"10000001\", merchant: \"888310048990001\","
                + " serial: SN0}\n"))).containsExactly("boot.yaml: terminals[1] (10000001): terminal id 10000001 is"
                        + " defined twice");
        assertThat(problems(BASE.replace("{id: 2, name: Gift", "{id: 1, name: Gift"))).contains(
                "boot.yaml: cardTypes[1] (id 1): card type id 1 is defined twice");
        assertThat(problems(BASE + "pointsRules:\n  - {id: 1, pointsPerYuan: 2}\n")).containsExactly(
                "boot.yaml: pointsRules[0]: rule id 1 is used twice (fee, discount and points rules share ids)");
        assertThat(problems(BASE + "calendar:\n  - {date: 2026-10-01, kind: HOLIDAY}\n  - {date: 2026-10-01, kind: NORMAL}\n"))
                .containsExactly("boot.yaml: calendar[1]: 2026-10-01 is listed twice");
    }

    @Test
    void parametersDatesAndKindsAreChecked() {
        assertThat(problems(BASE + "parameters: {pinTries: 3}\n")).hasSize(1).first().asString()
                .startsWith("boot.yaml: parameters.pinTries: no such parameter; the parameters are balanceCapNamed,");
        assertThat(problems(BASE + "parameters: {pinTriesDefault: 30}\n")).containsExactly("boot.yaml:"
                + " parameters.pinTriesDefault: 30 is out of range 1..20 (wrong PINs before a card locks when its type does"
                + " not say)");
        assertThat(problems(BASE + "parameters: {refundWindowDays: 60}\n")).containsExactly("boot.yaml:"
                + " parameters.transactionsKeptDays: 45 is less than refundWindowDays 60: a refund must find its purchase");
        assertThat(problems(BASE.replace("businessDate: 2026-05-04", "businessDate: 2026-02-30"))).containsExactly(
                "boot.yaml: businessDate: '2026-02-30' is not a date yyyy-mm-dd");
        assertThat(problems(BASE.replace("ratePpm: 3500}", "ratePpm: 3500, from: 2026/01/01}"))).containsExactly(
                "boot.yaml: merchants[0] (888310048990001).feeRules[0]: from '2026/01/01' is not a date yyyy-mm-dd");
        assertThat(problems(BASE.replace("pinRequired: [PURCHASE]", "pinRequired: [REVERSAL]"))).containsExactly(
                "boot.yaml: cardTypes[0] (id 1).pinRequired: REVERSAL is not a kind a card type permits; those are"
                        + " [PURCHASE, REFUND, BALANCE_INQUIRY, RECHARGE, PREAUTH, COMPLETION]");
        assertThat(problems(BASE.replace("pinRequired: [PURCHASE]", "permitted: [REFUND], pinRequired: [PURCHASE]")))
                .containsExactly("boot.yaml: cardTypes[0] (id 1): pinRequired names a kind that permitted does not");
        assertThat(problems(BASE.replace("named: false, validityMonths: 36", "named: false"))).containsExactly(
                "boot.yaml: cardTypes[1] (id 2): validityMonths is required for an anonymous card type (at least the"
                        + " parameter anonymousMinValidityMonths, 36 by default)");
        assertThat(problems(BASE.replace("method: PERCENT,", "kinds: [REFUND], method: PERCENT,"))).containsExactly(
                "boot.yaml: merchants[0] (888310048990001).feeRules[0]: kinds may name PURCHASE and COMPLETION only"
                        + " (refund fees follow the merchant's refundFeePolicy), not REFUND");
        assertThat(problems(BASE.replace("    name: Shop\n", ""))).containsExactly(
                "boot.yaml: merchants[0] (888310048990001): name is required");
    }

    @Test
    void typesAndUnknownKeysAreCheckedAsInTheConfiguration() {
        assertThatThrownBy(() -> parse(BASE.replace("serial: SN1}", "serial: SN1, macAlgo: X9_19}")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("boot.yaml: terminals[0].macAlgo: unknown key (line 18); expected one of deployer, id,"
                        + " keyReference, macAlgorithm, merchant, serial, status");
        assertThatThrownBy(() -> parse(BASE.replace("{id: \"10000001\"", "{id: 10000001"))).isInstanceOf(ConfigException.class)
                .hasMessage("boot.yaml: terminals[0].id: expected text (put numbers that are codes or ids in quotes),"
                        + " found the number 10000001 (line 18)");
        assertThatThrownBy(() -> parse(BASE.replace("macAlgorithm", "x").replace("serial: SN1}", "serial: SN1,"
                + " macAlgorithm: X9_9}"))).isInstanceOf(ConfigException.class).hasMessage("boot.yaml:"
                        + " terminals[0].macAlgorithm: expected one of CUP_ECB, X9_19, found the text \"X9_9\" (line 18)");
        assertThatThrownBy(() -> parse(BASE.replace("faceValueFen: 5000", "faceValueFen: 50.00")))
                .isInstanceOf(ConfigException.class).hasMessage("boot.yaml: cards.sell[0].faceValueFen: expected an"
                        + " integer, found the number 50.0 (line 25)");
    }
}
