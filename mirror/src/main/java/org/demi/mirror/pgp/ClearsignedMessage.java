package org.demi.mirror.pgp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@code InRelease} file split into the text it signs and its signature, by the rules
 * apt applies before it lets a parser see any byte (apt-pkg/contrib/gpgv.cc,
 * {@code SplitClearSignedFile}) and RFC 4880 section 7:
 * <ul>
 * <li>the file starts with {@code -----BEGIN PGP SIGNED MESSAGE-----}; nothing may precede it;</li>
 * <li>the armor headers that follow are {@code Hash:} lines only, ended by an empty line;</li>
 * <li>signed lines beginning with {@code -} must be dash-escaped ({@code "- "}), which is removed;</li>
 * <li>exactly one {@code BEGIN PGP SIGNATURE} ... {@code END PGP SIGNATURE} block follows,
 * and after it only empty lines: unsigned text or a second signed message is an error.</li>
 * </ul>
 *
 * @param text      the signed text as the Release parser must read it: the message lines,
 *                  unescaped, without the trailing blanks the signature does not cover (as
 *                  apt and {@code gpgv --output} give them), each ended by a newline
 * @param canonical the bytes the signature covers (trailing blanks of each line removed,
 *                  lines joined by CR LF, no final line end), as RFC 4880 section 7.1 says
 * @param signature the armored signature block, markers included
 */
public record ClearsignedMessage(byte[] text, byte[] canonical, byte[] signature) {
    static final String BEGIN_MESSAGE = "-----BEGIN PGP SIGNED MESSAGE-----";
    static final String BEGIN_SIGNATURE = "-----BEGIN PGP SIGNATURE-----";
    static final String END_SIGNATURE = "-----END PGP SIGNATURE-----";

    /** The largest InRelease accepted; Debian's biggest are well under 1 MiB. */
    public static final int MAX_BYTES = 64 << 20;

    /**
     * Splits a clearsigned file.
     *
     * @param source names the file in error messages
     * @throws SignatureException naming the line that breaks the rules
     */
    public static ClearsignedMessage split(byte[] file, String source) {
        if (file.length > MAX_BYTES) {
            throw new SignatureException(source + ": " + file.length + " bytes is larger than the "
                    + MAX_BYTES + " accepted for a clearsigned file");
        }
        List<String> lines = lines(file);
        int i = 0;
        if (lines.isEmpty() || !trimEnd(lines.get(0)).equals(BEGIN_MESSAGE)) {
            throw new SignatureException(source + ": not a clearsigned file: it must start with '"
                    + BEGIN_MESSAGE + "'" + (lines.isEmpty() ? " but is empty" : ""));
        }
        i++;
        boolean sawHash = false;
        for (;; i++) {
            if (i >= lines.size()) {
                throw new SignatureException(source + ": the armor headers are not ended by an empty line");
            }
            String header = trimEnd(lines.get(i));
            if (header.isEmpty()) {
                i++;
                break;
            }
            if (!header.startsWith("Hash: ")) {
                throw new SignatureException(source + " line " + (i + 1) + ": unexpected armor header '"
                        + printable(header) + "' (only 'Hash:' is allowed)");
            }
            sawHash = true;
        }
        ByteArrayOutputStream text = new ByteArrayOutputStream(file.length);
        ByteArrayOutputStream canonical = new ByteArrayOutputStream(file.length);
        boolean first = true;
        for (;; i++) {
            if (i >= lines.size()) {
                throw new SignatureException(source + ": the signed text is not followed by a signature ('"
                        + BEGIN_SIGNATURE + "' missing)");
            }
            String line = lines.get(i);
            if (line.startsWith("-")) {
                if (trimEnd(line).equals(BEGIN_SIGNATURE)) {
                    break;
                }
                if (!line.startsWith("- ")) {
                    throw new SignatureException(source + " line " + (i + 1) + ": line '" + printable(line)
                            + "' starts with '-' but is not dash-escaped");
                }
                line = line.substring(2);
            }
            byte[] bytes = line.getBytes(StandardCharsets.ISO_8859_1);
            int length = trimmedLength(bytes);
            text.write(bytes, 0, length);
            text.write('\n');
            if (!first) {
                canonical.write('\r');
                canonical.write('\n');
            }
            first = false;
            canonical.write(bytes, 0, length);
        }
        int signatureStart = i;
        for (i++;; i++) {
            if (i >= lines.size()) {
                throw new SignatureException(source + ": the signature is not closed ('" + END_SIGNATURE + "' missing)");
            }
            String line = trimEnd(lines.get(i));
            if (line.equals(END_SIGNATURE)) {
                break;
            }
            if (line.startsWith("-----")) {
                throw new SignatureException(source + " line " + (i + 1) + ": unexpected '" + printable(line)
                        + "' inside the signature block");
            }
        }
        int signatureEnd = i;
        for (i++; i < lines.size(); i++) {
            String line = trimEnd(lines.get(i));
            if (line.equals(BEGIN_MESSAGE)) {
                throw new SignatureException(source + " line " + (i + 1) + ": a second signed message follows the first");
            }
            if (!line.isEmpty()) {
                throw new SignatureException(source + " line " + (i + 1) + ": unsigned text after the signature: '"
                        + printable(line) + "'");
            }
        }
        if (!sawHash) {
            // RFC 4880 allows omitting Hash (meaning MD5); apt and Debian always name it.
            throw new SignatureException(source + ": no 'Hash:' armor header");
        }
        StringBuilder sig = new StringBuilder();
        for (int k = signatureStart; k <= signatureEnd; k++) {
            sig.append(lines.get(k)).append('\n');
        }
        return new ClearsignedMessage(text.toByteArray(), canonical.toByteArray(),
                sig.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Lines as Latin-1 strings (byte-preserving), without their LF or CR LF ending. */
    private static List<String> lines(byte[] file) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int k = 0; k < file.length; k++) {
            if (file[k] == '\n') {
                int end = k > start && file[k - 1] == '\r' ? k - 1 : k;
                out.add(new String(file, start, end - start, StandardCharsets.ISO_8859_1));
                start = k + 1;
            }
        }
        if (start < file.length) {
            out.add(new String(file, start, file.length - start, StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    private static String trimEnd(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }

    private static int trimmedLength(byte[] b) {
        int end = b.length;
        while (end > 0 && (b[end - 1] == ' ' || b[end - 1] == '\t' || b[end - 1] == '\r')) {
            end--;
        }
        return end;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < s.length() && k < 60; k++) {
            char c = s.charAt(k);
            b.append(c < 0x20 || c >= 0x7f ? '?' : c);
        }
        return s.length() > 60 ? b + "..." : b.toString();
    }
}
