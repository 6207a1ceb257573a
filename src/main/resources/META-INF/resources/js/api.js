// The status API under /api with the bearer token this tab signed in with.

const TOKEN_KEY = 'klaviyo-sync-gateway.token';
// Below this, the difference between the browser's and the gateway's clock is the Date header's rounding.
const CLOCK_SKEW_IGNORED_MS = 2000;

let clockOffsetMs = 0;

export class Unauthorized extends Error {}

export class ApiError extends Error {
  constructor(status, detail, retryAfter) {
    super(detail || `the gateway answered ${status}`);
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (value) => sessionStorage.setItem(TOKEN_KEY, value),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** Now by the gateway's clock (from the Date header of its last answer), in milliseconds. */
export function serverNow() {
  return Date.now() + clockOffsetMs;
}

export async function api(path, method = 'GET') {
  const response = await fetch(path, {
    method,
    cache: 'no-store',
    headers: { Authorization: `Bearer ${token.get()}`, Accept: 'application/json' },
  });
  noteClock(response);
  if (response.status === 401) {
    throw new Unauthorized();
  }
  const text = await response.text();
  const body = text ? JSON.parse(text) : null;
  if (!response.ok) {
    throw new ApiError(response.status, body && body.detail, response.headers.get('Retry-After'));
  }
  return body;
}

function noteClock(response) {
  const date = Date.parse(response.headers.get('Date') || '');
  if (!Number.isNaN(date)) {
    const offset = date - Date.now();
    clockOffsetMs = Math.abs(offset) > CLOCK_SKEW_IGNORED_MS ? offset : 0;
  }
}
