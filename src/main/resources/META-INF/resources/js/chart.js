// Members added per interval as an inline SVG bar chart (poll solid, webhook striped), with the same
// numbers as text: a summary in the caption and a table under "Show the numbers".

import { byId, clock, newRow, setText, span, syncRows } from './dom.js';

const MIN_WIDTH = 280;
const HEIGHT = 170;
const PAD = { top: 16, right: 6, bottom: 22, left: 44 };
// A bar this many times the next tallest (a backfill) is cut, so the others stay readable.
const BURST_RATIO = 4;

export function renderChart(data) {
  const intervals = data.intervals;
  const total = intervals.reduce((sum, interval) => sum + interval.poll + interval.webhook, 0);
  const byWebhook = intervals.reduce((sum, interval) => sum + interval.webhook, 0);
  const summary = `Last ${intervals.length} intervals of ${span(data.intervalSeconds * 1000)}: `
    + `${total.toLocaleString()} members added, ${byWebhook.toLocaleString()} of them by webhook.`;
  setText(byId('chart-summary'), summary);
  const container = byId('chart');
  const markup = svg(intervals, summary, Math.max(MIN_WIDTH, Math.floor(container.clientWidth)));
  if (container.dataset.markup !== markup) {
    container.innerHTML = markup;
    container.dataset.markup = markup;
  }
  const table = byId('chart-table');
  syncRows(table.tBodies[0], [...intervals].reverse(), (interval) => interval.start, () => newRow(table), (row, interval) => {
    setText(row.cells[0], clock(interval.start));
    setText(row.cells[1], interval.poll.toLocaleString());
    setText(row.cells[2], interval.webhook.toLocaleString());
  });
}

/** Drawn at the container's width in pixels, so text keeps its size on a phone. */
function svg(intervals, summary, width) {
  const max = scaleMax(intervals);
  const plotWidth = width - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotWidth / intervals.length;
  const barWidth = Math.max(2, slot * 0.72);
  const baseline = PAD.top + plotHeight;
  const bars = intervals.map((interval, index) => {
    const total = interval.poll + interval.webhook;
    const cut = total > max;
    const height = (Math.min(total, max) / max) * plotHeight;
    const pollHeight = total ? height * (interval.poll / total) : 0;
    const webhookHeight = height - pollHeight;
    const x = PAD.left + index * slot + (slot - barWidth) / 2;
    const label = `${clock(interval.start)}: ${interval.poll} by poll, ${interval.webhook} by webhook`;
    return `<g><title>${escape(label)}</title>`
      + rect('bar-poll', x, baseline - pollHeight, barWidth, pollHeight)
      + rect('bar-webhook', x, baseline - height, barWidth, webhookHeight)
      + (cut ? cutMark(x, barWidth, total, width) : '')
      + '</g>';
  }).join('');
  const first = intervals[0];
  const last = intervals[intervals.length - 1];
  return `<svg viewBox="0 0 ${width} ${HEIGHT}" width="${width}" height="${HEIGHT}" role="img" aria-label="${escape(summary)}">`
    + '<defs><pattern id="stripes" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
    + '<rect width="6" height="6" class="stripe-back"/><rect width="3" height="6" class="stripe"/></pattern></defs>'
    + `<line class="axis" x1="${PAD.left}" y1="${baseline}" x2="${width - PAD.right}" y2="${baseline}"/>`
    + `<text class="tick" x="${PAD.left - 6}" y="${PAD.top + 4}" text-anchor="end">${max.toLocaleString()}</text>`
    + `<text class="tick" x="${PAD.left - 6}" y="${baseline}" text-anchor="end">0</text>`
    + bars
    + `<text class="tick" x="${PAD.left}" y="${HEIGHT - 6}">${escape(clock(first.start))}</text>`
    + `<text class="tick" x="${width - PAD.right}" y="${HEIGHT - 6}" text-anchor="end">${escape(clock(last.start))} (now)</text>`
    + '</svg>';
}

function scaleMax(intervals) {
  const totals = intervals.map((interval) => interval.poll + interval.webhook).sort((a, b) => b - a);
  if (totals.length > 1 && totals[1] > 0 && totals[0] > BURST_RATIO * totals[1]) {
    return Math.ceil(totals[1] * 1.5);
  }
  return Math.max(1, totals[0] || 0);
}

/** A cut bar: a break drawn across its top and its real total above it. */
function cutMark(x, barWidth, total, width) {
  const top = PAD.top;
  const labelX = Math.min(x + barWidth / 2, width - 24);
  return `<path class="break" d="M${x.toFixed(1)} ${top + 10} l${barWidth.toFixed(1)} -5 M${x.toFixed(1)} ${top + 15} l${barWidth.toFixed(1)} -5"/>`
    + `<text class="tick" x="${labelX.toFixed(1)}" y="${top - 4}" text-anchor="middle">${total.toLocaleString()}</text>`;
}

function rect(className, x, y, width, height) {
  if (height <= 0) {
    return '';
  }
  return `<rect class="${className}" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${width.toFixed(1)}" height="${height.toFixed(1)}"/>`;
}

function escape(text) {
  return String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
}
