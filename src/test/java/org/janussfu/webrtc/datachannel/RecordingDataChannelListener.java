package org.janussfu.webrtc.datachannel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link DataChannelListener} that records what it is told, for assertions. Called on the owner's context; the
 * tests read it after draining the wire (fake) or after the owner's executor has run (usrsctp).
 */
final class RecordingDataChannelListener implements DataChannelListener {

    /** One received message. */
    record Message(DataChannel channel, boolean binary, byte[] data) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    final List<DataChannel> opened = new ArrayList<>();
    final List<DataChannel> closed = new ArrayList<>();
    final List<Message> messages = new ArrayList<>();
    final List<String> associationClosed = new ArrayList<>();
    int established;

    @Override
    public void onChannelOpen(DataChannel channel) {
        opened.add(channel);
    }

    @Override
    public void onMessage(DataChannel channel, boolean binary, byte[] data, int off, int len) {
        messages.add(new Message(channel, binary, Arrays.copyOfRange(data, off, off + len)));
    }

    @Override
    public void onChannelClosed(DataChannel channel) {
        closed.add(channel);
    }

    @Override
    public void onEstablished() {
        established++;
    }

    @Override
    public void onAssociationClosed(String reason) {
        associationClosed.add(reason);
    }

    DataChannel remoteOpened(String label) {
        for (DataChannel c : opened) {
            if (!c.locallyOpened() && c.label().equals(label)) {
                return c;
            }
        }
        return null;
    }
}
