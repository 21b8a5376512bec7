// The signer alone.
import { signRequest, TencentCloudError } from 'tc3-lighthouse/sign';
import { report, signInput } from './report.js';

report({ signature: signRequest(signInput).signature, errorClass: typeof TencentCloudError });
