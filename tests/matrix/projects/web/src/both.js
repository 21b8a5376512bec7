// Both entries in one bundle: two wasm files, which must not collide.
import { LighthouseClient } from 'tc3-lighthouse';
import { signRequest } from 'tc3-lighthouse/sign';
import { report, signInput } from './report.js';

report({ signature: signRequest(signInput).signature, client: String(new LighthouseClient({ credentials: { secretId: 'AKID', secretKey: 'k' } })) });
