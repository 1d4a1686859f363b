// What the console reads from the Data Catalog API.

export interface Column {
  Name: string;
  Type?: string;
  Comment?: string;
}

export interface StorageDescriptor {
  Columns?: Column[];
  Location?: string;
  InputFormat?: string;
  OutputFormat?: string;
  SerdeInfo?: { SerializationLibrary?: string; Parameters?: Record<string, string> };
}

export interface Database {
  Name: string;
  Description?: string;
  LocationUri?: string;
  CreateTime?: number;
}

export interface Table {
  Name: string;
  DatabaseName: string;
  Description?: string;
  TableType?: string;
  CreateTime?: number;
  UpdateTime?: number;
  VersionId?: string;
  StorageDescriptor?: StorageDescriptor;
  PartitionKeys?: Column[];
  Parameters?: Record<string, string>;
}

export interface Partition {
  Values: string[];
  CreationTime?: number;
  StorageDescriptor?: StorageDescriptor;
}

/** Column names and types, `id bigint, name string`. */
export function columnList(columns: Column[] | undefined): string {
  return (columns ?? []).map((c) => `${c.Name} ${c.Type ?? ''}`.trim()).join(', ') || '—';
}
