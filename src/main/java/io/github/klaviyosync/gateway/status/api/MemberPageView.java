package io.github.klaviyosync.gateway.status.api;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of a list's members. */
@Schema(name = "MemberPage")
public record MemberPageView(
        List<MemberView> data,
        @Schema(nullable = true, description = "Opaque cursor for the next page (pass it as `after`); null on the last page",
                example = "MjAyNi0xMS0yOFQwMjo1OTowMFp8NDI") String next) {
}
