/**
 * The POS terminal simulator: a library and a command that behave like a real terminal of the switch's ISO 8583
 * dialect (the pos-iso8583 specification). Tests, the demo and the load generator use it.
 *
 * <ul>
 *   <li>{@link dev.prepaid.pos.PosTerminal}: one terminal over a {@link dev.prepaid.pos.PosLink} (TCP by
 *       {@link dev.prepaid.pos.SocketLink}): sign-on with key check values, every transaction of §4 with PIN block
 *       and MAC, reversal owed after a lost answer, batch totals, settlement and batch upload.</li>
 *   <li>{@link dev.prepaid.pos.PosExchange}: one request of a terminal and what it does with the answer, for callers
 *       that move the frames themselves (one event loop for thousands of terminals: the load generator).</li>
 *   <li>{@link dev.prepaid.pos.Card}: a card as the terminal reads it (swiped track 2 with a valid CVN, or keyed
 *       in) and the PIN typed.</li>
 *   <li>{@link dev.prepaid.pos.PosResult}: the outcome of one operation; {@link dev.prepaid.pos.Original}: what a
 *       void, refund, cancel or completion needs of its original.</li>
 *   <li>{@link dev.prepaid.pos.PosCommand}: the command line, {@code bin/prepaid pos ...}.</li>
 * </ul>
 */
package dev.prepaid.pos;
