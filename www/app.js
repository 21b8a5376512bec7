// The Lighthouse console: lists instances, resets them (one or several) behind a typed confirmation, and
// follows each reset with the package's waiter. No framework: the package's web build and the DOM.
//
// Proxy mode (default): `new LighthouseClient({ endpoint: '/api', unsigned: true, region })`; the server signs.
// Temporary-credentials mode: the server's short-lived STS credentials, through fromHttp (www/sts-mode.js).
// Direct mode: temporary credentials pasted by the user, held in this module's memory only.
// One region at a time, as the API answers: the region selector picks which one is listed.
import { LighthouseClient, TencentCloudError } from '/pkg/index.js';
import { setupConnection } from './direct.js';
import { imagesFor, renderPicker } from './picker.js';
import { $, announce, describeError, el, REGION_NAMES, regionLabel, regionOfZone, showError, syncErrors } from './ui.js';

/** Polling pace of the waiter: brisk in the demo, gentler on the real API. */
const WAIT = { demo: { minDelaySeconds: 1, maxDelaySeconds: 3 }, live: { minDelaySeconds: 3, maxDelaySeconds: 15 } };

const IDLE_STATES = new Set(['RUNNING', 'STOPPED']);

// The service's messages in the user's language: Chinese for a Chinese browser, else English.
const LANGUAGE = /^zh\b/i.test(globalThis.navigator?.language || '') ? 'zh-CN' : 'en-US';

// ---------------------------------------------------------------------------------------------------------
// State

const state = {
  config: { mode: 'demo', region: 'ap-guangzhou', proxyEndpoint: '/api', directEndpoint: '', demo: true },
  /** The client in use, for `region`. */
  client: null,
  /** The region listed (X-TC-Region of every call). */
  region: 'ap-guangzhou',
  mode: 'proxy',
  directLabel: '',
  /** Direct mode: the pasted credentials and endpoint, in this module's memory only (a client per region needs them). */
  direct: null,
  /** InstanceId -> Instance, in the API's order. */
  instances: new Map(),
  /** BlueprintId -> Blueprint. */
  blueprints: new Map(),
  selected: new Set(),
  /** InstanceId -> { phase: 'sending'|'waiting'|'done'|'failed', opState, elapsed, attempt, requestId, code, started } */
  jobs: new Map(),
  loading: false,
};

const platformLabel = (p) => ({ LINUX_UNIX: 'Linux/Unix', WINDOWS: 'Windows' })[p] || p || 'unknown platform';
const isIdle = (i) => IDLE_STATES.has(i.InstanceState) && i.LatestOperationState !== 'OPERATING';
const TERMINAL = new Set(['SUCCESS', 'FAILED']);
/** The waiter's promise for this instance has not settled yet. */
const jobRunning = (id) => ['sending', 'waiting'].includes(state.jobs.get(id)?.phase);
/** Running, and not yet seen finished (resetInstances resolves a poll interval after the last one finished). */
const jobActive = (id) => jobRunning(id) && !state.jobs.get(id).settled;

function blueprintTitle(id) {
  const b = state.blueprints.get(id);
  if (!b) return id || '—';
  return [b.DisplayTitle || b.OsName || id, b.DisplayVersion].filter(Boolean).join(' ');
}

// ---------------------------------------------------------------------------------------------------------
// Clients

/** A client of the current mode for `state.region`. */
function regionClient() {
  if (state.direct) return new LighthouseClient({ ...state.direct, region: state.region, language: LANGUAGE });
  return new LighthouseClient({ endpoint: state.config.proxyEndpoint || '/api', unsigned: true, region: state.region, language: LANGUAGE });
}

function useProxy() {
  state.direct = null;
  state.client = regionClient();
  state.mode = 'proxy';
  state.directLabel = '';
  showMode();
}

function showMode() {
  const badge = $('mode-badge');
  const demo = state.config.mode === 'demo';
  badge.dataset.mode = state.mode;
  const sts = state.mode === 'sts';
  badge.textContent =
    state.mode === 'proxy' ? `Signing proxy · ${demo ? 'demo account' : 'live'}` : `${sts ? 'Temporary credentials' : 'Direct'} · ${state.directLabel}`;
  $('connection-summary').textContent =
    state.mode === 'proxy'
      ? `Signing proxy${demo ? ' (demo account)' : ''}`
      : sts
        ? `Temporary credentials from the server (${state.directLabel}), refreshed before they expire`
        : `Direct with temporary credentials (${state.directLabel}), in memory only`;
}

