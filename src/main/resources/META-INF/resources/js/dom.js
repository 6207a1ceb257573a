// Small DOM helpers: rows updated in place (focus and screen reader position survive a refresh),
// times shown relative with the exact time in the title, and the polite announcer.

export const byId = (id) => document.getElementById(id);

export function setText(element, text) {
  if (element.textContent !== text) {
    element.textContent = text;
  }
}

export function toggle(element, visible) {
  if (element.hidden === visible) {
    element.hidden = !visible;
  }
}

let lastAnnouncement = '';

/** Says something through the aria-live region (and again, if it is said twice). */
export function announce(text) {
  const region = byId('announcer');
  region.textContent = text === lastAnnouncement ? `${text}\u00a0` : text;
  lastAnnouncement = region.textContent;
}

/**
 * Makes tbody show one row per item, in order, reusing the row of the same key: only new rows are
 * built, only changed text is written, and rows that stay are never moved unless the order changed.
 */
export function syncRows(tbody, items, keyOf, build, update) {
  const existing = new Map([...tbody.rows].map((row) => [row.dataset.key, row]));
  let next = tbody.firstElementChild;
  for (const item of items) {
    const key = String(keyOf(item));
    let row = existing.get(key);
    if (row) {
      existing.delete(key);
    } else {
      row = build(item);
      row.dataset.key = key;
    }
    update(row, item);
    if (row === next) {
      next = next.nextElementSibling;
    } else {
      tbody.insertBefore(row, next);
    }
  }
  existing.forEach((row) => row.remove());
}

/** A row with one cell per label; each cell carries its column's name for the phone layout. */
export function newRow(table) {
  const row = document.createElement('tr');
  // Explicit roles: the phone layout turns rows into blocks, which some browsers take for a layout table.
  row.setAttribute('role', 'row');
  table.querySelectorAll('thead th').forEach((header, index) => {
    const cell = document.createElement(index === 0 ? 'th' : 'td');
    if (index === 0) {
      cell.scope = 'row';
    }
    cell.setAttribute('role', index === 0 ? 'rowheader' : 'cell');
    cell.dataset.label = header.textContent.trim();
    if (cell.dataset.label === 'Action') {
      cell.className = 'action';
    }
    row.appendChild(cell);
  });
  return row;
}

export function button(label, className) {
  const element = document.createElement('button');
  element.type = 'button';
  element.className = className || '';
  element.textContent = label;
  return element;
}

/** A cell holding a <time>: relative text, exact local time on hover and for assistive technology. */
export function setTime(cell, iso, text) {
  let time = cell.querySelector('time');
  if (!iso) {
    setText(cell, '—');
    return;
  }
  if (!time) {
    cell.textContent = '';
    time = document.createElement('time');
    cell.appendChild(time);
  }
  if (time.dateTime !== iso) {
    time.dateTime = iso;
    time.title = new Date(iso).toLocaleString();
  }
  setText(time, text);
}

/** 42s, 3m 5s, 2h 10m, 3d 4h. */
export function span(ms) {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) {
    return `${seconds}s`;
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return seconds % 60 && minutes < 10 ? `${minutes}m ${seconds % 60}s` : `${minutes}m`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    return minutes % 60 ? `${hours}h ${minutes % 60}m` : `${hours}h`;
  }
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

export function ago(iso, nowMs) {
  return `${span(nowMs - Date.parse(iso))} ago`;
}

export function clock(iso) {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
