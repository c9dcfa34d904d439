import type { AuditEntry } from '../api/types.ts';
import { channelLabel, dateTime, stateLabel, words } from '../format.ts';
import type { Section } from '../state/use-section.ts';

/** The audit trail, oldest first: who did what, from which state to which, and why. */
export function AuditTrail({ audit, allowed }: { audit: Section<AuditEntry[]>; allowed: boolean }) {
  return (
    <section aria-labelledby="audit-heading">
      <h3 id="audit-heading">Audit trail</h3>
      {!allowed ? (
        <p class="muted">Needs promotion:audit.</p>
      ) : audit.error ? (
        <p class="error" role="alert">
          {audit.error}
        </p>
      ) : !audit.data ? (
        <p class="loading">Loading…</p>
      ) : (
        <table class="compact audit">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Change</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {audit.data.map((entry) => (
              <tr>
                <td class="nowrap">{dateTime(entry.at)}</td>
                <td>
                  {entry.actor.subject} <span class="sub">{words(entry.actor.kind)}</span>
                </td>
                <td>
                  {entry.action}
                  {entry.channel ? ` (${channelLabel(entry.channel)})` : ''}
                </td>
                <td>
                  {entry.fromState || entry.toState
                    ? `${entry.fromState ? stateLabel(entry.fromState) : '—'} → ${entry.toState ? stateLabel(entry.toState) : '—'}`
                    : ''}{' '}
                  <span class="sub">v{entry.version}</span>
                </td>
                <td>{entry.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
