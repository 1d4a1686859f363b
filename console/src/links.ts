// The console's addresses: everything is in the hash, so the server serves one page.

const enc = encodeURIComponent;
export const workflowsHref = () => '#/workflows';
export const historyHref = (wf: string) => `#/workflows/${enc(wf)}`;
export const runHref = (wf: string, run: string) => `#/workflows/${enc(wf)}/runs/${enc(run)}`;
