package org.demi.web.ui;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.demi.web.sbom.SbomFormat;
import org.demi.web.sbom.Sboms;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code /hosts/HOST/sbom} (and under {@code /api/v1}): the host's bill of materials as a
 * download, CycloneDX JSON, or SPDX JSON with {@code ?format=spdx}.
 */
final class SbomHandler extends Handler.Abstract {
    private final Sboms.Source sboms;
    private final Answer answer;

    SbomHandler(Sboms.Source sboms, Answer answer) {
        this.sboms = sboms;
        this.answer = answer;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        View view = SessionGate.view(request);
        String path = PageHandler.route(Request.getPathInContext(request));
        String host = java.net.URLDecoder.decode(path.substring("/hosts/".length(), path.length() - "/sbom".length()), StandardCharsets.UTF_8);
        String asked = Optional.ofNullable(Request.extractQueryParameters(request).getValue("format")).orElse("cyclonedx");
        SbomFormat format;
        try {
            format = SbomFormat.of(asked);
        } catch (org.demi.deb.BadInputException e) {
            answer.error(response, callback, view, HttpStatus.BAD_REQUEST_400, "Bad request", e.getMessage());
            return true;
        }
        Optional<String> json = SessionGate.form(request) == null ? sboms.of(host, format) : Optional.empty();
        if (json.isEmpty()) {
            answer.notFound(request, response, callback, view);
            return true;
        }
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, format.mediaType());
        response.getHeaders().put(HttpHeader.CONTENT_DISPOSITION, "attachment; filename=\""
                + format.fileName(host.replaceAll("[^A-Za-z0-9._-]", "_")) + "\"");
        response.write(true, ByteBuffer.wrap(json.get().getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }
}
