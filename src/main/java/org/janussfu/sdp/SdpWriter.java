package org.janussfu.sdp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes a {@link SessionDescription} as SDP text with CRLF line ends (RFC 8866 §5: "lines ... separated by CRLF").
 * Order per RFC 8866 §5: {@code v= o= s= i= u= e= p= c= b= t= r= z= k= a=} at session level, then each media
 * section as {@code m= i= c= b= k= a=}. Fields of the same type keep their stored order (the sort is stable, and
 * {@code r=} stays behind its {@code t=}); attributes are written exactly in stored order. A description without
 * {@code t=} gets {@code t=0 0}, which RFC 8866 §5.9 requires and JSEP (RFC 8829 §5.2.1) uses. Text read by
 * {@link SdpParser} from a well-ordered SDP is written back line for line. Stateless; any thread.
 */
public final class SdpWriter {
    private static final String CRLF = "\r\n";

    private SdpWriter() {
    }

    public static String write(SessionDescription sd) {
        StringBuilder sb = new StringBuilder(2048);
        sb.append("v=0").append(CRLF);
        sb.append("o=").append(sd.origin()).append(CRLF);
        sb.append("s=").append(sd.sessionName()).append(CRLF);
        List<SdpField> fields = new ArrayList<>(sd.fields());
        boolean hasTiming = fields.stream().anyMatch(f -> f.type() == 't');
        if (!hasTiming) {
            fields.add(new SdpField('t', "0 0"));
        }
        fields.sort(Comparator.comparingInt(SdpField::sessionRank));
        for (SdpField f : fields) {
            sb.append(f).append(CRLF);
        }
        for (Attribute a : sd.attributes()) {
            sb.append(a).append(CRLF);
        }
        for (MediaDescription m : sd.media()) {
            writeMedia(sb, m);
        }
        return sb.toString();
    }

    static void writeMedia(StringBuilder sb, MediaDescription m) {
        sb.append("m=").append(m.media()).append(' ').append(m.port());
        if (m.portCount() > 0) {
            sb.append('/').append(m.portCount());
        }
        sb.append(' ').append(m.proto());
        for (String f : m.formats()) {
            sb.append(' ').append(f);
        }
        sb.append(CRLF);
        List<SdpField> fields = new ArrayList<>(m.fields());
        fields.sort(Comparator.comparingInt(SdpField::mediaRank));
        for (SdpField f : fields) {
            sb.append(f).append(CRLF);
        }
        for (Attribute a : m.attributes()) {
            sb.append(a).append(CRLF);
        }
    }
}
