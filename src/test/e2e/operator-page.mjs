// Drives the operator page in Debian's headless Chromium (never a downloaded browser): signs in, waits
// for the demo's lists with their counts, watches the live activity strip move with the change stream,
// syncs a list now and waits for its run, replays a failed
// webhook event, checks the phone layout, and saves screenshots. The page is served with a
// Content-Security-Policy: no violation of it may be reported along the way.
//
//   node operator-page.mjs <base URL> <API token> <output directory>
//
// Exit code 0 when every check passed; otherwise the first failure is printed and 1.

import { chromium } from 'playwright-core';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
  '--no-first-run', '--disable-component-update', '--disable-sync'];
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 812 };
const LIST = 'Website pop-up';
const WAIT_MS = 90_000;

const [baseUrl, apiToken, outDir] = process.argv.slice(2);
if (!baseUrl || !apiToken || !outDir) {
  console.error('usage: node operator-page.mjs <base URL> <API token> <output directory>');
  process.exit(2);
}
if (!existsSync(CHROMIUM)) {
  console.error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium)`);
  process.exit(3);
}
mkdirSync(outDir, { recursive: true });

const step = (text) => console.log(`- ${text}`);
const userDataDir = mkdtempSync(join(tmpdir(), 'e2e-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: DESKTOP,
});
const page = context.pages()[0] || await context.newPage();
page.setDefaultTimeout(WAIT_MS);
const pageErrors = [];
page.on('pageerror', (error) => pageErrors.push(error.message));
// CSP violations reach the console as errors ("Refused to ... Content Security Policy ...") and the
// document as securitypolicyviolation events, which the page records for us from its first script on.
const cspConsole = [];
page.on('console', (message) => {
  if (/Content Security Policy/i.test(message.text())) {
    cspConsole.push(message.text());
  }
});
await page.addInitScript(() => {
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (event) => {
    window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`);
  });
});

try {
  await run();
  if (pageErrors.length) {
    throw new Error(`the page threw: ${pageErrors.join('; ')}`);
  }
  await noCspViolation();
  console.log('operator page: every check passed');
} catch (failure) {
  console.error(`operator page check failed: ${failure.message}`);
  await page.screenshot({ path: join(outDir, 'failure.png'), fullPage: true }).catch(() => {});
  process.exitCode = 1;
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}

