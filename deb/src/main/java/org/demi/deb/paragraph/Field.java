package org.demi.deb.paragraph;

/**
 * One field of a paragraph: its name as written, its value (see {@link Paragraph#value(int)})
 * and the line it starts on.
 */
public record Field(String name, String value, long line) {
}
