/**
 * The licence count over time, drawn as an SVG step line from the history rows.
 * Data down: `changes` (newest first, or null while loading), `timeZone`, and `endsAt`
 * (a Date to draw the last count up to, normally now; null ends at the last change).
 * The SVG is drawn at the element's own width so its text stays readable on a phone.
 */

import { formatAxisTime, formatDateTime, formatNumber, REASON_LABELS } from '../../lib/format.js';
import { html, render } from '../../lib/html.js';

const HEIGHT = 240;
const MARGIN = { top: 16, right: 36, bottom: 30, left: 44 };
const MIN_SPAN_MS = 60 * 1000;

function niceStep(max) {
  for (const base of [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000]) {
    if (max / base <= 4) return base;
  }
  return 10 ** Math.ceil(Math.log10(max / 4));
}

function round(value) {
  return Math.round(value * 10) / 10;
}

export class HistoryChart extends HTMLElement {
  #changes = null;
  #timeZone = 'UTC';
  #endsAt = new Date();
  #width = 0;
  #observer = null;

  set changes(changes) {
    this.#changes = changes;
    if (this.isConnected) this.#render();
  }

  set timeZone(timeZone) {
    this.#timeZone = timeZone;
  }

  set endsAt(date) {
    this.#endsAt = date;
  }

  connectedCallback() {
    this.#observer = new ResizeObserver(() => {
      const width = Math.floor(this.clientWidth);
      if (width && width !== this.#width) {
        this.#width = width;
        this.#render();
      }
    });
    this.#observer.observe(this);
    this.#render();
  }

  disconnectedCallback() {
    this.#observer?.disconnect();
  }

  #render() {
    const changes = this.#changes;
    if (!changes) {
      render(this, html`<div class="chart-state" aria-busy="true">
        <span class="spinner" aria-hidden="true"></span><span class="muted">Loading the chart…</span>
      </div>`);
      return;
    }
    if (changes.length === 0) {
      render(this, html`<div class="chart-state"><span class="muted">No changes in this period.</span></div>`);
      return;
    }
    if (!this.#width) return;
    render(this, this.#chart(changes));
  }

  #chart(changes) {
    const width = this.#width;
    const events = [...changes].sort(
      (a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || Number(a.id) - Number(b.id),
    );
    const first = events[0];
    const last = events[events.length - 1];
    let start = Date.parse(first.occurredAt);
    const lastAt = Date.parse(last.occurredAt);
    let end = this.#endsAt ? Math.max(this.#endsAt.getTime(), lastAt) : lastAt;
    // A history of a few seconds still gets a readable time axis: widen it into the past.
    if (end - start < MIN_SPAN_MS) start = end - MIN_SPAN_MS;
    const span = end - start;

    const counts = events.flatMap((change) => [change.fromCount, change.toCount]);
    const step = niceStep(Math.max(1, ...counts));
    const top = Math.max(step, Math.ceil(Math.max(1, ...counts) / step) * step);

    const plotW = width - MARGIN.left - MARGIN.right;
    const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
    const x = (time) => round(MARGIN.left + ((time - start) / span) * plotW);
    const y = (count) => round(MARGIN.top + plotH - (count / top) * plotH);
    const bottom = MARGIN.top + plotH;

    let line = `M${x(start)} ${y(first.fromCount)}`;
    for (const change of events) {
      line += ` H${x(Date.parse(change.occurredAt))} V${y(change.toCount)}`;
    }
    line += ` H${x(end)}`;
    const area = `${line} V${bottom} H${x(start)} Z`;

    const yTicks = [];
    for (let value = 0; value <= top; value += step) yTicks.push(value);
    const xTickCount = width < 480 ? 2 : 4;
    const xTicks = Array.from({ length: xTickCount }, (_, i) => start + (span * i) / (xTickCount - 1));
    const xLabels = xTicks.map((time) => formatAxisTime(new Date(time), this.#timeZone, span));

    const description =
      `From ${formatNumber(first.fromCount)} on ${formatDateTime(first.occurredAt, this.#timeZone)} ` +
      `to ${formatNumber(last.toCount)}, in ${formatNumber(events.length)} ` +
      `${events.length === 1 ? 'change' : 'changes'}.`;

    return html`<svg class="chart" width="${width}" height="${HEIGHT}"
      viewBox="0 0 ${width} ${HEIGHT}" role="img" aria-labelledby="chart-title chart-desc">
      <title id="chart-title">Number of licenses over time</title>
      <desc id="chart-desc">${description}</desc>
      <g class="chart-grid">
        ${yTicks.map(
          (value) => html`<line x1="${MARGIN.left}" x2="${width - MARGIN.right}"
            y1="${y(value)}" y2="${y(value)}"></line>
          <text class="chart-y-label" x="${MARGIN.left - 10}" y="${y(value)}" dy="0.32em"
            text-anchor="end">${formatNumber(value)}</text>`,
        )}
      </g>
      <g class="chart-x-axis">
        ${xTicks.map((time, i) => {
          if (i > 0 && xLabels[i] === xLabels[i - 1]) return '';
          const anchor = i === 0 ? 'start' : i === xTicks.length - 1 ? 'end' : 'middle';
          return html`<text x="${x(time)}" y="${HEIGHT - 8}" text-anchor="${anchor}">${xLabels[i]}</text>`;
        })}
      </g>
      <path class="chart-area" d="${area}"></path>
      <path class="chart-line" d="${line}"></path>
      <g class="chart-points">
        ${events.map(
          (change) => html`<circle cx="${x(Date.parse(change.occurredAt))}" cy="${y(change.toCount)}"
            r="3.5"><title>${formatDateTime(change.occurredAt, this.#timeZone)}: ${formatNumber(change.fromCount)} → ${formatNumber(change.toCount)} (${REASON_LABELS[change.reason] ?? change.reason})</title></circle>`,
        )}
      </g>
      <text class="chart-now" x="${x(end) + 8}" y="${y(last.toCount)}" dy="0.32em">${formatNumber(last.toCount)}</text>
    </svg>`;
  }
}

export function registerHistoryChart() {
  customElements.define('history-chart', HistoryChart);
}
