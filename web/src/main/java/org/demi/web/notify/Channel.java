package org.demi.web.notify;

import java.io.IOException;

/** Where a recipient's messages go: mail over SMTP, or a webhook. */
public interface Channel {
    /** Hands the message over, or fails (to be tried again later). */
    void send(Message m) throws IOException;

    /** The destination, for logs and the failure record (no secret in it). */
    String describe();
}
