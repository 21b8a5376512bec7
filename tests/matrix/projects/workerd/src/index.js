// A Cloudflare Worker: signRequest from both entries at /sign, and the signing proxy for the rest.
import { createSigningProxy, signRequest } from 'tc3-lighthouse';
import { signRequest as signAlone } from 'tc3-lighthouse/sign';

let proxy;
export default {
  async fetch(request, env) {
    if (new URL(request.url).pathname === '/sign') {
      const input = await request.json();
      return Response.json({ main: signRequest(input).signature, alone: signAlone(input).signature });
    }
    proxy ??= createSigningProxy({
      endpoint: env.API_URL,
      credentials: { secretId: env.SECRET_ID, secretKey: env.SECRET_KEY },
      region: 'ap-guangzhou',
    });
    return proxy(request);
  },
};
