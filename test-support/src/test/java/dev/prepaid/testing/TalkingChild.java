package dev.prepaid.testing;

import java.io.IOException;

/**
 * The child of {@link ChildJvmTest}: prints {@code args[0]} numbered lines, then either exits with the status
 * {@code args[1]} or, given "wait", blocks on its standard input (a pipe the test holds) until it is killed.
 */
public final class TalkingChild {
    private TalkingChild() {
    }

    public static void main(final String[] args) throws IOException {
        final int lines = Integer.parseInt(args[0]);
        for (int i = 1; i <= lines; i++) {
            System.out.println("line " + i);
        }
        System.err.println("done");
        if ("wait".equals(args[1])) {
            System.in.read();
            return;
        }
        System.exit(Integer.parseInt(args[1]));
    }
}
