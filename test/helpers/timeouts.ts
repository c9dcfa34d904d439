/**
 * Back-end timeout for tests that talk to the emulator but are not about timeouts: on a loaded
 * 2-core machine a large read can take seconds, and slowness must not read as a failure.
 * Tests of timeout behaviour set their own short timeouts.
 */
export const EMULATOR_TIMEOUT_MS = 10_000;
