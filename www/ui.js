// The console's small parts that hold no state of its own: DOM helpers, the live announcements, region names,
// and the error list (code, message, RequestId and a hint per kind).
import { TencentCloudError } from '/pkg/index.js';

export const $ = (id) => document.getElementById(id);

export const KIND_HINTS = {
  throttling: 'Too many requests: Lighthouse allows about 10 per second per action. The client already backed off and retried; wait a moment, then try again.',
  clockSkew: "This computer's clock is more than 5 minutes away from Tencent Cloud's. Correct the system clock, then try again.",
  transient: 'A temporary failure on the service side or on the way to it. Refresh to see whether the operation started, then try again.',
  busy: 'The instance is busy: it is being created or another operation is still running. Wait until the current operation finishes (or tick "wait for it to finish" in the reset dialog), then try again.',
  auth: 'The credentials were refused or lack permission. Check the SecretId, SecretKey and Token (temporary credentials expire), and that the CAM policy allows this action.',
  invalidInput: 'The request was refused as invalid: check the instance ID and the chosen image (it must be available and of the same platform type).',
  notFound: "Not found in this region: refresh the list, and check that the region is the instance's.",
  network:
    "The request did not reach the API: is `npm start` still running? In direct mode, the endpoint must allow CORS and be allowed by this page's Content-Security-Policy.",
  timeout: 'No answer in time. Refresh to see whether the operation started before trying again.',
  aborted: 'The operation was cancelled.',
  waiter: 'The reset did not end in SUCCESS (it failed, or did not finish in time). Check the instance, then reset it again if needed.',
  other: 'The API refused the operation; the message says why.',
};

export const REGION_NAMES = {
  'ap-guangzhou': 'Guangzhou',
  'ap-shanghai': 'Shanghai',
  'ap-beijing': 'Beijing',
  'ap-chengdu': 'Chengdu',
  'ap-chongqing': 'Chongqing',
  'ap-nanjing': 'Nanjing',
  'ap-hongkong': 'Hong Kong',
  'ap-singapore': 'Singapore',
  'ap-tokyo': 'Tokyo',
  'ap-seoul': 'Seoul',
  'ap-bangkok': 'Bangkok',
  'ap-jakarta': 'Jakarta',
  'ap-mumbai': 'Mumbai',
  'eu-frankfurt': 'Frankfurt',
  'eu-moscow': 'Moscow',
  'na-siliconvalley': 'Silicon Valley',
  'na-ashburn': 'Virginia',
  'sa-saopaulo': 'São Paulo',
};

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}

export function announce(text, urgent = false) {
  const region = $(urgent ? 'announce-alert' : 'announce');
  region.textContent = '';
  // A fresh text node in a later task, so repeated messages are announced again.
  setTimeout(() => {
    region.textContent = text;
  }, 50);
}

export const regionOfZone = (zone) => (zone || '').replace(/-\d+$/, '');
export const regionLabel = (r) => (REGION_NAMES[r] ? `${REGION_NAMES[r]} (${r})` : r);

let errorSeq = 0;

export function describeError(e) {
  if (TencentCloudError.isInstance(e)) return e;
  // Never expected (every failure of the package is a TencentCloudError), but shown the same way.
  return { code: 'ConsoleError', message: String(e?.message || e), kind: 'other' };
}

export function showError(e, context) {
  const err = describeError(e);
  const id = `error-${++errorSeq}`;
  const hint = KIND_HINTS[err.kind] || KIND_HINTS.other;
  const item = el(
    'li',
    { class: 'error-item', id, 'aria-labelledby': `${id}-title`, dataset: { code: err.code, kind: err.kind } },
    el(
      'div',
      { class: 'error-head' },
      el('h3', { id: `${id}-title`, text: context }),
      el('button', {
        type: 'button',
        class: 'secondary small',
        'aria-label': `Dismiss the error: ${context}`,
        text: 'Dismiss',
        onclick: () => {
          item.remove();
          syncErrors();
          $('instances-heading').focus();
        },
      }),
    ),
    el(
      'dl',
      { class: 'error-fields' },
      el('dt', { text: 'Code' }),
      el('dd', {}, el('code', { class: 'error-code', text: err.code })),
      el('dt', { text: 'Message' }),
      el('dd', { class: 'error-message', text: err.message }),
      el('dt', { text: 'RequestId' }),
      el(
        'dd',
        {},
        err.requestId
          ? el('code', { class: 'error-request-id', text: err.requestId })
          : el('span', { class: 'muted', text: 'none (the request got no answer from the API)' }),
      ),
      el('dt', { text: 'Kind' }),
      el('dd', { text: `${err.kind}${err.retryable ? ' (retryable)' : ''}` }),
    ),
    el('p', { class: 'error-hint' }, el('strong', { text: 'What to do: ' }), hint),
  );
  $('error-list').prepend(item);
  syncErrors();
  announce(`${context}: ${err.code}. ${err.message}`, true);
}

export function syncErrors() {
  $('errors').hidden = $('error-list').children.length === 0;
}
