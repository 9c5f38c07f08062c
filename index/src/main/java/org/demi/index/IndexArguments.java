package org.demi.index;

/** What every {@link FleetIndex} refuses, whichever back end holds it, in one place. */
final class IndexArguments {
    private IndexArguments() {
    }

    static void page(int offset, int limit, int facetValues) {
        if (offset < 0 || limit < 0 || facetValues < 0) {
            throw new IllegalArgumentException("offset, limit and facet values must not be negative");
        }
    }

    static void number(IndexField field) {
        if (field.kind() != IndexField.Kind.NUMBER) {
            throw new IllegalArgumentException(field + " is not a number");
        }
    }

    static void cves(SearchQuery q) {
        if (!q.type().equals("cve")) {
            throw new IllegalArgumentException("CVEs are tallied over the hosts' CVE documents, not over " + q.type());
        }
    }
}
