package dev.prepaid.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.card.CardStatus;
import dev.prepaid.card.CardStore;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.AdminCommand.Cutover;
import dev.prepaid.command.AdminCommand.SetPin;
import dev.prepaid.command.AdminCommand.UpsertOperator;
import dev.prepaid.command.Envelope;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.RecordCodec;
import dev.prepaid.ledger.Invariants;
import dev.prepaid.ledger.Ledger;
import dev.prepaid.ledger.LedgerConfig;
import dev.prepaid.ledger.LedgerState;
import dev.prepaid.merchant.MacAlgorithm;
import dev.prepaid.merchant.TerminalStatus;
import dev.prepaid.operator.Role;
import dev.prepaid.security.DesKey;
import dev.prepaid.security.PinCheck;
import dev.prepaid.time.CivilDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped demo business: every command approved by a fresh ledger, and the cards as documented. */
class DemoBootstrapTest {
    /** The table of demo cards in the comments of config/demo/bootstrap.yaml and in config/demo/README.md. */
    record Documented(String pan, String pin, long balanceFen, CardStatus status, boolean expired) {
    }

    static final List<Documented> DOCUMENTED = List.of(
            new Documented("8888000100000017", "123456", 100_000, CardStatus.ACTIVE, false),
            new Documented("8888000100000025", "111111", 499_000, CardStatus.ACTIVE, false),
            new Documented("8888000100000033", "222222", 150, CardStatus.ACTIVE, false),
            new Documented("8888000100000041", "333333", 30_000, CardStatus.FROZEN, false),
            new Documented("8888000100000058", "444444", 80_000, CardStatus.LOST, false),
            new Documented("8888000100000066", "555555", 20_000, CardStatus.ACTIVE, false),
            new Documented("8888000200000016", "123456", 50_000, CardStatus.ACTIVE, false),
            new Documented("8888000200000024", null, 100_000, CardStatus.ACTIVE, false),
            new Documented("8888000200000032", null, 50, CardStatus.ACTIVE, false),
            new Documented("8888000200000040", null, 10_000, CardStatus.ACTIVE, true),
            new Documented("8888000200000057", null, 10_000, CardStatus.BLACKLISTED, false));

    static final Map<String, String> PASSWORDS = Map.of("admin", "admin-demo", "clerk", "clerk-demo", "supervisor",
            "supervisor-demo", "supervisor2", "supervisor2-demo", "finance", "finance-demo", "finance2", "finance2-demo",
            "auditor", "auditor-demo", "shop1", "shop1-demo");

    static SwitchConfig config;
    static Bootstrap bootstrap;

    @BeforeAll
    static void load() {
        config = ConfigTestSupport.demoConfig();
        bootstrap = Bootstrap.load(config.bootstrap().orElseThrow(), ConfigTestSupport.demoOptions(config));
    }

    @Test
    void everyCommandComesFromTheSystemAsBootstrapAndStartsWithACutover() {
        final List<BootstrapCommand> commands = bootstrap.commands();
        assertThat(commands.get(0).command()).isInstanceOf(Cutover.class);
        for (final BootstrapCommand command : commands) {
            assertThat(command.envelope()).isEqualTo(new Envelope("system", 0, "bootstrap", command.entry()));
        }
        assertThat(bootstrap.businessDate()).isEqualTo(20260302);
        final Cutover last = (Cutover) commands.stream().map(BootstrapCommand::command)
                .filter(c -> c instanceof Cutover).reduce((a, b) -> b).orElseThrow();
        assertThat(last.newBusinessDate()).isEqualTo(20260302);
    }

    @Test
    void aFreshLedgerOfTheDemoCapacitiesApprovesEveryCommandInOrder() {
        final Ledger ledger = applyEach(config.ledger());
        checkCards(ledger.state());
    }

    @Test
    void aFreshLedgerOfTheDefaultCapacitiesApprovesEveryCommandToo() {
        final Bootstrap withDefaults = Bootstrap.load(config.bootstrap().orElseThrow(), new Bootstrap.Options(
                ConfigTestSupport.TODAY, LedgerConfig.defaults(), ConfigTestSupport.demoKeys(),
                new PasswordHasher(new PasswordHashing(64, 1, 1)), true));
        checkCards(withDefaults.rehearse(LedgerConfig.defaults()).state());
    }

