// Direct mode: temporary credentials pasted by the user sign in the page, held in memory only (never in
// storage, cleared from the form); and the temporary-credentials mode (sts-mode.js). `app` is the console:
// { config, language, mode(), useDirect(), useProxy() }.
import { LighthouseClient } from '/pkg/index.js';
import { stsConnection } from './sts-mode.js';
import { $, showError } from './ui.js';

export function setupConnection(app) {
  const form = $('direct-form');
  const radios = document.querySelectorAll('input[name="mode"]');
  for (const r of radios) {
    r.addEventListener('change', () => {
      const direct = r.value === 'direct' && r.checked;
      form.hidden = !direct;
      if (r.value === 'sts' && r.checked) {
        for (const id of ['d-secret-id', 'd-secret-key', 'd-token', 'd-expires']) $(id).value = '';
        const sts = stsConnection(app.config, app.language);
        if (sts) {
          app.useDirect(sts);
          $('connection-status').textContent = 'Signing in the page with temporary credentials from the server.';
        }
      }
      if (r.value === 'proxy' && r.checked && app.mode() !== 'proxy') {
        forgetDirect(app);
        $('connection-status').textContent = 'Back to the signing proxy; the pasted credentials were dropped.';
      }
      if (direct) $('d-secret-id').focus();
    });
  }
  $('d-endpoint').value = app.config.directEndpoint || 'https://lighthouse.tencentcloudapi.com';
  $('d-region').value = app.config.region || 'ap-guangzhou';
  // No credentials endpoint (live without --role-arn): no temporary-credentials mode.
  document.querySelector('input[name="mode"][value="sts"]').disabled = !app.config.credentialsEndpoint;

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const secretId = $('d-secret-id').value.trim();
    const secretKey = $('d-secret-key').value.trim();
    const token = $('d-token').value.trim();
    const expires = $('d-expires').value.trim();
    const endpoint = $('d-endpoint').value.trim();
    const region = $('d-region').value.trim();
    const missing = [
      [secretId, 'd-secret-id', 'SecretId'],
      [secretKey, 'd-secret-key', 'SecretKey'],
      [endpoint, 'd-endpoint', 'Endpoint'],
      [region, 'd-region', 'Region'],
    ].filter(([v]) => !v);
    for (const input of form.querySelectorAll('input')) input.removeAttribute('aria-invalid');
    if (missing.length || (expires && !/^\d+$/.test(expires))) {
      const bad = missing.length ? missing : [[null, 'd-expires', 'Expires (whole Unix seconds)']];
      for (const [, id] of bad) $(id).setAttribute('aria-invalid', 'true');
      $('connection-status').textContent = `Fill in: ${bad.map(([, , label]) => label).join(', ')}.`;
      $(bad[0][1]).focus();
      return;
    }
    let client;
    const direct = {
      credentials: { secretId, secretKey, ...(token ? { token } : {}), ...(expires ? { expiresAt: Number(expires) } : {}) },
      endpoint,
    };
    try {
      client = new LighthouseClient({ ...direct, region, language: app.language });
    } catch (e) {
      showError(e, 'The direct-mode settings were refused');
      return;
    }
    // The secret now lives in this page's memory only (the client, and `direct` for the clients of other
    // regions): clear the fields so it isn't left in the DOM.
    $('d-secret-key').value = '';
    $('d-token').value = '';
    app.useDirect({ direct, region, client, label: `${secretId.slice(0, 8)}… → ${new URL(endpoint).host}` });
    $('connection-status').textContent = 'Using the pasted credentials (in memory only). Reloading the page forgets them.';
  });

  $('forget').addEventListener('click', () => {
    forgetDirect(app);
    document.querySelector('input[name="mode"][value="proxy"]').checked = true;
    form.hidden = true;
    $('connection-status').textContent = 'The pasted credentials were dropped; back to the signing proxy.';
  });
}

function forgetDirect(app) {
  for (const id of ['d-secret-id', 'd-secret-key', 'd-token', 'd-expires']) $(id).value = '';
  app.useProxy();
}
