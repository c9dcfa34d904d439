import type { AuditEntry, PromotionDetail, PromotionEvent } from '../api/types.ts';
import { channelLabel, duration, timeOfDay, words } from '../format.ts';
import { positions, timelinePoints } from './timeline-points.ts';

type Props = {
  promotion: PromotionDetail;
  audit: AuditEntry[] | undefined;
  events: PromotionEvent[];
};

const WIDTH = 760;
const LABEL_WIDTH = 120;
const LANE = 46;
const TOP = 12;

/**
 * The promotion's propagation as an SVG: one lane for its state, one per channel, a dot for
 * every step with its name; spacing grows with the log of the time between steps (the axis
 * shows the real times). Text in the SVG and in each dot's title, so it reads without colour.
 */
export function PropagationTimeline({ promotion, audit, events }: Props) {
  const points = timelinePoints(promotion, audit, events);
  const lanes = ['PROMOTION', ...promotion.eligibility.channels];
  const x = positions(
    points.map((p) => p.at),
    LABEL_WIDTH + 16,
    WIDTH - 70,
  );
  const height = TOP + lanes.length * LANE + 30;
  const first = points[0]?.at;
  let lastLabelX = -Infinity;
  const ticks = [...x.entries()].filter(([, px]) => {
    if (px - lastLabelX < 70) return false;
    lastLabelX = px;
    return true;
  });
  return (
    <section aria-labelledby="timeline-heading">
      <h3 id="timeline-heading">Propagation timeline</h3>
      {points.length === 0 ? (
        <p class="empty">Nothing has happened to this promotion yet.</p>
      ) : (
        <svg
          class="timeline"
          viewBox={`0 0 ${WIDTH} ${height}`}
          role="img"
          aria-label={`Timeline of ${points.length} steps over ${lanes.length} lanes`}
        >
          {lanes.map((lane, i) => {
            const y = TOP + i * LANE + LANE / 2;
            const inLane = points.filter((p) => p.lane === lane);
            return (
              <g class="lane" data-lane={lane}>
                <text x={0} y={y + 4} class="lane-label">
                  {lane === 'PROMOTION' ? 'Promotion' : channelLabel(lane as never)}
                </text>
                <line x1={LABEL_WIDTH} x2={WIDTH - 10} y1={y} y2={y} class="lane-line" />
                {inLane.map((point, j) => {
                  const px = x.get(point.at)!;
                  const above = j % 2 === 0;
                  return (
                    <g class={`point tone-${point.tone}`}>
                      <circle cx={px} cy={y} r={6}>
                        <title>
                          {`${words(point.label)} at ${new Date(point.at).toISOString()}`}
                        </title>
                      </circle>
                      <text
                        x={px}
                        y={above ? y - 9 : y + 17}
                        class="point-label"
                        text-anchor="middle"
                      >
                        {words(point.short)}
                      </text>
                    </g>
                  );
                })}
              </g>
            );
          })}
          {ticks.map(([time, px]) => (
            <text x={px} y={height - 6} class="tick" text-anchor="middle">
              {time === first
                ? timeOfDay(new Date(time).toISOString())
                : `+${duration(time - first!)}`}
            </text>
          ))}
        </svg>
      )}
      <p class="note legend">
        Dots: grey drafted, amber under way, blue approved, green acknowledged or active, red failed
        or rejected, purple a suspension's delivery. Hover a dot for its exact time.
      </p>
    </section>
  );
}
