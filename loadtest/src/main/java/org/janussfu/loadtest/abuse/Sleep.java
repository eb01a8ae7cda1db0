package org.janussfu.loadtest.abuse;

/** {@link Thread#sleep} without the checked exception (an interrupt ends the sleep and is kept). Any thread. */
final class Sleep {
    private Sleep() {
    }

    static void ms(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