// ---------------------------------------------------------------------------------------------------------
// Loading

/** Every item of a listing, through the client's paginator (pages of 100). */
async function listAll(paginator, setKey) {
  const out = [];
  for await (const page of state.client[paginator]({}, { pageSize: 100 })) out.push(...page[setKey]);
  return out;
}

async function load() {
  if (state.loading) return;
  state.loading = true;
  $('refresh').disabled = true;
  $('table-status').textContent = 'Loading instances…';
  try {
    const [instances, blueprints] = await Promise.all([
      listAll('paginateDescribeInstances', 'InstanceSet'),
      listAll('paginateDescribeBlueprints', 'BlueprintSet').catch((e) => {
        showError(e, 'Loading the images (DescribeBlueprints) failed');
        return null;
      }),
    ]);
    if (blueprints) state.blueprints = new Map(blueprints.map((b) => [b.BlueprintId, b]));
    // Rows with a reset being followed keep what the waiter saw last.
    const next = new Map();
    for (const i of instances) next.set(i.InstanceId, jobRunning(i.InstanceId) ? (state.instances.get(i.InstanceId) ?? i) : i);
    state.instances = next;
    for (const id of [...state.selected]) if (!next.has(id)) state.selected.delete(id);
    render();
    watchRunningResets();
    const n = instances.length;
    announce(`${n} instance${n === 1 ? '' : 's'} loaded in ${regionLabel(state.region)}.`);
  } catch (e) {
    $('table-status').textContent = 'The instances could not be loaded: see the error above.';
    showError(e, 'Loading the instances (DescribeInstances) failed');
  } finally {
    state.loading = false;
    $('refresh').disabled = false;
  }
}

/** The region selector, from DescribeRegions (the known names when the API refuses it). */
async function fillRegions() {
  let regions;
  try {
    regions = (await state.client.request('DescribeRegions')).RegionSet.map((r) => [r.Region, `${r.RegionName} · ${r.Region}`]);
  } catch (e) {
    regions = Object.keys(REGION_NAMES).map((r) => [r, regionLabel(r)]);
    if (!(TencentCloudError.isInstance(e) && e.code === 'UnauthorizedOperation.ActionNotAllowed')) showError(e, 'Loading the regions (DescribeRegions) failed');
  }
  if (!regions.some(([r]) => r === state.region)) regions.unshift([state.region, regionLabel(state.region)]);
  const select = $('region-filter');
  select.replaceChildren(...regions.map(([value, text]) => el('option', { value, text })));
  select.value = state.region;
}

/** Lists another region: a client for it, the selection dropped (its instances are elsewhere). */
function switchRegion(region) {
  if (!region || region === state.region) return;
  state.region = region;
  state.client = regionClient();
  state.selected.clear();
  state.instances = new Map();
  render();
  showMode();
  load();
}

// ---------------------------------------------------------------------------------------------------------
// The table

function visibleInstances() {
  const q = $('search').value.trim().toLowerCase();
  return [...state.instances.values()].filter((i) => {
    if (!q) return true;
    return [i.InstanceName, i.InstanceId, i.Zone, ...(i.PublicAddresses || []), ...(i.PrivateAddresses || [])].some((v) =>
      String(v || '')
        .toLowerCase()
        .includes(q),
    );
  });
}

function stateBadge(s) {
  return el('span', { class: 'badge', dataset: { state: s || 'UNKNOWN' }, text: s || 'unknown' });
}

function operationCell(i) {
  const job = state.jobs.get(i.InstanceId);
  const name = i.InstanceName || i.InstanceId;
  const wrap = el('div', { class: 'op' });
  if (job && jobActive(i.InstanceId)) {
    const opState = job.phase === 'sending' ? 'SENDING' : job.opState || 'OPERATING';
    wrap.append(
      el(
        'div',
        { class: 'op-line' },
        el('span', { class: 'op-name', text: 'ResetInstance' }),
        el('span', { class: 'badge', dataset: { op: opState }, 'data-op-state': opState, text: opState }),
      ),
      el('progress', { 'aria-label': `Reset of ${name} in progress` }),
      el('span', {
        class: 'op-detail',
        text:
          job.phase === 'sending'
            ? job.waitIdle
              ? 'Waiting for the instance to be idle, then sending…'
              : 'Sending the reset…'
            : `${job.elapsed.toFixed(0)} s · check ${job.attempt + 1}`,
      }),
    );
    return wrap;
  }
  if (i.LatestOperation) {
    const opState = i.LatestOperationState || 'unknown';
    wrap.append(
      el(
        'div',
        { class: 'op-line' },
        el('span', { class: 'op-name', text: i.LatestOperation }),
        el('span', { class: 'badge', dataset: { op: opState }, 'data-op-state': opState, text: opState }),
      ),
    );
  } else if (job?.phase !== 'failed') {
    wrap.append(el('span', { class: 'muted', text: 'none' }));
  }
  if (job?.phase === 'done' || (job?.settled && job.opState === 'SUCCESS'))
    wrap.append(el('span', { class: 'op-detail', text: job.watch ? 'Followed until it finished' : `Finished in ${job.elapsed.toFixed(1)} s` }));
  if (job?.phase === 'failed') wrap.append(el('span', { class: 'op-detail error-text', text: `Reset failed: ${job.code}` }));
  if (i.LatestOperationRequestId) {
    wrap.append(el('code', { class: 'op-rid', title: `RequestId ${i.LatestOperationRequestId}`, text: i.LatestOperationRequestId }));
  }
  return wrap;
}

