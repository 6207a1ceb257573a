package io.github.klaviyosync.gateway.problem;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.io.IOException;

/** Test-only: a call that fails with a bug whose message quotes a secret and an email, as a careless library might. */
@Path("/test-support/fail")
public class FailingTestResource {

    @POST
    public String fail(@QueryParam("secret") String secret, @QueryParam("email") String email) {
        throw new IllegalStateException("could not use " + secret + " for " + email,
                new IllegalArgumentException("nested detail about " + email));
    }

    /** An I/O failure before anything was answered: a bug like any other, not a refused body. */
    @POST
    @Path("io")
    public String failWithIo() throws IOException {
        throw new IOException("disk gone");
    }
}
