/**
 * PLACEHOLDER, wired to nothing: the exceptions queue (held activations, dead letters, failed
 * readiness, overdue deliveries; oldest and most valuable first, each with its action) needs the
 * exceptions API of the publication issue, which does not exist yet. No data is shown or faked.
 */
export function ExceptionsQueue() {
  return (
    <section
      class="exceptions placeholder"
      aria-labelledby="exceptions-heading"
      data-placeholder="exceptions-queue"
    >
      <h2 id="exceptions-heading">Exceptions queue</h2>
      <p>
        Not available yet: held activations, dead letters, failed readiness and overdue deliveries
        will be listed here once the API exposes exceptions. Until then, failing deliveries show in
        each promotion's channels and in the matrix.
      </p>
    </section>
  );
}
