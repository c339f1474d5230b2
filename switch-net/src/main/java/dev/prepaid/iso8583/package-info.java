/**
 * The ISO 8583 codec of the POS wire protocol (the pos-iso8583 specification), driven by a dialect file
 * ({@code config/iso8583/cup-pos.yaml}).
 *
 * <ul>
 *   <li>{@link dev.prepaid.iso8583.Dialect}: the loaded, validated dialect (frame, fields, sub-fields,
 *       transaction table).</li>
 *   <li>{@link dev.prepaid.iso8583.IsoMessage}: reusable decoding flyweight; allocation-free, errors through
 *       {@link dev.prepaid.iso8583.IsoError}.</li>
 *   <li>{@link dev.prepaid.iso8583.IsoWriter}: reusable encoder writing a response (or request) into a
 *       buffer, with the MAC block range.</li>
 *   <li>{@link dev.prepaid.iso8583.TransactionTable}: recognises a request's transaction.</li>
 *   <li>{@link dev.prepaid.iso8583.IsoDescriber}: prints a message with card data masked.</li>
 *   <li>{@link dev.prepaid.iso8583.IsoFrame}: the 2-byte frame length.</li>
 * </ul>
 */
package dev.prepaid.iso8583;
