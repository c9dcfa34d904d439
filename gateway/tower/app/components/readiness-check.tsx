import type { ReadinessCheck } from '../api/types.ts';
import { words } from '../format.ts';

/** One readiness check: passed or failed in words, its summary, and each failing item. */
export function ReadinessCheckView({ check }: { check: ReadinessCheck }) {
  return (
    <div
      class={`check ${check.passed ? 'check-passed' : 'check-failed'}`}
      data-area={check.area}
      data-passed={check.passed}
    >
      <p>
        <strong>{words(check.area)}</strong>{' '}
        <span class="verdict">{check.passed ? '✓ passed' : '✗ failed'}</span> — {check.summary}
      </p>
      {check.findings.length > 0 && (
        <ul class="findings">
          {check.findings.map((f) => (
            <li>
              <code>{f.code}</code>
              {f.sku ? ` ${f.sku}` : ''}
              {f.locationId ? ` at ${f.locationId}` : ''}: {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
