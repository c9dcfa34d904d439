import type { Shortfall, StockReadiness } from '../api/types.ts';
import { ReadinessCheckView } from './readiness-check.tsx';

const BAR = 160;

/**
 * Stock readiness per location: how many locations are covered and short, and for each short
 * location every SKU's available-to-promise against expected demand as a bar. The API reports
 * shortfalls only, so covered locations are counted, not listed.
 */
export function StockByLocation({ stock }: { stock: StockReadiness }) {
  const byLocation = new Map<string, Shortfall[]>();
  for (const s of stock.shortfalls) {
    byLocation.set(s.locationId, [...(byLocation.get(s.locationId) ?? []), s]);
  }
  return (
    <div class="stock">
      <ReadinessCheckView check={stock.check} />
      <p class="sub">
        {stock.locationsCovered} location{stock.locationsCovered === 1 ? '' : 's'} covered,{' '}
        {stock.locationsShort} short
      </p>
      {[...byLocation.entries()].map(([location, shortfalls]) => (
        <table class="compact" data-location={location}>
          <caption>Short at {location}</caption>
          <thead>
            <tr>
              <th scope="col">SKU</th>
              <th scope="col">Available / expected</th>
              <th scope="col">Short by</th>
            </tr>
          </thead>
          <tbody>
            {shortfalls.map((s) => {
              const available = Number(s.availableToPromise);
              const expected = Number(s.expectedDemand);
              const width = expected > 0 ? Math.max(0, Math.min(1, available / expected)) * BAR : 0;
              return (
                <tr>
                  <th scope="row">{s.sku}</th>
                  <td>
                    <svg
                      class="bar"
                      viewBox={`0 0 ${BAR} 10`}
                      width={BAR}
                      height={10}
                      aria-hidden="true"
                    >
                      <rect class="bar-need" x={0} y={0} width={BAR} height={10} />
                      <rect class="bar-have" x={0} y={0} width={width} height={10} />
                    </svg>{' '}
                    {s.availableToPromise} / {s.expectedDemand}
                  </td>
                  <td>{s.shortBy}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ))}
    </div>
  );
}
