package org.janussfu.webrtc.ice;

import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidatePair;
import org.ice4j.ice.CandidatePairState;
import org.ice4j.ice.Component;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.util.function.Consumer;

/**
 * An ice4j {@link Agent} that, in the controlled role, follows the controlling peer to the pair it nominated last
 * (RFC 8445 §8.1.1: the controlling agent picks the pair; decision 0016). ice4j selects the first nominated pair and
 * ignores later nominations, and once its processing has terminated it answers checks only on that pair. Chromium,
 * as the controlling side of a publisher's connection, switches to a better pair when one becomes writable after
 * the first and nominates it; against plain ice4j its checks on the new pair then go unanswered, the pair turns
 * unwritable, and its media stops (seen with a loopback and a second host address). Here a nomination of another
 * succeeded pair makes that pair the component's selected one — so ice4j answers on it, keeps it alive and sends on
 * it — and tells the owning {@link IceGeneration}, which moves the media route. Owned by its generation; {@link
 * #nominationConfirmed} runs on whatever thread ice4j handles the check on (its STUN stack's), the callback too.
 * Only an authenticated check (MESSAGE-INTEGRITY with our password) carries a nomination ice4j acts on.
 */
final class NominationFollowingAgent extends Agent {
    /** ice4j's {@code Component.setSelectedPair} is protected; the one reach into its internals, checked at load. */
    private static final MethodHandle SET_SELECTED = setSelected();

    private final Consumer<CandidatePair> onFollowed;

    /** The role is read per nomination: in the controlling role (which may change) it is ice4j's agent unchanged. */
    NominationFollowingAgent(Consumer<CandidatePair> onFollowed) {
        this.onFollowed = onFollowed;
    }

    @Override
    protected void nominationConfirmed(CandidatePair nominated) {
        super.nominationConfirmed(nominated);
        if (isControlling() || nominated.getState() != CandidatePairState.SUCCEEDED) {
            return;
        }
        Component component = nominated.getParentComponent();
        CandidatePair selected = component.getSelectedPair();
        if (selected == null || selected == nominated) {
            return; // the first nomination (ice4j selects it itself), or the peer repeating its choice
        }
        try {
            SET_SELECTED.invokeExact(component, nominated);
        } catch (Throwable t) {
            return; // cannot happen with the handle checked at load; the old pair stays
        }
        onFollowed.accept(nominated);
    }

    private static MethodHandle setSelected() {
        try {
            Method m = Component.class.getDeclaredMethod("setSelectedPair", CandidatePair.class);
            m.setAccessible(true);
            return MethodHandles.lookup().unreflect(m);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError("ice4j's Component.setSelectedPair not reachable: " + e);
        }
    }
}
