package io.github.klaviyosync.gateway.privacy;

/**
 * A copy of an exception fit for a log: the same class names and stack frames, with every message
 * in its cause chain passed through {@link LogMask#scrub(String)}. Messages of libraries (a database
 * error quoting a row, say) may carry personal data; this keeps them out of the log.
 */
public final class ScrubbedThrowable extends RuntimeException {

    private static final int MAX_CAUSES = 10;

    private ScrubbedThrowable(Throwable original, int depth) {
        super(describe(original), causeOf(original, depth), false, true);
        setStackTrace(original.getStackTrace());
    }

    public static ScrubbedThrowable of(Throwable original) {
        return new ScrubbedThrowable(original, 0);
    }

    private static String describe(Throwable original) {
        String message = original.getMessage();
        return original.getClass().getName() + (message == null ? "" : ": " + LogMask.scrub(message));
    }

    private static ScrubbedThrowable causeOf(Throwable original, int depth) {
        Throwable cause = original.getCause();
        if (cause == null || cause == original || depth >= MAX_CAUSES) {
            return null;
        }
        return new ScrubbedThrowable(cause, depth + 1);
    }

    @Override
    public String toString() {
        // The message already starts with the original class name.
        return getMessage();
    }
}
