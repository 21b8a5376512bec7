// What each page reports to the test: its result, or the error it hit.
export const params = new URLSearchParams(location.search);
export const signInput = {
  secretId: 'AKIDMATRIX',
  secretKey: 'matrix-key',
  action: 'DescribeInstances',
  region: 'ap-guangzhou',
  timestamp: 1700000000,
  payload: '{}',
};
export function report(result) {
  window.__result = result;
}
export function fail(error) {
  window.__result = { error: `${error?.name}: ${error?.code ?? ''} ${error?.message}` };
}
window.addEventListener('error', (e) => fail(e.error ?? { message: e.message }));
window.addEventListener('unhandledrejection', (e) => fail(e.reason));
