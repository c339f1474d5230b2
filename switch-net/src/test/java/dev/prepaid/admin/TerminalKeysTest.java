package dev.prepaid.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prepaid.security.DesKey;
import dev.prepaid.security.Hex;
import dev.prepaid.security.MasterFileKey;
import dev.prepaid.security.StoredKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A TMK from components or under a transport key, checked by its check value, stored in the file and in memory. */
class TerminalKeysTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DesKey TRANSPORT = DesKey.fromHex("0123456789ABCDEFFEDCBA9876543210");
    private static final DesKey TMK = DesKey.fromHex("8A9B0C1D2E3F40516273849596A7B8C9");

    @TempDir
    Path directory;

    private final MasterFileKey mfk = MasterFileKey.development();

    private TerminalKeys keys(final Path file) {
        final Map<String, DesKey> initial = new LinkedHashMap<>();
        initial.put("tk.vendor", TRANSPORT);
        initial.put("pvk", DesKey.fromHex("1111111111111111EEEEEEEEEEEEEEEE"));
        StoredKeys.write(file, initial, mfk, "test");
        return new TerminalKeys(StoredKeys.load(file, mfk), mfk, file);
    }

    private static JsonNode json(final String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void aCryptogramUnderTheTransportKeyIsDecryptedCheckedAndStored() throws Exception {
        final Path file = directory.resolve("keys.txt");
        final StoredKeys live = StoredKeys.load(writeInitial(file), mfk);
        final TerminalKeys keys = new TerminalKeys(live, mfk, file);
        final byte[] clear = Hex.decode("8A9B0C1D2E3F40516273849596A7B8C9");
        final byte[] cryptogram = new byte[16];
        TRANSPORT.encryptEcb(clear, 0, 16, cryptogram, 0);
        final TerminalKeys.Loaded loaded = keys.load("T1", json("{\"underTransportKey\":\"" + Hex.encode(cryptogram)
                + "\",\"transportKey\":\"tk.vendor\",\"checkValue\":\"" + TMK.checkValueHex(3) + "\"}"));
        assertThat(loaded.reference()).isEqualTo("tmk.T1");
        assertThat(loaded.key().sameKeyAs(TMK)).isTrue();

        assertThat(keys.store(loaded)).isNull();
        assertThat(live.find("tmk.T1").sameKeyAs(TMK)).isTrue();
        final StoredKeys reread = StoredKeys.load(file, mfk);
        assertThat(reread.find("tmk.T1").sameKeyAs(TMK)).isTrue();
        assertThat(reread.names()).contains("tk.vendor", "pvk");
        assertThat(Files.readString(file)).doesNotContain("8A9B0C1D2E3F40516273849596A7B8C9");

        keys.restore(loaded, null);
        assertThat(live.find("tmk.T1")).isNull();
        assertThat(StoredKeys.load(file, mfk).find("tmk.T1")).isNull();
    }

    @Test
    void aKeyAddedToTheFileSinceTheStartIsKeptWhenAnotherIsStored() throws Exception {
        final Path file = directory.resolve("keys.txt");
        final TerminalKeys keys = keys(file);
        final Map<String, DesKey> edited = new LinkedHashMap<>(StoredKeys.load(file, mfk).asMap());
        edited.put("cvk.7", DesKey.fromHex("2222222222222222DDDDDDDDDDDDDDDD"));
        StoredKeys.write(file, edited, mfk, "edited offline");
        final String a = "0101010101010101FEFEFEFEFEFEFEFE";
        final String b = "2323232323232323ABABABABABABABAB";
        final TerminalKeys.Loaded loaded = keys.load("T2", json("{\"components\":[\"" + a + "\",\"" + b
                + "\"],\"checkValue\":\"" + xorCheckValue(a, b) + "\"}"));
        keys.store(loaded);
        assertThat(StoredKeys.load(file, mfk).names()).contains("cvk.7", "tmk.T2");
    }

    @Test
    void mistakesAreNamedAndNothingIsStored() throws Exception {
        final Path file = directory.resolve("keys.txt");
        final TerminalKeys keys = keys(file);
        final String a = "0101010101010101FEFEFEFEFEFEFEFE";
        assertThatThrownBy(() -> keys.load("T3", json("{\"components\":[\"" + a + "\"],\"checkValue\":\"000000\"}")))
                .hasMessageContaining("2 or 3 components");
        assertThatThrownBy(() -> keys.load("T3", json("{\"components\":[\"" + a + "\",\"" + a
                + "\"],\"checkValue\":\"000000\"}"))).hasMessageContaining("halves are equal");
        final String b = "2323232323232323ABABABABABABABAB";
        assertThatThrownBy(() -> keys.load("T3", json("{\"components\":[\"" + a + "\",\"" + b
                + "\"],\"checkValue\":\"000000\"}"))).hasMessageContaining("does not match its check value")
                .hasMessageNotContaining(a).hasMessageNotContaining(b);
        assertThatThrownBy(() -> keys.load("T3", json("{\"components\":[\"" + a + "\",\"XYZ\"],\"checkValue\":\"000000\"}")))
                .hasMessageContaining("32 hex digits").hasMessageNotContaining(a);
        assertThatThrownBy(() -> keys.load("T3", json("{\"underTransportKey\":\"" + a
                + "\",\"transportKey\":\"tk.missing\",\"checkValue\":\"000000\"}"))).hasMessageContaining("tk.missing");
        assertThatThrownBy(() -> keys.load("T3", json("{\"checkValue\":\"000000\"}"))).hasMessageContaining("neither");
        assertThatThrownBy(() -> keys.load("T3", json("{\"components\":[\"" + a + "\",\"" + a
                + "\"],\"checkValue\":\"000000\",\"clear\":\"x\"}"))).hasMessageContaining("clear");
        assertThat(StoredKeys.load(file, mfk).names()).containsExactly("tk.vendor", "pvk");
    }

    private Path writeInitial(final Path file) {
        keys(file);
        return file;
    }

    private static String xorCheckValue(final String a, final String b) {
        final byte[] x = Hex.decode(a);
        final byte[] y = Hex.decode(b);
        for (int i = 0; i < x.length; i++) {
            x[i] ^= y[i];
        }
        DesKey.setOddParity(x, 0, x.length);
        return DesKey.of(x).checkValueHex(3);
    }
}
