// The operator page: sign in with an API token (kept in this tab's sessionStorage), then the gateway's
// state refreshed every few seconds in place, without moving focus.

import { api, serverNow, token, Unauthorized } from './api.js';
import { startActivity, stopActivity } from './activity.js';
import { renderChart } from './chart.js';
import { announce, byId, clock, setText, toggle } from './dom.js';
import { renderAccounts, renderEvents, renderLists, renderOverview, renderRuns } from './sections.js';

const REFRESH_MS = 5000;
const RUNS_SHOWN = 15;
const EVENTS_SHOWN = 20;
const SELECTED_KEY = 'klaviyo-sync-gateway.account';
const ACCOUNT_PANELS = ['account-detail', 'chart-panel', 'runs-panel', 'events-panel'];

let selectedId = sessionStorage.getItem(SELECTED_KEY);
let timer = null;
let refreshing = null;
let queued = null;

function start() {
  byId('login-form').addEventListener('submit', signIn);
  byId('sign-out').addEventListener('click', () => signOut(''));
  if (token.get()) {
    showDashboard(false);
  } else {
    showLogin('');
  }
}

async function signIn(event) {
  event.preventDefault();
  const input = byId('token');
  const value = input.value.trim();
  if (!value) {
    fieldError('Enter an API token.');
    return;
  }
  token.set(value);
  try {
    await api('/api/status');
  } catch (failure) {
    token.clear();
    fieldError(failure instanceof Unauthorized ? 'The gateway does not accept this token.' : `The gateway cannot be reached: ${failure.message}`);
    return;
  }
  input.value = '';
  showDashboard(true);
}

function fieldError(text) {
  const error = byId('token-error');
  setText(error, text);
  toggle(error, Boolean(text));
  const input = byId('token');
  if (text) {
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  } else {
    input.removeAttribute('aria-invalid');
  }
}

function showLogin(message) {
  clearInterval(timer);
  timer = null;
  stopActivity();
  ['dashboard', 'sign-out', 'demo-banner', 'updated', 'problem'].forEach((id) => toggle(byId(id), false));
  toggle(byId('login'), true);
  fieldError(message);
}

function signOut(message) {
  token.clear();
  showLogin(message);
  announce('Signed out.');
  if (!message) {
    byId('token').focus();
  }
}

async function showDashboard(moveFocus) {
  toggle(byId('login'), false);
  toggle(byId('dashboard'), true);
  toggle(byId('sign-out'), true);
  startActivity(token.get());
  await refresh();
  if (moveFocus) {
    byId('overview-title').focus();
    announce('Signed in.');
  }
  timer = setInterval(refresh, REFRESH_MS);
}

/**
 * One refresh at a time; callers during one share the single refresh queued after it, so slow
 * answers never pile up loads.
 */
function refresh() {
  if (!refreshing) {
    refreshing = load().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }
  if (!queued) {
    queued = refreshing.then(() => {
      queued = null;
      return refresh();
    });
  }
  return queued;
}

async function load() {
  try {
    const [status, accounts] = await Promise.all([api('/api/status'), api('/api/accounts')]);
    toggle(byId('demo-banner'), status.demo === true);
    renderOverview(status, serverNow());
    const account = accounts.find((a) => a.id === selectedId) || accounts.find((a) => a.status === 'active') || accounts[0];
    renderAccounts(accounts, account && account.id, select, status.memberSyncIntervalSeconds * 1000, serverNow());
    ACCOUNT_PANELS.forEach((id) => toggle(byId(id), Boolean(account)));
    if (account) {
      await loadAccount(account, status.memberSyncIntervalSeconds * 1000);
    }
    setText(byId('updated'), `Updated ${clock(new Date(serverNow()).toISOString())}`);
    toggle(byId('updated'), true);
    problem('');
  } catch (failure) {
    if (failure instanceof Unauthorized) {
      signOut('The gateway no longer accepts this token: sign in again.');
      return;
    }
    problem(`The page could not be refreshed (${failure.message}); it tries again in ${REFRESH_MS / 1000} seconds.`);
  }
}

async function loadAccount(account, intervalMs) {
  const base = `/api/accounts/${account.id}`;
  const [lists, runs, events, added] = await Promise.all([
    api(`${base}/lists`),
    api(`${base}/runs?limit=${RUNS_SHOWN}`),
    api(`${base}/webhook-events?status=failed&limit=${EVENTS_SHOWN}`),
    api(`${base}/members-added`),
  ]);
  const now = serverNow();
  renderLists(account, lists, intervalMs, now, (listId, name, button) => syncNow(account.id, listId, name, button));
  renderChart(added);
  renderRuns(runs, new Map(lists.map((list) => [list.listId, list.name])), now);
  renderEvents(events, now, (eventId, button) => replay(account.id, eventId, button));
}

function select(accountId, name) {
  selectedId = accountId;
  sessionStorage.setItem(SELECTED_KEY, accountId);
  refresh().then(() => announce(`Showing ${name}.`));
}

async function syncNow(accountId, listId, name, button) {
  await act(button, () => api(`/api/accounts/${accountId}/lists/${encodeURIComponent(listId)}/sync`, 'POST'),
    `Sync of ${name} requested: a run starts within seconds.`, `${name} cannot be synced now`);
}

async function replay(accountId, eventId, button) {
  await act(button, () => api(`/api/accounts/${accountId}/webhook-events/${eventId}/replay`, 'POST'),
    `Event ${eventId} will be applied again.`, `Event ${eventId} cannot be replayed`);
}

/** Runs an action of a button once at a time, says how it went, and refreshes the page. */
async function act(button, action, success, refused) {
  if (button.getAttribute('aria-disabled') === 'true') {
    return;
  }
  button.setAttribute('aria-disabled', 'true');
  try {
    await action();
    announce(success);
  } catch (failure) {
    if (failure instanceof Unauthorized) {
      signOut('The gateway no longer accepts this token: sign in again.');
      return;
    }
    const wait = failure.retryAfter ? ` Try again in ${failure.retryAfter} seconds.` : '';
    announce(`${refused}: ${failure.message}.${wait}`);
  } finally {
    button.removeAttribute('aria-disabled');
  }
  await refresh();
}

function problem(text) {
  const element = byId('problem');
  setText(element, text);
  toggle(element, Boolean(text));
}

start();