function rowFor(i) {
  const id = i.InstanceId;
  const name = i.InstanceName || id;
  const busy = jobActive(id);
  const cell = (cls, label, ...content) => el('td', { class: cls, 'data-label': label }, el('div', { class: 'cell' }, ...content));
  const cells = [
    el(
      'td',
      { class: 'col-select' },
      el('input', {
        type: 'checkbox',
        class: 'row-select',
        'aria-label': `Select ${name} (${id})`,
        checked: state.selected.has(id),
        onchange: (ev) => {
          ev.target.checked ? state.selected.add(id) : state.selected.delete(id);
          syncSelection();
        },
      }),
    ),
    el('th', { scope: 'row', class: 'col-name' }, el('span', { class: 'name', text: name })),
    cell('col-id', 'ID', el('code', { text: id })),
    cell('col-state', 'State', stateBadge(i.InstanceState)),
    cell('col-os', 'OS', el('span', { text: i.OsName || '—' }), el('span', { class: 'sub', text: platformLabel(i.PlatformType) })),
    cell(
      'col-blueprint',
      'Blueprint',
      el('span', { text: blueprintTitle(i.BlueprintId) }),
      el('span', { class: 'sub', text: [state.blueprints.get(i.BlueprintId)?.BlueprintType, i.BlueprintId].filter(Boolean).join(' · ') }),
    ),
    cell('col-op', 'Latest operation', operationCell(i)),
    cell('col-zone', 'Zone', el('span', { text: i.Zone || '—' }), el('span', { class: 'sub', text: REGION_NAMES[regionOfZone(i.Zone)] || '' })),
    cell(
      'col-ip',
      'IP',
      el('span', { text: (i.PublicAddresses || [])[0] || '—' }),
      el('span', { class: 'sub', text: (i.PrivateAddresses || [])[0] ? `private ${(i.PrivateAddresses || [])[0]}` : '' }),
    ),
    el(
      'td',
      { class: 'col-actions' },
      el('button', {
        type: 'button',
        class: 'danger-outline small reset-one',
        disabled: busy,
        'aria-label': `Reset ${name} (${id})`,
        text: busy ? 'Resetting…' : 'Reset',
        onclick: (ev) => openResetDialog([id], ev.currentTarget),
      }),
    ),
  ];
  return el('tr', { dataset: { id, state: i.InstanceState, busy: busy ? 'true' : 'false' } }, cells);
}

/** Rebuilds the rows, keeping the focus where it was (same control of the same row). */
function render() {
  const tbody = $('instance-rows');
  const active = document.activeElement;
  const focusRow = active?.closest?.('tr[data-id]')?.dataset.id;
  const focusClass = active && focusRow ? [...active.classList].find((c) => ['row-select', 'reset-one'].includes(c)) : null;
  const shown = visibleInstances();
  tbody.replaceChildren(...shown.map(rowFor));
  if (focusRow && focusClass) {
    const target = tbody.querySelector(`tr[data-id="${focusRow}"] .${focusClass}`);
    if (target && !target.disabled) target.focus();
    else tbody.querySelector(`tr[data-id="${focusRow}"] .row-select`)?.focus();
  }
  const total = state.instances.size;
  $('instance-count').textContent = `(${shown.length === total ? total : `${shown.length} of ${total}`})`;
  $('table-status').textContent = state.loading
    ? 'Loading instances…'
    : total === 0
      ? `No instances in ${regionLabel(state.region)}: pick another region above.`
      : shown.length === 0
        ? 'No instance matches the filter.'
        : '';
  syncSelection();
}