    private static Ledger applyEach(final LedgerConfig capacities) {
        final Ledger ledger = new Ledger(capacities);
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64 * 1024);
        final Outcome outcome = new Outcome();
        long timestamp = 1_700_000_000_000L;
        for (final BootstrapCommand command : bootstrap.commands()) {
            final int length = RecordCodec.encode(command.envelope(), command.command(), buffer, 0);
            ledger.apply(buffer, 0, length, timestamp++, outcome);
            assertThat(outcome.approved()).as("%s: %s %s (%s)", command.entry(), command.command().getClass().getSimpleName(),
                    outcome.reason, outcome.detail).isTrue();
            Invariants.check(ledger.state());
        }
        return ledger;
    }

    private static void checkCards(final LedgerState state) {
        final CardStore cards = state.cards();
        assertThat(state.businessDate()).isEqualTo(20260302);
        for (final Documented d : DOCUMENTED) {
            final int card = state.resolveCard(d.pan());
            assertThat(card).as(d.pan()).isGreaterThanOrEqualTo(0);
            assertThat(cards.available(card)).as(d.pan()).isEqualTo(d.balanceFen());
            assertThat(cards.status(card)).as(d.pan()).isEqualTo(d.status());
            assertThat(state.businessDay() > cards.expiryDay(card)).as(d.pan() + " expired").isEqualTo(d.expired());
            assertThat(cards.pinCheck(card) != 0).as(d.pan() + " has a PIN").isEqualTo(d.pin() != null);
        }
        // Stock, bulk sales.
        assertThat(cards.status(state.resolveCard("8888000100000074"))).isEqualTo(CardStatus.GENERATED);
        assertThat(cards.status(state.resolveCard("8888000200000073"))).isEqualTo(CardStatus.GENERATED);
        assertThat(cards.status(state.resolveCard("8888000200012003"))).isEqualTo(CardStatus.GENERATED);
        for (final String pan : List.of("8888000200001006", "8888000200010999")) {
            assertThat(cards.status(state.resolveCard(pan))).isEqualTo(CardStatus.ACTIVE);
            assertThat(cards.available(state.resolveCard(pan))).isEqualTo(10_000);
        }
        for (final String pan : List.of("8888000200011005", "8888000200011997")) {
            assertThat(cards.available(state.resolveCard(pan))).isEqualTo(20_000);
        }
        assertThat(cards.count()).isEqualTo(4_000);
        // Reference data.
        assertThat(state.merchantCount()).isEqualTo(2);
        assertThat(state.terminalCount()).isEqualTo(6);
        assertThat(state.terminal("10000003").profile().macAlgorithm()).isEqualTo(MacAlgorithm.X9_19);
        assertThat(state.terminal("20000003").profile().status()).isEqualTo(TerminalStatus.DISABLED);
        assertThat(state.terminal("10000001").profile().keyReference()).isEqualTo("tmk.10000001");
        assertThat(state.operatorCount()).isEqualTo(8);
        assertThat(state.operator("shop1").role()).isEqualTo(Role.MERCHANT_USER);
        assertThat(state.operator("shop1").merchantScope()).isEqualTo("888310048990001");
    }

    @Test
    void theDemoCardsOfTheFileAreTheDocumentedOnes() {
        final Map<String, Bootstrap.DemoCard> byPan = new HashMap<>();
        bootstrap.demoCards().forEach(c -> byPan.put(c.pan(), c));
        assertThat(byPan).hasSize(DOCUMENTED.size());
        for (final Documented d : DOCUMENTED) {
            final Bootstrap.DemoCard card = byPan.get(d.pan());
            assertThat(card.balanceFen()).isEqualTo(d.balanceFen());
            assertThat(card.pin()).isEqualTo(d.pin());
        }
        assertThat(byPan.get("8888000200000040").soldDate()).isEqualTo(20230202);
        assertThat(byPan.get("8888000100000066").soldDate()).isEqualTo(20251102);
    }

    @Test
    void thePinsOfTheFileBecomeTheCheckValuesOfTheDemoPinVerificationKey() {
        final PinCheck pins = new PinCheck(DesKey.fromHex(DemoKeys.CLEAR.get("pvk")));
        final Map<String, Long> set = new HashMap<>();
        for (final BootstrapCommand command : bootstrap.commands()) {
            if (command.command() instanceof SetPin) {
                final SetPin pin = (SetPin) command.command();
                set.put(pin.pan(), pin.pinCheck());
            }
        }
        int withPin = 0;
        for (final Documented d : DOCUMENTED) {
            if (d.pin() != null) {
                withPin++;
                assertThat(set.get(d.pan())).as(d.pan()).isEqualTo(pins.fromClearPin(d.pan(), d.pin()));
            }
        }
        assertThat(set).hasSize(withPin);
        // The check values are in the ledger too.
        final LedgerState state = bootstrap.rehearse().state();
        assertThat(state.cards().pinCheck(state.resolveCard("8888000100000017")))
                .isEqualTo(pins.fromClearPin("8888000100000017", "123456"));
    }

    @Test
    void operatorPasswordsAreArgon2idHashesOfTheDocumentedPasswords() {
        int operators = 0;
        for (final BootstrapCommand command : bootstrap.commands()) {
            final AdminCommand c = command.command();
            if (c instanceof UpsertOperator) {
                final UpsertOperator operator = (UpsertOperator) c;
                operators++;
                assertThat(operator.passwordHash()).startsWith("$argon2id$v=19$m=64,t=1,p=1$");
                assertThat(PasswordHasher.verify(PASSWORDS.get(operator.operatorId()).toCharArray(),
                        operator.passwordHash())).isTrue();
                assertThat(PasswordHasher.verify("wrong".toCharArray(), operator.passwordHash())).isFalse();
                assertThat(command.toString()).doesNotContain(PASSWORDS.get(operator.operatorId()) + ",");
            }
        }
        assertThat(operators).isEqualTo(PASSWORDS.size());
    }

    @Test
    void optionsComeFromTheConfigurationAndTheClock() {
        final Bootstrap.Options options = Bootstrap.Options.of(config, ConfigTestSupport.demoKeys(),
                java.time.Clock.fixed(java.time.Instant.parse("2026-03-01T17:00:00Z"), java.time.ZoneOffset.UTC));
        // 17:00 UTC is 01:00 the next day in Asia/Shanghai.
        assertThat(options.today()).isEqualTo(java.time.LocalDate.of(2026, 3, 2));
        assertThat(options.hasher().parameters()).isEqualTo(new PasswordHashing(8192, 2, 1));
        assertThat(options.development()).isTrue();
    }

    @Test
    void theExpiredCardWasSoldThirtySevenMonthsBeforeTheBusinessDate() {
        final LedgerState state = bootstrap.rehearse().state();
        final int card = state.resolveCard("8888000200000040");
        assertThat(CivilDate.iso(state.cards().soldDay(card))).isEqualTo("2023-02-02");
        assertThat(CivilDate.iso(state.cards().expiryDay(card))).isEqualTo("2026-02-02");
    }
}
