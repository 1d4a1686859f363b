// Which page the address shows.

import { renderHeader } from './header';
import { crawlerTablesPage, databasePage, databasesPage } from './pages/databases';
import { historyPage } from './pages/history';
import { runPage } from './pages/run';
import { tablePage } from './pages/table';
import { workflowsPage } from './pages/workflows';
import { leavePage } from './session';

/** Shows the page of the current address (again, after the session changed). */
export function route(): void {
  leavePage();
  renderHeader();
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  if (parts[0] === 'workflows' && parts[1] && parts[2] === 'runs' && parts[3]) runPage(parts[1], parts[3]);
  else if (parts[0] === 'workflows' && parts[1]) historyPage(parts[1]);
  else if (parts[0] === 'databases' && parts[1] && parts[2] === 'tables' && parts[3]) tablePage(parts[1], parts[3]);
  else if (parts[0] === 'databases' && parts[1]) databasePage(parts[1]);
  else if (parts[0] === 'databases') databasesPage();
  else if (parts[0] === 'crawlers' && parts[1] && parts[2] === 'tables') void crawlerTablesPage(parts[1]);
  else workflowsPage();
}
