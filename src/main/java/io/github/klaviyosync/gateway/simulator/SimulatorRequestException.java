package io.github.klaviyosync.gateway.simulator;

/** A request the simulator refuses the way Klaviyo would: the status and one JSON:API error. */
final class SimulatorRequestException extends RuntimeException {

    private final int status;
    private final String code;
    private final String title;
    private final String parameter;

    SimulatorRequestException(int status, String code, String title, String detail, String parameter) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.title = title;
        this.parameter = parameter;
    }

    static SimulatorRequestException invalidParameter(String parameter, String detail) {
        return new SimulatorRequestException(400, "invalid", "Invalid input.", detail, parameter);
    }

    static SimulatorRequestException notFound(String detail) {
        return new SimulatorRequestException(404, "not_found", "Not found.", detail, null);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    String title() {
        return title;
    }

    /** The query parameter at fault, or null. */
    String parameter() {
        return parameter;
    }
}
