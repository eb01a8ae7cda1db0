package org.janussfu.webrtc.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DtlsRoleTest {

    @Test
    void setupRoles() {
        assertEquals(DtlsRole.CLIENT, DtlsRole.fromLocalSetup("active"));
        assertEquals(DtlsRole.SERVER, DtlsRole.fromLocalSetup("passive"));
        assertThrows(IllegalArgumentException.class, () -> DtlsRole.fromLocalSetup("actpass"));
    }
}
