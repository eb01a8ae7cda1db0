package org.janussfu.webrtc.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The DTLS role from the local a=setup (RFC 5763 §5): active is the client, passive the server, nothing else. */
class DtlsRoleTest {

    @Test
    void setupRoles() {
        assertEquals(DtlsRole.CLIENT, DtlsRole.fromLocalSetup("active"));
        assertEquals(DtlsRole.SERVER, DtlsRole.fromLocalSetup("passive"));
        assertThrows(IllegalArgumentException.class, () -> DtlsRole.fromLocalSetup("actpass"));
    }
}
