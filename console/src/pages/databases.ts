// The Data Catalog: the region's databases, a database's tables, and a crawler's database.

import { columnList, type Database, type Table } from '../catalog';
import { h, replace } from '../dom';
import { describeError } from '../glue';
import { view } from '../layout';
import { databaseHref, databasesHref, tableHref } from '../links';
import { formatTime } from '../model';
import { poll } from '../poll';
import { currentGeneration, glue, isCurrent } from '../session';
import { banner, breadcrumbs } from '../widgets';

/** A list page: a title, a table with these headings, reloaded by `load` into rows. */
function listPage(crumbs: HTMLElement, title: string, id: string, headings: string[], load: () => Promise<HTMLElement[] | string>, what: string): void {
  const messages = h('div', { class: 'messages' });
  const body = h('tbody', {}, h('tr', {}, h('td', { colspan: headings.length, class: 'empty' }, 'Loading…')));
  replace(view, crumbs, h('h1', {}, title), messages, h('table', { class: 'list', id }, h('thead', {}, h('tr', {}, headings.map((t) => h('th', {}, t)))), body));
  let last = '';
  poll(
    async () => {
      const rows = await load();
      const key = typeof rows === 'string' ? rows : rows.map((r) => r.outerHTML).join('');
      if (key !== last) {
        last = key;
        replace(messages);
        replace(body, typeof rows === 'string' ? h('tr', {}, h('td', { colspan: headings.length, class: 'empty' }, rows)) : rows);
      }
      return false;
    },
    (e) => replace(messages, banner('error', `Could not read ${what}. ${describeError(e)}`)),
  );
}

export function databasesPage(): void {
  document.title = 'Databases — glue-local';
  listPage(
    breadcrumbs(['Data Catalog', null]),
    'Databases',
    'databases',
    ['Name', 'Description', 'Location', 'Created'],
    async () => {
      const dbs = await glue.all<Database>('GetDatabases', { MaxResults: 100 }, 'DatabaseList');
      if (!dbs.length) return `No databases in ${glue.region}. Create one with CreateDatabase, or run a crawler.`;
      return dbs.map((d) =>
        h(
          'tr',
          { 'data-database': d.Name },
          h('td', {}, h('a', { href: databaseHref(d.Name) }, d.Name)),
          h('td', {}, d.Description ?? '—'),
          h('td', { class: 'mono' }, d.LocationUri ?? '—'),
          h('td', {}, formatTime(d.CreateTime)),
        ),
      );
    },
    'the databases',
  );
}

export function databasePage(db: string): void {
  document.title = `${db} — glue-local`;
  listPage(
    breadcrumbs(['Data Catalog', databasesHref()], [db, null]),
    db,
    'tables',
    ['Table', 'Classification', 'Location', 'Columns', 'Partition keys', 'Updated'],
    async () => {
      const tables = await glue.all<Table>('GetTables', { DatabaseName: db, MaxResults: 100 }, 'TableList');
      if (!tables.length) return 'No tables in this database.';
      return tables.map((t) =>
        h(
          'tr',
          { 'data-table': t.Name },
          h('td', {}, h('a', { href: tableHref(db, t.Name) }, t.Name)),
          h('td', {}, t.Parameters?.classification ?? '—'),
          h('td', { class: 'mono' }, t.StorageDescriptor?.Location ?? '—'),
          h('td', {}, columnList(t.StorageDescriptor?.Columns)),
          h('td', {}, columnList(t.PartitionKeys)),
          h('td', {}, formatTime(t.UpdateTime)),
        ),
      );
    },
    'the tables',
  );
}

/** Opens the tables of the crawler's database (GetCrawler says which). */
export async function crawlerTablesPage(crawler: string): Promise<void> {
  const gen = currentGeneration();
  replace(view, breadcrumbs(['Data Catalog', databasesHref()], [crawler, null]), h('p', { class: 'muted' }, 'Loading…'));
  try {
    const out = await glue.call<{ Crawler: { DatabaseName?: string } }>('GetCrawler', { Name: crawler });
    if (!isCurrent(gen)) return;
    const db = out.Crawler.DatabaseName;
    if (db) location.replace(databaseHref(db));
    else replace(view, breadcrumbs(['Data Catalog', databasesHref()], [crawler, null]), banner('info', `Crawler ${crawler} names no database.`));
  } catch (e) {
    if (isCurrent(gen)) replace(view, breadcrumbs(['Data Catalog', databasesHref()], [crawler, null]), banner('error', `Could not read crawler ${crawler}. ${describeError(e)}`));
  }
}
