package dev.prepaid.cli;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** A person at a terminal who types the given answers in turn, lines and secrets alike; the prompts are kept. */
final class ScriptedTerminal implements CliContext.Terminal {
    private final Deque<String> answers;
    final List<String> prompts = new ArrayList<>();
    /** Which prompts were answered without echo. */
    final List<String> secretPrompts = new ArrayList<>();

    ScriptedTerminal(final String... answers) {
        this.answers = new ArrayDeque<>(List.of(answers));
    }

    @Override
    public String readLine(final String prompt) {
        prompts.add(prompt);
        return answers.poll();
    }

    @Override
    public char[] readSecret(final String prompt) {
        prompts.add(prompt);
        secretPrompts.add(prompt);
        final String answer = answers.poll();
        return answer == null ? null : answer.toCharArray();
    }
}
