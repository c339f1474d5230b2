package dev.prepaid.command;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The position of a component in the journal layout of an operator command or its {@link Envelope}: the
 * command's fields are written in the order of these numbers (1, 2, 3 … without gaps), not in the order the
 * components happen to be declared, so moving a component in the source changes nothing that is stored. A
 * number is never given to another component; a new component is a new layout version.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Field {
    int value();
}
