// The Lighthouse console: lists instances, resets them (one or several) behind a typed confirmation, and
// follows each reset with the package's waiter. No framework: the package's web build and the DOM.
//
// Proxy mode (default): `new LighthouseClient({ endpoint: '/api', unsigned: true, region })`; the server signs.
// Temporary-credentials mode: the server's short-lived STS credentials, through fromHttp (www/sts-mode.js).
// Direct mode: temporary credentials pasted by the user, held in the page's memory only (state.js).
// One region at a time, as the API answers: the region selector picks which one is listed.
// Here: the clients, loading the list and the regions, and the wiring; the table (table.js), the reset dialog
// (reset-dialog.js) and the resets it starts (resets.js) share the console's state (state.js).
import { LighthouseClient, TencentCloudError } from '/pkg/index.js';
import { setupConnection } from './direct.js';
import { openResetDialog, wireResetDialog } from './reset-dialog.js';
import { startResets, watchRunningResets } from './resets.js';
import { jobRunning, LANGUAGE, state } from './state.js';
import { render, visibleInstances } from './table.js';
import { $, announce, el, REGION_NAMES, regionLabel, showError, syncErrors } from './ui.js';

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
  wireResetDialog(startResets);
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
