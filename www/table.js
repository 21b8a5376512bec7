// The instance table: the rows (filtered by the search box), one row updated in place as a reset progresses,
// and the selection's count and select-all box.
import { openResetDialog } from './reset-dialog.js';
import { blueprintTitle, jobActive, state } from './state.js';
import { $, el, REGION_NAMES, regionLabel, regionOfZone } from './ui.js';

const platformLabel = (p) => ({ LINUX_UNIX: 'Linux/Unix', WINDOWS: 'Windows' })[p] || p || 'unknown platform';

export function visibleInstances() {
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
export function render() {
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
export function renderRow(id) {
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

export function syncSelection() {
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
