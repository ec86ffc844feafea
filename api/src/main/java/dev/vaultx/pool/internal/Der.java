package dev.vaultx.pool.internal;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Just enough DER (ITU-T X.690) to turn a PKCS#1 RSA or SEC1 EC private key into PKCS#8: read the elements of
 * a SEQUENCE, and write a SEQUENCE, an INTEGER 0, an OCTET STRING, NULL and an OBJECT IDENTIFIER. Stateless.
 */
final class Der {

    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OBJECT_IDENTIFIER = 0x06;
    static final int SEQUENCE = 0x30;
    /** {@code [0]} constructed, context-specific: SEC1's {@code parameters}. */
    static final int CONTEXT_0 = 0xA0;

    /** rsaEncryption, 1.2.840.113549.1.1.1 (RFC 8017), as its DER content octets. */
    static final byte[] RSA_ENCRYPTION = {0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01};
    /** id-ecPublicKey, 1.2.840.10045.2.1 (RFC 5480), as its DER content octets. */
    static final byte[] EC_PUBLIC_KEY = {0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};

    /** One element: its tag and where its content lies in the input. */
    record Element(int tag, byte[] input, int offset, int length) {

        byte[] content() {
            return Arrays.copyOfRange(input, offset, offset + length);
        }

        int end() {
            return offset + length;
        }
    }

    private Der() {
    }

    /**
     * @return the element starting at {@code offset}
     * @throws IllegalArgumentException if the bytes are not DER there
     */
    static Element read(byte[] in, int offset) {
        if (offset + 2 > in.length) {
            throw new IllegalArgumentException("truncated DER");
        }
        int tag = in[offset] & 0xFF;
        int first = in[offset + 1] & 0xFF;
        int pos = offset + 2;
        int length;
        if (first < 0x80) {
            length = first;
        } else {
            int octets = first & 0x7F;
            if (octets == 0 || octets > 4 || pos + octets > in.length) {
                throw new IllegalArgumentException("unsupported DER length");
            }
            length = 0;
            for (int i = 0; i < octets; i++) {
                length = (length << 8) | (in[pos++] & 0xFF);
            }
            if (length < 0) {
                throw new IllegalArgumentException("unsupported DER length");
            }
        }
        if (pos + length > in.length) {
            throw new IllegalArgumentException("truncated DER");
        }
        return new Element(tag, in, pos, length);
    }

    /** @return a TLV of the tag and the contents, concatenated */
    static byte[] write(int tag, byte[]... contents) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] c : contents) {
            body.writeBytes(c);
        }
        byte[] b = body.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + 6);
        out.write(tag);
        if (b.length < 0x80) {
            out.write(b.length);
        } else {
            int octets = b.length < 0x100 ? 1 : b.length < 0x10000 ? 2 : b.length < 0x1000000 ? 3 : 4;
            out.write(0x80 | octets);
            for (int i = octets - 1; i >= 0; i--) {
                out.write(b.length >>> (8 * i));
            }
        }
        out.writeBytes(b);
        Arrays.fill(b, (byte) 0);
        return out.toByteArray();
    }

    /**
     * @param algorithm the OBJECT IDENTIFIER's content octets
     * @param parameters the algorithm's parameters, a whole TLV (NULL for RSA, the curve's OID for EC)
     * @param privateKey the algorithm-specific private key (PKCS#1 RSAPrivateKey, SEC1 ECPrivateKey)
     * @return the PKCS#8 PrivateKeyInfo (RFC 5208): version 0, the algorithm identifier, the key as an OCTET STRING
     */
    static byte[] pkcs8(byte[] algorithm, byte[] parameters, byte[] privateKey) {
        return write(SEQUENCE,
                write(INTEGER, new byte[] {0}),
                write(SEQUENCE, write(OBJECT_IDENTIFIER, algorithm), parameters),
                write(OCTET_STRING, privateKey));
    }
}
