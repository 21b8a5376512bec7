// The README's first import: named, from the main entry.
import { signRequest, TencentCloudError } from 'tc3-lighthouse';
import { report, signInput } from './report.js';

let refused = false;
try {
  signRequest({});
} catch (e) {
  refused = e instanceof TencentCloudError && e.code === 'ClientError.InvalidArgument';
}
report({ signature: signRequest(signInput).signature, refused });
