package io.github.klaviyosync.gateway.auth;

import io.github.klaviyosync.gateway.config.GatewayConfig;
import io.github.klaviyosync.gateway.crypto.Tokens;
import io.github.klaviyosync.gateway.problem.Problem;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every call under {@code /api} needs {@code Authorization: Bearer <token>} with one of
 * {@code GATEWAY_API_TOKENS}, else 401. Runs before resource matching, so unknown {@code /api} paths
 * are refused too and reveal nothing. Tokens are compared as SHA-256 digests in constant time against
 * every configured token, so neither the position of a difference nor a length leaks.
 */
public class ApiTokenFilter {

    private static final String API_ROOT = "/api";
    private static final Pattern REPEATED_SLASHES = Pattern.compile("/{2,}");
    private static final String BEARER = "bearer ";
    private static final String CHALLENGE = "Bearer realm=\"klaviyo-sync-gateway\"";

    private final List<String> tokenHashes;

    ApiTokenFilter(GatewayConfig config) {
        this.tokenHashes = config.api().tokens().stream()
                .map(String::trim)
                .filter(token -> !token.isEmpty())
                .map(Tokens::hash)
                .toList();
    }

    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION)
    public Response requireToken(ContainerRequestContext request) {
        if (!isApiPath(request.getUriInfo().getPath()) || isAccepted(request.getHeaderString(HttpHeaders.AUTHORIZATION))) {
            return null;
        }
        return Response.status(Response.Status.UNAUTHORIZED)
                .type(Problem.MEDIA_TYPE)
                .header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE)
                .entity(Problem.of(401, "Unauthorized", "a valid bearer token is required"))
                .build();
    }

    /** {@code /api} and below, however many slashes the caller wrote. */
    static boolean isApiPath(String path) {
        // Every API path contains the root even before slashes are collapsed: most requests stop here.
        if (path == null || !path.contains(API_ROOT)) {
            return false;
        }
        String collapsed = REPEATED_SLASHES.matcher(path).replaceAll("/");
        return collapsed.equals(API_ROOT) || collapsed.startsWith(API_ROOT + "/");
    }

    private boolean isAccepted(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        String presentedHash = Tokens.hash(authorization.substring(BEARER.length()).trim());
        boolean accepted = false;
        for (String tokenHash : tokenHashes) {
            // No early exit: the time taken does not tell which token matched.
            accepted |= Tokens.constantTimeEquals(presentedHash, tokenHash);
        }
        return accepted;
    }
}
