// One table of the Data Catalog: where its data is, its formats, columns, partition keys and partitions.

import { type Column, type Partition, type Table } from '../catalog';
import { h, replace } from '../dom';
import { describeError } from '../glue';
import { view } from '../layout';
import { databaseHref, databasesHref } from '../links';
import { formatTime } from '../model';
import { poll } from '../poll';
import { glue } from '../session';
import { banner, breadcrumbs } from '../widgets';

/** Partitions shown at most; the count says when there are more. */
const PARTITIONS_SHOWN = 500;

export function tablePage(db: string, name: string): void {
  document.title = `${db}.${name} — glue-local`;
  const messages = h('div', { class: 'messages' });
  const content = h('div', { id: 'table-details' }, h('p', { class: 'muted' }, 'Loading…'));
  replace(view, breadcrumbs(['Data Catalog', databasesHref()], [db, databaseHref(db)], [name, null]), h('h1', {}, name), messages, content);
  let last = '';
  poll(
    async () => {
      const { Table: t } = await glue.call<{ Table: Table }>('GetTable', { DatabaseName: db, Name: name });
      const partitions = t.PartitionKeys?.length ? await readPartitions(db, name) : [];
      const key = JSON.stringify([t, partitions]);
      if (key !== last) {
        last = key;
        replace(messages);
        replace(content, ...details(t, partitions));
      }
      return false;
    },
    (e) => replace(messages, banner('error', `Could not read table ${db}.${name}. ${describeError(e)}`)),
  );
}

/** The table's first partitions. */
function readPartitions(db: string, name: string): Promise<Partition[]> {
  return glue.all<Partition>('GetPartitions', { DatabaseName: db, TableName: name, MaxResults: 100 }, 'Partitions', PARTITIONS_SHOWN / 100);
}

function details(t: Table, partitions: Partition[]): Node[] {
  const sd = t.StorageDescriptor ?? {};
  const pair = (label: string, value: Node | string | undefined) => [h('dt', {}, label), h('dd', {}, value ?? '—')];
  const params = Object.entries(t.Parameters ?? {});
  return [
    h(
      'dl',
      { class: 'summary' },
      pair('Location', h('span', { class: 'mono', id: 'table-location' }, sd.Location ?? '—')),
      pair('Type', t.TableType),
      pair('Classification', t.Parameters?.classification),
      pair('Version', t.VersionId),
      pair('Input format', sd.InputFormat && h('span', { class: 'mono' }, sd.InputFormat)),
      pair('Output format', sd.OutputFormat && h('span', { class: 'mono' }, sd.OutputFormat)),
      pair('SerDe', sd.SerdeInfo?.SerializationLibrary && h('span', { class: 'mono' }, sd.SerdeInfo.SerializationLibrary)),
      pair('Updated', formatTime(t.UpdateTime)),
      pair('Description', t.Description),
      pair('Parameters', params.length ? params.map(([k, v]) => `${k}=${v}`).join(', ') : undefined),
    ),
    h('h2', {}, 'Columns'),
    columnsTable('columns', sd.Columns),
    h('h2', {}, 'Partition keys'),
    columnsTable('partition-keys', t.PartitionKeys),
    ...partitionList(t.PartitionKeys ?? [], partitions),
  ];
}

function columnsTable(id: string, columns: Column[] | undefined): HTMLElement {
  if (!columns?.length) return h('p', { class: 'muted', id }, 'None.');
  return h(
    'table',
    { class: 'list', id },
    h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Type'), h('th', {}, 'Comment'))),
    h('tbody', {}, columns.map((c) => h('tr', { 'data-column': c.Name }, h('td', {}, c.Name), h('td', { class: 'mono' }, c.Type ?? '—'), h('td', {}, c.Comment ?? '')))),
  );
}

function partitionList(keys: Column[], partitions: Partition[]): Node[] {
  if (!keys.length) return [];
  const more = partitions.length >= PARTITIONS_SHOWN ? ` (the first ${PARTITIONS_SHOWN})` : '';
  return [
    h('h2', {}, `Partitions (${partitions.length})${more}`),
    partitions.length
      ? h(
          'table',
          { class: 'list', id: 'partitions' },
          h('thead', {}, h('tr', {}, keys.map((k) => h('th', {}, k.Name)), h('th', {}, 'Location'), h('th', {}, 'Created'))),
          h(
            'tbody',
            {},
            partitions.map((p) =>
              h('tr', { 'data-partition': p.Values.join('/') }, p.Values.map((v) => h('td', {}, v)), h('td', { class: 'mono' }, p.StorageDescriptor?.Location ?? '—'), h('td', {}, formatTime(p.CreationTime))),
            ),
          ),
        )
      : h('p', { class: 'muted', id: 'partitions' }, 'No partitions.'),
  ];
}
