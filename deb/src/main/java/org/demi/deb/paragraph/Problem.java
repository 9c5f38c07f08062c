package org.demi.deb.paragraph;

/** Something wrong with the input that does not stop the reading, such as invalid UTF-8. */
public record Problem(String source, long line, String message) {
    @Override
    public String toString() {
        return source + ":" + line + ": " + message;
    }
}
