// The reset dialog: the instances it resets, a note when they are not idle, the image picker (picker.js), and
// the typed confirmation (the instance ID, or the number of instances) that enables its Reset button.
import { imagesFor, renderPicker } from './picker.js';
import { blueprintTitle, jobActive, state } from './state.js';
import { $, el, showError } from './ui.js';

const IDLE_STATES = new Set(['RUNNING', 'STOPPED']);
const isIdle = (i) => IDLE_STATES.has(i.InstanceState) && i.LatestOperationState !== 'OPERATING';

let dialogTargets = [];
let dialogOpener = null;

function expectedConfirmation(ids) {
  return ids.length === 1 ? ids[0] : String(ids.length);
}

export function openResetDialog(ids, opener) {
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

/** Wires the dialog's controls; `onConfirm(ids, blueprintId, waitForIdle)` starts the resets once confirmed. */
export function wireResetDialog(onConfirm) {
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
    onConfirm(ids, blueprintId, waitForIdle);
  });
}
