// A namespace import: every export reached through the object.
import * as tc3 from 'tc3-lighthouse';
import { report, signInput } from './report.js';

report({
  signature: tc3.signRequest(signInput).signature,
  exports: ['LighthouseClient', 'TencentCloudError', 'createSigningProxy', 'resetInstance', 'setRateLimit', 'waitUntilInstanceReset'].filter(
    (name) => typeof tc3[name] !== 'function',
  ),
});
