// Renders each part of the page from the status API's answers.

import { ago, button, byId, newRow, setText, setTime, span, syncRows, toggle } from './dom.js';

const STATUS_WORDS = { active: 'active', auth_failed: 'key refused', deleted: 'deleted' };
const OUTCOME_MARKS = { succeeded: '✓', failed: '✗', running: '⟳' };

export function renderOverview(status, nowMs) {
  const figures = [
    ['Accounts', status.accounts],
    ['Lists', status.lists],
    ['Subscribers', status.subscribers],
    ['Memberships', status.memberships],
    ['Webhooks received', status.webhooks.received],
    ['Webhooks applied', status.webhooks.applied],
    ['Webhooks failed', status.webhooks.failed],
    ['Member sync every', span(status.memberSyncIntervalSeconds * 1000)],
    ['Last discovery', status.lastDiscoveryAt ? ago(status.lastDiscoveryAt, nowMs) : 'never'],
  ];
  const list = byId('overview');
  if (list.children.length !== figures.length) {
    list.textContent = '';
    figures.forEach(() => {
      const pair = document.createElement('div');
      pair.append(document.createElement('dt'), document.createElement('dd'));
      list.appendChild(pair);
    });
  }
  figures.forEach(([label, value], index) => {
    const [term, detail] = list.children[index].children;
    setText(term, label);
    setText(detail, typeof value === 'number' ? value.toLocaleString() : value);
    detail.classList.toggle('bad', label === 'Webhooks failed' && value > 0);
  });
}

export function renderAccounts(accounts, selectedId, onSelect, intervalMs, nowMs) {
  const table = byId('accounts');
  toggle(byId('accounts-empty'), accounts.length === 0);
  toggle(table, accounts.length > 0);
  syncRows(table.tBodies[0], accounts, (account) => account.id, (account) => {
    const row = newRow(table);
    const show = button('Show', 'quiet');
    show.addEventListener('click', () => onSelect(row.dataset.key, row.dataset.name));
    row.cells[7].appendChild(show);
    return row;
  }, (row, account) => {
    const selected = account.id === selectedId;
    row.dataset.name = account.name;
    setText(row.cells[0], account.name);
    setText(row.cells[1], account.klaviyoAccountId || '—');
    setText(row.cells[2], STATUS_WORDS[account.status] + (account.statusReason ? `: ${account.statusReason}` : ''));
    row.cells[2].classList.toggle('bad', account.status !== 'active');
    setText(row.cells[3], new Date(account.createdAt).toLocaleDateString());
    renderChecked(row.cells[4], account.profilesCheckedAt, null, intervalMs, nowMs);
    renderChecked(row.cells[5], account.listsCheckedAt, account.listsCheckError, intervalMs, nowMs);
    renderBudget(row.cells[6], account.quota);
    const show = row.cells[7].querySelector('button');
    show.setAttribute('aria-pressed', String(selected));
    show.setAttribute('aria-label', `Show ${account.name}`);
    setText(show, selected ? 'Shown' : 'Show');
    row.classList.toggle('selected', selected);
  });
}

/** The account's Klaviyo budget of lists and members (tier l), all instances together: last minute's use, 429s, a pause. */
function renderBudget(cell, quota) {
  const tier = quota && quota.tiers.find((t) => t.tier === 'l');
  if (!tier) {
    setText(cell, 'no calls lately');
    cell.className = '';
    return;
  }
  const used = `${tier.requestsLastMinute.toLocaleString()} of ${tier.budgetPerMinute.toLocaleString()} a minute`
    + ` (${Math.round(tier.shareInUse * 100)}% of Klaviyo's ${tier.limitPerMinute.toLocaleString()})`;
  const throttled = tier.throttled > 0 ? ` · ${tier.throttled} × 429` : '';
  const paused = tier.pausedUntil ? ' · paused by Klaviyo' : '';
  setText(cell, used + throttled + paused);
  cell.className = tier.pausedUntil ? 'bad' : '';
}

/**
 * When an account's members or lists were last checked, marked late when that is more than twice the
 * member interval ago (sweeps come once an interval, list checks more often), and failed with the
 * error of a failed check.
 */
function renderChecked(cell, checkedAt, error, intervalMs, nowMs) {
  const late = Boolean(checkedAt) && nowMs - Date.parse(checkedAt) > 2 * intervalMs;
  const text = checkedAt ? ago(checkedAt, nowMs) : 'not yet';
  const shown = error ? `✗ ${text}: ${error}` : late ? `⚠ ${text}` : text;
  if (checkedAt) {
    setTime(cell, checkedAt, shown);
  } else {
    setText(cell, shown);
  }
  cell.className = error ? 'bad' : late ? 'late' : '';
}

/** How far behind its schedule a list is: past its next sync, or longer since its last one than the interval. */
export function lagOf(list, intervalMs, nowMs) {
  let lagMs = nowMs - Date.parse(list.nextSyncAt);
  if (list.lastSyncedAt) {
    lagMs = Math.max(lagMs, nowMs - Date.parse(list.lastSyncedAt) - intervalMs);
  }
  // Under a second is the scheduler's tick, not lag.
  return lagMs < 1000 ? 0 : lagMs;
}

