package io.github.klaviyosync.gateway.changes.api;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of the feed. */
@Schema(name = "ChangePage")
public record ChangePageView(
        List<ChangeView> data,
        @Schema(description = "Opaque cursor to pass as `after` next; always given, also on an empty page",
                example = "YzE6NzQyOjA") String next) {
}
