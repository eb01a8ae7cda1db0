package org.janussfu.sfu;

/**
 * What the plugin must do after {@link Switchboard#block} or {@link Switchboard#unblock} (sfu-protocol.md §1.5,
 * §1.6, §2, fork targeting): send {@code {"event":"blocked"|"unblocked","by":by}} to {@code eventRecipient} if not null,
 * and for unblock send a video FIR to {@code firTarget} if not null. Immutable; plugin context.
 *
 * @param by the caller's user ID
 * @param eventRecipient the target user's current publisher handle if it has notifications on, else null
 * @param firTarget unblock only: the target user's current publisher handle, else null
 */
public record BlockResult(String by, Participant eventRecipient, Participant firTarget) {
}