/** Updates one row in place (progress), without touching the others. */
function renderRow(id) {
  const i = state.instances.get(id);
  const old = $('instance-rows').querySelector(`tr[data-id="${id}"]`);
  if (!i || !old) return;
  const hadFocus = old.contains(document.activeElement) ? [...document.activeElement.classList].find((c) => ['row-select', 'reset-one'].includes(c)) : null;
  const row = rowFor(i);
  old.replaceWith(row);
  if (hadFocus) {
    const target = row.querySelector(`.${hadFocus}`);
    (target && !target.disabled ? target : row.querySelector('.row-select')).focus();
  }
}

function syncSelection() {
  const shownIds = visibleInstances().map((i) => i.InstanceId);
  const n = state.selected.size;
  const button = $('reset-selected');
  button.disabled = n === 0;
  button.textContent = n ? `Reset selected (${n})` : 'Reset selected';
  $('selection-status').textContent =
    n === 0
      ? 'No instance selected.'
      : `${n} instance${n === 1 ? '' : 's'} selected${shownIds.filter((id) => state.selected.has(id)).length < n ? ' (some hidden by the filter)' : ''}.`;
  const all = $('select-all');
  const picked = shownIds.filter((id) => state.selected.has(id)).length;
  all.checked = shownIds.length > 0 && picked === shownIds.length;
  all.indeterminate = picked > 0 && picked < shownIds.length;
}

// ---------------------------------------------------------------------------------------------------------
// The reset dialog

let dialogTargets = [];
let dialogOpener = null;

function expectedConfirmation(ids) {
  return ids.length === 1 ? ids[0] : String(ids.length);
}

function openResetDialog(ids, opener) {
  ids = ids.filter((id) => state.instances.has(id));
  if (!ids.length) return;
  dialogTargets = ids;
  dialogOpener = opener;
  const instances = ids.map((id) => state.instances.get(id));
  const single = ids.length === 1;
  const first = instances[0];
  const name = first.InstanceName || first.InstanceId;

  $('reset-title').textContent = single ? `Reset ${name}?` : `Reset ${ids.length} instances?`;
  $('reset-targets').replaceChildren(
    ...instances.map((i) =>
      el(
        'li',
        {},
        el('strong', { text: i.InstanceName || i.InstanceId }),
        ' ',
        el('code', { text: i.InstanceId }),
        ' ',
        el('span', { class: 'muted', text: `${i.InstanceState} · ${blueprintTitle(i.BlueprintId)} · ${i.Zone || ''}` }),
      ),
    ),
  );

  // Lighthouse resets only RUNNING or STOPPED instances with no operation running; the list may be stale, so
  // the API decides, but say what to expect.
  const notIdle = instances.filter((i) => !isIdle(i) || jobActive(i.InstanceId));
  const note = $('reset-state-note');
  note.hidden = notIdle.length === 0;
  note.textContent =
    notIdle.length === 0
      ? ''
      : single
        ? `This instance is ${first.InstanceState}${first.LatestOperationState === 'OPERATING' ? ` with ${first.LatestOperation} still running` : ''}. Lighthouse resets only RUNNING or STOPPED instances with no operation in progress, so the API will probably refuse unless you wait.`
        : `${notIdle.map((i) => i.InstanceName || i.InstanceId).join(', ')} ${notIdle.length === 1 ? 'is' : 'are'} not idle (RUNNING or STOPPED with no operation running): the API will probably refuse ${notIdle.length === 1 ? 'it' : 'them'}.`;

  // Images: what DescribeResetInstanceBlueprints says each instance can take, and why not for the others.
  const select = $('reset-blueprint');
  select.replaceChildren(
    el('option', { value: '', text: single ? `Keep the current image (${blueprintTitle(first.BlueprintId)})` : "Keep each instance's current image" }),
  );
  select.value = '';
  fillImages(instances);

  $('wait-idle-row').hidden = !single;
  $('reset-wait-idle').checked = false;
  const expected = expectedConfirmation(ids);
  $('reset-confirm-label').replaceChildren(
    single
      ? el('span', {}, 'Type the instance ID ', el('code', { text: expected }), ' to confirm')
      : el('span', {}, 'Type the number of instances, ', el('code', { text: expected }), ', to confirm'),
  );
  $('reset-confirm-hint').textContent = single
    ? 'The Reset button stays disabled until the ID matches exactly.'
    : `The ${ids.length} instances listed above will all be reset. The Reset button stays disabled until you type ${expected}.`;
  $('reset-confirm').value = '';
  $('reset-go').disabled = true;
  $('reset-go').textContent = single ? 'Reset instance' : `Reset ${ids.length} instances`;

  const dialog = $('reset-dialog');
  dialog.showModal();
  $('reset-confirm').focus();
}

