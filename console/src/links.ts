// The console's addresses: everything is in the hash, so the server serves one page.

const enc = encodeURIComponent;
export const workflowsHref = () => '#/workflows';
export const historyHref = (wf: string) => `#/workflows/${enc(wf)}`;
export const runHref = (wf: string, run: string) => `#/workflows/${enc(wf)}/runs/${enc(run)}`;
export const databasesHref = () => '#/databases';
export const databaseHref = (db: string) => `#/databases/${enc(db)}`;
export const tableHref = (db: string, table: string) => `#/databases/${enc(db)}/tables/${enc(table)}`;
/** A crawler's tables: the page finds the crawler's database. */
export const crawlerTablesHref = (crawler: string) => `#/crawlers/${enc(crawler)}/tables`;
