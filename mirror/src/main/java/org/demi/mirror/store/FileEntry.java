package org.demi.mirror.store;

/** A file of a snapshot: where it lies in the tree, and its verified content. */
public record FileEntry(String path, String sha256, long size) {
    public String line() {
        return sha256 + " " + size + " " + path;
    }

    public static FileEntry parse(String line) {
        String[] p = line.split(" ", 3);
        if (p.length != 3) {
            throw new IllegalArgumentException("bad manifest line '" + line + "'");
        }
        return new FileEntry(p[2], p[0], Long.parseLong(p[1]));
    }
}