export function renderLists(account, lists, intervalMs, nowMs, onSync) {
  const backfills = new Map(((account.quota && account.quota.backfills) || []).map((b) => [b.listId, b]));
  const table = byId('lists');
  setText(byId('lists-caption'), `Lists of ${account.name}, with their sync state`);
  toggle(byId('lists-empty'), lists.length === 0);
  toggle(table, lists.length > 0);
  syncRows(table.tBodies[0], lists, (list) => list.listId, (list) => {
    const row = newRow(table);
    row.cells[0].innerHTML = '<span class="name"></span> <span class="sub"></span>';
    const sync = button('Sync now', 'sync-now');
    sync.addEventListener('click', () => onSync(row.dataset.key, row.dataset.name, sync));
    row.cells[7].appendChild(sync);
    return row;
  }, (row, list) => {
    row.dataset.name = list.name;
    setText(row.cells[0].querySelector('.name'), list.name);
    setText(row.cells[0].querySelector('.sub'),
        `${list.listId}${list.discoveredVia === 'webhook' ? ' · found by webhook' : ''}${list.status === 'deleted' ? ' · deleted in Klaviyo' : ''}`);
    setText(row.cells[1], list.memberCount.toLocaleString());
    setText(row.cells[2], list.smsSubscribedCount.toLocaleString());
    setTime(row.cells[3], list.lastSyncedAt, list.lastSyncedAt ? ago(list.lastSyncedAt, nowMs) : '');
    const dueIn = Date.parse(list.nextSyncAt) - nowMs;
    setTime(row.cells[4], list.status === 'active' ? list.nextSyncAt : null, dueIn > 0 ? `in ${span(dueIn)}` : 'due now');
    renderLag(row.cells[5], list, intervalMs, nowMs);
    renderLastRun(row.cells[6], list.lastRun, nowMs, backfills.get(list.listId));
    const sync = row.cells[7].querySelector('button');
    sync.setAttribute('aria-label', `Sync ${list.name} now`);
    toggle(sync, list.status === 'active');
  });
}

function renderLag(cell, list, intervalMs, nowMs) {
  if (list.status !== 'active') {
    setText(cell, '—');
    cell.className = '';
    return;
  }
  const lagMs = lagOf(list, intervalMs, nowMs);
  const late = lagMs > intervalMs;
  setText(cell, lagMs === 0 ? 'on time' : late ? `⚠ late ${span(lagMs)}` : `${span(lagMs)} behind`);
  cell.className = late ? 'late' : lagMs === 0 ? 'good' : '';
}

function renderLastRun(cell, run, nowMs, backfill) {
  if (!run) {
    setText(cell, 'none yet');
    cell.className = '';
    return;
  }
  const eta = backfill
    ? `; ${backfill.pagesLeft.toLocaleString()} pages left${backfill.etaSeconds == null ? '' : `, done in about ${span(backfill.etaSeconds * 1000)}`}`
    : '';
  const text = run.status === 'running'
    ? `${OUTCOME_MARKS.running} running, ${run.profilesAdded} added so far${eta}`
    : `${OUTCOME_MARKS[run.status]} ${run.status} ${ago(run.finishedAt || run.startedAt, nowMs)}, ${run.profilesAdded} added`
      + (run.error ? `: ${run.error}` : '');
  setText(cell, text);
  cell.className = run.status === 'failed' ? 'bad' : '';
}

export function renderRuns(runs, listNames, nowMs) {
  const table = byId('runs');
  toggle(byId('runs-empty'), runs.length === 0);
  toggle(table, runs.length > 0);
  syncRows(table.tBodies[0], runs, (run) => run.id, () => newRow(table), (row, run) => {
    setTime(row.cells[0], run.startedAt, ago(run.startedAt, nowMs));
    setText(row.cells[1], run.listId ? listNames.get(run.listId) || run.listId : run.kind === 'profiles' ? 'all members' : 'all lists');
    setText(row.cells[2], run.kind === 'members' && run.full ? 'members (full)' : run.kind);
    setText(row.cells[3], run.trigger);
    setText(row.cells[4], `${OUTCOME_MARKS[run.status]} ${run.status}${run.error ? `: ${run.error}` : ''}`);
    row.cells[4].className = run.status === 'failed' ? 'bad' : '';
    const end = run.finishedAt ? Date.parse(run.finishedAt) : nowMs;
    setText(row.cells[5], span(end - Date.parse(run.startedAt)));
    setText(row.cells[6], run.profilesSeen.toLocaleString());
    setText(row.cells[7], (run.kind === 'profiles' ? run.profilesChanged : run.profilesAdded).toLocaleString());
  });
}

export function renderEvents(events, nowMs, onReplay) {
  const table = byId('events');
  toggle(byId('events-empty'), events.length === 0);
  toggle(table, events.length > 0);
  syncRows(table.tBodies[0], events, (event) => event.id, (event) => {
    const row = newRow(table);
    const replay = button('Replay', 'replay');
    replay.addEventListener('click', () => onReplay(row.dataset.key, replay));
    row.cells[5].appendChild(replay);
    return row;
  }, (row, event) => {
    setText(row.cells[0], `#${event.id}${event.topic ? ` ${event.topic}` : ''}`);
    setText(row.cells[1], event.kind);
    setTime(row.cells[2], event.receivedAt, ago(event.receivedAt, nowMs));
    setText(row.cells[3], String(event.attempts));
    setText(row.cells[4], event.error || '—');
    row.cells[5].querySelector('button').setAttribute('aria-label', `Replay event ${event.id}`);
  });
}
