package org.janussfu.core;

import org.janussfu.webrtc.PacketTap;

/**
 * A packet capture of one handle (the Admin API's {@code start_pcap} / {@code start_text2pcap}): it sees every RTP
 * and RTCP packet of the handle's PeerConnection in the clear, on the media context, as a {@link PacketTap} (so it
 * must copy without blocking or allocating). The core keeps at most one per handle, on the session context, and
 * {@link #stop stops} it when the handle hangs up or goes away; the Admin API stops it on {@code stop_pcap}.
 */
public interface Capture extends PacketTap {
    /** True for text2pcap's text format, false for a pcap file. */
    boolean text();

    /** The file written, as reported in {@code handle_info} ({@code pcap-file} / {@code text2pcap-file}). */
    String file();

    /** Packets written so far, and packets dropped (the writer fell behind, or the file reached its size cap). */
    long written();

    long dropped();

    /** Stops accepting packets and lets the writer flush and close the file; idempotent, any thread. */
    void stop(String reason);
}
