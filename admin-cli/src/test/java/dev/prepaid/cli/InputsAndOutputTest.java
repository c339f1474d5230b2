package dev.prepaid.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What people type becoming what the endpoint takes, and the endpoint's numbers becoming what people read. */
class InputsAndOutputTest {
    @TempDir
    Path scratch;

    @ParameterizedTest
    @CsvSource({"12.34,1234", "0,0", "0.5,50", "100,10000", "7.05,705", "+3.1,310", "92233720368547758.07,9223372036854775807"})
    void yuanBecomeFenExactly(final String yuan, final long fen) {
        assertThat(Inputs.fen(yuan, false)).isEqualTo(fen);
    }

    @Test
    void amountsThatAreNotFenAreRefusedSayingWhy() {
        assertThatThrownBy(() -> Inputs.fen("12.345", false)).hasMessageContaining("more than two decimals");
        assertThatThrownBy(() -> Inputs.fen("-5", false)).hasMessage("-5 is negative; give an amount of 0 or more");
        assertThat(Inputs.fen("-3.50", true)).isEqualTo(-350);
        assertThatThrownBy(() -> Inputs.fen("1e3", false)).hasMessage("'1e3' is not an amount in yuan (like 12.34)");
        assertThatThrownBy(() -> Inputs.fen("12,34", false)).hasMessageContaining("not an amount in yuan");
        assertThatThrownBy(() -> Inputs.fen("92233720368547758.08", false)).hasMessageContaining("too large");
    }

    @Test
    void datesAreTypedEitherWayAndMustBeDaysOfTheCalendar() {
        assertThat(Inputs.date("2026-03-02")).isEqualTo(20260302);
        assertThat(Inputs.date("20261231")).isEqualTo(20261231);
        assertThatThrownBy(() -> Inputs.date("2026-02-30")).hasMessage("'2026-02-30' is no day of the calendar");
        assertThatThrownBy(() -> Inputs.date("2/3/2026")).hasMessageContaining("not a date like 2026-03-02");
    }

    @Test
    void ratesArePerCentAndKeptInPartsPerMillion() {
        assertThat(Inputs.ppmOfPercent("0.35")).isEqualTo(3_500);
        assertThat(Inputs.ppmOfPercent("30%")).isEqualTo(300_000);
        assertThat(Inputs.ppmOfPercent("0.0001")).isEqualTo(1);
        assertThatThrownBy(() -> Inputs.ppmOfPercent("0.00001")).hasMessageContaining("more than four decimals");
        assertThatThrownBy(() -> Inputs.ppmOfPercent("101")).hasMessageContaining("between 0 and 100");
    }

