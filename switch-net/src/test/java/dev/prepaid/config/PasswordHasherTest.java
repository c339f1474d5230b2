package dev.prepaid.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Argon2id hashes in the PHC string format: published vectors, round trip, malformed input. */
class PasswordHasherTest {
    /** phc-winner-argon2 src/test.c: password "password", salt "somesalt". */
    static final String REFERENCE_64_MIB = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
    static final String REFERENCE_256_KIB = "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4";

    static final PasswordHashing CHEAP = new PasswordHashing(256, 1, 1);

    @Test
    void encodesThePublishedReferenceVectors() {
        final byte[] salt = "somesalt".getBytes(StandardCharsets.US_ASCII);
        assertThat(PasswordHasher.encode("password".toCharArray(), salt, new PasswordHashing(256, 2, 1)))
                .isEqualTo(REFERENCE_256_KIB);
        assertThat(PasswordHasher.encode("password".toCharArray(), salt, new PasswordHashing(65_536, 2, 1)))
                .isEqualTo(REFERENCE_64_MIB);
    }

    @Test
    void verifiesThePublishedReferenceHashes() {
        assertThat(PasswordHasher.verify("password".toCharArray(), REFERENCE_256_KIB)).isTrue();
        assertThat(PasswordHasher.verify("passwore".toCharArray(), REFERENCE_256_KIB)).isFalse();
        assertThat(PasswordHasher.verify("password".toCharArray(), REFERENCE_64_MIB)).isTrue();
        assertThat(PasswordHasher.parametersOf(REFERENCE_64_MIB)).isEqualTo(new PasswordHashing(65_536, 2, 1));
    }

    @Test
    void roundTripsWithARandomSaltEachTime() {
        final PasswordHasher hasher = new PasswordHasher(CHEAP, new SecureRandom());
        final String first = hasher.hash("s3cret-Passw0rd".toCharArray());
        final String second = hasher.hash("s3cret-Passw0rd".toCharArray());
        assertThat(first).matches("\\$argon2id\\$v=19\\$m=256,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(first).isNotEqualTo(second);
        assertThat(Base64.getDecoder().decode(first.split("\\$")[4])).hasSize(PasswordHasher.SALT_BYTES);
        assertThat(PasswordHasher.verify("s3cret-Passw0rd".toCharArray(), first)).isTrue();
        assertThat(PasswordHasher.verify("s3cret-Passw0rd".toCharArray(), second)).isTrue();
        assertThat(PasswordHasher.verify("s3cret-passw0rd".toCharArray(), first)).isFalse();
        assertThat(PasswordHasher.verify("".toCharArray(), first)).isFalse();
        assertThat(PasswordHasher.isWellFormed(first)).isTrue();
    }

    @Test
    void passwordsAreUtf8() {
        final PasswordHasher hasher = new PasswordHasher(CHEAP);
        final String hash = hasher.hash("密码-Пароль".toCharArray());
        assertThat(PasswordHasher.verify("密码-Пароль".toCharArray(), hash)).isTrue();
        assertThat(PasswordHasher.verify("密码-Пароль ".toCharArray(), hash)).isFalse();
    }

    @Test
    void theProductionParametersTakeTheDesignedCost() {
        final long start = System.nanoTime();
        final String hash = new PasswordHasher(PasswordHashing.PRODUCTION).hash("x".toCharArray());
        final long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(hash).startsWith("$argon2id$v=19$m=65536,t=3,p=1$");
        assertThat(millis).as("a hash must be costly").isGreaterThan(20);
        assertThat(PasswordHashing.PRODUCTION.meetsProductionMinimum()).isTrue();
        assertThat(new PasswordHashing(8192, 2, 1).meetsProductionMinimum()).isFalse();
    }

    @Test
    void malformedOrHostileHashesAreRefused() {
        assertThatThrownBy(() -> PasswordHasher.verify("x".toCharArray(), "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an Argon2id hash");
        assertThatThrownBy(() -> PasswordHasher.verify("x".toCharArray(), REFERENCE_256_KIB.replace("argon2id", "argon2i")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PasswordHasher.verify("x".toCharArray(), REFERENCE_256_KIB.replace("v=19", "v=16")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 16");
        assertThatThrownBy(() -> PasswordHasher.verify("x".toCharArray(), REFERENCE_256_KIB.replace("m=256", "m=4194304")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("memoryKiB");
        assertThatThrownBy(() -> PasswordHasher.verify("x".toCharArray(), REFERENCE_256_KIB.replace("$c29tZXNhbHQ$", "$c2$")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PasswordHasher.verify("x".toCharArray(), null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(PasswordHasher.isWellFormed("$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$")).isFalse();
    }
}