async function run() {
  step(`open ${baseUrl}/`);
  const response = await page.goto(`${baseUrl}/`);
  const csp = response.headers()['content-security-policy'];
  if (csp !== "default-src 'self'; frame-ancestors 'none'") {
    throw new Error(`the page is sent with Content-Security-Policy: ${csp}`);
  }
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();

  step('a wrong token is refused with a message');
  await page.getByLabel('API token').fill('not-a-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('The gateway does not accept this token.').waitFor();

  step('sign in with the token (keyboard: Enter)');
  await page.getByLabel('API token').fill(apiToken);
  await page.getByLabel('API token').press('Enter');
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  await page.getByText('This gateway syncs a simulated Klaviyo shop').waitFor();

  step('the demo lists appear with member and SMS counts');
  const lists = page.getByRole('table', { name: /^Lists of / });
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('#lists tbody tr')];
    const counted = rows.filter((row) => Number(row.cells[1].textContent.replace(/\D/g, '')) > 0
      && Number(row.cells[2].textContent.replace(/\D/g, '')) > 0);
    return counted.length >= 4;
  });
  step("the demo account shows its Klaviyo budget, all instances together");
  await page.waitForFunction(() => [...document.querySelectorAll('#accounts tbody tr')]
    .some((row) => /of [\d,]+ a minute \(\d+% of Klaviyo's [\d,]+\)/.test(row.cells[6].textContent)), null, { timeout: 90_000 });
  const listRow = lists.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(LIST) }) });
  step(`"${LIST}": ${(await listRow.innerText()).replace(/\s+/g, ' ')}`);

  step('the account shows when its members\' consent and its lists were last checked');
  await page.waitForFunction(() => [...document.querySelectorAll('#accounts tbody tr')].some((row) =>
    row.cells[4].dataset.label === 'Consent checked' && / ago$/.test(row.cells[4].textContent)
      && row.cells[5].dataset.label === 'Lists checked' && / ago$/.test(row.cells[5].textContent)));
  step('the live activity strip follows the change stream');
  await page.locator('#activity-list li').first().waitFor();
  const seen = await page.$eval('#activity-list', (list) => list.dataset.key);
  await page.waitForFunction((key) => document.getElementById('activity-list').dataset.key !== key, seen);
  await page.locator('#activity-bars svg rect.activity-bar').first().waitFor();
  const rate = await page.textContent('#activity-rate');
  const state = await page.textContent('#activity-state');
  if (!/[1-9]/.test(rate) || state !== 'live') {
    throw new Error(`the strip shows "${rate}", "${state}" after changes came`);
  }
  step(`activity: ${rate}, newest: ${(await page.locator('#activity-list li').first().innerText()).replace(/\s+/g, ' ')}`);

  step('sync now, and a new manual run appears');
  const runsBefore = await page.$$eval('#runs tbody tr', (rows) => rows.map((row) => row.dataset.key));
  const syncButton = page.getByRole('button', { name: `Sync ${LIST} now` });
  await requestSync(syncButton);
  await page.waitForFunction(({ before, list }) => [...document.querySelectorAll('#runs tbody tr')].some((row) =>
    !before.includes(row.dataset.key) && row.cells[1].textContent === list && row.cells[3].textContent === 'manual'),
  { before: runsBefore, list: LIST });
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.getAttribute('aria-label'));
  if (focused !== `Sync ${LIST} now`) {
    throw new Error(`the refresh moved the focus away from the button (now on: ${focused})`);
  }

  step('the chart shows members added, with a text summary');
  await page.getByText(/members added, \d+ of them by webhook/).waitFor();
  await page.locator('#chart svg rect.bar-poll').first().waitFor();

  step('a failed webhook event can be replayed');
  const replay = page.getByRole('button', { name: /^Replay event \d+$/ }).first();
  await replay.waitFor();
  await replay.click();
  await page.getByRole('status').filter({ hasText: /will be applied again/ }).waitFor();

  step('desktop screenshot');
  await page.screenshot({ path: join(outDir, 'operator-page.png'), fullPage: true });

  step('phone width: no sideways scrolling, every list still has its button');
  await page.setViewportSize(PHONE);
  await page.waitForTimeout(500);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 0) {
    throw new Error(`at ${PHONE.width} px the page is ${overflow} px too wide`);
  }
  await syncButton.scrollIntoViewIfNeeded();
  if (!(await syncButton.isVisible())) {
    throw new Error('the sync button is not visible at phone width');
  }
  await page.screenshot({ path: join(outDir, 'operator-page-phone.png'), fullPage: true });
}

/**
 * No CSP violation was reported while the page worked. First a control: an inline script injected now
 * must be refused and reported, which proves the policy is enforced and the watch works.
 */
async function noCspViolation() {
  step('no Content-Security-Policy violation was reported');
  const seen = await page.evaluate(() => window.__cspViolations.slice());
  const logged = cspConsole.slice();
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__inlineRan = true';
    document.head.appendChild(script);
  });
  await page.waitForFunction(() => window.__cspViolations.length > 0);
  if (await page.evaluate(() => window.__inlineRan === true)) {
    throw new Error('an injected inline script ran: the policy is not enforced');
  }
  if (seen.length || logged.length) {
    throw new Error(`CSP violations: ${[...seen, ...logged].join('; ')}`);
  }
}

/** Clicks "sync now" until the gateway takes it (409 while the list's scheduled sync runs). */
async function requestSync(button) {
  const status = page.getByRole('status');
  for (let attempt = 1; attempt <= 20; attempt++) {
    await button.click();
    await page.waitForFunction(() => /Sync of .* requested|cannot be synced now/.test(document.getElementById('announcer').textContent));
    const said = await status.innerText();
    if (said.includes('requested')) {
      return;
    }
    step(`not yet (${said.trim()}); again in a second`);
    await page.waitForTimeout(1000);
  }
  throw new Error('the gateway never took the sync request');
}
