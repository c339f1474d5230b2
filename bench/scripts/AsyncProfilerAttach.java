import com.sun.tools.attach.VirtualMachine;

/**
 * Loads async-profiler into a running JVM and hands it a command (start, stop, status): what the profiler's own
 * launcher does, for machines that have only its library (the Maven Central jar). Run as a single source file:
 * {@code java bench/scripts/AsyncProfilerAttach.java PID LIBRARY COMMAND}.
 */
public final class AsyncProfilerAttach {
    public static void main(final String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: java AsyncProfilerAttach.java PID LIBRARY COMMAND (e.g. start,event=cpu,interval=500us,threads)");
            System.exit(2);
        }
        final VirtualMachine vm = VirtualMachine.attach(args[0]);
        try {
            vm.loadAgentPath(args[1], args[2]);
        } finally {
            vm.detach();
        }
    }
}