let pickerSeq = 0;

/** Fills the image picker for the dialog's instances; a later dialog's answer wins. */
async function fillImages(instances) {
  const seq = ++pickerSeq;
  const hint = $('blueprint-hint');
  const why = $('blueprint-why');
  why.hidden = true;
  why.replaceChildren();
  hint.textContent = 'Loading the images these instances can be reset to…';
  $('reset-blueprint').setAttribute('aria-busy', 'true');
  try {
    const images = await imagesFor(state.client, instances);
    if (seq !== pickerSeq) return;
    const title = (b) => [b.DisplayTitle || b.OsName || b.BlueprintId, b.DisplayVersion].filter(Boolean).join(' ');
    const n = renderPicker({ el, select: $('reset-blueprint'), why, images, title, several: instances.length > 1 });
    hint.textContent = `${n.usable} image${n.usable === 1 ? '' : 's'} can be used${n.refused ? `; ${n.refused} cannot, and the API says why below` : ''}.`;
  } catch (e) {
    if (seq !== pickerSeq) return;
    hint.textContent = 'The images could not be listed (DescribeResetInstanceBlueprints): the current image will be kept.';
    showError(e, 'Listing the images for the reset failed');
  } finally {
    if (seq === pickerSeq) $('reset-blueprint').removeAttribute('aria-busy');
  }
}

function closeResetDialog() {
  const dialog = $('reset-dialog');
  if (dialog.open) dialog.close();
}

function restoreFocus() {
  const opener = dialogOpener;
  dialogOpener = null;
  if (opener?.isConnected && !opener.disabled) {
    opener.focus();
    return;
  }
  // The opener was re-rendered or is disabled while its reset runs: the same row's checkbox, else the heading.
  const id = dialogTargets[0];
  const row = id && $('instance-rows').querySelector(`tr[data-id="${id}"]`);
  (row?.querySelector('.row-select') || $('instances-heading')).focus();
}

function confirmMatches() {
  return $('reset-confirm').value.trim() === expectedConfirmation(dialogTargets);
}

// ---------------------------------------------------------------------------------------------------------
// Resetting

function waitOptions() {
  return { ...(state.config.demo ? WAIT.demo : WAIT.live), maxWaitSeconds: 1200 };
}

function onProgress(ev) {
  const job = state.jobs.get(ev.InstanceId);
  if (!job || job.phase === 'done' || job.phase === 'failed') return;
  if (job.phase === 'sending' && ev.LatestOperationState === 'OPERATING') {
    announce(`${ev.instance?.InstanceName || ev.InstanceId}: reset accepted, OPERATING.`);
  }
  job.phase = 'waiting';
  job.opState = ev.LatestOperationState;
  job.attempt = ev.attempt;
  job.elapsed = (performance.now() - job.started) / 1000;
  // In a fleet, each event comes after the instance's reset was accepted: a finished ResetInstance is this one
  // (a stale answer is followed by OPERATING again, which un-settles the row).
  job.settled = job.fleet && ev.instance?.LatestOperation === 'ResetInstance' && TERMINAL.has(ev.LatestOperationState);
  if (ev.instance) state.instances.set(ev.InstanceId, ev.instance);
  renderRow(ev.InstanceId);
}

function finishJob(id, instance, requestId) {
  const job = state.jobs.get(id);
  job.phase = 'done';
  job.elapsed = (performance.now() - job.started) / 1000;
  job.requestId = requestId || instance?.LatestOperationRequestId;
  if (instance) state.instances.set(id, instance);
  renderRow(id);
  syncSelection();
}

function failJob(id, error, context) {
  const job = state.jobs.get(id);
  job.phase = 'failed';
  job.code = describeError(error).code;
  if (error?.instance) state.instances.set(id, error.instance);
  renderRow(id);
  const i = state.instances.get(id);
  showError(error, context ? `${context} failed` : `Reset of ${i?.InstanceName || id} (${id}) failed`);
}

