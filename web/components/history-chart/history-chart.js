/**
 * The licence count and the licences in use over time, drawn as two SVG step lines (the used
 * one over a filled area) from the usage series, with a legend naming both.
 * Data down: `points` (the usage series, oldest first, or null while loading), `timeZone`,
 * `range` ({ from, to } calendar dates of the filter, either empty) and `endsAt` (a Date to draw
 * the last figures up to, normally now; null ends at the end of the range, else the last point).
 * The time axis spans the filter's days; changes close together (several on one day) are
 * moved apart a few pixels, in their order, so each step stays readable.
 * The SVG is drawn at the element's own width so its text stays readable on a phone.
 */

import {
  formatAxisTime,
  formatDateTime,
  formatNumber,
  nextDay,
  startOfDay,
} from '../../lib/format.js';
import { html, render } from '../../lib/html.js';

const HEIGHT = 240;
const MARGIN = { top: 16, bottom: 30, left: 44 };
/** A history of a few seconds still gets an axis of distinct labels: widened into the past. */
const MIN_SPAN_MS = 10 * 1000;
/** The least distance between the centres of the two end labels. */
const LABEL_GAP = 15;
/** Markers on the lines only while the points are this far apart on average (in pixels). */
const MARKER_SPACING = 24;
/** Points closer than this (in pixels) share one marker: the last one's. */
const MARKER_MERGE = 6;
/** Changes drawn closer than this (in pixels) are moved apart to it, while room allows. */
const MIN_STEP = 8;

const SERIES = [
  { key: 'licenseCount', name: 'licenses', label: 'Licenses' },
  { key: 'used', name: 'used', label: 'Used' },
];

function niceStep(max) {
  for (const base of [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000]) {
    if (max / base <= 4) return base;
  }
  return 10 ** Math.ceil(Math.log10(max / 4));
}

function round(value) {
  return Math.round(value * 10) / 10;
}

function figures(point) {
  return `license count ${formatNumber(point.licenseCount)}, used ${formatNumber(point.used)}`;
}

/** A step line through the points (at `px`), the value of `key` held until the next one, then
 * to `endX`. */
function stepLine(points, px, key, y, endX) {
  let line = `M${px[0]} ${y(points[0][key])}`;
  for (let i = 1; i < points.length; i += 1) {
    if (points[i][key] !== points[i - 1][key]) {
      line += ` H${px[i]} V${y(points[i][key])}`;
    }
  }
  return `${line} H${endX}`;
}

/**
 * The x of each point: by time, but at least MIN_STEP apart in their order when there is room
 * between `left` and `right`, so that changes of one day do not fall on one line.
 */
function spread(xs, left, right) {
  const px = xs.slice();
  if ((px.length - 1) * MIN_STEP > right - left) return px;
  for (let i = 1; i < px.length; i += 1) px[i] = Math.max(px[i], px[i - 1] + MIN_STEP);
  for (let i = px.length - 1; i >= 0; i -= 1) {
    const limit = i === px.length - 1 ? right : px[i + 1] - MIN_STEP;
    px[i] = Math.max(left, Math.min(px[i], limit));
  }
  return px.map(round);
}

export class HistoryChart extends HTMLElement {
  #points = null;
  #timeZone = 'UTC';
  #endsAt = new Date();
  #range = { from: '', to: '' };
  #width = 0;
  #observer = null;

  set points(points) {
    this.#points = points;
    if (this.isConnected) this.#render();
  }

  set timeZone(timeZone) {
    this.#timeZone = timeZone;
  }

  set endsAt(date) {
    this.#endsAt = date;
  }

