/**
 * Terminal security: DES/3DES keys, the key hierarchy (MFK → TMK → PIK/MAK/TDK), the key file, sign-on
 * working keys (field 62), MACs (field 64), ISO 9564 format 0 PIN blocks turned into PIN check values,
 * and the Visa-method CVN on track 2 (pos-iso8583 §5 and §8).
 *
 * <p>Rules that hold in every class here:
 * <ul>
 *   <li>Clear keys, clear PINs and track data never appear in {@code toString}, exception messages or logs.
 *       Key check values and key names may, because they identify a key without revealing it.</li>
 *   <li>Everything that runs per message on an I/O thread (block encryption, MAC, PIN check, CVN) allocates
 *       nothing once its key objects exist and reports problems as result codes, not exceptions.
 *       Objects that need scratch space ({@link dev.prepaid.security.PinCheck}, {@link dev.prepaid.security.Cvn},
 *       {@link dev.prepaid.security.Track2}) are not thread-safe: one per I/O thread.
 *       {@link dev.prepaid.security.DesKey} and {@link dev.prepaid.security.CvkPair} are immutable and may be
 *       shared.</li>
 *   <li>Start-up and sign-on paths (loading the MFK and the key file, generating working keys) may allocate and
 *       throw {@link dev.prepaid.security.KeyMaterialException} with a message that says what is wrong and
 *       where.</li>
 * </ul>
 * Double-length keys (K1‖K2) are 3DES EDE with K3 = K1 throughout.
 */
package dev.prepaid.security;
