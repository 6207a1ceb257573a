// The live activity strip: the gateway's change stream (GET /api/changes/stream), read with fetch()
// because EventSource cannot send the bearer token, parsed as Server-Sent Events here. It shows the
// newest changes and how many came each second of the last minute, and reconnects with Last-Event-ID.

import { byId, clock, setText } from './dom.js';

const SHOWN = 8;
const SECONDS = 60;
const RATE_WINDOW = 10;
const RECONNECT_MS = 3000;
const WIDTH = 600;
const HEIGHT = 44;

let controller = null;
let lastEventId = null;
let ticker = null;
let connected = false;
const recent = [];
const perSecond = new Map();

/** Starts following the stream with {@code token}; stops the one before, if any. */
export function startActivity(token) {
  stopActivity();
  controller = new AbortController();
  follow(token, controller.signal);
  ticker = setInterval(render, 1000);
  render();
}

export function stopActivity() {
  if (controller) {
    controller.abort();
    controller = null;
  }
  clearInterval(ticker);
  ticker = null;
  connected = false;
}

async function follow(token, signal) {
  while (!signal.aborted) {
    try {
      const headers = { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' };
      if (lastEventId) {
        headers['Last-Event-ID'] = lastEventId;
      }
      const response = await fetch('/api/changes/stream', { headers, signal, cache: 'no-store' });
      if (!response.ok || !response.body) {
        throw new Error(`the gateway answered ${response.status}`);
      }
      connected = true;
      render();
      await readEvents(response.body.getReader(), onEvent);
    } catch (failure) {
      if (signal.aborted) {
        return;
      }
    }
    connected = false;
    render();
    await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
  }
}

/** Reads SSE blocks ("field: value" lines, a blank line ends one); comments (heartbeats) are skipped. */
async function readEvents(reader, dispatch) {
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      dispatchBlock(buffer.slice(0, end), dispatch);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
    }
  }
}

function dispatchBlock(block, dispatch) {
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) {
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') {
      lastEventId = value;
    } else if (field === 'data') {
      data.push(value);
    }
  }
  if (data.length) {
    dispatch(JSON.parse(data.join('\n')));
  }
}

function onEvent(change) {
  const second = Math.floor(Date.now() / 1000);
  perSecond.set(second, (perSecond.get(second) || 0) + 1);
  recent.unshift(change);
  recent.length = Math.min(recent.length, SHOWN);
  render();
}

function render() {
  const now = Math.floor(Date.now() / 1000);
  for (const second of perSecond.keys()) {
    if (second <= now - SECONDS) {
      perSecond.delete(second);
    }
  }
  let lastTen = 0;
  for (let second = now - RATE_WINDOW + 1; second <= now; second++) {
    lastTen += perSecond.get(second) || 0;
  }
  const rate = lastTen / RATE_WINDOW;
  setText(byId('activity-rate'), `${rate.toFixed(1)} changes/s`);
  setText(byId('activity-state'), connected ? 'live' : 'connecting…');
  byId('activity-state').className = connected ? 'good' : 'sub-inline';
  drawBars(now);
  renderList();
}

function drawBars(now) {
  const counts = [];
  for (let second = now - SECONDS + 1; second <= now; second++) {
    counts.push(perSecond.get(second) || 0);
  }
  const max = Math.max(1, ...counts);
  const slot = WIDTH / SECONDS;
  const bars = counts.map((count, index) => {
    const height = count ? Math.max(2, (count / max) * (HEIGHT - 2)) : 0;
    return height ? `<rect class="activity-bar" x="${(index * slot).toFixed(1)}" y="${(HEIGHT - height).toFixed(1)}" `
      + `width="${(slot * 0.8).toFixed(1)}" height="${height.toFixed(1)}"/>` : '';
  }).join('');
  const total = counts.reduce((sum, count) => sum + count, 0);
  const label = `${total} changes in the last minute, at most ${max} in one second`;
  const container = byId('activity-bars');
  container.innerHTML = `<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" preserveAspectRatio="none" role="img" aria-label="${label}">`
    + `<line class="axis" x1="0" y1="${HEIGHT}" x2="${WIDTH}" y2="${HEIGHT}"/>${bars}</svg>`;
}

function renderList() {
  const list = byId('activity-list');
  const key = recent.map((change) => change.id).join(' ');
  if (list.dataset.key === key) {
    return;
  }
  list.dataset.key = key;
  list.replaceChildren(...recent.map((change) => {
    const item = document.createElement('li');
    const type = document.createElement('span');
    type.className = `change-type change-${change.type}`;
    type.textContent = change.type;
    const what = document.createElement('span');
    const consent = change.member && change.member.smsConsent ? `, SMS ${change.member.smsConsent.toLowerCase().replace('_', ' ')}` : '';
    what.textContent = ` ${change.profileId}${change.listId ? ` on list ${change.listId}` : ''}${consent}`;
    const when = document.createElement('time');
    when.dateTime = change.at;
    when.textContent = clock(change.at);
    item.append(when, ' ', type, what);
    return item;
  }));
  byId('activity-empty').hidden = recent.length > 0;
}