  /** The filter's calendar dates, `{ from, to }` (either may be empty): the axis spans them. */
  set range(range) {
    this.#range = { from: range?.from || '', to: range?.to || '' };
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
    const points = this.#points;
    if (!points) {
      render(this, html`<div class="chart-state" aria-busy="true">
        <span class="spinner" aria-hidden="true"></span><span class="muted">Loading the chart…</span>
      </div>`);
      return;
    }
    if (points.length === 0) {
      render(this, html`<div class="chart-state"><span class="muted">No changes in this period.</span></div>`);
      return;
    }
    if (!this.#width) return;
    render(
      this,
      html`<ul class="chart-legend">
        ${SERIES.map(
          (series) => html`<li><span class="chart-key chart-key-${series.name}" aria-hidden="true"></span>${series.label}</li>`,
        )}
      </ul>
      ${this.#chart(points)}`,
    );
  }

  #chart(rawPoints) {
    const width = this.#width;
    const points = rawPoints
      .map((point) => ({ ...point, at: Date.parse(point.occurredAt) }))
      .sort((a, b) => a.at - b.at);
    const first = points[0];
    const last = points[points.length - 1];
    const { from, to } = this.#range;
    // The axis begins with the filter's first day, or else with the first change.
    let start = from ? Math.min(startOfDay(from, this.#timeZone), first.at) : first.at;
    // Up to now with the latest figures (a clock a little behind the server's still means now);
    // a range that ended before today, to the end of its last day.
    const drawnToNow = Boolean(this.#endsAt);
    const rangeEnd = to ? startOfDay(nextDay(to), this.#timeZone) - 1 : last.at;
    const end = drawnToNow
      ? Math.max(this.#endsAt.getTime(), last.at)
      : Math.max(rangeEnd, last.at);
    if (end - start < MIN_SPAN_MS) start = end - MIN_SPAN_MS;
    const span = end - start;

    const highest = Math.max(1, ...points.map((point) => Math.max(point.licenseCount, point.used)));
    const step = niceStep(highest);
    const top = Math.max(step, Math.ceil(highest / step) * step);

    // Room at the right for the end labels, as wide as the longer of them.
    const labelChars = Math.max(
      formatNumber(last.licenseCount).length,
      formatNumber(last.used).length,
    );
    const right = 16 + labelChars * 8;
    const plotW = width - MARGIN.left - right;
    const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
    const x = (time) => round(MARGIN.left + ((time - start) / span) * plotW);
    const y = (count) => round(MARGIN.top + plotH - (count / top) * plotH);
    const bottom = MARGIN.top + plotH;

    const px = spread(
      points.map((point) => x(point.at)),
      MARGIN.left,
      x(end),
    );
    const lines = {
      licenses: stepLine(points, px, 'licenseCount', y, x(end)),
      used: stepLine(points, px, 'used', y, x(end)),
    };
    const usedArea = `${lines.used} V${bottom} H${px[0]} Z`;

    const yTicks = [];
    for (let value = 0; value <= top; value += step) yTicks.push(value);
    const xTickCount = width < 480 ? 2 : 4;
    const xTicks = Array.from({ length: xTickCount }, (_, i) => start + (span * i) / (xTickCount - 1));
    const xLabels = xTicks.map((time) => formatAxisTime(new Date(time), this.#timeZone, span));

    // The two end labels stay apart when the figures are close (licenses above, used below).
    let countY = y(last.licenseCount);
    let usedY = y(last.used);
    if (usedY - countY < LABEL_GAP) {
      const middle = (countY + usedY) / 2;
      countY = round(middle - LABEL_GAP / 2);
      usedY = round(middle + LABEL_GAP / 2);
      if (usedY > bottom) {
        usedY = bottom;
        countY = bottom - LABEL_GAP;
      }
    }

    const when = (point) => formatDateTime(point.occurredAt, this.#timeZone);
    const endText = drawnToNow
      ? `now (${formatDateTime(new Date(end).toISOString(), this.#timeZone)})`
      : `on ${when(last)}`;
    const changes = points.length - 1;
    const summary = `License count ${formatNumber(last.licenseCount)}, used ${formatNumber(last.used)} ${endText}.`;
    const since =
      changes === 0
        ? ''
        : ` On ${when(first)}: ${figures(first)}; ${formatNumber(changes)} ` +
          `${changes === 1 ? 'change' : 'changes'} since, with at most ` +
          `${formatNumber(Math.max(...points.map((point) => point.licenseCount)))} licenses and ` +
          `${formatNumber(Math.max(...points.map((point) => point.used)))} used.`;

    const showMarkers = points.length * MARKER_SPACING <= plotW;
    // A marker where a line changes; changes close together get one, at the value they end with.
    const markers = (key, name) => {
      const shown = [];
      let value = null;
      points.forEach((point, i) => {
        const next = points[i + 1];
        if (next && px[i + 1] - px[i] < MARKER_MERGE) return;
        if (point[key] === value) return;
        value = point[key];
        shown.push(html`<circle class="chart-marker-${name}" cx="${px[i]}"
          cy="${y(value)}" r="3.5"><title>${when(point)}: ${figures(point)}</title></circle>`);
      });
      return shown;
    };

    return html`<svg class="chart" width="${width}" height="${HEIGHT}"
      viewBox="0 0 ${width} ${HEIGHT}" role="img" aria-labelledby="chart-title"
      data-axis-start="${new Date(start).toISOString()}" data-axis-end="${new Date(end).toISOString()}"
      aria-describedby="chart-desc">
      <title id="chart-title">License count and licenses used over time</title>
      <desc id="chart-desc">${summary}${since}</desc>
      <g class="chart-grid">
        ${yTicks.map(
          (value) => html`<line x1="${MARGIN.left}" x2="${width - right}"
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
      <path class="chart-area-used" d="${usedArea}"></path>
      <path class="chart-line chart-line-used" data-series="used" data-first="${first.used}"
        data-last="${last.used}" d="${lines.used}"></path>
      <path class="chart-line chart-line-licenses" data-series="licenses"
        data-first="${first.licenseCount}" data-last="${last.licenseCount}"
        d="${lines.licenses}"></path>
      ${showMarkers &&
      html`<g class="chart-points">
        ${markers('used', 'used')}${markers('licenseCount', 'licenses')}
      </g>`}
      <text class="chart-end chart-end-licenses" x="${x(end) + 8}" y="${countY}"
        dy="0.32em">${formatNumber(last.licenseCount)}</text>
      <text class="chart-end chart-end-used" x="${x(end) + 8}" y="${usedY}"
        dy="0.32em">${formatNumber(last.used)}</text>
    </svg>`;
  }
}

export function registerHistoryChart() {
  customElements.define('history-chart', HistoryChart);
}
