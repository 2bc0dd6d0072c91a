package io.cutover.helper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The remote helper this controller was built with (cutover-helper, which remote-helper/build.sh makes from
 * remote-helper/src/ at generate-resources, packed into the jar): its bytes, version and SHA-256, which decide
 * whether a host needs a fresh copy.
 */
public record HelperScript(byte[] content, String version, String sha256) {

    private static final String RESOURCE = "/io/cutover/helper/cutover-helper";
    private static final Pattern VERSION = Pattern.compile("(?m)^VERSION=([0-9A-Za-z.+-]+)$");

    public static HelperScript bundled() {
        try (InputStream in = HelperScript.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the jar holds no remote helper (" + RESOURCE + "); rebuild with mvn package");
            }
            return of(in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the bundled remote helper", e);
        }
    }

    public static HelperScript of(byte[] content) {
        Matcher m = VERSION.matcher(new String(content, StandardCharsets.UTF_8));
        String version = m.find() ? m.group(1) : "unknown";
        return new HelperScript(content.clone(), version, sha256(content));
    }

    /** The SHA-256 the helper checks content against (a script's, a file's that file-install writes). */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
