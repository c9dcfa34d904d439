import type { ComponentChildren } from 'preact';
import type { PromotionDetail } from '../api/types.ts';
import { dateTime, money } from '../format.ts';
import type { PromotionDetailView } from '../state/use-promotion-detail.ts';
import { useTower } from '../state/tower-context.ts';
import type { Section } from '../state/use-section.ts';
import { ReadinessCheckView } from './readiness-check.tsx';
import { StockByLocation } from './stock-by-location.tsx';

type Props = { promotion: PromotionDetail; detail: PromotionDetailView };

/** A live check's part of the panel: its scope, its loading and error states, then the view. */
function Live<T>({
  title,
  scope,
  section,
  children,
}: {
  title: string;
  scope: string;
  section: Section<T | null>;
  children: (data: T) => ComponentChildren;
}) {
  return (
    <div class="live-check">
      <h5>{title}</h5>
      {section.data === undefined && !section.loading && !section.error ? (
        <p class="muted">Needs {scope}.</p>
      ) : section.error ? (
        <p class="error" role="alert">
          {section.error}
        </p>
      ) : section.data === undefined ? (
        <p class="loading">Checking…</p>
      ) : section.data === null ? (
        <p class="muted">Not available for this promotion.</p>
      ) : (
        children(section.data)
      )}
    </div>
  );
}

/**
 * Readiness: the report recorded at approval (the gate's verdict, override and reason) and the
 * same three checks run now against the ERP: price per SKU, stock per location, funding.
 */
export function ReadinessPanel({ promotion, detail }: Props) {
  const { permissions } = useTower();
  const report = promotion.approvalReadiness;
  const reload = () => {
    detail.price.reload();
    detail.stock.reload();
    detail.funding.reload();
  };
  return (
    <section aria-labelledby="readiness-heading">
      <h3 id="readiness-heading">Readiness</h3>
      <h4>At approval</h4>
      {report ? (
        <div class="report" data-passed={report.passed}>
          <p>
            Checked {dateTime(report.checkedAt)}: {report.passed ? 'passed' : 'failed'}
            {report.overridden ? `, overridden (${report.overrideReason ?? 'no reason'})` : ''}
          </p>
          {report.checks.map((check) => (
            <ReadinessCheckView check={check} />
          ))}
        </div>
      ) : (
        <p class="muted">No approval has been attempted yet.</p>
      )}
      <h4>
        Now{' '}
        {(permissions.pricing || permissions.inventory || permissions.funding) && (
          <button type="button" class="secondary small" onClick={reload}>
            Check again
          </button>
        )}
      </h4>
      <div class="live-checks">
        <Live title="Price" scope="pricing:read" section={detail.price}>
          {(price) => (
            <>
              <ReadinessCheckView check={price.check} />
              <table class="compact">
                <caption class="visually-hidden">Promotional price per SKU</caption>
                <thead>
                  <tr>
                    <th scope="col">SKU</th>
                    <th scope="col">Regular</th>
                    <th scope="col">Promotional</th>
                    <th scope="col">Margin</th>
                  </tr>
                </thead>
                <tbody>
                  {price.perSku.map((row) => (
                    <tr class={row.breachesFloor ? 'failing' : undefined}>
                      <th scope="row">{row.sku}</th>
                      <td>{money(row.regularPrice)}</td>
                      <td>{money(row.promotionalPrice)}</td>
                      <td>
                        {row.marginAtPromoPercent ? `${row.marginAtPromoPercent}%` : '—'}
                        {row.breachesFloor ? ' (below floor)' : ''}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p class="sub">Expected discount cost {money(price.expectedDiscountCost)}</p>
            </>
          )}
        </Live>
        <Live title="Stock per location" scope="inventory:read" section={detail.stock}>
          {(stock) => <StockByLocation stock={stock} />}
        </Live>
        <Live title="Funding" scope="funding:read" section={detail.funding}>
          {(funding) => (
            <>
              <ReadinessCheckView check={funding.check} />
              <p class="sub">
                Agreement {funding.agreement?.id ?? 'none'}
                {funding.agreement
                  ? ` (${funding.agreement.status}, cap ${money(funding.agreement.cap)})`
                  : ''}
                {' · '}expected vendor cost {money(funding.expectedVendorCost)} · remaining after{' '}
                {money(funding.remainingAfter)}
              </p>
            </>
          )}
        </Live>
      </div>
    </section>
  );
}