async function startResets(ids, blueprintId, waitForIdle) {
  const client = state.client;
  for (const id of ids) {
    state.jobs.set(id, { phase: 'sending', opState: null, attempt: 0, elapsed: 0, started: performance.now(), waitIdle: waitForIdle, fleet: ids.length > 1 });
    renderRow(id);
  }
  for (const id of ids) state.selected.delete(id);
  syncSelection();
  const inputs = ids.map((InstanceId) => (blueprintId ? { InstanceId, BlueprintId: blueprintId } : { InstanceId }));
  announce(ids.length === 1 ? `Resetting ${ids[0]}…` : `Resetting ${ids.length} instances…`);

  if (ids.length === 1) {
    try {
      const instance = await client.resetInstanceAndWait(inputs[0], { ...waitOptions(), waitForIdle, onProgress });
      finishJob(ids[0], instance);
      announce(`Reset of ${instance.InstanceName || ids[0]} finished: ${instance.LatestOperationState}.`);
    } catch (e) {
      failJob(ids[0], e);
    }
    return;
  }

  let results;
  try {
    results = await client.resetInstances(inputs, { ...waitOptions(), concurrency: 10, onProgress });
  } catch (e) {
    // The whole call was refused (e.g. bad options): every row failed the same way.
    for (const id of ids) failJob(id, e);
    return;
  }
  let ok = 0;
  for (const r of results) {
    if (r.ok) {
      ok++;
      finishJob(r.InstanceId, r.instance, r.RequestId);
    } else failJob(r.InstanceId, r.error);
  }
  announce(`${ok} of ${results.length} resets finished with SUCCESS.`);
}

/** Follows resets that were already running when the list loaded (started elsewhere, or before a reload). */
function watchRunningResets() {
  const client = state.client;
  for (const i of state.instances.values()) {
    const id = i.InstanceId;
    if (i.LatestOperation !== 'ResetInstance' || i.LatestOperationState !== 'OPERATING' || jobRunning(id)) continue;
    state.jobs.set(id, { phase: 'waiting', opState: 'OPERATING', attempt: 0, elapsed: 0, started: performance.now(), watch: true });
    renderRow(id);
    const input = i.LatestOperationRequestId ? { InstanceId: id, RequestId: i.LatestOperationRequestId } : { InstanceId: id };
    client
      .waitUntilInstanceReset(input, { ...waitOptions(), onProgress })
      .then((instance) => finishJob(id, instance))
      .catch((e) => failJob(id, e, `The reset of ${i.InstanceName || id} (${id}) that was already running`));
  }
}

// ---------------------------------------------------------------------------------------------------------
// Wiring

function wire() {
  $('refresh').addEventListener('click', () => load());
  $('region-filter').addEventListener('change', (ev) => switchRegion(ev.target.value));
  $('search').addEventListener('input', render);
  $('select-all').addEventListener('change', (ev) => {
    for (const i of visibleInstances()) {
      if (ev.target.checked) state.selected.add(i.InstanceId);
      else state.selected.delete(i.InstanceId);
    }
    render();
  });
  $('reset-selected').addEventListener('click', (ev) => openResetDialog([...state.selected], ev.currentTarget));
  $('clear-errors').addEventListener('click', () => {
    $('error-list').replaceChildren();
    syncErrors();
    $('instances-heading').focus();
  });

  $('reset-confirm').addEventListener('input', () => {
    $('reset-go').disabled = !confirmMatches();
  });
  $('reset-cancel').addEventListener('click', closeResetDialog);
  $('reset-dialog').addEventListener('close', restoreFocus);
  $('reset-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!confirmMatches()) {
      $('reset-confirm').focus();
      return;
    }
    const ids = [...dialogTargets];
    const blueprintId = $('reset-blueprint').value || undefined;
    const waitForIdle = ids.length === 1 && $('reset-wait-idle').checked;
    closeResetDialog();
    startResets(ids, blueprintId, waitForIdle);
  });
  setupConnection({
    config: state.config,
    language: LANGUAGE,
    mode: () => state.mode,
    useDirect({ direct, region, client, label, mode = 'direct' }) {
      Object.assign(state, { direct, region, client, mode, directLabel: label });
      showMode();
      fillRegions();
      load();
    },
    useProxy() {
      useProxy();
      load();
    },
  });
}

async function main() {
  try {
    const res = await fetch('/config.json', { cache: 'no-store' });
    if (res.ok) Object.assign(state.config, await res.json());
  } catch {
    // Served without npm start's server: the defaults (a proxy at /api) apply.
  }
  $('demo-banner').hidden = !state.config.demo;
  state.region = state.config.region || state.region;
  wire();
  useProxy();
  await Promise.all([fillRegions(), load()]);
}

main();
