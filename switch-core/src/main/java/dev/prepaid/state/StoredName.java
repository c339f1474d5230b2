package dev.prepaid.state;

/**
 * An enum that the journal (operator commands) and snapshots keep by an explicit name, written beside each
 * constant: renaming or reordering the constants cannot change what stored bytes mean. A stored name is never
 * changed or reused; a new constant gets a new one. {@link StoredNames} reads them back.
 */
public interface StoredName {
    /** The name stored for this constant (ASCII, at most 255 bytes). */
    String storedName();
}
