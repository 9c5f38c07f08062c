package org.demi.web.ui;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code /static/demi.css}: the one style sheet, open to all (the log-in page needs it). */
final class StyleSheet extends Handler.Abstract {
    private final byte[] css;

    StyleSheet() throws IOException {
        try (InputStream in = StyleSheet.class.getResourceAsStream("demi.css")) {
            this.css = in.readAllBytes();
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/css; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "max-age=3600");
        response.write(true, ByteBuffer.wrap(css), callback);
        return true;
    }
}