    @ParameterizedTest
    @ValueSource(strings = {"123", "8000000000000000", "G000000000000001", "0000000000000000"})
    void aPinCheckValueIsSixteenHexDigitsOfAPositiveNumber(final String wrong) {
        assertThatThrownBy(() -> Inputs.pinCheck(wrong)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPinCheckValueIsReadAsKeysPinCheckPrintsIt() {
        assertThat(Inputs.pinCheck("3F2A9C0B7D41E655")).isEqualTo(0x3F2A9C0B7D41E655L);
        assertThat(Inputs.pinCheck("7fffffffffffffff")).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void theCheckValueOfAKeyIsThatOfTheKeyLoaders() {
        // The double-length test key of ANSI X9.24 / the card schemes' test vectors: KCV 08D7B4.
        final byte[] key = java.util.HexFormat.of().parseHex("0123456789ABCDEFFEDCBA9876543210");
        assertThat(KeyCheckValues.of(key)).startsWith("08D7B4");
        assertThat(KeyCheckValues.matches(key, "08d7b4")).isTrue();
        assertThat(KeyCheckValues.matches(key, "08D7B5")).isFalse();
    }

    @Test
    void numbersAreShownByWhatTheirFieldHolds() {
        final ObjectNode card = Cli.JSON.createObjectNode().put("available", 123_45).put("expiryDate", 20291231)
                .put("soldDate", 0).put("shareRatePpm", 300_000).put("count", 3).put("holderName", "");
        final StringWriter text = new StringWriter();

        Output.keyValues(new PrintWriter(text, true), card, "");

        assertThat(text.toString()).isEqualTo("""
                available     123.45
                expiryDate    2029-12-31
                soldDate      -
                shareRatePpm  30 %
                count         3
                holderName    -
                """);
        assertThat(Output.yuan(-5)).isEqualTo("-0.05");
    }

    @Test
    void aTableAlignsItsColumnsAndRightAlignsNumbers() {
        final StringWriter text = new StringWriter();
        Output.table(new PrintWriter(text, true), List.of("merchantId", "payable"), List.of(
                Cli.JSON.createObjectNode().put("merchantId", "888310048990001").put("payable", 5),
                Cli.JSON.createObjectNode().put("merchantId", "1").put("payable", 123_456)));

        assertThat(text.toString()).isEqualTo("""
                merchantId       payable
                888310048990001     0.05
                1                1234.56
                """);
    }

    @Test
    void aCsvFileHasAHeaderAndQuotedCells() throws IOException {
        final Path file = Files.writeString(scratch.resolve("rows.csv"), "\uFEFFfirstPan,holderName,note\r\n"
                + "8888000100000074,\"Sun, Li\",\"said \"\"hi\"\"\"\r\n\r\n 8888000100000082 , Wu ,\n");

        final List<Csv.Row> rows = Csv.read(file);

        assertThat(rows).extracting(Csv.Row::line).containsExactly(2, 4);
        assertThat(rows.get(0).cells()).isEqualTo(Map.of("firstPan", "8888000100000074", "holderName", "Sun, Li",
                "note", "said \"hi\""));
        assertThat(rows.get(1).cells()).isEqualTo(Map.of("firstPan", "8888000100000082", "holderName", "Wu", "note", ""));
    }

    @Test
    void aMalformedCsvFileNamesItsLine() throws IOException {
        final Path ragged = Files.writeString(scratch.resolve("ragged.csv"), "pan,amount\n8888000100000017\n");
        assertThatThrownBy(() -> Csv.read(ragged)).isInstanceOf(CliFailure.class)
                .hasMessage(ragged + " line 2: 1 cells, the header has 2");
        final Path open = Files.writeString(scratch.resolve("open.csv"), "pan,amount\n\"8888000100000017,5\n");
        assertThatThrownBy(() -> Csv.read(open)).hasMessage(open + " line 2: a quote is not closed");
    }

    @Test
    void theEndpointComesFromTheOptionTheEnvironmentOrTheConfigFile() throws IOException {
        final Path config = Files.writeString(scratch.resolve("config"), "# the bank's switch\n"
                + "endpoint: https://switch.example:8584\nca: ca.pem\n");
        Files.writeString(scratch.resolve("ca.pem"), "");
        final Map<String, String> env = Map.of("HOME", scratch.toString(), Settings.CONFIG_VARIABLE, config.toString());

        final Settings fromFile = Settings.resolve(null, null, env);
        assertThat(fromFile.endpoint()).hasToString("https://switch.example:8584");
        assertThat(fromFile.ca()).isEqualTo(scratch.resolve("ca.pem"));
        assertThat(fromFile.sessionFile()).isEqualTo(scratch.resolve(".config/prepaid-admin/session"));
        final Map<String, String> withVariable = new java.util.HashMap<>(env);
        withVariable.put(Settings.ENDPOINT_VARIABLE, "http://10.0.0.7:9000");
        assertThat(Settings.resolve(null, null, withVariable).endpoint()).hasToString("http://10.0.0.7:9000");
        assertThat(Settings.resolve("http://127.0.0.1:1", null, withVariable).endpoint())
                .hasToString("http://127.0.0.1:1");
        assertThat(Settings.resolve(null, null, Map.of("HOME", scratch.resolve("nobody").toString())).endpoint())
                .hasToString("http://127.0.0.1:8584");
        assertThat(Settings.endpoint("https://switch.example", "test")).hasToString("https://switch.example:443");

        Files.writeString(config, "endpiont: https://switch.example:8584\n");
        assertThatThrownBy(() -> Settings.resolve(null, null, env)).isInstanceOf(CliFailure.class)
                .hasMessage(config + " line 1: expected 'endpoint: URL' or 'ca: FILE', got 'endpiont:"
                        + " https://switch.example:8584'");
        assertThatThrownBy(() -> Settings.endpoint("https://switch.example:8584/v1/", "--endpoint"))
                .hasMessageContaining("nothing after it");
    }
}
