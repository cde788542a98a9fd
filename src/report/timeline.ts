import { QuotaFacts, ShutdownTimeline } from '../audit/explain';
import { esc } from './html-escape';

const WIDTH = 560;
const LABEL = 150;
const LANE = 26;

/**
 * The shutdown drawn to scale, one lane per running container (native sidecars on their own
 * lanes): preStop, SIGTERM, drain, SIGKILL at the grace period. Every mark is also text.
 */
export function timelineSvg(timeline: ShutdownTimeline, summary: string, id: string): string {
  const grace = Math.max(timeline.gracePeriodSeconds, 1);
  const scale = (WIDTH - LABEL - 20) / grace;
  const x = (t: number) => LABEL + Math.min(Math.max(t, 0), grace) * scale;
  const rows: string[] = [];
  const marks = new Set<number>([0, grace]);
  timeline.lanes.forEach((lane, i) => {
    const y = 8 + i * LANE;
    rows.push(`<text x="0" y="${y + 15}" class="lane-label">${esc(lane.container)} (${lane.role === 'sidecar' ? 'native sidecar' : 'app'})</text>`);
    if (lane.role === 'app') {
      const pre = lane.sigtermAt ?? 0;
      marks.add(pre);
      if (pre > 0) rows.push(bar(x(0), y, x(pre) - x(0), 'prestop', `preStop ${lane.preStop ?? ''} ${pre}s, then SIGTERM`));
      else if (lane.preStop) rows.push(`<text x="${x(0) + 2}" y="${y + 15}" class="bar-text">preStop ${esc(lane.preStop)} (length unknown)</text>`);
      rows.push(bar(x(pre), y, x(grace) - x(pre), 'drain', `SIGTERM → drain ≤${grace - pre}s`));
    } else {
      const pre = lane.preStopSeconds ?? 0;
      rows.push(bar(x(0), y, x(grace - pre) - x(0), 'running', 'serves until the app exits, then SIGTERM'));
      if (pre > 0) rows.push(bar(x(grace - pre), y, x(grace) - x(grace - pre), 'prestop', `preStop ${pre}s`));
    }
  });
  const axisY = 8 + timeline.lanes.length * LANE + 4;
  let lastX = -Infinity;
  let row = 0;
  let rowsUsed = 0;
  for (const t of [...marks].sort((a, b) => a - b)) {
    const what = t === 0 ? 'deleted' : t === grace ? 'SIGKILL' : 'SIGTERM';
    // Ticks too close to the previous one go on the next row, so labels never overlap.
    row = x(t) - lastX < 90 ? row + 1 : 0;
    lastX = x(t);
    rowsUsed = Math.max(rowsUsed, row);
    rows.push(`<line x1="${x(t)}" y1="4" x2="${x(t)}" y2="${axisY + row * 13}" class="${what === 'SIGKILL' ? 'kill' : 'mark'}"/>`);
    rows.push(`<text x="${x(t)}" y="${axisY + 11 + row * 13}" class="tick" text-anchor="${t === grace ? 'end' : 'start'}">t=${t}s ${what}</text>`);
  }
  const legendY = axisY + 30 + rowsUsed * 13;
  const legend = [['prestop', 'preStop'], ['drain', 'SIGTERM, draining'], ...(timeline.lanes.some(l => l.role === 'sidecar') ? [['running', 'sidecar serving']] : [])];
  legend.forEach(([cls, text], i) => rows.push(`<rect x="${LABEL + i * 130}" y="${legendY - 9}" width="14" height="10" class="${cls}"/><text x="${LABEL + i * 130 + 18}" y="${legendY}" class="tick">${text}</text>`));
  const height = legendY + 6;
  return `<svg class="timeline" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-labelledby="${id}-t ${id}-d"><title id="${id}-t">Shutdown timeline, to scale (${grace}s grace period)</title><desc id="${id}-d">${esc(summary)}</desc>${rows.join('')}</svg>`;
}

/** A segment of a lane; its text only where it fits (the legend and the caption say the rest). */
function bar(x: number, y: number, w: number, cls: string, text: string): string {
  const label = w > text.length * 6 + 8 ? `<text x="${(x + 4).toFixed(1)}" y="${y + 14}" class="bar-text">${esc(text)}</text>` : '';
  return `<rect x="${x.toFixed(1)}" y="${y}" width="${Math.max(w, 0).toFixed(1)}" height="${LANE - 6}" class="${cls}"><title>${esc(text)}</title></rect>${label}`;
}

/** A number of cores, bytes or Pods as people write it. */
export function quantity(key: string, n: number): string {
  if (key.endsWith('cpu')) return n >= 1 && Number.isInteger(n) ? `${n} cores` : `${Math.round(n * 1000)}m cpu`;
  if (key.endsWith('memory')) return n >= 2 ** 30 ? `${+(n / 2 ** 30).toFixed(2)}Gi` : `${Math.round(n / 2 ** 20)}Mi`;
  return `${n} Pods`;
}

/**
 * Rollout peaks against a quota key: the namespace's peak bar, this workload's share inside it,
 * the quota as the full width. Over the quota only while old Pods are still terminating is a
 * slowed rollout (SW-NS-005); over it without them, a refused one (SW-NS-002).
 */
export function quotaBar(q: QuotaFacts): string {
  const max = Math.max(q.hard, q.namespace, 1e-12);
  const pct = (n: number) => `${Math.min(100, (n / max) * 100).toFixed(1)}%`;
  const over = q.namespaceWithoutOverlap > q.hard * (1 + 1e-9);
  const slowed = !over && q.namespace > q.hard * (1 + 1e-9);
  const verdict = over ? ' — <strong>exceeds the quota</strong>' : slowed ? ` — <strong>fits only once old Pods finish terminating</strong> (${esc(quantity(q.key, q.namespaceWithoutOverlap))} without them): rollouts are slowed` : '';
  return `<div class="quota${over ? ' over' : slowed ? ' slowed' : ''}"><div class="quota-text">${esc(q.key)} (${esc(q.quota)}): this workload's peak ${esc(quantity(q.key, q.workload))}, the namespace's ${esc(quantity(q.key, q.namespace))} of ${esc(quantity(q.key, q.hard))}${verdict}</div>`
    + `<div class="quota-track" aria-hidden="true"><div class="quota-ns" style="width:${pct(q.namespace)}"></div><div class="quota-own" style="width:${pct(q.workload)}"></div></div></div>`;
}
